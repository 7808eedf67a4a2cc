package staff

import (
	"context"
	"errors"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// Policy holds the security settings of logins and sessions. The defaults
// follow what a level-3 system is expected to do: 15 minutes idle, 5 failed
// attempts, a second factor for every role.
type Policy struct {
	IdleTimeout    time.Duration
	MaxAge         time.Duration
	MaxFailures    int
	LockFor        time.Duration
	MaxTOTPRetries int // wrong codes in one session before it is closed
}

// DefaultPolicy is the policy unless the operator changes it.
var DefaultPolicy = Policy{
	IdleTimeout:    15 * time.Minute,
	MaxAge:         12 * time.Hour,
	MaxFailures:    5,
	LockFor:        15 * time.Minute,
	MaxTOTPRetries: 5,
}

// Service manages staff accounts and their logins.
type Service struct {
	store  Store
	log    Recorder
	now    func() time.Time
	Policy Policy
	Issuer string // shown in authenticator apps
}

// NewService returns a Service with the default policy.
func NewService(s Store, log Recorder) *Service {
	return &Service{store: s, log: log, now: time.Now, Policy: DefaultPolicy, Issuer: "Cổng TTĐT Hà Nội"}
}

// SetClock replaces the service's clock, for tests of expiry and lockout.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// NewUser is what it takes to create an account.
type NewUser struct {
	Email    string
	Name     string
	Password string
	// Hashed, when set, is HashPassword(Password) made once for many
	// accounts given the same password (the demo's): argon2id costs 19 MiB
	// and tens of milliseconds a hash. Password is still checked against
	// the policy. Never filled from a form.
	Hashed string
	Grants []Grant // UserID is ignored
}

// normalizeEmail lower-cases and checks an e-mail address.
func normalizeEmail(e string) (string, error) {
	e = strings.ToLower(vietnamese.Clean(e))
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || len(e) > 254 {
		return "", fault.OnField("email", "field.email_invalid")
	}
	return e, nil
}

// mayGrant checks that the actor may give (or take away) role on siteID:
// city-wide roles need user management, site roles the site's staff
// management.
func mayGrant(ctx context.Context, g Grant) error {
	if !g.Role.Valid() {
		return fault.OnField("role", "staff.role_invalid")
	}
	if g.Role.CityWide() != (g.SiteID == 0) {
		return fault.OnField("site", "staff.role_scope")
	}
	if g.Role.CityWide() {
		return access.Check(ctx, access.ManageUsers, 0)
	}
	return access.Check(ctx, access.ManageStaff, g.SiteID)
}

// AddUser creates an account with its roles. A site administrator may create
// accounts holding roles on their own site; everything else needs a system
// administrator.
func (s *Service) AddUser(ctx context.Context, in NewUser) (*User, error) {
	if len(in.Grants) == 0 {
		if err := access.Check(ctx, access.ManageUsers, 0); err != nil {
			return nil, err
		}
	}
	for _, g := range in.Grants {
		if err := mayGrant(ctx, g); err != nil {
			return nil, err
		}
	}
	var errs fault.List
	email, err := normalizeEmail(in.Email)
	if err != nil {
		errs = append(errs, fault.As(err))
	}
	name := vietnamese.Clean(in.Name)
	if name == "" {
		errs = append(errs, fault.OnField("name", "staff.name_required"))
	} else if utf8.RuneCountInString(name) > 120 {
		errs = append(errs, fault.OnField("name", "field.too_long", 120))
	}
	if err := checkPasswordPolicy(in.Password, email); err != nil {
		errs = append(errs, fault.As(err))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	hash := in.Hashed
	if hash == "" {
		if hash, err = HashPassword(in.Password); err != nil {
			return nil, err
		}
	} else if !strings.HasPrefix(hash, "$argon2id$") {
		return nil, errors.New("staff: Hashed is not an argon2id hash")
	}
	now := s.now().UTC()
	u := &User{Email: email, Name: name, PasswordHash: hash, Created: now, Updated: now, PasswordChangedAt: now}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateUser(ctx, u); err != nil {
			return err
		}
		var roles []string
		for _, g := range in.Grants {
			g.UserID = u.ID
			if err := s.store.AddGrant(ctx, g); err != nil {
				return err
			}
			roles = append(roles, string(g.Role))
		}
		return s.log.Record(ctx, "user.create", siteOf(in.Grants), email, map[string]any{"name": name, "roles": roles})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func siteOf(gs []Grant) int64 {
	if len(gs) > 0 {
		return gs[0].SiteID
	}
	return 0
}

// Grant gives a user a role.
func (s *Service) Grant(ctx context.Context, g Grant) error {
	if err := mayGrant(ctx, g); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.store.User(ctx, g.UserID)
		if err != nil {
			return err
		}
		if err := s.store.AddGrant(ctx, g); err != nil {
			return err
		}
		return s.log.Record(ctx, "user.grant", g.SiteID, u.Email, map[string]any{"role": g.Role})
	})
}

// Revoke takes a role away from a user. Their open sessions are closed, so
// the change takes effect at once.
func (s *Service) Revoke(ctx context.Context, g Grant) error {
	if err := mayGrant(ctx, g); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.store.User(ctx, g.UserID)
		if err != nil {
			return err
		}
		if err := s.store.RemoveGrant(ctx, g); err != nil {
			return err
		}
		if err := s.store.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		return s.log.Record(ctx, "user.revoke", g.SiteID, u.Email, map[string]any{"role": g.Role})
	})
}

// SetDisabled disables or re-enables an account (system administrators
// only). A disabled account's sessions and tokens stop working at once.
func (s *Service) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	if err := access.Check(ctx, access.ManageUsers, 0); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.store.User(ctx, userID)
		if err != nil {
			return err
		}
		if a := access.From(ctx); a != nil && a.UserID == u.ID && disabled {
			return fault.New(fault.Invalid, "staff.cannot_disable_self")
		}
		u.Disabled = disabled
		u.Updated = s.now().UTC()
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return err
		}
		if disabled {
			if err := s.store.DeleteUserSessions(ctx, u.ID, ""); err != nil {
				return err
			}
		}
		return s.log.Record(ctx, "user.disable", 0, u.Email, map[string]any{"disabled": disabled})
	})
}

// Users lists the accounts holding a role on siteID (0: every account, for
// system administrators and supervisors), with their grants.
func (s *Service) Users(ctx context.Context, siteID int64) ([]*User, map[int64][]Grant, error) {
	if err := access.Check(ctx, access.ViewStaff, siteID); err != nil {
		return nil, nil, err
	}
	us, err := s.store.Users(ctx, siteID)
	if err != nil {
		return nil, nil, err
	}
	grants := map[int64][]Grant{}
	for _, u := range us {
		gs, err := s.store.Grants(ctx, u.ID)
		if err != nil {
			return nil, nil, err
		}
		grants[u.ID] = gs
	}
	return us, grants, nil
}

// UserByEmail returns an account by e-mail, for commands run by the operator.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	e, err := normalizeEmail(email)
	if err != nil {
		return nil, err
	}
	return s.store.UserByEmail(ctx, e)
}

// Actor builds the access actor of a user from their grants.
func (s *Service) Actor(ctx context.Context, u *User, via, addr string) (*access.Actor, error) {
	gs, err := s.store.Grants(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	a := &access.Actor{UserID: u.ID, Name: u.Email, Sites: map[int64][]access.Role{}, Via: via, Addr: addr}
	for _, g := range gs {
		if g.SiteID == 0 {
			a.City = append(a.City, g.Role)
		} else {
			a.Sites[g.SiteID] = append(a.Sites[g.SiteID], g.Role)
		}
	}
	return a, nil
}

// Setting names.
const settingMFARoles = "mfa_required_roles"

// MFARoles returns the roles whose holders must use a second factor. By
// default, every role does.
func (s *Service) MFARoles(ctx context.Context) ([]access.Role, error) {
	v, err := s.store.Setting(ctx, settingMFARoles)
	if fault.Is(err, fault.NotFound) {
		return append(slices.Clone(access.SiteRoles), access.CityRoles...), nil
	}
	if err != nil {
		return nil, err
	}
	var roles []access.Role
	for _, r := range strings.Split(v, ",") {
		if r = strings.TrimSpace(r); r != "" && access.Role(r).Valid() {
			roles = append(roles, access.Role(r))
		}
	}
	return roles, nil
}

// SetMFARoles sets the roles whose holders must use a second factor. System
// administrators always must.
func (s *Service) SetMFARoles(ctx context.Context, roles []access.Role) error {
	if err := access.Check(ctx, access.ManageUsers, 0); err != nil {
		return err
	}
	var names []string
	for _, r := range roles {
		if !r.Valid() {
			return fault.OnField("roles", "staff.role_invalid")
		}
		if !slices.Contains(names, string(r)) {
			names = append(names, string(r))
		}
	}
	if !slices.Contains(names, string(access.SystemAdmin)) {
		names = append(names, string(access.SystemAdmin))
	}
	v := strings.Join(names, ",")
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetSetting(ctx, settingMFARoles, v); err != nil {
			return err
		}
		return s.log.Record(ctx, "policy.mfa_roles", 0, "", map[string]any{"roles": names})
	})
}

// mfaRequired reports whether any of u's roles requires a second factor.
func (s *Service) mfaRequired(ctx context.Context, u *User) (bool, error) {
	required, err := s.MFARoles(ctx)
	if err != nil {
		return false, err
	}
	gs, err := s.store.Grants(ctx, u.ID)
	if err != nil {
		return false, err
	}
	for _, g := range gs {
		if slices.Contains(required, g.Role) {
			return true, nil
		}
	}
	return false, nil
}

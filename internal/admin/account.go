package admin

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/web"
)

// roleOn is one role of the signed-in user, with the site it is held on.
type roleOn struct {
	Role access.Role
	Site *site.Site // nil for city-wide roles
}

type dashboardPage struct {
	Roles      []roleOn
	Sites      []*site.Site
	TOTP       bool
	CodesLeft  int
	CanUnits   bool
	CanUsers   bool
	CanLog     bool
	CanOpen311 bool
	// Publishing is the publishing block (queues, drafts, missed
	// schedules), when publishing is wired.
	Publishing any
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p := dashboardPage{TOTP: q.User.TOTPEnabled}
	for _, role := range q.Actor.City {
		p.Roles = append(p.Roles, roleOn{Role: role})
	}
	for id, roles := range q.Actor.Sites {
		st, ok := q.Dir.ByID(id)
		if !ok {
			continue
		}
		for _, role := range roles {
			p.Roles = append(p.Roles, roleOn{Role: role, Site: st})
		}
		p.Sites = append(p.Sites, st)
	}
	slices.SortFunc(p.Sites, func(a, b *site.Site) int { return int(a.ID - b.ID) })
	if p.TOTP {
		n, err := h.Staff.RecoveryCodesLeft(r.Context(), q.User.ID)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		p.CodesLeft = n
	}
	p.CanUnits = q.Actor.Can(access.ViewSite, 0)
	p.CanUsers = q.Actor.Can(access.ViewStaff, 0)
	p.CanLog = q.Actor.Can(access.ReadAuditLog, 0)
	p.CanOpen311 = q.Actor.Can(access.ManageOpen311Keys, 0)
	if h.Dashboard != nil {
		p.Publishing = h.Dashboard(r)
	}
	h.render(w, r, http.StatusOK, "dashboard", h.view(r, q.T("dashboard.title"), p))
}

type accountPage struct {
	User      *staff.User
	CodesLeft int
	Tokens    []*staff.Token
	NewToken  string
	NewCodes  []string
}

func (h *Handler) accountView(r *http.Request) (*web.View, error) {
	q := web.FromRequest(r)
	p := &accountPage{User: q.User}
	var err error
	if q.User.TOTPEnabled {
		if p.CodesLeft, err = h.Staff.RecoveryCodesLeft(r.Context(), q.User.ID); err != nil {
			return nil, err
		}
	}
	if p.Tokens, err = h.Staff.Tokens(r.Context(), q.User.ID); err != nil {
		return nil, err
	}
	return h.view(r, q.T("account.title"), p), nil
}

func (h *Handler) account(w http.ResponseWriter, r *http.Request) {
	v, err := h.accountView(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "account", v)
}

// accountResult re-renders the account page after a form, with the form's
// errors or a confirmation.
func (h *Handler) accountResult(w http.ResponseWriter, r *http.Request, err error, flash string, edit func(*accountPage)) {
	v, verr := h.accountView(r)
	if verr != nil {
		h.Error(w, r, verr)
		return
	}
	status := http.StatusOK
	if err != nil {
		v.Errors, v.Error = h.FieldErrors(r, err)
		status = web.StatusOf(err)
	} else {
		v.Flash = flash
	}
	if edit != nil {
		edit(v.Page.(*accountPage))
	}
	h.render(w, r, status, "account", v)
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	next, again := r.PostFormValue("new_password"), r.PostFormValue("new_password_again")
	var err error
	if next != again {
		err = fieldError("new_password_again", "password.mismatch")
	} else {
		err = h.Staff.ChangePassword(r.Context(), q.Session, r.PostFormValue("current_password"), next)
	}
	h.accountResult(w, r, err, q.T("account.password_changed"), nil)
}

func (h *Handler) regenerateCodes(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	codes, err := h.Staff.RegenerateRecoveryCodes(r.Context(), q.Session, r.PostFormValue("current_password"))
	if err == nil {
		h.render(w, r, http.StatusOK, "recovery_codes", h.view(r, q.T("codes.title"), codesPage{Codes: codes}))
		return
	}
	h.accountResult(w, r, err, "", nil)
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	plain, _, err := h.Staff.CreateToken(r.Context(), q.User.Email, r.PostFormValue("name"))
	h.accountResult(w, r, err, q.T("account.token_created"), func(p *accountPage) { p.NewToken = plain })
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	err := h.Staff.RevokeToken(r.Context(), q.User.ID, id)
	h.accountResult(w, r, err, q.T("account.token_revoked"), nil)
}

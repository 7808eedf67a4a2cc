package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
)

// randomToken returns n random bytes in URL-safe base64.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the stored form of a session or API token.
func HashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// Login checks an e-mail and password. On success it opens a session and
// returns its token; the session may still need a second factor (see
// Session.Stage). Failed attempts count towards a temporary lock.
func (s *Service) Login(ctx context.Context, email, password, addr, userAgent string) (string, *Session, error) {
	now := s.now().UTC()
	email = strings.ToLower(strings.TrimSpace(email))
	u, err := s.store.UserByEmail(ctx, email)
	if fault.Is(err, fault.NotFound) || err == nil && u.Disabled {
		CheckPassword(dummyHash(), password) // same time as a wrong password
		return "", nil, fault.New(fault.Unauthorized, "login.wrong")
	}
	if err != nil {
		return "", nil, err
	}
	if now.Before(u.LockedUntil) {
		return "", nil, lockedError(u.LockedUntil, now)
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if err != nil {
		return "", nil, err
	}
	actx := access.With(ctx, &access.Actor{UserID: u.ID, Name: u.Email, Via: "session", Addr: addr})
	if !ok {
		return "", nil, s.failLogin(actx, u, now, "login.wrong")
	}
	stage := StageFull
	if u.TOTPEnabled {
		stage = StageSecondFactor
	} else if req, err := s.mfaRequired(ctx, u); err != nil {
		return "", nil, err
	} else if req {
		stage = StageEnrol
	}
	token, sess := s.newSession(u, stage, addr, userAgent, now)
	err = s.store.InTx(actx, func(ctx context.Context) error {
		if u.FailedLogins > 0 {
			if err := s.store.ResetLoginFailures(ctx, u.ID); err != nil {
				return err
			}
		}
		if err := s.store.CreateSession(ctx, sess); err != nil {
			return err
		}
		return s.log.Record(ctx, "user.login", 0, u.Email, map[string]any{"stage": stage})
	})
	if err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

func lockedError(until, now time.Time) error {
	mins := int(until.Sub(now).Minutes()) + 1
	return fault.New(fault.TooMany, "login.locked", mins)
}

// failLogin counts a failed attempt (wrong password or wrong second factor),
// locks the account when there were too many, and returns the error to show.
func (s *Service) failLogin(ctx context.Context, u *User, now time.Time, key string) error {
	var locked bool
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		n, err := s.store.RecordLoginFailure(ctx, u.ID)
		if err != nil {
			return err
		}
		if n >= s.Policy.MaxFailures {
			locked = true
			if err := s.store.LockUser(ctx, u.ID, now.Add(s.Policy.LockFor)); err != nil {
				return err
			}
			if err := s.store.DeleteUserSessions(ctx, u.ID, ""); err != nil {
				return err
			}
			return s.log.Record(ctx, "user.locked", 0, u.Email, map[string]any{"failures": n, "minutes": int(s.Policy.LockFor.Minutes())})
		}
		return s.log.Record(ctx, "user.login_failed", 0, u.Email, map[string]any{"failures": n})
	})
	if err != nil {
		return err
	}
	if locked {
		return lockedError(now.Add(s.Policy.LockFor), now)
	}
	return fault.New(fault.Unauthorized, key)
}

func (s *Service) newSession(u *User, stage Stage, addr, ua string, now time.Time) (string, *Session) {
	token := randomToken(32)
	if len(ua) > 300 {
		ua = ua[:300]
	}
	return token, &Session{
		IDHash: HashToken(token), UserID: u.ID, Stage: stage, CSRF: randomToken(24),
		Addr: addr, UserAgent: ua, Created: now, LastSeen: now, Expires: now.Add(s.Policy.MaxAge),
	}
}

// touchEvery limits how often a session's last activity is written: at most
// once a minute, so reading pages does not mean writing to the database.
const touchEvery = time.Minute

// Authenticate returns the session and user behind a session token. Sessions
// idle for longer than the policy allows, past their absolute end, or of a
// disabled account are closed and refused.
func (s *Service) Authenticate(ctx context.Context, token string) (*Session, *User, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, fault.New(fault.Unauthorized, "access.sign_in")
	}
	now := s.now().UTC()
	sess, err := s.store.Session(ctx, HashToken(token))
	if fault.Is(err, fault.NotFound) {
		return nil, nil, fault.New(fault.Unauthorized, "session.expired")
	}
	if err != nil {
		return nil, nil, err
	}
	u, err := s.store.User(ctx, sess.UserID)
	if err != nil {
		return nil, nil, err
	}
	if now.After(sess.Expires) || now.Sub(sess.LastSeen) > s.Policy.IdleTimeout || u.Disabled {
		if err := s.store.DeleteSession(ctx, sess.IDHash); err != nil {
			return nil, nil, err
		}
		return nil, nil, fault.New(fault.Unauthorized, "session.expired")
	}
	if now.Sub(sess.LastSeen) >= touchEvery {
		sess.LastSeen = now
		if err := s.store.UpdateSession(ctx, sess); err != nil {
			return nil, nil, err
		}
	}
	return sess, u, nil
}

// promote replaces a session by a fresh one at stage full (a new token, so a
// token seen before the second factor is worthless after it).
func (s *Service) promote(ctx context.Context, sess *Session, u *User, action string, detail any) (string, *Session, error) {
	token, next := s.newSession(u, StageFull, sess.Addr, sess.UserAgent, s.now().UTC())
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteSession(ctx, sess.IDHash); err != nil {
			return err
		}
		if err := s.store.CreateSession(ctx, next); err != nil {
			return err
		}
		if u.FailedLogins > 0 {
			if err := s.store.ResetLoginFailures(ctx, u.ID); err != nil {
				return err
			}
		}
		return s.log.Record(ctx, action, 0, u.Email, detail)
	})
	if err != nil {
		return "", nil, err
	}
	return token, next, nil
}

// VerifySecondFactor checks a TOTP code, or a recovery code, for a session at
// the second-factor stage. On success the session is replaced by a full one
// and its new token returned.
func (s *Service) VerifySecondFactor(ctx context.Context, sess *Session, code string) (string, *Session, error) {
	if sess.Stage != StageSecondFactor {
		return "", nil, fault.New(fault.Invalid, "login.no_second_factor_pending")
	}
	u, err := s.store.User(ctx, sess.UserID)
	if err != nil {
		return "", nil, err
	}
	actx := access.With(ctx, &access.Actor{UserID: u.ID, Name: u.Email, Via: "session", Addr: sess.Addr})
	now := s.now().UTC()
	code = strings.TrimSpace(code)
	if len(code) > 6+4 { // longer than a TOTP code: a recovery code
		used, err := s.store.UseRecoveryCode(actx, u.ID, hashRecoveryCode(code), now)
		if err != nil {
			return "", nil, err
		}
		if used {
			left, err := s.store.UnusedRecoveryCodes(ctx, u.ID)
			if err != nil {
				return "", nil, err
			}
			return s.promote(actx, sess, u, "user.login_recovery_code", map[string]any{"codes_left": left})
		}
	} else if step := matchTOTP(u.TOTPSecret, code, now, u.TOTPLastStep); step != 0 {
		ok, err := s.store.AdvanceTOTPStep(actx, u.ID, step)
		if err != nil {
			return "", nil, err
		}
		if ok {
			return s.promote(actx, sess, u, "user.login_totp", nil)
		}
	}
	return "", nil, s.wrongCode(actx, sess, u, now)
}

// wrongCode counts a wrong second-factor code against the session and the
// account; too many close the session.
func (s *Service) wrongCode(ctx context.Context, sess *Session, u *User, now time.Time) error {
	sess.TOTPFailures++
	if sess.TOTPFailures >= s.Policy.MaxTOTPRetries {
		if err := s.store.DeleteSession(ctx, sess.IDHash); err != nil {
			return err
		}
		if err := s.failLogin(ctx, u, now, "login.code_wrong"); fault.Is(err, fault.TooMany) {
			return err
		}
		return fault.New(fault.Unauthorized, "login.code_too_many")
	}
	if err := s.store.UpdateSession(ctx, sess); err != nil {
		return err
	}
	return s.failLogin(ctx, u, now, "login.code_wrong")
}

// Enrolment is a TOTP secret offered to a user who is setting up the second
// factor.
type Enrolment struct {
	Secret string
	URI    string
}

// StartEnrolment gives a session a new TOTP secret to confirm. It is kept on
// the session until ConfirmEnrolment, so nothing changes on the account if
// the user gives up.
func (s *Service) StartEnrolment(ctx context.Context, sess *Session) (*Enrolment, error) {
	if sess.Stage != StageEnrol && sess.Stage != StageFull {
		return nil, fault.New(fault.Unauthorized, "access.sign_in")
	}
	u, err := s.store.User(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	if sess.TOTPSecret == "" {
		sess.TOTPSecret = NewTOTPSecret()
		if err := s.store.UpdateSession(ctx, sess); err != nil {
			return nil, err
		}
	}
	return &Enrolment{Secret: sess.TOTPSecret, URI: OTPAuthURI(s.Issuer, u.Email, sess.TOTPSecret)}, nil
}

// ConfirmEnrolment checks a code from the user's app against the secret
// being enrolled; on success TOTP is turned on, recovery codes are issued
// (shown once), and the session becomes full under a new token.
func (s *Service) ConfirmEnrolment(ctx context.Context, sess *Session, code string) (token string, next *Session, recovery []string, err error) {
	if sess.TOTPSecret == "" || sess.Stage != StageEnrol && sess.Stage != StageFull {
		return "", nil, nil, fault.New(fault.Invalid, "totp.no_enrolment")
	}
	u, err := s.store.User(ctx, sess.UserID)
	if err != nil {
		return "", nil, nil, err
	}
	now := s.now().UTC()
	actx := access.With(ctx, &access.Actor{UserID: u.ID, Name: u.Email, Via: "session", Addr: sess.Addr})
	step := matchTOTP(sess.TOTPSecret, code, now, 0)
	if step == 0 {
		return "", nil, nil, s.wrongCode(actx, sess, u, now)
	}
	recovery, hashes := newRecoveryCodes()
	u.TOTPSecret, u.TOTPEnabled, u.TOTPLastStep, u.Updated = sess.TOTPSecret, true, step, now
	err = s.store.InTx(actx, func(ctx context.Context) error {
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := s.store.ReplaceRecoveryCodes(ctx, u.ID, hashes); err != nil {
			return err
		}
		// Other sessions were opened with the old factor: close them.
		if err := s.store.DeleteUserSessions(ctx, u.ID, sess.IDHash); err != nil {
			return err
		}
		token, next, err = s.promote(ctx, sess, u, "user.totp_enrol", nil)
		return err
	})
	if err != nil {
		return "", nil, nil, err
	}
	return token, next, recovery, nil
}

// RegenerateRecoveryCodes replaces a user's recovery codes; the old ones stop
// working. The password is asked again, as for any change of credentials.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, sess *Session, password string) ([]string, error) {
	u, err := s.reauth(ctx, sess, password)
	if err != nil {
		return nil, err
	}
	if !u.TOTPEnabled {
		return nil, fault.New(fault.Invalid, "totp.not_enabled")
	}
	codes, hashes := newRecoveryCodes()
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.ReplaceRecoveryCodes(ctx, u.ID, hashes); err != nil {
			return err
		}
		return s.log.Record(ctx, "user.recovery_codes", 0, u.Email, nil)
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// reauth checks the signed-in user's password again before a change of
// credentials; a wrong password counts as a failed login.
func (s *Service) reauth(ctx context.Context, sess *Session, password string) (*User, error) {
	if sess == nil || sess.Stage != StageFull {
		return nil, fault.New(fault.Unauthorized, "access.sign_in")
	}
	u, err := s.store.User(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		err := s.failLogin(ctx, u, s.now().UTC(), "password.current_wrong")
		if fe := fault.As(err); fe != nil && fe.Kind == fault.Unauthorized {
			fe.Kind, fe.Field = fault.Invalid, "current_password"
		}
		return nil, err
	}
	return u, nil
}

// ChangePassword sets a new password for the signed-in user after checking
// the current one; every other session of the account is closed.
func (s *Service) ChangePassword(ctx context.Context, sess *Session, current, next string) error {
	u, err := s.reauth(ctx, sess, current)
	if err != nil {
		return err
	}
	if err := checkPasswordPolicy(next, u.Email); err != nil {
		return err
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	u.PasswordHash, u.PasswordChangedAt, u.Updated = hash, now, now
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := s.store.DeleteUserSessions(ctx, u.ID, sess.IDHash); err != nil {
			return err
		}
		return s.log.Record(ctx, "user.password", 0, u.Email, nil)
	})
}

// Logout closes a session.
func (s *Service) Logout(ctx context.Context, sess *Session) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteSession(ctx, sess.IDHash); err != nil && !fault.Is(err, fault.NotFound) {
			return err
		}
		u, err := s.store.User(ctx, sess.UserID)
		if err != nil {
			return err
		}
		return s.log.Record(ctx, "user.logout", 0, u.Email, nil)
	})
}

// RecoveryCodesLeft returns how many unused recovery codes a user has.
func (s *Service) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	return s.store.UnusedRecoveryCodes(ctx, userID)
}

const recoveryCodeCount = 10

// newRecoveryCodes returns ten codes (xxxxx-xxxxx, base32) and their hashes.
func newRecoveryCodes() (codes, hashes []string) {
	for range recoveryCodeCount {
		b := make([]byte, 7)
		rand.Read(b)
		c := strings.ToLower(b32.EncodeToString(b))[:10]
		c = c[:5] + "-" + c[5:]
		codes = append(codes, c)
		hashes = append(hashes, hashRecoveryCode(c))
	}
	return codes, hashes
}

func hashRecoveryCode(c string) string {
	c = strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(c)))
	return HashToken("recovery:" + c)
}

// EnrolForDemo turns on TOTP for an account with a new secret and returns
// it. Only the demo uses it: in real use a secret must never be known to
// anyone but its owner, who enrols through the staff interface.
func (s *Service) EnrolForDemo(ctx context.Context, userID int64) (string, error) {
	if err := access.Check(ctx, access.ManageUsers, 0); err != nil {
		return "", err
	}
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return "", err
	}
	u.TOTPSecret, u.TOTPEnabled, u.Updated = NewTOTPSecret(), true, s.now().UTC()
	_, hashes := newRecoveryCodes()
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := s.store.ReplaceRecoveryCodes(ctx, u.ID, hashes); err != nil {
			return err
		}
		return s.log.Record(ctx, "user.totp_enrol", 0, u.Email, map[string]any{"by": "demo"})
	})
	return u.TOTPSecret, err
}

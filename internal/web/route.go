package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/staff"
)

// Auth says how a route's caller is identified.
type Auth int

// The kinds of authentication.
const (
	// AuthNone: anyone; public pages and forms.
	AuthNone Auth = iota
	// AuthPending: a staff session between password and second factor.
	AuthPending
	// AuthSession: a signed-in staff member (full session, CSRF checked on
	// every state-changing request).
	AuthSession
	// AuthAnySession: a staff session at any stage (signing out).
	AuthAnySession
	// AuthToken: an API call with "Authorization: Bearer TOKEN".
	AuthToken
	// AuthTokenOptional: an API call that works anonymously and knows the
	// caller when a token is given.
	AuthTokenOptional
)

// Scope says where a route's permission is checked.
type Scope int

// Scopes.
const (
	ScopeNone Scope = iota // no permission beyond the authentication
	ScopeSite              // Perm on the site named by the {site} path value
	ScopeCity              // Perm city-wide
	ScopeSelf              // the caller's own account
)

// Route is one endpoint with its access rule, declared next to its handler
// so the whole policy can be read, and tested, from the route table.
type Route struct {
	Method  string
	Pattern string // ServeMux pattern without the method, e.g. /quan-tri/trang/{site}/cai-dat
	Auth    Auth
	Scope   Scope
	Perm    access.Permission
	MaxBody int64 // 0: the server's default
	Handler http.HandlerFunc
}

// Unsafe reports whether the route changes state.
func (rt Route) Unsafe() bool {
	return rt.Method != http.MethodGet && rt.Method != http.MethodHead && rt.Method != http.MethodOptions
}

// Register adds routes to mux, each wrapped with its access rule.
func (s *Server) Register(mux *http.ServeMux, routes []Route) {
	for _, rt := range routes {
		mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
}

// SessionCookie is the name of the staff session cookie.
const SessionCookie = "cong_phien"

func (s *Server) wrap(rt Route) http.Handler {
	maxBody := rt.MaxBody
	if maxBody == 0 {
		maxBody = s.cfg.MaxBody
	}
	api := rt.Auth == AuthToken || rt.Auth == AuthTokenOptional
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := FromRequest(r)
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		ctx := r.Context()
		if !api && rt.Unsafe() {
			if err := s.cop.Check(r); err != nil {
				s.ErrorPage(w, r, http.StatusForbidden, "error.cross_origin")
				return
			}
		}
		switch rt.Auth {
		case AuthPending, AuthSession, AuthAnySession:
			w.Header().Set("Cache-Control", "no-store")
			sess, user, err := s.session(r)
			if err != nil {
				s.signIn(w, r, err)
				return
			}
			if rt.Auth == AuthSession && sess.Stage != staff.StageFull {
				http.Redirect(w, r, pendingPage(sess.Stage), http.StatusSeeOther)
				return
			}
			if rt.Auth == AuthPending && sess.Stage == staff.StageFull {
				http.Redirect(w, r, "/quan-tri/", http.StatusSeeOther)
				return
			}
			actor, err := s.Staff.Actor(ctx, user, "session", q.Addr)
			if err != nil {
				s.Error(w, r, err)
				return
			}
			q.Actor, q.Session, q.User = actor, sess, user
			ctx = access.With(ctx, actor)
			r = r.WithContext(ctx)
			if rt.Unsafe() && !s.ParseForm(w, r) {
				return
			}
			if rt.Unsafe() && !s.validCSRF(r, sess) {
				s.ErrorPage(w, r, http.StatusForbidden, "error.csrf")
				return
			}
		case AuthToken, AuthTokenOptional:
			if strings.HasPrefix(r.Header.Get("Accept-Language"), "en") {
				q.Lang = "en"
			}
			tok, present := bearer(r)
			if !present && rt.Auth == AuthTokenOptional {
				break
			}
			if !present {
				w.Header().Set("WWW-Authenticate", `Bearer realm="cong"`)
				JSONError(w, http.StatusUnauthorized, "unauthorized", q.T("token.missing"))
				return
			}
			actor, err := s.Staff.ActorForToken(ctx, tok, q.Addr)
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="cong", error="invalid_token"`)
				s.JSONFault(w, r, err)
				return
			}
			q.Actor = actor
			ctx = access.With(ctx, actor)
			r = r.WithContext(ctx)
		}
		switch rt.Scope {
		case ScopeSite:
			st, ok := q.Dir.ByCode(r.PathValue("site"))
			var err error
			if !ok {
				err = fault.New(fault.NotFound, "site.not_found")
			} else {
				err = access.Check(ctx, rt.Perm, st.ID)
			}
			if err != nil {
				s.fail(w, r, api, err)
				return
			}
		case ScopeCity:
			if err := access.Check(ctx, rt.Perm, 0); err != nil {
				s.fail(w, r, api, err)
				return
			}
		}
		rt.Handler(w, r)
	})
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, api bool, err error) {
	if api {
		s.JSONFault(w, r, err)
		return
	}
	s.Error(w, r, err)
}

// session returns the staff session of the request's cookie.
func (s *Server) session(r *http.Request) (*staff.Session, *staff.User, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return nil, nil, fault.New(fault.Unauthorized, "access.sign_in")
	}
	return s.Staff.Authenticate(r.Context(), c.Value)
}

// signIn answers a staff route without a valid session: pages redirect to
// the login form (coming back afterwards); forms get an explanation, since
// what was typed cannot be kept.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, err error) {
	if fault.KindOf(err) != fault.Unauthorized {
		s.Error(w, r, err)
		return
	}
	ClearSessionCookie(w, s.secure(r))
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		to := "/quan-tri/dang-nhap"
		if fault.As(err).Key == "session.expired" {
			to += "?het-han=1"
			if r.URL.Path != "/quan-tri/" {
				to += "&tiep=" + url.QueryEscape(r.URL.RequestURI())
			}
		} else if r.URL.Path != "/quan-tri/" {
			to += "?tiep=" + url.QueryEscape(r.URL.RequestURI())
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	s.Error(w, r, err)
}

func pendingPage(st staff.Stage) string {
	if st == staff.StageEnrol {
		return "/quan-tri/bao-mat/thiet-lap"
	}
	return "/quan-tri/xac-thuc"
}

// CSRFField is the name of the form field carrying the session's CSRF token.
const CSRFField = "csrf"

// validCSRF checks the form's (or X-CSRF-Token header's) token against the
// session's.
func (s *Server) validCSRF(r *http.Request, sess *staff.Session) bool {
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		tok = r.PostFormValue(CSRFField)
	}
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(sess.CSRF)) == 1
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false
	}
	scheme, tok, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(tok), true
}

func (s *Server) secure(r *http.Request) bool {
	return s.cfg.Secure || FromRequest(r).Scheme == "https"
}

// SetSessionCookie gives the browser a session token.
func (s *Server) SetSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(staff.DefaultPolicy.MaxAge.Seconds()),
	})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: secure, MaxAge: -1, SameSite: http.SameSiteLaxMode})
}

// ParseForm reads a form body, answering 413 (too large) or 400 itself
// when it cannot; handlers return when it reports false.
func (s *Server) ParseForm(w http.ResponseWriter, r *http.Request) bool {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.ErrorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large", tooBig.Limit/1024)
		return false
	}
	s.ErrorPage(w, r, http.StatusBadRequest, "error.bad_form")
	return false
}

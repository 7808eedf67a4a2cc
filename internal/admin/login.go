package admin

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"rsc.io/qr"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/web"
)

type loginPage struct {
	Email   string
	Next    string
	Expired bool
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	if c, err := r.Cookie(web.SessionCookie); err == nil {
		if sess, _, err := h.Staff.Authenticate(r.Context(), c.Value); err == nil && sess.Stage == staff.StageFull {
			http.Redirect(w, r, "/quan-tri/", http.StatusSeeOther)
			return
		}
	}
	p := loginPage{Next: r.URL.Query().Get("tiep"), Expired: r.URL.Query().Get("het-han") != ""}
	h.render(w, r, http.StatusOK, "login", h.view(r, q.T("login.title"), p))
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	if !h.ParseForm(w, r) {
		return
	}
	p := loginPage{Email: r.PostFormValue("email"), Next: r.PostFormValue("tiep")}
	v := h.view(r, q.T("login.title"), p)
	if ok, wait := h.loginByAddr.Allow(q.Addr); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		v.Error = q.T("login.too_many_from_address", int(wait.Minutes())+1)
		h.render(w, r, http.StatusTooManyRequests, "login", v)
		return
	}
	token, sess, err := h.Staff.Login(r.Context(), p.Email, r.PostFormValue("password"), q.Addr, r.UserAgent())
	if err != nil {
		v.Error = h.Message(r, err)
		h.render(w, r, web.StatusOf(err), "login", v)
		return
	}
	h.SetSessionCookie(w, r, token)
	next := "/quan-tri/"
	if p.Next != "" && len(p.Next) < 500 && p.Next[0] == '/' && (len(p.Next) < 2 || p.Next[1] != '/' && p.Next[1] != '\\') {
		next = p.Next
	}
	switch sess.Stage {
	case staff.StageSecondFactor:
		next = "/quan-tri/xac-thuc"
	case staff.StageEnrol:
		next = "/quan-tri/bao-mat/thiet-lap"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *Handler) secondFactorForm(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	if q.Session.Stage == staff.StageEnrol {
		http.Redirect(w, r, "/quan-tri/bao-mat/thiet-lap", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "second_factor", h.view(r, q.T("totp.title"), nil))
}

func (h *Handler) secondFactor(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	token, _, err := h.Staff.VerifySecondFactor(r.Context(), q.Session, r.PostFormValue("code"))
	if err != nil {
		h.codeFailed(w, r, "second_factor", q.T("totp.title"), nil, err)
		return
	}
	h.SetSessionCookie(w, r, token)
	http.Redirect(w, r, "/quan-tri/", http.StatusSeeOther)
}

// codeFailed answers a wrong second-factor code: the form again, or, when
// the session was closed for too many wrong codes, the login form.
func (h *Handler) codeFailed(w http.ResponseWriter, r *http.Request, page, title string, data any, err error) {
	q := web.FromRequest(r)
	if fe := fault.As(err); fe != nil && (fe.Key == "login.code_too_many" || fe.Kind == fault.TooMany) {
		web.ClearSessionCookie(w, q.Scheme == "https")
		v := h.view(r, q.T("login.title"), loginPage{})
		v.Error = h.Message(r, err)
		h.render(w, r, web.StatusOf(err), "login", v)
		return
	}
	v := h.view(r, title, data)
	v.Errors = map[string]string{"code": h.Message(r, err)}
	v.Error = v.Errors["code"]
	h.render(w, r, web.StatusOf(err), page, v)
}

type enrolPage struct {
	Secret  string
	Grouped string
	QR      template.URL // data: URL of an SVG QR code
	Action  string
	Forced  bool
}

func (h *Handler) enrolPage(r *http.Request) (*enrolPage, error) {
	q := web.FromRequest(r)
	e, err := h.Staff.StartEnrolment(r.Context(), q.Session)
	if err != nil {
		return nil, err
	}
	p := &enrolPage{Secret: e.Secret, Grouped: staff.GroupSecret(e.Secret), QR: qrDataURL(e.URI), Action: r.URL.Path,
		Forced: q.Session.Stage == staff.StageEnrol}
	return p, nil
}

func (h *Handler) enrolForm(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	if q.User.TOTPEnabled && q.Session.Stage == staff.StageFull {
		http.Redirect(w, r, "/quan-tri/tai-khoan", http.StatusSeeOther)
		return
	}
	p, err := h.enrolPage(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "enrol", h.view(r, q.T("enrol.title"), p))
}

type codesPage struct {
	Codes []string
}

func (h *Handler) enrol(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	if q.User.TOTPEnabled && q.Session.Stage == staff.StageFull {
		http.Redirect(w, r, "/quan-tri/tai-khoan", http.StatusSeeOther)
		return
	}
	token, _, codes, err := h.Staff.ConfirmEnrolment(r.Context(), q.Session, r.PostFormValue("code"))
	if err != nil {
		p, perr := h.enrolPage(r)
		if perr != nil {
			h.codeFailed(w, r, "enrol", q.T("enrol.title"), nil, err)
			return
		}
		h.codeFailed(w, r, "enrol", q.T("enrol.title"), p, err)
		return
	}
	h.SetSessionCookie(w, r, token)
	h.render(w, r, http.StatusOK, "recovery_codes", h.view(r, q.T("codes.title"), codesPage{Codes: codes}))
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	if err := h.Staff.Logout(r.Context(), q.Session); err != nil {
		h.Error(w, r, err)
		return
	}
	web.ClearSessionCookie(w, q.Scheme == "https")
	http.Redirect(w, r, "/quan-tri/dang-nhap", http.StatusSeeOther)
}

// qrDataURL draws text as a QR code in SVG, as a data: URL for an <img>.
func qrDataURL(text string) template.URL {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return ""
	}
	const quiet = 4
	n := c.Size + 2*quiet
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; x++ {
			if !c.Black(x, y) {
				continue
			}
			run := 1
			for x+run < c.Size && c.Black(x+run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run - 1
		}
	}
	b.WriteString(`"/></svg>`)
	return template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(b.Bytes()))
}

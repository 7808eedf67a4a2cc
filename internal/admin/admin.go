// Package admin is the staff interface (/quan-tri/): signing in with a
// second factor, one's own account, site settings, staff and roles, units
// and their merging, and the audit log. Handlers translate forms to service
// calls; the services check permissions, the route table checks them first.
package admin

import (
	"net/http"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/throttle"
	"github.com/congvn/cong/internal/web"
)

// Handler serves the staff interface.
type Handler struct {
	*web.Server
	// loginByAddr limits login attempts per client address, so guessing
	// from one place is slow while staff elsewhere sign in normally.
	loginByAddr *throttle.Limiter
}

// New returns the staff interface.
func New(s *web.Server) *Handler {
	return &Handler{Server: s, loginByAddr: throttle.New(20, 30*time.Second)}
}

// Routes lists the staff interface's routes with their access rules.
func (h *Handler) Routes() []web.Route {
	site := func(method, pattern string, p access.Permission, f http.HandlerFunc) web.Route {
		return web.Route{Method: method, Pattern: pattern, Auth: web.AuthSession, Scope: web.ScopeSite, Perm: p, Handler: f}
	}
	city := func(method, pattern string, p access.Permission, f http.HandlerFunc) web.Route {
		return web.Route{Method: method, Pattern: pattern, Auth: web.AuthSession, Scope: web.ScopeCity, Perm: p, Handler: f}
	}
	self := func(method, pattern string, f http.HandlerFunc) web.Route {
		return web.Route{Method: method, Pattern: pattern, Auth: web.AuthSession, Scope: web.ScopeSelf, Handler: f}
	}
	return []web.Route{
		{Method: "GET", Pattern: "/quan-tri/dang-nhap", Handler: h.loginForm},
		{Method: "POST", Pattern: "/quan-tri/dang-nhap", Handler: h.login},
		{Method: "GET", Pattern: "/quan-tri/xac-thuc", Auth: web.AuthPending, Handler: h.secondFactorForm},
		{Method: "POST", Pattern: "/quan-tri/xac-thuc", Auth: web.AuthPending, Handler: h.secondFactor},
		{Method: "GET", Pattern: "/quan-tri/bao-mat/thiet-lap", Auth: web.AuthPending, Handler: h.enrolForm},
		{Method: "POST", Pattern: "/quan-tri/bao-mat/thiet-lap", Auth: web.AuthPending, Handler: h.enrol},
		{Method: "POST", Pattern: "/quan-tri/dang-xuat", Auth: web.AuthAnySession, Handler: h.logout},

		{Method: "GET", Pattern: "/quan-tri/{$}", Auth: web.AuthSession, Handler: h.dashboard},
		self("GET", "/quan-tri/tai-khoan", h.account),
		self("POST", "/quan-tri/tai-khoan/mat-khau", h.changePassword),
		self("POST", "/quan-tri/tai-khoan/ma-khoi-phuc", h.regenerateCodes),
		self("GET", "/quan-tri/tai-khoan/2fa", h.enrolForm),
		self("POST", "/quan-tri/tai-khoan/2fa", h.enrol),
		self("POST", "/quan-tri/tai-khoan/token", h.createToken),
		self("POST", "/quan-tri/tai-khoan/token/{id}/thu-hoi", h.revokeToken),

		{Method: "GET", Pattern: "/quan-tri/trang/{$}", Auth: web.AuthSession, Handler: h.sites},
		site("GET", "/quan-tri/trang/{site}/{$}", access.ViewSite, h.siteForm),
		site("POST", "/quan-tri/trang/{site}/cai-dat", access.EditSite, h.saveSite),
		site("POST", "/quan-tri/trang/{site}/ten-mien", access.ManageHosts, h.saveHosts),
		site("GET", "/quan-tri/trang/{site}/nhan-su", access.ViewStaff, h.siteStaff),
		site("POST", "/quan-tri/trang/{site}/nhan-su", access.ManageStaff, h.addSiteStaff),
		site("POST", "/quan-tri/trang/{site}/nhan-su/thu-hoi", access.ManageStaff, h.revokeSiteStaff),
		site("GET", "/quan-tri/trang/{site}/nhat-ky", access.ReadAuditLog, h.siteLog),

		city("GET", "/quan-tri/don-vi", access.ViewSite, h.units),
		city("POST", "/quan-tri/don-vi/tao", access.ManageUnits, h.createUnit),
		city("POST", "/quan-tri/don-vi/sap-nhap", access.ManageUnits, h.mergeUnit),
		city("GET", "/quan-tri/nguoi-dung", access.ViewStaff, h.users),
		city("POST", "/quan-tri/nguoi-dung", access.ManageUsers, h.createUser),
		city("POST", "/quan-tri/nguoi-dung/{id}/khoa", access.ManageUsers, h.disableUser),
		city("POST", "/quan-tri/nguoi-dung/{id}/quyen", access.ManageUsers, h.grantRole),
		city("GET", "/quan-tri/nhat-ky", access.ReadAuditLog, h.log),
		city("GET", "/quan-tri/bao-mat", access.ViewStaff, h.policy),
		city("POST", "/quan-tri/bao-mat", access.ManageUsers, h.savePolicy),
	}
}

// view returns a View for an admin page.
func (h *Handler) view(r *http.Request, title string, page any) *web.View {
	return &web.View{Req: web.FromRequest(r), Title: title, Page: page, NoIndex: true}
}

// render writes an admin page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, v *web.View) {
	w.Header().Set("Cache-Control", "no-store")
	h.Render(w, r, status, "admin/"+name, v)
}

package admin

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/web"
)

// unitRow is a unit in the tree, indented by depth.
type unitRow struct {
	Unit   *site.Unit
	Depth  int
	Portal *site.Site
	Into   *site.Unit
}

type unitsPage struct {
	Rows      []unitRow
	Active    []*site.Unit
	Kinds     []site.UnitKind
	CanManage bool
	Form      map[string]string
	Today     string
}

func (h *Handler) unitsView(r *http.Request) *web.View {
	q := web.FromRequest(r)
	d := q.Dir
	p := &unitsPage{Kinds: site.UnitKinds, CanManage: q.Actor.Can(access.ManageUnits, 0), Form: map[string]string{},
		Today: time.Now().In(web.VietnamTime()).Format(time.DateOnly)}
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, u := range d.Units {
			if u.ParentID != parent || depth > 20 {
				continue
			}
			row := unitRow{Unit: u, Depth: depth, Portal: d.PortalOf(u.ID)}
			if u.Status == site.Merged {
				row.Into, _ = d.Unit(u.MergedIntoID)
			}
			p.Rows = append(p.Rows, row)
			if u.Status == site.Active {
				p.Active = append(p.Active, u)
			}
			walk(u.ID, depth+1)
		}
	}
	walk(0, 0)
	return h.view(r, q.T("units.admin_title"), p)
}

func (h *Handler) units(w http.ResponseWriter, r *http.Request) {
	v := h.unitsView(r)
	if r.URL.Query().Get("da-luu") != "" {
		v.Flash = v.T("units.saved")
	}
	h.render(w, r, http.StatusOK, "units", v)
}

func (h *Handler) unitsFailed(w http.ResponseWriter, r *http.Request, err error) {
	v := h.unitsView(r)
	v.Errors, v.Error = h.FieldErrors(r, err)
	p := v.Page.(*unitsPage)
	for k, vals := range r.PostForm {
		if k != web.CSRFField && len(vals) > 0 {
			p.Form[k] = vals[0]
		}
	}
	h.render(w, r, web.StatusOf(err), "units", v)
}

// createUnit creates a unit and, when a site code is given, its portal with
// the host CODE.<the city's host>.
func (h *Handler) createUnit(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	ctx := r.Context()
	f := r.PostFormValue
	parent, err := h.Sites.Unit(ctx, f("parent"))
	if err != nil {
		h.unitsFailed(w, r, fieldError("parent", "unit.not_found"))
		return
	}
	u := &site.Unit{Code: f("code"), Name: f("name"), NameEn: f("name_en"), Kind: site.UnitKind(f("kind")), ParentID: parent.ID}
	code := strings.ToLower(strings.TrimSpace(f("site_code")))
	err = h.Sites.CreateUnit(ctx, u)
	if err == nil && code != "" {
		var hosts []string
		if q.Dir.City != nil && q.Dir.City.PrimaryHost() != "" {
			hosts = []string{code + "." + q.Dir.City.PrimaryHost()}
		}
		st := &site.Site{Code: code, UnitID: u.ID, Kind: site.Portal, Name: u.Name, NameEn: u.NameEn, Langs: []string{"vi", "en"}, Hosts: hosts}
		err = h.Sites.CreateSite(ctx, st)
		if err != nil {
			err = fault.Wrap(err, fault.KindOf(err), "unit.created_site_failed", u.Name, h.Message(r, err))
		}
	}
	if err != nil {
		h.unitsFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/don-vi?da-luu=1", http.StatusSeeOther)
}

func (h *Handler) mergeUnit(w http.ResponseWriter, r *http.Request) {
	f := r.PostFormValue
	if err := h.Sites.Merge(r.Context(), f("from"), f("into"), f("on")); err != nil {
		h.unitsFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/don-vi?da-luu=1", http.StatusSeeOther)
}

type usersPage struct {
	Users     []*staff.User
	Grants    map[int64][]staff.Grant
	Sites     map[int64]*site.Site
	AllSites  []*site.Site
	Roles     []access.Role
	CanManage bool
	Form      map[string]string
}

func (h *Handler) usersView(r *http.Request) (*web.View, error) {
	q := web.FromRequest(r)
	users, grants, err := h.Staff.Users(r.Context(), 0)
	if err != nil {
		return nil, err
	}
	p := &usersPage{Users: users, Grants: grants, Sites: map[int64]*site.Site{}, CanManage: q.Actor.Can(access.ManageUsers, 0),
		Roles: append(append([]access.Role{}, access.CityRoles...), access.SiteRoles...), Form: map[string]string{}}
	for _, st := range q.Dir.Sites {
		p.Sites[st.ID] = st
		if st.Status == site.Active {
			p.AllSites = append(p.AllSites, st)
		}
	}
	return h.view(r, q.T("users.title"), p), nil
}

func (h *Handler) users(w http.ResponseWriter, r *http.Request) {
	v, err := h.usersView(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if r.URL.Query().Get("da-luu") != "" {
		v.Flash = v.T("users.saved")
	}
	h.render(w, r, http.StatusOK, "users", v)
}

func (h *Handler) usersFailed(w http.ResponseWriter, r *http.Request, err error) {
	v, verr := h.usersView(r)
	if verr != nil {
		h.Error(w, r, verr)
		return
	}
	v.Errors, v.Error = h.FieldErrors(r, err)
	p := v.Page.(*usersPage)
	for _, k := range []string{"email", "name", "role", "site"} {
		p.Form[k] = r.PostFormValue(k)
	}
	h.render(w, r, web.StatusOf(err), "users", v)
}

// grantFromForm reads a role and, for site roles, the site code.
func grantFromForm(r *http.Request, dir *site.Directory) (staff.Grant, error) {
	g := staff.Grant{Role: access.Role(r.PostFormValue("role"))}
	if !g.Role.CityWide() {
		st, ok := dir.ByCode(r.PostFormValue("site"))
		if !ok {
			return g, fieldError("site", "site.not_found")
		}
		g.SiteID = st.ID
	}
	return g, nil
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	g, err := grantFromForm(r, q.Dir)
	if err == nil {
		f := r.PostFormValue
		_, err = h.Staff.AddUser(r.Context(), staff.NewUser{Email: f("email"), Name: f("name"), Password: f("password"), Grants: []staff.Grant{g}})
	}
	if err != nil {
		h.usersFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/nguoi-dung?da-luu=1", http.StatusSeeOther)
}

func (h *Handler) disableUser(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := h.Staff.SetDisabled(r.Context(), id, r.PostFormValue("disabled") == "1"); err != nil {
		h.usersFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/nguoi-dung?da-luu=1", http.StatusSeeOther)
}

func (h *Handler) grantRole(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	g, err := grantFromForm(r, q.Dir)
	if err == nil {
		g.UserID = id
		if r.PostFormValue("revoke") == "1" {
			err = h.Staff.Revoke(r.Context(), g)
		} else {
			err = h.Staff.Grant(r.Context(), g)
		}
	}
	if err != nil {
		h.usersFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/nguoi-dung?da-luu=1", http.StatusSeeOther)
}

type policyPage struct {
	Roles     []access.Role
	Required  map[access.Role]bool
	CanManage bool
	Policy    staff.Policy
}

func (h *Handler) policyView(r *http.Request) (*web.View, error) {
	q := web.FromRequest(r)
	req, err := h.Staff.MFARoles(r.Context())
	if err != nil {
		return nil, err
	}
	p := &policyPage{Roles: append(append([]access.Role{}, access.CityRoles...), access.SiteRoles...), Required: map[access.Role]bool{},
		CanManage: q.Actor.Can(access.ManageUsers, 0), Policy: h.Staff.Policy}
	for _, r := range req {
		p.Required[r] = true
	}
	return h.view(r, q.T("policy.title"), p), nil
}

func (h *Handler) policy(w http.ResponseWriter, r *http.Request) {
	v, err := h.policyView(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if r.URL.Query().Get("da-luu") != "" {
		v.Flash = v.T("policy.saved")
	}
	h.render(w, r, http.StatusOK, "policy", v)
}

func (h *Handler) savePolicy(w http.ResponseWriter, r *http.Request) {
	var roles []access.Role
	for _, v := range r.PostForm["mfa"] {
		roles = append(roles, access.Role(v))
	}
	if err := h.Staff.SetMFARoles(r.Context(), roles); err != nil {
		h.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/bao-mat?da-luu=1", http.StatusSeeOther)
}

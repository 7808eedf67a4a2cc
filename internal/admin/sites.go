package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/vietnamese"
	"github.com/congvn/cong/internal/web"
)

type sitesPage struct {
	Query string
	Sites []*site.Site
}

// sites lists the sites the signed-in user may look after.
func (h *Handler) sites(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p := sitesPage{Query: vietnamese.Clean(r.URL.Query().Get("q"))}
	needle := vietnamese.Fold(p.Query)
	for _, st := range q.Dir.Sites {
		if st.Status != site.Active || !q.Actor.Can(access.ViewSite, st.ID) {
			continue
		}
		if needle != "" && !strings.Contains(vietnamese.Fold(st.Name+" "+st.Code), needle) {
			continue
		}
		p.Sites = append(p.Sites, st)
	}
	h.render(w, r, http.StatusOK, "sites", h.view(r, q.T("sites.title"), p))
}

type sitePage struct {
	Site     *site.Site
	Form     site.Settings
	Hosts    string
	Version  int
	CanEdit  bool
	CanHosts bool
	CanStaff bool
	CanLog   bool
	Conflict map[string]string // field -> value stored by the other editor
}

func (h *Handler) sitePage(r *http.Request, st *site.Site) *sitePage {
	q := web.FromRequest(r)
	return &sitePage{
		Site: st, Version: st.Version,
		Form:     site.Settings{Name: st.Name, NameEn: st.NameEn, Langs: st.Langs, Contact: st.Contact, EMCID: st.EMCID},
		Hosts:    strings.Join(st.Hosts, "\n"),
		CanEdit:  q.Actor.Can(access.EditSite, st.ID),
		CanHosts: q.Actor.Can(access.ManageHosts, st.ID),
		CanStaff: q.Actor.Can(access.ViewStaff, st.ID),
		CanLog:   q.Actor.Can(access.ReadAuditLog, st.ID),
	}
}

func (h *Handler) siteForm(w http.ResponseWriter, r *http.Request) {
	st, err := h.Sites.Site(r.Context(), r.PathValue("site"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v := h.view(r, st.Name, h.sitePage(r, st))
	if r.URL.Query().Get("da-luu") != "" {
		v.Flash = v.T("site.saved")
	}
	h.render(w, r, http.StatusOK, "site", v)
}

func settingsFromForm(r *http.Request) site.Settings {
	f := r.PostFormValue
	langs := []string{"vi"}
	if f("lang_en") != "" {
		langs = append(langs, "en")
	}
	return site.Settings{
		Name: f("name"), NameEn: f("name_en"), Langs: langs, EMCID: f("emc_id"),
		Contact: site.Contact{
			Address: f("address"), AddressEn: f("address_en"), Phone: f("phone"), Fax: f("fax"), Email: f("email"),
			ResponsibleName: f("responsible_name"), ResponsibleTitle: f("responsible_title"), ResponsibleTitleEn: f("responsible_title_en"),
		},
	}
}

func (h *Handler) saveSite(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	code := r.PathValue("site")
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	in := settingsFromForm(r)
	_, err := h.Sites.UpdateSettings(r.Context(), code, version, in)
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+code+"/?da-luu=1", http.StatusSeeOther)
		return
	}
	h.siteFailed(w, r, code, err, func(st *site.Site, p *sitePage, v *web.View) {
		p.Form = in // what the user typed is never lost
		p.Version = version
		if fault.Is(err, fault.Conflict) {
			// Show what the other editor saved; saving again overwrites it
			// knowingly.
			p.Version = st.Version
			p.Conflict = conflicts(st, in)
			v.Error = q.T("site.edited_meanwhile_detail", q.DateTime(st.Updated))
		}
	})
}

// siteFailed re-renders the site page after a refused form, with the form's
// errors; keep restores what the user typed.
func (h *Handler) siteFailed(w http.ResponseWriter, r *http.Request, code string, err error, keep func(*site.Site, *sitePage, *web.View)) {
	st, gerr := h.Sites.Site(r.Context(), code)
	if gerr != nil {
		h.Error(w, r, gerr)
		return
	}
	p := h.sitePage(r, st)
	v := h.view(r, st.Name, p)
	v.Errors, v.Error = h.FieldErrors(r, err)
	keep(st, p, v)
	h.render(w, r, web.StatusOf(err), "site", v)
}

// conflicts lists the fields where the stored site differs from a form.
func conflicts(st *site.Site, in site.Settings) map[string]string {
	out := map[string]string{}
	add := func(field, stored, typed string) {
		if vietnamese.Clean(stored) != vietnamese.Clean(typed) {
			out[field] = stored
		}
	}
	c, f := st.Contact, in.Contact
	add("name", st.Name, in.Name)
	add("name_en", st.NameEn, in.NameEn)
	add("address", c.Address, f.Address)
	add("address_en", c.AddressEn, f.AddressEn)
	add("phone", c.Phone, f.Phone)
	add("fax", c.Fax, f.Fax)
	add("email", c.Email, strings.ToLower(f.Email))
	add("responsible_name", c.ResponsibleName, f.ResponsibleName)
	add("responsible_title", c.ResponsibleTitle, f.ResponsibleTitle)
	add("responsible_title_en", c.ResponsibleTitleEn, f.ResponsibleTitleEn)
	add("emc_id", st.EMCID, in.EMCID)
	return out
}

func (h *Handler) saveHosts(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("site")
	hosts := lines(r.PostFormValue("hosts"))
	_, err := h.Sites.SetHosts(r.Context(), code, hosts)
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+code+"/?da-luu=1", http.StatusSeeOther)
		return
	}
	h.siteFailed(w, r, code, err, func(_ *site.Site, p *sitePage, _ *web.View) { p.Hosts = r.PostFormValue("hosts") })
}

// member is an account with its roles on one site.
type member struct {
	User  *staff.User
	Roles []access.Role
}

type staffPage struct {
	Site    *site.Site
	Members []member
	Roles   []access.Role
	CanEdit bool
	Form    map[string]string
}

func (h *Handler) staffView(r *http.Request, st *site.Site) (*web.View, error) {
	q := web.FromRequest(r)
	users, grants, err := h.Staff.Users(r.Context(), st.ID)
	if err != nil {
		return nil, err
	}
	p := &staffPage{Site: st, Roles: access.SiteRoles, CanEdit: q.Actor.Can(access.ManageStaff, st.ID), Form: map[string]string{}}
	for _, u := range users {
		m := member{User: u}
		for _, g := range grants[u.ID] {
			if g.SiteID == st.ID {
				m.Roles = append(m.Roles, g.Role)
			}
		}
		p.Members = append(p.Members, m)
	}
	return h.view(r, q.T("staff.title", st.Name), p), nil
}

func (h *Handler) siteStaff(w http.ResponseWriter, r *http.Request) {
	st, err := h.Sites.Site(r.Context(), r.PathValue("site"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v, err := h.staffView(r, st)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if r.URL.Query().Get("da-luu") != "" {
		v.Flash = v.T("staff.saved")
	}
	h.render(w, r, http.StatusOK, "site_staff", v)
}

// addSiteStaff gives a role on the site to an account, creating the account
// when the e-mail is new.
func (h *Handler) addSiteStaff(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := h.Sites.Site(ctx, r.PathValue("site"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f := r.PostFormValue
	g := staff.Grant{SiteID: st.ID, Role: access.Role(f("role"))}
	u, err := h.Staff.UserByEmail(ctx, f("email"))
	switch {
	case err == nil:
		g.UserID = u.ID
		err = h.Staff.Grant(ctx, g)
	case fault.Is(err, fault.NotFound):
		_, err = h.Staff.AddUser(ctx, staff.NewUser{Email: f("email"), Name: f("name"), Password: f("password"), Grants: []staff.Grant{g}})
	}
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/nhan-su?da-luu=1", http.StatusSeeOther)
		return
	}
	v, verr := h.staffView(r, st)
	if verr != nil {
		h.Error(w, r, verr)
		return
	}
	v.Errors, v.Error = h.FieldErrors(r, err)
	p := v.Page.(*staffPage)
	p.Form = map[string]string{"email": f("email"), "name": f("name"), "role": f("role")}
	h.render(w, r, web.StatusOf(err), "site_staff", v)
}

func (h *Handler) revokeSiteStaff(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := h.Sites.Site(ctx, r.PathValue("site"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	uid, _ := strconv.ParseInt(r.PostFormValue("user"), 10, 64)
	err = h.Staff.Revoke(ctx, staff.Grant{UserID: uid, SiteID: st.ID, Role: access.Role(r.PostFormValue("role"))})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/nhan-su?da-luu=1", http.StatusSeeOther)
}

type logPage struct {
	Site    *site.Site
	Entries []*auditlog.Entry
	Total   int
	Page    int
	Pages   int
	Verify  *auditlog.Result
	Sites   map[int64]*site.Site
}

const logPageSize = 50

func (h *Handler) logView(r *http.Request, st *site.Site) (*web.View, error) {
	q := web.FromRequest(r)
	page, _ := strconv.Atoi(r.URL.Query().Get("trang"))
	page = max(page, 1)
	f := auditlog.Filter{Limit: logPageSize, Offset: (page - 1) * logPageSize, AllSites: st == nil}
	if st != nil {
		f.SiteID = st.ID
	}
	if page > 10000 {
		return nil, fault.New(fault.NotFound, "error.not_found")
	}
	entries, total, err := h.Log.Entries(r.Context(), f)
	if err != nil {
		return nil, err
	}
	p := &logPage{Site: st, Entries: entries, Total: total, Page: page, Pages: (total + logPageSize - 1) / logPageSize, Sites: map[int64]*site.Site{}}
	for _, e := range entries {
		if s, ok := q.Dir.ByID(e.SiteID); ok {
			p.Sites[e.SiteID] = s
		}
	}
	title := q.T("log.title")
	if st != nil {
		title = q.T("log.title_site", st.Name)
	}
	return h.view(r, title, p), nil
}

func (h *Handler) siteLog(w http.ResponseWriter, r *http.Request) {
	st, err := h.Sites.Site(r.Context(), r.PathValue("site"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v, err := h.logView(r, st)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "log", v)
}

func (h *Handler) log(w http.ResponseWriter, r *http.Request) {
	v, err := h.logView(r, nil)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if r.URL.Query().Get("kiem-tra") != "" {
		res, err := h.Log.Verify(r.Context())
		if err != nil {
			h.Error(w, r, err)
			return
		}
		v.Page.(*logPage).Verify = &res
	}
	h.render(w, r, http.StatusOK, "log", v)
}

package admin

import (
	"net/http"
	"strconv"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/web"
)

// organisation edits the leaders (lãnh đạo) and the divisions of the org
// chart (cơ cấu tổ chức) that the organisation pages show.
func (p *Publishing) organisation(w http.ResponseWriter, r *http.Request) {
	p.organisationPage(w, r, http.StatusOK, &content.Leader{}, &content.OrgUnit{}, nil)
}

func (p *Publishing) organisationPage(w http.ResponseWriter, r *http.Request, status int, leader *content.Leader, org *content.OrgUnit, err error) {
	q := web.FromRequest(r)
	st := siteOf(r)
	leaders, lerr := p.content.Leaders(r.Context(), st.ID)
	if lerr != nil {
		p.Error(w, r, lerr)
		return
	}
	chart, oerr := p.content.OrgChart(r.Context(), st.ID)
	if oerr != nil {
		p.Error(w, r, oerr)
		return
	}
	var flat []*content.OrgUnit
	var walk func([]*content.OrgUnit)
	walk = func(us []*content.OrgUnit) {
		for _, u := range us {
			flat = append(flat, u)
			walk(u.Children)
		}
	}
	walk(chart)
	imgs, _, _ := p.media.List(r.Context(), media.Filter{SiteID: st.ID, Kind: media.Image, PerPage: 60})
	v := p.view(r, q.T("org.title"), map[string]any{"Site": st, "Leaders": leaders, "Units": flat, "Images": imgs,
		"Leader": leader, "Org": org, "CanEdit": q.Actor.Can(access.EditContent, st.ID)})
	if err != nil {
		v.Errors, v.Error = p.FieldErrors(r, err)
	} else if r.URL.Query().Get("da-luu") != "" {
		v.Flash = q.T("content.saved")
	}
	p.render(w, r, status, "organisation", v)
}

func (p *Publishing) saveLeader(w http.ResponseWriter, r *http.Request) {
	st := siteOf(r)
	f := r.PostFormValue
	l := &content.Leader{SiteID: st.ID, Name: f("name"), Title: f("title"), TitleEn: f("title_en"), Phone: f("phone"), Email: f("email"), Duties: f("duties")}
	l.ID, _ = strconv.ParseInt(f("id"), 10, 64)
	l.PhotoID, _ = strconv.ParseInt(f("photo"), 10, 64)
	l.Position, _ = strconv.Atoi(f("position"))
	if err := p.content.SaveLeader(r.Context(), l); err != nil {
		p.organisationPage(w, r, web.StatusOf(err), l, &content.OrgUnit{}, err)
		return
	}
	http.Redirect(w, r, base(st)+"/to-chuc?da-luu=1", http.StatusSeeOther)
}

func (p *Publishing) saveOrgUnit(w http.ResponseWriter, r *http.Request) {
	st := siteOf(r)
	f := r.PostFormValue
	o := &content.OrgUnit{SiteID: st.ID, Name: f("name"), NameEn: f("name_en"), Head: f("head"), Phone: f("phone")}
	o.ID, _ = strconv.ParseInt(f("id"), 10, 64)
	o.ParentID, _ = strconv.ParseInt(f("parent"), 10, 64)
	o.Position, _ = strconv.Atoi(f("position"))
	if err := p.content.SaveOrgUnit(r.Context(), o); err != nil {
		p.organisationPage(w, r, web.StatusOf(err), &content.Leader{}, o, err)
		return
	}
	http.Redirect(w, r, base(st)+"/to-chuc?da-luu=1", http.StatusSeeOther)
}

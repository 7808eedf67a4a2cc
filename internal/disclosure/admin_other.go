package disclosure

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/bulk"
	"github.com/congvn/cong/internal/consultation"
	"github.com/congvn/cong/internal/contactpoint"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/listing"
	"github.com/congvn/cong/internal/procedure"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/web"
)

type adminProceduresPage struct {
	helpers
	Site     *site.Site
	Items    []*procedure.Procedure
	Total    int
	Stats    []*procedure.Stat
	CanEdit  bool
	Report   []string
	Imported int
	Which    string // the form the report belongs to
}

func (h *Handler) proceduresView(r *http.Request, st *site.Site) (*adminProceduresPage, error) {
	q := web.FromRequest(r)
	p := &adminProceduresPage{Site: st, CanEdit: q.Actor.Can(access.EditDisclosure, st.ID)}
	var err error
	if p.Items, p.Total, err = h.Procedures.List(r.Context(), procedure.Query{SiteID: st.ID, Limit: 100}); err != nil {
		return nil, err
	}
	p.Stats, err = h.Procedures.Stats(r.Context(), st.ID)
	return p, err
}

func (h *Handler) adminProcedures(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	p, err := h.proceduresView(r, st)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v := &web.View{Req: q, Title: q.T("procedure.admin_title", st.Name), Page: p}
	if n := r.URL.Query().Get("da-nhap"); n != "" {
		v.Flash = q.T("bulk.imported", n)
	}
	h.render(w, r, http.StatusOK, "procedures", v)
}

func (h *Handler) importProcedures(w http.ResponseWriter, r *http.Request) {
	h.procedureImport(w, r, "procedures", h.Procedures.Import)
}

func (h *Handler) importStats(w http.ResponseWriter, r *http.Request) {
	h.procedureImport(w, r, "stats", h.Procedures.ImportStats)
}

func (h *Handler) procedureImport(w http.ResponseWriter, r *http.Request, which string, run func(ctx context.Context, siteID int64, rows []bulk.Row, bad []bulk.RowError, partial bool) (*bulk.Report, error)) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	rows, bad, err := importInput(r)
	var rep *bulk.Report
	if err == nil {
		rep, err = run(r.Context(), st.ID, rows, bad, r.PostFormValue("partial") != "")
	}
	if err == nil && !rep.Failed() {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/thu-tuc?da-nhap="+strconv.Itoa(rep.Imported), http.StatusSeeOther)
		return
	}
	p, verr := h.proceduresView(r, st)
	if verr != nil {
		h.Error(w, r, verr)
		return
	}
	p.Which = which
	v := &web.View{Req: q, Title: q.T("procedure.admin_title", st.Name), Page: p}
	status := http.StatusUnprocessableEntity
	if err != nil {
		v.Errors, v.Error = h.FieldErrors(r, err)
		status = web.StatusOf(err)
	} else {
		p.Report, p.Imported = rep.Messages(q.Lang), rep.Imported
		v.Error = q.T("bulk.failed", len(rep.Errors), rep.Imported)
		if rep.Imported > 0 {
			status = http.StatusOK
		}
	}
	h.render(w, r, status, "procedures", v)
}

type consultationForm struct {
	Title, Summary, Articles, OpensOn, ClosesOn string
}

type adminConsultationsPage struct {
	helpers
	Site    *site.Site
	Items   []*consultation.Consultation
	Today   string
	Form    consultationForm
	CanEdit bool
}

func (h *Handler) consultationsView(r *http.Request, st *site.Site) (*adminConsultationsPage, error) {
	q := web.FromRequest(r)
	items, err := h.Consultations.List(r.Context(), st.ID, false)
	return &adminConsultationsPage{Site: st, Items: items, Today: h.Consultations.Today(), CanEdit: q.Actor.Can(access.EditDisclosure, st.ID)}, err
}

func (h *Handler) adminConsultations(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	p, err := h.consultationsView(r, st)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "consultations", &web.View{Req: q, Title: q.T("consultation.admin_title", st.Name), Page: p})
}

func (h *Handler) createConsultation(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	f := r.PostFormValue
	fm := consultationForm{Title: f("title"), Summary: f("summary"), Articles: f("articles"), OpensOn: f("opens_on"), ClosesOn: f("closes_on")}
	c := &consultation.Consultation{SiteID: st.ID, Title: fm.Title, Summary: fm.Summary, Articles: strings.Split(strings.ReplaceAll(fm.Articles, "\r", ""), "\n")}
	var ok bool
	if c.OpensOn, ok = document.ParseDate(fm.OpensOn); !ok {
		c.OpensOn = fm.OpensOn
	}
	if c.ClosesOn, ok = document.ParseDate(fm.ClosesOn); !ok {
		c.ClosesOn = fm.ClosesOn
	}
	files, err := h.uploads(r)
	if err == nil {
		err = h.Consultations.Create(r.Context(), c)
	}
	if err == nil {
		for _, u := range files {
			if err = h.Consultations.Attach(r.Context(), c.ID, u.name, bytes.NewReader(u.body)); err != nil {
				break
			}
		}
	}
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/du-thao/"+strconv.FormatInt(c.ID, 10)+"?da-luu=1", http.StatusSeeOther)
		return
	}
	p, verr := h.consultationsView(r, st)
	if verr != nil {
		h.Error(w, r, verr)
		return
	}
	p.Form = fm
	v := &web.View{Req: q, Title: q.T("consultation.admin_title", st.Name), Page: p}
	v.Errors, v.Error = h.FieldErrors(r, err)
	h.render(w, r, web.StatusOf(err), "consultations", v)
}

type adminConsultationPage struct {
	helpers
	Site                    *site.Site
	C                       *consultation.Consultation
	Phase                   string
	Files                   []fileRow
	Comments                []*consultation.Comment
	CanPublish, CanModerate bool
	Result, Response        string
	PublicURL               string
}

func (h *Handler) consultationAdminView(r *http.Request, st *site.Site) (*adminConsultationPage, error) {
	q := web.FromRequest(r)
	c, err := h.Consultations.Get(r.Context(), pathID(r, "draft"))
	if err != nil {
		return nil, err
	}
	if c.SiteID != st.ID {
		return nil, fault.New(fault.NotFound, "consultation.not_found")
	}
	p := &adminConsultationPage{Site: st, C: c, Phase: c.PhaseOn(h.Consultations.Today()), CanPublish: q.Actor.Can(access.PublishDisclosure, st.ID),
		CanModerate: q.Actor.Can(access.ModerateComments, st.ID), Result: c.Result, Response: c.Response, PublicURL: q.SiteURL(st, c.Path())}
	p.Files, _ = fileRows(q, c.Files)
	if p.CanModerate {
		p.Comments, err = h.Consultations.Comments(r.Context(), c, "")
	}
	return p, err
}

func (h *Handler) adminConsultation(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p, err := h.consultationAdminView(r, h.siteOf(r))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v := &web.View{Req: q, Title: p.C.Title, Page: p}
	if r.URL.Query().Get("da-luu") != "" {
		v.Flash = q.T("document.saved")
	}
	h.render(w, r, http.StatusOK, "consultation", v)
}

// consultationAction runs one change on a consultation of the site and
// goes back to its page, or shows the page with the error.
func (h *Handler) consultationAction(w http.ResponseWriter, r *http.Request, act func(c *consultation.Consultation) error, keep func(p *adminConsultationPage)) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	p, err := h.consultationAdminView(r, st)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if err = act(p.C); err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/du-thao/"+strconv.FormatInt(p.C.ID, 10)+"?da-luu=1", http.StatusSeeOther)
		return
	}
	if keep != nil {
		keep(p)
	}
	v := &web.View{Req: q, Title: p.C.Title, Page: p}
	v.Errors, v.Error = h.FieldErrors(r, err)
	h.render(w, r, web.StatusOf(err), "consultation", v)
}

func (h *Handler) publishConsultation(w http.ResponseWriter, r *http.Request) {
	h.consultationAction(w, r, func(c *consultation.Consultation) error {
		return h.Consultations.SetPublished(r.Context(), c.ID, r.PostFormValue("publish") != "0")
	}, nil)
}

func (h *Handler) moderateComment(w http.ResponseWriter, r *http.Request) {
	h.consultationAction(w, r, func(c *consultation.Consultation) error {
		id := formID(r, "comment")
		for _, cm := range mustComments(h, r, c) {
			if cm.ID == id {
				return h.Consultations.Moderate(r.Context(), id, r.PostFormValue("approve") != "0")
			}
		}
		return fault.New(fault.NotFound, "consultation.comment_not_found")
	}, nil)
}

func mustComments(h *Handler, r *http.Request, c *consultation.Consultation) []*consultation.Comment {
	cms, _ := h.Consultations.Comments(r.Context(), c, "")
	return cms
}

func (h *Handler) consultationResult(w http.ResponseWriter, r *http.Request) {
	h.consultationAction(w, r, func(c *consultation.Consultation) error {
		return h.Consultations.PublishResult(r.Context(), c.ID, r.PostFormValue("result"), r.PostFormValue("response"))
	}, func(p *adminConsultationPage) {
		p.Result, p.Response = r.PostFormValue("result"), r.PostFormValue("response")
	})
}

type listingForm struct {
	Kind, Title, Summary, Number, Period, IssuedOn, Owner, Location, Amount, Stage string
}

type adminListingsPage struct {
	helpers
	Site                *site.Site
	Kinds               []listing.Kind
	Items               []*listing.Item
	Total               int
	Form                listingForm
	CanEdit, CanPublish bool
}

func (h *Handler) listingsView(r *http.Request, st *site.Site) (*adminListingsPage, error) {
	q := web.FromRequest(r)
	items, total, err := h.Listings.List(r.Context(), st.ID, "", false, 100, 0)
	return &adminListingsPage{Site: st, Kinds: listing.Kinds, Items: items, Total: total,
		CanEdit: q.Actor.Can(access.EditDisclosure, st.ID), CanPublish: q.Actor.Can(access.PublishDisclosure, st.ID)}, err
}

func (h *Handler) adminListings(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	p, err := h.listingsView(r, st)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v := &web.View{Req: q, Title: q.T("listing.admin_title", st.Name), Page: p}
	if r.URL.Query().Get("da-luu") != "" {
		v.Flash = q.T("document.saved")
	}
	h.render(w, r, http.StatusOK, "listings", v)
}

func (h *Handler) createListing(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	f := r.PostFormValue
	fm := listingForm{Kind: f("kind"), Title: f("title"), Summary: f("summary"), Number: f("number"), Period: f("period"), IssuedOn: f("issued_on"),
		Owner: f("owner"), Location: f("location"), Amount: f("amount"), Stage: f("stage")}
	it := &listing.Item{SiteID: st.ID, Kind: fm.Kind, Title: fm.Title, Summary: fm.Summary, Number: fm.Number, Period: fm.Period,
		Owner: fm.Owner, Location: fm.Location, Stage: fm.Stage, Published: f("publish") != ""}
	var ok bool
	if it.IssuedOn, ok = document.ParseDate(fm.IssuedOn); !ok {
		it.IssuedOn = fm.IssuedOn
	}
	var err error
	if a := strings.NewReplacer(".", "", ",", "", " ", "").Replace(fm.Amount); a != "" {
		if it.Amount, err = strconv.ParseInt(a, 10, 64); err != nil {
			err = fault.OnField("amount", "listing.amount_invalid")
		}
	}
	var files []upload
	if err == nil {
		files, err = h.uploads(r)
	}
	if err == nil {
		err = h.Listings.Create(r.Context(), it)
	}
	if err == nil {
		for _, u := range files {
			if err = h.Listings.Attach(r.Context(), it.ID, u.name, bytes.NewReader(u.body)); err != nil {
				break
			}
		}
	}
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/cong-khai?da-luu=1", http.StatusSeeOther)
		return
	}
	p, verr := h.listingsView(r, st)
	if verr != nil {
		h.Error(w, r, verr)
		return
	}
	p.Form = fm
	v := &web.View{Req: q, Title: q.T("listing.admin_title", st.Name), Page: p}
	v.Errors, v.Error = h.FieldErrors(r, err)
	h.render(w, r, web.StatusOf(err), "listings", v)
}

func (h *Handler) publishListing(w http.ResponseWriter, r *http.Request) {
	st := h.siteOf(r)
	id := pathID(r, "item")
	it, err := h.Listings.Get(r.Context(), id)
	if err == nil && it.SiteID != st.ID {
		err = fault.New(fault.NotFound, "listing.not_found")
	}
	if err == nil {
		err = h.Listings.SetPublished(r.Context(), id, r.PostFormValue("publish") != "0")
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/cong-khai?da-luu=1", http.StatusSeeOther)
}

type adminContactPointsPage struct {
	Site    *site.Site
	Points  []*contactpoint.Point
	CanEdit bool
	Roles   []string
}

const contactRows = 8

func (h *Handler) contactPointsView(r *http.Request, st *site.Site, ps []*contactpoint.Point) *adminContactPointsPage {
	q := web.FromRequest(r)
	for len(ps) < contactRows {
		ps = append(ps, &contactpoint.Point{Role: contactpoint.Contact})
	}
	return &adminContactPointsPage{Site: st, Points: ps, CanEdit: q.Actor.Can(access.EditSite, st.ID), Roles: []string{contactpoint.InfoOfficer, contactpoint.Contact}}
}

func (h *Handler) adminContactPoints(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	ps, err := h.ContactPoints.List(r.Context(), st.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v := &web.View{Req: q, Title: q.T("contactpoint.admin_title", st.Name), Page: h.contactPointsView(r, st, ps)}
	if r.URL.Query().Get("da-luu") != "" {
		v.Flash = q.T("document.saved")
	}
	h.render(w, r, http.StatusOK, "contact_points", v)
}

func (h *Handler) saveContactPoints(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.siteOf(r)
	var ps []*contactpoint.Point
	for i := 0; i < contactRows+len(r.PostForm["name"]); i++ {
		n := strconv.Itoa(i)
		f := r.PostFormValue
		if _, ok := r.PostForm["name_"+n]; !ok {
			continue
		}
		ps = append(ps, &contactpoint.Point{Role: f("role_" + n), Name: f("name_" + n), Title: f("title_" + n), TitleEn: f("title_en_" + n),
			Duty: f("duty_" + n), DutyEn: f("duty_en_" + n), Phone: f("phone_" + n), Email: f("email_" + n)})
	}
	err := h.ContactPoints.Save(r.Context(), st.ID, ps)
	if err == nil {
		http.Redirect(w, r, "/quan-tri/trang/"+st.Code+"/dau-moi?da-luu=1", http.StatusSeeOther)
		return
	}
	v := &web.View{Req: q, Title: q.T("contactpoint.admin_title", st.Name), Page: h.contactPointsView(r, st, ps)}
	v.Errors, v.Error = h.FieldErrors(r, err)
	h.render(w, r, web.StatusOf(err), "contact_points", v)
}

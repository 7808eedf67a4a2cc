package disclosure

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/congvn/cong/internal/consultation"
	"github.com/congvn/cong/internal/contactpoint"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/listing"
	"github.com/congvn/cong/internal/procedure"
	"github.com/congvn/cong/internal/rulepack"
	"github.com/congvn/cong/internal/web"
)

type proceduresPage struct {
	helpers
	Q      string
	Fields []option
	Levels []option
	Items  []*procedure.Procedure
	Total  int
	Pager  pager
}

const proceduresPerPage = 30

// procedures lists the site's administrative procedures, searchable by
// name or code and filtered by field and level of online service.
func (h *Handler) procedures(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	v := r.URL.Query()
	page := pageNumber(r)
	query := procedure.Query{SiteID: q.Site.ID, Text: v.Get("q"), Field: v.Get("linh-vuc"), Level: v.Get("muc-do"),
		Limit: proceduresPerPage, Offset: (page - 1) * proceduresPerPage}
	if !slices.Contains(procedure.Levels, query.Level) {
		query.Level = ""
	}
	items, total, err := h.Procedures.List(r.Context(), query)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	fields, err := h.Procedures.Fields(r.Context(), q.Site.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := proceduresPage{Q: query.Text, Items: items, Total: total, Pager: newPager(r, q, page, total, proceduresPerPage)}
	p.Q = v.Get("q")
	for _, f := range fields {
		p.Fields = append(p.Fields, option{Value: f, Label: f, Selected: f == query.Field})
	}
	for _, l := range procedure.Levels {
		p.Levels = append(p.Levels, option{Value: l, Label: q.T("procedure.level." + l), Selected: l == query.Level})
	}
	h.Page(w, r, "pages/procedures", &web.View{Title: q.T("procedure.title"), Page: p, NoIndex: len(v) > 0})
}

type procedurePage struct {
	helpers
	P *procedure.Procedure
}

func (h *Handler) procedure(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p, err := h.Procedures.Get(r.Context(), q.Site.ID, r.PathValue("code"))
	if err != nil {
		h.NotFound(w, r)
		return
	}
	h.Page(w, r, "pages/procedure", &web.View{Title: p.Name, Page: procedurePage{P: p}})
}

type statsPage struct {
	helpers
	Stats []*procedure.Stat
}

// Rate writes an on-time rate in percent.
func (statsPage) Rate(s *procedure.Stat) string {
	r := s.OnTimeRate()
	if r < 0 {
		return "—"
	}
	return formatPercent(r)
}

func formatPercent(r float64) string {
	n := int(r*10 + 0.5)
	return itoa(n/10) + "," + itoa(n%10) + " %"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func (h *Handler) procedureStats(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st, err := h.Procedures.Stats(r.Context(), q.Site.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.Page(w, r, "pages/procedure_stats", &web.View{Title: q.T("procedure.stats_title"), Page: statsPage{Stats: st}})
}

type consultationsPage struct {
	helpers
	Open, Closed, Upcoming []*consultation.Consultation
}

func (h *Handler) consultations(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	list, err := h.Consultations.List(r.Context(), q.Site.ID, true)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := consultationsPage{}
	today := h.Consultations.Today()
	for _, c := range list {
		switch c.PhaseOn(today) {
		case consultation.Open:
			p.Open = append(p.Open, c)
		case consultation.Closed:
			p.Closed = append(p.Closed, c)
		default:
			p.Upcoming = append(p.Upcoming, c)
		}
	}
	h.Page(w, r, "pages/consultations", &web.View{Title: q.T("consultation.title"), Page: p})
}

type consultationPage struct {
	helpers
	C        *consultation.Consultation
	Phase    string
	Files    []fileRow
	Comments []*consultation.Comment
	Form     consultation.NewComment
	Sent     bool
}

func (h *Handler) consultationView(r *http.Request) (*consultationPage, error) {
	q := web.FromRequest(r)
	id := pathID(r, "id")
	c, err := h.Consultations.Get(r.Context(), id)
	if err != nil || !c.Published || c.SiteID != q.Site.ID {
		return nil, fault.New(fault.NotFound, "consultation.not_found")
	}
	p := &consultationPage{C: c, Phase: c.PhaseOn(h.Consultations.Today())}
	p.Files, _ = fileRows(q, c.Files)
	p.Comments, err = h.Consultations.Comments(r.Context(), c, consultation.Approved)
	return p, err
}

func (h *Handler) consultation(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p, err := h.consultationView(r)
	if err != nil {
		if fault.Is(err, fault.NotFound) {
			h.NotFound(w, r)
			return
		}
		h.Error(w, r, err)
		return
	}
	p.Sent = r.URL.Query().Get("da-gui") != ""
	v := &web.View{Title: p.C.Title, Page: p}
	if p.Sent {
		v.Flash = q.T("consultation.sent")
	}
	h.Page(w, r, "pages/consultation", v)
}

// comment receives the public comment form.
func (h *Handler) comment(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	if !h.ParseForm(w, r) {
		return
	}
	p, err := h.consultationView(r)
	if err != nil {
		h.NotFound(w, r)
		return
	}
	f := r.PostFormValue
	in := consultation.NewComment{Name: f("name"), Contact: f("contact"), Article: f("article"), Body: f("body"), Addr: q.Addr}
	if f("website") != "" {
		// A field people never see: only robots fill it.
		http.Redirect(w, r, q.URL(p.C.Path())+"?da-gui=1", http.StatusSeeOther)
		return
	}
	_, err = h.Consultations.AddComment(r.Context(), p.C.ID, in)
	if err == nil {
		http.Redirect(w, r, q.URL(p.C.Path())+"?da-gui=1#gop-y", http.StatusSeeOther)
		return
	}
	p.Form = in
	v := &web.View{Title: p.C.Title, Page: p}
	v.Errors, v.Error = h.FieldErrors(r, err)
	status := web.StatusOf(err)
	var l fault.List
	if errors.As(err, &l) {
		status = http.StatusUnprocessableEntity
	}
	h.Render(w, r, status, "pages/consultation", v)
}

type listingPage struct {
	helpers
	Kind  *listing.Kind
	Items []*listing.Item
	Files map[int64][]fileRow
	Total int
	Pager pager
}

const listingPerPage = 20

// listing shows one kind of listing of the site: plans, investment
// projects, budget reports, statistics or science programmes.
func (h *Handler) listing(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	var kind *listing.Kind
	for i := range listing.Kinds {
		if listing.Kinds[i].Path == q.Path {
			kind = &listing.Kinds[i]
		}
	}
	if kind == nil {
		h.NotFound(w, r)
		return
	}
	page := pageNumber(r)
	items, total, err := h.Listings.List(r.Context(), q.Site.ID, kind.ID, true, listingPerPage, (page-1)*listingPerPage)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := listingPage{Kind: kind, Items: items, Total: total, Files: map[int64][]fileRow{}, Pager: newPager(r, q, page, total, listingPerPage)}
	for _, it := range items {
		p.Files[it.ID], _ = fileRows(q, it.Files)
	}
	h.Page(w, r, "pages/listing", &web.View{Title: q.T("listing.kind." + kind.ID), Page: p})
}

// disclosureRow is one line of the list of information to be disclosed.
type disclosureRow struct {
	Section   rulepack.Section
	Name      string
	URL       string
	Status    string // published, empty, elsewhere
	Count     int
	Updated   time.Time
	Available bool
}

type disclosureListPage struct {
	helpers
	Rows []disclosureRow
	Pack *rulepack.Pack
}

// disclosureList is "Danh mục thông tin phải được công khai": generated
// from the rule pack for the site's kind and from what the site actually
// publishes, with where, how, when and for how long.
func (h *Handler) disclosureList(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	pack := h.Compliance.Rules()
	kind := rulepack.KindOf(q.Site, q.Unit)
	facts, err := h.Compliance.SiteFacts(r.Context(), q.Site.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := disclosureListPage{Pack: pack}
	for _, sec := range pack.For(kind) {
		if sec.Check == "emc" || sec.Check == "disclosure_list" {
			continue
		}
		row := disclosureRow{Section: sec, Name: sectionName(&sec, q.Lang), Available: h.Compliance.Answers(sec.Check)}
		if sec.Path != "" && row.Available {
			row.URL = q.URL(sec.Path)
			if q.Lang != "vi" && len(sec.Path) > 3 && sec.Path[:4] == "/en/" {
				row.URL = q.Base + sec.Path
			}
		}
		for _, f := range facts {
			if f.Check == sec.Check {
				row.Count, row.Updated = f.Count, f.Updated
			}
		}
		p.Rows = append(p.Rows, row)
	}
	h.Page(w, r, "pages/disclosure_list", &web.View{Title: q.T("disclosure.list_title"), Page: p})
}

type contactPointsPage struct {
	helpers
	Officers []*contactpoint.Point
	Contacts []*contactpoint.Point
}

// contactPoints shows the contact-point officials and the official who
// receives information requests, in Vietnamese and English.
func (h *Handler) contactPoints(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	ps, err := h.ContactPoints.List(r.Context(), q.Site.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := contactPointsPage{}
	for _, x := range ps {
		if x.Role == contactpoint.InfoOfficer {
			p.Officers = append(p.Officers, x)
		} else {
			p.Contacts = append(p.Contacts, x)
		}
	}
	h.Page(w, r, "pages/contact_points", &web.View{Title: q.T("contactpoint.title"), Page: p})
}

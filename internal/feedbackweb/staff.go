package feedbackweb

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/vietnamese"
	"github.com/congvn/cong/internal/web"
)

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, v *web.View) {
	w.Header().Set("Cache-Control", "no-store")
	v.NoIndex = true
	h.Render(w, r, status, "admin/"+name, v)
}

func deskURL(code, path string) string { return "/quan-tri/phan-anh/" + code + path }

type desksPage struct {
	Sites []*site.Site
}

// desks lists the feedback desks the signed-in member of staff works at.
func (h *Handler) desks(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p := &desksPage{}
	for _, st := range q.Dir.Sites {
		if st.Status == site.Active && st.Kind == site.Portal && q.Actor.Can(access.ViewFeedback, st.ID) {
			if !q.Actor.Can(access.ViewFeedback, 0) || st.ID == q.Dir.City.ID {
				p.Sites = append(p.Sites, st)
			}
		}
	}
	if len(p.Sites) == 1 {
		http.Redirect(w, r, deskURL(p.Sites[0].Code, "/"), http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "feedback_desks", &web.View{Req: q, Title: q.T("feedback.desk_title"), Page: p})
}

// tab is one view of a desk's queue.
type tab struct {
	Key, Label, URL string
	Current         bool
}

var tabs = []string{"moi", "dang-xu-ly", "cho-bo-sung", "cho-duyet", "qua-han", "bao-cao-len", "da-tra-loi", "tat-ca"}

type queueRow struct {
	Code, Title, Kind, Status, Category, Received, Due, Unit, URL string
	Overdue, Verified, Escalated                                  bool
}

type queuePage struct {
	Site   *site.Site
	IsCity bool
	Tab    string
	Tabs   []tab
	Query  string
	Rows   []queueRow
	Total  int
	Pager  pager
}

func (h *Handler) deskSite(r *http.Request) *site.Site {
	st, _ := web.FromRequest(r).Dir.ByCode(r.PathValue("site"))
	return st
}

// queue is a desk's work: new items, those being handled, waiting,
// drafts to approve, overdue, reported from units below, answered.
func (h *Handler) queue(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.deskSite(r)
	p := &queuePage{Site: st, IsCity: q.Dir.City != nil && st.ID == q.Dir.City.ID, Tab: r.URL.Query().Get("xem"),
		Query: vietnamese.Clean(r.URL.Query().Get("q"))}
	if !slices.Contains(tabs, p.Tab) {
		p.Tab = "moi"
	}
	for _, k := range tabs {
		p.Tabs = append(p.Tabs, tab{Key: k, Label: q.T("feedback.tab." + k), URL: deskURL(st.Code, "/?xem="+k), Current: k == p.Tab})
	}
	page := pageOf(r)
	f := feedback.Filter{SiteID: st.ID, Order: "due", Query: p.Query, Limit: PageSize, Offset: (page - 1) * PageSize, Now: q.Now}
	switch p.Tab {
	case "moi":
		f.Statuses = []feedback.Status{feedback.Received}
	case "dang-xu-ly":
		f.Statuses = []feedback.Status{feedback.Assigned}
	case "cho-bo-sung":
		f.Statuses = []feedback.Status{feedback.Waiting}
	case "cho-duyet":
		f.Statuses = []feedback.Status{feedback.Drafted}
		if p.IsCity {
			f.SiteID = 0 // the city's editorial board approves every unit's answers
		}
	case "qua-han":
		f.Overdue = true
		if p.IsCity {
			f.SiteID = 0
		}
	case "bao-cao-len":
		f.SiteID, f.EscalatedTo = 0, st.ID
	case "da-tra-loi":
		f.Statuses = []feedback.Status{feedback.Answered, feedback.Published}
		f.Order = "received"
	case "tat-ca":
		f.Order = "received"
		if p.IsCity {
			f.SiteID = 0
		}
	}
	items, total, err := h.svc.Queue(r.Context(), f)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	for _, it := range items {
		row := queueRow{Code: it.Code, Title: it.Title, Kind: q.T("feedback.kind." + string(it.Kind)),
			Status: q.T("feedback.status." + string(it.Status)), Category: h.svc.Policy.CategoryName(it.Category, q.Lang),
			Received: q.DateTime(it.ReceivedAt), Due: q.DateTime(it.DueAt), URL: deskURL(st.Code, "/muc?ma="+url.QueryEscape(it.Code)),
			Overdue: it.Status.Open() && it.Status != feedback.Waiting && q.Now.After(it.DueAt), Verified: it.Verified,
			Escalated: it.EscalationLevel > 0}
		if s, ok := q.Dir.ByID(it.SiteID); ok {
			row.Unit = s.Name
		}
		p.Rows = append(p.Rows, row)
	}
	p.Total = total
	base := url.Values{"xem": {p.Tab}}
	if p.Query != "" {
		base.Set("q", p.Query)
	}
	p.Pager = makeStaffPager(deskURL(st.Code, "/"), base, page, total)
	h.render(w, r, http.StatusOK, "feedback_queue", &web.View{Req: q, Title: q.T("feedback.desk_of", st.Name), Page: p})
}

func makeStaffPager(path string, base url.Values, page, total int) pager {
	p := pager{Page: page, Pages: (total + PageSize - 1) / PageSize}
	link := func(n int) string {
		v := url.Values{}
		for k, x := range base {
			v[k] = x
		}
		v.Set("trang", strconv.Itoa(n))
		return path + "?" + v.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}

// staffStep is one line of the whole timeline, internal steps included.
type staffStep struct {
	At, Actor, Text, Note string
	Public                bool
}

// group is a set of units in the assignment list.
type group struct {
	Label   string
	Options []option
}

type deskItemPage struct {
	Desk       *site.Site
	Item       *feedback.Item
	Steps      []staffStep
	Status     string
	Category   string
	Origin     string
	Unit       string
	Escalated  string
	Received   string
	Due        string
	Overdue    bool
	CanHandle  bool
	CanApprove bool
	Groups     []group
	Suggest    option
	SuggestWhy string
	Findings   []feedback.Finding
	Pub        feedback.Publication
	Form       map[string]string
	Procs      string
	Docs       string
	Open       bool
}

// itemView builds the staff page of an item.
func (h *Handler) itemView(r *http.Request, code string) (*web.View, error) {
	q := web.FromRequest(r)
	it, evs, err := h.svc.Item(r.Context(), code)
	if err != nil {
		return nil, err
	}
	desk := h.deskSite(r)
	name := func(id int64) string {
		if st, ok := q.Dir.ByID(id); ok {
			return st.Name
		}
		return ""
	}
	p := &deskItemPage{Desk: desk, Item: it, Form: map[string]string{},
		Status: q.T("feedback.status." + string(it.Status)), Category: h.svc.Policy.CategoryName(it.Category, q.Lang),
		Origin: name(it.OriginSiteID), Unit: name(it.SiteID), Escalated: name(it.EscalatedSiteID),
		Received: q.DateTime(it.ReceivedAt), Due: q.DateTime(it.DueAt), Open: it.Status.Open(),
		Overdue:    it.Status.Open() && it.Status != feedback.Waiting && q.Now.After(it.DueAt),
		CanHandle:  q.Actor.Can(access.HandleFeedback, it.SiteID) || it.EscalatedSiteID != 0 && q.Actor.Can(access.HandleFeedback, it.EscalatedSiteID),
		CanApprove: q.Actor.Can(access.ApproveFeedback, it.SiteID) || q.Dir.City != nil && q.Actor.Can(access.ApproveFeedback, q.Dir.City.ID),
	}
	for _, e := range evs {
		s := staffStep{At: q.DateTime(e.At), Actor: e.Actor, Public: e.Public,
			Text: q.T("feedback.event."+e.Type, name(e.SiteID), name(e.ToSiteID)), Note: e.Text}
		p.Steps = append(p.Steps, s)
	}
	p.Pub = feedback.Publication{PublicTitle: it.PublicTitle, PublicBody: it.PublicBody, PublicPlace: it.PublicPlace, Answer: it.Answer, Publish: true}
	p.Findings = feedback.Review(it, p.Pub)
	for _, ref := range it.Refs {
		line := ref.Title
		if ref.Registered() {
			line = ref.Ref // resolved again when saved
		} else if ref.URL != "" {
			line += " | " + ref.URL
		}
		if ref.Kind == "procedure" {
			p.Procs += line + "\n"
		} else {
			p.Docs += line + "\n"
		}
	}
	if p.CanHandle && (it.Status == feedback.Received || it.Status == feedback.Assigned) {
		h.unitChoices(r, p)
	}
	return &web.View{Req: q, Title: it.Code, Page: p}, nil
}

// unitChoices fills the assignment list with every active portal, grouped
// by kind, and the suggested unit first.
func (h *Handler) unitChoices(r *http.Request, p *deskItemPage) {
	q := web.FromRequest(r)
	var units []feedback.Unit
	var origin *feedback.Unit
	groups := map[site.UnitKind]*group{}
	for _, st := range q.Dir.Sites {
		if st.Status != site.Active || st.Kind != site.Portal {
			continue
		}
		u, ok := q.Dir.Unit(st.UnitID)
		if !ok {
			continue
		}
		fu := feedback.Unit{SiteID: st.ID, SiteCode: st.Code, Name: u.Name, Local: u.Kind == site.Ward || u.Kind == site.Commune}
		units = append(units, fu)
		if st.ID == p.Item.OriginSiteID && (q.Dir.City == nil || st.ID != q.Dir.City.ID) {
			o := fu
			origin = &o
		}
		g := groups[u.Kind]
		if g == nil {
			g = &group{Label: q.T("unitkind." + string(u.Kind) + ".plural")}
			groups[u.Kind] = g
		}
		g.Options = append(g.Options, option{strconv.FormatInt(st.ID, 10), st.Name})
	}
	for _, k := range site.UnitKinds {
		if g := groups[k]; g != nil {
			p.Groups = append(p.Groups, *g)
		}
	}
	if u, why, ok := h.svc.Policy.Suggest(p.Item, origin, units); ok {
		p.Suggest = option{strconv.FormatInt(u.SiteID, 10), u.Name}
		p.SuggestWhy = q.T("feedback.suggest." + why)
	}
}

func (h *Handler) item(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	v, err := h.itemView(r, r.URL.Query().Get("ma"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if done := r.URL.Query().Get("da"); done != "" {
		v.Flash = q.T("feedback.done." + strings.Trim(done, "./"))
	}
	h.render(w, r, http.StatusOK, "feedback_item", v)
}

func (h *Handler) file(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("id"), 10, 64)
	f, err := h.svc.File(r.Context(), r.URL.Query().Get("ma"), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", f.Type)
	w.Header().Set("Content-Disposition", `attachment; filename="`+url.PathEscape(f.Name)+`"; filename*=UTF-8''`+url.PathEscape(f.Name))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Write(f.Data)
}

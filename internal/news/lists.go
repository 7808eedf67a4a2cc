package news

import (
	"net/http"
	"time"

	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/web"
)

// perPage is the length of a public list.
const perPage = 15

// listPage is what the list template shows.
type listPage struct {
	Heading     string
	Intro       string
	Items       []*content.Listed
	Pager       Pager
	Categories  []*content.Category // the site's top categories, for navigation
	Current     *content.Category
	Subs        []*content.Category
	Kinds       []kindLink
	AtomURL     string
	RSSURL      string
	Empty       string
	ShowCatLink bool
}

type kindLink struct {
	Label   string
	URL     string
	Current bool
}

// list renders a list of published items.
func (h *Handler) list(w http.ResponseWriter, r *http.Request, path string, lq content.ListQuery, p *listPage, tags ...string) {
	q := web.FromRequest(r)
	pg, canon, ok := page(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	lq.SiteID, lq.Lang, lq.Page, lq.PerPage = q.Site.ID, q.Lang, pg, perPage
	items, total, err := h.content.List(r.Context(), lq)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if pg > 1 && len(items) == 0 {
		h.notFound(w, r)
		return
	}
	p.Items, p.Pager = items, pager(q, path, pg, total, perPage)
	if p.Empty == "" {
		p.Empty = q.T("news.empty")
	}
	q.Cache(canon, append(tags, "list:"+itoa(q.Site.ID))...)
	title := p.Heading
	if pg > 1 {
		title = q.T("news.page_title", p.Heading, pg)
	}
	h.Page(w, r, "pages/news", &web.View{Title: title, Page: p})
}

func (h *Handler) topCategories(r *http.Request) []*content.Category {
	var out []*content.Category
	for _, c := range h.categories(r.Context(), web.FromRequest(r)) {
		if c.ParentID == 0 {
			out = append(out, c)
		}
	}
	return out
}

func (h *Handler) newsIndex(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p := &listPage{Heading: q.T("news.title"), Categories: h.topCategories(r), ShowCatLink: true,
		AtomURL: q.URL("/feed.atom"), RSSURL: q.URL("/rss.xml")}
	h.list(w, r, "/tin-tuc", content.ListQuery{Kinds: []content.Kind{content.KindArticle, content.KindLongform}}, p)
}

func (h *Handler) category(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	cats := h.categories(r.Context(), q)
	c, ids := content.CategoryIn(cats, r.PathValue("slug"))
	if c == nil {
		h.notFound(w, r)
		return
	}
	p := &listPage{Heading: c.DisplayName(q.Lang), Intro: c.Description, Current: c, Categories: h.topCategories(r),
		AtomURL: q.URL("/chuyen-muc/" + c.Slug + "/feed.atom"), RSSURL: q.URL("/chuyen-muc/" + c.Slug + "/rss.xml")}
	for _, x := range cats {
		if x.ParentID == c.ID {
			p.Subs = append(p.Subs, x)
		}
	}
	tags := []string{}
	for _, id := range ids {
		tags = append(tags, "cat:"+itoa(id))
	}
	h.list(w, r, "/chuyen-muc/"+c.Slug, content.ListQuery{CategoryIDs: ids}, p, tags...)
}

// multimediaKinds are the kinds the multimedia page lists, with their
// query values.
var multimediaKinds = []struct {
	param string
	kind  content.Kind
}{{"anh", content.KindGallery}, {"video", content.KindVideo}, {"audio", content.KindAudio}, {"infographic", content.KindInfographic}, {"emagazine", content.KindLongform}}

func (h *Handler) multimedia(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p := &listPage{Heading: q.T("menu.multimedia"), ShowCatLink: false}
	lq := content.ListQuery{}
	want := r.URL.Query().Get("loai")
	p.Kinds = append(p.Kinds, kindLink{Label: q.T("multimedia.all"), URL: q.URL("/da-phuong-tien"), Current: want == ""})
	for _, k := range multimediaKinds {
		lq.Kinds = append(lq.Kinds, k.kind)
		p.Kinds = append(p.Kinds, kindLink{Label: q.T("kind." + string(k.kind)), URL: q.URL("/da-phuong-tien") + "?loai=" + k.param, Current: want == k.param})
	}
	if want != "" {
		lq.Kinds = nil
		for _, k := range multimediaKinds {
			if k.param == want {
				lq.Kinds = []content.Kind{k.kind}
			}
		}
		if lq.Kinds == nil {
			h.notFound(w, r)
			return
		}
	}
	pg, _, ok := page(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	lq.SiteID, lq.Lang, lq.Page, lq.PerPage = q.Site.ID, q.Lang, pg, perPage
	items, total, err := h.content.List(r.Context(), lq)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	base := "/da-phuong-tien"
	if want != "" {
		base += "?loai=" + want
	}
	p.Items, p.Pager = items, pager(q, base, pg, total, perPage)
	p.Empty = q.T("multimedia.empty")
	// The first page of each filter is cached; further pages of a filtered
	// list (two query parameters) are rendered each time.
	canon := ""
	if want != "" {
		canon = "loai=" + want
	}
	if pg == 1 {
		q.Cache(canon, "list:"+itoa(q.Site.ID))
	}
	h.Page(w, r, "pages/news", &web.View{Title: p.Heading, Page: p})
}

// pagesIndex lists the organisation's pages (giới thiệu).
func (h *Handler) pagesIndex(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	items, _, err := h.content.List(r.Context(), content.ListQuery{SiteID: q.Site.ID, Lang: q.Lang, Kinds: []content.Kind{content.KindPage}, PerPage: 100})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	q.Cache("", "pages:"+itoa(q.Site.ID))
	h.Page(w, r, "pages/pages", &web.View{Title: q.T("menu.about"), Page: items})
}

// schedulePage is the week of the leaders' work schedule.
type schedulePage struct {
	Monday     time.Time
	Days       []scheduleDay
	Prev, Next string
	ThisWeek   string
	Empty      bool
}

type scheduleDay struct {
	Date  time.Time
	Label string
	Items []*content.Appointment
	Today bool
}

func (h *Handler) schedule(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	now := q.Now.In(web.VietnamTime())
	day := now
	canon := ""
	if v := r.URL.Query().Get("tuan"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, web.VietnamTime())
		if err != nil || t.Year() < 2000 || t.Year() > 2100 {
			h.notFound(w, r)
			return
		}
		day, canon = t, "tuan="+v
	}
	monday, items, err := h.content.Week(r.Context(), q.Site.ID, day)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := schedulePage{Monday: monday, Empty: len(items) == 0,
		Prev:     q.URL("/lich-cong-tac") + "?tuan=" + monday.AddDate(0, 0, -7).Format(time.DateOnly),
		Next:     q.URL("/lich-cong-tac") + "?tuan=" + monday.AddDate(0, 0, 7).Format(time.DateOnly),
		ThisWeek: q.URL("/lich-cong-tac")}
	for i := range 7 {
		d := monday.AddDate(0, 0, i)
		sd := scheduleDay{Date: d, Label: q.T("weekday."+itoa(int64(d.Weekday()))) + ", " + d.Format("02/01/2006"),
			Today: d.Format(time.DateOnly) == now.Format(time.DateOnly)}
		for _, a := range items {
			if a.Day == d.Format(time.DateOnly) {
				sd.Items = append(sd.Items, a)
			}
		}
		p.Days = append(p.Days, sd)
	}
	if canon == "" || canon == "tuan="+r.URL.Query().Get("tuan") {
		q.Cache(canon, "path:"+itoa(q.Site.ID)+":/lich-cong-tac")
	}
	h.Page(w, r, "pages/schedule", &web.View{Title: q.T("menu.schedule"), Page: p})
}

func (h *Handler) links(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	ls, err := h.content.Links(r.Context(), q.Site.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	q.Cache("", "path:"+itoa(q.Site.ID)+":/lien-ket-website")
	h.Page(w, r, "pages/links", &web.View{Title: q.T("links.title"), Page: ls})
}

// homeNews gives the home page its latest items and the links to other
// portals, and makes the home page cacheable.
func (h *Handler) homeNews(r *http.Request) any {
	q := web.FromRequest(r)
	sid := itoa(q.Site.ID)
	q.Cache("", "home:"+sid, "list:"+sid, "path:"+sid+":/lien-ket-website")
	items, _, err := h.content.List(r.Context(), content.ListQuery{SiteID: q.Site.ID, Lang: q.Lang, PerPage: 7})
	if err != nil {
		h.Logger.Error("home news", "err", err)
		return nil
	}
	links, _ := h.content.Links(r.Context(), q.Site.ID)
	if len(items) == 0 && len(links) == 0 {
		return nil
	}
	return map[string]any{"Items": items, "Links": links}
}

package searchweb

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/web"
)

type hitView struct {
	URL      string
	Title    template.HTML
	Snippet  template.HTML
	Kind     string
	SiteName string
	Date     string
	Category string
}

type facetItem struct {
	Label   string
	Count   string
	URL     string
	Current bool
}

type facetGroup struct {
	Label    string
	Items    []facetItem
	ClearURL string // when a value of this facet is chosen
}

type pager struct {
	Page, Pages int
	Prev, Next  string
}

type pageView struct {
	Query      string
	Message    string
	Problem    string
	Count      string
	Hits       []hitView
	Facets     []facetGroup
	ByDate     bool
	Relevance  string // link to sort by relevance
	Newest     string // link to sort by date
	DidYouMean string
	DidYouURL  string
	ThisSite   string // link limiting the search to the current site
	AllSites   string // link widening it to every site
	ScopeName  string
	Pager      pager
	Approx     bool
}

func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	req := parse(q, r.URL.Query())
	if q.Lang == "vi" {
		// Vietnamese pages show Vietnamese content; other languages show
		// everything (most content exists in Vietnamese only).
		req.Lang = "vi"
	}
	p := pageView{Query: req.Text}
	if req.Problem != "" {
		p.Problem = q.T(req.Problem)
	}
	res, err := h.Search.Search(r.Context(), req.Params)
	if err != nil {
		h.failed(r, err)
		p.Message = q.T("search.failed")
		h.Page(w, r, "pages/search", &web.View{Title: q.T("search.title"), Page: p, NoIndex: true})
		return
	}
	p.Query = res.Query.Text
	switch {
	case res.Query.Notice == "search.too_long":
		p.Message = q.T("search.too_long", search.MaxQuery)
	case res.Query.Notice == "search.too_many_words":
		p.Message = q.T("search.too_many_words", search.MaxClauses)
	case res.Query.Notice != "":
		p.Message = q.T(res.Query.Notice)
	}
	if !res.Query.Empty() {
		h.fill(q, &req, res, &p)
	}
	title := q.T("search.title")
	if p.Query != "" {
		title = q.T("search.title_for", p.Query)
	}
	h.Page(w, r, "pages/search", &web.View{Title: title, Page: p, NoIndex: true})
}

func (h *Handler) fill(q *web.Req, req *request, res *search.Results, p *pageView) {
	p.ByDate, p.Approx = req.ByDate, res.Approx
	p.Relevance, p.Newest = req.link(q, "sort", ""), req.link(q, "sort", "date")
	switch {
	case res.Total == 0:
		p.Count = q.T("search.nothing", res.Query.Text)
	case res.Approx:
		p.Count = q.T("search.found_about", q.Number(int64(res.Total)))
	default:
		p.Count = q.T("search.found_n", q.Number(int64(res.Total)))
	}
	if res.DidYouMean != "" {
		p.DidYouMean = res.DidYouMean
		p.DidYouURL = req.link(q, "q", res.DidYouMean)
	}
	if req.Site != nil {
		p.ScopeName = req.Site.DisplayName(q.Lang)
		p.AllSites = req.link(q, "site", "")
	} else if q.Site != nil && q.Dir.City != nil && q.Site.ID != q.Dir.City.ID {
		p.ThisSite = req.link(q, "site", q.Site.Code)
		p.ScopeName = q.Site.DisplayName(q.Lang)
	}
	for i := range res.Hits {
		hit := &res.Hits[i]
		v := hitView{URL: hitURL(q, hit), Title: marked(hit.TitleParts), Snippet: marked(hit.Snippet),
			Kind: q.T("search.kind." + string(hit.Kind)), Category: hit.Category}
		if st, ok := q.Dir.ByID(hit.SiteID); ok {
			v.SiteName = st.DisplayName(q.Lang)
		}
		if hit.Kind != search.KindSite && !hit.Published.IsZero() {
			v.Date = q.DateTime(hit.Published)
		}
		p.Hits = append(p.Hits, v)
	}
	count := func(n int) string {
		if res.Approx {
			return "~" + q.Number(int64(n))
		}
		return q.Number(int64(n))
	}
	group := func(label, param, current string, fs []search.Facet, name func(string) string) {
		g := facetGroup{Label: q.T(label)}
		if current != "" {
			g.ClearURL = req.link(q, param, "")
		}
		for _, f := range fs {
			n := name(f.Value)
			if n == "" {
				continue
			}
			g.Items = append(g.Items, facetItem{Label: n, Count: count(f.Count), URL: req.link(q, param, f.Value), Current: f.Value == current})
		}
		if len(g.Items) > 0 {
			p.Facets = append(p.Facets, g)
		}
	}
	group("search.facet.type", "type", string(req.Kind), res.Facets.Kinds, func(v string) string { return q.T("search.kind." + v) })
	siteCode := ""
	if req.Site != nil {
		siteCode = req.Site.Code
	}
	var sites []search.Facet
	for _, f := range res.Facets.Sites {
		id, _ := strconv.ParseInt(f.Value, 10, 64)
		if st, ok := q.Dir.ByID(id); ok {
			sites = append(sites, search.Facet{Value: st.Code, Count: f.Count})
		}
	}
	group("search.facet.site", "site", siteCode, sites, func(v string) string {
		if st, ok := q.Dir.ByCode(v); ok {
			return st.DisplayName(q.Lang)
		}
		return ""
	})
	group("search.facet.category", "category", req.Category, res.Facets.Categories, func(v string) string { return v })
	year := ""
	if req.Year != 0 {
		year = strconv.Itoa(req.Year)
	}
	group("search.facet.year", "year", year, res.Facets.Years, func(v string) string { return v })
	p.Pager = pager{Page: res.Page, Pages: max(res.Pages, 1)}
	if res.Page > 1 {
		p.Pager.Prev = req.link(q, "page", strconv.Itoa(res.Page-1))
	}
	if res.Page < res.Pages {
		p.Pager.Next = req.link(q, "page", strconv.Itoa(res.Page+1))
	}
}

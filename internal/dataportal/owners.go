package dataportal

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/vietnamese"
	"github.com/congvn/cong/internal/web"
)

// The pages of the organisations (units that publish data) and of the
// groups (themes): a list of each with how many datasets they have, and a
// page each with its datasets, as CKAN has at /organization/ and /group/.

type ownerItem struct {
	Title       string
	URL         string
	Description string
	Count       int
}

type ownerList struct {
	Kind  string // "organization" or "group"
	Items []ownerItem
}

type ownerPage struct {
	Kind        string
	Title       string
	Description string
	Portal      string // the organisation's portal
	SearchURL   string // the search, filtered to this owner, with its facets
	Count       int
	Datasets    []datasetCard
	Page        int
	Pages       int
	PrevURL     string
	NextURL     string
	ListURL     string
}

func (h *Handler) orgListPage(w http.ResponseWriter, r *http.Request) {
	h.ownerList(w, r, "organization")
}

func (h *Handler) groupListPage(w http.ResponseWriter, r *http.Request) {
	h.ownerList(w, r, "groups")
}

func (h *Handler) ownerList(w http.ResponseWriter, r *http.Request, field string) {
	q := web.FromRequest(r)
	v, err := h.view(r.Context(), q)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	res, err := h.Data.Search(r.Context(), v.orgs, opendata.SearchQuery{FacetFields: []string{field}, FacetLimit: -1})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	counts := map[string]int{}
	for _, it := range res.Facets[field] {
		counts[it.Name] = it.Count
	}
	p := ownerList{Kind: field}
	title := q.T("data.orgs_title")
	if field == "organization" {
		for _, o := range v.orgs.All() {
			if n := counts[o.Name]; n > 0 {
				p.Items = append(p.Items, ownerItem{Title: o.DisplayTitle(q.Lang), URL: q.URL("/to-chuc/" + o.Name), Count: n})
			}
		}
	} else {
		title = q.T("data.groups_title")
		gs, err := h.Data.Groups(r.Context())
		if err != nil {
			h.Error(w, r, err)
			return
		}
		for _, g := range gs {
			p.Items = append(p.Items, ownerItem{Title: g.DisplayTitle(q.Lang), URL: q.URL("/chu-de/" + g.Name), Description: summary(g.Description, 200), Count: counts[g.Name]})
		}
	}
	slices.SortStableFunc(p.Items, func(a, b ownerItem) int { return vietnamese.Compare(a.Title, b.Title) })
	h.Page(w, r, "pages/data_owners", &web.View{Title: title, Page: p})
}

func (h *Handler) orgPage(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	v, err := h.view(r.Context(), q)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	o, ok := v.orgs.Find(r.PathValue("name"))
	if !ok {
		h.Error(w, r, fault.New(fault.NotFound, "data.org_not_found", r.PathValue("name")))
		return
	}
	if o.Name != r.PathValue("name") {
		http.Redirect(w, r, q.URL("/to-chuc/"+o.Name), http.StatusMovedPermanently)
		return
	}
	p := ownerPage{Kind: "organization", Title: o.DisplayTitle(q.Lang), ListURL: q.URL("/to-chuc")}
	if o.Portal != nil {
		p.Portal = q.SiteURL(o.Portal, "/")
	}
	h.ownerDatasets(w, r, v, &p, "organization", o.Name, "/to-chuc/"+o.Name)
}

func (h *Handler) groupPage(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	v, err := h.view(r.Context(), q)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	g := v.groups[r.PathValue("name")]
	if g == nil {
		h.Error(w, r, fault.New(fault.NotFound, "data.group_not_found", r.PathValue("name")))
		return
	}
	if g.Name != r.PathValue("name") {
		http.Redirect(w, r, q.URL("/chu-de/"+g.Name), http.StatusMovedPermanently)
		return
	}
	p := ownerPage{Kind: "groups", Title: g.DisplayTitle(q.Lang), Description: g.Description, ListURL: q.URL("/chu-de")}
	h.ownerDatasets(w, r, v, &p, "groups", g.Name, "/chu-de/"+g.Name)
}

// ownerDatasets lists an owner's datasets, newest first, a page at a time.
func (h *Handler) ownerDatasets(w http.ResponseWriter, r *http.Request, v *view, p *ownerPage, field, name, path string) {
	q := web.FromRequest(r)
	page, _ := strconv.Atoi(r.URL.Query().Get("trang"))
	page = max(page, 1)
	res, err := h.Data.Search(r.Context(), v.orgs, opendata.SearchQuery{Filters: map[string][]string{field: {name}},
		Sort: "metadata_modified desc", Rows: pageSize, Start: (page - 1) * pageSize})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p.Count, p.Page = res.Count, page
	p.Pages = max(1, (res.Count+pageSize-1)/pageSize)
	if page > p.Pages {
		h.Error(w, r, fault.New(fault.NotFound, "data.page_too_high"))
		return
	}
	if page > 1 {
		p.PrevURL = q.URL(path) + "?trang=" + strconv.Itoa(page-1)
	}
	if page < p.Pages {
		p.NextURL = q.URL(path) + "?trang=" + strconv.Itoa(page+1)
	}
	p.SearchURL = q.URL("/du-lieu") + "?" + url.Values{field: {name}}.Encode()
	for _, d := range res.Results {
		p.Datasets = append(p.Datasets, h.card(q, v, d))
	}
	view := &web.View{Title: p.Title, Page: p, NoIndex: page > 1}
	h.Page(w, r, "pages/data_owner", view)
}

// card is a dataset as the lists show it.
func (h *Handler) card(q *web.Req, v *view, d *opendata.Dataset) datasetCard {
	c := datasetCard{D: d, URL: q.URL("/du-lieu/" + d.Name), Summary: summary(d.Notes, 240)}
	if o, ok := v.orgs.OfSite(d.SiteID); ok {
		c.Org = o.DisplayTitle(q.Lang)
	}
	for _, r := range d.Resources {
		if r.Format != "" && !slices.Contains(c.Formats, r.Format) {
			c.Formats = append(c.Formats, r.Format)
		}
	}
	return c
}

// ownerAlias serves CKAN's addresses of the lists and pages
// (/organization/NAME, /group/NAME) by sending to ours.
func (h *Handler) ownerAlias(to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := web.FromRequest(r)
		path := to
		if name := r.PathValue("name"); name != "" {
			path += "/" + url.PathEscape(name)
		}
		http.Redirect(w, r, q.URL(path), http.StatusMovedPermanently)
	}
}

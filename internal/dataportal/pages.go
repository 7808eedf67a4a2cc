package dataportal

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/i18n"
	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/vietnamese"
	"github.com/congvn/cong/internal/web"
)

// pageSize is how many datasets a search page lists.
const pageSize = 20

// facetParams maps the search page's facet parameters (CKAN's names) to
// their headings.
var facetParams = []struct{ field, key string }{
	{"organization", "data.facet_organization"}, {"groups", "data.facet_groups"}, {"tags", "data.facet_tags"},
	{"res_format", "data.facet_format"}, {"license_id", "data.facet_license"},
}

type facetLink struct {
	Label  string
	Count  int
	URL    string
	Active bool
}

type facetBlock struct {
	Field string
	Title string
	Items []facetLink
}

type activeFilter struct {
	Label     string
	RemoveURL string
	PageURL   string // the organisation's or group's page
}

type datasetCard struct {
	D       *opendata.Dataset
	URL     string
	Org     string
	Formats []string
	Summary string
}

type searchPage struct {
	Query    string
	Sort     string
	Count    int
	Datasets []datasetCard
	Facets   []facetBlock
	Active   []activeFilter
	Page     int
	Pages    int
	PrevURL  string
	NextURL  string
	Sorts    []sortChoice
	Message  string
}

type sortChoice struct {
	Value, Label string
	Selected     bool
}

// withParam returns the search page's URL with one parameter changed (""
// removes it), back on the first page.
func withParam(q *web.Req, base url.Values, key, value string, add bool) string {
	v := url.Values{}
	for k, vs := range base {
		v[k] = slices.Clone(vs)
	}
	v.Del("trang")
	switch {
	case add:
		v.Add(key, value)
	case value == "":
		v.Del(key)
	default:
		v[key] = slices.DeleteFunc(v[key], func(s string) bool { return s == value })
	}
	if enc := v.Encode(); enc != "" {
		return q.URL("/du-lieu") + "?" + enc
	}
	return q.URL("/du-lieu")
}

func (h *Handler) searchPage(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	params := r.URL.Query()
	p := searchPage{Query: vietnamese.Clean(params.Get("q")), Sort: params.Get("sort")}
	if utf8.RuneCountInString(p.Query) > web.MaxQuery {
		p.Query = string([]rune(p.Query)[:web.MaxQuery])
		p.Message = q.T("search.too_long", web.MaxQuery)
	}
	sorts := map[string]string{"": "data.sort_relevance", "metadata_modified desc": "data.sort_modified", "title_string asc": "data.sort_title", "metadata_created desc": "data.sort_created"}
	if _, ok := sorts[p.Sort]; !ok {
		p.Sort = ""
	}
	for _, v := range []string{"", "metadata_modified desc", "metadata_created desc", "title_string asc"} {
		p.Sorts = append(p.Sorts, sortChoice{Value: v, Label: q.T(sorts[v]), Selected: v == p.Sort})
	}
	page, _ := strconv.Atoi(params.Get("trang"))
	page = max(page, 1)
	filters := map[string][]string{}
	var fields []string
	for _, f := range facetParams {
		fields = append(fields, f.field)
		for _, v := range params[f.field] {
			if v = vietnamese.Clean(v); v != "" && len(filters[f.field]) < 10 {
				filters[f.field] = append(filters[f.field], v)
			}
		}
	}
	v, err := h.view(r.Context(), q)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	// Words are searched as words: the query syntax is the API's.
	text := strings.Join(strings.FieldsFunc(p.Query, func(r rune) bool { return strings.ContainsRune(`:()[]{}"+-!\`, r) }), " ")
	res, err := h.Data.Search(r.Context(), v.orgs, opendata.SearchQuery{Q: text, Filters: filters, Sort: p.Sort, Rows: pageSize,
		Start: (page - 1) * pageSize, FacetFields: fields, FacetLimit: 12})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p.Count, p.Page = res.Count, page
	p.Pages = max(1, (res.Count+pageSize-1)/pageSize)
	if page > 1 {
		params.Set("trang", strconv.Itoa(page-1))
		p.PrevURL = q.URL("/du-lieu") + "?" + params.Encode()
	}
	if page < p.Pages {
		params.Set("trang", strconv.Itoa(page+1))
		p.NextURL = q.URL("/du-lieu") + "?" + params.Encode()
	}
	params.Del("trang")
	for _, d := range res.Results {
		p.Datasets = append(p.Datasets, h.card(q, v, d))
	}
	for _, f := range facetParams {
		b := facetBlock{Field: f.field, Title: q.T(f.key)}
		for _, it := range res.Facets[f.field] {
			active := slices.Contains(filters[f.field], it.Name)
			label := h.facetLabel(q, v, f.field, it)
			link := facetLink{Label: label, Count: it.Count, Active: active, URL: withParam(q, params, f.field, it.Name, !active)}
			b.Items = append(b.Items, link)
			if active {
				a := activeFilter{Label: b.Title + ": " + label, RemoveURL: link.URL}
				switch f.field {
				case "organization":
					a.PageURL = q.URL("/to-chuc/" + url.PathEscape(it.Name))
				case "groups":
					a.PageURL = q.URL("/chu-de/" + url.PathEscape(it.Name))
				}
				p.Active = append(p.Active, a)
			}
		}
		if len(b.Items) > 0 {
			p.Facets = append(p.Facets, b)
		}
	}
	if len(res.Results) == 0 && p.Message == "" {
		p.Message = q.T("data.nothing_found")
	}
	view := &web.View{Title: q.T("data.search_title"), Page: p}
	if p.Query != "" || len(filters) > 0 || page > 1 {
		view.NoIndex = true
	}
	h.Page(w, r, "pages/data_search", view)
}

func (h *Handler) facetLabel(q *web.Req, v *view, field string, it opendata.FacetItem) string {
	switch field {
	case "organization":
		if o, ok := v.orgs.Find(it.Name); ok {
			return o.DisplayTitle(q.Lang)
		}
	case "groups":
		if g := v.groups[it.Name]; g != nil {
			return g.DisplayTitle(q.Lang)
		}
	case "license_id":
		if l, ok := opendata.LicenseByID(it.Name); ok {
			return l.DisplayTitle(q.Lang)
		}
	}
	return it.Display
}

func summary(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndexByte(string(r), ' '); i > n/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

type resourceCard struct {
	R           *opendata.Resource
	URL         string // the resource page
	DownloadURL string
}

// sizer writes file sizes in the page's language.
type sizer struct{ Lang string }

// Size writes a byte count as KB or MB.
func (s sizer) Size(n int64) string {
	switch {
	case n < 1024:
		return i18n.Number(s.Lang, n) + " B"
	case n < 1<<20:
		return i18n.Number(s.Lang, (n+512)/1024) + " KB"
	}
	tenths := (n*10 + 1<<19) >> 20
	sep := ","
	if s.Lang == "en" {
		sep = "."
	}
	return i18n.Number(s.Lang, tenths/10) + sep + strconv.FormatInt(tenths%10, 10) + " MB"
}

type datasetPage struct {
	sizer
	Paragraphs []string
	D          *opendata.Dataset
	Org        *opendata.Org
	OrgURL     string
	License    opendata.License
	Groups     []*opendata.Group
	Resources  []resourceCard
	Downloads  int64
	RDF        []rdfLink
	APIURL     string
	Frequency  string
	CanEdit    bool
}

type rdfLink struct {
	Label, URL, Type string
}

func (h *Handler) dataset(w http.ResponseWriter, r *http.Request) (*opendata.Dataset, *view, bool) {
	q := web.FromRequest(r)
	d, err := h.Data.Dataset(r.Context(), r.PathValue("name"))
	if err != nil {
		h.Error(w, r, err)
		return nil, nil, false
	}
	if d.State != opendata.Active {
		h.Error(w, r, fault.New(fault.NotFound, "data.not_found"))
		return nil, nil, false
	}
	v, err := h.view(r.Context(), q)
	if err != nil {
		h.Error(w, r, err)
		return nil, nil, false
	}
	return d, v, true
}

func (h *Handler) datasetPage(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	d, v, ok := h.dataset(w, r)
	if !ok {
		return
	}
	if r.PathValue("name") != d.Name {
		http.Redirect(w, r, q.URL("/du-lieu/"+d.Name), http.StatusMovedPermanently)
		return
	}
	p := datasetPage{sizer: sizer{q.Lang}, D: d, APIURL: dataURL(q, "/api/3/action/package_show?id="+d.Name)}
	for _, para := range strings.Split(d.Notes, "\n") {
		if para = strings.TrimSpace(para); para != "" {
			p.Paragraphs = append(p.Paragraphs, para)
		}
	}
	p.License, _ = opendata.LicenseByID(d.LicenseID)
	if o, ok := v.orgs.OfSite(d.SiteID); ok {
		p.Org = o
		p.OrgURL = q.URL("/to-chuc/" + o.Name)
	}
	for _, g := range d.Groups {
		if gr := v.groups[g]; gr != nil {
			p.Groups = append(p.Groups, gr)
		}
	}
	if d.Frequency != "" {
		p.Frequency = q.T("frequency." + d.Frequency)
	}
	for _, res := range d.Resources {
		c := resourceCard{R: res, URL: q.URL("/du-lieu/" + d.Name + "/tai-nguyen/" + res.ID), DownloadURL: resourceURL(q, d, res)}
		p.Downloads += res.Downloads
		p.Resources = append(p.Resources, c)
	}
	for _, f := range rdfFormats {
		p.RDF = append(p.RDF, rdfLink{Label: f.label, URL: q.URL("/dataset/" + d.ID + "." + f.ext), Type: f.ctype})
	}
	if a := q.Actor; a != nil {
		p.CanEdit = true
	}
	h.Page(w, r, "pages/data_dataset", &web.View{Title: d.Title, Page: p})
}

func (h *Handler) datasetsRedirect(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	to := q.URL("/du-lieu")
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, to, http.StatusMovedPermanently)
}

// datasetAlias serves /dataset/NAME (CKAN's address, and the URI of the
// dataset in DCAT): the RDF forms by extension, the page otherwise.
func (h *Handler) datasetAlias(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	name := r.PathValue("name")
	for _, f := range rdfFormats {
		if n, ok := strings.CutSuffix(name, "."+f.ext); ok {
			h.datasetRDF(w, r, n, f)
			return
		}
	}
	d, err := h.Data.Dataset(r.Context(), name)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	http.Redirect(w, r, q.URL("/du-lieu/"+d.Name), http.StatusMovedPermanently)
}

func (h *Handler) resourceAlias(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	res, d, err := h.Data.Resource(r.Context(), r.PathValue("res"))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	http.Redirect(w, r, q.URL("/du-lieu/"+d.Name+"/tai-nguyen/"+res.ID), http.StatusMovedPermanently)
}

type apiPage struct {
	Base    string
	Client  string // the address ckanapi takes: the site, without /api/…
	Actions []apiAction
	Example string
	Dataset string
	Res     string
	// A filtered, sorted page of that resource: the query and how it reads.
	Filtered, FilteredText string
}

type apiAction struct {
	Name, Doc, URL string
	Write          bool
}

func (h *Handler) apiPage(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p := apiPage{Base: dataURL(q, "/api/3/action/"), Client: strings.TrimSuffix(dataURL(q, "/"), "/")}
	if all, err := h.Data.Catalogue(r.Context()); err == nil {
		for _, d := range all {
			for _, res := range d.Resources {
				if res.Tabular() && p.Res == "" {
					p.Dataset, p.Res = d.Name, res.ID
					for _, c := range res.Columns {
						if len(c.Values) > 0 {
							f, _ := json.Marshal(map[string]string{c.ID: c.Values[0]})
							v := url.Values{"resource_id": {res.ID}, "filters": {string(f)}, "sort": {"_id desc"}, "limit": {"5"}}
							p.Filtered = "datastore_search?" + v.Encode()
							p.FilteredText = "datastore_search?resource_id=" + res.ID + "&filters=" + string(f) + "&sort=_id desc&limit=5"
							break
						}
					}
				}
			}
		}
	}
	for _, name := range ActionNames() {
		a := actions[name]
		p.Actions = append(p.Actions, apiAction{Name: name, Doc: a.doc, Write: a.write, URL: p.Base + name})
	}
	h.Page(w, r, "pages/data_api", &web.View{Title: q.T("data.api_title"), Page: p})
}

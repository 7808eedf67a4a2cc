// Package dataportal serves the city data portal (data.hanoi.gov.vn): the
// public pages (dataset search with facets, dataset and resource pages with
// a preview of tabular data, the API guide), file downloads and exports,
// the CKAN Action API at /api/3/action/, the DCAT catalogue harvested by the
// national data portal, and the staff pages where units publish datasets.
package dataportal

import (
	"net/http"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/web"
)

// Handler serves the data portal.
type Handler struct {
	*web.Server
	Data *opendata.Service
}

// New returns the data portal's handler and adds its menu entries (shown on
// the data portal's site only).
func New(s *web.Server, data *opendata.Service) *Handler {
	h := &Handler{Server: s, Data: data}
	onData := func(q *web.Req) bool { return q.Site != nil && q.Site.Kind == site.Data }
	s.AddMenu(
		web.MenuItem{Key: "data.menu", Path: "/du-lieu", Order: 20, Show: onData},
		web.MenuItem{Key: "data.menu_orgs", Path: "/to-chuc", Order: 30, Show: onData},
		web.MenuItem{Key: "data.menu_groups", Path: "/chu-de", Order: 40, Show: onData},
		web.MenuItem{Key: "data.menu_api", Path: "/huong-dan-api", Order: 80, Show: onData},
	)
	return h
}

// MaxUpload is the largest request body of an upload route: the file limit
// and room for the form around it.
func (h *Handler) maxUpload() int64 { return h.Data.Limits().MaxFile + 1<<20 }

// Routes lists the data portal's routes with their access rules.
func (h *Handler) Routes() []web.Route {
	staff := func(method, pattern string, f http.HandlerFunc) web.Route {
		rt := web.Route{Method: method, Pattern: "/quan-tri/trang/{site}/du-lieu" + pattern, Auth: web.AuthSession, Scope: web.ScopeSite, Perm: access.PublishData, Handler: f}
		if method == "POST" {
			rt.MaxBody = h.maxUpload()
		}
		return rt
	}
	routes := []web.Route{
		{Method: "GET", Pattern: "/du-lieu", Handler: h.onData(h.searchPage)},
		{Method: "GET", Pattern: "/du-lieu/{name}", Handler: h.onData(h.datasetPage)},
		{Method: "GET", Pattern: "/du-lieu/{name}/tai-nguyen/{res}", Handler: h.onData(h.resourcePage)},
		{Method: "GET", Pattern: "/huong-dan-api", Handler: h.onData(h.apiPage)},
		{Method: "GET", Pattern: "/to-chuc", Handler: h.onData(h.orgListPage)},
		{Method: "GET", Pattern: "/to-chuc/{name}", Handler: h.onData(h.orgPage)},
		{Method: "GET", Pattern: "/chu-de", Handler: h.onData(h.groupListPage)},
		{Method: "GET", Pattern: "/chu-de/{name}", Handler: h.onData(h.groupPage)},
		{Method: "GET", Pattern: "/organization/{$}", Handler: h.onData(h.ownerAlias("/to-chuc"))},
		{Method: "GET", Pattern: "/organization/{name}", Handler: h.onData(h.ownerAlias("/to-chuc"))},
		{Method: "GET", Pattern: "/group/{$}", Handler: h.onData(h.ownerAlias("/chu-de"))},
		{Method: "GET", Pattern: "/group/{name}", Handler: h.onData(h.ownerAlias("/chu-de"))},
		{Method: "GET", Pattern: "/dataset/{$}", Handler: h.onData(h.datasetsRedirect)},
		{Method: "GET", Pattern: "/dataset/{name}", Handler: h.onData(h.datasetAlias)},
		{Method: "GET", Pattern: "/dataset/{name}/resource/{res}", Handler: h.onData(h.resourceAlias)},
		{Method: "GET", Pattern: "/dataset/{name}/resource/{res}/download/{file}", Handler: h.onData(h.download)},
		{Method: "GET", Pattern: "/dataset/{name}/resource/{res}/version/{version}/download/{file}", Handler: h.onData(h.download)},
		{Method: "GET", Pattern: "/datastore/dump/{res}", Handler: h.onData(h.dump)},

		{Method: "GET", Pattern: "/api/3", Handler: h.apiVersion},
		{Method: "GET", Pattern: "/api/3/action/{action}", Handler: h.action},
		{Method: "POST", Pattern: "/api/3/action/{action}", MaxBody: h.maxUpload(), Handler: h.action},
		{Method: "GET", Pattern: "/api/action/{action}", Handler: h.action},
		{Method: "POST", Pattern: "/api/action/{action}", MaxBody: h.maxUpload(), Handler: h.action},

		staff("GET", "/{$}", h.adminList),
		staff("GET", "/tao", h.adminNew),
		staff("POST", "/tao", h.adminCreate),
		staff("GET", "/{dataset}", h.adminEdit),
		staff("POST", "/{dataset}", h.adminSave),
		staff("POST", "/{dataset}/tai-nguyen", h.adminAddResource),
		staff("POST", "/{dataset}/tai-nguyen/{res}", h.adminUpdateResource),
		staff("POST", "/{dataset}/tai-nguyen/{res}/nap-lai", h.adminReload),
		staff("POST", "/chu-de", h.adminCreateGroup),
		staff("POST", "/{dataset}/xoa", h.adminDelete),
	}
	for _, f := range rdfFormats {
		f := f
		routes = append(routes, web.Route{Method: "GET", Pattern: "/catalog." + f.ext, Handler: h.onData(func(w http.ResponseWriter, r *http.Request) { h.catalog(w, r, f) })})
	}
	return routes
}

// onData serves a page on the data portal's site only; elsewhere it does
// not exist.
func (h *Handler) onData(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := web.FromRequest(r)
		if q.Site == nil || q.Site.Kind != site.Data {
			h.NotFound(w, r)
			return
		}
		f(w, r)
	}
}

// dataSite returns the data portal's site in the directory.
func dataSite(q *web.Req) *site.Site {
	for _, st := range q.Dir.Sites {
		if st.Kind == site.Data && st.Status == site.Active {
			return st
		}
	}
	return q.Site
}

// dataURL returns an absolute link to path on the data portal, in
// Vietnamese (links inside API answers and RDF do not follow the page's
// language).
func dataURL(q *web.Req, path string) string {
	vi := *q
	vi.Lang = "vi"
	return vi.SiteURL(dataSite(q), path)
}

// ckanTime writes a time as CKAN does: UTC without a zone, microseconds.
func ckanTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000")
}

// downloadPath is a resource's download path, as CKAN builds it.
func downloadPath(d *opendata.Dataset, r *opendata.Resource) string {
	return "/dataset/" + d.ID + "/resource/" + r.ID + "/download/" + r.Filename
}

// resourceURL is where a resource is fetched: the link, or the download.
func resourceURL(q *web.Req, d *opendata.Dataset, r *opendata.Resource) string {
	if !r.Upload() {
		return r.URL
	}
	return dataURL(q, downloadPath(d, r))
}

func plainHash(h string) string { return strings.TrimPrefix(h, "sha256:") }

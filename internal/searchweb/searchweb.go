// Package searchweb serves search over HTTP: the /tim-kiem page on every
// site's host (works without JavaScript) and /api/v1/search with the same
// parameters, plus suggestions while typing. Without site= both search
// every site, whichever host is asked.
package searchweb

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/web"
)

// Handler serves search.
type Handler struct {
	*web.Server
	Search *search.Service
}

// New returns the handler.
func New(s *web.Server, svc *search.Service) *Handler { return &Handler{Server: s, Search: svc} }

// Routes lists the routes; all public.
func (h *Handler) Routes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/tim-kiem", Handler: h.page},
		{Method: "GET", Pattern: "/api/v1/search", Auth: web.AuthTokenOptional, Handler: h.api},
		{Method: "GET", Pattern: "/api/v1/search/suggest", Auth: web.AuthTokenOptional, Handler: h.suggest},
	}
}

// request is a search as asked: the parameters shared by the page and the
// API (q, site, type, category, year, sort, page).
type request struct {
	search.Params
	Site    *site.Site
	Values  url.Values // the parameters kept, for links
	Problem string     // message key of a parameter that was ignored
}

// parse reads the parameters. A bad value is dropped with a message (the
// page) or refused (the API, see api.go); never an error page.
func parse(q *web.Req, v url.Values) request {
	r := request{Params: search.Params{Text: v.Get("q"), PerPage: 10}, Values: url.Values{}}
	r.Values.Set("q", r.Text)
	if code := strings.TrimSpace(v.Get("site")); code != "" {
		if st, ok := q.Dir.ByCode(code); ok && st.Status == site.Active {
			r.Site, r.SiteID = st, st.ID
			r.Values.Set("site", st.Code)
		} else {
			r.Problem = "search.bad_site"
		}
	}
	if t := search.Kind(v.Get("type")); t != "" {
		if isKind(t) {
			r.Kind = t
			r.Values.Set("type", string(t))
		} else {
			r.Problem = "search.bad_type"
		}
	}
	if c := strings.TrimSpace(v.Get("category")); c != "" && len(c) <= 200 {
		r.Category = c
		r.Values.Set("category", c)
	}
	if y, err := strconv.Atoi(v.Get("year")); err == nil && y > 1900 && y < 3000 {
		r.Year = y
		r.Values.Set("year", strconv.Itoa(y))
	}
	if v.Get("sort") == "date" {
		r.ByDate = true
		r.Values.Set("sort", "date")
	}
	if p, err := strconv.Atoi(v.Get("page")); err == nil && p > 1 {
		r.Page = min(p, search.MaxPage)
	}
	return r
}

func isKind(k search.Kind) bool {
	for _, x := range search.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// link returns the search URL with the kept parameters changed by kv
// (an empty value removes the parameter); the page goes back to 1.
func (r *request) link(q *web.Req, kv ...string) string {
	v := url.Values{}
	for k, vs := range r.Values {
		v[k] = vs
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return q.URL("/tim-kiem") + "?" + v.Encode()
}

// hitURL links to a hit on its own site, in its language.
func hitURL(q *web.Req, h *search.Hit) string {
	st, ok := q.Dir.ByID(h.SiteID)
	if !ok {
		return ""
	}
	in := *q
	in.Lang = h.Lang
	if h.Kind == search.KindSite {
		return in.SiteURL(st, "/")
	}
	return in.SiteURL(st, h.Path)
}

// marked writes parts as HTML, the matches in <mark>.
func marked(parts []search.Part) template.HTML {
	var b strings.Builder
	for _, p := range parts {
		if p.Mark {
			b.WriteString("<mark>" + template.HTMLEscapeString(p.Text) + "</mark>")
		} else {
			b.WriteString(template.HTMLEscapeString(p.Text))
		}
	}
	return template.HTML(b.String())
}

func plain(parts []search.Part) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// failed reports a search that could not run (the database), as a
// message rather than an error page.
func (h *Handler) failed(r *http.Request, err error) {
	if !fault.Is(err, fault.NotFound) {
		h.Logger.Error("search", "err", err, "q", r.URL.Query().Get("q"))
	}
}

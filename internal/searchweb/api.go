package searchweb

import (
	"net/http"
	"strconv"
	"time"

	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/web"
)

type apiHit struct {
	Site        string    `json:"site"`
	Type        string    `json:"type"`
	Lang        string    `json:"lang"`
	Title       string    `json:"title"`
	TitleHTML   string    `json:"title_html"`
	Snippet     string    `json:"snippet"`
	SnippetHTML string    `json:"snippet_html"`
	Category    string    `json:"category,omitempty"`
	URL         string    `json:"url"`
	Published   time.Time `json:"published"`
}

type apiFacet struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

type apiResults struct {
	Query       string                `json:"query"`
	Notice      string                `json:"notice,omitempty"`
	Total       int                   `json:"total"`
	Approximate bool                  `json:"approximate"`
	Page        int                   `json:"page"`
	Pages       int                   `json:"pages"`
	DidYouMean  string                `json:"did_you_mean,omitempty"`
	Results     []apiHit              `json:"results"`
	Facets      map[string][]apiFacet `json:"facets"`
}

// api answers /api/v1/search with the page's parameters (and lang=).
func (h *Handler) api(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	v := r.URL.Query()
	req := parse(q, v)
	if req.Problem != "" {
		web.JSONError(w, http.StatusBadRequest, "invalid", q.T(req.Problem))
		return
	}
	if l := v.Get("lang"); l == "vi" || l == "en" {
		req.Lang = l
	}
	res, err := h.Search.Search(r.Context(), req.Params)
	if err != nil {
		h.failed(r, err)
		web.JSONError(w, http.StatusServiceUnavailable, "internal", q.T("search.failed"))
		return
	}
	switch res.Query.Notice {
	case "search.empty", "search.no_words":
		web.JSONError(w, http.StatusBadRequest, "invalid", q.T(res.Query.Notice))
		return
	}
	out := apiResults{Query: res.Query.Text, Total: res.Total, Approximate: res.Approx, Page: res.Page, Pages: res.Pages,
		DidYouMean: res.DidYouMean, Results: []apiHit{}, Facets: map[string][]apiFacet{}}
	switch res.Query.Notice {
	case "search.too_long":
		out.Notice = q.T(res.Query.Notice, search.MaxQuery)
	case "search.too_many_words":
		out.Notice = q.T(res.Query.Notice, search.MaxClauses)
	}
	for i := range res.Hits {
		hit := &res.Hits[i]
		a := apiHit{Type: string(hit.Kind), Lang: hit.Lang, Title: hit.Title, TitleHTML: string(marked(hit.TitleParts)),
			Snippet: plain(hit.Snippet), SnippetHTML: string(marked(hit.Snippet)), Category: hit.Category,
			URL: hitURL(q, hit), Published: hit.Published}
		if st, ok := q.Dir.ByID(hit.SiteID); ok {
			a.Site = st.Code
		}
		out.Results = append(out.Results, a)
	}
	add := func(name string, fs []search.Facet, label func(string) (string, string)) {
		list := []apiFacet{}
		for _, f := range fs {
			if v, l := label(f.Value); v != "" {
				list = append(list, apiFacet{Value: v, Label: l, Count: f.Count})
			}
		}
		out.Facets[name] = list
	}
	add("type", res.Facets.Kinds, func(v string) (string, string) { return v, q.T("search.kind." + v) })
	add("site", res.Facets.Sites, func(v string) (string, string) {
		id, _ := strconv.ParseInt(v, 10, 64)
		if st, ok := q.Dir.ByID(id); ok {
			return st.Code, st.DisplayName(q.Lang)
		}
		return "", ""
	})
	add("category", res.Facets.Categories, func(v string) (string, string) { return v, v })
	add("year", res.Facets.Years, func(v string) (string, string) { return v, v })
	w.Header().Set("Cache-Control", "no-cache")
	web.JSON(w, http.StatusOK, out)
}

type apiSuggestion struct {
	Title string `json:"title"`
	Type  string `json:"type"`
	Site  string `json:"site"`
	URL   string `json:"url"`
}

// suggest answers /api/v1/search/suggest?q=&site=: titles completing what
// is being typed, the newest first.
func (h *Handler) suggest(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	req := parse(q, r.URL.Query())
	out := struct {
		Suggestions []apiSuggestion `json:"suggestions"`
	}{Suggestions: []apiSuggestion{}}
	docs, err := h.Search.Suggest(r.Context(), req.Text, req.SiteID, 8)
	if err != nil {
		h.failed(r, err)
		web.JSONError(w, http.StatusServiceUnavailable, "internal", q.T("search.failed"))
		return
	}
	for _, d := range docs {
		hit := search.Hit{Stored: d}
		s := apiSuggestion{Title: d.Title, Type: string(d.Kind), URL: hitURL(q, &hit)}
		if st, ok := q.Dir.ByID(d.SiteID); ok {
			s.Site = st.Code
		}
		out.Suggestions = append(out.Suggestions, s)
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	web.JSON(w, http.StatusOK, out)
}

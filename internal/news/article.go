package news

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/web"
)

// articlePage is what the article (and static page) template shows.
type articlePage struct {
	R        *content.Reading
	Body     template.HTML // sanitised when saved
	Category *content.Category
	CatURL   string
	Related  []*content.Listed
	From     *site.Site // the item's own site, when shown elsewhere
	FromURL  string
	Print    bool
	Share    []shareLink
	JSONLD   map[string]any
	Image    string // absolute URL of the cover, for Open Graph
	URL      string // absolute canonical URL
	Updated  bool   // the text changed after publication

	// Static pages with a template.
	Leaders []*content.Leader
	Photos  map[int64]*media.Item
	Org     []*content.OrgUnit
	Units   []web.SiteCard
	Pages   []*content.Listed
}

type shareLink struct{ Name, URL string }

func (h *Handler) article(w http.ResponseWriter, r *http.Request) { h.showItem(w, r, false, false) }

func (h *Handler) articlePrint(w http.ResponseWriter, r *http.Request) { h.showItem(w, r, false, true) }

func (h *Handler) page(w http.ResponseWriter, r *http.Request) { h.showItem(w, r, true, false) }

// read finds the item of the request, answering 404 or 410 itself.
func (h *Handler) read(w http.ResponseWriter, r *http.Request, isPage bool) *content.Reading {
	q := web.FromRequest(r)
	rd, err := h.content.Read(r.Context(), q.Site.ID, q.Lang, isPage, r.PathValue("slug"))
	if fault.Is(err, fault.NotFound) {
		h.notFound(w, r)
		return nil
	}
	if err != nil {
		h.Error(w, r, err)
		return nil
	}
	if rd.Status == content.Unpublished {
		reason := rd.Reason
		if reason == "expired" {
			reason = q.T("article.expired_reason")
		}
		q.Cache("", "item:"+itoa(rd.ID))
		w.Header().Set("Cache-Control", "no-cache")
		h.Render(w, r, http.StatusGone, "pages/withdrawn", &web.View{Title: rd.Title, NoIndex: true,
			Page: map[string]any{"Title": rd.Title, "Reason": reason, "When": q.DateTime(rd.Updated)}})
		return nil
	}
	return rd
}

func (h *Handler) showItem(w http.ResponseWriter, r *http.Request, isPage, print bool) {
	q := web.FromRequest(r)
	rd := h.read(w, r, isPage)
	if rd == nil {
		return
	}
	ctx := r.Context()
	p := &articlePage{R: rd, Body: template.HTML(rd.Body), Print: print, Category: rd.Category}
	tags := []string{"item:" + itoa(rd.ID)}
	if rd.OriginalID != 0 {
		tags = append(tags, "item:"+itoa(rd.OriginalID))
	}
	if rd.Origin != nil {
		if from, ok := q.Dir.ByID(rd.SiteID); ok {
			p.From = from
			p.FromURL = q.SiteURL(from, rd.Path())
			q.CanonicalURL = p.FromURL
		}
		q.SetAlternates(map[string]string{"vi": content.PathOf(rd.Kind, rd.Origin.Slug)})
	} else {
		q.SetAlternates(rd.Langs)
	}
	p.URL = q.Canonical()
	if p.Category != nil {
		p.CatURL = q.URL("/chuyen-muc/" + p.Category.Slug)
		tags = append(tags, "cat:"+itoa(p.Category.ID))
		rel, err := h.content.Related(ctx, q.Site.ID, q.Lang, p.Category.ID, rd.ID, 5)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		p.Related = rel
	} else if !isPage {
		tags = append(tags, "list:"+itoa(q.Site.ID))
		rel, err := h.content.Related(ctx, q.Site.ID, q.Lang, 0, rd.ID, 5)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		p.Related = rel
	}
	if isPage {
		tags = append(tags, "pages:"+itoa(q.Site.ID), "path:"+itoa(q.Site.ID)+":/gioi-thieu/")
		if err := h.pageExtras(r, p); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	p.Updated = rd.ContentUpdated.Sub(rd.Published) > time.Minute
	if rd.Cover != nil {
		p.Image = siteOrigin(q) + rd.Cover.Src(1024)
	}
	p.Share = []shareLink{
		{"Facebook", "https://www.facebook.com/sharer/sharer.php?u=" + url.QueryEscape(p.URL)},
		{"X", "https://twitter.com/intent/tweet?url=" + url.QueryEscape(p.URL) + "&text=" + url.QueryEscape(rd.Title)},
		{"LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url=" + url.QueryEscape(p.URL)},
		{"E-mail", "mailto:?subject=" + url.PathEscape(rd.Title) + "&body=" + url.QueryEscape(p.URL)},
	}
	if !isPage {
		p.JSONLD = h.jsonLD(q, p)
	}
	q.Cache("", tags...)
	h.Page(w, r, "pages/article", &web.View{Title: rd.Title, Page: p, NoIndex: print})
}

// pageExtras loads what a static page's template shows below its text.
func (h *Handler) pageExtras(r *http.Request, p *articlePage) error {
	q := web.FromRequest(r)
	ctx := r.Context()
	switch p.R.Template {
	case content.TemplateLeaders:
		ls, err := h.content.Leaders(ctx, q.Site.ID)
		if err != nil {
			return err
		}
		p.Leaders, p.Photos = ls, map[int64]*media.Item{}
		for _, l := range ls {
			if l.PhotoID != 0 {
				if m, err := h.media.ByID(ctx, l.PhotoID); err == nil {
					p.Photos[l.PhotoID] = m
				}
			}
		}
	case content.TemplateOrg:
		org, err := h.content.OrgChart(ctx, q.Site.ID)
		if err != nil {
			return err
		}
		p.Org = org
		if q.Unit != nil {
			// The city's chart shows its agencies; the communes and wards
			// are listed on the units page.
			for _, u := range q.Dir.Children(q.Unit.ID) {
				if st := q.Dir.PortalOf(u.ID); st != nil && (q.Unit.ParentID != 0 || u.Kind == site.Agency) {
					p.Units = append(p.Units, web.SiteCard{Site: st, Unit: u, URL: q.SiteURL(st, "/"), Name: st.DisplayName(q.Lang)})
				}
			}
		}
	}
	return nil
}

// jsonLD describes a news article for search engines (schema.org
// NewsArticle).
func (h *Handler) jsonLD(q *web.Req, p *articlePage) map[string]any {
	a := p.R
	publisher := q.Site
	if p.From != nil {
		publisher = p.From
	}
	d := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         truncate(a.Title, 110),
		"description":      a.Summary,
		"datePublished":    a.Published.Format(time.RFC3339),
		"dateModified":     a.ContentUpdated.Format(time.RFC3339),
		"inLanguage":       a.Lang,
		"mainEntityOfPage": p.URL,
		"url":              p.URL,
		"publisher": map[string]any{
			"@type": "GovernmentOrganization", "name": publisher.DisplayName(q.Lang),
			"logo": map[string]any{"@type": "ImageObject", "url": siteOrigin(q) + web.AssetURL("quoc-huy.svg")},
		},
	}
	if a.Author != "" {
		d["author"] = map[string]any{"@type": "Person", "name": a.Author}
	} else {
		d["author"] = map[string]any{"@type": "GovernmentOrganization", "name": publisher.DisplayName(q.Lang)}
	}
	if p.Image != "" {
		d["image"] = []string{p.Image}
	}
	if p.Category != nil {
		d["articleSection"] = p.Category.DisplayName(q.Lang)
	}
	return d
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// saved is the standalone document "Lưu" downloads.
var saved = template.Must(template.New("saved").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:serif;max-width:42em;margin:2em auto;line-height:1.6;padding:0 1em}img{max-width:100%;height:auto}.nguon{color:#444;font-size:.9em}</style>
</head><body>
<p class="nguon">{{.Site}} — {{.URL}}</p>
<h1>{{.Title}}</h1>
<p class="nguon">{{.When}}{{with .Author}} · {{.}}{{end}}</p>
{{with .Summary}}<p><strong>{{.}}</strong></p>{{end}}
{{.Body}}
{{with .Source}}<p class="nguon">{{.}}</p>{{end}}
</body></html>
`))

// articleSave downloads the article as one HTML file ("Lưu").
func (h *Handler) articleSave(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	rd := h.read(w, r, false)
	if rd == nil {
		return
	}
	var buf bytes.Buffer
	err := saved.Execute(&buf, map[string]any{
		"Lang": rd.Lang, "Title": rd.Title, "Site": q.SiteName(), "URL": q.Canonical(), "When": q.DateTime(rd.Published),
		"Author": rd.Author, "Summary": rd.Summary, "Body": template.HTML(rd.Body), "Source": rd.Source,
	})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+rd.Slug+`.html"`)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self' https:; style-src 'unsafe-inline'; sandbox")
	w.Write(buf.Bytes())
}

package news

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/web"
)

// feedItems is the length of a feed.
const feedItems = 20

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title     string     `xml:"title"`
	Link      atomLink   `xml:"link"`
	ID        string     `xml:"id"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Author    *atomName  `xml:"author,omitempty"`
	Category  *atomCat   `xml:"category,omitempty"`
	Summary   *atomText  `xml:"summary,omitempty"`
	Content   *atomText  `xml:"content,omitempty"`
	Source    *atomTitle `xml:"source,omitempty"`
}

type atomName struct {
	Name string `xml:"name"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomTitle struct {
	Title string `xml:"title"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomName    `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

// feed collects a feed's items: the site's newest, or a category's.
func (h *Handler) feed(w http.ResponseWriter, r *http.Request, catSlug string) (string, string, []*content.Listed, bool) {
	q := web.FromRequest(r)
	lq := content.ListQuery{SiteID: q.Site.ID, Lang: q.Lang, PerPage: feedItems}
	title, self := q.SiteName(), "/feed.atom"
	tags := []string{"list:" + itoa(q.Site.ID)}
	if catSlug != "" {
		c, ids := content.CategoryIn(h.categories(r.Context(), q), catSlug)
		if c == nil {
			h.notFound(w, r)
			return "", "", nil, false
		}
		lq.CategoryIDs = ids
		title += " — " + c.DisplayName(q.Lang)
		self = "/chuyen-muc/" + c.Slug
		for _, id := range ids {
			tags = append(tags, "cat:"+itoa(id))
		}
	}
	items, _, err := h.content.List(r.Context(), lq)
	if err != nil {
		h.Error(w, r, err)
		return "", "", nil, false
	}
	q.Cache("", tags...)
	return title, self, items, true
}

func (h *Handler) siteAtom(w http.ResponseWriter, r *http.Request) { h.atom(w, r, "") }
func (h *Handler) categoryAtom(w http.ResponseWriter, r *http.Request) {
	h.atom(w, r, r.PathValue("slug"))
}
func (h *Handler) siteRSS(w http.ResponseWriter, r *http.Request) { h.rss(w, r, "") }
func (h *Handler) categoryRSS(w http.ResponseWriter, r *http.Request) {
	h.rss(w, r, r.PathValue("slug"))
}

// itemURL is the absolute URL of a listed item on the current site.
func itemURL(q *web.Req, it *content.Listed) string { return absURL(q, q.Lang, it.Path) }

func (h *Handler) atom(w http.ResponseWriter, r *http.Request, cat string) {
	q := web.FromRequest(r)
	title, self, items, ok := h.feed(w, r, cat)
	if !ok {
		return
	}
	f := atomFeed{Lang: q.Lang, Title: title, ID: absURL(q, q.Lang, self), Author: atomName{q.SiteName()},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: absURL(q, q.Lang, strings.TrimSuffix(self, "/feed.atom")+"/feed.atom")},
			{Rel: "alternate", Type: "text/html", Href: absURL(q, q.Lang, "/")}}}
	if cat == "" {
		f.Links[0].Href = absURL(q, q.Lang, "/feed.atom")
	}
	f.Updated = time.Unix(0, 0).UTC().Format(time.RFC3339)
	for i, it := range items {
		if i == 0 {
			f.Updated = it.ContentUpdated.UTC().Format(time.RFC3339)
		}
		u := itemURL(q, it)
		e := atomEntry{Title: it.Title, Link: atomLink{Rel: "alternate", Href: u}, ID: u,
			Published: it.Published.UTC().Format(time.RFC3339), Updated: it.ContentUpdated.UTC().Format(time.RFC3339)}
		if it.Author != "" {
			e.Author = &atomName{it.Author}
		}
		if it.Summary != "" {
			e.Summary = &atomText{Type: "text", Body: it.Summary}
		}
		if it.FromSiteID != 0 {
			if from, ok := q.Dir.ByID(it.FromSiteID); ok {
				e.Source = &atomTitle{from.DisplayName(q.Lang)}
				e.ID = q.SiteURL(from, it.Article.Path())
			}
		}
		f.Entries = append(f.Entries, e)
	}
	h.writeXML(w, r, "application/atom+xml; charset=utf-8", f)
}

type rssItem struct {
	Title    string   `xml:"title"`
	Link     string   `xml:"link"`
	GUID     rssGUID  `xml:"guid"`
	PubDate  string   `xml:"pubDate"`
	Desc     string   `xml:"description,omitempty"`
	Author   string   `xml:"dc:creator,omitempty"`
	Source   *rssSrc  `xml:"source,omitempty"`
	Category []string `xml:"category,omitempty"`
}

type rssGUID struct {
	Perma string `xml:"isPermaLink,attr"`
	Value string `xml:",chardata"`
}

type rssSrc struct {
	URL  string `xml:"url,attr"`
	Name string `xml:",chardata"`
}

type rssDoc struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	DC      string   `xml:"xmlns:dc,attr"`
	Atom    string   `xml:"xmlns:atom,attr"`
	Channel struct {
		Title string    `xml:"title"`
		Link  string    `xml:"link"`
		Self  atomLink  `xml:"atom:link"`
		Desc  string    `xml:"description"`
		Lang  string    `xml:"language"`
		Build string    `xml:"lastBuildDate"`
		Items []rssItem `xml:"item"`
	} `xml:"channel"`
}

func (h *Handler) rss(w http.ResponseWriter, r *http.Request, cat string) {
	q := web.FromRequest(r)
	title, self, items, ok := h.feed(w, r, cat)
	if !ok {
		return
	}
	var d rssDoc
	d.Version, d.DC, d.Atom = "2.0", "http://purl.org/dc/elements/1.1/", "http://www.w3.org/2005/Atom"
	c := &d.Channel
	c.Title, c.Desc, c.Lang = title, title, q.Lang
	if cat == "" {
		c.Link = absURL(q, q.Lang, "/")
		c.Self = atomLink{Rel: "self", Type: "application/rss+xml", Href: absURL(q, q.Lang, "/rss.xml")}
	} else {
		c.Link = absURL(q, q.Lang, self)
		c.Self = atomLink{Rel: "self", Type: "application/rss+xml", Href: absURL(q, q.Lang, self+"/rss.xml")}
	}
	c.Build = time.Unix(0, 0).UTC().Format(time.RFC1123Z)
	for i, it := range items {
		if i == 0 {
			c.Build = it.ContentUpdated.UTC().Format(time.RFC1123Z)
		}
		u := itemURL(q, it)
		ri := rssItem{Title: it.Title, Link: u, GUID: rssGUID{"true", u}, PubDate: it.Published.UTC().Format(time.RFC1123Z), Desc: it.Summary, Author: it.Author}
		if it.FromSiteID != 0 {
			if from, ok := q.Dir.ByID(it.FromSiteID); ok {
				ri.Source = &rssSrc{URL: q.SiteURL(from, "/rss.xml"), Name: from.DisplayName(q.Lang)}
			}
		}
		c.Items = append(c.Items, ri)
	}
	h.writeXML(w, r, "application/rss+xml; charset=utf-8", d)
}

// writeXML writes a feed or sitemap, through the page cache like a page.
func (h *Handler) writeXML(w http.ResponseWriter, r *http.Request, ctype string, v any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		h.Error(w, r, err)
		return
	}
	h.Serve(w, r, ctype, buf.Bytes())
}

// The sitemap: every published item and page of the site, in every
// language, with its last change; an index of parts past SitemapMax URLs.

// SitemapMax is the most URLs in one sitemap file (the protocol's limit).
var SitemapMax = 50000

type smURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []smURL  `xml:"url"`
}

type smIndex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []smURL  `xml:"sitemap"`
}

// SitemapSource adds URLs of another part of the product (documents,
// procedures…) to every site's sitemap: paths with their last change.
type SitemapSource func(ctx context.Context, siteID int64) ([]SitemapEntry, error)

// SitemapEntry is one URL of a site.
type SitemapEntry struct {
	Lang    string
	Path    string
	LastMod time.Time
}

var (
	sourcesMu sync.Mutex
	sources   []SitemapSource
)

// AddSitemapSource registers a part's URLs for the sitemaps.
func AddSitemapSource(f SitemapSource) {
	sourcesMu.Lock()
	defer sourcesMu.Unlock()
	sources = append(sources, f)
}

func (h *Handler) sitemapURLs(r *http.Request) ([]smURL, error) {
	q := web.FromRequest(r)
	ctx := r.Context()
	out := []smURL{{Loc: absURL(q, "vi", "/")}}
	var newest time.Time
	for _, lang := range q.Site.Langs {
		for page := 1; ; page++ {
			items, total, err := h.content.List(ctx, content.ListQuery{SiteID: q.Site.ID, Lang: lang, PerPage: 100, Page: page,
				Kinds: content.Kinds})
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				if it.FromSiteID != 0 {
					continue // its canonical URL is on its own site
				}
				out = append(out, smURL{Loc: absURL(q, lang, it.Path), LastMod: it.ContentUpdated.UTC().Format(time.RFC3339)})
				if it.ContentUpdated.After(newest) {
					newest = it.ContentUpdated
				}
			}
			if page*100 >= total {
				break
			}
		}
	}
	if !newest.IsZero() {
		out[0].LastMod = newest.UTC().Format(time.RFC3339)
	}
	for _, c := range h.categories(ctx, q) {
		out = append(out, smURL{Loc: absURL(q, "vi", "/chuyen-muc/"+c.Slug)})
	}
	sourcesMu.Lock()
	srcs := append([]SitemapSource(nil), sources...)
	sourcesMu.Unlock()
	for _, src := range srcs {
		es, err := src(ctx, q.Site.ID)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			u := smURL{Loc: absURL(q, e.Lang, e.Path)}
			if !e.LastMod.IsZero() {
				u.LastMod = e.LastMod.UTC().Format(time.RFC3339)
			}
			out = append(out, u)
		}
	}
	return out, nil
}

func (h *Handler) sitemap(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	if q.Lang != "vi" {
		h.notFound(w, r)
		return
	}
	urls, err := h.sitemapURLs(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	q.Cache("", "list:"+itoa(q.Site.ID), "pages:"+itoa(q.Site.ID))
	if len(urls) <= SitemapMax {
		h.writeXML(w, r, "application/xml; charset=utf-8", urlset{URLs: urls})
		return
	}
	var idx smIndex
	for i := 0; i*SitemapMax < len(urls); i++ {
		idx.Sitemaps = append(idx.Sitemaps, smURL{Loc: absURL(q, "vi", "/sitemap/"+strconv.Itoa(i+1)+".xml")})
	}
	h.writeXML(w, r, "application/xml; charset=utf-8", idx)
}

func (h *Handler) sitemapPart(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	n, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("n"), ".xml"))
	if err != nil || n < 1 || !strings.HasSuffix(r.PathValue("n"), ".xml") || q.Lang != "vi" {
		h.notFound(w, r)
		return
	}
	urls, err := h.sitemapURLs(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if (n-1)*SitemapMax >= len(urls) || len(urls) <= SitemapMax {
		h.notFound(w, r)
		return
	}
	q.Cache("", "list:"+itoa(q.Site.ID), "pages:"+itoa(q.Site.ID))
	h.writeXML(w, r, "application/xml; charset=utf-8", urlset{URLs: urls[(n-1)*SitemapMax : min(n*SitemapMax, len(urls))]})
}

// mediaTypes are the types media files are served as, by the extension
// the server gave them.
var mediaTypes = map[string]string{
	".jpg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf", ".mp4": "video/mp4", ".webm": "video/webm",
	".mp3": "audio/mpeg", ".wav": "audio/wav", ".ogg": "audio/ogg", ".m4a": "audio/mp4", ".zip": "application/zip",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
	".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint",
	".csv": "text/csv; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".vtt": "text/vtt; charset=utf-8",
}

// mediaFile serves a stored file: images inline, everything else as a
// download under its cleaned name; never as HTML, and sandboxed.
func (h *Handler) mediaFile(w http.ResponseWriter, r *http.Request) {
	p := r.PathValue("path")
	clean := path.Clean("/" + p)[1:]
	ext := strings.ToLower(path.Ext(clean))
	ctype, ok := mediaTypes[ext]
	if clean != p || !ok || strings.HasPrefix(path.Base(clean), ".") {
		h.notFound(w, r)
		return
	}
	full := filepath.Join(h.media.Dir(), filepath.FromSlash(clean))
	f, err := os.Open(full)
	if err != nil {
		h.notFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		h.notFound(w, r)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", ctype)
	hd.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox")
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	if !strings.HasPrefix(ctype, "image/") && !strings.HasPrefix(ctype, "video/") && !strings.HasPrefix(ctype, "audio/") && ext != ".vtt" {
		name := "tep" + ext
		if m, err := h.media.ByPath(r.Context(), clean); err == nil {
			name = m.Name
		}
		hd.Set("Content-Disposition", media.Disposition(name))
	}
	http.ServeContent(w, r, "", st.ModTime(), f)
}

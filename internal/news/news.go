// Package news serves what readers see of publishing on every site: the
// news and its categories, articles and pages, multimedia, the leaders'
// work schedule, links to other portals, Atom and RSS feeds, the sitemap
// and the media files. Every page it renders is cached (internal/web's page
// cache) with the tags of what it shows, and invalidated exactly when the
// publishing service reports a change.
package news

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/web"
)

// Handler serves the public publishing pages.
type Handler struct {
	*web.Server
	content *content.Service
	media   *media.Service
}

// New returns the handler, connects the page cache to the publishing
// service's changes, and adds the menu entries.
func New(s *web.Server, c *content.Service, m *media.Service) *Handler {
	h := &Handler{Server: s, content: c, media: m}
	c.OnChange(func(ch content.Change) { s.PageCache().Invalidate(Tags(ch)...) })
	s.HomeNews = h.homeNews
	// "Giới thiệu" and "Tin tức" are mandatory sections: the rule pack puts
	// them in the menu of the sites that must have them.
	s.AddMenu(
		web.MenuItem{Key: "menu.multimedia", Path: "/da-phuong-tien", Order: 30},
		web.MenuItem{Key: "menu.schedule", Path: "/lich-cong-tac", Order: 40},
	)
	return h
}

// Routes lists the public publishing routes.
func (h *Handler) Routes() []web.Route {
	get := func(p string, f http.HandlerFunc) web.Route { return web.Route{Method: "GET", Pattern: p, Handler: f} }
	return []web.Route{
		get("/tin-tuc", h.newsIndex),
		get("/tin-tuc/{slug}", h.article),
		get("/tin-tuc/{slug}/in", h.articlePrint),
		get("/tin-tuc/{slug}/luu", h.articleSave),
		get("/chuyen-muc/{slug}", h.category),
		get("/chuyen-muc/{slug}/feed.atom", h.categoryAtom),
		get("/chuyen-muc/{slug}/rss.xml", h.categoryRSS),
		get("/da-phuong-tien", h.multimedia),
		get("/gioi-thieu/{$}", h.pagesIndex),
		get("/gioi-thieu/{slug}", h.page),
		get("/lich-cong-tac", h.schedule),
		get("/lien-ket-website", h.links),
		get("/feed.atom", h.siteAtom),
		get("/rss.xml", h.siteRSS),
		get("/sitemap.xml", h.sitemap),
		get("/sitemap/{n}", h.sitemapPart),
		get("/media/{path...}", h.mediaFile),
	}
}

// Tags returns the page-cache tags a change touches: the item's pages on
// every site it shows on, those sites' lists, feeds, sitemaps and home
// pages, its categories' pages, and (for a translation) its original's page,
// which links to it.
func Tags(c content.Change) []string {
	var t []string
	if c.ArticleID != 0 {
		t = append(t, "item:"+itoa(c.ArticleID))
	}
	if c.OriginalID != 0 {
		t = append(t, "item:"+itoa(c.OriginalID))
	}
	for _, p := range c.Places {
		s := itoa(p.SiteID)
		switch {
		case c.ArticleID == 0 && p.Path != "":
			t = append(t, "path:"+s+":"+p.Path, "home:"+s)
		case c.Kind == content.KindPage:
			t = append(t, "pages:"+s, "list:"+s)
		default:
			t = append(t, "list:"+s, "home:"+s)
		}
		if p.CategoryID != 0 {
			t = append(t, "cat:"+itoa(p.CategoryID))
		}
	}
	return t
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// page reads the ?trang= page number and the canonical query for it.
func page(r *http.Request) (int, string, bool) {
	v := r.URL.Query().Get("trang")
	if v == "" {
		return 1, "", true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 10000 {
		return 1, "", false
	}
	if n == 1 {
		return 1, "trang=1", true
	}
	return n, "trang=" + v, true
}

// Pager is the pagination of a list.
type Pager struct {
	Page, Pages, Total int
	Prev, Next         string
	Links              []PageLink
}

// PageLink is one numbered page link.
type PageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

func pager(q *web.Req, path string, pg, total, per int) Pager {
	p := Pager{Page: pg, Total: total, Pages: max(1, (total+per-1)/per)}
	url := func(n int) string {
		if n == 1 {
			return q.URL(path)
		}
		if strings.Contains(path, "?") {
			return q.URL(path) + "&trang=" + strconv.Itoa(n)
		}
		return q.URL(path) + "?trang=" + strconv.Itoa(n)
	}
	if pg > 1 {
		p.Prev = url(pg - 1)
	}
	if pg < p.Pages {
		p.Next = url(pg + 1)
	}
	last := 0
	for n := 1; n <= p.Pages; n++ {
		if n == 1 || n == p.Pages || n >= pg-2 && n <= pg+2 {
			if last != 0 && n != last+1 {
				p.Links = append(p.Links, PageLink{Gap: true})
			}
			p.Links = append(p.Links, PageLink{N: n, URL: url(n), Current: n == pg})
			last = n
		}
	}
	return p
}

// notFound answers 404 (or the redirect of a renamed page).
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) { h.NotFound(w, r) }

// siteOrigin returns scheme://host[/don-vi/CODE] of the current site,
// without a language prefix: absolute URLs in feeds and sitemaps.
func siteOrigin(q *web.Req) string {
	u := strings.TrimSuffix(q.SiteURL(q.Site, "/"), "/")
	if q.Lang != "vi" {
		u = strings.TrimSuffix(u, "/"+q.Lang)
	}
	return u
}

// absURL returns the absolute URL of path on the current site in lang.
func absURL(q *web.Req, lang, path string) string {
	if lang != "" && lang != "vi" {
		path = "/" + lang + path
	}
	return siteOrigin(q) + path
}

// categories returns the current site's categories (cached per request by
// the store's speed; they are few).
func (h *Handler) categories(ctx context.Context, q *web.Req) []*content.Category {
	cats, err := h.content.Categories(ctx, q.Site.ID)
	if err != nil {
		h.Logger.Error("categories", "err", err)
	}
	return cats
}

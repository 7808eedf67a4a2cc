// Package web serves the public pages of every site and holds the HTTP
// plumbing the staff interface and the APIs share: which site a request is
// for, routes with their access rules, templates, error pages, sessions and
// static assets.
package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/i18n"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/staff"
)

// Req is what the front of the server learnt about a request: the site it
// is for, the language, and who is asking.
type Req struct {
	Site   *site.Site
	Unit   *site.Unit
	Dir    *site.Directory
	Lang   string
	Base   string // "/don-vi/CODE" when a site is served under the city host
	Host   string // the requested host, without port
	Port   string // ":8080", or "" for the scheme's default
	Scheme string
	Path   string // the path after Base and the language prefix
	Nonce  string // the CSP nonce of this response
	Addr   string // the client address, through trusted proxies
	Prefs  Prefs
	Now    time.Time

	// Set for staff routes.
	Actor   *access.Actor
	Session *staff.Session
	User    *staff.User

	// CanonicalURL, when set, replaces the page's own URL as its canonical
	// link (an article shown on a site other than its own).
	CanonicalURL string
	// alternates maps languages to the page's path in them (SetAlternates).
	alternates map[string]string
	// Page cache state (pagecache.go).
	cacheTags  []string
	cacheQuery string
	cacheEpoch uint64

	srv *Server
}

// SetAlternates says in which languages the current page exists, and at
// which path: the language switch and the hreflang links follow it, and a
// language without the page leads to that language's home page.
func (q *Req) SetAlternates(paths map[string]string) { q.alternates = paths }

// LangURL returns where the language switch leads for lang.
func (q *Req) LangURL(lang string) string {
	if q.alternates == nil {
		return q.URLIn(lang, q.Path)
	}
	if p, ok := q.alternates[lang]; ok {
		return q.URLIn(lang, p)
	}
	return q.URLIn(lang, "/")
}

// Alternate is the page in another language, for hreflang links.
type Alternate struct{ Lang, URL string }

// Alternates lists the languages the current page exists in.
func (q *Req) Alternates() []Alternate {
	var out []Alternate
	for _, l := range q.Langs() {
		if q.alternates == nil {
			out = append(out, Alternate{l, q.URLIn(l, q.Path)})
		} else if p, ok := q.alternates[l]; ok {
			out = append(out, Alternate{l, q.URLIn(l, p)})
		}
	}
	return out
}

type reqKey struct{}

// FromRequest returns the Req of r. Every request that reaches a handler
// has one.
func FromRequest(r *http.Request) *Req {
	if q, ok := r.Context().Value(reqKey{}).(*Req); ok {
		return q
	}
	return &Req{Lang: i18n.Default, Scheme: "http", Now: time.Now()}
}

func withReq(ctx context.Context, q *Req) context.Context { return context.WithValue(ctx, reqKey{}, q) }

// T translates key into the request's language.
func (q *Req) T(key string, args ...any) string { return i18n.T(q.Lang, key, args...) }

// URL returns a link to path on the current site, in the current language.
func (q *Req) URL(path string) string { return q.URLIn(q.Lang, path) }

// URLIn returns a link to path on the current site in language lang.
func (q *Req) URLIn(lang, path string) string {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if lang != i18n.Default {
		path = "/" + lang + path
	}
	return q.Base + path
}

// AdminURL returns a link into the staff interface (never language-prefixed
// or mounted: it is the same on every host).
func (q *Req) AdminURL(path string) string { return path }

// Origin returns scheme://host[:port] as the client addressed us.
func (q *Req) Origin() string { return q.Scheme + "://" + q.Host + q.Port }

// SiteURL returns a link to path on another site: its own host name, or its
// mount under the city host when the server runs on one host.
func (q *Req) SiteURL(st *site.Site, path string) string {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if q.Lang != i18n.Default && st.Speaks(q.Lang) {
		path = "/" + q.Lang + path
	}
	if q.srv != nil && q.srv.cfg.SingleHost || st.PrimaryHost() == "" {
		city := q.Dir.City
		if city != nil && st.ID == city.ID {
			return q.Scheme + "://" + q.cityHost() + q.Port + path
		}
		return q.Scheme + "://" + q.cityHost() + q.Port + "/don-vi/" + st.Code + path
	}
	return q.Scheme + "://" + st.PrimaryHost() + q.Port + path
}

func (q *Req) cityHost() string {
	if q.srv != nil && q.srv.cfg.SingleHost {
		return q.Host
	}
	if q.Dir != nil && q.Dir.City != nil && q.Dir.City.PrimaryHost() != "" {
		return q.Dir.City.PrimaryHost()
	}
	return q.Host
}

// Canonical returns the absolute URL of the current page on the site's
// primary host.
func (q *Req) Canonical() string {
	if q.CanonicalURL != "" {
		return q.CanonicalURL
	}
	if q.Site == nil {
		return ""
	}
	path := q.Path
	if q.Lang != i18n.Default {
		path = "/" + q.Lang + path
	}
	host := q.Site.PrimaryHost()
	if host == "" {
		return q.Origin() + q.Base + path
	}
	return q.Scheme + "://" + host + q.Port + path
}

// SiteName returns the current site's name in the current language.
func (q *Req) SiteName() string {
	if q.Site == nil {
		return ""
	}
	return q.Site.DisplayName(q.Lang)
}

// Langs returns the languages the current site publishes in.
func (q *Req) Langs() []string {
	if q.Site == nil {
		return []string{i18n.Default}
	}
	return q.Site.Langs
}

// Date returns today's date written out in the current language.
func (q *Req) Date() string { return i18n.LongDate(q.Lang, q.Now.In(vietnamTime)) }

// Number writes n with the current language's separators.
func (q *Req) Number(n int64) string { return i18n.Number(q.Lang, n) }

// DateTime writes a time in Vietnam's time zone.
func (q *Req) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return i18n.DateTime(t.In(vietnamTime))
}

// vietnamTime is UTC+7 (Vietnam has no daylight saving time).
var vietnamTime = time.FixedZone("ICT", 7*3600)

// VietnamTime returns Vietnam's time zone.
func VietnamTime() *time.Location { return vietnamTime }

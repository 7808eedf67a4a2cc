package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// PageCache keeps rendered public pages in memory, so that a read is a
// lookup and a copy. A page is stored under (site, language, path and
// query, display variant) with the tags of what it shows ("item:12",
// "list:3", "cat:45"…); publishing, unpublishing or editing invalidates
// exactly the tags that change (see Invalidate). Each entry also expires at
// the next midnight in Vietnam (the header shows today's date) and after
// MaxAge (the footer's visit count, which is therefore up to MaxAge stale
// in cached pages).
type PageCache struct {
	MaxBytes int64
	MaxAge   time.Duration

	mu      sync.RWMutex
	entries map[cacheKey]*cachedPage
	byTag   map[string]map[cacheKey]struct{}
	size    int64
	// epoch counts invalidations: a page whose rendering started before one
	// is not stored, since it may show what was just invalidated.
	epoch atomic.Uint64

	hits, misses atomic.Int64
	// Notify, when set, is told of every invalidation, to pass it to other
	// nodes (PostgreSQL NOTIFY).
	Notify func(tags []string)
}

type cacheKey struct {
	site    int64
	lang    string
	path    string // the mount and the path
	query   string
	variant string
}

type cachedPage struct {
	key      cacheKey
	body     []byte
	gzOnce   sync.Once
	gz       []byte // made on the first request that accepts gzip
	ctype    string
	lang     string
	etag     string
	modified string
	// The header values, made once: a hit allocates as little as it can.
	hCtype, hLang, hEtag, hMod, hLen []string
	hCSP                             []string // the policy, with the scripts' hashes for the nonce
	expires                          time.Time
	tags                             []string
}

// NewPageCache returns a cache holding at most maxBytes of pages.
func NewPageCache(maxBytes int64) *PageCache {
	return &PageCache{MaxBytes: maxBytes, MaxAge: 10 * time.Minute,
		entries: map[cacheKey]*cachedPage{}, byTag: map[string]map[cacheKey]struct{}{}}
}

// Stats returns hits, misses, entries and bytes held.
func (c *PageCache) Stats() (hits, misses int64, entries int, size int64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.hits.Load(), c.misses.Load(), len(c.entries), c.size
}

func keyOf(q *Req, r *http.Request) cacheKey {
	p := q.Path
	if q.Base != "" {
		p = q.Base + p
	}
	var id int64
	if q.Site != nil {
		id = q.Site.ID
	}
	var variant string
	if q.Prefs != (Prefs{}) {
		variant = q.Prefs.Variant()
	}
	return cacheKey{site: id, lang: q.Lang, path: p, query: r.URL.RawQuery, variant: variant}
}

// serve answers a GET or HEAD from the cache; it reports false on a miss.
func (c *PageCache) serve(w http.ResponseWriter, r *http.Request, q *Req) bool {
	k := keyOf(q, r)
	c.mu.RLock()
	e := c.entries[k]
	c.mu.RUnlock()
	if e == nil || q.Now.After(e.expires) {
		c.misses.Add(1)
		q.cacheEpoch = c.epoch.Load()
		return false
	}
	c.hits.Add(1)
	h := w.Header()
	h["Content-Type"] = e.hCtype
	if e.lang != "" {
		h["Content-Language"] = e.hLang
	}
	if e.hCSP != nil {
		h["Content-Security-Policy"] = e.hCSP
	}
	h["Cache-Control"] = hNoCache
	h["Vary"] = hVary
	h["Etag"] = e.hEtag
	h["Last-Modified"] = e.hMod
	h["X-Cache"] = hHit
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, e.etag) ||
		inm == "" && r.Header.Get("If-Modified-Since") == e.modified {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	body := e.body
	if acceptsGzip(r) {
		if gz := e.gzipped(); gz != nil {
			h["Content-Encoding"] = []string{"gzip"}
			body = gz
		}
	}
	if len(body) == len(e.body) {
		h["Content-Length"] = e.hLen
	} else {
		h["Content-Length"] = []string{itoa(len(body))}
	}
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return true
}

var (
	hNoCache = []string{"no-cache"}
	hVary    = []string{"Accept-Encoding, Cookie"}
	hHit     = []string{"hit"}
)

func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header["Accept-Encoding"] {
		if strings.Contains(v, "gzip") {
			return true
		}
	}
	return false
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/"))
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

var inlineScript = regexp.MustCompile(`(?s)<script nonce="[^"]*">(.*?)</script>`)

// put stores a rendered page. Pages rendered while an invalidation happened
// are not stored; neither are those with a query the handler did not
// declare canonical (so junk query strings cannot fill the cache).
func (c *PageCache) put(q *Req, r *http.Request, h http.Header, body []byte) {
	if c.epoch.Load() != q.cacheEpoch || r.URL.RawQuery != q.cacheQuery || r.Method != http.MethodGet {
		return
	}
	k := keyOf(q, r)
	sum := sha256.Sum256(body)
	e := &cachedPage{
		key: k, body: bytes.Clone(body), ctype: h.Get("Content-Type"), lang: h.Get("Content-Language"),
		etag: `"` + hex.EncodeToString(sum[:12]) + `"`, modified: q.Now.UTC().Format(http.TimeFormat),
		expires: expiry(q.Now, c.MaxAge), tags: q.cacheTags,
	}
	e.hCtype, e.hLang, e.hEtag, e.hMod, e.hLen = []string{e.ctype}, []string{e.lang}, []string{e.etag}, []string{e.modified}, []string{itoa(len(e.body))}
	if csp := h.Get("Content-Security-Policy"); csp != "" {
		// The page's inline scripts carry a nonce that no later response
		// repeats: a cached copy allows them by their hashes.
		src := "'self'"
		for _, m := range inlineScript.FindAllSubmatch(body, -1) {
			s := sha256.Sum256(m[1])
			src += " 'sha256-" + base64.StdEncoding.EncodeToString(s[:]) + "'"
		}
		e.hCSP = []string{strings.Replace(csp, "'self' 'nonce-"+q.Nonce+"'", src, 1)}
	}
	// The gzipped copy is counted at its usual size (a fifth) up front.
	n := int64(len(e.body) + len(e.body)/5 + 256)
	h.Set("Etag", e.etag)
	h.Set("Last-Modified", e.modified)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch.Load() != q.cacheEpoch {
		return
	}
	if old := c.entries[k]; old != nil {
		c.remove(old)
	}
	for c.size+n > c.MaxBytes && len(c.entries) > 0 {
		// Map order is random: random eviction, good enough for pages of
		// similar cost, with no bookkeeping on the read path.
		for _, v := range c.entries {
			c.remove(v)
			break
		}
	}
	c.entries[k] = e
	c.size += n
	for _, t := range e.tags {
		set := c.byTag[t]
		if set == nil {
			set = map[cacheKey]struct{}{}
			c.byTag[t] = set
		}
		set[k] = struct{}{}
	}
}

// remove drops an entry; c.mu is held.
func (c *PageCache) remove(e *cachedPage) {
	delete(c.entries, e.key)
	c.size -= int64(len(e.body) + len(e.body)/5 + 256)
	for _, t := range e.tags {
		if set := c.byTag[t]; set != nil {
			delete(set, e.key)
			if len(set) == 0 {
				delete(c.byTag, t)
			}
		}
	}
}

// Invalidate drops every page tagged with any of tags, here and (through
// Notify) on the other nodes.
func (c *PageCache) Invalidate(tags ...string) {
	c.invalidate(tags)
	if c.Notify != nil && len(tags) > 0 {
		c.Notify(tags)
	}
}

// InvalidateLocal drops pages on this node only (for notices from others).
func (c *PageCache) InvalidateLocal(tags ...string) { c.invalidate(tags) }

func (c *PageCache) invalidate(tags []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch.Add(1)
	for _, t := range tags {
		if t == "*" {
			c.entries = map[cacheKey]*cachedPage{}
			c.byTag = map[string]map[cacheKey]struct{}{}
			c.size = 0
			return
		}
		for k := range c.byTag[t] {
			if e := c.entries[k]; e != nil {
				c.remove(e)
			}
		}
	}
}

// Purge empties the cache (site settings, menus or hosts changed).
func (c *PageCache) Purge() { c.Invalidate("*") }

// expiry is the earlier of now+maxAge and the next midnight in Vietnam.
func expiry(now time.Time, maxAge time.Duration) time.Time {
	t := now.In(vietnamTime)
	midnight := time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, vietnamTime)
	if e := now.Add(maxAge); e.Before(midnight) {
		return e
	}
	return midnight
}

// Cache marks the page being rendered as cacheable under tags. query is
// the request's query string when it is canonical for the page ("" for
// none, "trang=2" for page 2); a request with any other query is rendered
// but not stored.
func (q *Req) Cache(query string, tags ...string) {
	q.cacheQuery = query
	q.cacheTags = append(q.cacheTags, tags...)
	if q.cacheTags == nil {
		q.cacheTags = []string{}
	}
}

// PageCache returns the server's page cache.
func (s *Server) PageCache() *PageCache { return s.cache }

// Serve writes a generated response (a feed, a sitemap) with status 200,
// through the page cache when the handler marked it cacheable.
func (s *Server) Serve(w http.ResponseWriter, r *http.Request, ctype string, body []byte) {
	q := FromRequest(r)
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-cache")
	h.Del("Content-Security-Policy")
	h.Set("Content-Security-Policy", "default-src 'none'")
	if q.cacheTags != nil {
		s.cache.put(q, r, h, body)
	}
	h.Set("Content-Length", itoa(len(body)))
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// gzipped returns the page compressed, compressing it once: a cache miss
// does not pay for it, and clients that never ask for gzip never cause it.
func (e *cachedPage) gzipped() []byte {
	e.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		zw.Write(e.body)
		zw.Close()
		if buf.Len() < len(e.body) {
			e.gz = buf.Bytes()
		}
	})
	return e.gz
}

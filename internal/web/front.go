package web

import (
	"net"
	"net/http"
	"net/netip"
	"path"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/i18n"
	"github.com/congvn/cong/internal/site"
)

// hostFree lists path prefixes served the same on every host, even one the
// directory does not know (load balancers check /healthz by address).
var hostFree = []string{"/healthz", "/static/", "/api/"}

// Front returns the handler every request goes through: it recovers from
// panics, sets security headers, finds the site (by host name, or by the
// /don-vi/CODE/ mount), sends merged sites' URLs to their successor with a
// 301, strips the language prefix, and hands over to mux.
func (s *Server) Front(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := &Req{srv: s, Now: time.Now(), Lang: i18n.Default, Scheme: "http", Dir: s.Directory()}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.Logger.Error("panic", "err", p, "path", r.URL.Path, "stack", string(debug.Stack()))
				s.ErrorPage(w, r.WithContext(withReq(r.Context(), q)), http.StatusInternalServerError, "error.internal")
			}
		}()
		var proxied bool
		q.Addr, proxied = s.clientAddr(r)
		if r.TLS != nil || proxied && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
			q.Scheme = "https"
		}
		// Shared values (never appended to in place: append copies a
		// full slice), so a request allocates none for them.
		header := w.Header()
		header["X-Content-Type-Options"] = hNosniff
		header["Referrer-Policy"] = hReferrer
		header["X-Frame-Options"] = hDeny
		header["Permissions-Policy"] = hPermissions
		if q.Scheme == "https" {
			header["Strict-Transport-Security"] = hHSTS
		}

		host, port, ok := splitHost(r.Host)
		q.Host, q.Port = host, port
		ctx := withReq(r.Context(), q)
		r = r.WithContext(ctx)
		q.Prefs = readPrefs(r)
		if !ok {
			q.Site = q.Dir.City
			s.setCSP(w, q)
			s.ErrorPage(w, r, http.StatusBadRequest, "error.bad_host")
			return
		}
		p := r.URL.Path
		if !utf8.ValidString(p) || strings.ContainsAny(p, "\x00\r\n") {
			q.Site = q.Dir.City
			s.setCSP(w, q)
			s.ErrorPage(w, r, http.StatusBadRequest, "error.bad_url")
			return
		}
		if c := cleanPath(p); c != p {
			redirect(w, r, c, http.StatusMovedPermanently)
			return
		}

		st, known := q.Dir.ByHost(host)
		if !known {
			if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil || hasPrefix(p, hostFree) || s.cfg.SingleHost {
				st, known = q.Dir.City, q.Dir.City != nil
			}
		}
		if !known || st == nil {
			q.Site = q.Dir.City
			s.setCSP(w, q)
			s.ErrorPage(w, r, http.StatusNotFound, "error.unknown_host", host)
			return
		}
		if st.Status != site.Active {
			s.redirectMerged(w, r, q, st, p)
			return
		}
		// A site mounted under the host: /don-vi/CODE/…
		if rest, ok := strings.CutPrefix(p, "/don-vi/"); ok && (st == q.Dir.City || s.cfg.SingleHost) {
			code, sub, slash := strings.Cut(rest, "/")
			if mounted, ok := q.Dir.ByCode(code); ok && mounted != q.Dir.City {
				if !slash {
					redirect(w, r, p+"/", http.StatusMovedPermanently)
					return
				}
				if mounted.Status != site.Active {
					q.Base = "/don-vi/" + code
					s.redirectMerged(w, r, q, mounted, "/"+sub)
					return
				}
				st, q.Base, p = mounted, "/don-vi/"+code, "/"+sub
			}
		}
		q.Site = st
		q.Unit, _ = q.Dir.Unit(st.UnitID)
		// The language prefix: /en/… (and any other catalog language).
		if seg, rest, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/"); seg != i18n.Default && i18n.Has(seg) {
			if p == "/"+seg {
				redirect(w, r, q.Base+p+"/", http.StatusMovedPermanently)
				return
			}
			q.Lang = seg
			p = "/" + rest
			if !st.Speaks(seg) {
				s.setCSP(w, q)
				s.ErrorPage(w, r, http.StatusNotFound, "error.language_missing")
				return
			}
		}
		q.Path = p
		// A cached page carries its own policy (its scripts run by their
		// hashes): a hit needs no nonce.
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && s.cache.serve(w, r, q) {
			if s.Visits != nil && r.Method == http.MethodGet {
				s.Visits.Hit(st.ID)
			}
			return
		}
		s.setCSP(w, q)
		u := *r.URL
		u.Path, u.RawPath = p, ""
		r.URL = &u
		h, pattern := mux.Handler(r)
		if _, pp, _ := strings.Cut(pattern, " "); !strings.HasSuffix(p, "/") && strings.TrimSuffix(pp, "{$}") == p+"/" {
			// The mux would redirect /tree to /tree/ without the mount and
			// language prefixes it never saw: redirect here instead.
			redirect(w, r, q.URL(p+"/"), http.StatusMovedPermanently)
			return
		}
		if pattern == "" {
			rec := &statusRecorder{header: http.Header{}}
			h.ServeHTTP(rec, r)
			if strings.HasPrefix(p, "/api/") {
				if rec.status == http.StatusMethodNotAllowed {
					w.Header().Set("Allow", rec.header.Get("Allow"))
					JSONError(w, rec.status, "method_not_allowed", q.T("error.method"))
					return
				}
				JSONError(w, http.StatusNotFound, "not_found", q.T("api.not_found"))
				return
			}
			if rec.status == http.StatusMethodNotAllowed {
				w.Header().Set("Allow", rec.header.Get("Allow"))
				s.ErrorPage(w, r, http.StatusMethodNotAllowed, "error.method")
				return
			}
			s.NotFound(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// redirectMerged answers a request for a merged site with a 301 to the
// matching URL of the site that took it over: a path redirect recorded for
// the old site if there is one, else the same path on the successor.
func (s *Server) redirectMerged(w http.ResponseWriter, r *http.Request, q *Req, old *site.Site, p string) {
	live := q.Dir.Live(old)
	if live == nil {
		s.ErrorPage(w, r, http.StatusGone, "error.site_gone")
		return
	}
	target := p
	if to, toPath, err := s.Sites.Redirect(r.Context(), old.ID, p); err == nil {
		if st, ok := q.Dir.ByID(to); ok {
			if l := q.Dir.Live(st); l != nil {
				live, target = l, toPath
			}
		}
	}
	q.Site = live
	var url string
	if q.Base != "" || s.cfg.SingleHost {
		url = q.Origin() + mountPath(q.Dir, live) + target
	} else {
		url = q.Scheme + "://" + live.PrimaryHost() + q.Port + target
	}
	if r.URL.RawQuery != "" {
		url += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, url, http.StatusMovedPermanently)
}

func mountPath(d *site.Directory, st *site.Site) string {
	if d.City != nil && st.ID == d.City.ID {
		return ""
	}
	return "/don-vi/" + st.Code
}

// NotFound answers 404, unless the path was redirected (a renamed page).
func (s *Server) NotFound(w http.ResponseWriter, r *http.Request) {
	q := FromRequest(r)
	if q.Site != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		if to, toPath, err := s.Sites.Redirect(r.Context(), q.Site.ID, q.Path); err == nil {
			if st, ok := q.Dir.ByID(to); ok {
				if st = q.Dir.Live(st); st != nil {
					url := q.SiteURL(st, toPath)
					if st.ID == q.Site.ID {
						url = q.URL(toPath)
					}
					http.Redirect(w, r, url, http.StatusMovedPermanently)
					return
				}
			}
		}
	}
	s.ErrorPage(w, r, http.StatusNotFound, "error.not_found")
}

// splitHost splits a Host header into a normalised host name and port
// (":8080"), and reports whether the name is valid.
func splitHost(h string) (host, port string, ok bool) {
	host = h
	if hh, pp, err := net.SplitHostPort(h); err == nil {
		host, port = hh, ":"+pp
	}
	// A name starting with a lower-case letter is no address: skip the
	// parse (and its error's allocation) on the usual request.
	if host != "" && (host[0] < 'a' || host[0] > 'z') {
		if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
			if a.Is6() {
				return "[" + a.String() + "]", port, true
			}
			return a.String(), port, true
		}
	}
	host, ok = site.NormalizeHost(host)
	return host, port, ok
}

// cleanPath returns the canonical form of p (no "//", ".", ".."), keeping
// a trailing slash.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c
}

func hasPrefix(p string, prefixes []string) bool {
	for _, x := range prefixes {
		if p == strings.TrimSuffix(x, "/") || strings.HasPrefix(p, x) {
			return true
		}
	}
	return false
}

// redirect sends the client to a local path, keeping the query.
func redirect(w http.ResponseWriter, r *http.Request, to string, code int) {
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, to, code)
}

// setCSP sets the Content-Security-Policy of a page: everything from this
// server, scripts only with the response's nonce, and the EMC tracker's host
// when the site has an EMC code.
func (s *Server) setCSP(w http.ResponseWriter, q *Req) {
	if q.Nonce == "" {
		q.Nonce = newNonce()
	}
	script := "'self' 'nonce-" + q.Nonce + "'"
	connect := "'self'"
	img := "'self' data:"
	if q.Site != nil && q.Site.EMCID != "" {
		script += " " + emcOrigin
		connect += " " + emcOrigin
		img += " " + emcOrigin
	}
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src "+script+"; connect-src "+connect+
		"; img-src "+img+"; style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
}

var (
	hNosniff     = []string{"nosniff"}
	hReferrer    = []string{"strict-origin-when-cross-origin"}
	hDeny        = []string{"DENY"}
	hPermissions = []string{"camera=(), microphone=(), geolocation=(self)"}
	hHSTS        = []string{"max-age=31536000"}
)

// emcOrigin is the host of the national EMC monitoring tracker.
const emcOrigin = "https://f-emc.ngsp.gov.vn"

// statusRecorder captures what a handler would answer, without a body.
type statusRecorder struct {
	header http.Header
	status int
}

func (r *statusRecorder) Header() http.Header         { return r.header }
func (r *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

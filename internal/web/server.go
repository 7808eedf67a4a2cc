package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/visits"
)

// Config is how the server is deployed.
type Config struct {
	// SingleHost serves every site under the host the request came to, at
	// /don-vi/CODE/, and links to sites that way.
	SingleHost bool
	// TrustedProxies are the addresses whose X-Forwarded-For and
	// X-Forwarded-Proto headers are believed (a WAF or TLS terminator).
	TrustedProxies []netip.Prefix
	// Secure marks cookies Secure even when the request came over plain
	// HTTP (behind a TLS-terminating proxy that does not say so).
	Secure bool
	// MaxBody is the largest request body accepted by ordinary forms and API
	// calls, in bytes.
	MaxBody int64
}

// Health reports whether the storage answers.
type Health interface {
	Ping(ctx context.Context) error
}

// Deps are the services the web layer translates HTTP to.
type Deps struct {
	Sites  *site.Service
	Staff  *staff.Service
	Log    *auditlog.Log
	Visits *visits.Counter
	Health Health
	Logger *slog.Logger
}

// Server holds what every handler needs.
type Server struct {
	Deps
	cfg   Config
	dir   atomic.Pointer[site.Directory]
	pages *Templates
	menu  menu
	cache *PageCache
	// HomeNews, when set, gives a site's home page its latest news (and
	// marks the page cacheable with the tags it depends on).
	HomeNews func(r *http.Request) any
	// Dashboard, when set, adds publishing's block to the staff dashboard;
	// Unread counts the signed-in user's unread notifications.
	Dashboard func(r *http.Request) any
	Unread    func(q *Req) int
	// cop refuses state-changing requests that browsers say come from
	// another site (Sec-Fetch-Site, Origin), before any handler runs.
	cop *http.CrossOriginProtection
}

// New returns a server and loads the site directory.
func New(ctx context.Context, d Deps, cfg Config) (*Server, error) {
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	s := &Server{Deps: d, cfg: cfg, cop: http.NewCrossOriginProtection(), cache: NewPageCache(256 << 20)}
	t, err := LoadTemplates()
	if err != nil {
		return nil, err
	}
	s.pages = t
	s.coreMenu()
	if err := s.Reload(ctx); err != nil {
		return nil, err
	}
	d.Sites.OnChange(func() {
		if err := s.Reload(context.Background()); err != nil {
			s.Logger.Error("reload site directory", "err", err)
		}
		s.cache.Purge() // names, menus and contacts show on every page
	})
	return s, nil
}

// Reload rebuilds the site directory from the database.
func (s *Server) Reload(ctx context.Context) error {
	d, err := s.Sites.Directory(ctx)
	if err != nil {
		return err
	}
	s.dir.Store(d)
	return nil
}

// Directory returns the current site directory.
func (s *Server) Directory() *site.Directory { return s.dir.Load() }

// Config returns the deployment configuration.
func (s *Server) Config() Config { return s.cfg }

func newNonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b) // no "+" or "/": the same in headers and HTML attributes
}

// clientAddr returns the client's address: the peer, or, when the peer is a
// trusted proxy, the last untrusted address in X-Forwarded-For.
func (s *Server) clientAddr(r *http.Request) (string, bool) {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr, false
	}
	addr := peer.Addr().Unmap()
	if !s.trusted(addr) {
		return addr.String(), false
	}
	fwd := r.Header.Values("X-Forwarded-For")
	var hops []string
	for _, v := range fwd {
		for _, h := range splitComma(v) {
			hops = append(hops, h)
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break
		}
		a = a.Unmap()
		if !s.trusted(a) {
			return a.String(), true
		}
		addr = a
	}
	return addr.String(), true
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func splitComma(v string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || v[i] == ',' {
			part := v[start:i]
			for len(part) > 0 && part[0] == ' ' {
				part = part[1:]
			}
			for len(part) > 0 && part[len(part)-1] == ' ' {
				part = part[:len(part)-1]
			}
			if part != "" {
				out = append(out, part)
			}
			start = i + 1
		}
	}
	return out
}

// Timeouts for the HTTP server, generous for slow phones yet bounded.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 60 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 120 * time.Second
	MaxHeaderBytes    = 32 << 10
)

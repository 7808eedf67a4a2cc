// Package servertest starts a whole cong, with the Hà Nội demo, on a real
// listener for tests: HTTP tests use its client (which sends *.localhost
// hosts to the listener, as browsers do) and browser tests open its URLs.
package servertest

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
	"github.com/congvn/cong/internal/web"
)

// Env is a running server with the demo loaded.
type Env struct {
	App    *server.App
	DB     *store.DB
	Logins map[string]demo.Login // by e-mail
	Port   string                // ":43125"
	Addr   string                // 127.0.0.1:43125
	srv    *http.Server
}

// Start builds the demo on a fresh database of engine e and serves it until
// the test ends.
func Start(t testing.TB, e store.Engine, cfg web.Config) *Env {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, e)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if cfg.MediaDir == "" {
		cfg.MediaDir = t.TempDir() // uploads and the demo's pictures
	}
	app, err := server.New(ctx, db, cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	res, err := demo.Build(ctx, app.Services)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	env := &Env{App: app, DB: db, Logins: map[string]demo.Login{}, Addr: ln.Addr().String()}
	_, port, _ := net.SplitHostPort(env.Addr)
	env.Port = ":" + port
	for _, l := range res.Logins {
		env.Logins[l.Email] = l
	}
	env.srv = app.HTTPServer(env.Addr)
	go env.srv.Serve(ln)
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		env.srv.Shutdown(sctx)
	})
	return env
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// URL returns http://HOST:PORT/path for a site code ("" or "hanoi" for the
// city portal).
func (e *Env) URL(code, path string) string {
	host := demo.Domain
	if code != "" && code != demo.CityCode {
		host = code + "." + demo.Domain
	}
	return "http://" + host + e.Port + path
}

// Client returns an HTTP client with its own cookie jar that connects every
// host name to the test server and does not follow redirects.
func (e *Env) Client() *http.Client {
	jar, _ := cookiejar.New(nil)
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return dialer.DialContext(ctx, network, e.Addr)
			},
			TLSClientConfig:   &tls.Config{},
			DisableKeepAlives: false,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Get fetches a URL and returns the response with its body read.
func Get(t testing.TB, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return Do(t, c, req)
}

// Do sends a request and returns the response with its body read.
func Do(t testing.TB, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// PostForm posts a form as a browser on the same site would (with an
// Origin header) and returns the response and body.
func PostForm(t testing.TB, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	pu, _ := url.Parse(u)
	req.Header.Set("Origin", pu.Scheme+"://"+pu.Host)
	return Do(t, c, req)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// CSRF returns the session's form token from a page.
func CSRF(t testing.TB, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in page")
	}
	return m[1]
}

// SignIn signs a demo account in on the city host, through the password
// and TOTP forms, and returns a client holding the session and a page with
// the session's CSRF token.
func (e *Env) SignIn(t testing.TB, email string) (*http.Client, string) {
	t.Helper()
	c := e.Client()
	l, ok := e.Logins[email]
	if !ok {
		t.Fatalf("no demo account %s", email)
	}
	resp, body := PostForm(t, c, e.URL("", "/quan-tri/dang-nhap"), url.Values{"email": {email}, "password": {demo.Password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: status %d: %s", email, resp.StatusCode, body)
	}
	if loc := resp.Header.Get("Location"); loc == "/quan-tri/xac-thuc" {
		_, page := Get(t, c, e.URL("", loc))
		// A code works once; a second sign-in within the same 30 seconds
		// uses the next step's code, which the server accepts for clock
		// drift.
		for _, at := range []time.Time{time.Now(), time.Now().Add(30 * time.Second)} {
			code, err := staff.TOTPCode(l.Secret, at)
			if err != nil {
				t.Fatal(err)
			}
			resp, body = PostForm(t, c, e.URL("", loc), url.Values{"code": {code}, "csrf": {CSRF(t, page)}})
			if resp.StatusCode == http.StatusSeeOther {
				break
			}
		}
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("second factor %s: status %d: %s", email, resp.StatusCode, body)
		}
	}
	_, page := Get(t, c, e.URL("", "/quan-tri/"))
	return c, page
}

// Package e2e checks the served pages as a reader's browser sees them: with
// axe-core in headless Chromium for accessibility (WCAG 2.1 A and AA), with
// the Nu HTML Checker (vnu.jar) for valid HTML, and by driving the staff
// sign-in, the two-step set-up, the keyboard and the display tools.
//
// The tools come from outside Go: Chromium (/usr/bin/chromium, or
// $CHROME_PATH), Java, and axe-core and vnu-jar from the repository's
// package.json. `.ci/install-browser-tools` installs them all (as root, from
// the repository root). When one is missing the tests skip with a message
// naming it, except under CI=true, where they fail.
package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

// installHint tells how to get every tool the package needs.
const installHint = "install the browser tools with `bash .ci/install-browser-tools` as root from the repository root " +
	"(Debian's chromium, Java, and `npm ci` for axe-core and vnu-jar)"

// A tool is one of the outside programs or files the tests need.
type tool int

const (
	toolChromium tool = iota
	toolAxe
	toolVnu
	toolJava
)

// tools are the paths found once per run, with why each is missing.
type tools struct {
	chromium, axe, vnu, java string
	missing                  map[tool]string
}

var (
	toolsOnce  sync.Once
	foundTools tools
)

func findTools() tools {
	toolsOnce.Do(func() {
		t := tools{missing: map[tool]string{}}

		chrome := os.Getenv("CHROME_PATH")
		if chrome == "" {
			chrome = "/usr/bin/chromium"
		}
		if fi, err := os.Stat(chrome); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			t.chromium = chrome
		} else {
			t.missing[toolChromium] = fmt.Sprintf("Chromium not found at %s (set CHROME_PATH, or apt-get install chromium)", chrome)
		}

		root, err := repoRoot()
		if err != nil {
			t.missing[toolAxe] = err.Error()
			t.missing[toolVnu] = err.Error()
		} else {
			modules := filepath.Join(root, "node_modules")
			t.axe = filepath.Join(modules, "axe-core", "axe.min.js")
			if _, err := os.Stat(t.axe); err != nil {
				t.missing[toolAxe] = fmt.Sprintf("axe-core not found at %s (run `npm ci` in %s)", t.axe, root)
				t.axe = ""
			}
			t.vnu = filepath.Join(modules, "vnu-jar", "build", "dist", "vnu.jar")
			if _, err := os.Stat(t.vnu); err != nil {
				t.missing[toolVnu] = fmt.Sprintf("vnu.jar not found at %s (run `npm ci` in %s)", t.vnu, root)
				t.vnu = ""
			}
		}

		if p, err := exec.LookPath("java"); err == nil {
			t.java = p
		} else {
			t.missing[toolJava] = "java not found on PATH (apt-get install default-jre-headless)"
		}
		foundTools = t
	})
	return foundTools
}

// repoRoot walks up from the test's directory to the one holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test directory, so no node_modules to look in")
		}
		dir = parent
	}
}

// ci reports whether the tests run under CI, where nothing may be skipped.
func ci() bool { return os.Getenv("CI") == "true" }

// need returns the tools, or skips t (fails it under CI=true) when one of
// those named is missing.
func need(t *testing.T, want ...tool) tools {
	t.Helper()
	found := findTools()
	var missing []string
	for _, w := range want {
		if why, ok := found.missing[w]; ok {
			missing = append(missing, why)
		}
	}
	if len(missing) > 0 {
		msg := "missing: " + strings.Join(missing, "; ") + "; " + installHint
		if ci() {
			t.Fatal("CI=true requires the browser tools: " + msg)
		}
		t.Skip(msg)
	}
	return found
}

// stepTimeout bounds one browser step, so that a hung page fails the test
// instead of the whole run.
const stepTimeout = 60 * time.Second

// browser is one headless Chromium with one tab, for one test.
type browser struct {
	t   *testing.T
	ctx context.Context // the tab
}

// newBrowser starts Chromium with a fresh profile; it stops when the test
// ends.
func newBrowser(t *testing.T, chromium string) *browser {
	t.Helper()
	dir := t.TempDir()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		// The flags of shared/docs/quality.md, and no others: without the
		// networking ones Chromium floods the closed network.
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
	}
	// The whole browser has a deadline too, well inside go test's own.
	life, stop := context.WithTimeout(context.Background(), 8*time.Minute)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(life, opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	// Cleanups run last-in first-out: the browser stops (and is waited for)
	// before t.TempDir removes its profile.
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		stop()
	})
	// Starts the browser. The viewport is a desktop's, set here rather
	// than by a flag, so that it does not depend on Chromium's default.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("starting Chromium %s: %v", chromium, err)
	}
	return &browser{t: t, ctx: ctx}
}

// with returns the same tab, reporting to t (a subtest).
func (b *browser) with(t *testing.T) *browser { return &browser{t: t, ctx: b.ctx} }

// do runs steps, failing the test on an error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// run runs one action and returns its value, failing the test on an error.
func run[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// open navigates to u and checks the status and that no redirect happened.
func (b *browser) open(u string, status int) {
	b.t.Helper()
	resp := run(b, "open "+u, chromedp.NavigateResponse(u))
	if resp == nil {
		b.t.Fatalf("open %s: no response", u)
	}
	if int(resp.Status) != status {
		b.t.Fatalf("open %s: status %d, want %d", u, resp.Status, status)
	}
	if loc := b.location(); loc != u {
		b.t.Fatalf("open %s: landed on %s", u, loc)
	}
}

// click clicks a link or a button that loads a page (a form's answer, say),
// waits for that page and returns its status.
func (b *browser) click(sel chromedp.CSS) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(sel, chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	return int(resp.Status)
}

// location is the address of the page in the tab.
func (b *browser) location() string {
	b.t.Helper()
	return run(b, "read the location", chromedp.Location())
}

// text returns the text of the first element matching sel.
func (b *browser) text(sel chromedp.CSS) string {
	b.t.Helper()
	return strings.TrimSpace(run(b, "read "+string(sel), chromedp.TextContent(sel)))
}

// count returns how many elements match a CSS selector, without waiting.
func (b *browser) count(sel string) int {
	b.t.Helper()
	return run(b, "count "+sel, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
}

// setCookie sets a cookie for the host of u.
func (b *browser) setCookie(u, name, value string) {
	b.t.Helper()
	b.do("set cookie "+name, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: name, Value: value, URL: u})
		return err
	}))
}

// deleteCookie removes a cookie for the host of u.
func (b *browser) deleteCookie(u, name string) {
	b.t.Helper()
	b.do("delete cookie "+name, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: name, URL: u})
		return err
	}))
}

// startEnv starts the server with the demo for one test.
func startEnv(t *testing.T) *servertest.Env {
	t.Helper()
	return servertest.Start(t, store.SQLite, web.Config{})
}

// totp returns the account's current second-factor code.
func totp(t *testing.T, secret string) string {
	t.Helper()
	code, err := staff.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// wrongCode returns six digits that are not a valid code of secret around
// now (the server allows one step of clock skew either way).
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second, 60 * time.Second} {
		c, err := staff.TOTPCode(secret, time.Now().Add(d))
		if err != nil {
			t.Fatal(err)
		}
		valid[c] = true
	}
	for _, c := range []string{"000000", "111111", "222222"} {
		if !valid[c] {
			return c
		}
	}
	t.Fatal("no wrong code found")
	return ""
}

// Staff form selectors, from internal/web/templates/admin.
const (
	submitButton = chromedp.CSS(`main form.bieu-mau button[type="submit"]`)
	logoutButton = chromedp.CSS(`header .nguoi-dung form[action="/quan-tri/dang-xuat"] button[type="submit"]`)
	pageHeading  = chromedp.CSS(`main h1`)
)

// Headings the staff pages show (internal/i18n/catalog/vi.json).
const (
	headingLogin     = "Đăng nhập"
	headingTOTP      = "Xác thực hai bước"
	headingEnrol     = "Thiết lập xác thực hai bước"
	headingCodes     = "Mã khôi phục"
	headingDashboard = "Bảng điều khiển"
)

// submitPassword fills the sign-in form (the tab must show it) and submits
// it; it returns where the browser landed.
func (b *browser) submitPassword(email, password string) string {
	b.t.Helper()
	b.do("fill the sign-in form",
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	b.click(submitButton)
	return b.location()
}

// submitCode types a code into the second-factor or set-up form and submits
// it; it returns the answer's status.
func (b *browser) submitCode(code string) int {
	b.t.Helper()
	b.do("type the code", chromedp.SendKeys(chromedp.ID("code"), code))
	return b.click(submitButton)
}

// signIn signs a demo account with a second factor in through the forms and
// checks that it reaches the dashboard. It stops on the second-factor page
// first when atTOTP is given, for checks there.
func (b *browser) signIn(env *servertest.Env, email string, atTOTP func()) {
	b.t.Helper()
	l, ok := env.Logins[email]
	if !ok || l.Secret == "" {
		b.t.Fatalf("no enrolled demo account %s", email)
	}
	b.open(env.URL("", "/quan-tri/dang-nhap"), 200)
	if got, want := b.submitPassword(email, demo.Password), env.URL("", "/quan-tri/xac-thuc"); got != want {
		b.t.Fatalf("after the password, landed on %s, want %s", got, want)
	}
	if h := b.text(pageHeading); h != headingTOTP {
		b.t.Fatalf("second-factor page heading %q, want %q", h, headingTOTP)
	}
	if atTOTP != nil {
		atTOTP()
	}
	if st := b.submitCode(totp(b.t, l.Secret)); st != 200 {
		b.t.Fatalf("second factor: status %d", st)
	}
	if got, want := b.location(), env.URL("", "/quan-tri/"); got != want {
		b.t.Fatalf("after the code, landed on %s, want %s", got, want)
	}
	if h := b.text(pageHeading); h != headingDashboard {
		b.t.Fatalf("dashboard heading %q, want %q", h, headingDashboard)
	}
}

// signOut presses the sign-out button and checks the sign-in page follows.
func (b *browser) signOut(env *servertest.Env) {
	b.t.Helper()
	b.click(logoutButton)
	if got, want := b.location(), env.URL("", "/quan-tri/dang-nhap"); got != want {
		b.t.Fatalf("after signing out, landed on %s, want %s", got, want)
	}
}

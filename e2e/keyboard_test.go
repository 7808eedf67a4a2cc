package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focused describes the element that has the focus, and whether it shows
// inside the viewport.
type focused struct {
	Tag     string `json:"tag"`
	ID      string `json:"id"`
	Class   string `json:"class"`
	Href    string `json:"href"`
	Visible bool   `json:"visible"`
}

const readFocus = `(() => {
  const e = document.activeElement, r = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), id: e.id, class: e.className, href: e.getAttribute('href') || '',
    visible: r.width > 1 && r.height > 1 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight};
})()`

// TestSkipLink checks keyboard use: the first Tab stop of a page is the
// link that skips to the content, it shows when focused, and Enter on it
// moves the focus to <main>.
func TestSkipLink(t *testing.T) {
	tl := need(t, toolChromium)
	env := startEnv(t)
	b := newBrowser(t, tl.chromium)

	for _, p := range []page{
		{name: "city-home", path: "/"},
		{name: "ward-home-en", site: "phuong-ba-dinh", path: "/en/"},
		{name: "login", path: "/quan-tri/dang-nhap"},
	} {
		t.Run(p.name, func(t *testing.T) {
			b := b.with(t)
			b.open(p.url(env), http.StatusOK)
			b.do("press Tab", chromedp.KeyEvent(kb.Tab))
			f := run(b, "read the focus", chromedp.Evaluate[focused](readFocus))
			if f.Tag != "a" || !strings.Contains(" "+f.Class+" ", " bo-qua ") || f.Href != "#noi-dung" {
				t.Fatalf("the first Tab stop is <%s id=%q class=%q href=%q>, want the skip link a.bo-qua to #noi-dung", f.Tag, f.ID, f.Class, f.Href)
			}
			if !f.Visible {
				t.Error("the skip link does not show inside the viewport when it has the focus")
			}
			b.do("press Enter", chromedp.KeyEvent(kb.Enter))
			f = run(b, "read the focus", chromedp.Evaluate[focused](readFocus))
			if f.Tag != "main" || f.ID != "noi-dung" {
				t.Errorf("after Enter on the skip link the focus is on <%s id=%q>, want <main id=\"noi-dung\">", f.Tag, f.ID)
			}
			if loc := b.location(); !strings.HasSuffix(loc, "#noi-dung") {
				t.Errorf("after Enter on the skip link the address is %s", loc)
			}
		})
	}
}

// TestDisplayToolsWithoutJavaScript uses the accessibility tools of the top
// bar (larger text, high contrast) with JavaScript off: they are plain
// forms, and the server applies the choice as classes on <html>.
func TestDisplayToolsWithoutJavaScript(t *testing.T) {
	tl := need(t, toolChromium)
	env := startEnv(t)
	b := newBrowser(t, tl.chromium)
	b.do("turn JavaScript off", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	// A page's own script does not run now.
	b.do("open a page with a script", chromedp.Navigate(`data:text/html,<title>no script</title><script>document.title = 'script'</script>`))
	if title := run(b, "read the title", chromedp.Title()); title != "no script" {
		t.Fatalf("JavaScript is still on: the title is %q", title)
	}

	const (
		largeText    = `form.tro-nang button[name="co-chu"][value="lon"]`
		normalText   = `form.tro-nang button[name="co-chu"][value="thuong"]`
		highContrast = `form.tro-nang button[name="tuong-phan"][value="cao"]`
		normalColour = `form.tro-nang button[name="tuong-phan"][value="thuong"]`
	)
	home := env.URL("", "/")
	b.open(home, http.StatusOK)
	htmlClass := func() string {
		t.Helper()
		return run(b, "read the class of <html>", chromedp.AttributeValue(chromedp.CSS("html"), "class")).Value
	}
	if c := htmlClass(); c != "" {
		t.Fatalf("<html> starts with class %q", c)
	}
	if got := b.text(largeText); got != "Phóng to chữ" {
		t.Errorf("the larger-text button says %q, want %q", got, "Phóng to chữ")
	}

	press := func(button chromedp.CSS, want string) {
		t.Helper()
		if st := b.click(button); st != http.StatusOK {
			t.Fatalf("pressing %s: status %d", button, st)
		}
		if loc := b.location(); loc != home {
			t.Errorf("pressing %s led to %s, want back to %s", button, loc, home)
		}
		if c := htmlClass(); c != want {
			t.Errorf("after pressing %s, <html> has class %q, want %q", button, c, want)
		}
	}
	press(largeText, "chu-lon")
	if got := b.text(normalText); got != "Cỡ chữ thường" {
		t.Errorf("with larger text the button says %q, want %q", got, "Cỡ chữ thường")
	}
	press(highContrast, "chu-lon tuong-phan-cao")
	// The choices hold on the host's other pages.
	b.open(env.URL("", "/lien-he"), http.StatusOK)
	if c := htmlClass(); c != "chu-lon tuong-phan-cao" {
		t.Errorf("on another page <html> has class %q, want the choices kept", c)
	}
	b.open(home, http.StatusOK)
	press(normalText, "tuong-phan-cao")
	press(normalColour, "")
}

package e2e

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/web"
)

// axeRun runs axe-core with the rules: WCAG 2.0 and 2.1, levels A and AA (the
// level Vietnamese government portals must meet).
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
.then(r => ({
  violations: r.violations.map(v => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), html: n.html, summary: n.failureSummary || ''}))
  })),
  incomplete: r.incomplete.map(v => v.id + ' (' + v.nodes.length + ')'),
  passes: r.passes.length
}))`

type axeResult struct {
	Violations []struct {
		ID      string `json:"id"`
		Impact  string `json:"impact"`
		Help    string `json:"help"`
		HelpURL string `json:"helpUrl"`
		Nodes   []struct {
			Target  string `json:"target"`
			HTML    string `json:"html"`
			Summary string `json:"summary"`
		} `json:"nodes"`
	} `json:"violations"`
	Incomplete []string `json:"incomplete"`
	Passes     int      `json:"passes"`
}

// axe runs axe-core on the page in the tab and reports every violation as
// an error of the test, naming the page.
func (b *browser) axe(name, source string) {
	b.t.Helper()
	r := b.axeResult(name, source)
	if r.Passes == 0 {
		b.t.Errorf("%s: axe-core passed no rule at all; did the page load?", name)
	}
	if len(r.Incomplete) > 0 {
		b.t.Logf("%s: axe-core could not decide (check by hand): %s", name, strings.Join(r.Incomplete, ", "))
	}
	if len(r.Violations) == 0 {
		return
	}
	var s strings.Builder
	fmt.Fprintf(&s, "%s (%s): %d accessibility violations:", name, b.location(), len(r.Violations))
	for _, v := range r.Violations {
		fmt.Fprintf(&s, "\n  %s [%s]: %s (%s)", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&s, "\n    at %s: %s", n.Target, n.HTML)
			if n.Summary != "" {
				fmt.Fprintf(&s, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
			}
		}
	}
	b.t.Error(s.String())
}

// axeResult runs axe-core on the page in the tab.
func (b *browser) axeResult(name, source string) axeResult {
	b.t.Helper()
	// A new document has no axe yet; the script defines window.axe.
	b.do("load axe-core", chromedp.Evaluate[chromedp.Void](source))
	return run(b, "run axe-core on "+name, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
}

// check opens a page from the table, checks it is the page meant, and runs
// axe-core on it.
func (b *browser) check(p page, env *servertest.Env, axeSource string) {
	b.t.Helper()
	u := p.url(env)
	if p.prefs != "" {
		b.setCookie(u, web.PrefsCookie, p.prefs)
		defer b.deleteCookie(u, web.PrefsCookie)
	}
	b.open(u, p.wantStatus())
	if p.has != "" && b.count(p.has) == 0 {
		b.t.Fatalf("%s: nothing matches %s; not the page meant", p.name, p.has)
	}
	b.axe(p.name, axeSource)
}

func TestAccessibility(t *testing.T) {
	tl := need(t, toolChromium, toolAxe)
	src, err := os.ReadFile(tl.axe)
	if err != nil {
		t.Fatal(err)
	}
	axeSource := string(src)
	env := startEnv(t)
	b := newBrowser(t, tl.chromium)

	// The harness itself: axe-core must see faults put into a page.
	t.Run("harness", func(t *testing.T) {
		b := b.with(t)
		b.open(env.URL("", "/"), http.StatusOK)
		// (Styles through the CSSOM: the page's CSP refuses style attributes.)
		b.do("break the page", chromedp.Evaluate[chromedp.Void](`{
			const main = document.querySelector('main');
			main.insertAdjacentHTML('afterbegin', '<img src="/static/quoc-huy.svg"><input type="text" name="x"><p id="nhat">nhạt</p>');
			const p = document.getElementById('nhat');
			p.style.color = '#ccc';
			p.style.background = '#fff';
		}`))
		got := map[string]bool{}
		for _, v := range b.axeResult("broken page", axeSource).Violations {
			got[v.ID] = true
		}
		for _, id := range []string{"image-alt", "label", "color-contrast"} {
			if !got[id] {
				t.Errorf("axe-core missed %s on a page broken on purpose (found %v)", id, got)
			}
		}
	})

	for _, p := range publicPages {
		t.Run(p.name, func(t *testing.T) { b.with(t).check(p, env, axeSource) })
	}

	// The sign-in form with an error.
	b.open(env.URL("", "/quan-tri/dang-nhap"), http.StatusOK)
	if got, want := b.submitPassword(unknownEmail, demo.Password), env.URL("", "/quan-tri/dang-nhap"); got != want {
		t.Fatalf("after a wrong sign-in, landed on %s, want %s", got, want)
	}
	if b.count("#loi-bieu-mau") == 0 {
		t.Fatal("login-error: a wrong sign-in shows no error")
	}
	b.axe("login-error", axeSource)

	// The system administrator: the second-factor page, with a wrong code
	// first, then every staff page.
	secret := env.Logins[adminEmail].Secret
	b.signIn(env, adminEmail, func() {
		b.axe("staff-totp", axeSource)
		b.submitCode(wrongCode(t, secret))
		if b.count("#code[aria-invalid=true]") == 0 {
			t.Fatal("staff-totp-error: a wrong code shows no error on the field")
		}
		b.axe("staff-totp-error", axeSource)
	})
	for _, p := range staffPages {
		t.Run(p.name, func(t *testing.T) { b.with(t).check(p, env, axeSource) })
	}
	b.signOut(env)

	// A new member of staff sets up two-step verification: the set-up page,
	// with a wrong code first, and the recovery codes.
	b.open(env.URL("", "/quan-tri/dang-nhap"), http.StatusOK)
	if got, want := b.submitPassword(newStaffEmail, demo.Password), env.URL("", "/quan-tri/bao-mat/thiet-lap"); got != want {
		t.Fatalf("new staff landed on %s, want %s", got, want)
	}
	b.axe("staff-enrol", axeSource)
	b.submitCode(wrongCode(t, b.secret()))
	if b.count("#code[aria-invalid=true]") == 0 {
		t.Fatal("staff-enrol-error: a wrong code shows no error on the field")
	}
	b.axe("staff-enrol-error", axeSource)
	if st := b.submitCode(totp(t, b.secret())); st != http.StatusOK {
		t.Fatalf("confirming the set-up: status %d", st)
	}
	if n := b.count("#recovery-codes li"); n == 0 {
		t.Fatal("staff-recovery-codes: no recovery codes shown")
	}
	b.axe("staff-recovery-codes", axeSource)
}

// secret reads the TOTP secret from the set-up page in the tab.
func (b *browser) secret() string {
	b.t.Helper()
	r := run(b, "read the secret", chromedp.AttributeValue(chromedp.ID("secret"), "data-secret"))
	if !r.Exists || r.Value == "" {
		b.t.Fatal("the set-up page shows no secret in #secret[data-secret]")
	}
	return r.Value
}

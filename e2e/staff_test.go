package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/congvn/cong/internal/demo"
)

// TestStaffLoginWith2FA signs the system administrator in through the
// forms, as a person does: e-mail and password, then the code of the
// authenticator app (computed here), then signs out with the button.
func TestStaffLoginWith2FA(t *testing.T) {
	tl := need(t, toolChromium)
	env := startEnv(t)
	b := newBrowser(t, tl.chromium)

	b.signIn(env, adminEmail, nil) // checks the second-factor page and the dashboard heading
	if who := b.text(`header .nguoi-dung strong`); who != "Quản trị hệ thống" {
		t.Errorf("signed in as %q, want the system administrator", who)
	}
	if b.count(`main .canh-bao`) != 0 {
		t.Errorf("the dashboard warns an enrolled administrator: %s", b.text(`main .canh-bao`))
	}
	// The session reaches the other staff pages.
	b.open(env.URL("", "/quan-tri/nguoi-dung"), http.StatusOK)

	b.signOut(env)
	if h := b.text(pageHeading); h != headingLogin {
		t.Errorf("after signing out the page heading is %q, want %q", h, headingLogin)
	}
	// The session is over: the dashboard sends to the sign-in form again.
	run(b, "open the dashboard", chromedp.NavigateResponse(env.URL("", "/quan-tri/")))
	if loc := b.location(); !strings.HasPrefix(loc, env.URL("", "/quan-tri/dang-nhap")) {
		t.Errorf("after signing out the dashboard showed %s, want the sign-in form", loc)
	}
}

// TestEnrolment sets up two-step verification for a new member of staff in
// the browser: the secret is read off the page, the code computed from it,
// and the recovery codes shown once before the dashboard.
func TestEnrolment(t *testing.T) {
	tl := need(t, toolChromium)
	env := startEnv(t)
	b := newBrowser(t, tl.chromium)

	b.open(env.URL("", "/quan-tri/dang-nhap"), http.StatusOK)
	if got, want := b.submitPassword(newStaffEmail, demo.Password), env.URL("", "/quan-tri/bao-mat/thiet-lap"); got != want {
		t.Fatalf("after the password, landed on %s, want %s", got, want)
	}
	if h := b.text(pageHeading); h != headingEnrol {
		t.Fatalf("set-up page heading %q, want %q", h, headingEnrol)
	}
	// The QR code is there for the app to scan, and the secret to type.
	qr := run(b, "read the QR code", chromedp.AttributeValue(chromedp.CSS("img.ma-qr"), "src"))
	if !strings.HasPrefix(qr.Value, "data:image/svg+xml;base64,") {
		t.Errorf("the QR code's src is %.40q, want an SVG data: URL", qr.Value)
	}
	secret := b.secret()
	if shown := strings.ReplaceAll(b.text("#secret"), " ", ""); shown != secret {
		t.Errorf("the page shows the secret as %q, but its data-secret is %q", shown, secret)
	}

	if st := b.submitCode(totp(t, secret)); st != http.StatusOK {
		t.Fatalf("confirming the set-up: status %d", st)
	}
	if h := b.text(pageHeading); h != headingCodes {
		t.Fatalf("after confirming, heading %q, want %q", h, headingCodes)
	}
	codes := run(b, "read the recovery codes", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#recovery-codes li')].map(li => li.textContent.trim())`))
	if len(codes) != 10 {
		t.Errorf("%d recovery codes shown, want 10: %q", len(codes), codes)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if c == "" || seen[c] {
			t.Errorf("recovery codes empty or repeated: %q", codes)
			break
		}
		seen[c] = true
	}

	if st := b.click(`main a.nut-chinh[href="/quan-tri/"]`); st != http.StatusOK {
		t.Fatalf("continuing to the dashboard: status %d", st)
	}
	if got, want := b.location(), env.URL("", "/quan-tri/"); got != want {
		t.Fatalf("continued to %s, want %s", got, want)
	}
	if h := b.text(pageHeading); h != headingDashboard {
		t.Fatalf("dashboard heading %q, want %q", h, headingDashboard)
	}
	if b.count(`main a[href="/quan-tri/tai-khoan/2fa"]`) != 0 {
		t.Error("the dashboard still asks to set up two-step verification")
	}
}

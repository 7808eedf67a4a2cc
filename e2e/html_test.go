package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/web"
)

// vnuReport is what `vnu.jar --format json` writes to standard error.
type vnuReport struct {
	Messages []struct {
		Type        string `json:"type"`    // error, info, non-document-error
		SubType     string `json:"subType"` // e.g. fatal, io
		URL         string `json:"url"`
		Message     string `json:"message"`
		Extract     string `json:"extract"`
		FirstLine   int    `json:"firstLine"`
		LastLine    int    `json:"lastLine"`
		FirstColumn int    `json:"firstColumn"`
		LastColumn  int    `json:"lastColumn"`
	} `json:"messages"`
}

// TestHTMLValidity checks the HTML the server sends, as sent (not the DOM a
// browser builds from it), for every page of the tables and the pages met
// while signing in, with the Nu HTML Checker, in one run of vnu.jar.
func TestHTMLValidity(t *testing.T) {
	tl := need(t, toolVnu, toolJava)
	env := startEnv(t)
	dir := t.TempDir()
	var files []string
	save := func(name, body string) {
		t.Helper()
		if !strings.Contains(body, "<html") {
			t.Fatalf("%s: not an HTML page: %.200q", name, body)
		}
		f := filepath.Join(dir, fmt.Sprintf("%02d-%s.html", len(files)+1, name))
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	fetch := func(c *http.Client, p page) {
		t.Helper()
		req, err := http.NewRequest("GET", p.url(env), nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.prefs != "" {
			req.AddCookie(&http.Cookie{Name: web.PrefsCookie, Value: p.prefs})
		}
		resp, body := servertest.Do(t, c, req)
		if resp.StatusCode != p.wantStatus() {
			t.Fatalf("%s: GET %s: status %d, want %d (Location %q)", p.name, p.url(env), resp.StatusCode, p.wantStatus(), resp.Header.Get("Location"))
		}
		save(p.name, body)
	}
	post := func(c *http.Client, name, path string, form url.Values, status int) string {
		t.Helper()
		resp, body := servertest.PostForm(t, c, env.URL("", path), form)
		if resp.StatusCode != status {
			t.Fatalf("%s: POST %s: status %d, want %d (Location %q)", name, path, resp.StatusCode, status, resp.Header.Get("Location"))
		}
		return body
	}
	expectRedirect := func(name string, resp *http.Response, to string) {
		t.Helper()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != to {
			t.Fatalf("%s: status %d to %q, want 303 to %q", name, resp.StatusCode, resp.Header.Get("Location"), to)
		}
	}

	public := env.Client()
	for _, p := range publicPages {
		fetch(public, p)
	}

	// The sign-in form with an error.
	body := post(env.Client(), "login-error", "/quan-tri/dang-nhap",
		url.Values{"email": {unknownEmail}, "password": {demo.Password}}, http.StatusUnauthorized)
	save("login-error", body)

	// Every staff page, as the system administrator.
	admin, _ := env.SignIn(t, adminEmail)
	for _, p := range staffPages {
		fetch(admin, p)
	}

	// The second-factor page, and with a wrong code (this stops short of
	// signing in, so it uses no code).
	c := env.Client()
	resp, _ := servertest.PostForm(t, c, env.URL("", "/quan-tri/dang-nhap"), url.Values{"email": {adminEmail}, "password": {demo.Password}})
	expectRedirect("staff-totp", resp, "/quan-tri/xac-thuc")
	_, body = servertest.Get(t, c, env.URL("", "/quan-tri/xac-thuc"))
	save("staff-totp", body)
	body = post(c, "staff-totp-error", "/quan-tri/xac-thuc",
		url.Values{"code": {wrongCode(t, env.Logins[adminEmail].Secret)}, "csrf": {servertest.CSRF(t, body)}}, http.StatusUnauthorized)
	save("staff-totp-error", body)

	// Setting up two-step verification: the set-up page, with a wrong code,
	// and the recovery codes.
	c = env.Client()
	resp, _ = servertest.PostForm(t, c, env.URL("", "/quan-tri/dang-nhap"), url.Values{"email": {newStaffEmail}, "password": {demo.Password}})
	expectRedirect("staff-enrol", resp, "/quan-tri/bao-mat/thiet-lap")
	_, body = servertest.Get(t, c, env.URL("", "/quan-tri/bao-mat/thiet-lap"))
	save("staff-enrol", body)
	body = post(c, "staff-enrol-error", "/quan-tri/bao-mat/thiet-lap",
		url.Values{"code": {wrongCode(t, pageSecret(t, body))}, "csrf": {servertest.CSRF(t, body)}}, http.StatusUnauthorized)
	save("staff-enrol-error", body)
	body = post(c, "staff-recovery-codes", "/quan-tri/bao-mat/thiet-lap",
		url.Values{"code": {totp(t, pageSecret(t, body))}, "csrf": {servertest.CSRF(t, body)}}, http.StatusOK)
	if !strings.Contains(body, `id="recovery-codes"`) {
		t.Fatalf("staff-recovery-codes: no recovery codes in the answer")
	}
	save("staff-recovery-codes", body)

	report := vnu(t, tl, files)
	n := 0
	for _, m := range report.Messages {
		if m.Type == "info" {
			continue
		}
		n++
		name := strings.TrimSuffix(filepath.Base(m.URL), ".html")
		t.Errorf("%s:%d:%d: %s %s: %s\n    %s", name, m.LastLine, m.FirstColumn, m.Type, m.SubType, m.Message, strings.TrimSpace(m.Extract))
	}
	if n > 0 {
		t.Logf("the pages checked are in %s (kept only while the test runs)", dir)
	} else {
		t.Logf("vnu.jar found no error in %d pages", len(files))
	}
}

// vnu runs the Nu HTML Checker once over files and returns its report.
func vnu(t *testing.T, tl tools, files []string) vnuReport {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"-jar", tl.vnu, "--format", "json", "--errors-only"}, files...)
	cmd := exec.CommandContext(ctx, tl.java, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // exits non-zero when it finds errors
	var r vnuReport
	if err := json.Unmarshal(stderr.Bytes(), &r); err != nil {
		t.Fatalf("vnu.jar: %v (run: %v)\nstdout: %s\nstderr: %s", err, runErr, stdout.String(), stderr.String())
	}
	if runErr != nil && len(r.Messages) == 0 {
		t.Fatalf("vnu.jar failed without a message: %v\nstdout: %s\nstderr: %s", runErr, stdout.String(), stderr.String())
	}
	return r
}

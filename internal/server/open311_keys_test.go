package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

var (
	newKeyRE    = regexp.MustCompile(`id="khoa-moi" type="text" readonly value="(o311_[0-9a-f]+)"`)
	revokeKeyRE = regexp.MustCompile(`action="/quan-tri/open311/(\d+)/thu-hoi"`)
)

// A system administrator manages Open311 application keys on the staff
// page: creates one (shown once), the key posts requests, revoking it makes
// the Open311 endpoints refuse it; each change is in the audit log. A site
// editor is refused the page.
func TestOpen311KeysPage(t *testing.T) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) { testOpen311KeysPage(t, servertest.Start(t, e, web.Config{})) })
	}
}

func testOpen311KeysPage(t *testing.T, env *servertest.Env) {
	page := env.URL("", "/quan-tri/open311")
	c, dash := env.SignIn(t, "quantri@hanoi.gov.vn")
	if !strings.Contains(dash, `href="/quan-tri/open311"`) {
		t.Errorf("the dashboard does not link the keys page")
	}
	csrf := servertest.CSRF(t, dash)
	resp, body := servertest.Get(t, c, page)
	if resp.StatusCode != 200 || !strings.Contains(body, "Khóa ứng dụng Open311") {
		t.Fatalf("keys page: %d %.300s", resp.StatusCode, body)
	}

	// Hostile or wrong input: clear messages, nothing created.
	for _, f := range []url.Values{
		{"name": {""}, "per_minute": {"0"}},
		{"name": {"Ứng dụng"}, "per_minute": {"601"}},
		{"name": {"Ứng dụng"}, "per_minute": {"mười"}},
		{"name": {strings.Repeat("dài ", 40)}, "per_minute": {"10"}},
	} {
		f.Set("csrf", csrf)
		resp, body = servertest.PostForm(t, c, page, f)
		if resp.StatusCode != http.StatusUnprocessableEntity || newKeyRE.MatchString(body) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("create %v: %d %.300s", f, resp.StatusCode, body)
		}
	}
	if resp, _ = servertest.PostForm(t, c, page, url.Values{"name": {"Không CSRF"}, "per_minute": {"10"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("create without CSRF: %d", resp.StatusCode)
	}

	resp, body = servertest.PostForm(t, c, page, url.Values{"csrf": {csrf}, "name": {"Hà Nội Xanh"}, "per_minute": {"30"}})
	m := newKeyRE.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil || !strings.Contains(body, "chỉ hiện một lần") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create: %d %q %.500s", resp.StatusCode, resp.Header.Get("Cache-Control"), body)
	}
	key := m[1]
	// The list is newest first: the first revoke form is the new key's
	// (the demo's keys come after it).
	ids := revokeKeyRE.FindStringSubmatch(body)
	if ids == nil {
		t.Fatalf("no revoke form for the new key")
	}
	_, body = servertest.Get(t, c, page)
	before := strings.Count(body, "Đã thu hồi lúc")
	if strings.Contains(body, key) || !strings.Contains(body, "Hà Nội Xanh") || !strings.Contains(body, key[:9]+"…") {
		t.Errorf("the list shows the key again, or not the application")
	}

	post := func() int {
		form := url.Values{"api_key": {key}, "service_code": {"giao-thong"}, "lat": {"21.03417"}, "long": {"105.83911"},
			"description": {"Nắp cống hở trên phố Phan Đình Phùng, nguy hiểm cho người đi xe máy."},
			"first_name":  {"Lan"}, "last_name": {"Nguyễn"}, "email": {"lan@example.vn"}}
		resp, body := post311(t, env.Client(), env.URL("", "/open311/v2/requests.json"), form)
		if resp.StatusCode >= 400 {
			t.Logf("open311 post: %d %s", resp.StatusCode, body)
		}
		return resp.StatusCode
	}
	if got := post(); got != http.StatusCreated {
		t.Fatalf("posting with the new key: %d", got)
	}

	// Revoking asks for a confirmation first.
	revoke := env.URL("", "/quan-tri/open311/"+ids[1]+"/thu-hoi")
	resp, body = servertest.PostForm(t, c, revoke, url.Values{"csrf": {csrf}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Hãy đánh dấu ô xác nhận") {
		t.Errorf("revoke without confirmation: %d", resp.StatusCode)
	}
	if got := post(); got != http.StatusCreated {
		t.Fatalf("the key stopped working without a confirmed revocation: %d", got)
	}
	resp, _ = servertest.PostForm(t, c, revoke, url.Values{"csrf": {csrf}, "xac_nhan": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if got := post(); got != http.StatusForbidden {
		t.Errorf("posting with a revoked key: %d, want 403", got)
	}
	_, body = servertest.Get(t, c, page)
	if strings.Count(body, "Đã thu hồi lúc") != before+1 || strings.Contains(body, "/quan-tri/open311/"+ids[1]+"/thu-hoi") {
		t.Errorf("the list does not show the key revoked")
	}
	if resp, _ = servertest.PostForm(t, c, revoke, url.Values{"csrf": {csrf}, "xac_nhan": {"1"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("revoking twice: %d", resp.StatusCode)
	}
	if resp, _ = servertest.PostForm(t, c, env.URL("", "/quan-tri/open311/abc/thu-hoi"), url.Values{"csrf": {csrf}, "xac_nhan": {"1"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("revoking a malformed id: %d", resp.StatusCode)
	}

	for _, action := range []string{"open311.key_create", "open311.key_revoke"} {
		es, _, err := env.App.Log.Entries(t.Context(), auditFilterAll(action))
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, e := range es {
			if strings.Contains(e.Detail, key) {
				t.Errorf("audit %s holds the key: %s", action, e.Detail)
			}
			if e.Target == key[:9] && e.ActorName == "quantri@hanoi.gov.vn" {
				found++
			}
		}
		if found != 1 {
			t.Errorf("audit %s: %d entries for the key, want 1", action, found)
		}
	}

	// A site editor may not see or change the keys.
	ed, edDash := env.SignIn(t, "bientap@hanoi.gov.vn")
	if strings.Contains(edDash, `href="/quan-tri/open311"`) {
		t.Errorf("the editor's dashboard links the keys page")
	}
	if resp, _ = servertest.Get(t, ed, page); resp.StatusCode != http.StatusForbidden {
		t.Errorf("editor GET: %d, want 403", resp.StatusCode)
	}
	resp, _ = servertest.PostForm(t, ed, page, url.Values{"csrf": {servertest.CSRF(t, edDash)}, "name": {"Lén"}, "per_minute": {"10"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("editor POST: %d, want 403", resp.StatusCode)
	}
}

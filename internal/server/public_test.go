package server_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

func TestPublicPages(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	tests := []struct {
		name, url, lang string
		want            []string
	}{
		{"city", env.URL("", "/"), "vi", []string{"Thành phố Hà Nội", "Quốc huy", "Lượt truy cập", "Số 79 Đinh Tiên Hoàng", "Phóng to chữ", `hreflang="en"`}},
		{"city alias localhost", "http://localhost" + env.Port + "/", "vi", []string{"Thành phố Hà Nội"}},
		{"city english", env.URL("", "/en/"), "en", []string{"Hanoi City", "National emblem", "Visits", "79 Dinh Tien Hoang"}},
		{"ward", env.URL("phuong-ba-dinh", "/"), "vi", []string{"Phường Ba Đình", "Trực thuộc:", "Cổng Thành phố"}},
		{"ward english", env.URL("phuong-ba-dinh", "/en/"), "en", []string{"Ba Dinh Ward"}},
		{"agency", env.URL("so-tu-phap", "/"), "vi", []string{"Sở Tư pháp"}},
		{"section", env.URL("chuyen-doi-so", "/"), "vi", []string{"Chuyên trang Chuyển đổi số", "Chuyên trang"}},
		{"data portal", env.URL("data", "/"), "vi", []string{"Cổng Dữ liệu Thành phố Hà Nội", "Cổng dữ liệu"}},
		{"mounted site", env.URL("", "/don-vi/xa-soc-son/"), "vi", []string{"Xã Sóc Sơn", `href="/don-vi/xa-soc-son/lien-he"`}},
		{"mounted english", env.URL("", "/don-vi/xa-soc-son/en/lien-he"), "en", []string{"Soc Son Commune", "Contact"}},
		{"contact", env.URL("", "/lien-he"), "vi", []string{"Thông tin liên hệ", "024 3825 3536", "Trưởng Ban Biên tập"}},
		{"contact english", env.URL("", "/en/lien-he"), "en", []string{"Head of the Editorial Board"}},
		{"units", env.URL("", "/don-vi/"), "vi", []string{"Phường Ba Đình", "Xã Hương Sơn", "Sở Y tế", "Đơn vị đã sáp nhập", "Quận Ba Đình"}},
		{"search folded", env.URL("", "/tim-kiem?q=dong+anh"), "vi", []string{"Xã Đông Anh"}},
		{"search diacritics", env.URL("", "/tim-kiem?q=%C4%90%C3%B4ng+Anh"), "vi", []string{"Xã Đông Anh"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := servertest.Get(t, c, tt.url)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if !strings.Contains(body, `<html lang="`+tt.lang+`"`) {
				t.Errorf("<html lang> is not %q", tt.lang)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			// A fresh render allows its scripts by a nonce, a cached copy
			// by their hashes.
			csp := resp.Header.Get("Content-Security-Policy")
			if fresh := resp.Header.Get("X-Cache") != "hit"; fresh && !strings.Contains(csp, "script-src 'self' 'nonce-") ||
				!fresh && !strings.Contains(csp, "script-src 'self' 'sha256-") {
				t.Errorf("CSP = %q", csp)
			}
		})
	}
}

func TestUnitsDirectoryHasEveryCommune(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	_, body := servertest.Get(t, env.Client(), env.URL("", "/don-vi/"))
	body, _, _ = strings.Cut(body, "Đơn vị đã sáp nhập") // the groups, not the merged units' table
	wards := strings.Count(body, `.hanoi.localhost`+env.Port+`/">Phường `)
	communes := strings.Count(body, `.hanoi.localhost`+env.Port+`/">Xã `)
	if wards != 51 || communes != 75 {
		t.Errorf("directory links %d wards and %d communes; want 51 and 75", wards, communes)
	}
	// Vietnamese order: Đ after D, within the communes.
	if i, j := strings.Index(body, ">Xã Dân Hòa<"), strings.Index(body, ">Xã Đông Anh<"); i < 0 || j < 0 || i > j {
		t.Errorf("Xã Dân Hòa (%d) should come before Xã Đông Anh (%d)", i, j)
	}
}

func TestErrorPages(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	tests := []struct {
		name, method, url string
		status            int
		want              string
	}{
		{"not found vi", "GET", env.URL("", "/khong-co-trang-nay"), 404, "Không tìm thấy trang"},
		{"not found en", "GET", env.URL("", "/en/no-such-page"), 404, "Page not found"},
		{"unknown host", "GET", "http://khong-co.example.vn" + env.Port + "/", 404, "không thuộc hệ thống"},
		{"unknown subdomain", "GET", env.URL("khong-co", "/"), 404, "không thuộc hệ thống"},
		{"invalid utf-8 path", "GET", env.URL("", "/%ff%fe"), 400, "Địa chỉ trang không hợp lệ"},
		{"method not allowed", "DELETE", env.URL("", "/lien-he"), 405, "không nhận loại yêu cầu"},
		{"language the site lacks", "GET", env.URL("", "/fr/"), 404, ""},
		{"api unknown", "GET", env.URL("", "/api/v1/khong-co"), 404, `"code":"not_found"`},
		{"api method", "DELETE", env.URL("", "/api/v1/sites"), 405, `"code":"method_not_allowed"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, tt.url, nil)
			resp, body := servertest.Do(t, c, req)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("body lacks %q:\n%.400s", tt.want, body)
			}
			if strings.Contains(body, "goroutine ") || strings.Contains(body, ".go:") {
				t.Errorf("body shows a stack trace")
			}
		})
	}
}

func TestCleanPathsRedirect(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	for _, p := range []string{"//lien-he", "/a/../lien-he", "/./lien-he"} {
		req, _ := http.NewRequest("GET", env.URL("", "/"), nil)
		req.URL.Path, req.URL.RawPath = p, ""
		req.URL.Opaque = "//" + req.URL.Host + p
		resp, _ := servertest.Do(t, c, req)
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/lien-he" {
			t.Errorf("%s: %d → %q", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, _ := servertest.Get(t, c, env.URL("", "/en"))
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/en/" {
		t.Errorf("/en: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestAccessibilityPrefsWithoutJavaScript(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	resp, _ := servertest.PostForm(t, c, env.URL("phuong-ba-dinh", "/hien-thi"), url.Values{"co-chu": {"lon"}, "tro-lai": {"/lien-he"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/lien-he" {
		t.Fatalf("status %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	servertest.PostForm(t, c, env.URL("phuong-ba-dinh", "/hien-thi"), url.Values{"tuong-phan": {"cao"}, "tro-lai": {"/"}})
	_, body := servertest.Get(t, c, env.URL("phuong-ba-dinh", "/lien-he"))
	if !strings.Contains(body, `<html lang="vi" class="chu-lon tuong-phan-cao">`) {
		t.Errorf("preferences not applied")
	}
	if !strings.Contains(body, "Cỡ chữ thường") || !strings.Contains(body, "Tương phản thường") {
		t.Errorf("the tools do not offer to switch back")
	}
	resp, _ = servertest.PostForm(t, c, env.URL("phuong-ba-dinh", "/hien-thi"), url.Values{"co-chu": {"thuong"}, "tro-lai": {"//evil.example/"}})
	if loc := resp.Header.Get("Location"); loc != "/" {
		t.Errorf("open redirect: Location %q", loc)
	}
	// A form posted from another site is refused.
	req, _ := http.NewRequest("POST", env.URL("phuong-ba-dinh", "/hien-thi"), strings.NewReader("co-chu=lon"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "http://evil.example")
	if resp, _ := servertest.Do(t, c, req); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site form: status %d", resp.StatusCode)
	}
}

func TestVisitCounter(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	// The home page is cached after the first view: cache hits count too.
	// (Cached pages show a count up to the cache's MaxAge old; the contact
	// page is not cached and shows it live.)
	for range 3 {
		servertest.Get(t, c, env.URL("so-y-te", "/"))
	}
	_, body := servertest.Get(t, c, env.URL("so-y-te", "/lien-he"))
	if !strings.Contains(body, "Lượt truy cập: <strong>4</strong>") {
		i := strings.Index(body, "Lượt truy cập")
		t.Errorf("footer count: %q", body[i:min(len(body), i+60)])
	}
}

// A site with an EMC code carries the national tracker on every public
// page, with the page's nonce, and its CSP opens that host only for it.
func TestEMCTracker(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	ctx := asSystem(t)
	st, _ := env.App.Sites.Site(ctx, "so-y-te")
	in := siteSettings(st)
	in.EMCID = "1234"
	if _, err := env.App.Sites.UpdateSettings(ctx, "so-y-te", st.Version, in); err != nil {
		t.Fatal(err)
	}
	c := env.Client()
	resp, body := servertest.Get(t, c, env.URL("so-y-te", "/lien-he"))
	csp := resp.Header.Get("Content-Security-Policy")
	nonce := csp[strings.Index(csp, "'nonce-")+7:]
	nonce = nonce[:strings.Index(nonce, "'")]
	if !strings.Contains(body, `<script nonce="`+nonce+`">`) || !strings.Contains(body, "_govaq.push(['setSiteId', '1234'])") ||
		!strings.Contains(body, "https://f-emc.ngsp.gov.vn/embed/gov-tracking.min.js") {
		t.Errorf("tracker snippet missing or without the nonce")
	}
	if !strings.Contains(csp, "script-src 'self' 'nonce-"+nonce+"' https://f-emc.ngsp.gov.vn") {
		t.Errorf("CSP does not allow the tracker: %s", csp)
	}
	// A cached copy repeats no nonce: its policy allows the tracker's
	// inline script by its hash.
	servertest.Get(t, c, env.URL("so-y-te", "/"))
	resp, body = servertest.Get(t, c, env.URL("so-y-te", "/"))
	csp = resp.Header.Get("Content-Security-Policy")
	if resp.Header.Get("X-Cache") != "hit" || strings.Contains(csp, "'nonce-") {
		t.Fatalf("home page not cached, or its cached policy has a nonce: %s %s", resp.Header.Get("X-Cache"), csp)
	}
	m := regexp.MustCompile(`(?s)<script nonce="[^"]*">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no inline script on the cached home page")
	}
	sum := sha256.Sum256([]byte(m[1]))
	if want := "script-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "' https://f-emc.ngsp.gov.vn"; !strings.Contains(csp, want) {
		t.Errorf("cached policy %q lacks %q", csp, want)
	}
	resp, body = servertest.Get(t, c, env.URL("so-tu-phap", "/"))
	if strings.Contains(body, "_govaq") || strings.Contains(resp.Header.Get("Content-Security-Policy"), "f-emc") {
		t.Errorf("a site without an EMC code carries the tracker")
	}
}

// A path missing its final slash is redirected within the mount and the
// language prefix it was asked under.
func TestTrailingSlashRedirectKeepsPrefixes(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	for _, tt := range []struct{ url, want string }{
		{env.URL("", "/don-vi"), "/don-vi/"},
		{env.URL("", "/don-vi/xa-soc-son/en/gioi-thieu?a=1"), "/don-vi/xa-soc-son/en/gioi-thieu/?a=1"},
		{env.URL("phuong-ba-dinh", "/en/gioi-thieu"), "/en/gioi-thieu/"},
	} {
		resp, _ := servertest.Get(t, c, tt.url)
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != tt.want {
			t.Errorf("%s: %d → %q, want %q", tt.url, resp.StatusCode, resp.Header.Get("Location"), tt.want)
		}
	}
}

package server_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/feedbackweb"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

var challengeRE = regexp.MustCompile(`name="pow_challenge" value="([^"]+)"`)

// citizenForm returns a filled feedback form, with the proof of work done
// as the page's script would.
func citizenForm(t *testing.T, c *http.Client, u string, phone string) url.Values {
	t.Helper()
	resp, page := servertest.Get(t, c, u)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	m := challengeRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no challenge in the form")
	}
	return url.Values{"pow_challenge": {m[1]}, "pow_nonce": {feedbackweb.Solve(m[1])}, "category": {"moi-truong"},
		"title": {"Rác thải <b>tràn</b> ra đường"}, "body": {`Rác thải ở ngõ 12 <script>alert("x")</script> chưa được thu gom ba ngày.`},
		"name": {"Lê Thị Hoa"}, "phone": {phone}, "consent": {"1"}}
}

func TestFeedbackFromFormToTracking(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	form := citizenForm(t, c, env.URL("phuong-ba-dinh", "/phan-anh/gui"), "0912000111")
	resp, body := servertest.PostForm(t, c, env.URL("phuong-ba-dinh", "/phan-anh/gui"), form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%.2000s", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "/tra-cuu?ma=PA-") {
		t.Fatalf("redirect to %q", loc)
	}
	code, _ := url.QueryUnescape(strings.TrimSuffix(strings.TrimPrefix(loc, "/tra-cuu?ma="), "&moi=1"))
	_, page := servertest.Get(t, c, env.URL("phuong-ba-dinh", loc))
	for _, want := range []string{code, "Mới tiếp nhận", "Rác thải &lt;b&gt;tràn&lt;/b&gt;", "Đã tiếp nhận qua cổng Phường Ba Đình"} {
		if !strings.Contains(page, want) {
			t.Errorf("tracking page lacks %q", want)
		}
	}
	if strings.Contains(page, "0912000111") || strings.Contains(page, "Lê Thị Hoa") || strings.Contains(page, "<b>tràn") {
		t.Error("tracking page shows contacts or raw markup")
	}
	// The same code typed loosely finds it; an unknown one says so.
	resp, _ = servertest.Get(t, c, env.URL("", "/tra-cuu?ma="+url.QueryEscape(strings.ToLower(strings.ReplaceAll(code, "-", " ")))))
	if resp.StatusCode != http.StatusOK {
		t.Errorf("loosely typed code: %d", resp.StatusCode)
	}
	resp, page = servertest.Get(t, c, env.URL("", "/tra-cuu?ma=PA-AAAAA-BBBBB"))
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "Không tìm thấy") {
		t.Errorf("unknown code: %d", resp.StatusCode)
	}
	resp, _ = servertest.Get(t, c, env.URL("", "/tra-cuu?ma=%27%20OR%201%3D1"))
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("garbage code: %d", resp.StatusCode)
	}

	// The city's editorial office sees it, with the markup shown as text.
	staff, _ := env.SignIn(t, "phananh@hanoi.gov.vn")
	resp, page = servertest.Get(t, staff, env.URL("", "/quan-tri/phan-anh/hanoi/muc?ma="+url.QueryEscape(code)))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("staff item page: %d", resp.StatusCode)
	}
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") || strings.Contains(page, `<script>alert("x")`) {
		t.Error("script in the text is not shown as text on the staff page")
	}
	if !strings.Contains(page, "0912000111") {
		t.Error("the staff page lacks the contact")
	}
	// The ward's officer cannot open the city's items.
	ward, _ := env.SignIn(t, "phananh.badinh@hanoi.gov.vn")
	resp, _ = servertest.Get(t, ward, env.URL("", "/quan-tri/phan-anh/hanoi/muc?ma="+url.QueryEscape(code)))
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("ward officer on the city desk: %d", resp.StatusCode)
	}
}

func TestFeedbackFormRejectsBadInput(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	u := env.URL("", "/hoi-dap/gui")
	form := citizenForm(t, c, u, "0912000222")
	form.Set("consent", "")
	form.Set("email", "khong-hop-le")
	resp, page := servertest.PostForm(t, c, u, form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Cần có sự đồng ý") || !strings.Contains(page, "thư điện tử không hợp lệ") {
		t.Errorf("bad form: %d", resp.StatusCode)
	}
	if !strings.Contains(page, `value="Lê Thị Hoa"`) {
		t.Error("what was typed is lost")
	}
	form = citizenForm(t, c, u, "0912000333")
	form.Set("website", "http://spam.example")
	if resp, _ := servertest.PostForm(t, c, u, form); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("honeypot filled: %d", resp.StatusCode)
	}
}

// A flood from one address is throttled while another address gets
// through (the server trusts the proxy in front of it).
func TestFeedbackFloodFromOneAddress(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	c := env.Client()
	u := env.URL("", "/phan-anh/gui")
	post := func(addr string, i int) int {
		form := citizenForm(t, c, u, fmt.Sprintf("09120%05d", i))
		form.Set("title", "Phản ánh số "+itoa(i))
		req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", addr)
		resp, _ := servertest.Do(t, c, req)
		return resp.StatusCode
	}
	accepted, throttled := 0, 0
	for i := 0; i < 40; i++ {
		switch post("203.0.113.9", i) {
		case http.StatusSeeOther:
			accepted++
		case http.StatusTooManyRequests:
			throttled++
		default:
			t.Fatal("unexpected status")
		}
	}
	if accepted != 10 || throttled != 30 {
		t.Errorf("flood: %d accepted, %d throttled; want 10 and 30", accepted, throttled)
	}
	if st := post("198.51.100.7", 99); st != http.StatusSeeOther {
		t.Errorf("another citizen during the flood: %d", st)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestFeedbackPublicPages(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	for _, tt := range []struct{ site, path, want string }{
		{"", "/phan-anh", "Phản ánh, kiến nghị"},
		{"", "/hoi-dap", "Các lĩnh vực"},
		{"", "/hoi-dap?linh-vuc=thu-tuc", "Thủ tục hành chính"},
		{"", "/hoi-dap?q=thuong+tru", "thường trú"},
		{"", "/phan-anh/thong-ke", "Tỉ lệ giải quyết"},
		{"phuong-ba-dinh", "/phan-anh", "Phản ánh, kiến nghị"},
		{"", "/en/phan-anh", "Feedback and petitions"},
		{"", "/en/hoi-dap/gui", "Notice on personal data"},
		{"", "/tra-cuu", "Mã tra cứu"},
	} {
		resp, page := servertest.Get(t, c, env.URL(tt.site, tt.path))
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, tt.want) {
			t.Errorf("%s%s: %d, want %q", tt.site, tt.path, resp.StatusCode, tt.want)
		}
	}
	resp, _ := servertest.Get(t, c, env.URL("", "/phan-anh/thong-ke.xlsx"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("stats export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// A published answer opens; an unknown one is not found.
	_, page := servertest.Get(t, c, env.URL("", "/hoi-dap?linh-vuc=thu-tuc"))
	m := regexp.MustCompile(`href="(/hoi-dap/[0-9]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no published question listed")
	}
	if resp, page := servertest.Get(t, c, env.URL("", m[1])); resp.StatusCode != http.StatusOK || !strings.Contains(page, "Trả lời của") {
		t.Errorf("%s: %d", m[1], resp.StatusCode)
	}
	if resp, _ := servertest.Get(t, c, env.URL("", "/hoi-dap/999999")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown answer: %d", resp.StatusCode)
	}
	// Staff pages of the city desk.
	staff, _ := env.SignIn(t, "phananh@hanoi.gov.vn")
	for _, p := range []string{"/quan-tri/phan-anh/hanoi/", "/quan-tri/phan-anh/hanoi/?xem=qua-han", "/quan-tri/phan-anh/hanoi/?xem=cho-duyet", "/quan-tri/phan-anh/hanoi/thong-ke"} {
		if resp, _ := servertest.Get(t, staff, env.URL("", p)); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	if resp, _ := servertest.Get(t, staff, env.URL("", "/quan-tri/phan-anh/hanoi/bao-cao.xlsx")); resp.StatusCode != http.StatusOK {
		t.Errorf("report: %d", resp.StatusCode)
	}
}

// codeOf returns the tracking code a successful submission redirects to.
func codeOf(t *testing.T, resp *http.Response) string {
	t.Helper()
	loc := resp.Header.Get("Location")
	i, j := strings.Index(loc, "ma="), strings.Index(loc, "&moi=1")
	if i < 0 || j < i {
		t.Fatalf("no code in the redirect %q", loc)
	}
	code, _ := url.QueryUnescape(loc[i+3 : j])
	return code
}

// A form whose proof of work is forged or replayed is taken in, marked
// unverified, and held to the stricter rate, with a message that says why.
func TestFeedbackForgedAndReplayedProofOfWork(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	u := env.URL("", "/phan-anh/gui")
	good := citizenForm(t, c, u, "0912000401")
	resp, page := servertest.PostForm(t, c, u, good)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("verified submission: %d\n%.1000s", resp.StatusCode, page)
	}
	verified := codeOf(t, resp)

	// The same solved challenge a second time.
	replay := citizenForm(t, c, u, "0912000402")
	replay.Set("pow_challenge", good.Get("pow_challenge"))
	replay.Set("pow_nonce", good.Get("pow_nonce"))
	// A challenge with its signature changed, solved.
	forged := citizenForm(t, c, u, "0912000403")
	ch := forged.Get("pow_challenge")
	ch = ch[:len(ch)-4] + "0000"
	forged.Set("pow_challenge", ch)
	forged.Set("pow_nonce", feedbackweb.Solve(ch))
	// No proof at all (a browser without JavaScript).
	none := citizenForm(t, c, u, "0912000404")
	none.Del("pow_challenge")
	none.Del("pow_nonce")
	var unverified []string
	for _, form := range []url.Values{replay, forged, none} {
		resp, page := servertest.PostForm(t, c, u, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("unverified submission: %d\n%.1000s", resp.StatusCode, page)
		}
		unverified = append(unverified, codeOf(t, resp))
	}
	// The stricter rate: a fourth unverified form from the address is
	// refused, in Vietnamese, and nothing is stored; a verified one still
	// gets through.
	forged2 := citizenForm(t, c, u, "0912000405")
	forged2.Set("pow_challenge", forged2.Get("pow_challenge")[:20]+"x"+forged2.Get("pow_challenge")[21:])
	resp, page = servertest.PostForm(t, c, u, forged2)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "không chạy được bước xác minh tự động") {
		t.Errorf("fourth unverified form: %d", resp.StatusCode)
	}
	if strings.Contains(resp.Header.Get("Location"), "ma=") {
		t.Error("a refused form got a code")
	}
	if resp, _ := servertest.PostForm(t, c, u, citizenForm(t, c, u, "0912000406")); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("verified form after the unverified ones: %d", resp.StatusCode)
	}

	staff, _ := env.SignIn(t, "phananh@hanoi.gov.vn")
	label := "Chưa xác minh"
	item := func(code string) string {
		resp, page := servertest.Get(t, staff, env.URL("", "/quan-tri/phan-anh/hanoi/muc?ma="+url.QueryEscape(code)))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("staff item %s: %d", code, resp.StatusCode)
		}
		return page
	}
	if strings.Contains(item(verified), label) {
		t.Error("the verified submission is marked unverified")
	}
	for _, code := range unverified {
		if !strings.Contains(item(code), label) {
			t.Errorf("%s is not marked unverified", code)
		}
	}
}

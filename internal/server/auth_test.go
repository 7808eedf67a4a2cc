package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

func login(t *testing.T, env *servertest.Env, c *http.Client, email, password string) (*http.Response, string) {
	t.Helper()
	return servertest.PostForm(t, c, env.URL("", "/quan-tri/dang-nhap"), url.Values{"email": {email}, "password": {password}})
}

func TestLoginWithTOTP(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	const email = "quantri.badinh@hanoi.gov.vn"
	secret := env.Logins[email].Secret

	t.Run("PagesNeedSession", func(t *testing.T) {
		resp, _ := servertest.Get(t, env.Client(), env.URL("", "/quan-tri/trang/"))
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/quan-tri/dang-nhap?tiep=") {
			t.Errorf("status %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		resp, body := login(t, env, env.Client(), email, "sai-mat-khau-roi")
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Thư điện tử hoặc mật khẩu không đúng") {
			t.Errorf("status %d", resp.StatusCode)
		}
		resp, body = login(t, env, env.Client(), "khong-ton-tai@hanoi.gov.vn", demo.Password)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Thư điện tử hoặc mật khẩu không đúng") {
			t.Errorf("unknown account: status %d (must look like a wrong password)", resp.StatusCode)
		}
	})
	t.Run("PasswordAloneIsNotEnough", func(t *testing.T) {
		c := env.Client()
		resp, _ := login(t, env, c, email, demo.Password)
		if resp.Header.Get("Location") != "/quan-tri/xac-thuc" {
			t.Fatalf("after password: → %q", resp.Header.Get("Location"))
		}
		resp, _ = servertest.Get(t, c, env.URL("", "/quan-tri/trang/phuong-ba-dinh/"))
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/quan-tri/xac-thuc" {
			t.Errorf("staff page before the second factor: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, page := servertest.Get(t, c, env.URL("", "/quan-tri/xac-thuc"))
		csrf := servertest.CSRF(t, page)
		resp, body := servertest.PostForm(t, c, env.URL("", "/quan-tri/xac-thuc"), url.Values{"code": {"000000"}, "csrf": {csrf}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Mã xác thực không đúng") {
			t.Errorf("wrong code: status %d", resp.StatusCode)
		}
		code, _ := staff.TOTPCode(secret, time.Now())
		resp, _ = servertest.PostForm(t, c, env.URL("", "/quan-tri/xac-thuc"), url.Values{"code": {code}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("code without CSRF token: status %d", resp.StatusCode)
		}
		resp, _ = servertest.PostForm(t, c, env.URL("", "/quan-tri/xac-thuc"), url.Values{"code": {code}, "csrf": {csrf}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/quan-tri/" {
			t.Fatalf("right code: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, body = servertest.Get(t, c, env.URL("", "/quan-tri/"))
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Quản trị trang") {
			t.Errorf("dashboard: %d", resp.StatusCode)
		}

		// The same code cannot be used again, even within its 30 seconds.
		c2 := env.Client()
		login(t, env, c2, email, demo.Password)
		_, page = servertest.Get(t, c2, env.URL("", "/quan-tri/xac-thuc"))
		resp, _ = servertest.PostForm(t, c2, env.URL("", "/quan-tri/xac-thuc"), url.Values{"code": {code}, "csrf": {servertest.CSRF(t, page)}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("replayed code: status %d", resp.StatusCode)
		}

		// Signing out ends the session.
		_, page = servertest.Get(t, c, env.URL("", "/quan-tri/"))
		resp, _ = servertest.PostForm(t, c, env.URL("", "/quan-tri/dang-xuat"), url.Values{"csrf": {servertest.CSRF(t, page)}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("logout: %d", resp.StatusCode)
		}
		resp, _ = servertest.Get(t, c, env.URL("", "/quan-tri/"))
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("after logout the dashboard answered %d", resp.StatusCode)
		}
	})
}

func TestLoginLockout(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	const email = "bientap@hanoi.gov.vn"
	for i := 1; i <= 4; i++ {
		if resp, _ := login(t, env, env.Client(), email, "sai-mat-khau"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, resp.StatusCode)
		}
	}
	resp, body := login(t, env, env.Client(), email, "sai-mat-khau")
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "tạm thời bị khóa") {
		t.Fatalf("fifth failure: status %d", resp.StatusCode)
	}
	// Locked: even the right password is refused, with the reason.
	resp, body = login(t, env, env.Client(), email, demo.Password)
	if resp.StatusCode != http.StatusTooManyRequests || !regexp.MustCompile(`sau \d+ phút`).MatchString(body) {
		t.Errorf("right password while locked: status %d", resp.StatusCode)
	}
	// Another account is not affected.
	if resp, _ := login(t, env, env.Client(), "giamsat@hanoi.gov.vn", demo.Password); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("other account: status %d", resp.StatusCode)
	}
	// The lock is in the audit log.
	entries, _, _ := env.App.Log.Entries(t.Context(), auditFilterAll("user.locked"))
	if len(entries) != 1 || entries[0].Target != email {
		t.Errorf("audit entries for the lock: %d", len(entries))
	}
}

func TestLoginThrottledPerAddress(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	var last int
	for i := range 25 {
		resp, _ := login(t, env, c, "khong-co-"+string(rune('a'+i))+"@hanoi.gov.vn", "x")
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("25 attempts from one address: last status %d, want 429", last)
	}
}

func TestEnrolmentAndRecoveryCodes(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	const email = "ctv.moi@hanoi.gov.vn"
	c := env.Client()
	resp, _ := login(t, env, c, email, demo.Password)
	if resp.Header.Get("Location") != "/quan-tri/bao-mat/thiet-lap" {
		t.Fatalf("an account without TOTP, whose role requires it, went to %q", resp.Header.Get("Location"))
	}
	_, page := servertest.Get(t, c, env.URL("", "/quan-tri/bao-mat/thiet-lap"))
	m := regexp.MustCompile(`data-secret="([A-Z2-7]+)"`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, `class="ma-qr" src="data:image/svg`) {
		t.Fatalf("enrolment page lacks the secret or the QR code")
	}
	code, _ := staff.TOTPCode(m[1], time.Now())
	resp, body := servertest.PostForm(t, c, env.URL("", "/quan-tri/bao-mat/thiet-lap"), url.Values{"code": {code}, "csrf": {servertest.CSRF(t, page)}})
	codes := regexp.MustCompile(`<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>`).FindAllStringSubmatch(body, -1)
	if resp.StatusCode != http.StatusOK || len(codes) != 10 {
		t.Fatalf("confirm: status %d, %d recovery codes", resp.StatusCode, len(codes))
	}
	if resp, _ := servertest.Get(t, c, env.URL("", "/quan-tri/")); resp.StatusCode != http.StatusOK {
		t.Errorf("dashboard after enrolment: %d", resp.StatusCode)
	}
	// A recovery code signs in once.
	for i, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
		c := env.Client()
		login(t, env, c, email, demo.Password)
		_, page := servertest.Get(t, c, env.URL("", "/quan-tri/xac-thuc"))
		resp, _ := servertest.PostForm(t, c, env.URL("", "/quan-tri/xac-thuc"), url.Values{"code": {strings.ToUpper(codes[0][1])}, "csrf": {servertest.CSRF(t, page)}})
		if resp.StatusCode != want {
			t.Errorf("recovery code, use %d: status %d, want %d", i+1, resp.StatusCode, want)
		}
	}
}

func TestSessionExpiresWhenIdle(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c, _ := env.SignIn(t, "giamsat@hanoi.gov.vn")
	now := time.Now()
	env.App.Staff.SetClock(func() time.Time { return now.Add(16 * time.Minute) })
	defer env.App.Staff.SetClock(time.Now)
	resp, _ := servertest.Get(t, c, env.URL("", "/quan-tri/nhat-ky"))
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "het-han=1") {
		t.Errorf("after 16 idle minutes: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// A form sent with the expired session is not applied and says why.
	resp, body := servertest.PostForm(t, c, env.URL("", "/quan-tri/bao-mat"), url.Values{"mfa": {"editor"}, "csrf": {"x"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "đăng nhập") {
		t.Errorf("form with an expired session: %d", resp.StatusCode)
	}
}

func TestCSRF(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c, page := env.SignIn(t, "quantri.badinh@hanoi.gov.vn")
	good := servertest.CSRF(t, page)
	form := func(csrf string) url.Values {
		return url.Values{"csrf": {csrf}, "version": {"1"}, "name": {"Phường Ba Đình"}, "lang_en": {"1"}, "phone": {"024 1111 2222"}}
	}
	target := env.URL("", "/quan-tri/trang/phuong-ba-dinh/cai-dat")
	for _, tt := range []struct {
		name string
		csrf string
	}{{"missing", ""}, {"wrong", "abc"}, {"another session's", otherCSRF(t, env)}} {
		resp, body := servertest.PostForm(t, c, target, form(tt.csrf))
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Biểu mẫu đã hết hạn") {
			t.Errorf("%s token: status %d", tt.name, resp.StatusCode)
		}
	}
	st, _ := env.App.Sites.Site(t.Context(), "phuong-ba-dinh")
	if st.Contact.Phone != "" || st.Version != 1 {
		t.Fatalf("a refused form changed the site: %+v", st)
	}
	resp, _ := servertest.PostForm(t, c, target, form(good))
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("right token: status %d", resp.StatusCode)
	}
	// Replaying the same form (same version) is a conflict, not a silent
	// overwrite.
	resp, body := servertest.PostForm(t, c, target, form(good))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Người khác đã lưu") && !strings.Contains(body, "người khác lưu") {
		t.Errorf("replayed form: status %d", resp.StatusCode)
	}
}

func otherCSRF(t *testing.T, env *servertest.Env) string {
	_, page := env.SignIn(t, "giamsat@hanoi.gov.vn")
	return servertest.CSRF(t, page)
}

func TestOversizedBody(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c, page := env.SignIn(t, "quantri.badinh@hanoi.gov.vn")
	big := strings.Repeat("x", 2<<20)
	resp, body := servertest.PostForm(t, c, env.URL("", "/quan-tri/trang/phuong-ba-dinh/cai-dat"),
		url.Values{"csrf": {servertest.CSRF(t, page)}, "version": {"1"}, "name": {big}})
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "vượt quá giới hạn") {
		t.Errorf("status %d", resp.StatusCode)
	}
	resp, _ = servertest.PostForm(t, env.Client(), env.URL("", "/quan-tri/dang-nhap"), url.Values{"email": {big}})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("login form: status %d", resp.StatusCode)
	}
}

package server_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

var itemURL = regexp.MustCompile(`/quan-tri/trang/phuong-ba-dinh/noi-dung/(\d+)\?da-luu=1`)

// TestEditorialWorkflowThroughTheStaffInterface: a collaborator writes and
// submits (hostile markup included), the site's editor-in-chief is told,
// approves, and readers see the sanitised article.
func TestEditorialWorkflowThroughTheStaffInterface(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	ctx := asSystem(t)
	ward, _ := env.App.Sites.Site(ctx, "phuong-ba-dinh")
	// The demo has no editor-in-chief on the ward: add one.
	chiefEmail := "tongbientap@hanoi.gov.vn"
	u, _ := env.App.Staff.UserByEmail(ctx, chiefEmail)
	if err := env.App.Staff.Grant(ctx, staffGrant(u.ID, ward.ID, "editor_in_chief")); err != nil {
		t.Fatal(err)
	}
	ctv, page := env.SignIn(t, "ctv.badinh@hanoi.gov.vn")
	csrf := servertest.CSRF(t, page)
	resp, body := servertest.PostForm(t, ctv, env.URL("", "/quan-tri/trang/phuong-ba-dinh/noi-dung/moi"), url.Values{"csrf": {csrf},
		"title": {"Phường Ba Đình tổ chức Ngày hội Đại đoàn kết"}, "summary": {"Sapo"},
		"body": {`<p onclick="steal()">Đồng bào <b>phấn khởi</b><img src=x onerror=alert(1)><script>alert(2)</script></p><iframe src="https://evil.example"></iframe>`}})
	m := itemURL.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %s\n%.500s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	id := m[1]
	edit := env.URL("", "/quan-tri/trang/phuong-ba-dinh/noi-dung/"+id)
	resp, _ = servertest.PostForm(t, ctv, edit+"/chuyen", url.Values{"csrf": {csrf}, "version": {"1"}, "thao-tac": {"submit"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	chief, page := env.SignIn(t, chiefEmail)
	ccsrf := servertest.CSRF(t, page)
	if !strings.Contains(page, "Chờ tôi duyệt") || !regexp.MustCompile(`<strong>13</strong>Chờ tôi duyệt`).MatchString(page) {
		t.Errorf("the dashboard does not show the waiting item")
	}
	_, notices := servertest.Get(t, chief, env.URL("", "/quan-tri/thong-bao"))
	if !strings.Contains(notices, "Ngày hội Đại đoàn kết") {
		t.Errorf("the editor-in-chief was not notified")
	}
	resp, body = servertest.PostForm(t, chief, edit+"/chuyen", url.Values{"csrf": {ccsrf}, "version": {"2"}, "thao-tac": {"approve"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %.400s", resp.StatusCode, body)
	}
	idn, _ := strconv.ParseInt(id, 10, 64)
	a, err := env.App.Content.Article(ctx, idn)
	if err != nil || a.Status != content.Published {
		t.Fatalf("not published: %v %v", a, err)
	}
	_, pub := servertest.Get(t, env.Client(), env.URL("phuong-ba-dinh", a.Path()))
	if !strings.Contains(pub, "Đồng bào <strong>phấn khởi</strong>") {
		t.Errorf("the article's body is not there")
	}
	for _, bad := range []string{"steal()", "onerror", "<script>alert(2)", "evil.example", "<iframe"} {
		if strings.Contains(pub, bad) {
			t.Errorf("hostile markup %q reached the public page", bad)
		}
	}
	// The collaborator is told it was published.
	_, notices = servertest.Get(t, ctv, env.URL("", "/quan-tri/thong-bao"))
	if !strings.Contains(notices, "đã được đăng") {
		t.Errorf("the author was not told")
	}
	// The history shows the revisions and their differences.
	_, hist := servertest.Get(t, chief, edit+"/lich-su?tu=1&den=3")
	if !strings.Contains(hist, "v3") || !strings.Contains(hist, "<ins>") && !strings.Contains(hist, "Trạng thái") {
		t.Errorf("history page")
	}
}

// TestConcurrentEditsConflict: two editors open the same article; the
// second save is refused with what the first changed, and keeps what the
// second typed.
func TestConcurrentEditsConflict(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	ctx := asSystem(t)
	city, _ := env.App.Sites.Site(ctx, "hanoi")
	items, _, _ := env.App.Content.Find(ctx, content.Filter{SiteID: city.ID, Status: content.Published, Kind: content.KindArticle, PerPage: 1})
	a := items[0]
	full, _ := env.App.Content.Article(ctx, a.ID)
	path := env.URL("", "/quan-tri/trang/hanoi/noi-dung/"+strconv.FormatInt(a.ID, 10))
	first, p1 := env.SignIn(t, "bientap@hanoi.gov.vn")
	second, p2 := env.SignIn(t, "tongbientap@hanoi.gov.vn")
	form := func(csrf, title, body string) url.Values {
		return url.Values{"csrf": {csrf}, "version": {strconv.Itoa(full.Version)}, "kind": {"article"}, "title": {title}, "body": {body},
			"summary": {full.Summary}, "category": {strconv.FormatInt(full.CategoryID, 10)}}
	}
	resp, _ := servertest.PostForm(t, first, path, form(servertest.CSRF(t, p1), full.Title, "<p>Đoạn do biên tập viên viết lại.</p>"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d", resp.StatusCode)
	}
	resp, body := servertest.PostForm(t, second, path, form(servertest.CSRF(t, p2), "Tiêu đề của tổng biên tập", "<p>Bản của tổng biên tập.</p>"))
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("second save: %d", resp.StatusCode)
	}
	for _, want := range []string{"Thay đổi của người khác", "<ins>Đoạn do biên tập viên viết lại.", `value="Tiêu đề của tổng biên tập"`, "Bản của tổng biên tập.",
		`name="version" value="` + strconv.Itoa(full.Version+1) + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	cur, _ := env.App.Content.Article(ctx, a.ID)
	if cur.Body != "<p>Đoạn do biên tập viên viết lại.</p>" {
		t.Errorf("the first save was lost: %q", cur.Body)
	}
}

func jpegFile(w, h int) []byte {
	var b bytes.Buffer
	jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)), nil)
	return b.Bytes()
}

func multipartPost(t *testing.T, c *http.Client, u string, fields map[string]string, name string, file io.Reader, accept string) (*http.Response, string) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("file", name)
		io.Copy(fw, file)
		mw.Close()
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", u, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	pu, _ := url.Parse(u)
	req.Header.Set("Origin", pu.Scheme+"://"+pu.Host)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return servertest.Do(t, c, req)
}

// zeros is an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestUploadsThroughTheStaffInterface(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c, page := env.SignIn(t, "ctv.badinh@hanoi.gov.vn")
	csrf := servertest.CSRF(t, page)
	u := env.URL("", "/quan-tri/trang/phuong-ba-dinh/thu-vien")
	resp, body := multipartPost(t, c, u, map[string]string{"csrf": csrf, "alt": "Lễ ra quân"}, "le-ra-quan.jpg", bytes.NewReader(jpegFile(900, 600)), "")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d %.300s", resp.StatusCode, body)
	}
	// The editor's upload answers JSON with srcset.
	resp, body = multipartPost(t, c, u, map[string]string{"csrf": csrf, "alt": "Ảnh dán vào"}, "image.png", bytes.NewReader(jpegFile(700, 400)), "application/json")
	if resp.StatusCode != http.StatusCreated || !strings.Contains(body, `"src":"/media/`) {
		t.Errorf("JSON upload: %d %s", resp.StatusCode, body)
	}
	resp, body = multipartPost(t, c, u, map[string]string{"csrf": csrf, "alt": ""}, "anh.jpg", bytes.NewReader(jpegFile(100, 100)), "")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "mô tả thay thế") {
		t.Errorf("upload without alt: %d", resp.StatusCode)
	}
	resp, body = multipartPost(t, c, u, map[string]string{"csrf": csrf, "alt": "x"}, "anh.jpg", strings.NewReader("<html><script>alert(1)</script></html>"), "")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Định dạng tệp không được hỗ trợ") {
		t.Errorf("HTML posing as a JPEG: %d", resp.StatusCode)
	}
	// Past the limit: a clear 413 page, nothing stored.
	resp, body = multipartPost(t, c, u, map[string]string{"csrf": csrf, "alt": "x"}, "video.mp4", io.LimitReader(zeros{}, 110<<20), "")
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "quá lớn") {
		t.Errorf("huge upload: %d %.300s", resp.StatusCode, body)
	}
	_, lib := servertest.Get(t, c, u+"?q=le+ra+quan")
	if !strings.Contains(lib, "Lễ ra quân") || !strings.Contains(lib, "1 tệp") {
		t.Errorf("library search does not find the upload")
	}
}

// TestBulkApprove approves two waiting items at once.
func TestBulkApprove(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	ctx := asSystem(t)
	city, _ := env.App.Sites.Site(ctx, "hanoi")
	waiting, _, _ := env.App.Content.Find(ctx, content.Filter{SiteID: city.ID, Status: content.Submitted, PerPage: 2})
	c, page := env.SignIn(t, "tongbientap@hanoi.gov.vn")
	f := url.Values{"csrf": {servertest.CSRF(t, page)}, "thao-tac": {"approve"}, "chon": {strconv.FormatInt(waiting[0].ID, 10), strconv.FormatInt(waiting[1].ID, 10)}}
	resp, _ := servertest.PostForm(t, c, env.URL("", "/quan-tri/trang/hanoi/noi-dung/hang-loat"), f)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "xong=2") {
		t.Fatalf("bulk: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, w := range waiting {
		if a, _ := env.App.Content.Article(ctx, w.ID); a.Status != content.Published {
			t.Errorf("%d is %s", w.ID, a.Status)
		}
	}
}

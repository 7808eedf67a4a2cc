package server_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/feedbackweb"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

type upload struct {
	name, ctype string
	data        []byte
}

// postMultipart sends a form with files as a browser would.
func postMultipart(t *testing.T, c *http.Client, u string, form url.Values, files ...upload) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="files"; filename="`+f.name+`"`)
		h.Set("Content-Type", f.ctype)
		w, _ := mw.CreatePart(h)
		w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", u, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	pu, _ := url.Parse(u)
	req.Header.Set("Origin", pu.Scheme+"://"+pu.Host)
	return servertest.Do(t, c, req)
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func countFeedback(t *testing.T, env *servertest.Env) int {
	t.Helper()
	_, n, err := env.DB.ListFeedback(context.Background(), feedback.Filter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Oversized and mislabeled attachments are refused with a clear page in
// Vietnamese, and nothing is stored or acknowledged; a good one is stored
// and shown to the staff.
func TestFeedbackAttachmentsOverHTTP(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	u := env.URL("", "/phan-anh/gui")
	before := countFeedback(t, env)

	big := bytes.Repeat([]byte{0}, feedback.MaxFileBytes+1)
	copy(big, []byte{0xFF, 0xD8, 0xFF, 0xE0})
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 200)...)
	html := []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
	pngData := pngBytes(t, 40, 30)
	for i, tc := range []struct {
		file   upload
		status int
		want   string
	}{
		{upload{"anh-lon.jpg", "image/jpeg", big}, http.StatusRequestEntityTooLarge, "Tệp anh-lon.jpg lớn hơn 5 MB"},
		{upload{"anh.jpg", "image/jpeg", exe}, http.StatusUnprocessableEntity, "Tệp anh.jpg không phải ảnh JPEG, PNG hoặc tệp PDF"},
		{upload{"don.pdf", "application/pdf", html}, http.StatusUnprocessableEntity, "Tệp don.pdf không phải ảnh JPEG, PNG hoặc tệp PDF"},
		{upload{"anh.pdf", "application/pdf", pngData}, http.StatusUnprocessableEntity, "Tệp anh.pdf không đúng định dạng như tên gọi của nó"},
		{upload{"anh.png", "text/html", pngData}, http.StatusUnprocessableEntity, "Tệp anh.png không đúng định dạng như tên gọi của nó"},
		{upload{"hong.png", "image/png", pngData[:60]}, http.StatusUnprocessableEntity, "Tệp hong.png bị hỏng"},
	} {
		form := citizenForm(t, c, u, "09130000"+itoa(10+i))
		resp, page := postMultipart(t, c, u, form, tc.file)
		if resp.StatusCode != tc.status || !strings.Contains(page, tc.want) {
			t.Errorf("%s: %d, want %d with %q\n%.600s", tc.file.name, resp.StatusCode, tc.status, tc.want, page)
		}
		if strings.Contains(resp.Header.Get("Location"), "ma=") || strings.Contains(page, "PA-") {
			t.Errorf("%s: a code was issued", tc.file.name)
		}
		if !strings.Contains(page, `value="Lê Thị Hoa"`) {
			t.Errorf("%s: what was typed is lost", tc.file.name)
		}
	}
	// A body over the whole limit is cut off with a 413 page.
	huge := bytes.Repeat([]byte{0xFF}, feedbackMaxUpload()+1)
	resp, page := postMultipart(t, c, u, citizenForm(t, c, u, "0913000020"), upload{"a.jpg", "image/jpeg", huge})
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "Dữ liệu gửi lên quá lớn") {
		t.Errorf("whole body too large: %d\n%.600s", resp.StatusCode, page)
	}
	if n := countFeedback(t, env); n != before {
		t.Fatalf("refused submissions were stored: %d items, had %d", n, before)
	}

	// A good photo is stored (re-encoded) and the staff can open it.
	resp, page = postMultipart(t, c, u, citizenForm(t, c, u, "0913000030"), upload{"ổ gà.png", "image/png", pngData})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good attachment: %d\n%.1000s", resp.StatusCode, page)
	}
	code := codeOf(t, resp)
	staff, _ := env.SignIn(t, "phananh@hanoi.gov.vn")
	_, page = servertest.Get(t, staff, env.URL("", "/quan-tri/phan-anh/hanoi/muc?ma="+url.QueryEscape(code)))
	m := fileLinkRE.FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, "ổ gà.png") {
		t.Fatalf("the staff page lacks the attachment\n%.3000s", page)
	}
	resp, body := servertest.Get(t, staff, env.URL("", strings.ReplaceAll(m[1], "&amp;", "&")))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("attachment download: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	img, err := png.Decode(strings.NewReader(body))
	if err != nil || img.Bounds().Dx() != 40 {
		t.Errorf("the stored attachment is not the photo: %v", err)
	}
	// Nobody else gets it: not a citizen, not another unit.
	if resp, _ := servertest.Get(t, c, env.URL("", strings.ReplaceAll(m[1], "&amp;", "&"))); resp.StatusCode == http.StatusOK {
		t.Error("the attachment is open without signing in")
	}
}

var fileLinkRE = regexp.MustCompile(`href="(/quan-tri/phan-anh/hanoi/tep\?[^"]+)"`)

func feedbackMaxUpload() int { return feedbackweb.MaxUpload }

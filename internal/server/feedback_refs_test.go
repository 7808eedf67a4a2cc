package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

// The staff refer to a document by its number and a procedure by its code;
// the public answer links to their pages. An unknown number or code is
// refused with a message naming it, and nothing is saved; free links still
// work.
func TestFeedbackAnswerRefersToRegistries(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	ctx := asSystem(t)
	svc := env.App.Feedback
	it, err := svc.Submit(ctx, feedback.Submission{Kind: feedback.Question, SiteID: env.App.Web.Directory().City.ID, Category: "thu-tuc",
		Title: "Thủ tục thành lập doanh nghiệp tư nhân trực tuyến", Body: "Tôi muốn biết nộp hồ sơ thành lập doanh nghiệp tư nhân trực tuyến ở đâu.",
		Name: "Trần Văn Bình", Phone: "0915000111", Consent: true, Verified: true})
	if err != nil {
		t.Fatal(err)
	}
	staff, _ := env.SignIn(t, "phananh@hanoi.gov.vn")
	itemURL := env.URL("", "/quan-tri/phan-anh/hanoi/muc?ma="+url.QueryEscape(it.Code))
	draft := func(procs, docs string) (*http.Response, string) {
		_, page := servertest.Get(t, staff, itemURL)
		cur, _, err := svc.Item(ctx, it.Code)
		if err != nil {
			t.Fatal(err)
		}
		return servertest.PostForm(t, staff, env.URL("", "/quan-tri/phan-anh/hanoi/du-thao"), url.Values{
			"csrf": {servertest.CSRF(t, page)}, "ma": {it.Code}, "version": {strconv.Itoa(cur.Version)},
			"answer": {"Ông/Bà nộp hồ sơ trên Cổng Dịch vụ công quốc gia theo thủ tục dưới đây."}, "procedures": {procs}, "documents": {docs}})
	}

	// Unknown numbers and codes, and a disguised address.
	for _, tc := range []struct{ procs, docs, want string }{
		{"", "Nghị định 99/2099/NĐ-CP", "Không tìm thấy văn bản số 99/2099/NĐ-CP"},
		{"9.999999", "", "Không tìm thấy thủ tục mã 9.999999"},
		{"1.003882", "42/2022", "Không tìm thấy văn bản số 42/2022"}, // a number's start is not the number
		{"", "Trang khác | //evil.example/x", "Đường dẫn phải bắt đầu"},
	} {
		resp, page := draft(tc.procs, tc.docs)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, tc.want) {
			t.Errorf("%q %q: %d, want 422 with %q", tc.procs, tc.docs, resp.StatusCode, tc.want)
		}
		if cur, _, _ := svc.Item(ctx, it.Code); cur.Status != feedback.Received || cur.Answer != "" || len(cur.Refs) != 0 {
			t.Errorf("%q %q: saved anyway (%s, %d refs)", tc.procs, tc.docs, cur.Status, len(cur.Refs))
		}
	}

	// Known ones, typed loosely, with a free link.
	resp, page := draft("1.003882", "Nghị định 42/2022/ND-CP\nHướng dẫn nộp hồ sơ | https://dichvucong.gov.vn/huong-dan")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d\n%.2000s", resp.StatusCode, page)
	}
	// The staff see the number and code again, to be resolved anew.
	_, page = servertest.Get(t, staff, itemURL)
	for _, want := range []string{">1.003882\n</textarea>", ">42/2022/NĐ-CP\nHướng dẫn nộp hồ sơ | https://dichvucong.gov.vn/huong-dan\n</textarea>"} {
		if !strings.Contains(page, want) {
			t.Errorf("staff page lacks %q", want)
		}
	}
	cur, _, err := svc.Item(ctx, it.Code)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Approve(ctx, it.Code, cur.Version, feedback.Publication{PublicTitle: cur.PublicTitle, PublicBody: cur.PublicBody, Answer: cur.Answer, Publish: true, Reviewed: true}); err != nil {
		t.Fatal(err)
	}

	resp, page = servertest.Get(t, env.Client(), env.URL("", "/hoi-dap/"+strconv.FormatInt(it.ID, 10)))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("answer page: %d", resp.StatusCode)
	}
	links := map[string]string{}
	for _, m := range regexp.MustCompile(`<li>(Văn bản|Thủ tục): <a href="([^"]+)">([^<]+)</a></li>`).FindAllStringSubmatch(page, -1) {
		links[m[3]] = m[2]
	}
	doc := links["Nghị định 42/2022/NĐ-CP: Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng"]
	proc := links["Đăng ký thành lập doanh nghiệp tư nhân (1.003882)"]
	if !strings.Contains(doc, "/van-ban/") || !strings.Contains(proc, "/thu-tuc/1.003882") || links["Hướng dẫn nộp hồ sơ"] != "https://dichvucong.gov.vn/huong-dan" {
		t.Fatalf("answer links: %v", links)
	}
	// They lead to the registries' pages.
	for _, u := range []string{doc, proc} {
		if resp, body := servertest.Get(t, env.Client(), u); resp.StatusCode != http.StatusOK || !strings.Contains(body, "42/2022/NĐ-CP") && !strings.Contains(body, "1.003882") {
			t.Errorf("%s: %d", u, resp.StatusCode)
		}
	}
}

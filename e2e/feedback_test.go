package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/feedback"
)

// TestCitizenFollowsFeedbackToItsAnswer sends feedback through the form as
// a citizen does (the page's proof of work runs in the browser), reads the
// tracking code off the page, and after the ward answers and the city's
// editorial board publishes, follows the code to the published answer.
func TestCitizenFollowsFeedbackToItsAnswer(t *testing.T) {
	tl := need(t, toolChromium)
	env := startEnv(t)
	b := newBrowser(t, tl.chromium)

	b.open(env.URL("phuong-ba-dinh", "/phan-anh/gui"), http.StatusOK)
	b.do("fill the feedback form",
		chromedp.SetValue(chromedp.ID("category"), "moi-truong"),
		chromedp.SendKeys(chromedp.ID("title"), "Cây xanh gãy đổ chắn lối đi"),
		chromedp.SendKeys(chromedp.ID("body"), "Sau trận mưa đêm qua, một cây xanh trên phố Quán Thánh bị gãy, chắn lối đi bộ."),
		chromedp.SendKeys(chromedp.ID("address"), "Phố Quán Thánh, phường Ba Đình"),
		chromedp.SendKeys(chromedp.ID("name"), "Phạm Thu Hà"),
		chromedp.SendKeys(chromedp.ID("phone"), "0913 456 789"),
		chromedp.Click(chromedp.ID("consent")),
	)
	if st := b.click(`form.phan-anh button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("sending the form: status %d", st)
	}
	if loc := b.location(); !strings.Contains(loc, "/tra-cuu?ma=PA-") {
		t.Fatalf("after sending, landed on %s", loc)
	}
	code := b.text("#ma-tra-cuu")
	if _, ok := feedback.NormalizeCode(code); !ok {
		t.Fatalf("the page shows %q as the code", code)
	}
	if b.count("ol.tien-trinh li") != 1 {
		t.Errorf("the timeline has %d steps, want 1", b.count("ol.tien-trinh li"))
	}

	// The proof of work passed in the browser: the item is verified.
	ctx := access.With(t.Context(), access.System("test", "cli"))
	svc := env.App.Feedback
	it, _, err := svc.Item(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if !it.Verified {
		t.Error("the browser's proof of work did not verify the item")
	}
	ward, _ := env.App.Sites.Site(ctx, "phuong-ba-dinh")
	officer := access.With(t.Context(), &access.Actor{UserID: 1, Name: "phananh@hanoi.gov.vn", Sites: map[int64][]access.Role{env.App.Web.Directory().City.ID: {access.FeedbackOfficer}}})
	if it, err = svc.Assign(officer, code, it.Version, ward.ID, ""); err != nil {
		t.Fatal(err)
	}
	wardOfficer := access.With(t.Context(), &access.Actor{UserID: 2, Name: "phananh.badinh@hanoi.gov.vn", Sites: map[int64][]access.Role{ward.ID: {access.FeedbackOfficer}}})
	if it, err = svc.Draft(wardOfficer, code, it.Version, "UBND phường đã cắt tỉa, thu dọn cây gãy ngay trong ngày.", nil); err != nil {
		t.Fatal(err)
	}
	chief := access.With(t.Context(), &access.Actor{UserID: 3, Name: "tongbientap@hanoi.gov.vn", Sites: map[int64][]access.Role{env.App.Web.Directory().City.ID: {access.EditorInChief}}})
	if _, err = svc.Approve(chief, code, it.Version, feedback.Publication{PublicTitle: it.PublicTitle, PublicBody: it.PublicBody, Answer: it.Answer, Publish: true, Reviewed: true}); err != nil {
		t.Fatal(err)
	}

	// The citizen comes back with the code, typed loosely.
	b.open(env.URL("phuong-ba-dinh", "/tra-cuu"), http.StatusOK)
	b.do("type the code", chromedp.SendKeys(chromedp.ID("ma"), strings.ToLower(strings.ReplaceAll(code, "-", " "))))
	if st := b.click(`form.tra-cuu button[type="submit"]`); st != http.StatusOK {
		t.Fatalf("looking up the code: status %d", st)
	}
	if s := b.text(".trang-thai"); s != "Đã trả lời, công khai" {
		t.Errorf("status shown %q", s)
	}
	if st := b.click(`section.tra-loi a`); st != http.StatusOK {
		t.Fatalf("opening the published answer: status %d", st)
	}
	if !strings.Contains(b.text("section.tra-loi .van-ban"), "thu dọn cây gãy") {
		t.Errorf("the published page lacks the answer")
	}
	page := run(b, "read the page", chromedp.Evaluate[string]("document.body.innerText"))
	for _, private := range []string{"0913", "Phạm Thu Hà", code} {
		if strings.Contains(page, private) {
			t.Errorf("the published page shows %q", private)
		}
	}
	if !strings.Contains(page, "P.T.H.") {
		t.Error("the published page does not name the sender by initials")
	}
}

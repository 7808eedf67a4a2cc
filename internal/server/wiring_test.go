package server_test

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/compliance"
	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/rulepack"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

// The parts that meet only through interfaces are joined: every rule of the
// pack is answered by some part (none skipped), publishing's and feedback's
// facts reach the audit, the pack's deadlines reach feedback, and the
// portal's own registers are published as open datasets.
func TestPartsAreConnected(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	ctx := asSystem(t)
	rep, err := env.App.Compliance.Audit(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]int{}
	for _, sr := range rep.Sites {
		for _, f := range sr.Findings {
			if f.Status == compliance.Skip {
				t.Errorf("%s: rule %s is answered by no part", sr.Code, f.Rule)
			}
			for _, r := range f.Reasons {
				reasons[f.Rule+" "+r.Key]++
			}
		}
	}
	for _, want := range []string{"phan-anh-kien-nghi compliance.overdue", "gioi-thieu compliance.english_missing"} {
		if reasons[want] == 0 {
			t.Errorf("no site fails with %q; reasons seen: %v", want, reasons)
		}
	}
	var ba *compliance.SiteReport
	for _, sr := range rep.Sites {
		if sr.Code == "phuong-ba-dinh" {
			ba = sr
		}
	}
	for _, f := range ba.Findings {
		if (f.Rule == "tin-tuc" || f.Rule == "gioi-thieu") && f.Status != compliance.Pass {
			t.Errorf("Phường Ba Đình publishes news and its introduction, yet %s: %+v", f.Rule, f)
		}
	}

	pack := rulepack.Default()
	if got := env.App.Feedback.Policy.AnswerDays[feedback.Feedback]; got != pack.Feedback.AnswerDays {
		t.Errorf("feedback answer days %d, rule pack says %d", got, pack.Feedback.AnswerDays)
	}
	if got := env.App.Feedback.Policy.AnswerDays[feedback.Question]; got != pack.Feedback.QuestionDays {
		t.Errorf("question answer days %d, rule pack says %d", got, pack.Feedback.QuestionDays)
	}

	if err := env.App.Data.RefreshFeeds(ctx); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"co-so-du-lieu-van-ban", "danh-muc-thu-tuc-hanh-chinh", "thong-ke-tiep-nhan-tra-loi-phan-anh-kien-nghi"} {
		ds, err := env.App.Data.Dataset(ctx, name)
		if err != nil {
			t.Errorf("dataset %s: %v", name, err)
			continue
		}
		if len(ds.Resources) == 0 || ds.Resources[0].Size < 200 {
			t.Errorf("dataset %s has no CSV worth the name: %+v", name, ds.Resources)
		}
	}
}

// The workflow e-mails link to the item in the staff interface, on the city
// portal's host, and the link opens it.
func TestWorkflowMailLinkOpensTheItem(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	ctx := asSystem(t)
	st, err := env.App.Sites.Site(ctx, "phuong-ba-dinh")
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := env.App.Content.List(ctx, content.ListQuery{SiteID: st.ID, PerPage: 50})
	var items []*content.Listed
	for _, a := range list {
		if a.SiteID == st.ID { // not one pushed down by the city
			items = append(items, a)
		}
	}
	if err != nil || len(items) == 0 {
		t.Fatalf("no article of the ward: %v", err)
	}
	link, err := url.Parse(env.App.Content.Link(st.ID, "/noi-dung/"+strconv.FormatInt(items[0].ID, 10)))
	if err != nil {
		t.Fatal(err)
	}
	if want := "/quan-tri/trang/phuong-ba-dinh/noi-dung/" + strconv.FormatInt(items[0].ID, 10); link.Hostname() != demo.Domain || link.Path != want {
		t.Fatalf("link %s, want host %s and path %s", link, demo.Domain, want)
	}
	c, _ := env.SignIn(t, "quantri.badinh@hanoi.gov.vn")
	resp, body := servertest.Get(t, c, env.URL("", link.Path))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, html.EscapeString(items[0].Title)) {
		t.Fatalf("the link gives %d without the item's title: %s", resp.StatusCode, body)
	}
}

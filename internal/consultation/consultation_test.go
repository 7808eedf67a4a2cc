package consultation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/attach"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/consultation"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

func TestCommentPeriodModerationAndResult(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		log := auditlog.New(db)
		sites := site.NewService(db, log)
		sys := access.With(context.Background(), access.System("test", "cli"))
		u := &site.Unit{Code: "01.002", Name: "Sở Tư pháp", Kind: site.Agency}
		must(t, sites.CreateUnit(sys, u))
		st := &site.Site{Code: "so-tu-phap", UnitID: u.ID, Kind: site.Portal, Name: "Sở Tư pháp", Langs: []string{"vi"}}
		must(t, sites.CreateSite(sys, st))
		svc := consultation.NewService(db, log, attach.New(db, t.TempDir()))
		now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
		svc.Now = func() time.Time { return now }
		c := &consultation.Consultation{SiteID: st.ID, Title: "Dự thảo Quyết định ban hành Quy chế quản lý Cổng thông tin điện tử",
			Articles: []string{"Điều 1. Phạm vi điều chỉnh", "Điều 2. Đối tượng áp dụng"}, OpensOn: "2025-03-01", ClosesOn: "2025-03-31"}
		must(t, svc.Create(sys, c))
		public := context.Background()
		good := consultation.NewComment{Name: "Nguyễn Văn An", Contact: "an@example.com", Article: "Điều 2. Đối tượng áp dụng", Body: "Đề nghị bổ sung đối tượng là các đơn vị sự nghiệp.", Addr: "203.0.113.9"}
		if _, err := svc.AddComment(public, c.ID, good); fault.KindOf(err) != fault.NotFound {
			t.Errorf("comment on an unpublished draft: %v", err)
		}
		must(t, svc.SetPublished(sys, c.ID, true))
		cm, err := svc.AddComment(public, c.ID, good)
		must(t, err)
		if _, err := svc.AddComment(public, c.ID, good); fault.KindOf(err) != fault.Conflict {
			t.Errorf("the same comment twice: %v", err)
		}
		bad := consultation.NewComment{Name: "", Contact: "not-a-contact", Article: "Điều 9", Body: "ngắn", Addr: "203.0.113.9"}
		if _, err := svc.AddComment(public, c.ID, bad); err == nil || len(err.(fault.List)) != 4 {
			t.Errorf("bad comment: %v", err)
		}
		// A flood from one address is cut off; another sender still gets in.
		var flood error
		for i := 0; i < consultation.PerSender+2 && flood == nil; i++ {
			_, flood = svc.AddComment(public, c.ID, consultation.NewComment{Name: "Bot", Contact: "0912345678", Body: fmt.Sprintf("Góp ý tự động số %d cho dự thảo", i), Addr: "198.51.100.1"})
		}
		if fault.KindOf(flood) != fault.TooMany {
			t.Errorf("flood not stopped: %v", flood)
		}
		if _, err := svc.AddComment(public, c.ID, consultation.NewComment{Name: "Trần Thị Bình", Contact: "024 3825 1234", Body: "Nhất trí với dự thảo.", Addr: "192.0.2.7"}); err != nil {
			t.Errorf("another sender refused: %v", err)
		}
		// Only approved comments are public, without contacts.
		must(t, svc.Moderate(sys, cm.ID, true))
		got, err := svc.Comments(public, c, consultation.Approved)
		must(t, err)
		if len(got) != 1 || got[0].Contact != "" || got[0].Name != "Nguyễn Văn An" {
			t.Errorf("public comments: %+v", got)
		}
		if _, err := svc.Comments(public, c, consultation.Pending); fault.KindOf(err) != fault.Unauthorized {
			t.Errorf("pending comments shown to the public: %v", err)
		}
		if err := svc.PublishResult(sys, c.ID, "Tổng hợp", "Tiếp thu"); fault.KindOf(err) != fault.Conflict {
			t.Errorf("result before the period ends: %v", err)
		}
		now = time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
		if _, err := svc.AddComment(public, c.ID, consultation.NewComment{Name: "Muộn", Contact: "muon@example.com", Body: "Góp ý sau khi hết hạn lấy ý kiến", Addr: "192.0.2.8"}); fault.KindOf(err) != fault.Gone {
			t.Errorf("comment after the period: %v", err)
		}
		must(t, svc.PublishResult(sys, c.ID, "Nhận được 3 ý kiến.", "Tiếp thu ý kiến về đối tượng áp dụng."))
		c2, err := svc.Get(public, c.ID)
		must(t, err)
		if c2.Result == "" || c2.ResultAt.IsZero() || c2.Approved != 1 {
			t.Errorf("after the result: %+v", c2)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

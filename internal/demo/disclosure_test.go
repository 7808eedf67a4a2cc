package demo_test

import (
	"context"
	"testing"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/compliance"
	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/procedure"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

func TestDisclosureDemo(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	svc := server.NewServices(db)
	res, err := demo.Build(context.Background(), svc)
	if err != nil {
		t.Fatal(err)
	}
	if res.Documents < 500 || res.Procedures < 200 {
		t.Errorf("demo has %d documents and %d procedures", res.Documents, res.Procedures)
	}
	ctx := context.Background()
	all, err := svc.Documents.Search(ctx, document.Query{Limit: 1})
	if err != nil || !all.More && all.Total < 500 {
		t.Errorf("published documents: %d (more: %v) %v", all.Total, all.More, err)
	}
	for number, title := range map[string]string{
		"42/2022/NĐ-CP":    "Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng",
		"22/2023/TT-BTTTT": "Quy định cấu trúc, bố cục, yêu cầu kỹ thuật cho cổng thông tin điện tử và trang thông tin điện tử của cơ quan nhà nước",
		"1351/QĐ-UBND":     "Về việc thành lập Ban Biên tập Cổng Thông tin điện tử thành phố Hà Nội",
		"104/2016/QH13":    "Luật Tiếp cận thông tin",
		"85/2016/NĐ-CP":    "Về bảo đảm an toàn hệ thống thông tin theo cấp độ",
	} {
		r, err := svc.Documents.Search(ctx, document.Query{Text: number, Limit: 5})
		if err != nil || len(r.Docs) == 0 || r.Docs[0].Title != title {
			t.Errorf("%s: %+v %v", number, r, err)
		}
	}
	old, _ := svc.Documents.Search(ctx, document.Query{Text: "43/2011/NĐ-CP"})
	if len(old.Docs) != 1 || old.Docs[0].StatusOn(svc.Documents.Today()) != document.Expired {
		t.Errorf("Decree 43/2011 should be replaced by Decree 42/2022: %+v", old.Docs)
	}
	city, _ := svc.Sites.Site(ctx, demo.CityCode)
	if ps, total, _ := svc.Procedures.List(ctx, procedure.Query{SiteID: city.ID}); total == 0 || ps[0].OnlineURL == "" {
		t.Errorf("the city portal has no procedures")
	}
	rep, err := svc.Compliance.Audit(access.With(ctx, access.System("test", "cli")), "")
	if err != nil {
		t.Fatal(err)
	}
	passing, failing := 0, map[string]bool{}
	for _, sr := range rep.Sites {
		if sr.Kind != "ward" && sr.Kind != "commune" {
			if !sr.OK() && sr.Code != "so-tu-phap" {
				t.Errorf("%s fails: %+v", sr.Code, sr.Findings)
			}
			continue
		}
		if sr.OK() {
			passing++
		}
		for _, f := range sr.Findings {
			if f.Status == compliance.Fail {
				failing[f.Reasons[0].Key] = true
			}
		}
	}
	if passing < 30 || passing > 100 {
		t.Errorf("%d of the commune-level sites pass", passing)
	}
	for _, k := range []string{"compliance.missing", "compliance.stale", "compliance.incomplete"} {
		if !failing[k] {
			t.Errorf("no commune fails with %s", k)
		}
	}
}

package procedure_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/bulk"
	"github.com/congvn/cong/internal/procedure"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

func setup(t *testing.T, db *store.DB) (*procedure.Service, context.Context, int64) {
	log := auditlog.New(db)
	sites := site.NewService(db, log)
	sys := access.With(context.Background(), access.System("test", "cli"))
	u := &site.Unit{Code: "00004", Name: "Phường Ba Đình", Kind: site.Ward}
	if err := sites.CreateUnit(sys, u); err != nil {
		t.Fatal(err)
	}
	st := &site.Site{Code: "phuong-ba-dinh", UnitID: u.ID, Kind: site.Portal, Name: "Phường Ba Đình", Langs: []string{"vi"}}
	if err := sites.CreateSite(sys, st); err != nil {
		t.Fatal(err)
	}
	return procedure.NewService(db, log), sys, st.ID
}

func importFile(t *testing.T, svc *procedure.Service, ctx context.Context, siteID int64, name string, partial bool, stats bool) *bulk.Report {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, bad, err := bulk.Read(f, "")
	if err != nil {
		t.Fatal(err)
	}
	var rep *bulk.Report
	if stats {
		rep, err = svc.ImportStats(ctx, siteID, rows, bad, partial)
	} else {
		rep, err = svc.Import(ctx, siteID, rows, bad, partial)
	}
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestImportTheSampleFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc, sys, siteID := setup(t, db)
		for _, name := range []string{"thu-tuc-mau.jsonl", "thu-tuc-mau.csv"} {
			rep := importFile(t, svc, sys, siteID, name, false, false)
			if rep.Failed() || rep.Imported == 0 {
				t.Fatalf("%s: %+v %v", name, rep, rep.Messages("vi"))
			}
		}
		ps, total, err := svc.List(context.Background(), procedure.Query{SiteID: siteID, Text: "khai sinh"})
		if err != nil || total != 1 {
			t.Fatalf("list: %d %v", total, err)
		}
		p := ps[0]
		if p.Code != "1.001193" || len(p.Steps) != 3 || len(p.Forms) != 1 || p.Forms[0].URL == "" || p.Level != procedure.Full {
			t.Errorf("procedure from CSV (imported last): %+v", p)
		}
		_, total, _ = svc.List(context.Background(), procedure.Query{SiteID: siteID})
		if total != 3 {
			t.Errorf("re-import duplicated procedures: %d", total)
		}
		rep := importFile(t, svc, sys, siteID, "thong-ke-mau.csv", false, true)
		if rep.Imported != 3 {
			t.Fatalf("stats: %+v %v", rep, rep.Messages("vi"))
		}
		st, _ := svc.Stats(context.Background(), siteID)
		if len(st) != 3 || st[0].Period != "2025-Q3" || int(st[0].OnTimeRate()) != 99 && int(st[1].OnTimeRate()) != 99 {
			t.Errorf("stats: %+v", st[0])
		}
	})
}

func TestImportRefusesBadRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc, sys, siteID := setup(t, db)
		in := `{"ma_thu_tuc": "1.1", "ten_thu_tuc": "Tốt"}
{"ma_thu_tuc": "", "ten_thu_tuc": "Không mã", "muc_do": "cap_4"}
{"ma_thu_tuc": "1.2", "ten_thu_tuc": "Link xấu", "dich_vu_cong": "javascript:alert(1)"}
not json
{"ma_thu_tuc": "1.1", "ten_thu_tuc": "Trùng"}
`
		rows, bad, _ := bulk.Read(strings.NewReader(in), "")
		rep, err := svc.Import(sys, siteID, rows, bad, false)
		if err != nil {
			t.Fatal(err)
		}
		var lines []int
		for _, e := range rep.Errors {
			lines = append(lines, e.Line)
		}
		if len(lines) != 4 || rep.Imported != 0 {
			t.Fatalf("errors on lines %v, imported %d: %v", lines, rep.Imported, rep.Messages("vi"))
		}
		if _, total, _ := svc.List(context.Background(), procedure.Query{SiteID: siteID}); total != 0 {
			t.Errorf("all-or-nothing wrote %d procedures", total)
		}
		rows, bad, _ = bulk.Read(strings.NewReader(in), "")
		rep, _ = svc.Import(sys, siteID, rows, bad, true)
		if rep.Imported != 1 {
			t.Errorf("partial imported %d", rep.Imported)
		}
	})
}

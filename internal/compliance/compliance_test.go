package compliance_test

import (
	"context"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/compliance"
	"github.com/congvn/cong/internal/rulepack"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

// pages stands in for the publishing part's provider: it answers every
// page:… check, and articles.
type pages struct{ facts map[int64][]compliance.Fact }

func (pages) Checks() []string { return []string{"page:*", "articles"} }
func (p pages) Facts(context.Context, time.Time) (map[int64][]compliance.Fact, error) {
	return p.facts, nil
}

func TestAuditFindsWhatIsMissing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := access.With(context.Background(), access.System("test", "cli"))
		log := auditlog.New(db)
		sites := site.NewService(db, log)
		u := &site.Unit{Code: "00004", Name: "Phường Ba Đình", NameEn: "Ba Dinh Ward", Kind: site.Ward}
		if err := sites.CreateUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
		st := &site.Site{Code: "phuong-ba-dinh", UnitID: u.ID, Kind: site.Portal, Name: u.Name, NameEn: u.NameEn, Langs: []string{"vi", "en"},
			Contact: site.Contact{Address: "Hà Nội", AddressEn: "Hanoi", Phone: "024 1234 5678", Email: "a@hanoi.gov.vn"}, EMCID: "123"}
		if err := sites.CreateSite(ctx, st); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		svc := compliance.NewService(db, log, sites, rulepack.Default())
		svc.Now = func() time.Time { return now }
		svc.Register(compliance.Settings{Sites: sites})
		svc.Register(compliance.Disclosure{Store: db})
		svc.Register(pages{facts: map[int64][]compliance.Fact{st.ID: {
			{Check: "page:chuc-nang-nhiem-vu", Count: 1, Updated: now.AddDate(0, -1, 0), Langs: []string{"vi"}},
			{Check: "page:lanh-dao", Count: 1, Updated: now.AddDate(-2, 0, 0), Langs: []string{"vi"}},
			{Check: "articles", Count: 40, Updated: now.AddDate(0, 0, -2), Langs: []string{"vi"}},
		}}})
		rep, err := svc.Audit(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Sites) != 1 || rep.Failing != 1 {
			t.Fatalf("report: %+v", rep)
		}
		got := map[string]compliance.Finding{}
		for _, f := range rep.Sites[0].Findings {
			got[f.Rule] = f
		}
		want := map[string]string{
			"gioi-thieu":         "compliance.english_missing", // Decree 42 Art. 7.2
			"co-cau-to-chuc":     "compliance.missing",
			"lanh-dao":           "compliance.stale",
			"tin-tuc":            "",
			"lien-he":            "",
			"lien-he-en":         "",
			"emc":                "",
			"van-ban":            "compliance.missing",
			"danh-muc-cong-khai": "",
		}
		for rule, key := range want {
			f, ok := got[rule]
			switch {
			case !ok:
				t.Errorf("%s: not checked", rule)
			case key == "" && f.Status != compliance.Pass:
				t.Errorf("%s: %s %+v, want pass", rule, f.Status, f.Reasons)
			case key != "" && (f.Status != compliance.Fail || f.Reasons[0].Key != key):
				t.Errorf("%s: %s %+v, want %s", rule, f.Status, f.Reasons, key)
			}
		}
		if f := got["phan-anh-kien-nghi"]; f.Status != compliance.Skip || f.Reasons[0].Args[0] != "feedback" {
			t.Errorf("feedback without its provider: %+v", f)
		}
		// Stored runs make the history.
		if _, err := svc.Record(ctx, rep); err != nil {
			t.Fatal(err)
		}
		runs, per, err := svc.History(ctx, 5)
		if err != nil || len(runs) != 1 || per[st.ID][runs[0].ID] != rep.Sites[0].Failed {
			t.Errorf("history: %+v %v %v", runs, per, err)
		}
		// A supervisor reads; only the system administrator records.
		sup := access.With(context.Background(), &access.Actor{UserID: 2, Name: "gs", City: []access.Role{access.Supervisor}, Via: "session"})
		if _, err := svc.Audit(sup, ""); err != nil {
			t.Errorf("supervisor cannot audit: %v", err)
		}
		if _, err := svc.Record(sup, rep); err == nil {
			t.Error("a supervisor recorded a run")
		}
		editor := access.With(context.Background(), &access.Actor{UserID: 3, Name: "e", Sites: map[int64][]access.Role{st.ID: {access.EditorInChief}}, Via: "session"})
		if _, err := svc.Audit(editor, ""); err == nil {
			t.Error("a site editor ran the city-wide audit")
		}
	})
}

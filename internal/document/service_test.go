package document_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/attach"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

// recorder is an Indexer that remembers what it was given.
type recorder struct{ docs map[string]search.Doc }

func (r *recorder) Put(_ context.Context, d search.Doc) error { r.docs[d.Ref] = d; return nil }
func (r *recorder) Delete(_ context.Context, _ search.Kind, ref string) error {
	delete(r.docs, ref)
	return nil
}

type fixture struct {
	svc                    *document.Service
	idx                    *recorder
	sys                    context.Context
	siteA, siteB           int64
	decree, circular, plan *document.Term
	govt, ministry, city   *document.Term
	field                  *document.Term
}

func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	log := auditlog.New(db)
	sites := site.NewService(db, log)
	f := &fixture{idx: &recorder{docs: map[string]search.Doc{}}}
	f.sys = access.With(context.Background(), access.System("test", "cli"))
	city := &site.Unit{Code: "01", Name: "Thành phố Hà Nội", Kind: site.City}
	must(t, sites.CreateUnit(f.sys, city))
	a := &site.Site{Code: "hanoi", UnitID: city.ID, Kind: site.Portal, Name: "Hà Nội", Langs: []string{"vi"}}
	must(t, sites.CreateSite(f.sys, a))
	w := &site.Unit{Code: "00004", Name: "Phường Ba Đình", Kind: site.Ward, ParentID: city.ID}
	must(t, sites.CreateUnit(f.sys, w))
	b := &site.Site{Code: "phuong-ba-dinh", UnitID: w.ID, Kind: site.Portal, Name: "Phường Ba Đình", Langs: []string{"vi"}}
	must(t, sites.CreateSite(f.sys, b))
	f.siteA, f.siteB = a.ID, b.ID
	f.svc = document.NewService(db, log, attach.New(db, t.TempDir()))
	f.svc.Index = f.idx
	f.svc.Now = func() time.Time { return time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC) }
	term := func(list, name string) *document.Term {
		tm := &document.Term{List: list, Name: name}
		must(t, f.svc.AddTerm(f.sys, tm))
		return tm
	}
	f.decree, f.circular, f.plan = term(document.ListType, "Nghị định"), term(document.ListType, "Thông tư"), term(document.ListType, "Kế hoạch")
	f.govt, f.ministry, f.city = term(document.ListIssuer, "Chính phủ"), term(document.ListIssuer, "Bộ Thông tin và Truyền thông"), term(document.ListIssuer, "UBND thành phố Hà Nội")
	f.field = term(document.ListField, "Hành chính")
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) add(t *testing.T, siteID int64, number string, typ, issuer *document.Term, title, issued, effective string) *document.Document {
	t.Helper()
	d := &document.Document{SiteID: siteID, Number: number, TypeID: typ.ID, IssuerID: issuer.ID, FieldID: f.field.ID, Title: title,
		Signer: "Lê Minh Khái", IssuedOn: issued, EffectiveOn: effective}
	must(t, f.svc.Create(f.sys, d))
	if _, err := f.svc.SetPublished(f.sys, d.ID, true); err != nil {
		t.Fatal(err)
	}
	return d
}

func numbers(r *document.Result) string {
	var out []string
	for _, d := range r.Docs {
		out = append(out, d.Number)
	}
	return strings.Join(out, ",")
}

func TestSearchFindsNumbersHoweverTyped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.add(t, f.siteA, "42/2022/NĐ-CP", f.decree, f.govt, "Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng", "2022-06-24", "2022-08-15")
		f.add(t, f.siteA, "22/2023/TT-BTTTT", f.circular, f.ministry, "Quy định cấu trúc, bố cục, yêu cầu kỹ thuật cho cổng thông tin điện tử", "2023-12-31", "2024-02-15")
		f.add(t, f.siteB, "42/KH-UBND", f.plan, f.city, "Kế hoạch chuyển đổi số năm 2024", "2024-02-01", "2024-02-01")
		ctx := context.Background()
		for q, want := range map[string]string{
			"42/2022/NĐ-CP":    "42/2022/NĐ-CP",
			"42/2022/ND-CP":    "42/2022/NĐ-CP",
			"42 2022":          "42/2022/NĐ-CP",
			"  42/2022/nđ-cp ": "42/2022/NĐ-CP",
			"22/2023":          "22/2023/TT-BTTTT",
			"TT-BTTTT":         "22/2023/TT-BTTTT",
			"cổng thông tin":   "22/2023/TT-BTTTT,42/2022/NĐ-CP",
			"cong thong tin":   "22/2023/TT-BTTTT,42/2022/NĐ-CP",
			"ky thuat":         "22/2023/TT-BTTTT",
			"chuyển đổi số":    "42/KH-UBND",
			"khai":             "42/KH-UBND,22/2023/TT-BTTTT,42/2022/NĐ-CP",
			"xyz":              "",
		} {
			res, err := f.svc.Search(ctx, document.Query{Text: q})
			if err != nil {
				t.Fatal(err)
			}
			if got := numbers(res); got != want {
				t.Errorf("search %q: got %s, want %s", q, got, want)
			}
		}
		// Per site, by type, by date.
		res, _ := f.svc.Search(ctx, document.Query{SiteID: f.siteB, Text: "42"})
		if numbers(res) != "42/KH-UBND" {
			t.Errorf("site search: %s", numbers(res))
		}
		res, _ = f.svc.Search(ctx, document.Query{TypeID: f.circular.ID})
		if numbers(res) != "22/2023/TT-BTTTT" {
			t.Errorf("type filter: %s", numbers(res))
		}
		res, _ = f.svc.Search(ctx, document.Query{IssuedFrom: "01/01/2023", IssuedTo: "2023-12-31"})
		if numbers(res) != "22/2023/TT-BTTTT" {
			t.Errorf("date filter: %s", numbers(res))
		}
		res, _ = f.svc.Search(ctx, document.Query{Signer: "le minh khai", IssuerID: f.govt.ID})
		if numbers(res) != "42/2022/NĐ-CP" {
			t.Errorf("signer filter: %s", numbers(res))
		}
		if d, ok := f.idx.docs["1"]; !ok || d.Numbers[0] != "42/2022/NĐ-CP" || d.Path != "/van-ban/1" {
			t.Errorf("index entry: %+v", f.idx.docs)
		}
	})
}

func TestStatusFollowsDatesAndRelations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		old := f.add(t, f.siteA, "43/2011/NĐ-CP", f.decree, f.govt, "Quy định về việc cung cấp thông tin trên trang thông tin điện tử", "2011-06-13", "2011-08-01")
		amender := f.add(t, f.siteA, "10/2020/NĐ-CP", f.decree, f.govt, "Sửa đổi", "2020-01-01", "2020-03-01")
		newer := f.add(t, f.siteA, "42/2022/NĐ-CP", f.decree, f.govt, "Cung cấp thông tin", "2022-06-24", "2022-08-15")
		future := f.add(t, f.siteA, "99/2024/NĐ-CP", f.decree, f.govt, "Tương lai", "2024-05-01", "2024-09-01")
		ctx := context.Background()
		status := func(id int64) document.Status {
			d, err := f.svc.Get(f.sys, id)
			must(t, err)
			return d.StatusOn(f.svc.Today())
		}
		if s := status(old.ID); s != document.InForce {
			t.Errorf("before relations: %s", s)
		}
		must(t, f.svc.Relate(f.sys, document.Relation{FromID: amender.ID, ToID: old.ID, Kind: document.Amends}))
		if s := status(old.ID); s != document.Partial {
			t.Errorf("amended: %s", s)
		}
		must(t, f.svc.Relate(f.sys, document.Relation{FromID: newer.ID, ToID: old.ID, Kind: document.Replaces}))
		if s := status(old.ID); s != document.Expired {
			t.Errorf("replaced: %s", s)
		}
		if s := status(future.ID); s != document.NotYet {
			t.Errorf("future: %s", s)
		}
		for st, want := range map[document.Status]string{
			document.Expired: "43/2011/NĐ-CP", document.NotYet: "99/2024/NĐ-CP", document.InForce: "42/2022/NĐ-CP,10/2020/NĐ-CP",
		} {
			res, err := f.svc.Search(ctx, document.Query{Status: st})
			must(t, err)
			if numbers(res) != want {
				t.Errorf("status %s: %s, want %s", st, numbers(res), want)
			}
		}
		// Withdrawing the replacing decree puts the old one back in force
		// (amended).
		_, err := f.svc.SetPublished(f.sys, newer.ID, false)
		must(t, err)
		if s := status(old.ID); s != document.Partial {
			t.Errorf("after the replacing decree was withdrawn: %s", s)
		}
		// A cycle: old replaces newer, which replaces old.
		err = f.svc.Relate(f.sys, document.Relation{FromID: old.ID, ToID: amender.ID, Kind: document.Guides})
		if fault.As(err) == nil || fault.As(err).Key != "document.relation_cycle" {
			t.Errorf("cycle accepted: %v", err)
		}
		err = f.svc.Relate(f.sys, document.Relation{FromID: old.ID, ToID: old.ID, Kind: document.Guides})
		if fault.KindOf(err) != fault.Invalid {
			t.Errorf("self relation: %v", err)
		}
	})
}

func TestPermissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		editorB := access.With(context.Background(), &access.Actor{UserID: 5, Name: "e", Via: "session", Sites: map[int64][]access.Role{f.siteB: {access.Editor}}})
		d := &document.Document{SiteID: f.siteA, Number: "1/QĐ-UBND", TypeID: f.decree.ID, IssuerID: f.city.ID, Title: "X", IssuedOn: "2024-01-02"}
		if err := f.svc.Create(editorB, d); fault.KindOf(err) != fault.Forbidden {
			t.Errorf("editor of another site created a document: %v", err)
		}
		d.SiteID = f.siteB
		must(t, f.svc.Create(editorB, d))
		if _, err := f.svc.SetPublished(editorB, d.ID, true); fault.KindOf(err) != fault.Forbidden {
			t.Errorf("an editor published without the editor-in-chief: %v", err)
		}
		if _, err := f.svc.Get(context.Background(), d.ID); fault.KindOf(err) != fault.NotFound {
			t.Errorf("an unpublished document is visible to the public: %v", err)
		}
		bad := &document.Document{SiteID: f.siteB, Number: "", TypeID: 0, IssuerID: f.city.ID, Title: "", IssuedOn: "2024-02-30", EffectiveOn: "2023-01-01"}
		err := f.svc.Create(editorB, bad)
		var l fault.List
		if e, ok := err.(fault.List); ok {
			l = e
		}
		if len(l) < 4 {
			t.Errorf("want every field error at once, got %v", err)
		}
	})
}

// An explicit expiry date ends a document on that day; the field filter
// keeps only the documents of that field.
func TestExpiryDateAndFieldFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		today, _ := time.Parse(time.DateOnly, f.svc.Today())
		day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
		plan := &document.Document{SiteID: f.siteA, Number: "15/KH-UBND", TypeID: f.plan.ID, IssuerID: f.city.ID, FieldID: f.field.ID,
			Title: "Kế hoạch tổ chức Tết Nguyên đán", Signer: "Trần Sỹ Thanh", IssuedOn: day(-40), EffectiveOn: day(-30), ExpiresOn: day(-1)}
		must(t, f.svc.Create(f.sys, plan))
		_, err := f.svc.SetPublished(f.sys, plan.ID, true)
		must(t, err)
		health := &document.Term{List: document.ListField, Name: "Y tế"}
		must(t, f.svc.AddTerm(f.sys, health))
		later := &document.Document{SiteID: f.siteA, Number: "16/KH-UBND", TypeID: f.plan.ID, IssuerID: f.city.ID, FieldID: health.ID,
			Title: "Kế hoạch tiêm chủng mở rộng", Signer: "Trần Sỹ Thanh", IssuedOn: day(-10), EffectiveOn: day(-5), ExpiresOn: day(30)}
		must(t, f.svc.Create(f.sys, later))
		_, err = f.svc.SetPublished(f.sys, later.ID, true)
		must(t, err)
		for id, want := range map[int64]document.Status{plan.ID: document.Expired, later.ID: document.InForce} {
			d, err := f.svc.Get(f.sys, id)
			must(t, err)
			if s := d.StatusOn(f.svc.Today()); s != want {
				t.Errorf("%s: %s, want %s", d.Number, s, want)
			}
		}
		ctx := context.Background()
		res, err := f.svc.Search(ctx, document.Query{FieldID: health.ID})
		must(t, err)
		if numbers(res) != "16/KH-UBND" {
			t.Errorf("field Y tế: %s", numbers(res))
		}
		res, err = f.svc.Search(ctx, document.Query{Status: document.Expired})
		must(t, err)
		if numbers(res) != "15/KH-UBND" {
			t.Errorf("expired: %s", numbers(res))
		}
		bad := &document.Document{SiteID: f.siteA, Number: "17/KH-UBND", TypeID: f.plan.ID, IssuerID: f.city.ID, FieldID: f.field.ID,
			Title: "Hết hạn trước khi có hiệu lực", IssuedOn: day(-3), EffectiveOn: day(-2), ExpiresOn: day(-2)}
		if err := f.svc.Create(f.sys, bad); err == nil {
			t.Error("a document expiring on its effective date was accepted")
		}
	})
}

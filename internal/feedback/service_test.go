package feedback_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

// recorder is a search.Indexer that remembers what it was given.
type recorder struct {
	mu   sync.Mutex
	docs map[string]search.Doc
}

func (r *recorder) Put(ctx context.Context, d search.Doc) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.docs == nil {
		r.docs = map[string]search.Doc{}
	}
	r.docs[string(d.Kind)+"/"+d.Ref] = d
	return nil
}

func (r *recorder) Delete(ctx context.Context, k search.Kind, ref string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.docs, string(k)+"/"+ref)
	return nil
}

type fixture struct {
	db    *store.DB
	svc   *feedback.Service
	sites *site.Service
	index *recorder
	clock time.Time
	sys   context.Context
	city  *site.Site
	ward  *site.Site // Phường Ba Đình
	other *site.Site // Phường Hoàn Kiếm
	dept  *site.Site // Sở Xây dựng
}

func setup(t *testing.T, db *store.DB) *fixture { return setupB(t, db) }

func setupB(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	log := auditlog.New(db)
	f := &fixture{db: db, sites: site.NewService(db, log), index: &recorder{}}
	f.sys = access.With(context.Background(), access.System("test", "cli"))
	city := &site.Unit{Code: "01", Name: "Thành phố Hà Nội", Kind: site.City}
	must(t, f.sites.CreateUnit(f.sys, city))
	mk := func(u *site.Unit, code string) *site.Site {
		if u.ID == 0 {
			u.ParentID = city.ID
			must(t, f.sites.CreateUnit(f.sys, u))
		}
		st := &site.Site{Code: code, UnitID: u.ID, Kind: site.Portal, Name: u.Name, Langs: []string{"vi"}}
		must(t, f.sites.CreateSite(f.sys, st))
		return st
	}
	f.city = mk(city, "hanoi")
	f.ward = mk(&site.Unit{Code: "00004", Name: "Phường Ba Đình", Kind: site.Ward}, "phuong-ba-dinh")
	f.other = mk(&site.Unit{Code: "00070", Name: "Phường Hoàn Kiếm", Kind: site.Ward}, "phuong-hoan-kiem")
	f.dept = mk(&site.Unit{Code: "01.007", Name: "Sở Xây dựng", Kind: site.Agency}, "so-xay-dung")
	f.svc = feedback.NewService(db, log, f.sites)
	f.svc.Index = f.index
	f.clock = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC) // a Monday
	f.svc.SetClock(func() time.Time { return f.clock })
	return f
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func as(site int64, roles ...access.Role) context.Context {
	return access.With(context.Background(), &access.Actor{UserID: 7, Name: "canbo@hanoi.gov.vn", Sites: map[int64][]access.Role{site: roles}, Via: "session"})
}

func submission(f *fixture) feedback.Submission {
	return feedback.Submission{
		Kind: feedback.Feedback, SiteID: f.ward.ID, Category: "moi-truong",
		Title: "Rác thải tập kết sai quy định", Body: "Rác thải tập kết trên vỉa hè phố Quán Thánh nhiều ngày không được thu gom, gây mùi hôi, đề nghị phường xử lý.",
		Address: "Phố Quán Thánh, phường Ba Đình", Name: "Nguyễn Văn An", Phone: "0912 345 678", Email: "an@example.vn", Consent: true, Verified: true,
	}
}

func TestSubmitValidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		bad := submission(f)
		bad.Title, bad.Body, bad.Name, bad.Phone, bad.Email, bad.Consent, bad.Category = "", "ngắn", "", "", "", false, "khong-co"
		_, err := f.svc.Submit(ctx, bad)
		var l fault.List
		if !errorsAs(err, &l) {
			t.Fatalf("err = %v, want a list of field errors", err)
		}
		fields := map[string]bool{}
		for _, e := range l {
			fields[e.Field] = true
		}
		for _, want := range []string{"title", "body", "name", "phone", "consent", "category"} {
			if !fields[want] {
				t.Errorf("no error on %s: %v", want, l)
			}
		}
		// Markup is kept as text, never interpreted: it is stored as typed.
		s := submission(f)
		s.Body = `<script>alert("x")</script> rác thải ngập ngõ, đề nghị xử lý`
		it, err := f.svc.Submit(ctx, s)
		must(t, err)
		got, _, err := f.svc.Item(f.sys, it.Code)
		must(t, err)
		if got.Body != s.Body {
			t.Errorf("body stored as %q", got.Body)
		}
	})
}

func errorsAs(err error, l *fault.List) bool {
	x, ok := err.(fault.List)
	*l = x
	return ok
}

func TestWorkflowToPublication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		it, err := f.svc.Submit(ctx, submission(f))
		must(t, err)
		if it.Status != feedback.Received || it.SiteID != f.city.ID {
			t.Fatalf("new item %s at site %d, want received at the city's desk", it.Status, it.SiteID)
		}
		if got := it.DueAt.In(time.FixedZone("", 7*3600)).Format(time.DateOnly); got != "2025-03-24" {
			t.Errorf("due %s, want 15 working days after 3 March 2025 (24 March)", got)
		}
		if _, ok := feedback.NormalizeCode(strings.ToLower(strings.ReplaceAll(it.Code, "-", " "))); !ok {
			t.Errorf("code %s does not survive being retyped", it.Code)
		}

		// The ward's officer cannot touch it while it is at the city's desk.
		wardOfficer := as(f.ward.ID, access.FeedbackOfficer)
		if _, err := f.svc.Assign(wardOfficer, it.Code, it.Version, f.ward.ID, ""); !fault.Is(err, fault.Forbidden) {
			t.Errorf("ward officer assigning from the city desk: %v, want forbidden", err)
		}
		cityOfficer := as(f.city.ID, access.FeedbackOfficer)
		it, err = f.svc.Assign(cityOfficer, it.Code, it.Version, f.ward.ID, "Thuộc địa bàn phường")
		must(t, err)
		if _, err := f.svc.Assign(cityOfficer, it.Code, it.Version-1, f.other.ID, ""); !fault.Is(err, fault.Forbidden) && !fault.Is(err, fault.Conflict) {
			t.Errorf("stale version: %v", err)
		}

		// Ask for more: the clock stops for the 5 working days it waits.
		f.clock = f.clock.Add(24 * time.Hour)
		it, err = f.svc.RequestInfo(wardOfficer, it.Code, it.Version, "Đề nghị cho biết số nhà cụ thể.")
		must(t, err)
		due := it.DueAt
		tr, err := f.svc.Track(ctx, it.Code)
		must(t, err)
		if !tr.CanAdd || tr.Question == "" || tr.Item.Contact.Phone != "" || tr.Item.Contact.Email != "" {
			t.Errorf("tracking while waiting: %+v", tr)
		}
		f.clock = f.clock.Add(7 * 24 * time.Hour) // Tuesday to next Tuesday: 5 working days
		it, err = f.svc.Supplement(ctx, it.Code, "Trước cửa nhà số 12 phố Quán Thánh.", nil)
		must(t, err)
		if it.Status != feedback.Assigned || it.PausedDays != 5 || !it.DueAt.After(due) {
			t.Errorf("after the supplement: %s, paused %d days, due %s (was %s)", it.Status, it.PausedDays, it.DueAt, due)
		}

		it, err = f.svc.Draft(wardOfficer, it.Code, it.Version, "UBND phường đã chỉ đạo thu gom rác ngay trong ngày.",
			[]feedback.Ref{{Kind: "document", Ref: "12/2024/QĐ-UBND", Title: "Quyết định 12/2024/QĐ-UBND về quản lý chất thải rắn", URL: "/van-ban/12-2024-qd-ubnd"}})
		must(t, err)
		// The officer cannot publish; the city's editor-in-chief can.
		pub := feedback.Publication{PublicTitle: it.PublicTitle, PublicBody: "Liên hệ 0912 345 678, nhà số 12 phố Quán Thánh có rác.", Publish: true}
		if _, err := f.svc.Approve(wardOfficer, it.Code, it.Version, pub); !fault.Is(err, fault.Forbidden) {
			t.Errorf("officer approving: %v", err)
		}
		chief := as(f.city.ID, access.EditorInChief)
		_, err = f.svc.Approve(chief, it.Code, it.Version, pub)
		if fe := fault.As(err); fe == nil && !strings.Contains(err.Error(), "reviewed") {
			t.Fatalf("publishing a phone number unreviewed: %v, want the review asked for", err)
		}
		pub.PublicBody = feedback.Redact(pub.PublicBody, it.Contact)
		pub.Reviewed = true // the house number is what the answer is about
		it, err = f.svc.Approve(chief, it.Code, it.Version, pub)
		must(t, err)
		if it.Status != feedback.Published || strings.Contains(it.PublicBody, "0912") {
			t.Errorf("published %s with %q", it.Status, it.PublicBody)
		}
		if d, ok := f.index.docs["answer/"+itoa(it.ID)]; !ok || d.Path != it.Path() || strings.Contains(d.Body, "0912") {
			t.Errorf("search got %+v", f.index.docs)
		}

		// The public sees the reviewed copy and the answer, never contacts.
		list, n, err := f.svc.Published(ctx, feedback.Filter{Query: "rac thai"})
		must(t, err)
		if n != 1 || list[0].Contact != (feedback.Contact{}) || list[0].Code != "" || list[0].PublicName != "N.V.A." {
			t.Errorf("public list: %d %+v", n, list)
		}
		pi, err := f.svc.PublishedItem(ctx, it.ID)
		must(t, err)
		if len(pi.Refs) != 1 || pi.Refs[0].Ref != "12/2024/QĐ-UBND" {
			t.Errorf("refs %+v", pi.Refs)
		}
		// Rating once.
		_, err = f.svc.Rate(ctx, it.Code, 5, "Cảm ơn")
		must(t, err)
		if _, err := f.svc.Rate(ctx, it.Code, 1, ""); !fault.Is(err, fault.Conflict) {
			t.Errorf("second rating: %v", err)
		}
		tr, err = f.svc.Track(ctx, it.Code)
		must(t, err)
		var types []string
		for _, e := range tr.Events {
			types = append(types, e.Type)
			if e.Type == "note" || e.Type == "drafted" || e.Type == "supplement" {
				t.Errorf("internal step %s on the public timeline", e.Type)
			}
		}
		if got := strings.Join(types, ","); got != "received,assigned,info_requested,supplemented,answered,published,rated" {
			t.Errorf("public timeline %s", got)
		}
		stats, err := f.svc.Stats(ctx, feedback.StatsFilter{From: f.clock.AddDate(0, -1, 0), To: f.clock.AddDate(0, 1, 0)})
		must(t, err)
		var total feedback.StatsRow
		for _, r := range stats {
			total.Add(r)
		}
		if total.Received != 1 || total.Published != 1 || total.OnTime != 1 || total.Rated != 1 || total.RatingSum != 5 {
			t.Errorf("stats %+v", total)
		}
	})
}

func itoa(n int64) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int64) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

func TestDuplicatesAreLinked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		a, err := f.svc.Submit(ctx, submission(f))
		must(t, err)
		s := submission(f)
		s.Phone, s.Email = "0987 654 321", "binh@example.vn"
		s.Body = strings.ToUpper(s.Body) + "  " // the same words, typed differently
		b, err := f.svc.Submit(ctx, s)
		must(t, err)
		s.Phone, s.Email = "0977 000 111", ""
		s.Body = "Rác thải tập kết trên vỉa hè phố Quán Thánh nhiều ngày liền không được thu gom, gây mùi hôi, đề nghị phường xử lý."
		c, err := f.svc.Submit(ctx, s)
		must(t, err)
		s.Body = "Đèn chiếu sáng công cộng ở ngõ 5 phố Đội Cấn bị hỏng nhiều tuần nay, buổi tối rất tối và nguy hiểm cho người đi đường."
		s.Phone = "0977 000 222"
		d, err := f.svc.Submit(ctx, s)
		must(t, err)
		links := func(code string) map[string]string {
			it, _, err := f.svc.Item(f.sys, code)
			must(t, err)
			out := map[string]string{}
			for _, l := range it.Links {
				out[l.OtherCode] = l.Kind
			}
			return out
		}
		if l := links(b.Code); l[a.Code] != "exact" {
			t.Errorf("b's links %v, want exact to a", l)
		}
		if l := links(c.Code); l[a.Code] != "near" {
			t.Errorf("c's links %v, want near to a", l)
		}
		if l := links(d.Code); len(l) != 0 {
			t.Errorf("d's links %v, want none", l)
		}
		// Merging closes the duplicate; it is counted, not lost.
		cityOfficer := as(f.city.ID, access.FeedbackOfficer)
		b, err = f.svc.Merge(cityOfficer, b.Code, b.Version, a.Code)
		must(t, err)
		if b.Status != feedback.Duplicate || links(b.Code)[a.Code] == "" {
			t.Errorf("merged: %s %v", b.Status, links(b.Code))
		}
	})
}

func TestRateLimitPerContact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ok, limited := 0, 0
		for i := 0; i < 8; i++ {
			s := submission(f)
			s.Email = ""
			s.Title = s.Title + " " + fmtInt(int64(i))
			_, err := f.svc.Submit(context.Background(), s)
			switch {
			case err == nil:
				ok++
			case fault.Is(err, fault.TooMany):
				limited++
			default:
				t.Fatal(err)
			}
		}
		if ok != 5 || limited != 3 {
			t.Errorf("%d accepted, %d limited; want 5 and 3", ok, limited)
		}
	})
}

func TestSweepRemindsAndEscalates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		it, err := f.svc.Submit(ctx, submission(f))
		must(t, err)
		it, err = f.svc.Assign(as(f.city.ID, access.FeedbackOfficer), it.Code, it.Version, f.ward.ID, "")
		must(t, err)
		f.clock = time.Date(2025, 3, 20, 9, 0, 0, 0, time.UTC) // 2 working days before 24 March
		res, err := f.svc.Sweep(ctx)
		must(t, err)
		if res.Reminded != 1 || res.Escalated != 0 {
			t.Errorf("before the deadline: %+v", res)
		}
		f.clock = time.Date(2025, 3, 26, 9, 0, 0, 0, time.UTC) // 2 working days late
		res, err = f.svc.Sweep(ctx)
		must(t, err)
		if res.Reminded != 0 || res.Escalated != 1 {
			t.Errorf("after the deadline: %+v", res)
		}
		got, _, err := f.svc.Item(f.sys, it.Code)
		must(t, err)
		if got.EscalatedSiteID != f.city.ID || got.EscalationLevel != 1 {
			t.Errorf("escalated to %d level %d, want the city", got.EscalatedSiteID, got.EscalationLevel)
		}
		res, err = f.svc.Sweep(ctx)
		must(t, err)
		if res.Escalated != 0 {
			t.Errorf("escalated twice: %+v", res)
		}
		// The city's officers see it in their queue of escalated items.
		items, n, err := f.svc.Queue(as(f.city.ID, access.FeedbackOfficer), feedback.Filter{EscalatedTo: f.city.ID})
		must(t, err)
		if n != 1 || items[0].Code != it.Code {
			t.Errorf("escalated queue: %d", n)
		}
	})
}

// A ward transfers an item to another ward: the deadline is kept, the step
// is on the public timeline, and the first ward no longer sees or handles
// it.
func TestTransferBetweenWards(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		ctx := context.Background()
		it, err := f.svc.Submit(ctx, submission(f))
		must(t, err)
		due := it.DueAt
		it, err = f.svc.Assign(as(f.city.ID, access.FeedbackOfficer), it.Code, it.Version, f.ward.ID, "")
		must(t, err)
		// Escalated while at the first ward: the transfer starts the new unit
		// clean.
		f.clock = time.Date(2025, 3, 26, 9, 0, 0, 0, time.UTC)
		_, err = f.svc.Sweep(ctx)
		must(t, err)
		it, _, err = f.svc.Item(f.sys, it.Code)
		must(t, err)
		if it.EscalationLevel != 1 {
			t.Fatalf("not escalated: %+v", it)
		}

		first := as(f.ward.ID, access.FeedbackOfficer)
		second := as(f.other.ID, access.FeedbackOfficer)
		if _, err := f.svc.Assign(second, it.Code, it.Version, f.other.ID, ""); !fault.Is(err, fault.Forbidden) {
			t.Errorf("the other ward taking it: %v, want forbidden", err)
		}
		if _, err := f.svc.Assign(first, it.Code, it.Version, f.ward.ID, ""); fault.As(err) == nil || fault.As(err).Key != "feedback.same_unit" {
			t.Errorf("transfer to itself: %v", err)
		}
		if _, err := f.svc.Assign(first, it.Code, it.Version, 999999, ""); fault.As(err) == nil || fault.As(err).Key != "feedback.unit_invalid" {
			t.Errorf("transfer to no unit: %v", err)
		}
		it, err = f.svc.Assign(first, it.Code, it.Version, f.other.ID, "Địa chỉ thuộc phường Hoàn Kiếm")
		must(t, err)
		if it.Status != feedback.Assigned || it.SiteID != f.other.ID || !it.DueAt.Equal(due) || it.EscalatedSiteID != 0 || it.EscalationLevel != 0 {
			t.Errorf("after the transfer: %s at %d, due %s (was %s), escalated to %d level %d", it.Status, it.SiteID, it.DueAt, due, it.EscalatedSiteID, it.EscalationLevel)
		}

		// The public timeline shows the transfer from one ward to the other;
		// the note stays internal.
		tr, err := f.svc.Track(ctx, it.Code)
		must(t, err)
		last := tr.Events[len(tr.Events)-1]
		if last.Type != "transferred" || last.SiteID != f.ward.ID || last.ToSiteID != f.other.ID || last.Text != "" {
			t.Errorf("last public step %+v", last)
		}
		if tr.Unit != "Phường Hoàn Kiếm" {
			t.Errorf("tracking shows the unit %q", tr.Unit)
		}
		for _, e := range tr.Events {
			if strings.Contains(e.Text, "Hoàn Kiếm") {
				t.Errorf("the internal note is public: %+v", e)
			}
		}

		// The first ward has lost it; the second has it.
		if _, _, err := f.svc.Item(first, it.Code); !fault.Is(err, fault.Forbidden) {
			t.Errorf("first ward opening it: %v, want forbidden", err)
		}
		if _, err := f.svc.RequestInfo(first, it.Code, it.Version, "Số nhà?"); !fault.Is(err, fault.Forbidden) {
			t.Errorf("first ward handling it: %v, want forbidden", err)
		}
		if _, n, err := f.svc.Queue(first, feedback.Filter{SiteID: f.ward.ID}); err != nil || n != 0 {
			t.Errorf("first ward's queue: %d items, %v", n, err)
		}
		items, n, err := f.svc.Queue(second, feedback.Filter{SiteID: f.other.ID})
		must(t, err)
		if n != 1 || items[0].Code != it.Code {
			t.Errorf("second ward's queue: %d items", n)
		}
		if _, _, err := f.svc.Item(second, it.Code); err != nil {
			t.Errorf("second ward opening it: %v", err)
		}
		if _, err := f.svc.Draft(second, it.Code, it.Version, "Phường đã xử lý.", nil); err != nil {
			t.Errorf("second ward drafting: %v", err)
		}
	})
}

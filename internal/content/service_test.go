package content_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/staff"
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
	r.docs[string(d.Kind)+":"+d.Ref+":"+d.Lang] = d
	return nil
}

func (r *recorder) Delete(ctx context.Context, k search.Kind, ref string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for key := range r.docs {
		if strings.HasPrefix(key, string(k)+":"+ref+":") {
			delete(r.docs, key)
		}
	}
	return nil
}

// fixture is a city with one ward, and staff on both.
type fixture struct {
	svc                              *server.Services
	idx                              *recorder
	city, ward                       *site.Site
	collab, editor, chief, cityChief context.Context
	clock                            *time.Time
}

func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := access.With(context.Background(), access.System("test", "cli"))
	svc := server.NewServices(db)
	f := &fixture{svc: svc, idx: &recorder{docs: map[string]search.Doc{}}}
	svc.Content.Index = f.idx
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	f.clock = &now
	svc.Content.SetClock(func() time.Time { return *f.clock })
	svc.Jobs.SetClock(func() time.Time { return *f.clock })
	cu := &site.Unit{Code: "01", Name: "Thành phố Hà Nội", Kind: site.City}
	must(t, svc.Sites.CreateUnit(ctx, cu))
	f.city = &site.Site{Code: "hanoi", UnitID: cu.ID, Kind: site.Portal, Name: "Thành phố Hà Nội", Langs: []string{"vi", "en"}, Hosts: []string{"hanoi.test"}}
	must(t, svc.Sites.CreateSite(ctx, f.city))
	wu := &site.Unit{Code: "00004", Name: "Phường Ba Đình", Kind: site.Ward, ParentID: cu.ID}
	must(t, svc.Sites.CreateUnit(ctx, wu))
	f.ward = &site.Site{Code: "phuong-ba-dinh", UnitID: wu.ID, Kind: site.Portal, Name: "Phường Ba Đình", Langs: []string{"vi", "en"}, Hosts: []string{"badinh.test"}}
	must(t, svc.Sites.CreateSite(ctx, f.ward))
	as := func(email string, role access.Role, siteID int64) context.Context {
		u, err := svc.Staff.AddUser(ctx, staff.NewUser{Email: email, Name: email, Password: "mat-khau-rat-dai-1", Grants: []staff.Grant{{SiteID: siteID, Role: role}}})
		must(t, err)
		a, err := svc.Staff.Actor(ctx, u, "session", "127.0.0.1")
		must(t, err)
		return access.With(context.Background(), a)
	}
	f.collab = as("ctv@badinh.vn", access.Collaborator, f.ward.ID)
	f.editor = as("bt@badinh.vn", access.Editor, f.ward.ID)
	f.chief = as("tbt@badinh.vn", access.EditorInChief, f.ward.ID)
	f.cityChief = as("tbt@hanoi.vn", access.EditorInChief, f.city.ID)
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) publish(t *testing.T, title string) *content.Article {
	t.Helper()
	a, err := f.svc.Content.Create(f.collab, f.ward.ID, content.Input{Title: title, Summary: "Sapo", Body: "<p>Nội dung</p>"})
	must(t, err)
	a, err = f.svc.Content.Submit(f.collab, a.ID, a.Version)
	must(t, err)
	a, err = f.svc.Content.Approve(f.chief, a.ID, a.Version, time.Time{})
	must(t, err)
	return a
}

func TestWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := f.svc.Content
		a, err := c.Create(f.collab, f.ward.ID, content.Input{Title: "Phường Ba Đình tổ chức Hội nghị “Dân vận khéo” năm 2026",
			Body: `<p onclick="x()">Nội dung <script>alert(1)</script><a href="javascript:alert(1)">liên kết</a></p>`, Tags: []string{"dân vận", " dân vận ", "hội nghị"}})
		must(t, err)
		if a.Status != content.Draft || a.Slug != "phuong-ba-dinh-to-chuc-hoi-nghi-dan-van-kheo-nam-2026" {
			t.Errorf("new item: %s %q", a.Status, a.Slug)
		}
		if a.Body != "<p>Nội dung liên kết</p>" || len(a.Tags) != 2 {
			t.Errorf("body not sanitised or tags not cleaned: %q %v", a.Body, a.Tags)
		}
		// A collaborator may not approve, nor act on another site.
		if _, err := c.Approve(f.collab, a.ID, a.Version, time.Time{}); !fault.Is(err, fault.Forbidden) {
			t.Errorf("collaborator approved: %v", err)
		}
		if _, err := c.Create(f.collab, f.city.ID, content.Input{Title: "x"}); !fault.Is(err, fault.Forbidden) {
			t.Errorf("collaborator wrote on another site: %v", err)
		}
		a, err = c.Submit(f.collab, a.ID, a.Version)
		must(t, err)
		// The editor-in-chief and the editor are told.
		for _, who := range []context.Context{f.chief, f.editor} {
			ns, unread, err := c.Notifications(who, 10)
			must(t, err)
			if unread != 1 || ns[0].Key != "notify.submitted" || ns[0].ArticleID != a.ID {
				t.Errorf("notification: %d %+v", unread, ns)
			}
		}
		// Submitted items are locked for their author.
		if _, err := c.Save(f.collab, a.ID, a.Version, content.Input{Title: "Sửa"}, ""); !fault.Is(err, fault.Forbidden) {
			t.Errorf("author edited a submitted item: %v", err)
		}
		// Rejection needs a reason and goes back to the author.
		if _, err := c.Reject(f.chief, a.ID, a.Version, "  "); !fault.Is(err, fault.Invalid) {
			t.Errorf("rejected without a reason: %v", err)
		}
		a, err = c.Reject(f.chief, a.ID, a.Version, "Cần bổ sung ảnh")
		must(t, err)
		if a.Status != content.Rejected || a.Reason != "Cần bổ sung ảnh" {
			t.Errorf("rejected: %s %q", a.Status, a.Reason)
		}
		ns, _, _ := c.Notifications(f.collab, 10)
		if len(ns) != 1 || ns[0].Key != "notify.rejected" || ns[0].Args[1] != "Cần bổ sung ảnh" {
			t.Errorf("author not told: %+v", ns)
		}
		a, err = c.Save(f.collab, a.ID, a.Version, content.Input{Title: a.Title, Body: "<p>Nội dung đã bổ sung</p>"}, "")
		must(t, err)
		a, err = c.Submit(f.collab, a.ID, a.Version)
		must(t, err)
		a, err = c.Approve(f.chief, a.ID, a.Version, time.Time{})
		must(t, err)
		if a.Status != content.Published || a.Published.IsZero() {
			t.Fatalf("not published: %s", a.Status)
		}
		if d, ok := f.idx.docs["article:"+itoa(a.ID)+":vi"]; !ok || d.Body != "Nội dung đã bổ sung" || d.Path != a.Path() {
			t.Errorf("not indexed: %+v", f.idx.docs)
		}
		r, err := c.Read(context.Background(), f.ward.ID, "vi", false, a.Slug)
		must(t, err)
		if r.Title != a.Title {
			t.Errorf("read %q", r.Title)
		}
		// Unpublishing needs a reason; the URL then says so.
		a, err = c.Unpublish(f.chief, a.ID, a.Version, "Thông tin đã cũ")
		must(t, err)
		r, err = c.Read(context.Background(), f.ward.ID, "vi", false, a.Slug)
		must(t, err)
		if r.Status != content.Unpublished || r.Reason != "Thông tin đã cũ" {
			t.Errorf("withdrawn item reads as %s %q", r.Status, r.Reason)
		}
		if len(f.idx.docs) != 0 {
			t.Errorf("still indexed after unpublishing: %v", f.idx.docs)
		}
		revs, err := c.Revisions(f.chief, a.ID)
		must(t, err)
		if len(revs) != 7 {
			t.Errorf("%d revisions", len(revs))
		}
		// Every step is in the audit log.
		entries, _, err := f.svc.Log.Entries(access.With(context.Background(), access.System("t", "cli")), auditlog.Filter{SiteID: f.ward.ID, Limit: 50})
		must(t, err)
		actions := map[string]int{}
		for _, e := range entries {
			actions[e.Action]++
		}
		for _, want := range []string{"article.create", "article.submit", "article.reject", "article.save", "article.approve", "article.unpublish"} {
			if actions[want] == 0 {
				t.Errorf("no %s in the audit log: %v", want, actions)
			}
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSlugs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := f.svc.Content
		title := "Thông báo lịch tiếp công dân"
		var slugs []string
		for range 3 {
			a, err := c.Create(f.editor, f.ward.ID, content.Input{Title: title})
			must(t, err)
			slugs = append(slugs, a.Slug)
		}
		if strings.Join(slugs, " ") != "thong-bao-lich-tiep-cong-dan thong-bao-lich-tiep-cong-dan-2 thong-bao-lich-tiep-cong-dan-3" {
			t.Errorf("duplicate titles: %v", slugs)
		}
		long := strings.Repeat("Đường Hoàng Hoa Thám kéo dài ", 10)
		a, err := c.Create(f.editor, f.ward.ID, content.Input{Title: long})
		must(t, err)
		if len(a.Slug) > content.MaxSlug || !strings.HasPrefix(a.Slug, "duong-hoang-hoa-tham") || strings.HasSuffix(a.Slug, "-") {
			t.Errorf("long title slug %q", a.Slug)
		}
		a, err = c.Create(f.editor, f.ward.ID, content.Input{Title: "“…” — !!!"})
		must(t, err)
		if a.Slug != "bai-viet" {
			t.Errorf("punctuation-only title slug %q", a.Slug)
		}
		if _, err := c.Create(f.editor, f.ward.ID, content.Input{Title: strings.Repeat("a", content.MaxTitle+1)}); !fault.Is(err, fault.Invalid) {
			t.Errorf("over-long title accepted: %v", err)
		}
	})
}

func TestConcurrentEdits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := f.svc.Content
		a, err := c.Create(f.editor, f.ward.ID, content.Input{Title: "Bài gốc", Body: "<p>Một</p>"})
		must(t, err)
		v := a.Version
		_, err = c.Save(f.editor, a.ID, v, content.Input{Title: "Bài gốc", Body: "<p>Một hai</p>"}, "")
		must(t, err)
		_, err = c.Save(f.chief, a.ID, v, content.Input{Title: "Bài của tổng biên tập", Body: "<p>Ba</p>"}, "")
		if !fault.Is(err, fault.Conflict) {
			t.Fatalf("second save with the old version: %v", err)
		}
		cur, err := c.Article(f.chief, a.ID)
		must(t, err)
		if cur.Body != "<p>Một hai</p>" {
			t.Errorf("the first save was lost: %q", cur.Body)
		}
		// The second editor sees what changed since the version they loaded.
		diff, _, _, err := c.Diff(f.chief, a.ID, v, cur.Version)
		must(t, err)
		changed := map[string]bool{}
		for _, d := range diff {
			changed[d.Field] = d.Changed
		}
		if !changed["body"] || changed["title"] {
			t.Errorf("diff: %+v", diff)
		}
		// Restore the first version: a new revision, nothing lost.
		r, err := c.Restore(f.chief, a.ID, cur.Version, v)
		must(t, err)
		if r.Body != "<p>Một</p>" || r.Version != cur.Version+1 {
			t.Errorf("restore: %q v%d", r.Body, r.Version)
		}
	})
}

func TestScheduledPublishingAndMissedSchedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := f.svc.Content
		a, err := c.Create(f.collab, f.ward.ID, content.Input{Title: "Hẹn giờ"})
		must(t, err)
		a, err = c.Submit(f.collab, a.ID, a.Version)
		must(t, err)
		at := f.clock.Add(2 * time.Hour)
		a, err = c.Approve(f.chief, a.ID, a.Version, at)
		must(t, err)
		if a.Status != content.Approved {
			t.Fatalf("scheduled item is %s", a.Status)
		}
		if n, err := f.svc.Jobs.RunDue(context.Background()); err != nil || n != 0 {
			t.Errorf("ran %d jobs before time: %v", n, err)
		}
		// A second item expires an hour after publication.
		b := f.publish(t, "Sẽ hết hạn")
		in := content.Input{Title: b.Title, Body: b.Body, ExpireAt: f.clock.Add(time.Hour)}
		b, err = c.Save(f.chief, b.ID, b.Version, in, "")
		must(t, err)
		// The server was down: it comes back three hours later.
		*f.clock = f.clock.Add(3 * time.Hour)
		n, err := f.svc.Jobs.RunDue(context.Background())
		if err != nil || n != 2 {
			t.Fatalf("ran %d jobs: %v", n, err)
		}
		a, err = c.Article(f.chief, a.ID)
		must(t, err)
		if a.Status != content.Published {
			t.Errorf("late job did not publish: %s", a.Status)
		}
		b, err = c.Article(f.chief, b.ID)
		must(t, err)
		if b.Status != content.Unpublished || b.Reason != "expired" {
			t.Errorf("expiry: %s %q", b.Status, b.Reason)
		}
		// The missed schedule is reported, not silent.
		probs, err := f.svc.Jobs.Problems(context.Background(), []int64{f.ward.ID})
		must(t, err)
		if len(probs) != 2 || probs[0].LateSeconds < 3600 {
			t.Fatalf("problems: %+v", probs)
		}
		ns, _, _ := c.Notifications(f.chief, 10)
		found := false
		for _, n := range ns {
			found = found || n.Key == "notify.schedule_missed"
		}
		if !found {
			t.Errorf("editor-in-chief not told of the missed schedule: %+v", ns)
		}
		must(t, f.svc.Jobs.Acknowledge(f.chief, probs[0].ID, access.ApproveContent))
		if probs, _ = f.svc.Jobs.Problems(context.Background(), []int64{f.ward.ID}); len(probs) != 1 {
			t.Errorf("acknowledged problem still listed: %d", len(probs))
		}
	})
}

func TestTranslations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := f.svc.Content
		o := f.publish(t, "Giới thiệu chung")
		tr, err := c.Translate(f.editor, o.ID, "en")
		must(t, err)
		if tr.Lang != "en" || tr.Slug != o.Slug || tr.OriginalID != o.ID {
			t.Fatalf("translation: %+v", tr)
		}
		if _, err := c.Translate(f.editor, o.ID, "en"); !fault.Is(err, fault.Conflict) {
			t.Errorf("second English translation: %v", err)
		}
		if _, err := c.Translate(f.editor, o.ID, "fr"); !fault.Is(err, fault.Invalid) {
			t.Errorf("translation into a language the site does not enable: %v", err)
		}
		tr, err = c.Save(f.editor, tr.ID, tr.Version, content.Input{Title: "General introduction", Body: "<p>About the ward</p>"}, "")
		must(t, err)
		tr, err = c.Approve(f.chief, tr.ID, tr.Version, time.Time{})
		must(t, err)
		r, err := c.Read(context.Background(), f.ward.ID, "en", false, o.Slug)
		must(t, err)
		if r.Title != "General introduction" || r.Langs["vi"] != o.Path() || r.Langs["en"] != o.Path() || r.Outdated {
			t.Errorf("English reading: %q %v outdated=%v", r.Title, r.Langs, r.Outdated)
		}
		// The original changes: the translation is flagged outdated.
		_, err = c.Save(f.chief, o.ID, o.Version, content.Input{Title: o.Title, Body: "<p>Nội dung mới</p>"}, "")
		must(t, err)
		r, err = c.Read(context.Background(), f.ward.ID, "en", false, o.Slug)
		must(t, err)
		if !r.Outdated {
			t.Errorf("translation not flagged outdated")
		}
		tr, err = c.Article(f.editor, tr.ID)
		must(t, err)
		_, err = c.MarkTranslated(f.editor, tr.ID, tr.Version)
		must(t, err)
		if r, _ = c.Read(context.Background(), f.ward.ID, "en", false, o.Slug); r.Outdated {
			t.Errorf("still outdated after the translator caught up")
		}
	})
}

func TestSyndication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := f.svc.Content
		var changes []content.Change
		c.OnChange(func(ch content.Change) { changes = append(changes, ch) })
		a := f.publish(t, "Phường Ba Đình ra quân làm sạch môi trường")
		cat, err := c.SaveCategory(f.cityChief, f.city.ID, 0, content.CategoryInput{Name: "Tin cơ sở"})
		must(t, err)
		// The ward proposes; only ancestors' sites may receive.
		if _, err := c.Propose(f.editor, a.ID, f.ward.ID, ""); !fault.Is(err, fault.Invalid) {
			t.Errorf("proposed to itself: %v", err)
		}
		x, err := c.Propose(f.editor, a.ID, f.city.ID, "Đề nghị đăng")
		must(t, err)
		if _, err := c.Decide(f.chief, x.ID, true, 0, ""); !fault.Is(err, fault.Forbidden) {
			t.Errorf("the ward decided on the city's behalf: %v", err)
		}
		ps, err := c.Proposals(f.cityChief, f.city.ID, content.SynProposed)
		must(t, err)
		if len(ps) != 1 || ps[0].Article.Title != a.Title {
			t.Fatalf("proposals: %+v", ps)
		}
		changes = nil
		x, err = c.Decide(f.cityChief, x.ID, true, cat.ID, "")
		must(t, err)
		if x.Status != content.SynAccepted || x.Slug != a.Slug {
			t.Errorf("decision: %+v", x)
		}
		if len(changes) != 1 || len(changes[0].Places) != 2 || changes[0].Places[1].SiteID != f.city.ID || changes[0].Places[1].CategoryID != cat.ID {
			t.Errorf("caches not told about both sites: %+v", changes)
		}
		list, total, err := c.List(context.Background(), content.ListQuery{SiteID: f.city.ID, CategoryIDs: []int64{cat.ID}})
		must(t, err)
		if total != 1 || list[0].ID != a.ID || list[0].FromSiteID != f.ward.ID {
			t.Errorf("city list: %d %+v", total, list)
		}
		r, err := c.Read(context.Background(), f.city.ID, "vi", false, x.Slug)
		must(t, err)
		if r.Origin == nil || r.Origin.FromSiteID != f.ward.ID {
			t.Errorf("no provenance: %+v", r.Origin)
		}
		// The city pushes a notice to every ward.
		n := f.publishOn(t, f.city.ID, f.cityChief, "Thông báo của Thành phố")
		pushed, err := c.Push(f.cityChief, n.ID, nil)
		must(t, err)
		if pushed != 1 {
			t.Errorf("pushed to %d sites", pushed)
		}
		list, _, err = c.List(context.Background(), content.ListQuery{SiteID: f.ward.ID})
		must(t, err)
		if len(list) != 2 || list[0].ID != n.ID || list[0].FromSiteID != f.city.ID {
			t.Errorf("ward list after the push: %+v", list)
		}
		// A declined proposal stays off the city's lists, with its reason
		// for the ward; it may be proposed again.
		b := f.publish(t, "Phường Ba Đình tổ chức giải bóng đá thiếu niên")
		y, err := c.Propose(f.editor, b.ID, f.city.ID, "")
		must(t, err)
		if _, err := c.Decide(f.cityChief, y.ID, false, 0, ""); err == nil {
			t.Error("declined without a reason")
		}
		y, err = c.Decide(f.cityChief, y.ID, false, 0, "Tin chỉ mang tính địa phương")
		must(t, err)
		if y.Status != content.SynDeclined || y.Reason != "Tin chỉ mang tính địa phương" {
			t.Errorf("declined: %+v", y)
		}
		if _, total, _ := c.List(context.Background(), content.ListQuery{SiteID: f.city.ID, CategoryIDs: []int64{cat.ID}}); total != 1 {
			t.Errorf("the city's category has %d items after a decline", total)
		}
		if _, err := c.Propose(f.editor, b.ID, f.city.ID, "Đã bổ sung"); err != nil {
			t.Errorf("proposing again after a decline: %v", err)
		}
		// A push to chosen sites reaches only those.
		wu2 := &site.Unit{Code: "00008", Name: "Phường Ngọc Hà", Kind: site.Ward, ParentID: f.city.UnitID}
		must(t, f.svc.Sites.CreateUnit(sysCtx(), wu2))
		ward2 := &site.Site{Code: "phuong-ngoc-ha", UnitID: wu2.ID, Kind: site.Portal, Name: "Phường Ngọc Hà", Langs: []string{"vi"}}
		must(t, f.svc.Sites.CreateSite(sysCtx(), ward2))
		n2 := f.publishOn(t, f.city.ID, f.cityChief, "Thông báo riêng cho Phường Ngọc Hà")
		if pushed, err := c.Push(f.cityChief, n2.ID, []int64{ward2.ID}); err != nil || pushed != 1 {
			t.Fatalf("pushed to %d sites: %v", pushed, err)
		}
		if list, _, _ := c.List(context.Background(), content.ListQuery{SiteID: ward2.ID}); len(list) != 1 || list[0].ID != n2.ID {
			t.Errorf("the chosen ward's list: %+v", list)
		}
		if list, _, _ := c.List(context.Background(), content.ListQuery{SiteID: f.ward.ID}); len(list) != 3 || list[0].ID == n2.ID {
			t.Errorf("a ward not chosen got the notice: %d items", len(list))
		}
	})
}

func sysCtx() context.Context { return access.With(context.Background(), access.System("test", "cli")) }

func (f *fixture) publishOn(t *testing.T, siteID int64, who context.Context, title string) *content.Article {
	t.Helper()
	a, err := f.svc.Content.Create(who, siteID, content.Input{Title: title, Body: "<p>x</p>"})
	must(t, err)
	a, err = f.svc.Content.Approve(who, a.ID, a.Version, time.Time{})
	must(t, err)
	return a
}

func TestInventory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		c := f.svc.Content
		cat, err := c.SaveCategory(f.chief, f.ward.ID, 0, content.CategoryInput{Name: "Thông báo"})
		must(t, err)
		a, err := c.Create(f.editor, f.ward.ID, content.Input{Title: "Thông báo số 1", CategoryID: cat.ID})
		must(t, err)
		_, err = c.Approve(f.chief, a.ID, a.Version, time.Time{})
		must(t, err)
		p, err := c.Create(f.editor, f.ward.ID, content.Input{Kind: content.KindPage, Title: "Giới thiệu chung", Body: "<p>x</p>"})
		must(t, err)
		p, err = c.Approve(f.chief, p.ID, p.Version, time.Time{})
		must(t, err)
		en, err := c.Translate(f.editor, p.ID, "en")
		must(t, err)
		_, err = c.Approve(f.chief, en.ID, en.Version, time.Time{})
		must(t, err)
		_, err = c.Save(f.chief, p.ID, p.Version, content.Input{Kind: content.KindPage, Title: "Giới thiệu chung", Body: "<p>y</p>"}, "")
		must(t, err)
		inv, err := c.Inventory(context.Background(), f.ward.ID)
		must(t, err)
		if len(inv.Categories) != 1 || inv.Categories[0].Published != 1 || inv.Categories[0].LastPublished.IsZero() {
			t.Errorf("categories: %+v", inv.Categories)
		}
		if inv.Languages["vi"] != 2 || inv.Languages["en"] != 1 || inv.LastPublished.IsZero() {
			t.Errorf("languages: %v %v", inv.Languages, inv.LastPublished)
		}
		var outdated, pages int
		for _, ps := range inv.Pages {
			pages++
			if ps.Outdated {
				outdated++
			}
		}
		if pages != 2 || outdated != 1 {
			t.Errorf("pages: %+v", inv.Pages)
		}
	})
}

package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

func TestBuild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := server.NewServices(db)
		sites, people := svc.Sites, svc.Staff
		res, err := demo.Build(ctx, svc)
		if err != nil {
			t.Fatal(err)
		}
		d, err := sites.Directory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		count := map[site.UnitKind]int{}
		for _, u := range d.Units {
			if u.Status == site.Active {
				count[u.Kind]++
			}
		}
		if count[site.Ward] != 51 || count[site.Commune] != 75 || count[site.Agency] != 17 || count[site.City] != 1 || count[site.District] != 0 {
			t.Errorf("active units by kind: %v", count)
		}
		if res.Datasets < 100 {
			t.Errorf("only %d open datasets", res.Datasets)
		}
		if res.Merged != 30 {
			t.Errorf("merged %d districts", res.Merged)
		}
		for _, code := range []string{"hanoi", "cai-cach-hanh-chinh", "chuyen-doi-so", "de-an-06", "data", "phuong-ba-dinh", "xa-huong-son", "so-tu-phap"} {
			st, ok := d.ByCode(code)
			if !ok || st.Status != site.Active {
				t.Errorf("site %s missing", code)
				continue
			}
			want := code + "." + demo.Domain
			if code == demo.CityCode {
				want = demo.Domain
			}
			if st.PrimaryHost() != want {
				t.Errorf("%s primary host %q, want %q", code, st.PrimaryHost(), want)
			}
		}
		if d.City == nil || d.City.Code != demo.CityCode {
			t.Errorf("city portal: %+v", d.City)
		}
		if st, _ := d.ByHost("localhost"); st != d.City {
			t.Errorf("localhost does not serve the city portal")
		}
		// Every commune-level unit has exactly one active portal.
		for _, u := range d.Units {
			if (u.Kind == site.Ward || u.Kind == site.Commune) && len(d.SitesOf(u.ID)) != 1 {
				t.Errorf("%s has %d sites", u.Name, len(d.SitesOf(u.ID)))
			}
		}
		// Publishing: at least 2,000 published articles, some in English,
		// some waiting in review queues, some scheduled.
		status, langs := map[content.Status]int{}, map[string]int{}
		for _, st := range d.Sites {
			c, err := db.StatusCounts(ctx, st.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			for k, n := range c {
				status[k] += n
			}
			l, _, err := db.LanguageStats(ctx, st.ID)
			if err != nil {
				t.Fatal(err)
			}
			for k, n := range l {
				langs[k] += n
			}
		}
		if status[content.Published] < 2000 || status[content.Submitted] == 0 || status[content.Approved] == 0 || langs["en"] == 0 {
			t.Errorf("articles by status %v, published by language %v", status, langs)
		}
		logins, err := demo.Logins(ctx, people)
		if err != nil || len(logins) != len(res.Logins) || len(logins) < 8 {
			t.Fatalf("logins: %d, %v", len(logins), err)
		}
		roles := map[string]bool{}
		for _, l := range logins {
			roles[string(l.Role)] = true
		}
		for _, r := range []string{"system_admin", "supervisor", "site_admin", "editor_in_chief", "editor", "collaborator", "feedback_officer", "data_publisher"} {
			if !roles[r] {
				t.Errorf("no demo account with role %s", r)
			}
		}
		checkFeedbackDemo(t, db, d)
		// Building twice is refused (codes are taken), and leaves nothing half-written.
		if _, err := demo.Build(ctx, svc); err == nil {
			t.Errorf("second build succeeded")
		}
		units, _ := sites.Units(ctx)
		if len(units) != res.Units {
			t.Errorf("after a failed second build: %d units, want %d", len(units), res.Units)
		}
	})
}

// BenchmarkBuild measures creating the demo (about 180 units and sites,
// 30 merges, 9 accounts) on a fresh SQLite database, migrations included:
// the first start of cong demo.
func BenchmarkBuild(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		b.StartTimer()
		db, err := store.Open(context.Background(), store.Config{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(context.Background()); err != nil {
			b.Fatal(err)
		}
		if _, err := demo.Build(context.Background(), server.NewServices(db)); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkRestart measures opening an existing demo and building the
// server (migration check, directory load, templates): a restart.
func BenchmarkRestart(b *testing.B) {
	dir := b.TempDir()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	db.Migrate(ctx)
	if _, err := demo.Build(ctx, server.NewServices(db)); err != nil {
		b.Fatal(err)
	}
	db.Close()
	for b.Loop() {
		db, err := store.Open(ctx, store.Config{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := server.New(ctx, db, webConfig, nil); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// checkFeedbackDemo: the demo holds feedback and questions in every state,
// some overdue, some escalated to the city, some overdue still at the
// editorial office, and published answers of both kinds.
func checkFeedbackDemo(t *testing.T, db *store.DB, d *site.Directory) {
	t.Helper()
	ctx := context.Background()
	count := func(f feedback.Filter) int {
		t.Helper()
		f.Limit = 1
		_, n, err := db.ListFeedback(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(feedback.Filter{}); n != demo.FeedbackItems {
		t.Errorf("%d feedback items, want %d", n, demo.FeedbackItems)
	}
	for _, st := range feedback.Statuses {
		if n := count(feedback.Filter{Statuses: []feedback.Status{st}}); n < 10 {
			t.Errorf("%d items %s, want some", n, st)
		}
	}
	for _, k := range []feedback.Kind{feedback.Feedback, feedback.Question} {
		if n := count(feedback.Filter{Kind: k, Public: true}); n < 50 {
			t.Errorf("%d published %s items", n, k)
		}
	}
	now := time.Now()
	overdue := count(feedback.Filter{Overdue: true, Now: now})
	escalated := count(feedback.Filter{EscalatedTo: d.City.ID})
	atDesk := count(feedback.Filter{SiteID: d.City.ID, Overdue: true, Now: now})
	if overdue < 15 || escalated < 15 || overdue >= demo.FeedbackItems/4 {
		t.Errorf("%d overdue, %d escalated to the city: want some, not most", overdue, escalated)
	}
	t.Logf("%d overdue (%d at the editorial office), %d escalated", overdue, atDesk, escalated)
}

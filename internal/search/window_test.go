package search_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

// TestWindowAcrossMonths: the window is the newest matches whatever the
// engine's way of finding them (PostgreSQL searches month by month):
// matches spread over five years, dense and sparse, with and without a
// site, and a month with none.
func TestWindowAcrossMonths(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := search.NewService(db)
		end := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		var docs []search.Doc
		for i := range 600 {
			title := "thông báo lịch tiếp dân"
			if i%7 == 0 {
				title = "tuyển sinh lớp 10 năm học mới"
			}
			docs = append(docs, search.Doc{SiteID: int64(1 + i%3), Kind: search.KindArticle, Ref: strconv.Itoa(i), Title: title,
				Body: "nội dung " + strconv.Itoa(i), Published: end.Add(-time.Duration(i) * 73 * time.Hour)})
		}
		if err := svc.PutMany(ctx, docs); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			text string
			site int64
			want func(i int) bool
		}{
			{"thong bao", 0, func(i int) bool { return i%7 != 0 }},
			{"tuyển sinh", 0, func(i int) bool { return i%7 == 0 }},
			{"tuyen sinh", 2, func(i int) bool { return i%7 == 0 && i%3 == 1 }},
			{"noi dung 599", 0, func(i int) bool { return i == 599 }},
		} {
			for _, limit := range []int{5, 40, 1000} {
				m := &search.Match{}
				for _, cl := range search.Parse(c.text).Clauses {
					m.Clauses = append(m.Clauses, cl.Alts)
				}
				if c.site != 0 {
					m.Filters, m.SiteID = []string{search.SiteToken(c.site)}, c.site
				}
				rows, err := db.SearchWindow(ctx, m, limit)
				if err != nil {
					t.Fatal(err)
				}
				stored, err := db.SearchDocs(ctx, ids(rows))
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for i := range docs {
					if c.want(i) && len(want) < limit {
						want = append(want, strconv.Itoa(i))
					}
				}
				var got []string
				for _, d := range stored {
					got = append(got, d.Ref)
				}
				if len(got) != len(want) {
					t.Fatalf("%q site %d window %d: %d hits, want %d", c.text, c.site, limit, len(got), len(want))
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%q site %d window %d: hit %d is %s, want %s", c.text, c.site, limit, i, got[i], want[i])
					}
				}
			}
		}
	})
}

func ids(rows []search.Row) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

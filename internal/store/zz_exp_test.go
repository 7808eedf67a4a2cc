package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/search/corpus"
)

func TestZZPG(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Config{URL: "postgres://postgres@127.0.0.1:5432/test?sslmode=disable&search_path=bench_search", Media: t.TempDir()})
	if err != nil {
		t.Skip(err)
	}
	defer db.Close()
	sites, _ := corpus.Sites("../demo/data")
	for _, q := range corpus.Queries(sites) {
		pq := search.Parse(q.Text)
		m := &search.Match{}
		for _, c := range pq.Clauses {
			m.Clauses = append(m.Clauses, c.Alts)
		}
		for _, site := range []int64{0, sites[40].ID} {
			if site != 0 {
				m.Filters = []string{search.SiteToken(site)}
			}
			t0 := time.Now()
			a, err := db.pgWindow(ctx, m, 1000)
			if err != nil {
				t.Fatal(err)
			}
			ta := time.Since(t0)
			t0 = time.Now()
			b, err := db.searchRows(ctx, `SELECT id, site_id, kind, category, year, ftitle, fexact FROM search_docs WHERE tsv @@ ?::tsquery ORDER BY id DESC LIMIT ?`, tsMatch(m), 1000)
			if err != nil {
				t.Fatal(err)
			}
			tb := time.Since(t0)
			fmt.Printf("%-24q site %3d new %6.1f ms (%d) old %6.1f ms (%d) same=%v\n", q.Text, site, ms(ta), len(a), ms(tb), len(b), slices.Equal(a, b))
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

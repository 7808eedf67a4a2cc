package search_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/search/corpus"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

// BenchmarkSearch builds a corpus of CONG_BENCH_DOCS documents (default
// 20,000) over the real site tree, then runs the query set and reports
// p50/p95 per class of query, the indexing rate and the time one publish
// takes. CONG_BENCH_ENGINE=postgres runs it on PostgreSQL (schema
// bench_search); CONG_BENCH_DIR keeps the SQLite corpus between runs (it is
// rebuilt only when it holds fewer documents). Run with -benchtime=1x;
// scripts/bench-search.sh runs the million.
func BenchmarkSearch(b *testing.B) {
	n := envInt("CONG_BENCH_DOCS", 20000)
	rounds := envInt("CONG_BENCH_ROUNDS", 5)
	ctx := context.Background()
	db := benchDB(b)
	svc := search.NewService(db)
	sites, err := corpus.Sites("../demo/data")
	if err != nil {
		b.Fatal(err)
	}
	have, _, _, err := db.SearchSize(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if have < n {
		build(b, db, svc, sites, n)
	} else {
		fmt.Printf("corpus: %d documents already indexed (%s)\n", have, db.Engine())
	}
	b.ResetTimer()
	queries := corpus.Queries(sites)
	lat := map[string][]time.Duration{}
	var classes []string
	run := func(class string, p search.Params) {
		t0 := time.Now()
		res, err := svc.Search(ctx, p)
		if err != nil {
			b.Fatalf("%q: %v", p.Text, err)
		}
		if len(res.Hits) > 10 {
			b.Fatal("more than a page")
		}
		if !slices.Contains(classes, class) {
			classes = append(classes, class)
		}
		lat[class] = append(lat[class], time.Since(t0))
		lat["all"] = append(lat["all"], time.Since(t0))
	}
	for r := 0; r <= rounds; r++ {
		for _, q := range queries {
			if r == 0 {
				res, _ := svc.Search(ctx, search.Params{Text: q.Text})
				fmt.Printf("  %-12s %-32q %8d%s hits\n", q.Class, q.Text, res.Total, map[bool]string{true: "~", false: " "}[res.Approx])
				continue // warm-up
			}
			run(q.Class, search.Params{Text: q.Text})
			if q.Class == "very common" || q.Class == "common" {
				run(q.Class+", by date", search.Params{Text: q.Text, ByDate: true})
				run(q.Class+", one site", search.Params{Text: q.Text, SiteID: sites[40].ID})
				run(q.Class+", page 5", search.Params{Text: q.Text, Page: 5})
			}
		}
	}
	fmt.Printf("%-28s %6s %8s %8s %8s\n", "query class ("+db.Engine()+")", "n", "p50 ms", "p95 ms", "max ms")
	for _, c := range append(classes, "all") {
		p50, p95, mx := pct(lat[c], 50), pct(lat[c], 95), pct(lat[c], 100)
		fmt.Printf("%-28s %6d %8.1f %8.1f %8.1f\n", c, len(lat[c]), ms(p50), ms(p95), ms(mx))
	}
	b.ReportMetric(ms(pct(lat["all"], 95)), "p95-ms")
	b.ReportMetric(ms(pct(lat["very common"], 95)), "p95-common-ms")
	// One publish: a document put into the index in its own transaction.
	var pub []time.Duration
	g := corpus.New(sites, 7)
	for i := range 100 {
		d := g.Doc(n+i, n+100)
		d.Ref = "publish-" + strconv.Itoa(i)
		d.Published = time.Now()
		t0 := time.Now()
		if err := db.InTx(ctx, func(ctx context.Context) error { return svc.Put(ctx, d) }); err != nil {
			b.Fatal(err)
		}
		pub = append(pub, time.Since(t0))
	}
	fmt.Printf("publish: p50 %.1f ms, p95 %.1f ms\n", ms(pct(pub, 50)), ms(pct(pub, 95)))
	b.ReportMetric(ms(pct(pub, 95)), "publish-p95-ms")
}

func build(b *testing.B, db *store.DB, svc *search.Service, sites []corpus.Site, n int) {
	ctx := context.Background()
	if err := db.SearchDeleteSite(ctx, 0); err != nil {
		b.Fatal(err)
	}
	g := corpus.New(sites, 1)
	tune(b, db)
	cpu0 := cpuTime()
	t0 := time.Now()
	batch := envInt("CONG_BENCH_BATCH", 5000)
	batches := make(chan []search.Doc, 1)
	go func() {
		defer close(batches)
		for i := 0; i < n; i += batch {
			docs := make([]search.Doc, 0, batch)
			for j := i; j < min(i+batch, n); j++ {
				docs = append(docs, g.Doc(j, n))
			}
			batches <- docs
			if done := i + batch; done%100000 < batch {
				el := time.Since(t0)
				fmt.Printf("  indexed about %d/%d (%.0f docs/s)\n", done, n, float64(done)/el.Seconds())
			}
		}
	}()
	if err := svc.PutAll(ctx, batches); err != nil {
		b.Fatal(err)
	}
	el := time.Since(t0)
	cpu := cpuTime() - cpu0
	fmt.Printf("indexing: %d documents in %.1f s, %.0f docs/s, CPU %.1f s (%s)\n", n, el.Seconds(), float64(n)/el.Seconds(), cpu.Seconds(), db.Engine())
	b.ReportMetric(float64(n)/el.Seconds(), "index-docs/s")
	t1 := time.Now()
	if err := db.SearchOptimize(ctx); err != nil {
		b.Fatal(err)
	}
	el2 := time.Since(t0)
	fmt.Printf("optimize: %.1f s; with it %.0f docs/s, CPU %.1f s\n", time.Since(t1).Seconds(), float64(n)/el2.Seconds(), (cpuTime() - cpu0).Seconds())
}

func benchDB(b *testing.B) *store.DB {
	ctx := context.Background()
	var cfg store.Config
	if os.Getenv("CONG_BENCH_ENGINE") == "postgres" {
		storetest.RequirePostgres(b)
		admin, err := sql.Open("pgx", storetest.PostgresURL())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := admin.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS bench_search`); err != nil {
			b.Fatal(err)
		}
		admin.Close()
		cfg.URL = storetest.PostgresURL() + "&search_path=bench_search"
		cfg.Media = b.TempDir()
	} else {
		cfg.Dir = os.Getenv("CONG_BENCH_DIR")
		if cfg.Dir == "" {
			cfg.Dir = b.TempDir()
		}
	}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	return db
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[min(max(i-1, 0), len(s)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// cpuTime is the process's user and system time: the machine is shared,
// and wall time alone also measures the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// tune sets FTS5 options on both tables before a SQLite build, from
// CONG_BENCH_FTS ("hashsize=16777216,automerge=8"), to measure them.
func tune(b *testing.B, db *store.DB) {
	cfg := os.Getenv("CONG_BENCH_FTS")
	if cfg == "" || db.Engine() != "sqlite" {
		return
	}
	c, err := sql.Open("sqlite", db.Dir()+"/cong.db")
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for _, kv := range strings.Split(cfg, ",") {
		k, v, _ := strings.Cut(kv, "=")
		for _, t := range []string{"search_fts", "search_titles"} {
			if _, err := c.Exec(`INSERT INTO `+t+`(`+t+`, rank) VALUES (?, ?)`, k, v); err != nil {
				b.Fatal(err)
			}
		}
	}
}

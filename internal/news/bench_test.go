package news_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
	"github.com/congvn/cong/internal/web"
)

// benchApp builds the demo on SQLite and returns its handler.
func benchApp(b *testing.B) *server.App {
	b.Helper()
	db := storetest.Open(b, store.SQLite)
	app, err := server.New(context.Background(), db, web.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := demo.Build(context.Background(), app.Services); err != nil {
		b.Fatal(err)
	}
	return app
}

func serve(h http.Handler, host, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "http://"+host+path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// BenchmarkArticleRender renders an article page with an empty cache each
// time (a cache miss: the queries, the related list, the template), and
// reports the median.
func BenchmarkArticleRender(b *testing.B) {
	app := benchApp(b)
	city, _ := app.Sites.Site(sys(), "hanoi")
	items, _, _ := app.Content.List(context.Background(), content.ListQuery{SiteID: city.ID, PerPage: 50})
	var times []time.Duration
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it := items[i%len(items)]
		app.Web.PageCache().Purge()
		start := time.Now()
		rec := serve(app.Handler, "hanoi.localhost", it.Path)
		times = append(times, time.Since(start))
		if rec.Code != http.StatusOK || rec.Header().Get("X-Cache") == "hit" {
			b.Fatalf("%s: %d %s", it.Path, rec.Code, rec.Header().Get("X-Cache"))
		}
	}
	cpu := cpuTime() - cpu0
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "ms-p99")
	// CPU time per render: what the median would be on an idle machine,
	// since rendering runs on one goroutine.
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkArticleCached serves a cached article page in process (no
// network): the cost of the cache hit path itself.
func BenchmarkArticleCached(b *testing.B) {
	app := benchApp(b)
	city, _ := app.Sites.Site(sys(), "hanoi")
	items, _, _ := app.Content.List(context.Background(), content.ListQuery{SiteID: city.ID, PerPage: 1})
	serve(app.Handler, "hanoi.localhost", items[0].Path)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if rec := serve(app.Handler, "hanoi.localhost", items[0].Path); rec.Header().Get("X-Cache") != "hit" {
			b.Fatal("miss")
		}
	}
}

// BenchmarkPublishVisible measures the time from a publication to its
// appearance on the article page, the site's news list and its Atom feed
// (all cached beforehand), and reports the slowest of the three.
func BenchmarkPublishVisible(b *testing.B) {
	app := benchApp(b)
	ctx := sys()
	ward, _ := app.Sites.Site(ctx, "phuong-ba-dinh")
	var worst time.Duration
	var times []time.Duration
	for i := 0; i < b.N; i++ {
		for _, p := range []string{"/tin-tuc", "/feed.atom"} {
			serve(app.Handler, "phuong-ba-dinh.hanoi.localhost", p)
		}
		a, err := app.Content.Create(ctx, ward.ID, content.Input{Title: "Tin mới số " + itoa(int64(i)), Body: "<p>x</p>"})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := app.Content.Approve(ctx, a.ID, a.Version, time.Time{}); err != nil {
			b.Fatal(err)
		}
		for _, p := range []string{a.Path(), "/tin-tuc", "/feed.atom"} {
			for {
				rec := serve(app.Handler, "phuong-ba-dinh.hanoi.localhost", p)
				if strings.Contains(rec.Body.String(), a.Title) {
					break
				}
				if time.Since(start) > 5*time.Second {
					b.Fatalf("%s never showed the publication", p)
				}
			}
		}
		d := time.Since(start)
		times = append(times, d)
		worst = max(worst, d)
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(worst.Microseconds())/1000, "ms-max")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// discard is a ResponseWriter that keeps nothing, to time the handler alone.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkArticleCachedHandler times the handler of a cache hit alone:
// the front (site, language, security headers) and the cache lookup.
func BenchmarkArticleCachedHandler(b *testing.B) {
	app := benchApp(b)
	city, _ := app.Sites.Site(sys(), "hanoi")
	items, _, _ := app.Content.List(context.Background(), content.ListQuery{SiteID: city.ID, PerPage: 1})
	serve(app.Handler, "hanoi.localhost", items[0].Path)
	req := httptest.NewRequest("GET", "http://hanoi.localhost"+items[0].Path, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		app.Handler.ServeHTTP(&discard{h: http.Header{}}, req)
	}
}

package server_test

import (
	"net/http"
	"testing"

	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

// BenchmarkPublicList serves pages of the public list of answers (the
// demo's 2,000 items) over HTTP: after the first request of each page, the
// list comes from the cache; the time includes rendering and the loopback
// round trip.
//
//	go test -run XXX -bench PublicList -benchtime 2000x ./internal/server/
func BenchmarkPublicList(b *testing.B) {
	env := servertest.Start(b, store.SQLite, web.Config{})
	c := env.Client()
	pages := []string{"/phan-anh", "/phan-anh?trang=2", "/hoi-dap?linh-vuc=thu-tuc", "/hoi-dap?linh-vuc=thu-tuc&trang=2", "/hoi-dap"}
	for _, p := range pages {
		if resp, _ := servertest.Get(b, c, env.URL("", p)); resp.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d", p, resp.StatusCode)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, _ := servertest.Get(b, c, env.URL("", pages[i%len(pages)]))
		if resp.StatusCode != http.StatusOK {
			b.Fatal(resp.StatusCode)
		}
	}
}

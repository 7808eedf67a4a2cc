package web

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/congvn/cong/internal/site"
)

func cachedReq(path string) (*Req, *http.Request) {
	r := httptest.NewRequest("GET", "http://x"+path, nil)
	q := &Req{Site: &site.Site{ID: 1}, Lang: "vi", Path: path, Now: time.Now(), Nonce: "n"}
	return q, r
}

func render(c *PageCache, path string, body string, tags ...string) {
	q, r := cachedReq(path)
	c.serve(httptest.NewRecorder(), r, q) // a miss records the epoch
	q.Cache("", tags...)
	h := http.Header{}
	h.Set("Content-Type", "text/html; charset=utf-8")
	c.put(q, r, h, []byte(body))
}

func hit(c *PageCache, path string) (bool, string) {
	q, r := cachedReq(path)
	rec := httptest.NewRecorder()
	ok := c.serve(rec, r, q)
	return ok, rec.Body.String()
}

func TestPageCacheTagsAndEpoch(t *testing.T) {
	c := NewPageCache(1 << 20)
	render(c, "/a", "A", "item:1", "list:1")
	render(c, "/b", "B", "item:2", "list:1")
	render(c, "/c", "C", "item:3")
	if ok, body := hit(c, "/a"); !ok || body != "A" {
		t.Fatalf("hit /a: %v %q", ok, body)
	}
	c.Invalidate("list:1")
	if ok, _ := hit(c, "/a"); ok {
		t.Error("/a survived its tag's invalidation")
	}
	if ok, _ := hit(c, "/c"); !ok {
		t.Error("/c was dropped without cause")
	}
	// A page whose rendering started before an invalidation is not kept.
	q, r := cachedReq("/d")
	c.serve(httptest.NewRecorder(), r, q)
	c.Invalidate("item:9")
	q.Cache("", "item:4")
	c.put(q, r, http.Header{}, []byte("stale"))
	if ok, _ := hit(c, "/d"); ok {
		t.Error("a page rendered across an invalidation was stored")
	}
	// Query strings other than the canonical one are not stored.
	q, r = cachedReq("/e")
	r.URL.RawQuery = "utm=1"
	c.serve(httptest.NewRecorder(), r, q)
	q.Cache("", "item:5")
	c.put(q, r, http.Header{}, []byte("E"))
	if _, _, n, _ := c.Stats(); n != 1 {
		t.Errorf("%d entries, want only /c", n)
	}
	// The size limit holds.
	small := NewPageCache(4000)
	for i := range 50 {
		render(small, "/p"+strconv.Itoa(i), string(make([]byte, 500)), "x")
	}
	if _, _, _, size := small.Stats(); size > 4000 {
		t.Errorf("cache holds %d bytes over its limit", size)
	}
}

// Run with -race: hits, renders and invalidations at once.
func TestPageCacheConcurrent(t *testing.T) {
	c := NewPageCache(1 << 20)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				p := "/p" + strconv.Itoa(i%20)
				switch (g + i) % 5 {
				case 0:
					c.Invalidate("item:" + strconv.Itoa(i%20))
				case 1:
					render(c, p, "body "+p, "item:"+strconv.Itoa(i%20))
				default:
					q, r := cachedReq(p)
					r.Header.Set("Accept-Encoding", "gzip")
					c.serve(httptest.NewRecorder(), r, q)
				}
			}
		}()
	}
	wg.Wait()
}

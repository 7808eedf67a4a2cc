package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

// TestSearchHTTP: the page and the API over the demo, and hostile input
// that must give a result or a clear message, never an error page.
func TestSearchHTTP(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	api := func(q url.Values) (int, map[string]any) {
		t.Helper()
		resp, body := servertest.Get(t, c, env.URL("phuong-ba-dinh", "/api/v1/search?"+q.Encode()))
		var out map[string]any
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("%v: not JSON: %s", q, body)
		}
		return resp.StatusCode, out
	}
	// Without site=, every site is searched whichever host is asked.
	status, out := api(url.Values{"q": {"dong anh"}})
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	first := out["results"].([]any)[0].(map[string]any)
	if first["title"] != "Xã Đông Anh" || first["type"] != "site" {
		t.Errorf("first result %v", first)
	}
	status, out = api(url.Values{"q": {"cap"}, "site": {"hanoi"}, "type": {"procedure"}, "sort": {"date"}})
	if status != 200 || out["total"].(float64) == 0 {
		t.Errorf("site and type: %d %v", status, out["total"])
	}
	for _, r := range out["results"].([]any) {
		if r := r.(map[string]any); r["site"] != "hanoi" || r["type"] != "procedure" {
			t.Errorf("filtered result %v", r)
		}
	}
	for _, bad := range []url.Values{{"q": {""}}, {"q": {"?!.. -- **"}}, {"q": {"ha noi"}, "site": {"khong-co"}}, {"q": {"ha noi"}, "type": {"x"}}} {
		if status, out := api(bad); status != 400 || out["error"] == nil {
			t.Errorf("%v: %d %v", bad, status, out)
		}
	}
	for _, odd := range []string{`"ha noi`, `ha AND noi OR NOT NEAR(x) * -y ^z:`, "🙂🙂 hà nội 河内", strings.Repeat("ủy ban nhân dân ", 50), "'; DROP TABLE search_docs; --"} {
		if status, out := api(url.Values{"q": {odd}, "page": {"abc"}, "year": {"-1"}}); status != 200 {
			t.Errorf("%q: %d %v", odd, status, out)
		}
		resp, body := servertest.Get(t, c, env.URL("", "/tim-kiem?"+url.Values{"q": {odd}, "page": {"999999"}}.Encode()))
		if resp.StatusCode != 200 || !strings.Contains(body, `role="search"`) {
			t.Errorf("page %q: %d", odd, resp.StatusCode)
		}
	}
	resp, body := servertest.Get(t, c, env.URL("", "/tim-kiem?q=ha+noi&sort=date"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<mark>") || !strings.Contains(body, `class="tim-kiem-loc"`) {
		t.Errorf("page: %d, marks and facets missing", resp.StatusCode)
	}
	resp, body = servertest.Get(t, c, env.URL("", "/tim-kiem?q=dong+anhh"))
	if !strings.Contains(body, "Có phải bạn muốn tìm") {
		t.Errorf("no did-you-mean for a near miss")
	}
	resp, body = servertest.Get(t, c, env.URL("", "/api/v1/search/suggest?q=xa+dong+an"))
	if resp.StatusCode != 200 || !strings.Contains(body, "Đông Anh") {
		t.Errorf("suggest: %d %s", resp.StatusCode, body)
	}
}

// TestIndexSitesOnlyOnChange: an unchanged site directory is not indexed
// again (a restart costs no indexing); a changed one is.
func TestIndexSitesOnlyOnChange(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	ctx := access.With(context.Background(), access.System("test", "cli"))
	svc := env.App.Services
	fp, err := env.DB.SearchSource(ctx, "sites")
	if err != nil || fp == "" {
		t.Fatalf("no fingerprint after the demo: %q %v", fp, err)
	}
	// Something the directory does not hold is not put back: nothing ran.
	if err := svc.Search.Delete(ctx, search.KindSite, "phuong-ba-dinh"); err != nil {
		t.Fatal(err)
	}
	if err := svc.IndexSites(ctx); err != nil {
		t.Fatal(err)
	}
	found := func(text string) bool {
		res, err := svc.Search.Search(ctx, search.Params{Text: text, Kind: search.KindSite})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total > 0
	}
	if found("Phường Ba Đình") {
		t.Error("the sites were indexed again though the directory did not change")
	}
	st, err := svc.Sites.Site(ctx, "phuong-ba-dinh")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Sites.UpdateSettings(ctx, st.Code, st.Version, site.Settings{Name: "Phường Ba Đình Mới", NameEn: st.NameEn, Langs: st.Langs, Contact: st.Contact, EMCID: st.EMCID}); err != nil {
		t.Fatal(err)
	}
	if err := svc.IndexSites(ctx); err != nil {
		t.Fatal(err)
	}
	if !found("Phường Ba Đình Mới") {
		t.Error("a renamed site is not indexed")
	}
	if fp2, _ := env.DB.SearchSource(ctx, "sites"); fp2 == fp {
		t.Error("fingerprint unchanged")
	}
}

// TestReindex: reindexing every site, then one, gives back what the
// publishing built (items collected per site and written together).
func TestReindex(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	ctx := access.With(context.Background(), access.System("test", "cli"))
	before, _, _, err := env.DB.SearchSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	if err := env.App.Services.Reindex(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	after, _, _, err := env.DB.SearchSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("reindexed %d documents in %v (the demo indexed %d)", after, time.Since(t0), before)
	if after != before {
		t.Errorf("%d documents after reindexing, %d before", after, before)
	}
	if err := env.App.Services.Reindex(ctx, "phuong-ba-dinh", nil); err != nil {
		t.Fatal(err)
	}
	if again, _, _, _ := env.DB.SearchSize(ctx); again != after {
		t.Errorf("%d documents after reindexing one site, %d before", again, after)
	}
	res, err := env.App.Services.Search.Search(ctx, search.Params{Text: "dong anh"})
	if err != nil || res.Total == 0 || res.Hits[0].Title != "Xã Đông Anh" {
		t.Errorf("after reindexing: %v %+v", err, res)
	}
}

package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

// The organisations' and themes' pages of the data portal, and
// datastore_search over HTTP, on both engines.
func TestDataPortalOwnersAndDatastore(t *testing.T) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			env := servertest.Start(t, e, web.Config{})
			c := env.Client()
			testOwnerPages(t, env, c)
			testDatastoreHTTP(t, env, c)
		})
	}
}

func testOwnerPages(t *testing.T, env *servertest.Env, c *http.Client) {
	resp, list := servertest.Get(t, c, env.URL("data", "/to-chuc"))
	if resp.StatusCode != 200 || !strings.Contains(list, "Sở Tài nguyên và Môi trường") && !strings.Contains(list, "Sở Y tế") {
		t.Fatalf("/to-chuc: %d %.300s", resp.StatusCode, list)
	}
	links := regexp.MustCompile(`href="(/to-chuc/[a-z0-9-]+)"`).FindAllStringSubmatch(list, -1)
	if len(links) < 5 {
		t.Fatalf("/to-chuc lists %d organisations", len(links))
	}
	resp, org := servertest.Get(t, c, env.URL("data", links[0][1]))
	if resp.StatusCode != 200 || !strings.Contains(org, `class="danh-sach-du-lieu"`) || !strings.Contains(org, "/du-lieu?organization=") {
		t.Errorf("%s: %d %.300s", links[0][1], resp.StatusCode, org)
	}
	name := strings.TrimPrefix(links[0][1], "/to-chuc/")
	// CKAN's addresses lead to ours.
	noFollow := *c
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for from, to := range map[string]string{"/organization/" + name: "/to-chuc/" + name, "/organization/": "/to-chuc", "/group/moi-truong": "/chu-de/moi-truong", "/group/": "/chu-de"} {
		resp, _ := servertest.Get(t, &noFollow, env.URL("data", from))
		if resp.StatusCode != http.StatusMovedPermanently || !strings.HasSuffix(resp.Header.Get("Location"), to) {
			t.Errorf("%s: %d to %s", from, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, groups := servertest.Get(t, c, env.URL("data", "/chu-de"))
	if resp.StatusCode != 200 || !strings.Contains(groups, `href="/chu-de/moi-truong"`) {
		t.Errorf("/chu-de: %d %.300s", resp.StatusCode, groups)
	}
	resp, group := servertest.Get(t, c, env.URL("data", "/chu-de/moi-truong"))
	if resp.StatusCode != 200 || !strings.Contains(group, "Quan trắc chất lượng không khí") {
		t.Errorf("/chu-de/moi-truong: %d", resp.StatusCode)
	}
	for _, p := range []string{"/to-chuc/khong-co", "/chu-de/khong-co", "/chu-de/moi-truong?trang=999", "/to-chuc/%00", "/chu-de/%E0%A4"} {
		if resp, _ := servertest.Get(t, c, env.URL("data", p)); resp.StatusCode != 404 && resp.StatusCode != 400 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	// The dataset page leads to its organisation and themes.
	_, body := ckanGet(t, env, c, "package_search", "fq=groups:moi-truong&rows=1")
	var sr struct{ Results []struct{ Name string } }
	json.Unmarshal(body, &sr)
	_, page := servertest.Get(t, c, env.URL("data", "/du-lieu/"+sr.Results[0].Name))
	if !strings.Contains(page, `href="/to-chuc/`) || !strings.Contains(page, `href="/chu-de/moi-truong"`) {
		t.Errorf("the dataset page does not link to its organisation and theme")
	}
	// The search page, filtered by an organisation, links to its page.
	_, search := servertest.Get(t, c, env.URL("data", "/du-lieu?organization="+url.QueryEscape(name)))
	if !strings.Contains(search, `href="/to-chuc/`+name+`"`) || !strings.Contains(search, `href="/to-chuc"`) {
		t.Errorf("the search page does not link to the organisation's page")
	}
	// The English pages.
	if resp, en := servertest.Get(t, c, env.URL("data", "/en/chu-de")); resp.StatusCode != 200 || !strings.Contains(en, "Data themes") {
		t.Errorf("/en/chu-de: %d", resp.StatusCode)
	}
}

func testDatastoreHTTP(t *testing.T, env *servertest.Env, c *http.Client) {
	_, body := ckanGet(t, env, c, "package_search", "fq=tags:AQI")
	var sr struct {
		Results []struct{ Resources []struct{ ID string } }
	}
	json.Unmarshal(body, &sr)
	id := sr.Results[0].Resources[0].ID
	type dsResult struct {
		Total   int64            `json:"total"`
		Records []map[string]any `json:"records"`
		Fields  []struct{ ID, Type string }
	}
	search := func(query string) (int, envelope, dsResult) {
		code, e, _ := ckan(t, env, c, "GET", "datastore_search", "", "", nil, "resource_id="+id+"&"+query)
		var r dsResult
		json.Unmarshal(e.Result, &r)
		return code, e, r
	}
	code, _, all := search("limit=5")
	if code != 200 || all.Total < 10000 || len(all.Records) != 5 {
		t.Fatalf("datastore_search: %d %+v", code, all)
	}
	var station string
	for _, f := range all.Fields {
		if strings.Contains(f.ID, "Trạm") || strings.Contains(f.ID, "Quận") || strings.Contains(f.ID, "Điểm") {
			station = f.ID
			break
		}
	}
	if station == "" {
		station = all.Fields[1].ID
	}
	value := all.Records[0][station]
	filters, _ := json.Marshal(map[string]any{station: value})
	code, _, one := search("filters=" + url.QueryEscape(string(filters)) + "&limit=3&offset=2")
	if code != 200 || one.Total == 0 || one.Total >= all.Total || len(one.Records) != 3 {
		t.Errorf("filtered: %d %+v", code, one)
	}
	for _, r := range one.Records {
		if r[station] != value {
			t.Errorf("filtered row %v", r)
		}
	}
	// sort as a string, as CKAN takes it
	_, _, asc := search("sort=" + url.QueryEscape(`"`+station+`"`) + "&limit=1")
	code, _, desc := search("sort=" + url.QueryEscape(`"`+station+`" desc`) + "&limit=1")
	if code != 200 || len(desc.Records) != 1 || len(asc.Records) != 1 || desc.Records[0][station].(string) <= asc.Records[0][station].(string) {
		t.Errorf("sort as a string: %d %+v %+v", code, asc, desc)
	}
	_, _, listed := search("sort=" + url.QueryEscape(`["`+station+` desc"]`) + "&limit=1")
	if len(listed.Records) != 1 || listed.Records[0][station] != desc.Records[0][station] {
		t.Errorf("sort as a list: %+v", listed)
	}
	if code, _, q := search("q=" + url.QueryEscape(strings.ToLower(value.(string)))); code != 200 || q.Total == 0 {
		t.Errorf("q: %d %+v", code, q)
	}
	for query, want := range map[string]string{
		"filters=%7Bnot+json":                                    "Validation Error",
		"filters=" + url.QueryEscape(`[1]`):                      "Validation Error",
		"filters=" + url.QueryEscape(`{"Không có cột này":"x"}`): "Validation Error",
		"limit=-1": "Validation Error",
		"sort=" + url.QueryEscape("Không có desc"): "Validation Error",
	} {
		code, e, _ := search(query)
		if code != 409 || e.Success || e.Error["__type"] != want {
			t.Errorf("%s: %d %v", query, code, e.Error)
		}
	}
	// The API guide's examples work.
	_, guide := servertest.Get(t, c, env.URL("data", "/huong-dan-api"))
	examples := regexp.MustCompile(`href="(http[^"]*/api/3/action/[^"]+)"`).FindAllStringSubmatch(guide, -1)
	filtered := false
	for _, m := range examples {
		u := strings.ReplaceAll(m[1], "&amp;", "&")
		filtered = filtered || strings.Contains(u, "filters=")
		resp, body := servertest.Get(t, c, u)
		if resp.StatusCode != 200 || !strings.Contains(body, `"success": true`) && !strings.Contains(body, `"success":true`) {
			t.Errorf("example %s: %d %.200s", u, resp.StatusCode, body)
		}
	}
	if len(examples) < 6 || !filtered {
		t.Errorf("the API guide has %d examples (a filtered one: %v)", len(examples), filtered)
	}
	code, e, _ := ckan(t, env, c, "GET", "datastore_search", "", "", nil, "resource_id=khong-co")
	if code != 404 || e.Error["__type"] != "Not Found Error" {
		t.Errorf("unknown resource: %d %v", code, e.Error)
	}
}

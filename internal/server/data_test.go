package server_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

type envelope struct {
	Help    string          `json:"help"`
	Success bool            `json:"success"`
	Result  json.RawMessage `json:"result"`
	Error   map[string]any  `json:"error"`
}

func ckan(t *testing.T, env *servertest.Env, c *http.Client, method, action, token, ctype string, body []byte, query string) (int, envelope, string) {
	t.Helper()
	u := env.URL("data", "/api/3/action/"+action)
	if query != "" {
		u += "?" + query
	}
	req, _ := http.NewRequest(method, u, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	resp, raw := servertest.Do(t, c, req)
	var e envelope
	json.Unmarshal([]byte(raw), &e)
	return resp.StatusCode, e, raw
}

func TestCKANActionAPI(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	get := func(action, query string) (int, envelope, string) {
		return ckan(t, env, c, "GET", action, "", "", nil, query)
	}

	code, e, raw := get("package_search", `q=y+t%E1%BA%BF&rows=2&facet.field=["organization","res_format","license_id"]`)
	var sr struct {
		Count        int              `json:"count"`
		Results      []map[string]any `json:"results"`
		Facets       map[string]map[string]int
		SearchFacets map[string]struct {
			Items []struct {
				Name        string `json:"name"`
				DisplayName string `json:"display_name"`
				Count       int    `json:"count"`
			} `json:"items"`
		} `json:"search_facets"`
	}
	json.Unmarshal(e.Result, &sr)
	if code != 200 || !e.Success || !strings.Contains(e.Help, "help_show?name=package_search") || sr.Count < 2 || len(sr.Results) != 2 || len(sr.SearchFacets["organization"].Items) == 0 || sr.Facets["res_format"]["CSV"] == 0 {
		t.Fatalf("package_search: %d %.500s", code, raw)
	}
	pkg := sr.Results[0]
	for _, k := range []string{"id", "name", "title", "notes", "license_id", "license_title", "organization", "owner_org", "resources", "tags", "groups", "extras", "metadata_created", "metadata_modified", "num_resources", "state", "type"} {
		if _, ok := pkg[k]; !ok {
			t.Errorf("package dict lacks %s", k)
		}
	}
	name := pkg["name"].(string)
	res0 := pkg["resources"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "package_id", "url", "format", "hash", "size", "last_modified", "datastore_active", "url_type", "mimetype"} {
		if _, ok := res0[k]; !ok {
			t.Errorf("resource dict lacks %s", k)
		}
	}
	resID := res0["id"].(string)

	// POST with a JSON body, as ckanapi sends it.
	code, e, _ = ckan(t, env, c, "POST", "package_show", "", "application/json", []byte(`{"id": "`+name+`"}`), "")
	if code != 200 || !e.Success {
		t.Errorf("package_show by POST: %d", code)
	}
	for _, tc := range []struct {
		action, query string
		status        int
		typ           string
	}{
		{"package_show", "id=khong-co", 404, "Not Found Error"},
		{"resource_show", "id=khong-co", 404, "Not Found Error"},
		{"package_search", "fq=organization:(", 409, "Search Error"},
		{"package_search", "fq=khongco:x", 409, "Search Error"},
		{"package_search", "sort=bogus+desc", 400, "Search Query Error"},
		{"package_search", "rows=abc", 409, "Validation Error"},
		{"datastore_search", "resource_id=" + resID + "&filters={bad", 409, "Validation Error"},
		{"datastore_search", "resource_id=" + resID + "&filters=" + url.QueryEscape(`{"Không có":"x"}`), 409, "Validation Error"},
		{"datastore_search", "resource_id=" + resID + "&sort=" + url.QueryEscape("Không có"), 409, "Validation Error"},
		{"datastore_search", "resource_id=khong-co", 404, "Not Found Error"},
		{"organization_show", "id=khong-co", 404, "Not Found Error"},
		{"package_create", "", 400, ""},
	} {
		code, e, raw := get(tc.action, tc.query)
		if code != tc.status || tc.typ != "" && (e.Success || e.Error["__type"] != tc.typ) {
			t.Errorf("%s?%s: %d %.300s", tc.action, tc.query, code, raw)
		}
	}
	if code, _, raw := get("no_such_action", ""); code != 400 || !strings.Contains(raw, "Action name not known") {
		t.Errorf("unknown action: %d %s", code, raw)
	}
	if code, _, raw := ckan(t, env, c, "POST", "package_show", "", "application/json", []byte(`{"id": `), ""); code != 400 || !strings.Contains(raw, "JSON Error") {
		t.Errorf("broken JSON: %d %s", code, raw)
	}

	for action, query := range map[string]string{"status_show": "", "package_list": "limit=5", "organization_list": "all_fields=true&limit=3",
		"organization_show": "id=so-y-te&include_datasets=true", "group_list": "all_fields=true", "group_show": "id=y-te", "tag_list": "query=y",
		"license_list": "", "resource_show": "id=" + resID, "recently_changed_packages_activity_list": "limit=3", "help_show": "name=package_search"} {
		if code, e, raw := get(action, query); code != 200 || !e.Success {
			t.Errorf("%s: %d %.300s", action, code, raw)
		}
	}
	var lic []map[string]any
	_, e, _ = get("license_list", "")
	json.Unmarshal(e.Result, &lic)
	ids := map[string]bool{}
	for _, l := range lic {
		ids[l["id"].(string)] = true
	}
	for _, id := range []string{"cc-by-4.0", "odc-by", "odc-odbl", "odc-pddl"} {
		if !ids[id] {
			t.Errorf("license_list lacks %s", id)
		}
	}

	// datastore_search over the demo's big resource: a filtered page.
	code, e, raw = get("package_search", "fq=tags:AQI")
	json.Unmarshal(e.Result, &sr)
	if code != 200 || sr.Count != 1 {
		t.Fatalf("AQI dataset: %.300s", raw)
	}
	big := sr.Results[0]["resources"].([]any)[0].(map[string]any)["id"].(string)
	code, e, raw = get("datastore_search", url.Values{"resource_id": {big}, "filters": {`{"Trạm quan trắc":"Cầu Giấy"}`}, "limit": {"5"},
		"offset": {"10"}, "sort": {"AQI desc"}, "fields": {"Thời điểm,AQI"}}.Encode())
	var ds struct {
		Total   int              `json:"total"`
		Records []map[string]any `json:"records"`
		Fields  []struct{ ID, Type string }
		Links   map[string]string `json:"_links"`
	}
	json.Unmarshal(e.Result, &ds)
	if code != 200 || ds.Total != 2160 || len(ds.Records) != 5 || len(ds.Fields) != 2 || ds.Fields[1].Type != "int" || ds.Links["next"] == "" {
		t.Errorf("datastore_search: %d %.600s", code, raw)
	}

	// Writes need a data publisher's token, raw (as CKAN clients send it)
	// or as a Bearer token.
	publisher, _, err := env.App.Staff.CreateToken(asSystem(t), "dulieu@hanoi.gov.vn", "ckan")
	if err != nil {
		t.Fatal(err)
	}
	collab, _, _ := env.App.Staff.CreateToken(asSystem(t), "ctv.badinh@hanoi.gov.vn", "ckan")
	body := []byte(`{"name": "bo-du-lieu-thu", "title": "Bộ dữ liệu thử", "owner_org": "so-tu-phap", "license_id": "odc-by",
		"tags": [{"name": "thử nghiệm"}], "groups": [{"name": "hanh-chinh-cong"}], "extras": [{"key": "frequency", "value": "MONTHLY"}]}`)
	for _, tok := range []string{"", collab, "cong_khongcothat"} {
		if code, e, raw := ckan(t, env, c, "POST", "package_create", tok, "application/json", body, ""); code != 403 || e.Error["__type"] != "Authorization Error" {
			t.Errorf("package_create with token %q: %d %s", tok, code, raw)
		}
	}
	code, e, raw = ckan(t, env, c, "POST", "package_create", publisher, "application/json", body, "")
	if code != 200 || !e.Success {
		t.Fatalf("package_create: %d %s", code, raw)
	}
	var created map[string]any
	json.Unmarshal(e.Result, &created)
	if created["owner_org"] == nil || created["license_id"] != "odc-by" || len(created["tags"].([]any)) != 1 {
		t.Errorf("created %v", created)
	}
	code, _, raw = ckan(t, env, c, "POST", "package_create", publisher, "application/json", body, "")
	if code != 409 || !strings.Contains(raw, `"name"`) {
		t.Errorf("duplicate name: %d %s", code, raw)
	}
	code, e, raw = ckan(t, env, c, "POST", "package_patch", "Bearer "+publisher, "application/json", []byte(`{"id": "bo-du-lieu-thu", "notes": "Đã sửa."}`), "")
	if code != 200 || !strings.Contains(string(e.Result), "Đã sửa.") {
		t.Errorf("package_patch: %d %s", code, raw)
	}
	// An upload in Windows-1258, with a formula in a cell.
	csvBody, err := charmap.Windows1258.NewEncoder().Bytes([]byte("Tên,Ghi chú\nHa Noi,=1+2\nHai Phong,5\n"))
	if err != nil {
		t.Fatal(err)
	}
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	mw.WriteField("package_id", "bo-du-lieu-thu")
	mw.WriteField("name", "Số liệu")
	fw, _ := mw.CreateFormFile("upload", "so lieu.csv")
	fw.Write(csvBody)
	mw.Close()
	code, e, raw = ckan(t, env, c, "POST", "resource_create", publisher, mw.FormDataContentType(), mp.Bytes(), "")
	var rd map[string]any
	json.Unmarshal(e.Result, &rd)
	if code != 200 || rd["datastore_active"] != true || rd["url_type"] != "upload" {
		t.Fatalf("resource_create: %d %s", code, raw)
	}
	// The export guards the formula for spreadsheets.
	resp, dump := servertest.Get(t, c, env.URL("data", "/datastore/dump/"+rd["id"].(string)))
	if resp.StatusCode != 200 || !strings.HasPrefix(dump, "\uFEFF") || !strings.Contains(dump, "'=1+2") {
		t.Errorf("dump: %d %q", resp.StatusCode, dump)
	}
	resp, file := servertest.Get(t, c, rd["url"].(string))
	if resp.StatusCode != 200 || !strings.Contains(file, "=1+2") {
		t.Errorf("download: %d %q", resp.StatusCode, file)
	}
}

func TestDCATAndPages(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	resp, ttl := servertest.Get(t, c, env.URL("data", "/catalog.ttl"))
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/turtle") || !strings.Contains(ttl, "a dcat:Catalog") ||
		!strings.Contains(ttl, "hydra:totalItems") || !strings.Contains(ttl, "hydra:nextPage") || !strings.Contains(ttl, "dcat:distribution") {
		t.Fatalf("catalog.ttl: %d %.500s", resp.StatusCode, ttl)
	}
	resp, ld := servertest.Get(t, c, env.URL("data", "/catalog.jsonld?page=2"))
	var doc struct {
		Graph []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(ld), &doc); err != nil || resp.StatusCode != 200 || len(doc.Graph) < 10 {
		t.Errorf("catalog.jsonld page 2: %d %v", resp.StatusCode, err)
	}
	resp, rdf := servertest.Get(t, c, env.URL("data", "/catalog.rdf?modified_since=2020-01-01"))
	if err := xml.Unmarshal([]byte(rdf), new(struct{})); err != nil || resp.StatusCode != 200 {
		t.Errorf("catalog.rdf: %d %v", resp.StatusCode, err)
	}
	for _, bad := range []string{"/catalog.ttl?modified_since=hom-qua", "/catalog.ttl?page=0", "/catalog.ttl?page=999"} {
		if resp, _ := servertest.Get(t, c, env.URL("data", bad)); resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
	}
	resp, page := servertest.Get(t, c, env.URL("data", "/du-lieu?groups=moi-truong"))
	if resp.StatusCode != 200 || !strings.Contains(page, "Quan trắc chất lượng không khí") {
		t.Fatalf("search page: %d", resp.StatusCode)
	}
	_, body := ckanGet(t, env, c, "package_search", "fq=tags:AQI")
	var sr struct {
		Results []struct {
			ID, Name  string
			Resources []struct{ ID string }
		}
	}
	json.Unmarshal(body, &sr)
	d := sr.Results[0]
	for _, p := range []string{"/du-lieu/" + d.Name, "/dataset/" + d.ID + ".ttl", "/dataset/" + d.ID + ".jsonld", "/huong-dan-api",
		"/du-lieu/" + d.Name + "/tai-nguyen/" + d.Resources[0].ID + "?f0=C%E1%BA%A7u+Gi%E1%BA%A5y&trang=3&sap-xep=-3"} {
		if resp, body := servertest.Get(t, c, env.URL("data", p)); resp.StatusCode != 200 {
			t.Errorf("%s: %d %.300s", p, resp.StatusCode, body)
		}
	}
	_, preview := servertest.Get(t, c, env.URL("data", "/du-lieu/"+d.Name+"/tai-nguyen/"+d.Resources[0].ID+"?f0="+url.QueryEscape("Cầu Giấy")))
	if !strings.Contains(preview, "2.160") || !strings.Contains(preview, "<table") {
		t.Errorf("the preview does not show the filtered count of 2.160 rows")
	}
	// The data portal's pages exist on its site only.
	if resp, _ := servertest.Get(t, c, env.URL("", "/du-lieu")); resp.StatusCode != 404 {
		t.Errorf("/du-lieu on the city portal: %d", resp.StatusCode)
	}
}

func ckanGet(t *testing.T, env *servertest.Env, c *http.Client, action, query string) (int, []byte) {
	code, e, _ := ckan(t, env, c, "GET", action, "", "", nil, query)
	return code, e.Result
}

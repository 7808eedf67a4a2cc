package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/api"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

func TestAPISites(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	var list struct {
		Count int        `json:"count"`
		Sites []api.Site `json:"sites"`
	}
	// Whichever host it is asked on.
	for _, host := range []string{"", "phuong-ba-dinh", "data"} {
		resp, body := servertest.Get(t, c, env.URL(host, "/api/v1/sites"))
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatal(err)
		}
	}
	// 1 city + 17 agencies + 126 communes and wards + 3 sections + 1 data portal.
	if list.Count != 148 || len(list.Sites) != 148 {
		t.Errorf("count %d, sites %d; want 148", list.Count, len(list.Sites))
	}
	byCode := map[string]api.Site{}
	kinds := map[string]int{}
	for _, s := range list.Sites {
		byCode[s.Code] = s
		kinds[s.Unit.Kind]++
	}
	if kinds["ward"] != 51 || kinds["commune"] != 75 {
		t.Errorf("wards %d, communes %d", kinds["ward"], kinds["commune"])
	}
	bd := byCode["phuong-ba-dinh"]
	if bd.Name != "Phường Ba Đình" || bd.Unit.Code != "00004" || bd.BaseURL != env.URL("phuong-ba-dinh", "/") ||
		len(bd.Hosts) != 1 || bd.Hosts[0] != "phuong-ba-dinh.hanoi.localhost" || bd.Languages[0] != "vi" ||
		bd.MountURL != env.URL("", "/don-vi/phuong-ba-dinh/") {
		t.Errorf("phuong-ba-dinh = %+v", bd)
	}
	if city := byCode["hanoi"]; city.BaseURL != env.URL("", "/") || city.Unit.Kind != "city" {
		t.Errorf("city = %+v", city)
	}
	if _, ok := byCode["quan-ba-dinh"]; ok {
		t.Errorf("merged site listed without status=all")
	}
	_, body := servertest.Get(t, c, env.URL("", "/api/v1/sites?status=all"))
	json.Unmarshal([]byte(body), &list)
	for _, s := range list.Sites {
		if s.Code == "quan-ba-dinh" && (s.Status != "merged" || s.MergedInto != "phuong-ba-dinh") {
			t.Errorf("quan-ba-dinh = %+v", s)
		}
	}
	resp, body := servertest.Get(t, c, env.URL("", "/api/v1/sites/khong-co"))
	if resp.StatusCode != 404 || !strings.Contains(body, `"code":"not_found"`) {
		t.Errorf("unknown site: %d %s", resp.StatusCode, body)
	}
}

func TestAPIWritesNeedTokens(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	token, _, err := env.App.Staff.CreateToken(asSystem(t), "quantri.badinh@hanoi.gov.vn", "test")
	if err != nil {
		t.Fatal(err)
	}
	const js = "application/json"
	tests := []struct {
		name, code, token, ctype, body string
		status                         int
		want                           string
	}{
		{"no token", "phuong-ba-dinh", "", js, `{"version":1}`, 401, `"code":"unauthorized"`},
		{"wrong token", "phuong-ba-dinh", "cong_khongdung", js, `{"version":1}`, 401, "không hợp lệ"},
		{"not a bearer token", "phuong-ba-dinh", "", js, `{"version":1}`, 401, ""},
		{"other site", "phuong-cua-nam", token, js, `{"version":1,"name":"X"}`, 403, `"code":"forbidden"`},
		{"not json", "phuong-ba-dinh", token, "text/plain", `name=x`, 415, "JSON"},
		{"malformed json", "phuong-ba-dinh", token, js, `{"version":`, 400, "JSON không hợp lệ"},
		{"unknown field", "phuong-ba-dinh", token, js, `{"version":1,"hacked":true}`, 400, "hacked"},
		{"no version", "phuong-ba-dinh", token, js, `{"name":"X"}`, 400, "version"},
		{"invalid email", "phuong-ba-dinh", token, js, `{"version":1,"contact":{"email":"khong-phai-email"}}`, 400, `"email"`},
		{"ok", "phuong-ba-dinh", token, js, `{"version":1,"contact":{"phone":"024 3823 0000","address_en":"Ba Dinh Ward, Hanoi"}}`, 200, `"phone":"024 3823 0000"`},
		{"stale version", "phuong-ba-dinh", token, js, `{"version":1,"name":"Ghi đè"}`, 409, `"code":"conflict"`},
		{"merged site", "quan-ba-dinh", token, js, `{"version":2}`, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("PATCH", env.URL("", "/api/v1/sites/"+tt.code), strings.NewReader(tt.body))
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			if tt.name == "not a bearer token" {
				req.Header.Set("Authorization", "Basic YWRtaW46YWRtaW4=")
			}
			req.Header.Set("Content-Type", tt.ctype)
			resp, body := servertest.Do(t, c, req)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("status %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
		})
	}
	st, _ := env.App.Sites.Site(t.Context(), "phuong-ba-dinh")
	if st.Contact.Phone != "024 3823 0000" || st.Version != 2 || st.Name != "Phường Ba Đình" {
		t.Errorf("site after the API calls: %+v", st)
	}
	// English errors on request.
	req, _ := http.NewRequest("PATCH", env.URL("", "/api/v1/sites/phuong-ba-dinh"), strings.NewReader(`{}`))
	req.Header.Set("Accept-Language", "en-GB,en;q=0.8")
	req.Header.Set("Content-Type", js)
	if _, body := servertest.Do(t, c, req); !strings.Contains(body, "A token is required") {
		t.Errorf("English error: %s", body)
	}
	// The token acts as its owner.
	req, _ = http.NewRequest("GET", env.URL("", "/api/v1/me"), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if resp, body := servertest.Do(t, c, req); resp.StatusCode != 200 || !strings.Contains(body, `"site":"phuong-ba-dinh"`) {
		t.Errorf("me: %d %s", resp.StatusCode, body)
	}
	// The change is in the audit log, by the token's owner, from the API.
	es, _, _ := env.App.Log.Entries(asSystem(t), auditFilterAll("site.update"))
	if len(es) != 1 || es[0].ActorName != "quantri.badinh@hanoi.gov.vn" || es[0].Via != "token" {
		t.Errorf("audit: %+v", es)
	}
}

// The OpenAPI document describes every /api/v1 route and nothing else.
func TestOpenAPIIsComplete(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	resp, body := servertest.Get(t, env.Client(), env.URL("", "/api/v1/openapi.json"))
	if resp.StatusCode != 200 {
		t.Fatal(resp.StatusCode)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			if m != "parameters" {
				documented[strings.ToUpper(m)+" "+p] = true
			}
		}
	}
	served := map[string]bool{}
	for _, rt := range env.App.Routes() {
		if strings.HasPrefix(rt.Pattern, "/api/v1/") {
			served[rt.Method+" "+rt.Pattern] = true
			if !documented[rt.Method+" "+rt.Pattern] {
				t.Errorf("%s %s is not in openapi.json", rt.Method, rt.Pattern)
			}
		}
	}
	for k := range documented {
		if !served[k] {
			t.Errorf("openapi.json documents %s, which is not served", k)
		}
	}
}

package server_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/congvn/cong/internal/open311"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

// xmlErrors is the spec's XML error list.
type xmlErrors struct {
	XMLName xml.Name `xml:"errors"`
	Errors  []struct {
		Code        int    `xml:"code"`
		Description string `xml:"description"`
	} `xml:"error"`
}

func TestOpen311RatesDatesAndXMLErrors(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	c := env.Client()
	base := env.URL("", "/open311/v2/")
	n := 0
	post := func(addr, key, format string) (int, string) {
		n++
		form := url.Values{"service_code": {"moi-truong"}, "lat": {"21.03"}, "long": {"105.84"},
			"description": {fmt.Sprintf("Rác thải tập kết sai chỗ ở điểm số %d, đề nghị thu gom.", n)},
			"first_name":  {"Hoa"}, "phone": {fmt.Sprintf("0914%06d", n)}}
		if key != "" {
			form.Set("api_key", key)
		} else {
			form.Set("consent", "true")
		}
		req, _ := http.NewRequest("POST", base+"requests."+format, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", addr)
		resp, body := servertest.Do(t, c, req)
		return resp.StatusCode, body
	}

	// Without a key, the public rate per address: 5 a minute.
	var ids []string
	for i := range 5 {
		st, body := post("203.0.113.5", "", "json")
		var created []struct {
			ID string `json:"service_request_id"`
		}
		if st != http.StatusCreated || json.Unmarshal([]byte(body), &created) != nil || len(created) != 1 {
			t.Fatalf("anonymous post %d: %d %s", i+1, st, body)
		}
		ids = append(ids, created[0].ID)
	}
	if st, body := post("203.0.113.5", "", "json"); st != http.StatusTooManyRequests || !strings.HasPrefix(body, `[{"code":429,"description":"Quá nhiều yêu cầu`) {
		t.Errorf("sixth anonymous post: %d %s", st, body)
	}
	if st, _ := post("198.51.100.5", "", "json"); st != http.StatusCreated {
		t.Errorf("anonymous post from another address: %d", st)
	}
	// Without consent, an anonymous post is refused.
	form := url.Values{"service_code": {"moi-truong"}, "lat": {"21"}, "long": {"105"}, "description": {"Nội dung đủ dài để hợp lệ."}, "first_name": {"Hoa"}, "phone": {"0914999999"}}
	req, _ := http.NewRequest("POST", base+"requests.json", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "198.51.100.77")
	if resp, body := servertest.Do(t, c, req); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "consent") {
		t.Errorf("anonymous post without consent: %d %s", resp.StatusCode, body)
	}

	// With a key, the key's own rate, whatever the address; another key and
	// the public rate are untouched.
	slow, _, err := open311.NewKey(asSystem(t), env.DB, "Ứng dụng chậm", 2)
	if err != nil {
		t.Fatal(err)
	}
	fast, _, err := open311.NewKey(asSystem(t), env.DB, "Ứng dụng nhanh", 100)
	if err != nil {
		t.Fatal(err)
	}
	for i, addr := range []string{"192.0.2.1", "192.0.2.2"} {
		if st, body := post(addr, slow, "json"); st != http.StatusCreated {
			t.Fatalf("keyed post %d: %d %s", i+1, st, body)
		}
	}
	st, body := post("192.0.2.3", slow, "xml")
	var xe xmlErrors
	if st != http.StatusTooManyRequests || xml.Unmarshal([]byte(body), &xe) != nil || len(xe.Errors) != 1 || xe.Errors[0].Code != 429 {
		t.Errorf("over the key's rate: %d %s", st, body)
	}
	if st, _ := post("192.0.2.3", fast, "json"); st != http.StatusCreated {
		t.Errorf("another key: %d", st)
	}
	if st, _ := post("192.0.2.3", "", "json"); st != http.StatusCreated {
		t.Errorf("the public rate after a key's limit: %d", st)
	}

	// Dates: the window holds the new requests; windows before and after
	// them do not; bad windows are 400.
	list := func(query string) (int, map[string]bool) {
		resp, body := servertest.Get(t, c, base+"requests.json?"+query)
		var reqs []struct {
			ID string `json:"service_request_id"`
		}
		json.Unmarshal([]byte(body), &reqs)
		got := map[string]bool{}
		for _, r := range reqs {
			got[r.ID] = true
		}
		return resp.StatusCode, got
	}
	now := time.Now()
	w3c := func(t time.Time) string {
		return url.QueryEscape(t.In(time.FixedZone("", 7*3600)).Format(time.RFC3339))
	}
	for _, tc := range []struct {
		name, query string
		found       bool
	}{
		{"around now", "start_date=" + w3c(now.Add(-time.Hour)) + "&end_date=" + w3c(now.Add(time.Hour)), true},
		{"start only", "start_date=" + w3c(now.Add(-time.Hour)), true},
		{"end only, in the future", "end_date=" + w3c(now.Add(time.Hour)), true},
		{"no dates (the last 90 days)", "", true},
		{"ended yesterday", "end_date=" + w3c(now.Add(-24*time.Hour)), false},
		{"starts tomorrow", "start_date=" + w3c(now.Add(24*time.Hour)) + "&end_date=" + w3c(now.Add(48*time.Hour)), false},
		{"a month ago", "start_date=" + w3c(now.AddDate(0, -1, -1)) + "&end_date=" + w3c(now.AddDate(0, -1, 0)), false},
		{"with a service code", "service_code=moi-truong&start_date=" + w3c(now.Add(-time.Hour)), true},
		{"with another service code", "service_code=giao-thong&start_date=" + w3c(now.Add(-time.Hour)), false},
	} {
		st, got := list(tc.query)
		if st != http.StatusOK {
			t.Errorf("%s: %d", tc.name, st)
			continue
		}
		for _, id := range ids {
			if got[id] != tc.found {
				t.Errorf("%s: request %s listed %v, want %v", tc.name, id, got[id], tc.found)
				break
			}
		}
	}

	// XML error bodies, for 400, 403 and 404.
	for _, tc := range []struct {
		name, method, path string
		form               url.Values
		status             int
		want               string
	}{
		{"bad date", "GET", "requests.xml?start_date=hom-qua", nil, 400, "định dạng W3C"},
		{"window over 90 days", "GET", "requests.xml?start_date=" + w3c(now.AddDate(0, -4, 0)) + "&end_date=" + w3c(now), nil, 400, "không quá 90 ngày"},
		{"end before start", "GET", "requests.xml?start_date=" + w3c(now) + "&end_date=" + w3c(now.Add(-time.Hour)), nil, 400, "phải sau ngày bắt đầu"},
		{"unknown status", "GET", "requests.xml?status=mo", nil, 400, "status"},
		{"unknown service", "POST", "requests.xml", url.Values{"api_key": {fast}, "service_code": {"ufo"}, "lat": {"21"}, "long": {"105"}}, 400, "ufo"},
		{"forged field", "POST", "requests.xml", url.Values{"api_key": {fast}, "service_code": {"moi-truong"}, "lat": {"21"}, "long": {"105"}, "service_request_id": {"1"}}, 400, "service_request_id"},
		{"invalid fields", "POST", "requests.xml", url.Values{"api_key": {fast}, "service_code": {"moi-truong"}, "lat": {"21"}, "long": {"105"}, "description": {"ngắn"}}, 400, "description"},
		{"bad key", "POST", "requests.xml", url.Values{"api_key": {"o311_gia-mao"}, "service_code": {"moi-truong"}, "lat": {"21"}, "long": {"105"}}, 403, "api_key không hợp lệ"},
		{"unknown request", "GET", "requests/424242.xml", nil, 404, ""},
		{"unknown service definition", "GET", "services/ufo.xml", nil, 404, ""},
	} {
		var resp *http.Response
		var body string
		if tc.method == "POST" {
			resp, body = post311(t, c, base+tc.path, tc.form)
		} else {
			resp, body = servertest.Get(t, c, base+tc.path)
		}
		var xe xmlErrors
		err := xml.Unmarshal([]byte(body), &xe)
		if resp.StatusCode != tc.status || err != nil || len(xe.Errors) == 0 || xe.Errors[0].Code != tc.status || xe.Errors[0].Description == "" ||
			!strings.Contains(xe.Errors[0].Description, tc.want) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
			t.Errorf("%s: %d %s (%v)\n%s", tc.name, resp.StatusCode, resp.Header.Get("Content-Type"), err, body)
		}
	}
}

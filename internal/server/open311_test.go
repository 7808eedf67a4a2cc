package server_test

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/open311"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

func post311(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return servertest.Do(t, c, req)
}

func TestOpen311(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	key, _, err := open311.NewKey(asSystem(t), env.DB, "Ứng dụng thử", 100)
	if err != nil {
		t.Fatal(err)
	}
	base := env.URL("", "/open311/v2/")

	resp, body := servertest.Get(t, c, base+"discovery.json")
	if resp.StatusCode != 200 || !strings.Contains(body, "GeoReport_v2") {
		t.Errorf("discovery: %d %s", resp.StatusCode, body)
	}
	resp, body = servertest.Get(t, c, base+"services.xml")
	var services struct {
		Services []struct {
			Code string `xml:"service_code"`
		} `xml:"service"`
	}
	if err := xml.Unmarshal([]byte(body), &services); err != nil || resp.StatusCode != 200 || len(services.Services) < 5 {
		t.Errorf("services.xml: %d %v %s", resp.StatusCode, err, body[:min(300, len(body))])
	}
	if resp, body = servertest.Get(t, c, base+"services/giao-thong.json"); resp.StatusCode != 200 || !strings.Contains(body, `"attributes":[]`) {
		t.Errorf("definition: %d %s", resp.StatusCode, body)
	}
	if resp, body = servertest.Get(t, c, base+"services/khong-co.json"); resp.StatusCode != 404 || !strings.HasPrefix(body, `[{"code":404,"description":`) {
		t.Errorf("unknown service: %d %s", resp.StatusCode, body)
	}

	form := url.Values{"api_key": {key}, "service_code": {"giao-thong"}, "lat": {"21.03417"}, "long": {"105.83911"},
		"description": {"Cột đèn đổ nghiêng trên phố Hoàng Diệu, nguy cơ đổ vào người đi đường."}, "first_name": {"Hải"}, "last_name": {"Trần"},
		"email": {"hai@example.vn"}, "phone": {"0988 111 222"}}
	resp, body = post311(t, c, base+"requests.json", form)
	var created []struct {
		ID    string `json:"service_request_id"`
		Token string `json:"token"`
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil || resp.StatusCode != http.StatusCreated || len(created) != 1 || created[0].ID == "" {
		t.Fatalf("post: %d %s", resp.StatusCode, body)
	}
	id := created[0].ID

	resp, body = servertest.Get(t, c, base+"requests/"+id+".json")
	if resp.StatusCode != 200 || !strings.Contains(body, `"status":"open"`) || !strings.Contains(body, `"lat":21.034`) {
		t.Errorf("one request: %d %s", resp.StatusCode, body)
	}
	for _, private := range []string{"hai@example.vn", "0988", "Trần", "21.03417"} {
		if strings.Contains(body, private) {
			t.Errorf("public view shows %q: %s", private, body)
		}
	}
	if resp, body = servertest.Get(t, c, base+"requests.xml?service_request_id="+id); resp.StatusCode != 200 || !strings.Contains(body, "<service_request_id>"+id+"</service_request_id>") {
		t.Errorf("requests.xml by id: %d %s", resp.StatusCode, body)
	}
	if resp, body = servertest.Get(t, c, base+"requests.json?service_code=giao-thong&status=open"); resp.StatusCode != 200 || !strings.Contains(body, `"service_request_id":"`+id+`"`) {
		t.Errorf("requests by code and status: %d", resp.StatusCode)
	}
	if resp, body = servertest.Get(t, c, base+"tokens/"+created[0].Token+".json"); resp.StatusCode != 200 || !strings.Contains(body, `"service_request_id":"`+id+`"`) {
		t.Errorf("token: %d %s", resp.StatusCode, body)
	}
	if resp, body = servertest.Get(t, c, base+"servicerequestupdates.xml"); resp.StatusCode != 200 || !strings.Contains(body, "<service_request_updates>") {
		t.Errorf("updates: %d %s", resp.StatusCode, body[:min(200, len(body))])
	}

	// Bad input gets the spec's error list.
	for _, tt := range []struct {
		name   string
		form   url.Values
		status int
	}{
		{"forged status", url.Values{"api_key": {key}, "service_code": {"giao-thong"}, "lat": {"21"}, "long": {"105"}, "status": {"closed"}}, 400},
		{"unknown service", url.Values{"api_key": {key}, "service_code": {"ufo"}, "lat": {"21"}, "long": {"105"}}, 400},
		{"no location", url.Values{"api_key": {key}, "service_code": {"giao-thong"}, "description": {"Một phản ánh không có vị trí."}}, 400},
		{"bad key", url.Values{"api_key": {"o311_sai"}, "service_code": {"giao-thong"}}, 403},
		{"attribute", url.Values{"api_key": {key}, "service_code": {"giao-thong"}, "lat": {"21"}, "long": {"105"}, "attribute[x]": {"1"}}, 400},
		{"no contact", url.Values{"api_key": {key}, "service_code": {"giao-thong"}, "lat": {"21"}, "long": {"105"}, "description": {"Nội dung đủ dài để hợp lệ."}}, 400},
	} {
		resp, body := post311(t, c, base+"requests.json", tt.form)
		if resp.StatusCode != tt.status || !strings.HasPrefix(body, `[{"code":`) {
			t.Errorf("%s: %d %s", tt.name, resp.StatusCode, body)
		}
	}
	if resp, body = servertest.Get(t, c, base+"requests/999999.xml"); resp.StatusCode != 404 || !strings.Contains(body, "<errors><error><code>404</code>") {
		t.Errorf("unknown request: %d %s", resp.StatusCode, body)
	}
	if resp, _ = servertest.Get(t, c, base+"requests.json?start_date=hom-qua"); resp.StatusCode != 400 {
		t.Errorf("bad date: %d", resp.StatusCode)
	}
}

package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/feedbackweb"
	"github.com/congvn/cong/internal/open311"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

// validForms holds, per state-changing route, a body that would succeed for
// someone allowed to send it: the refusals below are then due to
// permissions, not to bad input.
func validForms(env *servertest.Env, t *testing.T) map[string]url.Values {
	u, err := env.App.Staff.UserByEmail(t.Context(), "phananh.badinh@hanoi.gov.vn")
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(u.ID, 10)
	cn, err := env.App.Sites.Site(t.Context(), "phuong-cua-nam")
	if err != nil {
		t.Fatal(err)
	}
	// Something for the revoke form to revoke.
	if err := env.App.Staff.Grant(asSystem(t), staff.Grant{UserID: u.ID, SiteID: cn.ID, Role: access.FeedbackOfficer}); err != nil {
		t.Fatal(err)
	}
	dataset, res := walkDataset(env, t, cn.ID)
	// An Open311 key for the revoke form to revoke.
	_, key, err := open311.NewKey(asSystem(t), env.DB, "Ứng dụng walk", 10)
	if err != nil {
		t.Fatal(err)
	}
	forms := map[string]url.Values{
		"POST /quan-tri/trang/{site}/cai-dat":                                    {"version": {"1"}, "name": {"Tên mới"}, "lang_en": {"1"}, "phone": {"024 0000 1111"}},
		"POST /quan-tri/trang/{site}/ten-mien":                                   {"hosts": {"ten-moi.hanoi.localhost"}},
		"POST /quan-tri/trang/{site}/nhan-su":                                    {"email": {"moi.walk@hanoi.gov.vn"}, "name": {"Người Mới"}, "password": {"mat-khau-du-dai-1"}, "role": {"editor"}},
		"POST /quan-tri/trang/{site}/nhan-su/thu-hoi":                            {"user": {id}, "role": {"feedback_officer"}},
		"POST /quan-tri/don-vi/tao":                                              {"parent": {"01"}, "name": {"Ban Mới"}, "code": {"01.999"}, "kind": {"other"}, "site_code": {"ban-moi"}},
		"POST /quan-tri/don-vi/sap-nhap":                                         {"from": {"10489"}, "into": {"10465"}, "on": {"2026-12-01"}},
		"POST /quan-tri/nguoi-dung":                                              {"email": {"moi2.walk@hanoi.gov.vn"}, "name": {"Người Mới"}, "password": {"mat-khau-du-dai-2"}, "role": {"supervisor"}},
		"POST /quan-tri/nguoi-dung/{id}/khoa":                                    {"disabled": {"1"}},
		"POST /quan-tri/nguoi-dung/{id}/quyen":                                   {"role": {"editor"}, "site": {"phuong-cua-nam"}},
		"POST /quan-tri/bao-mat":                                                 {"mfa": {"editor"}},
		"POST /quan-tri/open311":                                                 {"name": {"Ứng dụng mới"}, "per_minute": {"30"}},
		"POST /quan-tri/open311/{id}/thu-hoi":                                    {"xac_nhan": {"1"}, "_path": {"/quan-tri/open311/" + strconv.FormatInt(key.ID, 10) + "/thu-hoi"}},
		"PATCH /api/v1/sites/{site}":                                             {"json": {`{"version": 1, "contact": {"phone": "024 0000 2222"}}`}},
		"POST /quan-tri/trang/{site}/du-lieu/tao":                                {"title": {"Bộ dữ liệu mới"}, "owner": {strconv.FormatInt(cn.ID, 10)}, "license_id": {"cc-by-4.0"}},
		"POST /quan-tri/trang/{site}/du-lieu/{dataset}":                          {"title": {"Tên mới"}, "owner": {strconv.FormatInt(cn.ID, 10)}, "license_id": {"odc-by"}},
		"POST /quan-tri/trang/{site}/du-lieu/{dataset}/tai-nguyen":               {"res_name": {"Liên kết"}, "res_url": {"https://example.org/du-lieu.csv"}},
		"POST /quan-tri/trang/{site}/du-lieu/{dataset}/tai-nguyen/{res}":         {"name": {"Tên tài nguyên mới"}},
		"POST /quan-tri/trang/{site}/du-lieu/{dataset}/tai-nguyen/{res}/nap-lai": {},
		"POST /quan-tri/trang/{site}/du-lieu/chu-de":                             {"title": {"Chủ đề mới"}},
		"POST /quan-tri/trang/{site}/du-lieu/{dataset}/xoa":                      {},
		"{id}":      {"id": {id}},
		"{dataset}": {"id": {dataset}},
		"{res}":     {"id": {res}},
	}
	for k, v := range feedbackWalkForms(env, t) {
		forms[k] = v
	}
	for k, v := range disclosureForms(env, t) {
		forms[k] = v
	}
	for k, v := range publishingForms(env, t) {
		forms[k] = v
	}
	return forms
}

// TestCollaboratorIsRefusedEverywhere walks every state-changing route of
// the staff interface and the API that acts on a site or on the city, as a
// collaborator of Phường Ba Đình aimed at another site (Phường Cửa Nam), and
// expects a refusal with nothing written. The routes come from the route
// table itself, so a route added later is walked too.
func TestCollaboratorIsRefusedEverywhere(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c, page := env.SignIn(t, "ctv.badinh@hanoi.gov.vn")
	csrf := servertest.CSRF(t, page)
	token, _, err := env.App.Staff.CreateToken(asSystem(t), "ctv.badinh@hanoi.gov.vn", "walk")
	if err != nil {
		t.Fatal(err)
	}
	forms := validForms(env, t)
	before := snapshot(t, env)

	walked := 0
	for _, rt := range env.App.Routes() {
		if !rt.Unsafe() || rt.Scope != web.ScopeSite && rt.Scope != web.ScopeCity {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		form, ok := forms[key]
		if !ok {
			t.Errorf("%s: no valid form in the walk; add one to validForms", key)
			continue
		}
		path := walkPath(forms, form, rt.Pattern)
		t.Run(key, func(t *testing.T) {
			resp, body := send(t, env, c, rt, path, form, csrf, token)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("status %d, want 403", resp.StatusCode)
			}
			if !strings.Contains(body, "không có quyền") {
				t.Errorf("the refusal does not say why:\n%.300s", body)
			}
		})
		walked++
	}
	if walked < 10 {
		t.Errorf("walked only %d routes", walked)
	}
	if after := snapshot(t, env); after != before {
		t.Errorf("refused requests changed the state:\nbefore %s\nafter  %s", before, after)
	}
}

// TestWalkFormsSucceedWhenAllowed sends the same forms as the system
// administrator: they must not be refused, which shows the walk above tests
// permissions and not malformed requests.
func TestWalkFormsSucceedWhenAllowed(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c, page := env.SignIn(t, "quantri@hanoi.gov.vn")
	csrf := servertest.CSRF(t, page)
	token, _, err := env.App.Staff.CreateToken(asSystem(t), "quantri@hanoi.gov.vn", "walk")
	if err != nil {
		t.Fatal(err)
	}
	forms := validForms(env, t)
	for _, rt := range env.App.Routes() {
		if !rt.Unsafe() || rt.Scope != web.ScopeSite && rt.Scope != web.ScopeCity {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		form := forms[key]
		path := walkPath(forms, form, rt.Pattern)
		resp, body := send(t, env, c, rt, path, form, csrf, token)
		if resp.StatusCode >= 400 && !(key == "PATCH /api/v1/sites/{site}" && resp.StatusCode == http.StatusConflict) {
			t.Errorf("%s as system administrator: status %d\n%.400s", key, resp.StatusCode, body)
		}
	}
}

// send sends a walk request: JSON with the bearer token to API routes, the
// form with the session's CSRF token to the others.
func send(t *testing.T, env *servertest.Env, c *http.Client, rt web.Route, path string, form url.Values, csrf, token string) (*http.Response, string) {
	t.Helper()
	if rt.Auth == web.AuthToken {
		req, _ := http.NewRequest(rt.Method, env.URL("", path), strings.NewReader(form.Get("json")))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		return servertest.Do(t, c, req)
	}
	f := url.Values{"csrf": {csrf}}
	for k, v := range form {
		f[k] = v
	}
	return postWalkForm(t, c, env.URL("", path), f)
}

// walkPath fills a route pattern's path values from the walk's forms; a
// form's "_path" overrides it, for routes whose {id} must name something of
// the target site.
func walkPath(forms map[string]url.Values, form url.Values, pattern string) string {
	if p := form.Get("_path"); p != "" {
		return p
	}
	return pathValues(forms).Replace(pattern)
}

// snapshot summarises what a refused request could have changed: the audit
// log's length, every site's version and hosts, and every account's roles.
func snapshot(t *testing.T, env *servertest.Env) string {
	t.Helper()
	ctx := asSystem(t)
	_, n, err := env.App.Log.Entries(ctx, auditlog.Filter{AllSites: true, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("audit=" + strconv.Itoa(n))
	sites, _ := env.DB.Sites(ctx)
	for _, s := range sites {
		b.WriteString(" " + s.Code + "@" + strconv.Itoa(s.Version) + strings.Join(s.Hosts, ","))
	}
	users, grants, _ := env.App.Staff.Users(ctx, 0)
	for _, u := range users {
		b.WriteString(" " + u.Email + strconv.FormatBool(u.Disabled) + strconv.Itoa(len(grants[u.ID])))
	}
	return b.String()
}

// Every state-changing route says whose permission it needs; only the forms
// anyone may send (signing in, the display preferences) need none, and only
// the account's own forms act on the account alone.
func TestEveryStateChangingRouteDeclaresItsScope(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	// CKAN clients POST read actions too; the Action API checks each
	// write's permission in the service (a data publisher of the owning
	// unit or of the data portal), as CKAN does.
	public := map[string]bool{"POST /hien-thi": true, "POST /quan-tri/dang-nhap": true, "POST /du-thao/{id}": true,
		"POST /api/3/action/{action}": true, "POST /api/action/{action}": true}
	for _, k := range append(feedbackweb.PublicPosts, open311.PublicPosts...) {
		public[k] = true
	}
	pending := map[string]bool{"POST /quan-tri/xac-thuc": true, "POST /quan-tri/bao-mat/thiet-lap": true, "POST /quan-tri/dang-xuat": true}
	for _, rt := range env.App.Routes() {
		key := rt.Method + " " + rt.Pattern
		if !rt.Unsafe() {
			continue
		}
		switch rt.Auth {
		case web.AuthNone:
			if !public[key] {
				t.Errorf("%s changes state without authentication", key)
			}
		case web.AuthPending, web.AuthAnySession:
			if !pending[key] {
				t.Errorf("%s is open to half-signed-in sessions", key)
			}
		default:
			if rt.Scope == web.ScopeNone {
				t.Errorf("%s declares no permission scope", key)
			}
			if (rt.Scope == web.ScopeSite || rt.Scope == web.ScopeCity) && rt.Perm.Name == "" {
				t.Errorf("%s declares a scope but no permission", key)
			}
			if rt.Scope == web.ScopeSite && !strings.Contains(rt.Pattern, "{site}") {
				t.Errorf("%s is site-scoped but names no {site}", key)
			}
		}
	}
}

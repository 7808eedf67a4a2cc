package server_test

import (
	"archive/zip"
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/congvn/cong/internal/consultation"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/rulepack"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

func TestDocumentSearchPages(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	for _, q := range []string{"42/2022/NĐ-CP", "42/2022/ND-CP", "42 2022", "nđ-cp 42/2022"} {
		resp, body := servertest.Get(t, c, env.URL("", "/van-ban?q="+url.QueryEscape(q)))
		if resp.StatusCode != 200 || !strings.Contains(body, ">42/2022/NĐ-CP</a>") {
			t.Errorf("search %q: %d, decree not found", q, resp.StatusCode)
		}
	}
	// The replaced decree shows its status; filters by status and type.
	_, body := servertest.Get(t, c, env.URL("", "/van-ban?hieu-luc=het-hieu-luc&loai=nghi-dinh"))
	if !strings.Contains(body, ">43/2011/NĐ-CP</a>") || strings.Contains(body, ">42/2022/NĐ-CP</a>") {
		t.Errorf("expired decrees: %.2000s", body)
	}
	// The document page: relations, the PDF in a frame, the English page.
	res, _ := env.App.Documents.Search(t.Context(), document.Query{Text: "42/2022/NĐ-CP"})
	d := res.Docs[0]
	_, body = servertest.Get(t, c, env.URL("", d.Path()))
	if !strings.Contains(body, "Thay thế") || !strings.Contains(body, "43/2011/NĐ-CP") || !strings.Contains(body, `<iframe class="xem-pdf"`) {
		t.Errorf("document page lacks relations or the PDF preview")
	}
	// The file: served by its checked type, with nosniff, framable by the
	// site only when previewed.
	i := strings.Index(body, `href="/tep/`)
	link := body[i+6 : i+6+strings.Index(body[i+6:], `"`)]
	resp, pdf := servertest.Get(t, c, env.URL("", link))
	h := resp.Header
	if resp.StatusCode != 200 || h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(pdf, "%PDF-") || h.Get("X-Frame-Options") != "DENY" {
		t.Errorf("download: %d %v", resp.StatusCode, h)
	}
	resp, _ = servertest.Get(t, c, env.URL("", link+"?xem=1"))
	if !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline") || resp.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
		t.Errorf("preview headers: %v", resp.Header)
	}
	// A file of another site is not served under this one.
	resp, _ = servertest.Get(t, c, env.URL("phuong-hoan-kiem", link))
	if resp.StatusCode != 404 {
		t.Errorf("file served on another site: %d", resp.StatusCode)
	}
	// The Atom feed per type.
	resp, feed := servertest.Get(t, c, env.URL("", "/van-ban/loai/nghi-dinh/feed.atom"))
	if resp.StatusCode != 200 || !strings.Contains(feed, "<feed xmlns=\"http://www.w3.org/2005/Atom\">") || !strings.Contains(feed, "42/2022/NĐ-CP") || strings.Contains(feed, "1351/QĐ-UBND") {
		t.Errorf("feed: %d %.500s", resp.StatusCode, feed)
	}
	// The menu follows the rule pack: communes have no drafts for comment.
	_, home := servertest.Get(t, c, env.URL("xa-soc-son", "/"))
	_, city := servertest.Get(t, c, env.URL("", "/"))
	if !strings.Contains(home, ">Văn bản</a>") || strings.Contains(home, ">Lấy ý kiến dự thảo</a>") || !strings.Contains(city, ">Lấy ý kiến dự thảo</a>") {
		t.Errorf("menus do not follow the rule pack")
	}
	_, en := servertest.Get(t, c, env.URL("", "/en/"))
	if !strings.Contains(en, ">Legal documents</a>") {
		t.Errorf("English menu label missing")
	}
}

// multipartForm builds a form with fields and one file.
func multipartForm(t *testing.T, fields map[string]string, fileField, name string, content []byte) (string, *bytes.Buffer) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if fileField != "" {
		f, _ := w.CreateFormFile(fileField, name)
		f.Write(content)
	}
	w.Close()
	return w.FormDataContentType(), &b
}

func TestUploadsAreCheckedByContent(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c, page := env.SignIn(t, "tongbientap@hanoi.gov.vn")
	csrf := servertest.CSRF(t, page)
	types, _ := env.App.Documents.Terms(t.Context(), document.ListType)
	issuers, _ := env.App.Documents.Terms(t.Context(), document.ListIssuer)
	fields := map[string]string{"csrf": csrf, "number": "55/QĐ-UBND", "type": itoa64(types[0].ID), "issuer": itoa64(issuers[0].ID),
		"title": "Văn bản có tệp", "issued_on": "2026-01-05"}
	post := func(name string, content []byte) (*http.Response, string) {
		ct, body := multipartForm(t, fields, "file", name, content)
		req, _ := http.NewRequest("POST", env.URL("", "/quan-tri/trang/hanoi/van-ban"), body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Origin", "http://hanoi.localhost"+env.Port)
		return servertest.Do(t, c, req)
	}
	var zb bytes.Buffer
	z := zip.NewWriter(&zb)
	w, _ := z.Create("word/document.xml")
	w.Write([]byte("<w/>"))
	z.Close()
	resp, body := post("quyet-dinh.pdf", zb.Bytes())
	if resp.StatusCode != 422 || !strings.Contains(body, "mang đuôi PDF nhưng nội dung là DOCX") {
		t.Errorf("a DOCX named .pdf: %d", resp.StatusCode)
	}
	if r, err := env.App.Documents.Search(asSystem(t), document.Query{SiteID: siteID(t, env, "hanoi"), Text: "55/QĐ-UBND", Drafts: true}); err != nil || len(r.Docs) != 0 {
		t.Errorf("the document was created despite the bad file")
	}
	resp, _ = post("quyet-dinh.docx", zb.Bytes())
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a real DOCX: %d", resp.StatusCode)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func TestCommentForm(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	list, _ := env.App.Consultations.List(t.Context(), 1, true)
	var open, closed *consultation.Consultation
	today := time.Now().Format(time.DateOnly)
	for _, x := range list {
		if x.PhaseOn(today) == consultation.Open {
			open = x
		} else {
			closed = x
		}
	}
	form := url.Values{"name": {"Lê Văn Nam"}, "contact": {"nam@example.com"}, "article": {open.Articles[0]}, "body": {"Đề nghị làm rõ phạm vi điều chỉnh của quy chế."}}
	resp, _ := servertest.PostForm(t, c, env.URL("", open.Path()), form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("comment: %d", resp.StatusCode)
	}
	resp, body := servertest.PostForm(t, c, env.URL("", open.Path()), form)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "đã được gửi") {
		t.Errorf("the same comment again: %d", resp.StatusCode)
	}
	resp, body = servertest.PostForm(t, c, env.URL("", closed.Path()), form)
	if resp.StatusCode != http.StatusGone || !strings.Contains(body, "Đã hết thời hạn lấy ý kiến") {
		t.Errorf("comment after the period: %d", resp.StatusCode)
	}
	resp, body = servertest.PostForm(t, c, env.URL("", open.Path()), url.Values{"name": {""}, "contact": {"x"}, "body": {"ngắn"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("bad comment: %d", resp.StatusCode)
	}
	_, body = servertest.Get(t, c, env.URL("", open.Path()))
	if strings.Contains(body, "nam@example.com") {
		t.Error("a contact is published")
	}
}

func TestSupervisorDashboard(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c, _ := env.SignIn(t, "giamsat@hanoi.gov.vn")
	resp, body := servertest.Get(t, c, env.URL("", "/quan-tri/giam-sat?ket-qua=khong-dat&sap-xep=ten"))
	if resp.StatusCode != 200 || !strings.Contains(body, "Sở Tư pháp") || strings.Contains(body, ">Sở Y tế</a>") {
		t.Errorf("dashboard filtered on failing sites: %d", resp.StatusCode)
	}
	resp, x := servertest.Get(t, c, env.URL("", "/quan-tri/giam-sat/bao-cao.xlsx?loai=agency"))
	if resp.StatusCode != 200 || !strings.HasPrefix(x, "PK") || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Errorf("export: %d %v", resp.StatusCode, resp.Header)
	}
	zr, err := zip.NewReader(strings.NewReader(x), int64(len(x)))
	if err != nil || len(zr.File) < 5 {
		t.Errorf("not a workbook: %v", err)
	}
	// A supervisor reads and changes nothing: recording a run is refused.
	_, page := servertest.Get(t, c, env.URL("", "/quan-tri/"))
	resp, _ = servertest.PostForm(t, c, env.URL("", "/quan-tri/giam-sat"), url.Values{"csrf": {servertest.CSRF(t, page)}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a supervisor recorded a run: %d", resp.StatusCode)
	}
}

func TestMergeMovesDocuments(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	ctx := asSystem(t)
	res, _ := env.App.Documents.Search(ctx, document.Query{SiteID: siteID(t, env, "phuong-hoan-kiem"), Limit: 1})
	if len(res.Docs) == 0 {
		t.Skip("phuong-hoan-kiem has no documents in this demo")
	}
	d := res.Docs[0]
	hk, _ := env.App.Sites.Unit(ctx, unitCode(t, env, "phuong-hoan-kiem"))
	cn, _ := env.App.Sites.Unit(ctx, unitCode(t, env, "phuong-cua-nam"))
	if err := env.App.Sites.Merge(ctx, hk.Code, cn.Code, "2026-12-01"); err != nil {
		t.Fatal(err)
	}
	c := env.Client()
	resp, _ := servertest.Get(t, c, env.URL("phuong-hoan-kiem", d.Path()))
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != env.URL("phuong-cua-nam", d.Path()) {
		t.Fatalf("old document URL: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := servertest.Get(t, c, env.URL("phuong-cua-nam", d.Path()))
	if resp.StatusCode != 200 || !strings.Contains(body, d.Number) {
		t.Errorf("the document did not move: %d", resp.StatusCode)
	}
}

func siteID(t *testing.T, env *servertest.Env, code string) int64 {
	st, err := env.App.Sites.Site(t.Context(), code)
	if err != nil {
		t.Fatal(err)
	}
	return st.ID
}

func unitCode(t *testing.T, env *servertest.Env, code string) string {
	st, err := env.App.Sites.Site(t.Context(), code)
	if err != nil {
		t.Fatal(err)
	}
	u, ok := env.App.Web.Directory().Unit(st.UnitID)
	if !ok {
		t.Fatal("no unit")
	}
	return u.Code
}

func TestDocumentsAPI(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	resp, body := servertest.Get(t, c, env.URL("", "/api/v1/documents?q="+url.QueryEscape("42/2022/ND-CP")))
	if resp.StatusCode != 200 || !strings.Contains(body, `"number":"42/2022/NĐ-CP"`) || !strings.Contains(body, `"by_number":true`) {
		t.Errorf("search: %d %.300s", resp.StatusCode, body)
	}
	resp, body = servertest.Get(t, c, env.URL("", "/api/v1/documents?type=khong-co"))
	if resp.StatusCode != 400 {
		t.Errorf("unknown type: %d %s", resp.StatusCode, body)
	}
	resp, _ = servertest.Get(t, c, env.URL("", "/api/v1/compliance"))
	if resp.StatusCode != 401 {
		t.Errorf("compliance without a token: %d", resp.StatusCode)
	}
	tok, _, err := env.App.Staff.CreateToken(asSystem(t), "giamsat@hanoi.gov.vn", "test")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", env.URL("", "/api/v1/compliance?site=so-tu-phap"), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, body = servertest.Do(t, c, req)
	if resp.StatusCode != 200 || !strings.Contains(body, `"ok":false`) || !strings.Contains(body, `"rule":"emc"`) {
		t.Errorf("compliance: %d %.300s", resp.StatusCode, body)
	}
}

// "Danh mục thông tin phải được công khai" is made from the rule pack for
// the site's kind and from what the site publishes: a row per section,
// with where, how, when and for how long, and the count the audit sees.
func TestDisclosureListFollowsThePackAndTheSite(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	ctx := asSystem(t)
	c := env.Client()
	st, _ := env.App.Sites.Site(ctx, "phuong-ba-dinh")
	d := env.App.Web.Directory()
	u, _ := d.Unit(st.UnitID)
	facts, err := env.App.Compliance.SiteFacts(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, f := range facts {
		count[f.Check] = f.Count
	}
	resp, body := servertest.Get(t, c, env.URL("phuong-ba-dinh", "/danh-muc-cong-khai"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	rows := 0
	for _, sec := range env.App.Compliance.Rules().For(rulepack.KindOf(st, u)) {
		if sec.Check == "emc" || sec.Check == "disclosure_list" {
			continue
		}
		rows++
		i := strings.Index(body, "<th scope=\"row\">"+html.EscapeString(sec.Name)+"</th>")
		if i < 0 {
			t.Errorf("no row for %q", sec.Name)
			continue
		}
		row := body[i : i+strings.Index(body[i:], "</tr>")]
		for _, want := range []string{sec.How, sec.When, sec.Duration} {
			if !strings.Contains(row, html.EscapeString(want)) {
				t.Errorf("row %q lacks %q", sec.Name, want)
			}
		}
		if n := count[sec.Check]; n > 0 && !strings.Contains(row, strconv.Itoa(n%1000)) {
			t.Errorf("row %q does not show its %d items: %s", sec.Name, n, row)
		}
	}
	if got := strings.Count(body, `<th scope="row">`); got != rows {
		t.Errorf("%d rows, the pack has %d sections for a ward", got, rows)
	}
	// A pack with one more section for wards: the list follows it.
	pack := rulepack.DefaultText() + "\n[section bao-cao-tai-nguyen]\nname = Báo cáo hiện trạng tài nguyên đất\nname_en = Land resources report\nkinds = ward, commune\ncheck = page:bao-cao-tai-nguyen\npath = /bao-cao-tai-nguyen\nhow = Đăng toàn văn báo cáo\nwhen = Hằng năm\nduration = 05 năm\nlaw = Luật Đất đai 2024\n"
	p, err := rulepack.Parse("test", strings.NewReader(pack))
	if err != nil {
		t.Fatal(err)
	}
	env.App.SetRules(p)
	if _, body := servertest.Get(t, c, env.URL("phuong-ba-dinh", "/danh-muc-cong-khai")); !strings.Contains(body, "Báo cáo hiện trạng tài nguyên đất") {
		t.Error("the list does not follow the rule pack")
	}
}

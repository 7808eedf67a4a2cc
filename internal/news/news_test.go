package news_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

func sys() context.Context { return access.With(context.Background(), access.System("test", "cli")) }

// newest returns the newest published article of a site.
func newest(t *testing.T, env *servertest.Env, code string) *content.Listed {
	t.Helper()
	st, err := env.App.Sites.Site(sys(), code)
	if err != nil {
		t.Fatal(err)
	}
	items, _, err := env.App.Content.List(context.Background(), content.ListQuery{SiteID: st.ID, Kinds: []content.Kind{content.KindArticle}, PerPage: 50})
	if err != nil || len(items) == 0 {
		t.Fatalf("no article on %s: %v", code, err)
	}
	for _, it := range items {
		if it.FromSiteID == 0 {
			return it
		}
	}
	t.Fatalf("no own article on %s", code)
	return nil
}

var jsonLD = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

func TestArticlePage(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	a := newest(t, env, "hanoi")
	resp, body := servertest.Get(t, c, env.URL("", a.Path))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"<h1 class=\"tieu-de-trang\">" + a.Title, `<p class="sapo">`, `property="og:title"`, `property="og:image"`, `rel="canonical" href="http://hanoi.localhost` + env.Port + a.Path,
		`href="` + a.Path + `/in"`, `href="` + a.Path + `/luu"`, "facebook.com/sharer", "Tin liên quan", `srcset="/media/`, `hreflang="vi"`} {
		if !strings.Contains(body, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	m := jsonLD.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("JSON-LD: %v\n%s", err, m[1])
	}
	if ld["@type"] != "NewsArticle" || ld["headline"] != a.Title || ld["datePublished"] == "" {
		t.Errorf("JSON-LD: %v", ld)
	}
	resp, body = servertest.Get(t, c, env.URL("", a.Path+"/in"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "/static/js/in.") || !strings.Contains(body, `name="robots" content="noindex"`) {
		t.Errorf("print view: %d", resp.StatusCode)
	}
	resp, body = servertest.Get(t, c, env.URL("", a.Path+"/luu"))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="`+a.Slug+`.html"`) || !strings.Contains(body, a.Title) {
		t.Errorf("save: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	if resp, _ := servertest.Get(t, c, env.URL("", "/tin-tuc/khong-co-bai-nay")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("missing article: %d", resp.StatusCode)
	}
}

func TestSyndicatedArticleNamesItsOrigin(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	city, _ := env.App.Sites.Site(sys(), "hanoi")
	items, _, err := env.App.Content.List(context.Background(), content.ListQuery{SiteID: city.ID, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	var syn *content.Listed
	for _, it := range items {
		if it.FromSiteID != 0 {
			syn = it
			break
		}
	}
	if syn == nil {
		t.Fatal("no syndicated article on the city portal")
	}
	_, body := servertest.Get(t, c, env.URL("", syn.Path))
	orig := "http://phuong-ba-dinh.hanoi.localhost" + env.Port + syn.Article.Path()
	if !strings.Contains(body, `<link rel="canonical" href="`+orig+`">`) || !strings.Contains(body, "Bài viết của Phường Ba Đình") {
		t.Errorf("the copy does not point at its original %s", orig)
	}
	_, body = servertest.Get(t, c, env.URL("", "/tin-tuc"))
	if !strings.Contains(body, "Nguồn: Phường Ba Đình") {
		t.Errorf("the list does not name the source")
	}
	// An edit or a withdrawal of the original reaches the city's cached copy
	// and its list at once.
	for _, u := range []string{env.URL("", syn.Path), env.URL("", "/tin-tuc")} {
		if resp, _ := servertest.Get(t, c, u); resp.Header.Get("X-Cache") != "hit" {
			t.Fatalf("%s not cached", u)
		}
	}
	o := syn.Article
	in := content.Input{Kind: o.Kind, CategoryID: o.CategoryID, Title: o.Title + " (cập nhật)", Summary: o.Summary, Body: o.Body,
		CoverID: o.CoverID, Author: o.Author, Source: o.Source, Tags: o.Tags, Slug: o.Slug, MediaIDs: o.MediaIDs}
	edited, err := env.App.Content.Save(sys(), o.ID, o.Version, in, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{env.URL("", syn.Path), env.URL("", "/tin-tuc")} {
		if _, body := servertest.Get(t, c, u); !strings.Contains(body, html.EscapeString(in.Title)) {
			t.Errorf("%s does not show the edited title", u)
		}
	}
	if _, err := env.App.Content.Unpublish(sys(), o.ID, edited.Version, "Thông tin đã cũ"); err != nil {
		t.Fatal(err)
	}
	if resp, _ := servertest.Get(t, c, env.URL("", syn.Path)); resp.StatusCode == http.StatusOK {
		t.Errorf("the city's copy of a withdrawn article still answers 200")
	}
	if _, body := servertest.Get(t, c, env.URL("", "/tin-tuc")); strings.Contains(body, html.EscapeString(in.Title)) {
		t.Errorf("the city's list still shows a withdrawn article")
	}
	// A ward shows the city's pushed notice.
	_, body = servertest.Get(t, c, env.URL("xa-soc-son", "/"))
	if !strings.Contains(body, "Nguồn: Thành phố Hà Nội") {
		t.Errorf("the commune's home lacks the city's notice")
	}
}

func TestTranslationsAndLanguageSwitch(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	city, _ := env.App.Sites.Site(sys(), "hanoi")
	en, _, err := env.App.Content.List(context.Background(), content.ListQuery{SiteID: city.ID, Lang: "en", Kinds: []content.Kind{content.KindArticle}, PerPage: 30})
	if err != nil || len(en) == 0 {
		t.Fatalf("no English articles: %v", err)
	}
	a := en[0]
	resp, body := servertest.Get(t, c, env.URL("", "/en"+a.Path))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<html lang="en"`) || !strings.Contains(body, a.Title) {
		t.Fatalf("English article: %d", resp.StatusCode)
	}
	for _, want := range []string{`hreflang="vi" href="` + a.Path + `"`, `hreflang="en" href="/en` + a.Path + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	_, body = servertest.Get(t, c, env.URL("", a.Path))
	if !strings.Contains(body, `<a href="/en`+a.Path+`" hreflang="en"`) {
		t.Errorf("the language switch does not lead to the translation")
	}
	// An article without a translation: the switch leads to the English home.
	vi := newest(t, env, "phuong-ba-dinh")
	_, body = servertest.Get(t, c, env.URL("phuong-ba-dinh", vi.Path))
	if !strings.Contains(body, `<a href="/en/" hreflang="en"`) || strings.Contains(body, `hreflang="en" href="/en`+vi.Path) {
		t.Errorf("untranslated article's switch")
	}
	// Some translations are outdated in the demo, and say so.
	outdated := 0
	for _, it := range en {
		if _, body := servertest.Get(t, c, env.URL("", "/en"+it.Path)); strings.Contains(body, "updated after this translation") {
			outdated++
		}
	}
	if outdated == 0 {
		t.Errorf("no outdated translation flagged")
	}
}

type atom struct {
	Title   string `xml:"title"`
	Entries []struct {
		Title string `xml:"title"`
		ID    string `xml:"id"`
	} `xml:"entry"`
}

type rss struct {
	Channel struct {
		Items []struct {
			Title string `xml:"title"`
			Link  string `xml:"link"`
		} `xml:"item"`
	} `xml:"channel"`
}

type urlset struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

func TestFeedsAndSitemap(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	get := func(path string, v any) {
		t.Helper()
		resp, body := servertest.Get(t, c, env.URL("", path))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		if err := xml.Unmarshal([]byte(body), v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	var a atom
	get("/feed.atom", &a)
	if len(a.Entries) != 20 || !strings.HasPrefix(a.Entries[0].ID, "http://hanoi.localhost") {
		t.Errorf("atom: %d entries, %+v", len(a.Entries), a.Entries[:1])
	}
	var r rss
	get("/rss.xml", &r)
	if len(r.Channel.Items) != 20 {
		t.Errorf("rss: %d items", len(r.Channel.Items))
	}
	var ca atom
	get("/chuyen-muc/kinh-te/feed.atom", &ca)
	if len(ca.Entries) == 0 || !strings.Contains(ca.Title, "Kinh tế") {
		t.Errorf("category feed: %+v", ca.Title)
	}
	get("/chuyen-muc/kinh-te/rss.xml", &r)
	var sm urlset
	get("/sitemap.xml", &sm)
	if len(sm.URLs) < 300 {
		t.Fatalf("sitemap has %d URLs", len(sm.URLs))
	}
	en, withMod := 0, 0
	for _, u := range sm.URLs {
		if strings.Contains(u.Loc, "/en/") {
			en++
		}
		if _, err := time.Parse(time.RFC3339, u.LastMod); err == nil {
			withMod++
		}
	}
	if en == 0 || withMod < len(sm.URLs)/2 {
		t.Errorf("sitemap: %d English URLs, %d with lastmod of %d", en, withMod, len(sm.URLs))
	}
}

// TestCacheIsInvalidatedExactly publishes, edits and unpublishes an article
// and expects every page that shows it to change at once, while pages that
// do not show it stay cached.
func TestCacheIsInvalidatedExactly(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	ctx := sys()
	ward, _ := env.App.Sites.Site(ctx, "phuong-ba-dinh")
	cats, _ := env.App.Content.Categories(ctx, ward.ID)
	pages := []string{"/", "/tin-tuc", "/chuyen-muc/" + cats[0].Slug, "/feed.atom", "/rss.xml", "/sitemap.xml"}
	other := env.URL("so-y-te", "/tin-tuc")
	warm := func() {
		for _, p := range append(pages, "") {
			u := env.URL("phuong-ba-dinh", p)
			if p == "" {
				u = other
			}
			servertest.Get(t, c, u)
			if resp, _ := servertest.Get(t, c, u); resp.Header.Get("X-Cache") != "hit" {
				t.Errorf("%s not served from the cache", u)
			}
		}
	}
	warm()
	a, err := env.App.Content.Create(ctx, ward.ID, content.Input{Title: "Phường Ba Đình khánh thành nhà văn hóa tổ dân phố số 7", Body: "<p>Nội dung</p>", CategoryID: cats[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if a, err = env.App.Content.Approve(ctx, a.ID, a.Version, time.Time{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		resp, body := servertest.Get(t, c, env.URL("phuong-ba-dinh", p))
		if resp.Header.Get("X-Cache") == "hit" || !strings.Contains(body, a.Title) && !strings.Contains(body, a.Slug) {
			t.Errorf("%s does not show the new article after publication", p)
		}
	}
	if resp, _ := servertest.Get(t, c, other); resp.Header.Get("X-Cache") != "hit" {
		t.Errorf("another site's list was invalidated too")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("publication visible after %v", d)
	}
	// ETag and gzip on the cached copy.
	resp, _ := servertest.Get(t, c, env.URL("phuong-ba-dinh", a.Path()))
	etag := resp.Header.Get("Etag")
	req, _ := http.NewRequest("GET", env.URL("phuong-ba-dinh", a.Path()), nil)
	req.Header.Set("If-None-Match", etag)
	if resp, _ := servertest.Do(t, c, req); resp.StatusCode != http.StatusNotModified || etag == "" {
		t.Errorf("conditional GET: %d (ETag %q)", resp.StatusCode, etag)
	}
	req, _ = http.NewRequest("GET", env.URL("phuong-ba-dinh", a.Path()), nil)
	req.Header.Set("If-Modified-Since", resp.Header.Get("Last-Modified"))
	if resp, _ := servertest.Do(t, c, req); resp.StatusCode != http.StatusNotModified || resp.Header.Get("Last-Modified") == "" {
		t.Errorf("If-Modified-Since: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", env.URL("phuong-ba-dinh", a.Path()), nil)
	req.Header.Set("If-None-Match", `"other"`)
	req.Header.Set("If-Modified-Since", resp.Header.Get("Last-Modified"))
	if resp, _ := servertest.Do(t, c, req); resp.StatusCode != http.StatusOK {
		t.Errorf("a stale ETag with a matching date: %d, want 200 (the ETag decides)", resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", env.URL("phuong-ba-dinh", a.Path()), nil)
	req.Header.Set("Accept-Encoding", "gzip")
	gz, err := (&http.Transport{DisableCompression: true, DialContext: c.Transport.(*http.Transport).DialContext}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil || gz.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip: %v %q", err, gz.Header.Get("Content-Encoding"))
	}
	if b, _ := io.ReadAll(zr); !strings.Contains(string(b), a.Title) {
		t.Errorf("gzipped page lacks the title")
	}
	gz.Body.Close()
	// An edit shows at once on the article and in the lists.
	warm()
	a, err = env.App.Content.Save(ctx, a.ID, a.Version, content.Input{Title: "Khánh thành nhà văn hóa tổ dân phố số 7 (cập nhật)", Body: "<p>Nội dung mới</p>", CategoryID: cats[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, body := servertest.Get(t, c, env.URL("phuong-ba-dinh", a.Path())); !strings.Contains(body, "(cập nhật)") || !strings.Contains(body, "Nội dung mới") {
		t.Errorf("edit not visible on the article")
	}
	if _, body := servertest.Get(t, c, env.URL("phuong-ba-dinh", "/tin-tuc")); !strings.Contains(body, "(cập nhật)") {
		t.Errorf("edit not visible in the list")
	}
	// Unpublished: the URL says why, the lists forget it.
	if _, err = env.App.Content.Unpublish(ctx, a.ID, a.Version, "Thông tin chưa chính xác"); err != nil {
		t.Fatal(err)
	}
	resp, body := servertest.Get(t, c, env.URL("phuong-ba-dinh", a.Path()))
	if resp.StatusCode != http.StatusGone || !strings.Contains(body, "Thông tin chưa chính xác") {
		t.Errorf("withdrawn article: %d", resp.StatusCode)
	}
	for _, p := range pages[:5] {
		if _, body := servertest.Get(t, c, env.URL("phuong-ba-dinh", p)); strings.Contains(body, "(cập nhật)") {
			t.Errorf("%s still lists the withdrawn article", p)
		}
	}
}

func TestPublicPagesOfTheSite(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	for _, tt := range []struct{ path, want string }{
		{"/gioi-thieu/", "Chức năng, nhiệm vụ"},
		{"/gioi-thieu/lanh-dao", "Phó Chủ tịch"},
		{"/gioi-thieu/co-cau-to-chuc", "Sơ đồ tổ chức"},
		{"/en/gioi-thieu/co-cau-to-chuc", "Organisation chart"},
		{"/lich-cong-tac", "Giao ban công tác tuần"},
		{"/lich-cong-tac?tuan=2020-01-06", "Chưa có lịch công tác"},
		{"/lien-ket-website", "Cổng Dịch vụ công quốc gia"},
		{"/da-phuong-tien", "Phóng sự ảnh"},
		{"/da-phuong-tien?loai=anh", "Phóng sự ảnh"},
		{"/tin-tuc?trang=2", "Trang trước"},
	} {
		resp, body := servertest.Get(t, c, env.URL("", tt.path))
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d, want %q", tt.path, resp.StatusCode, tt.want)
		}
	}
	for _, p := range []string{"/tin-tuc?trang=0", "/tin-tuc?trang=abc", "/tin-tuc?trang=99999", "/lich-cong-tac?tuan=x", "/chuyen-muc/khong-co", "/da-phuong-tien?loai=x",
		"/media/../cong.db", "/media/2026/11/x.html", "/sitemap/1.xml"} {
		if resp, _ := servertest.Get(t, c, env.URL("", p)); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMovedPermanently {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
}

// A video carries its captions track and its transcript, an audio clip its
// transcript; the files themselves are served with their types.
func TestVideoAndAudioPages(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	attr := func(body, tag, name string) string {
		m := regexp.MustCompile(`<` + tag + `[^>]*\s` + name + `="([^"]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no <%s %s> in the page", tag, name)
		}
		return html.UnescapeString(m[1])
	}
	file := func(path, ctype, prefix string) {
		resp, body := servertest.Get(t, c, env.URL("", path))
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) || !strings.HasPrefix(body, prefix) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	for _, tt := range []struct{ list, title, tag, ctype, prefix, transcript string }{
		{"video", "Video: Phố phường Hà Nội đầu đông", "video", "video/webm", "\x1a\x45\xdf\xa3", "Hà Nội, một sáng đầu đông"},
		{"audio", "Bản tin phát thanh: Nộp hồ sơ trực tuyến", "audio", "audio/wav", "RIFF", "tra cứu và nộp hồ sơ thủ tục hành chính trực tuyến"},
	} {
		_, list := servertest.Get(t, c, env.URL("", "/da-phuong-tien?loai="+tt.list))
		i := strings.Index(list, tt.title)
		if i < 0 {
			t.Fatalf("/da-phuong-tien?loai=%s does not list %q", tt.list, tt.title)
		}
		href := list[strings.LastIndex(list[:i], `href="`)+6:]
		href = href[:strings.Index(href, `"`)]
		resp, page := servertest.Get(t, c, env.URL("", href))
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<`+tt.tag+` controls`) ||
			!strings.Contains(page, `<details class="ban-ghi">`) || !strings.Contains(page, tt.transcript) {
			t.Fatalf("%s: %d, no player or transcript", href, resp.StatusCode)
		}
		file(attr(page, tt.tag, "src"), tt.ctype, tt.prefix)
		if tt.tag == "video" {
			if !strings.Contains(page, `<track kind="captions" srclang="vi"`) {
				t.Error("the video has no captions track")
			}
			file(attr(page, "track", "src"), "text/vtt", "WEBVTT")
		}
	}
}

// A category's page lists its subcategories' items too, links to them, and
// is refreshed when one of them publishes.
func TestNestedCategories(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	ctx := sys()
	city, _ := env.App.Sites.Site(ctx, "hanoi")
	cats, err := env.App.Content.Categories(ctx, city.ID)
	if err != nil {
		t.Fatal(err)
	}
	var parent, child, other *content.Category
	for _, x := range cats {
		if x.ParentID != 0 && child == nil {
			child = x
		}
	}
	if child == nil {
		t.Fatal("the demo's city portal has no subcategory")
	}
	for _, x := range cats {
		switch {
		case x.ID == child.ParentID:
			parent = x
		case x.ParentID == 0 && x.ID != child.ParentID && other == nil:
			other = x
		}
	}
	servertest.Get(t, c, env.URL("", "/chuyen-muc/"+parent.Slug)) // cached now
	a, err := env.App.Content.Create(ctx, city.ID, content.Input{Title: "Tin trong chuyên mục con: lễ hội mùa thu", Body: "<p>Nội dung</p>", CategoryID: child.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Content.Approve(ctx, a.ID, a.Version, time.Time{}); err != nil {
		t.Fatal(err)
	}
	_, body := servertest.Get(t, c, env.URL("", "/chuyen-muc/"+parent.Slug))
	if !strings.Contains(body, html.EscapeString(a.Title)) {
		t.Errorf("the parent category %s does not list its subcategory's new item", parent.Slug)
	}
	if !strings.Contains(body, `/chuyen-muc/`+child.Slug+`"`) {
		t.Errorf("the parent category does not link to its subcategory %s", child.Slug)
	}
	if _, body := servertest.Get(t, c, env.URL("", "/chuyen-muc/"+child.Slug)); !strings.Contains(body, html.EscapeString(a.Title)) {
		t.Errorf("the subcategory does not list its item")
	}
	if other != nil {
		if _, body := servertest.Get(t, c, env.URL("", "/chuyen-muc/"+other.Slug)); strings.Contains(body, html.EscapeString(a.Title)) {
			t.Errorf("another category %s lists the item", other.Slug)
		}
	}
}

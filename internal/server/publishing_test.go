package server_test

import (
	"bytes"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/jobs"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/staff"
)

// publishingForms are valid forms for the publishing routes of the
// permission walk. Routes whose {id} must name something of the site get a
// "_path" of their own.
func publishingForms(env *servertest.Env, t *testing.T) map[string]url.Values {
	ctx := asSystem(t)
	cn, err := env.App.Sites.Site(ctx, "phuong-cua-nam")
	if err != nil {
		t.Fatal(err)
	}
	city, _ := env.App.Sites.Site(ctx, "hanoi")
	items, _, err := env.App.Content.Find(ctx, content.Filter{SiteID: cn.ID, Status: content.Published, Kind: content.KindArticle, Lang: "vi", PerPage: 20})
	if err != nil || len(items) < 6 {
		t.Fatalf("Phường Cửa Nam has %d published articles: %v", len(items), err)
	}
	id := func(i int) string { return strconv.FormatInt(items[i].ID, 10) }
	item := func(i int, rest string) string { return "/quan-tri/trang/phuong-cua-nam/noi-dung/" + id(i) + rest }
	imgs, _, err := env.App.Media.List(ctx, media.Filter{SiteID: cn.ID, Kind: media.Image, PerPage: 1})
	if err != nil || len(imgs) == 0 {
		t.Fatalf("no image on Cửa Nam: %v", err)
	}
	props, err := env.App.Content.Proposals(ctx, city.ID, content.SynProposed)
	if err != nil || len(props) == 0 {
		t.Fatalf("no proposal waiting on the city portal: %v", err)
	}
	pushed, _, err := env.App.Content.List(ctx, content.ListQuery{SiteID: city.ID, PerPage: 1})
	if err != nil || len(pushed) == 0 {
		t.Fatal(err)
	}
	// A revision to restore (the demo's seeded items start their history at
	// their first edit).
	r, err := env.App.Content.Article(ctx, items[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Content.Save(ctx, r.ID, r.Version, content.Input{Kind: r.Kind, Title: r.Title + " (sửa)", Body: r.Body, CategoryID: r.CategoryID}, ""); err != nil {
		t.Fatal(err)
	}
	// A missed schedule on Cửa Nam to acknowledge.
	j := &jobs.Job{Kind: content.JobPublish, Ref: items[0].ID, SiteID: cn.ID, RunAt: time.Now().Add(-time.Hour), State: jobs.Pending}
	if err := env.DB.EnqueueJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	j.State, j.LateSeconds, j.Finished = jobs.Done, 3600, time.Now()
	if err := env.DB.UpdateJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	return map[string]url.Values{
		"POST /quan-tri/trang/{site}/noi-dung/hang-loat":      {"thao-tac": {"unpublish"}, "ly-do": {"Hết thời sự"}, "chon": {id(0)}},
		"POST /quan-tri/trang/{site}/noi-dung/moi":            {"title": {"Bài mới của phường"}, "body": {"Đoạn một.\n\nĐoạn hai."}},
		"POST /quan-tri/trang/{site}/noi-dung/{id}":           {"_path": {item(1, "")}, "version": {"1"}, "title": {"Tiêu đề đã sửa"}, "body": {"<p>Nội dung</p>"}, "kind": {"article"}},
		"POST /quan-tri/trang/{site}/noi-dung/{id}/chuyen":    {"_path": {item(2, "/chuyen")}, "version": {"1"}, "thao-tac": {"unpublish"}, "ly-do": {"Sai thông tin"}},
		"POST /quan-tri/trang/{site}/noi-dung/{id}/khoi-phuc": {"_path": {item(3, "/khoi-phuc")}, "version": {"2"}, "revision": {"2"}},
		"POST /quan-tri/trang/{site}/noi-dung/{id}/de-xuat":   {"_path": {item(4, "/de-xuat")}, "to": {strconv.FormatInt(city.ID, 10)}, "note": {"Đề nghị đăng"}},
		"POST /quan-tri/trang/{site}/noi-dung/{id}/gui-xuong": {"_path": {"/quan-tri/trang/hanoi/noi-dung/" + strconv.FormatInt(pushed[0].ID, 10) + "/gui-xuong"}},
		"POST /quan-tri/trang/{site}/de-xuat/{id}":            {"_path": {"/quan-tri/trang/hanoi/de-xuat/" + strconv.FormatInt(props[0].ID, 10)}, "quyet-dinh": {"nhan"}, "category": {"0"}},
		"POST /quan-tri/trang/{site}/lich-dang/{id}/da-xem":   {"_path": {"/quan-tri/trang/phuong-cua-nam/lich-dang/" + strconv.FormatInt(j.ID, 10) + "/da-xem"}},
		"POST /quan-tri/trang/{site}/chuyen-muc":              {"name": {"Tin tổ dân phố"}},
		"POST /quan-tri/trang/{site}/thu-vien":                {"_file": {"anh-to-dan-pho.png"}, "alt": {"Ảnh tổ dân phố"}},
		"POST /quan-tri/trang/{site}/thu-vien/{id}":           {"_path": {"/quan-tri/trang/phuong-cua-nam/thu-vien/" + strconv.FormatInt(imgs[0].ID, 10)}, "alt": {"Mô tả mới"}, "caption": {"Chú thích"}},
		"POST /quan-tri/trang/{site}/lich-cong-tac":           {"day": {"2026-12-01"}, "at": {"08:00"}, "leader": {"Chủ tịch UBND phường"}, "content": {"Tiếp công dân"}},
		"POST /quan-tri/trang/{site}/lien-ket":                {"title": {"Cổng Thông tin điện tử Chính phủ"}, "url": {"https://chinhphu.vn/"}},
		"POST /quan-tri/trang/{site}/to-chuc/lanh-dao":        {"name": {"Nguyễn Thị Hoa"}, "title": {"Chủ tịch UBND phường"}, "phone": {"024 3333 4444"}},
		"POST /quan-tri/trang/{site}/to-chuc/don-vi":          {"name": {"Văn phòng HĐND và UBND"}, "head": {"Chánh Văn phòng"}},
	}
}

// postWalkForm posts a form as a browser would; a form with "_file" goes as
// multipart with a small PNG under that name.
func postWalkForm(t *testing.T, c *http.Client, u string, f url.Values) (*http.Response, string) {
	t.Helper()
	name := f.Get("_file")
	f.Del("_path")
	if name == "" {
		return servertest.PostForm(t, c, u, f)
	}
	f.Del("_file")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range f {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	png.Encode(fw, image.NewGray(image.Rect(0, 0, 400, 300)))
	mw.Close()
	req, _ := http.NewRequest("POST", u, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	pu, _ := url.Parse(u)
	req.Header.Set("Origin", pu.Scheme+"://"+pu.Host)
	return servertest.Do(t, c, req)
}

func staffGrant(userID, siteID int64, role string) staff.Grant {
	return staff.Grant{UserID: userID, SiteID: siteID, Role: access.Role(role)}
}

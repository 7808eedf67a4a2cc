package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"time"

	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/site"
)

// demoPictures are the demo's generated images: a sky, a sun, a skyline.
var demoPictures = []struct {
	alt, caption string
	sky, ground  color.RGBA
}{
	{"Toàn cảnh phố phường Hà Nội lúc bình minh", "Phố phường Hà Nội buổi sáng.", color.RGBA{255, 183, 120, 255}, color.RGBA{120, 60, 50, 255}},
	{"Hồ nước và hàng cây ven hồ", "Không gian xanh ven hồ sau chỉnh trang.", color.RGBA{150, 200, 235, 255}, color.RGBA{40, 110, 90, 255}},
	{"Trụ sở cơ quan hành chính nhìn từ quảng trường", "Trụ sở làm việc của cơ quan.", color.RGBA{200, 220, 240, 255}, color.RGBA{160, 40, 40, 255}},
	{"Cánh đồng lúa ngoại thành vào mùa gặt", "Mùa gặt ở các xã ngoại thành.", color.RGBA{250, 225, 150, 255}, color.RGBA{140, 150, 40, 255}},
	{"Tuyến phố về đêm với đèn chiếu sáng mới", "Tuyến phố sau khi lắp đèn chiếu sáng tiết kiệm năng lượng.", color.RGBA{30, 40, 90, 255}, color.RGBA{60, 60, 70, 255}},
	{"Người dân làm thủ tục tại Bộ phận Một cửa", "Cán bộ hướng dẫn người dân làm thủ tục hành chính.", color.RGBA{235, 235, 225, 255}, color.RGBA{30, 90, 150, 255}},
}

// demoImages draws the pictures once, writes them and their 320 and 640
// pixel copies to the media directory, and returns them as items to copy
// onto every site.
func demoImages(m *media.Service) ([]*media.Item, error) {
	const w, h = 640, 360
	var out []*media.Item
	for i, p := range demoPictures {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		horizon := h * 2 / 3
		for y := range h {
			var c color.RGBA
			if y < horizon {
				t := y * 255 / horizon
				c = color.RGBA{uint8(int(p.sky.R) * (255 - t/3) / 255), uint8(int(p.sky.G) * (255 - t/3) / 255), uint8(int(p.sky.B) * (255 - t/4) / 255), 255}
			} else {
				c = p.ground
			}
			row := img.Pix[y*img.Stride : y*img.Stride+w*4]
			for x := range w {
				row[x*4], row[x*4+1], row[x*4+2], row[x*4+3] = c.R, c.G, c.B, 255
			}
		}
		// The sun, then buildings of varied heights on the horizon.
		cx, cy, r := 120+i*80, 96, 40
		for y := cy - r; y <= cy+r; y++ {
			for x := cx - r; x <= cx+r; x++ {
				if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r && x >= 0 && x < w {
					img.SetRGBA(x, y, color.RGBA{255, 214, 102, 255})
				}
			}
		}
		for b := range 14 {
			bw, bh := 40+(b*37+i*13)%45, 40+(b*53+i*29)%150
			x0 := b*46 + (i*17)%30
			for y := horizon - bh; y < horizon; y++ {
				for x := x0; x < x0+bw && x < w; x++ {
					shade := uint8(60 + (b*23)%70)
					if (y/12+x/10)%3 == 0 && y > horizon-bh+8 {
						img.SetRGBA(x, y, color.RGBA{250, 230, 160, 255})
					} else {
						img.SetRGBA(x, y, color.RGBA{shade, shade, shade + 20, 255})
					}
				}
			}
		}
		name := fmt.Sprintf("anh-minh-hoa-%d.jpg", i+1)
		b, err := jpegBytes(img, 72)
		if err != nil {
			return nil, err
		}
		path, err := m.WriteGenerated(name, ".jpg", b)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		it := &media.Item{Kind: media.Image, Name: name, Path: path, MIME: "image/jpeg", Size: int64(len(b)), Width: w, Height: h,
			Alt: p.alt, Caption: p.caption, SHA256: hex.EncodeToString(sum[:])}
		for _, vw := range []int{320} {
			small := image.NewRGBA(image.Rect(0, 0, vw, vw*h/w))
			for y := range small.Rect.Dy() {
				for x := range vw {
					small.SetRGBA(x, y, img.RGBAAt(x*w/vw, y*w/vw))
				}
			}
			sb, err := jpegBytes(small, 70)
			if err != nil {
				return nil, err
			}
			if err := m.WriteVariant(path, vw, sb); err != nil {
				return nil, err
			}
			it.Variants = append(it.Variants, vw)
		}
		out = append(out, it)
	}
	return out, nil
}

func jpegBytes(img image.Image, q int) ([]byte, error) {
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q})
	return buf.Bytes(), err
}

// demoSyndication: Phường Ba Đình's latest articles offered to the city
// (three accepted, two waiting), and a city notice pushed to every commune
// and ward.
func demoSyndication(ctx context.Context, svc *server.Services, d *site.Directory, items []*demoArticle, badinh *site.Site, now time.Time) error {
	if badinh == nil {
		return nil
	}
	cityCats, err := svc.DB.Categories(ctx, d.City.ID)
	if err != nil {
		return err
	}
	// A copy's slug must be free on the site it is shown on.
	taken := map[int64]map[string]bool{}
	for _, it := range items {
		if taken[it.a.SiteID] == nil {
			taken[it.a.SiteID] = map[string]bool{}
		}
		taken[it.a.SiteID][it.a.Slug] = true
	}
	free := func(siteID int64, slug string) string {
		s := slug
		for n := 2; taken[siteID][s]; n++ {
			s = fmt.Sprintf("%s-%d", slug, n)
		}
		if taken[siteID] == nil {
			taken[siteID] = map[string]bool{}
		}
		taken[siteID][s] = true
		return s
	}
	n := 0
	for _, it := range items {
		a := it.a
		if a.SiteID != badinh.ID || a.Status != content.Published || a.Kind != content.KindArticle || a.Lang != "vi" {
			continue
		}
		x := &content.Syndication{ArticleID: a.ID, FromSiteID: badinh.ID, ToSiteID: d.City.ID, Kind: content.SynProposal,
			Status: content.SynProposed, Note: "Đề nghị Ban Biên tập Cổng Thành phố xem xét đăng tải.", ProposedBy: "bientap.badinh", Created: now.Add(-time.Hour)}
		if n < 3 {
			x.Status, x.Slug, x.DecidedBy, x.Decided = content.SynAccepted, free(d.City.ID, a.Slug), "tongbientap@hanoi.gov.vn", now.Add(-30*time.Minute)
			x.CategoryID = cityCats[0].ID
		}
		if err := svc.DB.CreateSyndication(ctx, x); err != nil {
			return err
		}
		if n++; n == 5 {
			break
		}
	}
	// The newest city announcement goes to every commune and ward.
	for _, it := range items {
		a := it.a
		if a.SiteID != d.City.ID || a.Status != content.Published || a.Kind != content.KindArticle || a.Lang != "vi" {
			continue
		}
		var rows [][]any
		for _, st := range d.Sites {
			u, ok := d.Unit(st.UnitID)
			if st.Status != site.Active || st.Kind != site.Portal || !ok || u.Kind != site.Ward && u.Kind != site.Commune {
				continue
			}
			rows = append(rows, []any{a.ID, d.City.ID, st.ID, content.SynPush, content.SynAccepted, free(st.ID, a.Slug), "", "", "tongbientap@hanoi.gov.vn", "tongbientap@hanoi.gov.vn", now, now})
		}
		return svc.DB.InsertMany(ctx, "syndications", []string{"article_id", "from_site_id", "to_site_id", "kind", "status", "slug", "note", "reason",
			"proposed_by", "decided_by", "created_at", "decided_at"}, rows)
	}
	return nil
}

var demoLinks = []struct{ title, url string }{
	{"Cổng Thông tin điện tử Chính phủ", "https://chinhphu.vn/"},
	{"Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/"},
	{"Cơ sở dữ liệu quốc gia về văn bản pháp luật", "https://vbpl.vn/"},
	{"Cổng Thông tin điện tử Quốc hội", "https://quochoi.vn/"},
	{"Báo Hànộimới", "https://hanoimoi.vn/"},
	{"Hệ thống thông tin giải quyết thủ tục hành chính Thành phố Hà Nội", "https://dichvucong.hanoi.gov.vn/"},
}

var demoLeaders = []struct{ name, title, titleEn, duties string }{
	{"Nguyễn Văn An", "Chủ tịch", "Chairman", "Lãnh đạo, điều hành chung mọi hoạt động; phụ trách công tác tổ chức cán bộ, tài chính."},
	{"Trần Thị Bình", "Phó Chủ tịch", "Vice Chairwoman", "Phụ trách lĩnh vực văn hóa - xã hội, giáo dục, y tế."},
	{"Lê Minh Cường", "Phó Chủ tịch", "Vice Chairman", "Phụ trách lĩnh vực kinh tế, đô thị, tài nguyên và môi trường."},
}

var demoDivisions = []string{"Văn phòng", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Trung tâm Phục vụ hành chính công"}

// demoExtras: links on every site; leaders, an org chart and the work
// schedule on the city portal, the agencies and Phường Ba Đình.
func demoExtras(ctx context.Context, svc *server.Services, d *site.Directory, sites []*site.Site, covers map[int64][]int64, now time.Time) error {
	var links, leaders, orgs, sched [][]any
	vn := time.FixedZone("ICT", 7*3600)
	monday := now.In(vn)
	monday = time.Date(monday.Year(), monday.Month(), monday.Day()-(int(monday.Weekday())+6)%7, 0, 0, 0, 0, vn)
	for _, st := range sites {
		for i, l := range demoLinks {
			links = append(links, []any{st.ID, l.title, l.url, i, now})
		}
		u, _ := d.Unit(st.UnitID)
		if st.ID != d.City.ID && st.Code != "phuong-ba-dinh" && (u == nil || u.Kind != site.Agency) {
			continue
		}
		for i, l := range demoLeaders {
			leaders = append(leaders, []any{st.ID, l.name, l.title, l.titleEn, covers[st.ID][5], fmt.Sprintf("024 3825 %04d", 1000+i), fmt.Sprintf("lanhdao%d.%s@hanoi.gov.vn", i+1, st.Code), l.duties, i, now})
		}
		for i, name := range demoDivisions {
			orgs = append(orgs, []any{st.ID, name, "", fmt.Sprintf("Trưởng phòng: %s", demoLeaders[i%3].name), "024 3825 0000", i})
		}
		for day := range 10 {
			dd := monday.AddDate(0, 0, day)
			if dd.Weekday() == time.Sunday || dd.Weekday() == time.Saturday {
				continue
			}
			l := demoLeaders[day%3]
			sched = append(sched, []any{st.ID, dd.Format(time.DateOnly), "08:00", l.title + " " + l.name, "Giao ban công tác tuần, nghe báo cáo tình hình thực hiện nhiệm vụ", "Phòng họp tầng 2", "Lãnh đạo các phòng, ban", now, now},
				[]any{st.ID, dd.Format(time.DateOnly), "14:00", demoLeaders[(day+1)%3].title + " " + demoLeaders[(day+1)%3].name, "Tiếp công dân định kỳ", "Trụ sở tiếp công dân", "", now, now})
		}
	}
	if err := svc.DB.InsertMany(ctx, "web_links", []string{"site_id", "title", "url", "position", "created_at"}, links); err != nil {
		return err
	}
	if err := svc.DB.InsertMany(ctx, "leaders", []string{"site_id", "name", "title", "title_en", "photo_id", "phone", "email", "duties", "position", "updated_at"}, leaders); err != nil {
		return err
	}
	if err := svc.DB.InsertMany(ctx, "org_units", []string{"site_id", "name", "name_en", "head", "phone", "position"}, orgs); err != nil {
		return err
	}
	return svc.DB.InsertMany(ctx, "work_schedule", []string{"site_id", "day", "at", "leader", "content", "location", "participants", "created_at", "updated_at"}, sched)
}

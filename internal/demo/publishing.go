package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/jobs"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/vietnamese"
)

func init() { steps = append(steps, publishing) }

// The demo's publishing content: categories on every site, a little over
// 2,000 published articles with cover images spread over the city portal,
// the agencies, the communes and wards and the special sections; the
// organisation pages (with English translations on the city and agency
// portals), leaders, org charts, links to other portals and the leaders'
// work schedule; English translations of some city news; items waiting in
// the review queues, drafts, a rejected item, and scheduled ones; articles
// of Phường Ba Đình proposed to and accepted by the city portal, and a city
// notice pushed to every commune and ward.
//
// For speed (the whole demo starts in under 3 s) it writes rows in bulk
// inside the demo's transaction instead of going through the workflow one
// article at a time; the images are drawn once and shared.

// demoNow is the demo's "now", so the content is the same whatever the day
// it is built (the schedules are placed relative to the real clock).
var demoNow = func() time.Time { return time.Now().UTC().Truncate(time.Second) }

type catSpec struct {
	name, nameEn, slug string
	children           []catSpec
}

var cityCategories = []catSpec{
	{"Tin tức - Sự kiện", "News and events", "tin-tuc-su-kien", []catSpec{
		{"Hoạt động lãnh đạo Thành phố", "City leaders' activities", "hoat-dong-lanh-dao", nil},
		{"Kinh tế", "Economy", "kinh-te", nil},
		{"Văn hóa - Xã hội", "Culture and society", "van-hoa-xa-hoi", nil},
		{"Đô thị - Giao thông", "Urban affairs and transport", "do-thi-giao-thong", nil},
	}},
	{"Chỉ đạo - Điều hành", "Direction and administration", "chi-dao-dieu-hanh", nil},
	{"Thông báo", "Announcements", "thong-bao", nil},
	{"Chuyển đổi số", "Digital transformation", "chuyen-doi-so", nil},
}

var unitCategories = []catSpec{
	{"Tin hoạt động", "Activities", "tin-hoat-dong", nil},
	{"Thông báo", "Announcements", "thong-bao", nil},
	{"Cải cách hành chính", "Administrative reform", "cai-cach-hanh-chinh", nil},
}

var newsTopics = []string{
	"chuyển đổi số", "cải cách hành chính", "phòng cháy chữa cháy", "xây dựng nông thôn mới", "an toàn giao thông",
	"bảo vệ môi trường", "phát triển kinh tế tư nhân", "an sinh xã hội", "giáo dục và đào tạo", "y tế cơ sở",
	"Đề án 06", "chỉnh trang đô thị", "phòng, chống thiên tai", "an toàn thực phẩm", "thu ngân sách",
	"du lịch văn hóa", "thể dục thể thao", "quản lý trật tự xây dựng", "dịch vụ công trực tuyến", "phổ biến pháp luật",
}

var actions = []string{
	"tổ chức hội nghị triển khai nhiệm vụ", "sơ kết 6 tháng thực hiện kế hoạch", "ra quân thực hiện", "kiểm tra công tác",
	"tập huấn nâng cao năng lực về", "phát động phong trào thi đua về", "tổng kết công tác", "ban hành kế hoạch",
	"đối thoại với Nhân dân về", "đẩy mạnh tuyên truyền về",
}

var sentences = []string{
	"Hội nghị có sự tham dự của đại diện lãnh đạo các phòng, ban, đơn vị và Mặt trận Tổ quốc cùng cấp.",
	"Trong thời gian qua, công tác này đã đạt được nhiều kết quả tích cực, góp phần nâng cao chất lượng phục vụ người dân và doanh nghiệp.",
	"Tuy nhiên, vẫn còn một số tồn tại, hạn chế cần được khắc phục trong thời gian tới.",
	"Phát biểu chỉ đạo, đồng chí Chủ tịch đề nghị các đơn vị bám sát kế hoạch, phân công rõ người, rõ việc, rõ thời gian hoàn thành.",
	"Các đại biểu đã thảo luận, đóng góp nhiều ý kiến tâm huyết, thiết thực.",
	"Kết quả thực hiện được đánh giá định kỳ hằng quý và công khai trên Cổng thông tin điện tử.",
	"Người dân có thể gửi phản ánh, kiến nghị qua Cổng thông tin điện tử hoặc trực tiếp tại Bộ phận Một cửa.",
	"Đến nay, 100% thủ tục hành chính đủ điều kiện đã được cung cấp dưới hình thức dịch vụ công trực tuyến toàn trình.",
	"Đơn vị sẽ tiếp tục phối hợp chặt chẽ với các sở, ngành của Thành phố để tháo gỡ khó khăn, vướng mắc.",
	"Dịp này, nhiều tập thể và cá nhân có thành tích xuất sắc đã được khen thưởng.",
	"Kế hoạch đặt mục tiêu hoàn thành trước ngày 31/12/2026, bảo đảm chất lượng, hiệu quả và tiết kiệm.",
	"Mọi thông tin chi tiết xin liên hệ Văn phòng HĐND - UBND trong giờ hành chính.",
}

var englishTitles = []string{
	"Hanoi promotes digital transformation in public services",
	"City leaders inspect flood prevention works",
	"Hanoi speeds up administrative procedure reform",
	"New measures to improve urban order and transport",
	"Hanoi launches a campaign for a cleaner environment",
}

// article rows are built in memory, then inserted in a few statements.
type demoArticle struct {
	a      content.Article
	cats   []int64 // for picking
	origin int64
}

func publishing(ctx context.Context, svc *server.Services, res *Result) error {
	db := svc.DB
	d, err := svc.Sites.Directory(ctx)
	if err != nil {
		return err
	}
	now := demoNow()
	rng := rand.New(rand.NewPCG(2026, 11))
	images, err := demoImages(svc.Media)
	if err != nil {
		return err
	}
	var sites []*site.Site
	for _, st := range d.Sites {
		if st.Status == site.Active && st.Kind != site.Data {
			sites = append(sites, st)
		}
	}

	// Media rows: every site gets the shared pictures as its own items.
	mediaIDs, err := db.NextIDs(ctx, "media", len(sites)*len(images))
	if err != nil {
		return err
	}
	covers := map[int64][]int64{}
	var pictures []*media.Item
	for i, st := range sites {
		for j, im := range images {
			m := *im
			m.ID, m.SiteID, m.Created, m.CreatedBy = mediaIDs[i*len(images)+j], st.ID, now, "demo"
			covers[st.ID] = append(covers[st.ID], m.ID)
			pictures = append(pictures, &m)
		}
	}
	if err := demoMedia(ctx, db, svc.Search, pictures); err != nil {
		return err
	}

	// Categories, with ids reserved so they go in one statement.
	count := func(specs []catSpec) int {
		n := 0
		for _, c := range specs {
			n += 1 + len(c.children)
		}
		return n
	}
	catIDs, err := db.NextIDs(ctx, "categories", count(cityCategories)+(len(sites)-1)*count(unitCategories))
	if err != nil {
		return err
	}
	cats := map[int64][]*content.Category{}
	var crows [][]any
	for _, st := range sites {
		specs := unitCategories
		if st.ID == d.City.ID {
			specs = cityCategories
		}
		var add func(specs []catSpec, parent int64)
		add = func(specs []catSpec, parent int64) {
			for i, cs := range specs {
				c := &content.Category{ID: catIDs[len(crows)], SiteID: st.ID, ParentID: parent, Slug: cs.slug, Name: cs.name, NameEn: cs.nameEn, Position: i}
				cats[st.ID] = append(cats[st.ID], c)
				crows = append(crows, []any{c.ID, c.SiteID, nullable(parent), c.Slug, c.Name, c.NameEn, "", i, now, now})
				add(cs.children, c.ID)
			}
		}
		add(specs, 0)
	}
	if err := db.InsertMany(ctx, "categories", []string{"id", "site_id", "parent_id", "slug", "name", "name_en", "description", "position",
		"created_at", "updated_at"}, crows); err != nil {
		return err
	}

	// Published articles: how many each kind of site gets.
	var items []*demoArticle
	slugs := map[string]bool{}
	newItem := func(st *site.Site, kind content.Kind, title, lang string, published time.Time, status content.Status) *demoArticle {
		slug := content.SlugFor(title)
		base := slug
		for n := 2; slugs[fmt.Sprint(st.ID, lang, slug)]; n++ {
			slug = fmt.Sprintf("%s-%d", base, n)
		}
		slugs[fmt.Sprint(st.ID, lang, slug)] = true
		it := &demoArticle{a: content.Article{SiteID: st.ID, Kind: kind, Lang: lang, Slug: slug, Title: title, Status: status,
			Published: published, ContentUpdated: published, ContentRev: 1, Version: 1, CreatedByName: "demo", Created: published, Updated: published}}
		items = append(items, it)
		return it
	}
	av, err := multimedia(ctx, db, svc.Media, svc.Search, d.City.ID, now)
	if err != nil {
		return err
	}
	flagship(d, cats, covers, av, now, newItem)
	unitName := func(st *site.Site) string {
		if u, ok := d.Unit(st.UnitID); ok {
			return u.Name
		}
		return st.Name
	}
	for _, st := range sites {
		n := 8
		u, _ := d.Unit(st.UnitID)
		switch {
		case st.ID == d.City.ID:
			n = 320
		case st.Kind == site.Section:
			n = 20
		case u != nil && u.Kind == site.Agency:
			n = 40
		}
		sc := cats[st.ID]
		for i := range n {
			topic := newsTopics[rng.IntN(len(newsTopics))]
			title := fmt.Sprintf("%s %s %s", unitName(st), actions[rng.IntN(len(actions))], topic)
			if i%5 == 0 {
				title = fmt.Sprintf("Thông báo về việc %s năm 2026", topic)
			}
			kind := content.KindArticle
			switch i % 23 {
			case 3:
				kind = content.KindGallery
			case 7:
				kind = content.KindInfographic
			case 11:
				kind = content.KindLongform
			}
			pub := now.Add(-time.Duration(i)*7*time.Hour - time.Duration(rng.IntN(3600))*time.Second)
			it := newItem(st, kind, title, "vi", pub, content.Published)
			it.a.Summary = fmt.Sprintf("Sáng nay, %s %s %s. Đây là một trong những nhiệm vụ trọng tâm của năm 2026.", unitName(st), actions[rng.IntN(len(actions))], topic)
			it.a.Body = demoBody(rng, 2+rng.IntN(3))
			it.a.CategoryID = sc[rng.IntN(len(sc))].ID
			it.a.CoverID = covers[st.ID][rng.IntN(len(covers[st.ID]))]
			it.a.Author = []string{"Minh Anh", "Thu Hà", "Quang Huy", "Ban Biên tập", "Hồng Nhung"}[rng.IntN(5)]
			it.a.Tags = []string{topic}
			if kind == content.KindGallery {
				it.a.MediaIDs = covers[st.ID][:4]
			}
		}
	}

	// Static pages of the organisation, in English on the city, the
	// agencies and the communes with English contact data.
	type pageSpec struct{ slug, title, titleEn, tmpl, body, bodyEn string }
	for _, st := range sites {
		u, _ := d.Unit(st.UnitID)
		name := unitName(st)
		pages := []pageSpec{
			{"gioi-thieu-chung", "Giới thiệu chung", "Overview", "", fmt.Sprintf("<p>%s là cơ quan hành chính nhà nước, thực hiện chức năng quản lý nhà nước trên địa bàn theo quy định của pháp luật.</p><p>Cổng thông tin điện tử là kênh cung cấp thông tin chính thức của %s.</p>", name, name),
				fmt.Sprintf("<p>%s is a state administrative body performing state management under the law.</p><p>This portal is its official information channel.</p>", st.DisplayName("en"))},
			{"chuc-nang-nhiem-vu", "Chức năng, nhiệm vụ", "Functions and duties", "", "<h2>Chức năng</h2><p>Tham mưu, giúp việc và tổ chức thực hiện nhiệm vụ quản lý nhà nước theo phân cấp.</p><h2>Nhiệm vụ, quyền hạn</h2><ul><li>Xây dựng và tổ chức thực hiện kế hoạch phát triển kinh tế - xã hội.</li><li>Giải quyết thủ tục hành chính cho người dân, doanh nghiệp.</li><li>Tiếp nhận, xử lý phản ánh, kiến nghị.</li></ul>",
				"<h2>Functions</h2><p>Advising on and carrying out state management tasks as delegated.</p><h2>Duties</h2><ul><li>Planning and implementing socio-economic development.</li><li>Handling administrative procedures for citizens and businesses.</li><li>Receiving and handling feedback and petitions.</li></ul>"},
			{"co-cau-to-chuc", "Cơ cấu tổ chức", "Organisational structure", content.TemplateOrg, "<p>Sơ đồ tổ chức bộ máy và các đơn vị trực thuộc.</p>", "<p>The organisation chart and the bodies under it.</p>"},
			{"lanh-dao", "Lãnh đạo", "Leadership", content.TemplateLeaders, "<p>Thông tin về lãnh đạo, phân công nhiệm vụ và thông tin liên hệ.</p>", "<p>The leaders, their duties and contacts.</p>"},
		}
		// Communes and wards that filled in their English contact data
		// have their organisation pages in English too.
		english := st.ID == d.City.ID || u != nil && u.Kind == site.Agency || st.Code == "phuong-ba-dinh" || st.Contact.AddressEn != ""
		for i, ps := range pages {
			p := newItem(st, content.KindPage, ps.title, "vi", now.Add(-90*24*time.Hour), content.Published)
			p.a.Slug, p.a.Template, p.a.Body, p.a.Position = ps.slug, ps.tmpl, ps.body, i
			p.a.Summary = ""
			if english {
				e := newItem(st, content.KindPage, ps.titleEn, "en", now.Add(-80*24*time.Hour), content.Published)
				e.a.Slug, e.a.Template, e.a.Body, e.a.Position = ps.slug, ps.tmpl, ps.bodyEn, i
				e.origin = int64(len(items) - 2) // index of the Vietnamese page
			}
		}
	}

	// English translations of recent city news.
	var cityNews []int
	for i, it := range items {
		if it.a.SiteID == d.City.ID && it.a.Kind == content.KindArticle && it.a.Lang == "vi" {
			cityNews = append(cityNews, i)
		}
	}
	for k, i := range cityNews[:25] {
		o := items[i]
		e := newItem(sites[0], content.KindArticle, englishTitles[k%len(englishTitles)], "en", o.a.Published.Add(2*time.Hour), content.Published)
		e.a.SiteID, e.a.Slug, e.a.CategoryID, e.a.CoverID = o.a.SiteID, o.a.Slug, o.a.CategoryID, o.a.CoverID
		e.a.Summary = "The city administration reported progress on this year's priorities."
		e.a.Body = "<p>The Hanoi People's Committee reported on the progress of the plan and set out the next steps.</p><p>Citizens can follow the work on the city portal.</p>"
		e.origin = int64(i)
		if k%6 == 5 {
			// The original was edited after this translation: flagged outdated.
			o.a.ContentRev = 2
		}
		e.a.SourceRev = 1
	}

	// The review queues, drafts, a rejected item and scheduled ones.
	badinh, _ := d.ByCode("phuong-ba-dinh")
	collab, _ := svc.Staff.UserByEmail(ctx, "ctv.badinh@hanoi.gov.vn")
	editor, _ := svc.Staff.UserByEmail(ctx, "bientap@hanoi.gov.vn")
	pending := func(st *site.Site, title string, status content.Status, by int64, name string) *demoArticle {
		it := newItem(st, content.KindArticle, title, "vi", time.Time{}, status)
		it.a.Created, it.a.Updated, it.a.ContentUpdated = now.Add(-3*time.Hour), now.Add(-time.Hour), now.Add(-time.Hour)
		it.a.Summary = "Bài viết đang trong quy trình biên tập."
		it.a.Body = demoBody(rng, 3)
		it.a.CategoryID = cats[st.ID][0].ID
		it.a.CoverID = covers[st.ID][0]
		it.a.CreatedBy, it.a.CreatedByName = by, name
		return it
	}
	var scheduled []*demoArticle
	if badinh != nil && collab != nil && editor != nil {
		for i := range 12 {
			pending(badinh, fmt.Sprintf("Phường Ba Đình: kết quả %s tháng %d", newsTopics[i], 11), content.Submitted, collab.ID, collab.Email)
			pending(d.City, fmt.Sprintf("Thành phố đẩy mạnh %s (bài chờ duyệt %d)", newsTopics[i+3], i+1), content.Submitted, editor.ID, editor.Email)
		}
		for i := range 4 {
			pending(badinh, fmt.Sprintf("Bản nháp: %s", newsTopics[i+5]), content.Draft, collab.ID, collab.Email)
		}
		r := pending(badinh, "Phường Ba Đình thông báo lịch tiếp công dân tháng 12", content.Rejected, collab.ID, collab.Email)
		r.a.Reason = "Cần bổ sung địa điểm và thời gian cụ thể."
		for i := range 10 {
			st := d.City
			if i%2 == 1 {
				st = badinh
			}
			s := pending(st, fmt.Sprintf("Hẹn giờ đăng: %s", newsTopics[(i+9)%len(newsTopics)]), content.Approved, editor.ID, editor.Email)
			s.a.PublishAt = now.Add(time.Duration(i+1) * 19 * time.Hour)
			scheduled = append(scheduled, s)
		}
	}

	// Ids, then rows.
	ids, err := db.NextIDs(ctx, "articles", len(items))
	if err != nil {
		return err
	}
	for i, it := range items {
		it.a.ID = ids[i]
	}
	var arows [][]any
	for _, it := range items {
		a := &it.a
		if it.origin != 0 || a.Lang == "en" {
			a.OriginalID = items[it.origin].a.ID
			if a.SourceRev == 0 {
				a.SourceRev = 1
			}
		}
		arows = append(arows, []any{a.ID, a.SiteID, a.Kind, a.Lang, nullable(a.OriginalID), a.SourceRev, nullable(a.CategoryID), a.Slug, a.Title,
			vietnamese.Fold(a.Title), a.Summary, a.Body, nullable(a.CoverID), a.Author, a.Source, tagString(a.Tags), a.Template,
			idString(a.MediaIDs), a.Position, a.Status, a.Reason, nullTime(a.PublishAt), nil, nullTime(a.Published),
			a.ContentRev, a.ContentUpdated, 1, a.CreatedBy, a.CreatedByName, a.Created, a.Updated})
	}
	if err := db.InsertMany(ctx, "articles", []string{"id", "site_id", "kind", "lang", "original_id", "source_rev", "category_id", "slug", "title",
		"title_fold", "summary", "body", "cover_id", "author", "source", "tags", "template", "media_ids", "position", "status", "reason",
		"publish_at", "expire_at", "published_at", "content_rev", "content_updated_at", "version", "created_by", "created_by_name",
		"created_at", "updated_at"}, arows); err != nil {
		return err
	}
	// The published items go into the search index in one batch.
	catName := map[int64]string{}
	for _, cs := range cats {
		for _, c := range cs {
			catName[c.ID] = c.Name
		}
	}
	var docs []search.Doc
	for _, it := range items {
		if it.a.Status == content.Published {
			docs = append(docs, content.SearchDoc(&it.a, catName[it.a.CategoryID]))
		}
	}
	if err := svc.Search.PutMany(ctx, docs); err != nil {
		return err
	}
	// A first revision for the items people will open first (the city
	// portal's and Phường Ba Đình's, and every item in the workflow); the
	// rest of the seeded news starts its history at its first edit, which
	// keeps the demo's first start fast.
	var revise []int64
	for _, it := range items {
		if it.a.SiteID == d.City.ID || badinh != nil && it.a.SiteID == badinh.ID || it.a.Status != content.Published {
			revise = append(revise, it.a.ID)
		}
	}
	if err := db.CopyFirstRevisions(ctx, revise); err != nil {
		return err
	}
	for _, s := range scheduled {
		if err := svc.Jobs.Enqueue(ctx, &jobs.Job{Kind: content.JobPublish, Ref: s.a.ID, SiteID: s.a.SiteID, RunAt: s.a.PublishAt}); err != nil {
			return err
		}
	}

	if err := demoSyndication(ctx, svc, d, items, badinh, now); err != nil {
		return err
	}
	if err := demoExtras(ctx, svc, d, sites, covers, now); err != nil {
		return err
	}
	published := 0
	for _, it := range items {
		if it.a.Status == content.Published && it.a.Kind != content.KindPage && it.a.Lang == "vi" {
			published++
		}
	}
	res.Articles = published
	return svc.Log.Record(ctx, "demo.publishing", 0, "demo", map[string]any{"articles": published, "items": len(items)})
}

func demoBody(rng *rand.Rand, paras int) string {
	var b strings.Builder
	for range paras {
		b.WriteString("<p>")
		for k := range 3 {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(sentences[rng.IntN(len(sentences))])
		}
		b.WriteString("</p>")
	}
	if rng.IntN(4) == 0 {
		b.WriteString("<h2>Một số kết quả nổi bật</h2><ul><li>Hoàn thành 100% chỉ tiêu đề ra.</li><li>Tỷ lệ hồ sơ giải quyết đúng hạn đạt 99,8%.</li></ul>")
	}
	return b.String()
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func tagString(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	return "," + strings.Join(tags, ",") + ","
}

func idString(ids []int64) string {
	var s []string
	for _, id := range ids {
		s = append(s, fmt.Sprint(id))
	}
	return strings.Join(s, ",")
}

// flagship adds the city portal's showcase items first, so their slugs are
// the plain ones and their ids the first (the browser checks in e2e/ open
// /tin-tuc/ha-noi-day-manh-chuyen-doi-so-trong-cac-co-quan-nha-nuoc and
// edit item 1): a news article with an English translation, a photo story,
// a long-form story, an infographic, an article withdrawn with a reason, a
// video with captions and a transcript, and a radio bulletin (audio).
func flagship(d *site.Directory, cats map[int64][]*content.Category, covers map[int64][]int64, av demoAV, now time.Time,
	newItem func(*site.Site, content.Kind, string, string, time.Time, content.Status) *demoArticle) {
	city := d.City
	catBy := func(slug string) int64 {
		for _, c := range cats[city.ID] {
			if c.Slug == slug {
				return c.ID
			}
		}
		return cats[city.ID][0].ID
	}
	a := newItem(city, content.KindArticle, "Hà Nội đẩy mạnh chuyển đổi số trong các cơ quan nhà nước", "vi", now.Add(-10*time.Minute), content.Published)
	a.a.Summary = "Thành phố đặt mục tiêu 100% hồ sơ công việc tại cấp thành phố và cấp xã được xử lý trên môi trường mạng trong năm 2026."
	a.a.Body = `<p>Ủy ban nhân dân Thành phố vừa ban hành kế hoạch chuyển đổi số năm 2026, tập trung vào ba trụ cột: chính quyền số, kinh tế số và xã hội số.</p>` +
		`<h2>Các chỉ tiêu chính</h2><ul><li>100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình.</li><li>100% văn bản điện tử có chữ ký số.</li><li>Kết nối dữ liệu dân cư với các hệ thống chuyên ngành.</li></ul>` +
		`<table><caption>Kết quả năm 2025 và mục tiêu năm 2026</caption><thead><tr><th scope="col">Chỉ tiêu</th><th scope="col">2025</th><th scope="col">2026</th></tr></thead>` +
		`<tbody><tr><td>Hồ sơ trực tuyến toàn trình</td><td>82%</td><td>95%</td></tr><tr><td>Văn bản ký số</td><td>96%</td><td>100%</td></tr></tbody></table>` +
		`<p>Người dân tra cứu thủ tục tại <a href="https://dichvucong.gov.vn/">Cổng Dịch vụ công quốc gia</a>.</p>`
	a.a.CategoryID, a.a.CoverID, a.a.Author, a.a.Source, a.a.Tags = catBy("chuyen-doi-so"), covers[city.ID][2], "Minh Anh", "Sở Khoa học và Công nghệ", []string{"chuyển đổi số", "chính quyền số"}
	e := newItem(city, content.KindArticle, "Hanoi steps up digital transformation in state agencies", "en", now.Add(-5*time.Minute), content.Published)
	e.a.Slug, e.a.CategoryID, e.a.CoverID, e.a.SourceRev = a.a.Slug, a.a.CategoryID, a.a.CoverID, 1
	e.a.Summary = "The city aims to handle every work file of the city and commune administrations online in 2026."
	e.a.Body = `<p>The Hanoi People's Committee has issued its 2026 digital transformation plan, built on digital government, digital economy and digital society.</p><h2>Main targets</h2><ul><li>Every eligible procedure fully online.</li><li>Every electronic document digitally signed.</li></ul>`
	e.origin = 0 // the first item: a
	g := newItem(city, content.KindGallery, "Phóng sự ảnh: Hà Nội vào thu", "vi", now.Add(-2*time.Hour), content.Published)
	g.a.Summary, g.a.Body = "Những khoảnh khắc của Thủ đô trong những ngày cuối thu.", "<p>Mùa thu Hà Nội qua ống kính phóng viên.</p>"
	g.a.CategoryID, g.a.CoverID, g.a.MediaIDs = catBy("van-hoa-xa-hoi"), covers[city.ID][0], covers[city.ID]
	l := newItem(city, content.KindLongform, "Hà Nội trên hành trình xây dựng chính quyền số", "vi", now.Add(-3*time.Hour), content.Published)
	l.a.Summary = "Từ một cửa giấy tờ đến một cửa trên mạng: câu chuyện về những người làm nên chính quyền số của Thủ đô."
	l.a.Body = strings.Repeat(`<h2>Từ bàn tiếp dân đến màn hình</h2><p>Những năm đầu, người dân phải đến trụ sở nhiều lần để hoàn thiện hồ sơ. Nay, phần lớn thủ tục được nộp và trả kết quả trực tuyến.</p><blockquote><p>"Tôi làm thủ tục ngay tại nhà, không phải xin nghỉ làm", một người dân phường Ba Đình chia sẻ.</p></blockquote>`, 3)
	l.a.CategoryID, l.a.CoverID, l.a.Author = catBy("chuyen-doi-so"), covers[city.ID][4], "Thu Hà"
	i := newItem(city, content.KindInfographic, "Infographic: Kết quả cải cách hành chính năm 2025", "vi", now.Add(-4*time.Hour), content.Published)
	i.a.Summary, i.a.Body = "Những con số nổi bật về cải cách hành chính của Thành phố.", "<p>Chỉ số hài lòng của người dân đạt 90%.</p>"
	i.a.CategoryID, i.a.CoverID, i.a.MediaIDs = catBy("chi-dao-dieu-hanh"), covers[city.ID][5], covers[city.ID][5:6]
	w := newItem(city, content.KindArticle, "Thông báo tạm dừng tiếp công dân ngày 20/11", "vi", now.Add(-48*time.Hour), content.Unpublished)
	w.a.Reason, w.a.Summary, w.a.Body, w.a.CategoryID = "Lịch tiếp công dân đã thay đổi; xem thông báo mới.", "Tạm dừng tiếp công dân.", "<p>Tạm dừng.</p>", catBy("thong-bao")
	v := newItem(city, content.KindVideo, "Video: Phố phường Hà Nội đầu đông", "vi", now.Add(-5*time.Hour), content.Published)
	v.a.Summary, v.a.Body = "Những hình ảnh về các tuyến phố sau chỉnh trang.", "<p>Video có phụ đề tiếng Việt và bản ghi lời.</p>"
	v.a.CategoryID, v.a.CoverID, v.a.MediaIDs = catBy("van-hoa-xa-hoi"), covers[city.ID][4], []int64{av.video}
	au := newItem(city, content.KindAudio, "Bản tin phát thanh: Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công", "vi", now.Add(-6*time.Hour), content.Published)
	au.a.Summary, au.a.Body = "Bản tin phát thanh của Thành phố, kèm bản ghi lời.", "<p>Nghe bản tin hoặc đọc bản ghi lời bên dưới.</p>"
	au.a.CategoryID, au.a.CoverID, au.a.MediaIDs = catBy("thong-bao"), covers[city.ID][5], []int64{av.audio}
}

package server

import (
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"github.com/congvn/cong/internal/compliance"
	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/document"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/procedure"
	"github.com/congvn/cong/internal/rulepack"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
)

// connect joins the parts that know of each other only through interfaces:
// the rule pack's feedback deadlines, what publishing and feedback report
// to the compliance audit, and the portal's own content published as open
// datasets.
func (s *Services) connect() {
	s.applyFeedbackRules(s.Compliance.Rules())
	s.Compliance.Register(publishingFacts{content: s.Content, sites: s.Sites})
	s.Compliance.Register(feedbackFacts{db: s.DB})
	s.Data.RegisterFeed(documentsFeed{docs: s.Documents})
	s.Data.RegisterFeed(proceduresFeed{procs: s.Procedures, sites: s.Sites})
	s.Data.RegisterFeed(feedbackStatsFeed{fb: s.Feedback, sites: s.Sites})
	s.Feedback.Registry = feedbackRegistry{docs: s.Documents, procs: s.Procedures, sites: s.Sites}
}

// SetRules replaces the rule pack (--rules): the audit's rules and the
// feedback deadlines.
func (s *Services) SetRules(p *rulepack.Pack) {
	s.Disclosure.SetRules(p)
	s.applyFeedbackRules(p)
}

// applyFeedbackRules fills the feedback deadlines from the rule pack; the
// figures the pack leaves at zero keep the feedback part's defaults.
func (s *Services) applyFeedbackRules(p *rulepack.Pack) {
	f, pol := p.Feedback, &s.Feedback.Policy
	if pol.AnswerDays == nil {
		pol.AnswerDays = map[feedback.Kind]int{}
	}
	if f.AnswerDays > 0 {
		pol.AnswerDays[feedback.Feedback] = f.AnswerDays
	}
	if f.QuestionDays > 0 {
		pol.AnswerDays[feedback.Question] = f.QuestionDays
	}
	if f.RemindDaysBefore > 0 {
		pol.RemindDays = f.RemindDaysBefore
	}
	if f.EscalateAfterDays >= 0 {
		pol.EscalateDays = f.EscalateAfterDays
	}
}

// publishingFacts answers the audit's questions on articles and
// organisation pages from what each site publishes.
type publishingFacts struct {
	content *content.Service
	sites   *site.Service
}

func (publishingFacts) Checks() []string { return []string{"articles", "page:*", "schedule"} }

func (p publishingFacts) Facts(ctx context.Context, _ time.Time) (map[int64][]compliance.Fact, error) {
	dir, err := p.sites.Directory(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int64][]compliance.Fact{}
	for _, st := range dir.Sites {
		if st.Status != site.Active {
			continue
		}
		inv, err := p.content.Inventory(ctx, st.ID)
		if err != nil {
			return nil, err
		}
		out[st.ID] = inventoryFacts(inv)
	}
	return out, nil
}

// inventoryFacts turns a site's inventory into the audit's facts: one for
// its articles, one per organisation page (in every language it exists in),
// one for the work schedule.
func inventoryFacts(inv *content.Inventory) []compliance.Fact {
	articles := compliance.Fact{Check: "articles", Updated: inv.LastPublished}
	for _, c := range inv.Categories {
		articles.Count += c.Published
	}
	for lang, n := range inv.Languages {
		if n > 0 {
			articles.Langs = append(articles.Langs, lang)
		}
	}
	facts := []compliance.Fact{articles}
	pages := map[string]*compliance.Fact{}
	for _, pg := range inv.Pages {
		if !pg.Published {
			continue
		}
		f := pages[pg.Slug]
		if f == nil {
			f = &compliance.Fact{Check: "page:" + pg.Slug}
			pages[pg.Slug] = f
		}
		if pg.Lang == "vi" {
			f.Count++
		}
		if !pg.Outdated {
			f.Langs = append(f.Langs, pg.Lang)
		}
		if pg.Updated.After(f.Updated) {
			f.Updated = pg.Updated
		}
	}
	// The leaders' page counts when the site lists its leaders, whatever
	// the page's text says.
	if f := pages["lanh-dao"]; f == nil && inv.Leaders > 0 {
		pages["lanh-dao"] = &compliance.Fact{Check: "page:lanh-dao", Count: 1, Langs: []string{"vi"}, Updated: inv.ScheduleNewest}
	}
	for _, f := range pages {
		facts = append(facts, *f)
	}
	facts = append(facts, compliance.Fact{Check: "schedule", Count: inv.ScheduleDays, Updated: inv.ScheduleNewest, Langs: []string{"vi"}})
	return facts
}

// feedbackFacts answers the audit's "feedback" check: items past their
// deadline, per responsible site.
type feedbackFacts struct{ db *store.DB }

func (feedbackFacts) Checks() []string { return []string{"feedback"} }

func (p feedbackFacts) Facts(ctx context.Context, now time.Time) (map[int64][]compliance.Fact, error) {
	overdue, err := p.db.FeedbackOverdue(ctx, now)
	if err != nil {
		return nil, err
	}
	out := map[int64][]compliance.Fact{}
	for siteID, o := range overdue {
		out[siteID] = []compliance.Fact{{Check: "feedback", Overdue: o.Count, Since: o.Since}}
	}
	return out, nil
}

// documentsFeed publishes the legal document registry as an open dataset.
type documentsFeed struct{ docs *document.Service }

func (documentsFeed) Name() string { return "co-so-du-lieu-van-ban" }

func (documentsFeed) Describe(context.Context) (opendata.FeedInfo, error) {
	return opendata.FeedInfo{
		Title: "Cơ sở dữ liệu văn bản",
		Notes: "Văn bản quy phạm pháp luật và văn bản chỉ đạo, điều hành đã công bố trên các cổng thông tin điện tử của Thành phố: " +
			"số ký hiệu, hình thức, cơ quan ban hành, ngày ban hành, ngày hiệu lực, trích yếu, người ký, lĩnh vực, tình trạng hiệu lực. " +
			"Bộ dữ liệu do hệ thống tự cập nhật.",
		Owner: "hanoi", Tags: []string{"văn bản", "pháp luật"}, Groups: []string{"hanh-chinh-cong"},
		License: "cc-by-4.0", Frequency: "DAILY", Resource: "Danh sách văn bản (CSV)", Filename: "van-ban.csv",
	}, nil
}

func (f documentsFeed) WriteCSV(ctx context.Context, w *csv.Writer) error {
	if err := w.Write([]string{"Số ký hiệu", "Hình thức", "Cơ quan ban hành", "Ngày ban hành", "Ngày hiệu lực", "Ngày hết hiệu lực",
		"Trích yếu", "Người ký", "Lĩnh vực", "Tình trạng hiệu lực", "Mã cổng"}); err != nil {
		return err
	}
	today := f.docs.Today()
	for offset := 0; ; {
		res, err := f.docs.Search(ctx, document.Query{Limit: 100, Offset: offset})
		if err != nil {
			return err
		}
		for _, d := range res.Docs {
			row := []string{d.Number, d.Type, d.Issuer, d.IssuedOn, d.EffectiveOn, d.EndsOn, d.Title, d.Signer, d.Field,
				string(d.StatusOn(today)), strconv.FormatInt(d.SiteID, 10)}
			if err := writeSafe(w, row); err != nil {
				return err
			}
		}
		offset += len(res.Docs)
		if !res.More || len(res.Docs) == 0 {
			return nil
		}
	}
}

// proceduresFeed publishes the catalogue of administrative procedures.
type proceduresFeed struct {
	procs *procedure.Service
	sites *site.Service
}

func (proceduresFeed) Name() string { return "danh-muc-thu-tuc-hanh-chinh" }

func (proceduresFeed) Describe(context.Context) (opendata.FeedInfo, error) {
	return opendata.FeedInfo{
		Title: "Danh mục thủ tục hành chính",
		Notes: "Thủ tục hành chính công bố trên các cổng thông tin điện tử của Thành phố: mã thủ tục, tên, lĩnh vực, cấp thực hiện, " +
			"cơ quan thực hiện, thời hạn giải quyết, phí, lệ phí và địa chỉ dịch vụ công trực tuyến. Bộ dữ liệu do hệ thống tự cập nhật.",
		Owner: "hanoi", Tags: []string{"thủ tục hành chính", "dịch vụ công"}, Groups: []string{"hanh-chinh-cong"},
		License: "cc-by-4.0", Frequency: "DAILY", Resource: "Danh mục thủ tục (CSV)", Filename: "thu-tuc-hanh-chinh.csv",
	}, nil
}

func (f proceduresFeed) WriteCSV(ctx context.Context, w *csv.Writer) error {
	if err := w.Write([]string{"Mã cổng", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cấp thực hiện", "Cơ quan thực hiện",
		"Thời hạn giải quyết", "Phí, lệ phí", "Dịch vụ công trực tuyến"}); err != nil {
		return err
	}
	dir, err := f.sites.Directory(ctx)
	if err != nil {
		return err
	}
	for _, st := range dir.Sites {
		if st.Status != site.Active {
			continue
		}
		for offset := 0; ; {
			ps, total, err := f.procs.List(ctx, procedure.Query{SiteID: st.ID, Limit: 100, Offset: offset})
			if err != nil {
				return err
			}
			for _, p := range ps {
				if err := writeSafe(w, []string{st.Code, p.Code, p.Name, p.Field, p.Level, p.Agency, p.TimeLimit, p.Fees, p.OnlineURL}); err != nil {
					return err
				}
			}
			offset += len(ps)
			if len(ps) == 0 || offset >= total {
				break
			}
		}
	}
	return nil
}

// feedbackStatsFeed publishes the handling of feedback and questions per
// unit and year, against the plan's targets.
type feedbackStatsFeed struct {
	fb    *feedback.Service
	sites *site.Service
}

func (feedbackStatsFeed) Name() string { return "thong-ke-tiep-nhan-tra-loi-phan-anh-kien-nghi" }

func (feedbackStatsFeed) Describe(context.Context) (opendata.FeedInfo, error) {
	return opendata.FeedInfo{
		Title: "Thống kê tiếp nhận, trả lời phản ánh, kiến nghị",
		Notes: "Số phản ánh, kiến nghị và câu hỏi tiếp nhận, đang xử lý, quá hạn, đã trả lời (đúng hạn, trễ hạn) và đã công khai, " +
			"theo đơn vị và năm. Bộ dữ liệu do hệ thống tự cập nhật.",
		Owner: "hanoi", Tags: []string{"phản ánh", "kiến nghị", "thống kê"}, Groups: []string{"hanh-chinh-cong"},
		License: "cc-by-4.0", Frequency: "DAILY", Resource: "Thống kê theo đơn vị và năm (CSV)", Filename: "thong-ke-phan-anh.csv",
	}, nil
}

func (f feedbackStatsFeed) WriteCSV(ctx context.Context, w *csv.Writer) error {
	if err := w.Write([]string{"Năm", "Mã cổng", "Đơn vị", "Đã tiếp nhận", "Đang xử lý", "Quá hạn", "Đã trả lời", "Đúng hạn",
		"Trễ hạn", "Đã công khai"}); err != nil {
		return err
	}
	dir, err := f.sites.Directory(ctx)
	if err != nil {
		return err
	}
	vn := time.FixedZone("ICT", 7*3600)
	now := time.Now().In(vn)
	for year := now.Year() - 1; year <= now.Year(); year++ {
		from := time.Date(year, 1, 1, 0, 0, 0, 0, vn)
		rows, err := f.fb.Stats(ctx, feedback.StatsFilter{From: from, To: from.AddDate(1, 0, 0)})
		if err != nil {
			return err
		}
		for _, r := range rows {
			code, name := "", ""
			if st, ok := dir.ByID(r.SiteID); ok {
				code, name = st.Code, st.Name
			}
			row := []string{strconv.Itoa(year), code, name}
			for _, n := range []int{r.Received, r.Open, r.Overdue, r.Answered, r.OnTime, r.Late, r.Published} {
				row = append(row, strconv.Itoa(n))
			}
			if err := writeSafe(w, row); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeSafe writes a CSV row whose cells cannot be taken for formulas by a
// spreadsheet.
func writeSafe(w *csv.Writer, row []string) error {
	for i, v := range row {
		row[i] = opendata.SafeCell(v)
	}
	if err := w.Write(row); err != nil {
		return fmt.Errorf("server: feed row: %w", err)
	}
	return nil
}

// staffLink is the absolute address of a page of a site's staff interface,
// on the city portal's host (where staff sign in), for e-mails.
func (a *App) staffLink(siteID int64, path string) string {
	d := a.Web.Directory()
	st, ok := d.ByID(siteID)
	if !ok || d.City == nil {
		return a.FeedbackWeb.Link(0, "/quan-tri/thong-bao")
	}
	return a.FeedbackWeb.Link(d.City.ID, "/quan-tri/trang/"+st.Code+path)
}

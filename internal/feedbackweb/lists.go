package feedbackweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/calendar"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/vietnamese"
	"github.com/congvn/cong/internal/web"
	"github.com/congvn/cong/internal/xlsx"
)

// PageSize is the number of answers per page of a public list.
const PageSize = 20

// answerCard is a published item in a list.
type answerCard struct {
	URL      string
	Title    string
	Category string
	Unit     string
	Date     string
	Name     string
}

type listResult struct {
	Items []*feedback.Item
	Total int
}

// scope is the site whose answers a public list shows: every site's on the
// city portal, the unit's own elsewhere.
func scope(q *web.Req) int64 {
	if q.Dir.City != nil && q.Site.ID == q.Dir.City.ID {
		return 0
	}
	return q.Site.ID
}

// published returns a page of published answers, from the cache.
func (h *Handler) published(ctx context.Context, f feedback.Filter) (listResult, error) {
	key := fmt.Sprintf("list|%d|%s|%s|%s|%d|%d", f.SiteID, f.Kind, f.Category, f.Query, f.Limit, f.Offset)
	v, err := h.cache.get(key, func() (any, error) {
		items, n, err := h.svc.Published(ctx, f)
		return listResult{items, n}, err
	})
	if err != nil {
		return listResult{}, err
	}
	return v.(listResult), nil
}

func (h *Handler) cards(q *web.Req, items []*feedback.Item) []answerCard {
	var out []answerCard
	for _, it := range items {
		c := answerCard{Title: it.PublicTitle, Category: h.svc.Policy.CategoryName(it.Category, q.Lang),
			Date: q.DateTime(it.PublishedAt), Name: it.PublicName, URL: q.URL(it.Path())}
		if st, ok := q.Dir.ByID(it.SiteID); ok {
			c.Unit = st.DisplayName(q.Lang)
			// The city portal shows every unit's answers itself.
			if st.ID != q.Site.ID && scope(q) != 0 {
				c.URL = q.SiteURL(st, it.Path())
			}
		}
		out = append(out, c)
	}
	return out
}

// pager is a list's page links.
type pager struct {
	Page, Pages int
	Prev, Next  string
}

func pageOf(r *http.Request) int {
	n, _ := strconv.Atoi(r.URL.Query().Get("trang"))
	if n < 1 || n > 10000 {
		return 1
	}
	return n
}

func makePager(q *web.Req, base url.Values, path string, page, total int) pager {
	p := pager{Page: page, Pages: (total + PageSize - 1) / PageSize}
	link := func(n int) string {
		v := url.Values{}
		for k, x := range base {
			v[k] = x
		}
		v.Set("trang", strconv.Itoa(n))
		return q.URL(path) + "?" + v.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}

type homePage struct {
	Kind    feedback.Kind
	FormURL string
	ListURL string
	// CategoryCode keeps a search within a field.
	CategoryCode string
	Query        string
	Cards        []answerCard
	Total        int
	Pager        pager
	Category     string
	Fields       []field
}

// field is a category of the Q&A knowledge base with its newest answers.
type field struct {
	Code  string
	Name  string
	Total int
	URL   string
	Cards []answerCard
}

func cleanQuery(r *http.Request) string {
	s := vietnamese.Clean(r.URL.Query().Get("q"))
	if len([]rune(s)) > web.MaxQuery {
		s = string([]rune(s)[:web.MaxQuery])
	}
	return s
}

// feedbackHome lists the published answers to feedback.
func (h *Handler) feedbackHome(w http.ResponseWriter, r *http.Request) {
	h.answerList(w, r, feedback.Feedback, "/phan-anh", "pages/feedback_home")
}

// qaHome is the Q&A knowledge base: the published answers by field, or
// the answers of one field, or those matching a search.
func (h *Handler) qaHome(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	cat := r.URL.Query().Get("linh-vuc")
	if cat != "" || r.URL.Query().Get("q") != "" || r.URL.Query().Get("trang") != "" {
		h.answerList(w, r, feedback.Question, "/hoi-dap", "pages/feedback_qa")
		return
	}
	p := &homePage{Kind: feedback.Question, FormURL: q.URL("/hoi-dap/gui"), ListURL: q.URL("/hoi-dap")}
	for _, c := range h.svc.Policy.Categories {
		res, err := h.published(r.Context(), feedback.Filter{SiteID: scope(q), Kind: feedback.Question, Category: c.Code, Limit: 5})
		if err != nil {
			h.Error(w, r, err)
			return
		}
		if res.Total == 0 {
			continue
		}
		p.Fields = append(p.Fields, field{Code: c.Code, Name: h.svc.Policy.CategoryName(c.Code, q.Lang), Total: res.Total,
			URL: q.URL("/hoi-dap") + "?linh-vuc=" + url.QueryEscape(c.Code), Cards: h.cards(q, res.Items)})
		p.Total += res.Total
	}
	h.Page(w, r, "pages/feedback_qa", &web.View{Title: q.T("feedback.qa_title"), Page: p})
}

func (h *Handler) answerList(w http.ResponseWriter, r *http.Request, k feedback.Kind, path, tmpl string) {
	q := web.FromRequest(r)
	page := pageOf(r)
	p := &homePage{Kind: k, Query: cleanQuery(r), FormURL: q.URL(kindPath(k) + "/gui"), ListURL: q.URL(kindPath(k))}
	base := url.Values{}
	f := feedback.Filter{SiteID: scope(q), Kind: k, Query: p.Query, Limit: PageSize, Offset: (page - 1) * PageSize}
	if p.Query != "" {
		base.Set("q", p.Query)
	}
	if c := r.URL.Query().Get("linh-vuc"); c != "" {
		if _, ok := h.svc.Policy.Category(c); !ok {
			h.ErrorPage(w, r, http.StatusNotFound, "feedback.category_invalid")
			return
		}
		f.Category, p.CategoryCode = c, c
		p.Category = h.svc.Policy.CategoryName(c, q.Lang)
		base.Set("linh-vuc", c)
	}
	res, err := h.published(r.Context(), f)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p.Cards, p.Total = h.cards(q, res.Items), res.Total
	p.Pager = makePager(q, base, path, page, res.Total)
	title := q.T("feedback.home_title." + string(k))
	if p.Category != "" {
		title = p.Category + " | " + title
	}
	h.Page(w, r, tmpl, &web.View{Title: title, Page: p, NoIndex: p.Query != ""})
}

type itemPage struct {
	Item     *feedback.Item
	Refs     []refView
	ListURL  string
	Category string
	Unit     string
	Received string
	Answered string
	Merged   int
}

// published is a published item as cached, with where its references
// lead.
type published struct {
	item    *feedback.Item
	targets []feedback.Target
}

// refView is a reference as the answer page shows it.
type refView struct {
	Kind, Title, URL string
}

// refViews links the references of an answer: a document or procedure
// referred to by number or code leads to its page on the site that
// publishes it (its title alone when it is no longer published); a free
// link keeps its own address.
func refViews(q *web.Req, refs []feedback.Ref, targets []feedback.Target) []refView {
	var out []refView
	for i, ref := range refs {
		v := refView{Kind: ref.Kind, Title: ref.Title, URL: ref.URL}
		if i < len(targets) && targets[i].Path != "" {
			if st, ok := q.Dir.ByID(targets[i].SiteID); ok {
				v.URL = q.SiteURL(st, targets[i].Path)
			}
		}
		out = append(out, v)
	}
	return out
}

// publishedItem shows one published answer; a merged item leads to the
// item it was merged into.
func (h *Handler) publishedItem(k feedback.Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := web.FromRequest(r)
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			h.NotFound(w, r)
			return
		}
		key := "item|" + strconv.FormatInt(id, 10)
		v, err := h.cache.get(key, func() (any, error) {
			it, err := h.svc.PublishedItem(r.Context(), id)
			if err != nil {
				return nil, err
			}
			targets, err := h.svc.Targets(r.Context(), it.SiteID, it.Refs)
			if err != nil {
				return nil, err
			}
			return &published{it, targets}, nil
		})
		var it *feedback.Item
		var targets []feedback.Target
		if p, ok := v.(*published); ok {
			it, targets = p.item, p.targets
		}
		if fault.Is(err, fault.Gone) {
			// Merged into another item: its address leads there.
			it, _ = h.svc.PublishedItem(r.Context(), id)
		}
		if it == nil {
			if fault.Is(err, fault.NotFound) {
				h.NotFound(w, r)
				return
			}
			h.Error(w, r, err)
			return
		}
		st, ok := q.Dir.ByID(it.SiteID)
		if it.ID != id || it.Kind != k || ok && scope(q) != 0 && st.ID != q.Site.ID {
			to := q.URL(it.Path())
			if ok && scope(q) != 0 && st.ID != q.Site.ID {
				to = q.SiteURL(st, it.Path())
			}
			http.Redirect(w, r, to, http.StatusMovedPermanently)
			return
		}
		p := &itemPage{Item: it, ListURL: q.URL(kindPath(it.Kind)), Category: h.svc.Policy.CategoryName(it.Category, q.Lang),
			Received: q.DateTime(it.ReceivedAt), Answered: q.DateTime(it.AnsweredAt), Merged: len(it.Links), Refs: refViews(q, it.Refs, targets)}
		if ans, ok := q.Dir.ByID(it.AnswerSiteID); ok {
			p.Unit = ans.DisplayName(q.Lang)
		}
		w.Header().Set("Cache-Control", "public, max-age=60")
		h.Page(w, r, "pages/feedback_item", &web.View{Title: it.PublicTitle, Page: p})
	}
}

// statsRow is one unit's line of the statistics.
type statsRow struct {
	Name string
	feedback.StatsRow
	Resolved  int // % answered of the items to answer
	OnTimePct int // % answered on time of those answered
	Published int // % published of those answered
	Rating    string
}

type statsPage struct {
	Year   int
	Years  []int
	Rows   []statsRow
	Total  statsRow
	Export string
}

func yearOf(r *http.Request, now time.Time) int {
	y, err := strconv.Atoi(r.URL.Query().Get("nam"))
	if err != nil || y < 2000 || y > now.Year()+1 {
		return now.In(calendar.Zone).Year()
	}
	return y
}

func (h *Handler) statsPage(r *http.Request, siteID int64, all bool) (*statsPage, error) {
	q := web.FromRequest(r)
	y := yearOf(r, q.Now)
	from := time.Date(y, 1, 1, 0, 0, 0, 0, calendar.Zone)
	key := fmt.Sprintf("stats|%d", y)
	v, err := h.cache.get(key, func() (any, error) {
		return h.svc.Stats(r.Context(), feedback.StatsFilter{From: from, To: from.AddDate(1, 0, 0), Now: q.Now})
	})
	if err != nil {
		return nil, err
	}
	p := &statsPage{Year: y, Total: statsRow{Name: q.T("feedback.stats_total")}}
	for yy := q.Now.In(calendar.Zone).Year(); yy >= 2025; yy-- {
		p.Years = append(p.Years, yy)
	}
	for _, row := range v.([]feedback.StatsRow) {
		st, ok := q.Dir.ByID(row.SiteID)
		if !ok || !all && row.SiteID != siteID {
			continue
		}
		p.Rows = append(p.Rows, fill(statsRow{Name: st.DisplayName(q.Lang), StatsRow: row}, q))
		p.Total.Add(row)
	}
	p.Total = fill(p.Total, q)
	return p, nil
}

func fill(r statsRow, q *web.Req) statsRow {
	r.Resolved = feedback.Percent(r.Answered, r.Due())
	r.OnTimePct = feedback.Percent(r.OnTime, r.Answered)
	r.Published = feedback.Percent(r.StatsRow.Published, r.Answered)
	if r.Rated > 0 {
		r.Rating = strings.Replace(fmt.Sprintf("%.1f", float64(r.RatingSum)/float64(r.Rated)), ".", map[bool]string{true: ",", false: "."}[q.Lang == "vi"], 1)
	}
	return r
}

func (h *Handler) publicStats(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p, err := h.statsPage(r, q.Site.ID, scope(q) == 0)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p.Export = q.URL("/phan-anh/thong-ke.xlsx") + "?nam=" + strconv.Itoa(p.Year)
	h.Page(w, r, "pages/feedback_stats", &web.View{Title: q.T("feedback.stats_title"), Page: p})
}

func (h *Handler) publicStatsXLSX(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p, err := h.statsPage(r, q.Site.ID, scope(q) == 0)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.writeXLSX(w, fmt.Sprintf("thong-ke-phan-anh-%d.xlsx", p.Year), statsSheet(q, p))
}

// statsSheet is the statistics as a worksheet.
func statsSheet(q *web.Req, p *statsPage) xlsx.Sheet {
	s := xlsx.Sheet{Name: q.T("feedback.stats_title") + " " + strconv.Itoa(p.Year)}
	for _, k := range []string{"unit", "received", "open", "overdue", "answered", "on_time", "late", "published", "rejected", "duplicate", "escalated", "resolved_pct", "on_time_pct", "published_pct"} {
		s.Header = append(s.Header, q.T("feedback.col."+k))
	}
	for _, r := range append(p.Rows, p.Total) {
		s.Rows = append(s.Rows, []any{r.Name, r.Received, r.Open, r.Overdue, r.Answered, r.OnTime, r.Late, r.StatsRow.Published,
			r.Rejected, r.Duplicate, r.Escalated, r.Resolved, r.OnTimePct, r.Published})
	}
	return s
}

func (h *Handler) writeXLSX(w http.ResponseWriter, name string, sheets ...xlsx.Sheet) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := xlsx.Write(w, sheets...); err != nil {
		h.Logger.Error("xlsx", "err", err)
	}
}

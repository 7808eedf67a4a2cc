package feedbackweb

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/calendar"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/web"
	"github.com/congvn/cong/internal/xlsx"
)

// act runs a staff action from an item page's form: on success back to the
// item with a message, on failure the item page again with the errors and
// what was typed.
func (h *Handler) act(w http.ResponseWriter, r *http.Request, done string, fn func(code string, version int) error) {
	code := r.PostFormValue("ma")
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	err := fn(code, version)
	if err == nil {
		http.Redirect(w, r, deskURL(r.PathValue("site"), "/muc?ma="+url.QueryEscape(code)+"&da="+done), http.StatusSeeOther)
		return
	}
	v, verr := h.itemView(r, code)
	if verr != nil {
		h.Error(w, r, err)
		return
	}
	p := v.Page.(*deskItemPage)
	for k, vals := range r.PostForm {
		if k != web.CSRFField && len(vals) > 0 {
			p.Form[k] = vals[0]
		}
	}
	if done == "duyet" {
		p.Pub = publication(r)
		p.Findings = feedback.Review(p.Item, p.Pub)
	}
	v.Errors, v.Error = h.FieldErrors(r, err)
	h.render(w, r, web.StatusOf(err), "feedback_item", v)
}

func (h *Handler) assign(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "giao", func(code string, version int) error {
		to, _ := strconv.ParseInt(r.PostFormValue("to"), 10, 64)
		_, err := h.svc.Assign(r.Context(), code, version, to, r.PostFormValue("note"))
		return err
	})
}

func (h *Handler) requestInfo(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "yeu-cau", func(code string, version int) error {
		_, err := h.svc.RequestInfo(r.Context(), code, version, r.PostFormValue("question"))
		return err
	})
}

func (h *Handler) resume(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "tiep-tuc", func(code string, version int) error {
		_, err := h.svc.Resume(r.Context(), code, version, r.PostFormValue("note"))
		return err
	})
}

// docNumberRE finds a document number in a line: digits, then parts after
// slashes (42/2022/NĐ-CP, 1234/QĐ-UBND).
var docNumberRE = regexp.MustCompile(`\pN+(?:/[\pL\pN][\pL\pN.\-]*)+`)

// procCodeRE is a procedure's code in the national database (1.001193).
var procCodeRE = regexp.MustCompile(`^\pN+\.\pN+$`)

// refLines reads a references textarea, one reference a line: "Title |
// URL" or a URL is a free link; otherwise a document's number (alone or in
// a line such as "Nghị định 42/2022/NĐ-CP") or a procedure's code is a
// reference to the registries, which the service resolves; any other line
// is a title without a link.
func refLines(kind, text string) []feedback.Ref {
	var out []feedback.Ref
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		title, link, piped := strings.Cut(l, "|")
		title, link = strings.TrimSpace(title), strings.TrimSpace(link)
		if link == "" && (strings.HasPrefix(title, "http://") || strings.HasPrefix(title, "https://") || strings.HasPrefix(title, "/")) {
			title, link = "", title
		}
		ref := ""
		if !piped && link == "" {
			switch kind {
			case "document":
				ref = docNumberRE.FindString(title)
			case "procedure":
				if f := strings.Fields(title); len(f) == 1 || procCodeRE.MatchString(f[0]) {
					ref = f[0]
				}
			}
			if ref != "" {
				title = ""
			}
		}
		out = append(out, feedback.Ref{Kind: kind, Ref: ref, Title: title, URL: link})
	}
	return out
}

func (h *Handler) draft(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "du-thao", func(code string, version int) error {
		refs := append(refLines("procedure", r.PostFormValue("procedures")), refLines("document", r.PostFormValue("documents"))...)
		_, err := h.svc.Draft(r.Context(), code, version, r.PostFormValue("answer"), refs)
		return err
	})
}

func (h *Handler) reject(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "tu-choi", func(code string, version int) error {
		_, err := h.svc.Reject(r.Context(), code, version, r.PostFormValue("reason"))
		return err
	})
}

func (h *Handler) merge(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "gop", func(code string, version int) error {
		_, err := h.svc.Merge(r.Context(), code, version, r.PostFormValue("main"))
		return err
	})
}

func (h *Handler) note(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "ghi-chu", func(code string, version int) error {
		return h.svc.Note(r.Context(), code, r.PostFormValue("text"))
	})
}

func (h *Handler) returnDraft(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "tra-lai", func(code string, version int) error {
		_, err := h.svc.Return(r.Context(), code, version, r.PostFormValue("note"))
		return err
	})
}

func publication(r *http.Request) feedback.Publication {
	f := r.PostFormValue
	return feedback.Publication{PublicTitle: f("public_title"), PublicBody: f("public_body"), PublicPlace: f("public_place"),
		Answer: f("answer"), Publish: f("publish") != "0", Reason: f("reason"), Reviewed: f("reviewed") == "1"}
}

func (h *Handler) approve(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "duyet", func(code string, version int) error {
		_, err := h.svc.Approve(r.Context(), code, version, publication(r))
		return err
	})
}

func (h *Handler) unpublish(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "go-xuong", func(code string, version int) error {
		_, err := h.svc.Unpublish(r.Context(), code, version, r.PostFormValue("reason"))
		return err
	})
}

// staffStats shows a desk's statistics: the city desk sees every unit.
func (h *Handler) staffStats(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.deskSite(r)
	isCity := q.Dir.City != nil && st.ID == q.Dir.City.ID
	p, err := h.statsPage(r, st.ID, isCity)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p.Export = deskURL(st.Code, "/bao-cao.xlsx") + "?nam=" + strconv.Itoa(p.Year)
	h.render(w, r, http.StatusOK, "feedback_stats", &web.View{Req: q, Title: q.T("feedback.stats_of", st.Name), Page: p})
}

// report is the Excel report of a desk: the statistics and every item of
// the year (without contacts).
func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	st := h.deskSite(r)
	isCity := q.Dir.City != nil && st.ID == q.Dir.City.ID
	p, err := h.statsPage(r, st.ID, isCity)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	from := time.Date(p.Year, 1, 1, 0, 0, 0, 0, calendar.Zone)
	scopeID := st.ID
	if isCity {
		scopeID = 0
	}
	items, err := h.svc.Export(r.Context(), scopeID, from, from.AddDate(1, 0, 0))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	list := xlsx.Sheet{Name: q.T("feedback.report_items")}
	for _, k := range []string{"code", "kind", "category", "title", "unit", "status", "received", "due", "answered", "on_time", "escalated", "rating"} {
		list.Header = append(list.Header, q.T("feedback.col."+k))
	}
	for _, it := range items {
		unit := ""
		if s, ok := q.Dir.ByID(it.SiteID); ok {
			unit = s.Name
		}
		var answered any
		onTime := ""
		if !it.AnsweredAt.IsZero() {
			answered = it.AnsweredAt.In(calendar.Zone)
			onTime = q.T(fmt.Sprintf("feedback.yesno.%v", !it.AnsweredAt.After(it.DueAt)))
		}
		var rating any
		if it.Rating > 0 {
			rating = it.Rating
		}
		list.Rows = append(list.Rows, []any{it.Code, q.T("feedback.kind." + string(it.Kind)), h.svc.Policy.CategoryName(it.Category, q.Lang),
			it.Title, unit, q.T("feedback.status." + string(it.Status)), it.ReceivedAt.In(calendar.Zone), it.DueAt.In(calendar.Zone),
			answered, onTime, it.EscalationLevel, rating})
	}
	h.writeXLSX(w, fmt.Sprintf("bao-cao-phan-anh-%s-%d.xlsx", st.Code, p.Year), statsSheet(q, p), list)
}

package disclosure

import (
	"net/http"
	"slices"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/compliance"
	"github.com/congvn/cong/internal/rulepack"
	"github.com/congvn/cong/internal/vietnamese"
	"github.com/congvn/cong/internal/web"
	"github.com/congvn/cong/internal/xlsx"
)

// supRow is one site on the supervisor's dashboard.
type supRow struct {
	Report   *compliance.SiteReport
	URL      string
	AdminURL string
	Failures []string
	Trend    []int // failed rules in the stored runs, oldest first
}

type supervisionPage struct {
	helpers
	Report    *compliance.Report
	Rows      []supRow
	Shown     int
	Q         string
	Sort      string
	Kinds     []option
	Statuses  []option
	Sorts     []option
	Runs      []*compliance.Run
	CanRun    bool
	ExportURL string
	Pack      *rulepack.Pack
}

// reasonText translates a finding's reasons.
func reasonText(q *web.Req, f compliance.Finding) string {
	var parts []string
	for _, r := range f.Reasons {
		parts = append(parts, q.T(r.Key, r.Args...))
	}
	return strings.Join(parts, "; ")
}

// supervision is the supervisor's dashboard: the audit of every site, to
// sort and filter (without JavaScript: the form reloads the page), with the
// trend of the stored runs.
func (h *Handler) supervision(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p, err := h.supervisionView(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v := &web.View{Req: q, Title: q.T("compliance.title"), Page: p}
	if r.URL.Query().Get("da-luu") != "" {
		v.Flash = q.T("compliance.recorded")
	}
	h.render(w, r, http.StatusOK, "supervision", v)
}

func (h *Handler) supervisionView(r *http.Request) (*supervisionPage, error) {
	q := web.FromRequest(r)
	ctx := r.Context()
	rep, err := h.Compliance.Audit(ctx, "")
	if err != nil {
		return nil, err
	}
	runs, history, err := h.Compliance.History(ctx, 12)
	if err != nil {
		return nil, err
	}
	v := r.URL.Query()
	p := &supervisionPage{Report: rep, Q: v.Get("q"), Sort: v.Get("sap-xep"), Runs: runs, CanRun: q.Actor.Can(access.RunCompliance, 0),
		Pack: h.Compliance.Rules()}
	kind, status := v.Get("loai"), v.Get("ket-qua")
	for _, k := range rulepack.Kinds {
		p.Kinds = append(p.Kinds, option{Value: k, Label: q.T("compliance.kind." + k), Selected: k == kind})
	}
	for _, s := range []string{"dat", "khong-dat"} {
		p.Statuses = append(p.Statuses, option{Value: s, Label: q.T("compliance.filter." + s), Selected: s == status})
	}
	if !slices.Contains([]string{"ten", "loi", "loai"}, p.Sort) {
		p.Sort = "loi"
	}
	for _, s := range []string{"loi", "ten", "loai"} {
		p.Sorts = append(p.Sorts, option{Value: s, Label: q.T("compliance.sort." + s), Selected: s == p.Sort})
	}
	needle := vietnamese.Fold(vietnamese.Clean(p.Q))
	for _, sr := range rep.Sites {
		if kind != "" && sr.Kind != kind || status == "dat" && !sr.OK() || status == "khong-dat" && sr.OK() {
			continue
		}
		if needle != "" && !strings.Contains(vietnamese.Fold(sr.Name+" "+sr.Code), needle) {
			continue
		}
		row := supRow{Report: sr, URL: q.SiteURL(sr.Site, "/"), AdminURL: "/quan-tri/trang/" + sr.Code + "/"}
		for _, f := range sr.Findings {
			if f.Status == compliance.Fail {
				row.Failures = append(row.Failures, f.Name+": "+reasonText(q, f))
			}
		}
		for i := len(runs) - 1; i >= 0; i-- {
			row.Trend = append(row.Trend, history[sr.Site.ID][runs[i].ID])
		}
		p.Rows = append(p.Rows, row)
	}
	slices.SortStableFunc(p.Rows, func(a, b supRow) int {
		switch p.Sort {
		case "ten":
			return vietnamese.Compare(a.Report.Name, b.Report.Name)
		case "loai":
			if c := strings.Compare(a.Report.Kind, b.Report.Kind); c != 0 {
				return c
			}
			return vietnamese.Compare(a.Report.Name, b.Report.Name)
		}
		if a.Report.Failed != b.Report.Failed {
			return b.Report.Failed - a.Report.Failed
		}
		return vietnamese.Compare(a.Report.Name, b.Report.Name)
	})
	p.Shown = len(p.Rows)
	p.ExportURL = "/quan-tri/giam-sat/bao-cao.xlsx?" + v.Encode()
	return p, nil
}

// supervisionXLSX exports the dashboard as it is filtered: one sheet of
// sites, one of every rule on every site, one of the stored runs.
func (h *Handler) supervisionXLSX(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	p, err := h.supervisionView(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	sites := xlsx.Sheet{Name: q.T("compliance.sheet_sites"), Header: []string{q.T("compliance.col_site"), q.T("compliance.col_code"),
		q.T("compliance.col_kind"), q.T("compliance.col_result"), q.T("compliance.col_failed"), q.T("compliance.col_passed"),
		q.T("compliance.col_skipped"), q.T("compliance.col_reasons")}}
	rules := xlsx.Sheet{Name: q.T("compliance.sheet_rules"), Header: []string{q.T("compliance.col_site"), q.T("compliance.col_code"),
		q.T("compliance.col_rule"), q.T("compliance.col_result"), q.T("compliance.col_reasons"), q.T("compliance.col_law")}}
	for _, row := range p.Rows {
		sr := row.Report
		result := q.T("compliance.pass")
		if !sr.OK() {
			result = q.T("compliance.fail")
		}
		sites.Rows = append(sites.Rows, []any{sr.Name, sr.Code, q.T("compliance.kind." + sr.Kind), result, sr.Failed, sr.Passed, sr.Skipped,
			strings.Join(row.Failures, "\n")})
		for _, f := range sr.Findings {
			rules.Rows = append(rules.Rows, []any{sr.Name, sr.Code, f.Name, q.T("compliance.status." + string(f.Status)), reasonText(q, f), f.Law})
		}
	}
	runs := xlsx.Sheet{Name: q.T("compliance.sheet_runs"), Header: []string{q.T("compliance.col_at"), q.T("compliance.col_pack"),
		q.T("compliance.col_sites"), q.T("compliance.col_failing"), q.T("compliance.col_actor")}}
	for _, run := range p.Runs {
		runs.Rows = append(runs.Rows, []any{run.At.In(web.VietnamTime()), run.Pack, run.Sites, run.Failing, run.Actor})
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="kiem-tra-tuan-thu-`+p.Report.At.In(web.VietnamTime()).Format("2006-01-02")+`.xlsx"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := xlsx.Write(w, sites, rules, runs); err != nil {
		h.Logger.Error("xlsx", "err", err)
	}
}

// recordRun runs the audit and stores it in the history.
func (h *Handler) recordRun(w http.ResponseWriter, r *http.Request) {
	rep, err := h.Compliance.Audit(r.Context(), "")
	if err == nil {
		_, err = h.Compliance.Record(r.Context(), rep)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/quan-tri/giam-sat?da-luu=1", http.StatusSeeOther)
}

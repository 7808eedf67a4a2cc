package dataportal

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/i18n"
	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/vietnamese"
	"github.com/congvn/cong/internal/web"
	"github.com/congvn/cong/internal/xlsx"
)

// previewRows is how many rows a preview page shows.
const previewRows = 50

type previewCol struct {
	opendata.Column
	Param   string // the filter's parameter name
	Value   string // the filter's current value
	SortURL string
	Sorted  string // "asc", "desc" or ""
	TypeKey string
}

type preview struct {
	Cols     []previewCol
	Rows     [][]string
	Numeric  []bool
	Total    int64
	Page     int
	Pages    int64
	Query    string
	PrevURL  string
	NextURL  string
	ResetURL string
	Filtered bool
	Error    string
	Dumps    []rdfLink
	From     int64
	To       int64
}

type versionLink struct {
	V   *opendata.FileVersion
	URL string
}

type resourcePage struct {
	sizer
	D           *opendata.Dataset
	R           *opendata.Resource
	DatasetURL  string
	DownloadURL string
	Versions    []versionLink
	Preview     *preview
	Report      string
	APIURL      string
}

func (h *Handler) resourcePage(w http.ResponseWriter, r *http.Request) {
	q := web.FromRequest(r)
	id := r.PathValue("res")
	// A resource is also found by its position in the dataset (1, 2…).
	if n, err := strconv.Atoi(id); err == nil && n > 0 && n < 1000 {
		if d, err := h.Data.Dataset(r.Context(), r.PathValue("name")); err == nil && n <= len(d.Resources) {
			id = d.Resources[n-1].ID
		}
	}
	res, d, err := h.Data.Resource(r.Context(), id)
	if err == nil && (d.Name != r.PathValue("name") && d.ID != r.PathValue("name") || d.State != opendata.Active) {
		err = fault.New(fault.NotFound, "data.resource_not_found", r.PathValue("res"))
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	base := "/du-lieu/" + d.Name + "/tai-nguyen/" + res.ID
	p := resourcePage{sizer: sizer{q.Lang}, D: d, R: res, DatasetURL: q.URL("/du-lieu/" + d.Name), DownloadURL: resourceURL(q, d, res)}
	if res.Upload() {
		vs, err := h.Data.FileVersions(r.Context(), res.ID)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		for i := len(vs) - 1; i >= 0; i-- {
			v := vs[i]
			p.Versions = append(p.Versions, versionLink{V: v, URL: dataURL(q, fmt.Sprintf("/dataset/%s/resource/%s/version/%d/download/%s", d.ID, res.ID, v.Version, v.Filename))})
		}
	}
	if rep := res.Report; rep != nil {
		switch {
		case rep.Error != "":
			p.Report = q.T(rep.Error, rep.ErrorArg)
		case rep.Converted:
			p.Report = q.T("data.report_converted", rep.Encoding)
		}
	}
	if res.Tabular() {
		p.APIURL = dataURL(q, "/api/3/action/datastore_search?resource_id="+res.ID)
		pv, err := h.preview(r, res, base)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		p.Preview = pv
	}
	v := &web.View{Title: res.Name + " – " + d.Title, Page: p}
	if r.URL.RawQuery != "" {
		v.NoIndex = true
	}
	h.Page(w, r, "pages/data_resource", v)
}

// preview runs the page's query: filters f0, f1… by column, q, sort
// (column number, "-" for descending), page.
func (h *Handler) preview(r *http.Request, res *opendata.Resource, base string) (*preview, error) {
	q := web.FromRequest(r)
	params := r.URL.Query()
	p := &preview{Query: vietnamese.Clean(params.Get("q"))}
	if len([]rune(p.Query)) > web.MaxQuery {
		p.Query = string([]rune(p.Query)[:web.MaxQuery])
	}
	page, _ := strconv.Atoi(params.Get("trang"))
	page = min(max(page, 1), 100000)
	req := opendata.DatastoreRequest{ResourceID: res.ID, Q: p.Query, Limit: previewRows, Offset: (page - 1) * previewRows, Filters: map[string]any{}}
	sortCol, desc := -1, false
	if s := params.Get("sap-xep"); s != "" {
		desc = strings.HasPrefix(s, "-")
		if n, err := strconv.Atoi(strings.TrimPrefix(s, "-")); err == nil && n >= 0 && n < len(res.Columns) {
			sortCol = n
			req.Sort = opendata.QuoteSortKey(res.Columns[n].ID)
			if desc {
				req.Sort += " desc"
			}
		}
	}
	link := func(set map[string]string) string {
		v := url.Values{}
		for k, vs := range params {
			v[k] = vs
		}
		for k, x := range set {
			if x == "" {
				v.Del(k)
			} else {
				v.Set(k, x)
			}
		}
		if e := v.Encode(); e != "" {
			return q.URL(base) + "?" + e
		}
		return q.URL(base)
	}
	for i, c := range res.Columns {
		pc := previewCol{Column: c, Param: "f" + strconv.Itoa(i), Value: vietnamese.Clean(params.Get("f" + strconv.Itoa(i))), TypeKey: "data.type_" + c.Type}
		if pc.Value != "" {
			req.Filters[c.ID] = pc.Value
			p.Filtered = true
		}
		next := strconv.Itoa(i)
		if sortCol == i && !desc {
			next = "-" + next
			pc.Sorted = "asc"
		} else if sortCol == i {
			pc.Sorted = "desc"
		}
		pc.SortURL = link(map[string]string{"sap-xep": next, "trang": ""})
		p.Cols = append(p.Cols, pc)
		p.Numeric = append(p.Numeric, c.Type == opendata.TypeInt || c.Type == opendata.TypeNumeric)
	}
	p.Filtered = p.Filtered || p.Query != ""
	p.ResetURL = q.URL(base)
	for _, f := range []struct{ label, format string }{{"CSV", "csv"}, {"Excel (XLSX)", "xlsx"}, {"JSON", "json"}} {
		dump := dataURL(q, "/datastore/dump/"+res.ID+"?format="+f.format)
		p.Dumps = append(p.Dumps, rdfLink{Label: f.label, URL: dump})
	}
	out, err := h.Data.DatastoreSearch(r.Context(), req)
	if fe := fault.As(err); fe != nil && fe.Kind == fault.Invalid || isList(err) {
		p.Error = h.Message(r, err)
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	p.Total, p.Page = out.Total, page
	p.Pages = max(1, (out.Total+previewRows-1)/previewRows)
	p.From, p.To = int64(req.Offset)+1, int64(req.Offset)+int64(len(out.Records))
	if page > 1 {
		p.PrevURL = link(map[string]string{"trang": strconv.Itoa(page - 1)})
	}
	if int64(page) < p.Pages {
		p.NextURL = link(map[string]string{"trang": strconv.Itoa(page + 1)})
	}
	for _, row := range out.Records {
		cells := make([]string, 0, len(row)-1)
		for i, v := range row[1:] {
			cells = append(cells, cellText(q.Lang, v, res.Columns[i].Type))
		}
		p.Rows = append(p.Rows, cells)
	}
	return p, nil
}

func isList(err error) bool { _, ok := err.(fault.List); return ok }

// cellText writes a value for the preview: numbers with the language's
// separators, dates as Vietnamese readers write them.
func cellText(lang string, v any, typ string) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int64:
		return i18n.Number(lang, x)
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if lang == "vi" {
			whole, frac, _ := strings.Cut(s, ".")
			n, _ := strconv.ParseInt(whole, 10, 64)
			s = i18n.Number(lang, n)
			if strings.HasPrefix(whole, "-") && n == 0 {
				s = "-" + s
			}
			if frac != "" {
				s += "," + frac
			}
		}
		return s
	case string:
		if typ == opendata.TypeDate {
			if t, err := time.Parse(time.DateOnly, x); err == nil {
				return t.Format("02/01/2006")
			}
		}
		return x
	}
	return fmt.Sprint(v)
}

// download serves a resource's file (or an earlier version) and counts it.
func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	version := 0
	if v := r.PathValue("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			h.NotFound(w, r)
			return
		}
		version = n
	}
	res, _, err := h.Data.Resource(r.Context(), r.PathValue("res"))
	if err == nil && !res.Upload() {
		h.Data.CountDownload(res.ID)
		http.Redirect(w, r, res.URL, http.StatusFound)
		return
	}
	f, v, err := h.Data.OpenFile(r.Context(), r.PathValue("res"), version)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	defer f.Close()
	ctype := opendata.Mimetype(v.Format)
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	if strings.HasPrefix(ctype, "text/") {
		ctype += "; charset=utf-8"
	}
	hd := w.Header()
	hd.Set("Content-Type", ctype)
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": v.Filename}))
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("ETag", `"`+plainHash(v.Hash)+`"`)
	hd.Set("Cache-Control", "public, max-age=300")
	http.ServeContent(w, r, v.Filename, v.Created, f)
}

// dump exports a tabular resource's rows (CKAN's /datastore/dump): CSV
// with a byte order mark for Excel and cells guarded against formulas,
// TSV, JSON or an Excel workbook.
func (h *Handler) dump(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	id := r.PathValue("res")
	res, _, err := h.Data.Resource(r.Context(), id)
	if err == nil && !res.Tabular() {
		err = fault.New(fault.NotFound, "data.no_datastore", id)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var header []string
	for _, c := range res.Columns {
		header = append(header, c.ID)
	}
	name := strings.TrimSuffix(res.Filename, ".csv")
	if name == "" {
		name = vietnamese.Slug(res.Name, 60)
	}
	hd := w.Header()
	hd.Set("Cache-Control", "no-cache")
	each := func(fn func([]any) error) error { return h.Data.EachRow(r.Context(), res, fn) }
	h.Data.CountDownload(res.ID)
	switch format {
	case "csv", "tsv":
		hd.Set("Content-Type", "text/csv; charset=utf-8")
		if format == "tsv" {
			hd.Set("Content-Type", "text/tab-separated-values; charset=utf-8")
		}
		hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + "." + format}))
		bw := bufio.NewWriterSize(w, 64<<10)
		if r.URL.Query().Get("bom") != "false" {
			bw.WriteString("\uFEFF")
		}
		cw := csv.NewWriter(bw)
		if format == "tsv" {
			cw.Comma = '\t'
		}
		cw.Write(opendata.SafeRecord(header))
		rec := make([]string, len(header))
		each(func(row []any) error {
			for i, v := range row {
				rec[i] = opendata.SafeCell(rawText(v))
			}
			return cw.Write(rec)
		})
		cw.Flush()
		bw.Flush()
	case "json":
		hd.Set("Content-Type", "application/json; charset=utf-8")
		hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + ".json"}))
		bw := bufio.NewWriterSize(w, 64<<10)
		b, _ := json.Marshal(header)
		bw.WriteString(`{"fields":` + string(b) + `,"records":[`)
		first := true
		each(func(row []any) error {
			if !first {
				bw.WriteByte(',')
			}
			first = false
			b, err := json.Marshal(row)
			bw.Write(b)
			return err
		})
		bw.WriteString("]}\n")
		bw.Flush()
	case "xlsx":
		if res.Rows > xlsxMaxRows {
			h.Error(w, r, fault.New(fault.Invalid, "data.xlsx_too_big", xlsxMaxRows))
			return
		}
		sheet := xlsx.Sheet{Name: "Dữ liệu", Header: header}
		each(func(row []any) error {
			sheet.Rows = append(sheet.Rows, row)
			return nil
		})
		hd.Set("Content-Type", opendata.Mimetype("XLSX"))
		hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + ".xlsx"}))
		xlsx.Write(w, sheet)
	default:
		h.Error(w, r, fault.New(fault.Invalid, "data.format_unknown", format))
	}
}

// xlsxMaxRows keeps workbooks, built in memory, reasonable.
const xlsxMaxRows = 200_000

func rawText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

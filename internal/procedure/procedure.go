// Package procedure is the catalogue of administrative procedures and
// online public services (thủ tục hành chính, dịch vụ công trực tuyến) of
// each site, integrated from an export of the national procedure database
// rather than retyped (the format is in FORMAT.md), and the published
// statistics of dossier processing per period.
package procedure

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/bulk"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/vietnamese"
)

// Levels of online service.
const (
	Full    = "toan_trinh" // dịch vụ công trực tuyến toàn trình
	Partial = "mot_phan"   // dịch vụ công trực tuyến một phần
	Info    = "thong_tin"  // cung cấp thông tin trực tuyến
)

// Levels lists the levels.
var Levels = []string{Full, Partial, Info}

// Form is a form to download: a name and where it is.
type Form struct {
	Name string `json:"ten"`
	URL  string `json:"url"`
}

// Procedure is one administrative procedure.
type Procedure struct {
	ID         int64
	SiteID     int64
	Code       string // mã thủ tục in the national database
	Name       string
	Field      string // lĩnh vực
	Level      string
	Agency     string // cơ quan thực hiện
	Steps      []string
	Dossier    []string // thành phần hồ sơ
	TimeLimit  string   // thời hạn giải quyết
	Fees       string   // phí, lệ phí
	LegalBasis []string // căn cứ pháp lý
	Forms      []Form
	OnlineURL  string // the online service
	Published  bool
	Source     string
	Created    time.Time
	Updated    time.Time
}

// Path returns the procedure's path on its site.
func (p *Procedure) Path() string { return "/thu-tuc/" + url.PathEscape(p.Code) }

// Stat is dossier processing in one period (and field, "" for all).
type Stat struct {
	SiteID   int64
	Period   string // 2025, 2025-Q3, 2025-09
	Field    string
	Received int
	OnTime   int
	Late     int
	Pending  int
	Imported time.Time
}

// OnTimeRate returns the share of resolved dossiers resolved on time, in
// percent, or -1 when none was resolved.
func (s *Stat) OnTimeRate() float64 {
	if s.OnTime+s.Late == 0 {
		return -1
	}
	return float64(s.OnTime) * 100 / float64(s.OnTime+s.Late)
}

// Store keeps procedures and statistics.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	// UpsertProcedures inserts or replaces procedures by (site, code).
	UpsertProcedures(ctx context.Context, ps []*Procedure) error
	Procedure(ctx context.Context, siteID int64, code string) (*Procedure, error)
	Procedures(ctx context.Context, q Query) ([]*Procedure, int, error)
	ProcedureFields(ctx context.Context, siteID int64) ([]string, error)
	UpsertStats(ctx context.Context, st []*Stat) error
	Stats(ctx context.Context, siteID int64) ([]*Stat, error)
}

// Recorder writes the audit log entry of a change, inside its transaction.
type Recorder interface {
	Record(ctx context.Context, action string, siteID int64, target string, detail any) error
}

// Service is the procedure catalogue.
type Service struct {
	store Store
	log   Recorder
	// Index receives published procedures; nil until search is wired in.
	Index search.Indexer
	Now   func() time.Time
}

// NewService returns a Service.
func NewService(s Store, log Recorder) *Service { return &Service{store: s, log: log, Now: time.Now} }

// Query lists a site's procedures.
type Query struct {
	SiteID int64
	Text   string // words of the name, or a code
	Field  string
	Level  string
	Limit  int
	Offset int
}

// List returns a page of a site's published procedures and the total.
func (s *Service) List(ctx context.Context, q Query) ([]*Procedure, int, error) {
	q.Text = vietnamese.Fold(vietnamese.Clean(q.Text))
	if utf8.RuneCountInString(q.Text) > 200 {
		q.Text = string([]rune(q.Text)[:200])
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	q.Offset = max(q.Offset, 0)
	return s.store.Procedures(ctx, q)
}

// Fields returns the fields of a site's procedures, for the filter.
func (s *Service) Fields(ctx context.Context, siteID int64) ([]string, error) {
	return s.store.ProcedureFields(ctx, siteID)
}

// Get returns a published procedure of a site by code.
func (s *Service) Get(ctx context.Context, siteID int64, code string) (*Procedure, error) {
	p, err := s.store.Procedure(ctx, siteID, code)
	if err != nil || !p.Published {
		return nil, fault.New(fault.NotFound, "procedure.not_found")
	}
	return p, nil
}

// Stats returns a site's dossier statistics, newest period first.
func (s *Service) Stats(ctx context.Context, siteID int64) ([]*Stat, error) {
	return s.store.Stats(ctx, siteID)
}

var (
	codeRE   = regexp.MustCompile(`^[\pL\pN][\pL\pN.\-_/]{0,59}$`)
	periodRE = regexp.MustCompile(`^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$`)
)

// validURL accepts absolute http and https links only.
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) <= 2000
}

// The import columns (FORMAT.md).
var (
	colCode    = []string{"ma_thu_tuc", "code"}
	colName    = []string{"ten_thu_tuc", "ten", "name"}
	colField   = []string{"linh_vuc", "field"}
	colLevel   = []string{"muc_do", "level"}
	colAgency  = []string{"co_quan_thuc_hien", "agency"}
	colSteps   = []string{"trinh_tu", "steps"}
	colDossier = []string{"thanh_phan_ho_so", "dossier"}
	colLimit   = []string{"thoi_han", "time_limit"}
	colFees    = []string{"phi_le_phi", "fees"}
	colBasis   = []string{"can_cu_phap_ly", "legal_basis"}
	colForms   = []string{"mau_don", "forms"}
	colOnline  = []string{"dich_vu_cong", "online_url"}
)

func clip(field string, s string, n int, errs *fault.List) string {
	s = vietnamese.Clean(s)
	if utf8.RuneCountInString(s) > n {
		*errs = append(*errs, fault.OnField(field, "field.too_long", n))
	}
	return s
}

func clipList(field string, in []string, n int, errs *fault.List) []string {
	var out []string
	for _, s := range in {
		if s = clip(field, s, n, errs); s != "" {
			out = append(out, s)
		}
	}
	if len(out) > 100 {
		*errs = append(*errs, fault.OnField(field, "procedure.list_too_long", 100))
	}
	return out
}

// rowProcedure builds a procedure from an import row.
func rowProcedure(r bulk.Row, siteID int64) (*Procedure, fault.List) {
	var errs fault.List
	p := &Procedure{SiteID: siteID, Published: true, Source: "import"}
	p.Code = strings.TrimSpace(r.Get(colCode...))
	if !codeRE.MatchString(p.Code) {
		errs = append(errs, fault.OnField("ma_thu_tuc", "procedure.code_invalid"))
	}
	p.Name = clip("ten_thu_tuc", r.Get(colName...), 1000, &errs)
	if p.Name == "" {
		errs = append(errs, fault.OnField("ten_thu_tuc", "field.required"))
	}
	p.Field = clip("linh_vuc", r.Get(colField...), 200, &errs)
	p.Agency = clip("co_quan_thuc_hien", r.Get(colAgency...), 500, &errs)
	p.Level = strings.TrimSpace(strings.ToLower(r.Get(colLevel...)))
	if p.Level == "" {
		p.Level = Info
	}
	if !slices.Contains(Levels, p.Level) {
		errs = append(errs, fault.OnField("muc_do", "procedure.level_invalid", p.Level))
	}
	p.Steps = clipList("trinh_tu", r.List(colSteps...), 4000, &errs)
	p.Dossier = clipList("thanh_phan_ho_so", r.List(colDossier...), 2000, &errs)
	p.LegalBasis = clipList("can_cu_phap_ly", r.List(colBasis...), 1000, &errs)
	p.TimeLimit = clip("thoi_han", r.Get(colLimit...), 1000, &errs)
	p.Fees = clip("phi_le_phi", r.Get(colFees...), 1000, &errs)
	p.OnlineURL = strings.TrimSpace(r.Get(colOnline...))
	if p.OnlineURL != "" && !validURL(p.OnlineURL) {
		errs = append(errs, fault.OnField("dich_vu_cong", "field.url_invalid"))
	}
	for _, f := range r.List(colForms...) {
		var form Form
		if strings.HasPrefix(f, "{") {
			if err := json.Unmarshal([]byte(f), &form); err != nil {
				errs = append(errs, fault.OnField("mau_don", "procedure.form_invalid", f))
				continue
			}
		} else {
			// CSV: "Tên mẫu | https://…"
			name, link, _ := strings.Cut(f, "|")
			form = Form{Name: name, URL: link}
		}
		form.Name, form.URL = vietnamese.Clean(form.Name), strings.TrimSpace(form.URL)
		if form.Name == "" || !validURL(form.URL) {
			errs = append(errs, fault.OnField("mau_don", "procedure.form_invalid", f))
			continue
		}
		p.Forms = append(p.Forms, form)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

// Import brings procedures from an export of the national procedure
// database into a site's catalogue: a procedure with the same code is
// replaced. Bad rows are reported by line; unless partial, one bad row
// means nothing is imported.
func (s *Service) Import(ctx context.Context, siteID int64, rows []bulk.Row, bad []bulk.RowError, partial bool) (*bulk.Report, error) {
	if err := access.Check(ctx, access.EditDisclosure, siteID); err != nil {
		return nil, err
	}
	rep := &bulk.Report{Rows: len(rows) + len(bad), Errors: append([]bulk.RowError(nil), bad...), Partial: partial}
	var ps []*Procedure
	seen := map[string]int{}
	for _, r := range rows {
		p, errs := rowProcedure(r, siteID)
		if p != nil {
			if first, dup := seen[p.Code]; dup {
				errs = append(errs, fault.OnField("ma_thu_tuc", "procedure.code_twice", p.Code, first))
			}
			seen[p.Code] = r.Line
		}
		if len(errs) > 0 {
			rep.Errors = append(rep.Errors, bulk.RowError{Line: r.Line, Err: errs})
			continue
		}
		ps = append(ps, p)
	}
	if rep.Failed() && !partial || len(ps) == 0 {
		return rep, nil
	}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.upsert(ctx, ps); err != nil {
			return err
		}
		return s.log.Record(ctx, "procedure.import", siteID, strconv.Itoa(len(ps)), map[string]any{"imported": len(ps), "bad_rows": len(rep.Errors)})
	})
	if err != nil {
		return nil, err
	}
	rep.Imported = len(ps)
	return rep, nil
}

// The statistics columns.
var (
	colPeriod   = []string{"ky", "period"}
	colReceived = []string{"tiep_nhan", "received"}
	colOnTime   = []string{"dung_han", "on_time"}
	colLate     = []string{"qua_han", "late"}
	colPending  = []string{"dang_giai_quyet", "pending"}
)

// ImportStats brings dossier statistics per period into a site (a period
// imported again is replaced).
func (s *Service) ImportStats(ctx context.Context, siteID int64, rows []bulk.Row, bad []bulk.RowError, partial bool) (*bulk.Report, error) {
	if err := access.Check(ctx, access.EditDisclosure, siteID); err != nil {
		return nil, err
	}
	rep := &bulk.Report{Rows: len(rows) + len(bad), Errors: append([]bulk.RowError(nil), bad...), Partial: partial}
	var stats []*Stat
	now := s.Now()
	for _, r := range rows {
		var errs fault.List
		st := &Stat{SiteID: siteID, Period: strings.ToUpper(strings.TrimSpace(r.Get(colPeriod...))), Field: vietnamese.Clean(r.Get(colField...)), Imported: now}
		if !periodRE.MatchString(st.Period) {
			errs = append(errs, fault.OnField("ky", "procedure.period_invalid", st.Period))
		}
		for _, c := range []struct {
			col  []string
			dest *int
		}{{colReceived, &st.Received}, {colOnTime, &st.OnTime}, {colLate, &st.Late}, {colPending, &st.Pending}} {
			v := strings.TrimSpace(r.Get(c.col...))
			if v == "" && c.col[0] == "dang_giai_quyet" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 100000000 {
				errs = append(errs, fault.OnField(c.col[0], "procedure.count_invalid", v))
				continue
			}
			*c.dest = n
		}
		if len(errs) > 0 {
			rep.Errors = append(rep.Errors, bulk.RowError{Line: r.Line, Err: errs})
			continue
		}
		stats = append(stats, st)
	}
	if rep.Failed() && !partial || len(stats) == 0 {
		return rep, nil
	}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpsertStats(ctx, stats); err != nil {
			return err
		}
		return s.log.Record(ctx, "procedure.import_stats", siteID, strconv.Itoa(len(stats)), map[string]any{"imported": len(stats)})
	})
	if err != nil {
		return nil, err
	}
	rep.Imported = len(stats)
	return rep, nil
}

// Insert adds procedures built by a program (the demo), replacing any
// with the same code.
func (s *Service) Insert(ctx context.Context, ps []*Procedure) error {
	for _, p := range ps {
		if err := access.Check(ctx, access.EditDisclosure, p.SiteID); err != nil {
			return err
		}
	}
	return s.store.InTx(ctx, func(ctx context.Context) error { return s.upsert(ctx, ps) })
}

// upsert stores procedures and puts them in the search index.
func (s *Service) upsert(ctx context.Context, ps []*Procedure) error {
	if err := s.store.UpsertProcedures(ctx, ps); err != nil {
		return err
	}
	if s.Index == nil {
		return nil
	}
	for _, p := range ps {
		if err := s.Index.Put(ctx, searchDoc(p, s.Now())); err != nil {
			return err
		}
	}
	return nil
}

// InsertStats adds statistics built by a program (the demo).
func (s *Service) InsertStats(ctx context.Context, st []*Stat) error {
	for _, x := range st {
		if err := access.Check(ctx, access.EditDisclosure, x.SiteID); err != nil {
			return err
		}
	}
	return s.store.UpsertStats(ctx, st)
}

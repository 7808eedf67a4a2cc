package opendata

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// DatastoreStore keeps the rows of tabular resources, one table per loaded
// file, with generated column names (c1, c2, …) so any header is safe.
type DatastoreStore interface {
	CreateTable(ctx context.Context, table string, cols []Column) error
	// InsertRows appends rows: _id, one value per column, then the folded
	// text of the row. It commits on its own: a long load does not hold
	// other writers back.
	InsertRows(ctx context.Context, table string, cols []Column, rows [][]any) error
	// StreamRows appends the rows of every batch next returns until it
	// returns nil; a batch may be reused once next is called again.
	StreamRows(ctx context.Context, table string, cols []Column, next func() [][]any) error
	// FinishTable builds the indexes of the columns marked Indexed.
	FinishTable(ctx context.Context, table string, cols []Column) error
	DropTable(ctx context.Context, table string) error
	SearchTable(ctx context.Context, table string, cols []Column, q *TableQuery) (*TableResult, error)
	// EachTableRow streams the rows q selects (no limit), for exports.
	EachTableRow(ctx context.Context, table string, cols []Column, q *TableQuery, fn func([]any) error) error
	// TableRowsByID returns fields of the rows with the given ids, in that
	// order.
	TableRowsByID(ctx context.Context, table string, fields []int, ids []int64) ([][]any, error)
	// SaveColumnCodes stores a coded column (see coded.go); ColumnCodes
	// reads it back. DropTable removes them with the table.
	SaveColumnCodes(ctx context.Context, table string, col int, dict []byte, parts [][]byte) error
	ColumnCodes(ctx context.Context, table string, col int) (dict []byte, parts [][]byte, err error)
}

// TableQuery is a datastore query in the store's terms: columns by
// position (-1 is _id), values already typed.
type TableQuery struct {
	Filters []Cond
	Words   []string // folded words; every one must occur in the row
	Fields  []int
	Sort    []SortKey
	Limit   int
	Offset  int
	Total   bool
}

// Cond keeps the rows whose column Col holds one of Values.
type Cond struct {
	Col    int
	Values []any
}

// SortKey orders by a column.
type SortKey struct {
	Col  int
	Desc bool
}

// TableResult is a page of rows, each with the requested fields in order.
type TableResult struct {
	Rows  [][]any
	Total int64
}

// maxIndexes bounds how many columns of one table get an index: each costs
// load time and space.
const maxIndexes = 4

// indexFrom is the number of rows from which filtered columns get an
// index; smaller tables are read whole faster than an index is built.
const indexFrom = 5000

// chooseIndexes marks the columns worth an index, in tables large enough:
// the numbers and dates readers may filter by that are not coded (coded
// columns are filtered in memory).
func chooseIndexes(cols []Column, rows int64) {
	if rows < indexFrom {
		return
	}
	n := 0
	for i := range cols {
		c := &cols[i]
		c.Indexed = n < maxIndexes && !c.Coded && c.Type != TypeText
		if c.Indexed {
			n++
		}
	}
}

// tableName names the table of a resource's file version.
func tableName(resourceID string, version int) string {
	return "ods_" + strings.ReplaceAll(resourceID, "-", "") + "_" + strconv.Itoa(version)
}

// loadBatch is how many rows go to the store at a time.
const loadBatch = 5000

// loadTable reads the UTF-8 CSV at path into a new table and returns its
// columns and what the reading found. A file that cannot be read as a
// table gives a report with Error set and no table.
func (s *Service) loadTable(ctx context.Context, table, path string, report LoadReport) (cols []Column, rep LoadReport, err error) {
	start := time.Now()
	fail := func(err error) ([]Column, LoadReport, error) {
		if fe := fault.As(err); fe != nil && fe.Kind == fault.Invalid {
			report.Error = fe.Key
			if len(fe.Args) > 0 {
				report.ErrorArg = fmt.Sprint(fe.Args[0])
			}
			return nil, report, nil
		}
		return nil, report, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, report, err
	}
	p, err := profileCSV(f, s.limits)
	f.Close()
	if err != nil {
		return fail(err)
	}
	p.report.Encoding, p.report.Converted = report.Encoding, report.Converted
	report = p.report
	cols = p.cols
	chooseIndexes(cols, p.report.Rows)
	s.coded.forgetTable(table)
	if err := s.store.DropTable(ctx, table); err != nil {
		return nil, report, err
	}
	if err := s.store.CreateTable(ctx, table, cols); err != nil {
		return nil, report, err
	}
	drop := func() { s.store.DropTable(context.WithoutCancel(ctx), table) }
	f, err = os.Open(path)
	if err != nil {
		drop()
		return nil, report, err
	}
	defer f.Close()
	cr := newCSVReader(f, p.delim)
	if _, err := cr.Read(); err != nil { // the header
		drop()
		return fail(fault.Wrap(err, fault.Invalid, "data.csv_unreadable", err.Error()))
	}
	n := len(cols)
	rows := int(p.report.Rows)
	// Coded columns take their typed value and folded text from the
	// dictionary: one map lookup a cell.
	coded := make([]*codedColumn, n)
	for i := range cols {
		if cols[i].Coded {
			coded[i] = newCodedColumn(p.order[i], cols[i].Type, rows)
		}
	}
	w := s.newRowWriter(ctx, table, cols)
	buf := <-w.free
	var id int64
	var text []byte
	rest := &restText{ends: make([]uint32, 0, rows)}
	for {
		rec, err := cr.Read()
		if err != nil {
			if err == io.EOF {
				break
			}
			w.finish(nil)
			drop()
			return fail(fault.Wrap(err, fault.Invalid, "data.csv_unreadable", err.Error()))
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		if id == int64(rows) {
			break // cannot happen: the file was profiled
		}
		id++
		start := len(buf.vals)
		buf.vals = append(buf.vals, id)
		text = text[:0]
		for i := 0; i < n; i++ {
			var v any
			if i < len(rec) {
				cell := strings.TrimSpace(rec[i])
				if c := coded[i]; c != nil {
					if cell != "" {
						code := p.dicts[i][cell]
						c.set(int(id-1), code)
						v = c.vals[code]
						text = append(append(text, c.folded[code]...), ' ')
					}
				} else if v = typed(cell, cols[i].Type); v != nil {
					start := len(text)
					if s, ok := v.(string); ok {
						text = append(append(text, FoldCell(s)...), ' ')
					} else {
						text = append(append(text, cell...), ' ')
					}
					rest.appendCell(text[start : len(text)-1])
				}
			}
			buf.vals = append(buf.vals, v)
		}
		rest.endRow()
		buf.vals = append(buf.vals, string(text))
		buf.rows = append(buf.rows, buf.vals[start:len(buf.vals):len(buf.vals)])
		if len(buf.rows) == loadBatch {
			if w.failed.Load() {
				break
			}
			w.full <- buf
			buf = <-w.free
		}
	}
	if err := w.finish(buf); err != nil {
		drop()
		return nil, report, err
	}
	if err := s.store.FinishTable(ctx, table, cols); err != nil {
		drop()
		return nil, report, err
	}
	for i, c := range coded {
		if c == nil {
			continue
		}
		dict, parts, err := c.encode(p.order[i])
		if err == nil {
			err = s.store.SaveColumnCodes(ctx, table, i, dict, parts)
		}
		if err != nil {
			drop()
			return nil, report, err
		}
		s.coded.put(table, i, c)
	}
	ends, parts := rest.encode()
	if err := s.store.SaveColumnCodes(ctx, table, restCol, ends, parts); err != nil {
		drop()
		return nil, report, err
	}
	s.coded.put(table, restCol, &codedColumn{rest: rest})
	report.Layout = 2
	report.Rows = id
	report.Seconds = time.Since(start).Seconds()
	return cols, report, nil
}

// rowWriter inserts batches of rows on a goroutine of its own while the
// next batch is read, so that reading the file and the database's work go
// side by side.
type rowWriter struct {
	free, full chan *rowBatch
	done       chan error
	failed     atomic.Bool
}

type rowBatch struct {
	rows [][]any
	vals []any
}

func (s *Service) newRowWriter(ctx context.Context, table string, cols []Column) *rowWriter {
	w := &rowWriter{free: make(chan *rowBatch, 2), full: make(chan *rowBatch, 1), done: make(chan error, 1)}
	for range 2 {
		w.free <- &rowBatch{rows: make([][]any, 0, loadBatch), vals: make([]any, 0, loadBatch*(len(cols)+2))}
	}
	go func() {
		var cur *rowBatch
		next := func() [][]any {
			if cur != nil {
				cur.rows, cur.vals = cur.rows[:0], cur.vals[:0]
				w.free <- cur
			}
			var ok bool
			if cur, ok = <-w.full; !ok {
				cur = nil
				return nil
			}
			return cur.rows
		}
		err := s.store.StreamRows(ctx, table, cols, next)
		if err != nil {
			w.failed.Store(true)
			for b := range w.full { // let the reader finish
				b.rows, b.vals = b.rows[:0], b.vals[:0]
				w.free <- b
			}
		}
		w.done <- err
	}()
	return w
}

// finish writes the last batch (nil: none) and waits for the writer.
func (w *rowWriter) finish(last *rowBatch) error {
	if last != nil && len(last.rows) > 0 {
		w.full <- last
	}
	close(w.full)
	return <-w.done
}

// DatastoreRequest is a datastore_search call, with CKAN's parameters.
type DatastoreRequest struct {
	ResourceID string
	Filters    map[string]any // column -> value, or a list of values (any of them)
	Q          string         // words to find anywhere in the row
	QFields    map[string]string
	Fields     []string
	Sort       string // "column [asc|desc], …"
	Limit      int
	Offset     int
	NoTotal    bool
}

// MaxDatastoreLimit is the most rows one datastore_search returns (CKAN's
// default rows_max).
const MaxDatastoreLimit = 32000

// DatastoreResult is a page of a resource's rows.
type DatastoreResult struct {
	Resource *Resource
	Dataset  *Dataset
	Fields   []Column // _id first when all fields are returned
	Records  [][]any
	Total    int64
}

// DatastoreSearch queries the rows of a public tabular resource.
func (s *Service) DatastoreSearch(ctx context.Context, req DatastoreRequest) (*DatastoreResult, error) {
	r, d, err := s.Resource(ctx, req.ResourceID)
	if err != nil {
		return nil, err
	}
	if !r.Tabular() {
		return nil, fault.New(fault.NotFound, "data.no_datastore", req.ResourceID)
	}
	cols := r.Columns
	byName := map[string]int{"_id": -1}
	for i, c := range cols {
		byName[c.ID] = i
	}
	colType := func(i int) string {
		if i < 0 {
			return TypeInt
		}
		return cols[i].Type
	}
	var errs fault.List
	q := &TableQuery{Limit: req.Limit, Offset: req.Offset, Total: !req.NoTotal}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	q.Limit = min(q.Limit, MaxDatastoreLimit)
	if q.Offset < 0 {
		errs = append(errs, fault.OnField("offset", "data.offset_invalid"))
	}
	for name, v := range req.Filters {
		i, ok := byName[name]
		if !ok {
			errs = append(errs, fault.OnField("filters", "data.field_unknown", name))
			continue
		}
		var raw []any
		if list, ok := v.([]any); ok {
			raw = list
		} else {
			raw = []any{v}
		}
		c := Cond{Col: i}
		for _, x := range raw {
			tv, ok := filterValue(x, colType(i))
			if !ok {
				errs = append(errs, fault.OnField("filters", "data.filter_value", name))
				break
			}
			if tv != nil {
				c.Values = append(c.Values, tv)
			}
		}
		q.Filters = append(q.Filters, c)
	}
	text := req.Q
	for name, v := range req.QFields {
		if _, ok := byName[name]; !ok {
			errs = append(errs, fault.OnField("q", "data.field_unknown", name))
		}
		text += " " + v
	}
	q.Words = strings.Fields(FoldCell(vietnamese.Clean(text)))
	if len(q.Words) > 10 {
		q.Words = q.Words[:10]
	}
	fields := []Column{{ID: "_id", Type: TypeInt}}
	q.Fields = []int{-1}
	if len(req.Fields) > 0 {
		fields, q.Fields = nil, nil
		for _, name := range req.Fields {
			i, ok := byName[name]
			if !ok {
				errs = append(errs, fault.OnField("fields", "data.field_unknown", name))
				continue
			}
			q.Fields = append(q.Fields, i)
			if i < 0 {
				fields = append(fields, Column{ID: "_id", Type: TypeInt})
			} else {
				fields = append(fields, Column{ID: cols[i].ID, Type: cols[i].Type})
			}
		}
	} else {
		for i, c := range cols {
			q.Fields = append(q.Fields, i)
			fields = append(fields, Column{ID: c.ID, Type: c.Type})
		}
	}
	for _, part := range splitSort(req.Sort) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, desc := part, false
		if i := strings.LastIndexByte(part, ' '); i > 0 {
			switch strings.ToLower(part[i+1:]) {
			case "desc":
				name, desc = strings.TrimSpace(part[:i]), true
			case "asc":
				name = strings.TrimSpace(part[:i])
			}
		}
		name = strings.Trim(name, `"`)
		i, ok := byName[name]
		if !ok {
			errs = append(errs, fault.OnField("sort", "data.field_unknown", name))
			continue
		}
		q.Sort = append(q.Sort, SortKey{Col: i, Desc: desc})
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(q.Filters) == 0 && len(q.Words) == 0 {
		q.Total = false // every row: the count is known
	}
	res, ok, err := s.codedSearch(ctx, r, q)
	if err != nil {
		return nil, err
	}
	if !ok {
		if res, err = s.store.SearchTable(ctx, r.Datastore, cols, q); err != nil {
			return nil, err
		}
		if len(q.Filters) == 0 && len(q.Words) == 0 {
			res.Total = r.Rows
		}
	}
	return &DatastoreResult{Resource: r, Dataset: d, Fields: fields, Records: res.Rows, Total: res.Total}, nil
}

// splitSort splits a sort at its commas, but not at those inside a
// "quoted" column name.
func splitSort(s string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// QuoteSortKey quotes the column name of one sort key ("name [asc|desc]")
// so that a name holding a comma or a space survives.
func QuoteSortKey(k string) string {
	k = strings.TrimSpace(k)
	name, dir := k, ""
	if i := strings.LastIndexByte(k, ' '); i > 0 {
		switch strings.ToLower(k[i+1:]) {
		case "asc", "desc":
			name, dir = strings.TrimSpace(k[:i]), k[i:]
		}
	}
	if strings.HasPrefix(name, `"`) && strings.HasSuffix(name, `"`) && len(name) > 1 {
		return k
	}
	return `"` + name + `"` + dir
}

// filterValue converts a filter value from JSON or a form to a column's
// type; nil (JSON null) matches nothing.
func filterValue(x any, typ string) (any, bool) {
	var s string
	switch v := x.(type) {
	case nil:
		return nil, true
	case string:
		s = v
	case float64:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		s = strconv.FormatBool(v)
	default:
		return nil, false
	}
	s = vietnamese.Clean(s)
	switch typ {
	case TypeInt:
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	case TypeNumeric:
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	case TypeDate:
		d, ok := parseDate(s)
		return d, ok
	}
	return s, true
}

// EachRow streams every row of a tabular resource (without _id), in order,
// for exports.
func (s *Service) EachRow(ctx context.Context, r *Resource, fn func([]any) error) error {
	if !r.Tabular() {
		return fault.New(fault.NotFound, "data.no_datastore", r.ID)
	}
	q := &TableQuery{}
	for i := range r.Columns {
		q.Fields = append(q.Fields, i)
	}
	return s.store.EachTableRow(ctx, r.Datastore, r.Columns, q, fn)
}

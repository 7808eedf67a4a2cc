package opendata

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// Column types of tabular resources, as datastore_search reports them.
const (
	TypeInt     = "int"
	TypeNumeric = "numeric"
	TypeDate    = "date"
	TypeText    = "text"
)

// Column is one column of a tabular resource.
type Column struct {
	ID      string   `json:"id"`   // the header as written in the file
	Type    string   `json:"type"` // TypeInt, TypeNumeric, TypeDate or TypeText
	Values  []string `json:"values,omitempty"`
	Indexed bool     `json:"indexed,omitempty"` // an index in the database
	Coded   bool     `json:"coded,omitempty"`   // few distinct values: filtered in memory (see coded.go)
}

// maxChoices is how many distinct values a column may have for the preview
// to offer them as a list to filter by.
const maxChoices = 50

// LoadReport says what reading a tabular file found, for the publisher and
// the readers of the preview.
type LoadReport struct {
	Encoding  string  `json:"encoding"`            // what the file came in
	Converted bool    `json:"converted,omitempty"` // it was rewritten in UTF-8
	Delimiter string  `json:"delimiter"`
	Rows      int64   `json:"rows"`
	Ragged    int64   `json:"ragged,omitempty"` // rows with more or fewer cells than the header
	RaggedAt  []int   `json:"ragged_at,omitempty"`
	Error     string  `json:"error,omitempty"` // catalog key when the rows could not be loaded
	ErrorArg  string  `json:"error_arg,omitempty"`
	Seconds   float64 `json:"seconds,omitempty"`
	// Layout 2: the table has coded columns and the text of the others
	// in memory form (coded.go), so every query but a sort on two
	// columns or on an uncoded one is answered without the database's
	// indexes.
	Layout int `json:"layout,omitempty"`
}

// profile is what the first pass over a file learns about its columns.
type profile struct {
	delim  rune
	cols   []Column
	canInt []bool
	canNum []bool
	canDt  []bool
	// dicts number the distinct values of each column (from 1; 0 is an
	// empty cell), while there are few enough to code the column; nil
	// past that. order lists them by number.
	dicts  []map[string]uint16
	order  [][]string
	report LoadReport
}

// maxCodes is the most distinct values a coded column may have; maxDistinct
// bounds what the first pass remembers over all columns.
const (
	maxCodes    = 1<<16 - 1
	maxDistinct = 1 << 21
	maxCodedLen = 200 // longer values make a column free text, not coded
)

// sniffDelimiter picks the separator of the first line: comma, semicolon
// (Excel on a Vietnamese Windows, where the comma is the decimal mark) or
// tab.
func sniffDelimiter(head []byte) rune {
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(head) {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func newCSVReader(r io.Reader, delim rune) *csv.Reader {
	cr := csv.NewReader(r)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return cr
}

// headerNames turns a header row into column names: cleaned, never empty,
// never starting with "_" (reserved, as in CKAN), unique.
func headerNames(rec []string) []string {
	out := make([]string, len(rec))
	for i, h := range rec {
		h = strings.TrimLeft(vietnamese.Clean(h), "_ ")
		if utf8.RuneCountInString(h) > 100 {
			h = string([]rune(h)[:100])
		}
		if h == "" {
			h = fmt.Sprintf("Cột %d", i+1)
		}
		base := h
		for n := 2; slices.Contains(out[:i], h); n++ {
			h = fmt.Sprintf("%s (%d)", base, n)
		}
		out[i] = h
	}
	return out
}

// profileCSV reads a UTF-8 CSV file once: delimiter, header, row count,
// ragged rows, and the narrowest type every value of each column fits.
func profileCSV(r io.Reader, lim Limits) (*profile, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	head, _ := br.Peek(64 << 10)
	p := &profile{delim: sniffDelimiter(head)}
	p.report.Delimiter = string(p.delim)
	cr := newCSVReader(br, p.delim)
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, fault.New(fault.Invalid, "data.csv_empty")
	}
	if err != nil {
		return nil, fault.Wrap(err, fault.Invalid, "data.csv_unreadable", err.Error())
	}
	names := headerNames(rec)
	if len(names) > lim.MaxCols {
		return nil, fault.New(fault.Invalid, "data.too_many_columns", lim.MaxCols)
	}
	n := len(names)
	p.cols = make([]Column, n)
	p.canInt, p.canNum, p.canDt = make([]bool, n), make([]bool, n), make([]bool, n)
	p.dicts, p.order = make([]map[string]uint16, n), make([][]string, n)
	nonEmpty := make([]bool, n)
	longest := make([]int, n)
	perCol := min(maxCodes, maxDistinct/max(n, 1))
	for i := range names {
		p.cols[i] = Column{ID: names[i]}
		p.canInt[i], p.canNum[i], p.canDt[i] = true, true, true
		p.dicts[i] = map[string]uint16{}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fault.Wrap(err, fault.Invalid, "data.csv_line", strconv.Itoa(pe.Line))
			}
			return nil, err
		}
		if len(rec) == 1 && rec[0] == "" {
			continue // a blank line
		}
		p.report.Rows++
		if p.report.Rows > lim.MaxRows {
			return nil, fault.New(fault.Invalid, "data.too_many_rows", lim.MaxRows)
		}
		if len(rec) != n {
			p.report.Ragged++
			if len(p.report.RaggedAt) < 20 {
				line, _ := cr.FieldPos(0)
				p.report.RaggedAt = append(p.report.RaggedAt, line)
			}
		}
		for i := 0; i < n && i < len(rec); i++ {
			v := strings.TrimSpace(rec[i])
			if v == "" {
				continue
			}
			nonEmpty[i] = true
			if d := p.dicts[i]; d != nil {
				if _, ok := d[v]; ok {
					continue // a value seen before: its type was checked
				}
				if len(d) >= perCol || len(v) > maxCodedLen {
					p.dicts[i], p.order[i] = nil, nil
				} else {
					v = strings.Clone(v)
					d[v] = uint16(len(d) + 1)
					p.order[i] = append(p.order[i], v)
				}
			}
			longest[i] = max(longest[i], len(v))
			if p.canInt[i] && !isInt(v) {
				p.canInt[i] = false
			}
			if p.canNum[i] && !isNumber(v) {
				p.canNum[i] = false
			}
			if p.canDt[i] {
				if _, ok := parseDate(v); !ok {
					p.canDt[i] = false
				}
			}
		}
	}
	for i := range p.cols {
		c := &p.cols[i]
		switch {
		case !nonEmpty[i]:
			c.Type = TypeText
		case p.canInt[i]:
			c.Type = TypeInt
		case p.canNum[i]:
			c.Type = TypeNumeric
		case p.canDt[i]:
			c.Type = TypeDate
		default:
			c.Type = TypeText
		}
		c.Coded = p.dicts[i] != nil && nonEmpty[i]
		if c.Coded && len(p.order[i]) <= maxChoices && longest[i] <= 80 {
			for _, v := range p.order[i] {
				if c.Type == TypeDate {
					v, _ = parseDate(v)
				}
				if !slices.Contains(c.Values, v) {
					c.Values = append(c.Values, v)
				}
			}
			sortValues(c.Values, c.Type)
		}
	}
	return p, nil
}

func sortValues(vs []string, typ string) {
	switch typ {
	case TypeInt, TypeNumeric:
		slices.SortFunc(vs, func(a, b string) int {
			x, _ := strconv.ParseFloat(a, 64)
			y, _ := strconv.ParseFloat(b, 64)
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		})
	case TypeDate:
		slices.Sort(vs)
	default:
		slices.SortFunc(vs, vietnamese.Compare)
	}
}

// isInt accepts integers that fit in 64 bits and have no leading zero:
// "0123" is a code (a postal code, an account number), kept as text.
func isInt(v string) bool {
	s := strings.TrimPrefix(v, "-")
	if s == "" || len(s) > 18 || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isNumber accepts decimal numbers written with a point.
func isNumber(v string) bool {
	s := strings.TrimPrefix(v, "-")
	if s == "" || len(s) > 30 {
		return false
	}
	dot, digits := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	if !dot && len(s) > 1 && s[0] == '0' {
		return false
	}
	return digits > 0
}

// parseDate accepts YYYY-MM-DD and the Vietnamese DD/MM/YYYY, and returns
// the ISO form.
func parseDate(v string) (string, bool) {
	if len(v) != 10 {
		return "", false
	}
	var layout string
	switch {
	case v[4] == '-' && v[7] == '-':
		layout = "2006-01-02"
	case v[2] == '/' && v[5] == '/':
		layout = "02/01/2006"
	default:
		return "", false
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// typed converts a cell to its column's type: int64, float64 or string
// (dates in ISO form); nil for an empty cell.
func typed(v, typ string) any {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	switch typ {
	case TypeInt:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	case TypeNumeric:
		if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
	case TypeDate:
		if d, ok := parseDate(v); ok {
			return d
		}
	}
	return v
}

// FoldCell folds a value for the full-text column: lower case without
// tones, quickly when it is plain ASCII.
func FoldCell(v string) string {
	for i := 0; i < len(v); i++ {
		if v[i] >= utf8.RuneSelf {
			return vietnamese.Fold(v)
		}
	}
	return strings.ToLower(v)
}

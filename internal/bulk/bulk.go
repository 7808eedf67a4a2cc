// Package bulk reads the files operators import (CSV with a header row, or
// JSON Lines) as rows of named fields that remember their line, so every
// bad row can be reported by its line number, and carries the operator's
// choice between importing nothing when any row is bad and importing the
// good rows.
package bulk

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/i18n"
	"github.com/congvn/cong/internal/vietnamese"
)

// Limits on an import.
const (
	MaxRows  = 500000
	MaxLine  = 1 << 20 // bytes in one JSON line or CSV record
	MaxValue = 200000  // bytes in one value
)

// Row is one record: field name to values (a JSON array, or a CSV cell
// split into lines where the caller asks for a list).
type Row struct {
	Line   int
	Fields map[string][]string
}

// Get returns a field's value, its values joined by newlines.
func (r Row) Get(names ...string) string {
	for _, n := range names {
		if v, ok := r.Fields[n]; ok {
			return strings.Join(v, "\n")
		}
	}
	return ""
}

// List returns a field's values: a JSON array's items, or a CSV cell's
// non-empty lines.
func (r Row) List(names ...string) []string {
	for _, n := range names {
		v, ok := r.Fields[n]
		if !ok {
			continue
		}
		var out []string
		for _, s := range v {
			for _, l := range strings.Split(s, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					out = append(out, l)
				}
			}
		}
		return out
	}
	return nil
}

// RowError is what was wrong with one row.
type RowError struct {
	Line int
	Err  error
}

// Report says what an import did.
type Report struct {
	Rows     int
	Imported int
	Errors   []RowError
	// Partial is the operator's choice: import the good rows even when
	// some are bad.
	Partial bool
}

// Failed reports whether any row was bad.
func (r *Report) Failed() bool { return len(r.Errors) > 0 }

// Messages writes each bad row's problems in lang, one line each:
// "dòng 12: số ký hiệu: …".
func (r *Report) Messages(lang string) []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, i18n.T(lang, "bulk.line", e.Line)+": "+Describe(lang, e.Err))
	}
	return out
}

// Describe translates an error for an import report.
func Describe(lang string, err error) string {
	var l fault.List
	if errors.As(err, &l) {
		var parts []string
		for _, e := range l {
			parts = append(parts, describeOne(lang, e))
		}
		return strings.Join(parts, "; ")
	}
	if e := fault.As(err); e != nil && e.Kind != fault.Internal {
		return describeOne(lang, e)
	}
	return err.Error()
}

func describeOne(lang string, e *fault.Error) string {
	msg := i18n.T(lang, e.Key, e.Args...)
	if e.Field != "" {
		return e.Field + ": " + msg
	}
	return msg
}

// ErrFormat is returned for a file that is neither CSV nor JSON Lines.
var ErrFormat = errors.New("bulk: unknown format")

// Read reads every row of a CSV or JSON Lines file (format "csv" or
// "jsonl"; "" guesses from the first byte). Rows that cannot be parsed at
// all become RowErrors; the caller validates the others.
func Read(r io.Reader, format string) ([]Row, []RowError, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if format == "" {
		b, _ := br.Peek(4)
		b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
		if len(bytes.TrimSpace(b)) > 0 && bytes.TrimSpace(b)[0] == '{' {
			format = "jsonl"
		} else {
			format = "csv"
		}
	}
	switch format {
	case "jsonl", "json":
		return readJSONL(br)
	case "csv":
		return readCSV(br)
	}
	return nil, nil, ErrFormat
}

func readJSONL(r *bufio.Reader) ([]Row, []RowError, error) {
	var rows []Row
	var bad []RowError
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xEF\xBB\xBF"))
		}
		if len(line) == 0 {
			continue
		}
		if len(rows)+len(bad) >= MaxRows {
			return rows, bad, fmt.Errorf("bulk: more than %d rows", MaxRows)
		}
		if !utf8.Valid(line) {
			bad = append(bad, RowError{n, fault.New(fault.Invalid, "bulk.not_utf8")})
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil {
			bad = append(bad, RowError{n, fault.New(fault.Invalid, "bulk.bad_json", err.Error())})
			continue
		}
		row := Row{Line: n, Fields: map[string][]string{}}
		ok := true
		for k, raw := range obj {
			vals, err := values(raw)
			if err != nil {
				bad = append(bad, RowError{n, fault.New(fault.Invalid, "bulk.bad_value", k)})
				ok = false
				break
			}
			row.Fields[strings.ToLower(strings.TrimSpace(k))] = vals
		}
		if ok {
			rows = append(rows, row)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			bad = append(bad, RowError{n + 1, fault.New(fault.Invalid, "bulk.line_too_long", MaxLine>>10)})
			return rows, bad, nil
		}
		return rows, bad, err
	}
	return rows, bad, nil
}

// values turns a JSON value into strings: a string, a number or a boolean
// is one value; an array of them is several; an object in an array (a form
// with a name and a URL) is kept as its JSON text.
func values(raw json.RawMessage) ([]string, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	one := func(x any) (string, error) {
		switch t := x.(type) {
		case nil:
			return "", nil
		case string:
			if len(t) > MaxValue {
				return "", errors.New("too long")
			}
			return vietnamese.NFC(t), nil
		case float64:
			return strconv.FormatFloat(t, 'f', -1, 64), nil
		case bool:
			return strconv.FormatBool(t), nil
		case map[string]any:
			b, _ := json.Marshal(t)
			return string(b), nil
		}
		return "", errors.New("unsupported")
	}
	if arr, ok := v.([]any); ok {
		out := make([]string, 0, len(arr))
		for _, x := range arr {
			s, err := one(x)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, err := one(v)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

func readCSV(r *bufio.Reader) ([]Row, []RowError, error) {
	if b, _ := r.Peek(3); bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		r.Discard(3)
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, nil, nil
		}
		return nil, []RowError{{1, fault.New(fault.Invalid, "bulk.bad_csv", err.Error())}}, nil
	}
	for i, h := range head {
		head[i] = strings.ToLower(strings.TrimSpace(h))
	}
	var rows []Row
	var bad []RowError
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, RowError{pe.StartLine, fault.New(fault.Invalid, "bulk.bad_csv", pe.Err.Error())})
				if errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrQuote) {
					// The rest of the file cannot be read reliably.
					return rows, bad, nil
				}
				continue
			}
			return rows, bad, err
		}
		if len(rows)+len(bad) >= MaxRows {
			return rows, bad, fmt.Errorf("bulk: more than %d rows", MaxRows)
		}
		if len(rec) != len(head) {
			bad = append(bad, RowError{line, fault.New(fault.Invalid, "bulk.columns", len(rec), len(head))})
			continue
		}
		row := Row{Line: line, Fields: map[string][]string{}}
		valid := true
		for i, v := range rec {
			if !utf8.ValidString(v) {
				bad = append(bad, RowError{line, fault.New(fault.Invalid, "bulk.not_utf8")})
				valid = false
				break
			}
			if len(v) > MaxValue {
				bad = append(bad, RowError{line, fault.New(fault.Invalid, "bulk.bad_value", head[i])})
				valid = false
				break
			}
			row.Fields[head[i]] = []string{vietnamese.NFC(v)}
		}
		if valid {
			rows = append(rows, row)
		}
	}
	return rows, bad, nil
}

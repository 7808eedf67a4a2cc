// Package xlsx writes Excel workbooks (Office Open XML spreadsheets) for the
// reports users download: tables of text, numbers and dates, a bold header
// row, one sheet per table. Only what reports need; no formulas, so a cell
// is never executed when opened.
package xlsx

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sheet is one table: a name (at most 31 characters, as Excel requires), a
// header row, and rows of cells. A cell is a string, an integer or float
// type, a bool, a time.Time (written as a date or date-time), or nil.
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]any
	// Widths are column widths in characters; missing ones are guessed from
	// the content.
	Widths []float64
}

// Write writes a workbook with the given sheets to w.
func Write(w io.Writer, sheets ...Sheet) error {
	if len(sheets) == 0 {
		return fmt.Errorf("xlsx: no sheets")
	}
	z := zip.NewWriter(w)
	file := func(name, content string) error {
		f, err := z.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(f, content)
		return err
	}
	var types, rels, book strings.Builder
	types.WriteString(xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
	rels.WriteString(xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	book.WriteString(xml.Header + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	used := map[string]bool{}
	for i, s := range sheets {
		n := i + 1
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		fmt.Fprintf(&book, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, esc(sheetName(s.Name, n, used)), n, n)
		if err := file(fmt.Sprintf("xl/worksheets/sheet%d.xml", n), sheetXML(s)); err != nil {
			return err
		}
	}
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, len(sheets)+1)
	types.WriteString(`</Types>`)
	rels.WriteString(`</Relationships>`)
	book.WriteString(`</sheets></workbook>`)
	for _, f := range []struct{ name, content string }{
		{"[Content_Types].xml", types.String()},
		{"_rels/.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", book.String()},
		{"xl/_rels/workbook.xml.rels", rels.String()},
		{"xl/styles.xml", styles},
	} {
		if err := file(f.name, f.content); err != nil {
			return err
		}
	}
	return z.Close()
}

// Style indexes in styles.xml.
const (
	styleText   = 0
	styleHeader = 1
	styleDate   = 2
	styleTime   = 3
)

const styles = xml.Header + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm"/></numFmts>` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
	`</styleSheet>`

func sheetXML(s Sheet) string {
	var b strings.Builder
	b.WriteString(xml.Header + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	if len(s.Header) > 0 {
		b.WriteString(`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`)
	}
	widths := columnWidths(s)
	if len(widths) > 0 {
		b.WriteString(`<cols>`)
		for i, w := range widths {
			fmt.Fprintf(&b, `<col min="%d" max="%d" width="%.1f" customWidth="1"/>`, i+1, i+1, w)
		}
		b.WriteString(`</cols>`)
	}
	b.WriteString(`<sheetData>`)
	r := 0
	if len(s.Header) > 0 {
		r++
		row := make([]any, len(s.Header))
		for i, h := range s.Header {
			row[i] = h
		}
		writeRow(&b, r, row, styleHeader)
	}
	for _, row := range s.Rows {
		r++
		writeRow(&b, r, row, styleText)
	}
	b.WriteString(`</sheetData></worksheet>`)
	return b.String()
}

func writeRow(b *strings.Builder, r int, row []any, style int) {
	fmt.Fprintf(b, `<row r="%d">`, r)
	for c, v := range row {
		ref := Column(c) + strconv.Itoa(r)
		switch x := v.(type) {
		case nil:
			continue
		case string:
			fmt.Fprintf(b, `<c r="%s" t="inlineStr" s="%d"><is><t xml:space="preserve">%s</t></is></c>`, ref, style, esc(x))
		case bool:
			n := 0
			if x {
				n = 1
			}
			fmt.Fprintf(b, `<c r="%s" t="b"><v>%d</v></c>`, ref, n)
		case time.Time:
			st := styleDate
			if x.Hour() != 0 || x.Minute() != 0 || x.Second() != 0 {
				st = styleTime
			}
			fmt.Fprintf(b, `<c r="%s" s="%d"><v>%s</v></c>`, ref, st, strconv.FormatFloat(serial(x), 'f', -1, 64))
		case int:
			fmt.Fprintf(b, `<c r="%s"><v>%d</v></c>`, ref, x)
		case int64:
			fmt.Fprintf(b, `<c r="%s"><v>%d</v></c>`, ref, x)
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				continue
			}
			fmt.Fprintf(b, `<c r="%s"><v>%s</v></c>`, ref, strconv.FormatFloat(x, 'f', -1, 64))
		default:
			fmt.Fprintf(b, `<c r="%s" t="inlineStr" s="%d"><is><t xml:space="preserve">%s</t></is></c>`, ref, style, esc(fmt.Sprint(x)))
		}
	}
	b.WriteString(`</row>`)
}

// serial converts a time to Excel's date number (days since 1899-12-30),
// keeping its wall-clock fields: a report in Vietnam time shows Vietnam time.
func serial(t time.Time) float64 {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	return wall.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
}

// Column returns the letters of a zero-based column index: 0 is A, 26 is AA.
func Column(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func columnWidths(s Sheet) []float64 {
	n := len(s.Header)
	for _, r := range s.Rows {
		n = max(n, len(r))
	}
	w := make([]float64, n)
	measure := func(i int, v any) {
		l := 10.0
		switch x := v.(type) {
		case string:
			l = float64(utf8.RuneCountInString(x)) + 2
		case time.Time:
			l = 17
		}
		w[i] = math.Min(60, math.Max(w[i], l))
	}
	for i, h := range s.Header {
		measure(i, h)
	}
	for j, r := range s.Rows {
		if j > 200 {
			break
		}
		for i, v := range r {
			measure(i, v)
		}
	}
	for i := range w {
		if i < len(s.Widths) && s.Widths[i] > 0 {
			w[i] = s.Widths[i]
		}
	}
	return w
}

// sheetName makes a valid, unique sheet name: at most 31 characters,
// without : \ / ? * [ ].
func sheetName(name string, n int, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" {
		name = "Sheet" + strconv.Itoa(n)
	}
	if utf8.RuneCountInString(name) > 31 {
		name = string([]rune(name)[:31])
	}
	base := name
	for i := 2; used[strings.ToLower(name)]; i++ {
		suffix := " (" + strconv.Itoa(i) + ")"
		r := []rune(base)
		name = string(r[:min(len(r), 31-len(suffix))]) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

// esc escapes text for XML, dropping characters XML 1.0 cannot hold.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF:
			b.WriteRune(r)
		}
	}
	return b.String()
}

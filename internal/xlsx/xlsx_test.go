package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"
)

func TestWrite(t *testing.T) {
	var buf bytes.Buffer
	when := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	err := Write(&buf, Sheet{
		Name:   "Phản ánh: tháng 11/2026",
		Header: []string{"Đơn vị", "Đã tiếp nhận", "Ngày", "Ghi chú"},
		Rows: [][]any{
			{"Phường Ba Đình", 120, when, "=HYPERLINK(\"http://evil\")"},
			{"Xã Đông Anh & <Sóc Sơn>", int64(7), when.Add(90 * time.Minute), nil},
			{"bad \x01 char", 3.5, true},
		},
	}, Sheet{Name: "Phản ánh: tháng 11/2026", Rows: [][]any{{"trùng tên"}}})
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range z.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
		// Every part is well-formed XML.
		d := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
		}
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} {
		if _, ok := files[name]; !ok {
			t.Errorf("missing part %s", name)
		}
	}
	s1 := files["xl/worksheets/sheet1.xml"]
	for _, want := range []string{
		`<c r="A1" t="inlineStr" s="1"><is><t xml:space="preserve">Đơn vị</t>`,
		`<c r="B2"><v>120</v></c>`,
		`<c r="C2" s="2"><v>46353</v></c>`, // 27/11/2026
		`<c r="C3" s="3"><v>46353.0625</v></c>`,
		`Xã Đông Anh &amp; &lt;Sóc Sơn&gt;`,
		`<t xml:space="preserve">=HYPERLINK(&quot;http://evil&quot;)</t>`, // text, never a formula
		`<c r="C4" t="b"><v>1</v></c>`,
		`bad  char`,
	} {
		if !strings.Contains(s1, want) {
			t.Errorf("sheet1 lacks %s", want)
		}
	}
	if strings.Contains(s1, "<f>") {
		t.Errorf("a formula was written")
	}
	book := files["xl/workbook.xml"]
	if !strings.Contains(book, `name="Phản ánh- tháng 11-2026"`) || !strings.Contains(book, `name="Phản ánh- tháng 11-2026 (2)"`) {
		t.Errorf("sheet names: %s", book)
	}
}

func TestColumn(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := Column(i); got != want {
			t.Errorf("Column(%d) = %s, want %s", i, got, want)
		}
	}
}

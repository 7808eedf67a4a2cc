package attach

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/congvn/cong/internal/fault"
)

func zipWith(t *testing.T, name string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, err := z.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("<xml/>"))
	z.Close()
	return b.Bytes()
}

func TestCheckTrustsContentNotNames(t *testing.T) {
	pdf := []byte("%PDF-1.4\n%…\n")
	docx := zipWith(t, "word/document.xml")
	xlsx := zipWith(t, "xl/workbook.xml")
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...)
	cases := []struct {
		name    string
		body    []byte
		kind    string
		wantKey string
	}{
		{"42-2022-ND-CP.pdf", pdf, PDF, ""},
		{"mau-don.docx", docx, DOCX, ""},
		{"bang.xlsx", xlsx, XLSX, ""},
		{"cu.doc", ole, DOC, ""},
		{"cu.xls", ole, XLS, ""},
		{"gia-mao.pdf", docx, "", "attach.lies"},
		{"gia-mao.docx", pdf, "", "attach.lies"},
		{"zip-thuong.docx", zipWith(t, "other.txt"), "", "attach.content_unknown"},
		{"script.pdf", []byte("<script>alert(1)</script>"), "", "attach.content_unknown"},
		{"virus.exe", pdf, "", "attach.kind_refused"},
		{"rong.pdf", nil, "", "attach.empty"},
		{"", pdf, "", "attach.name_missing"},
	}
	for _, c := range cases {
		_, kind, err := Check(c.name, bytes.NewReader(c.body))
		if c.wantKey == "" {
			if err != nil || kind != c.kind {
				t.Errorf("%s: kind %q err %v, want %s", c.name, kind, err, c.kind)
			}
			continue
		}
		if e := fault.As(err); e == nil || e.Key != c.wantKey {
			t.Errorf("%s: err %v, want %s", c.name, err, c.wantKey)
		}
	}
	big := append([]byte("%PDF-"), make([]byte, MaxSize)...)
	if _, _, err := Check("lon.pdf", bytes.NewReader(big)); fault.As(err) == nil || fault.As(err).Key != "attach.too_large" {
		t.Errorf("a file over the limit: %v", err)
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		`C:\Users\a\Quyết định.pdf`: "Quyết định.pdf",
		"../../etc/passwd.pdf":      "passwd.pdf",
		"a\"b;c.pdf":                "abc.pdf",
		"..":                        "",
	} {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

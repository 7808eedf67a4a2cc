package feedback

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

func TestShortName(t *testing.T) {
	for in, want := range map[string]string{"Nguyễn Văn An": "N.V.A.", "  đặng   thị  hà ": "Đ.T.H.", "": "", "Ông 3 Khánh": "Ô.K."} {
		if got := ShortName(in); got != want {
			t.Errorf("ShortName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFindPersonal(t *testing.T) {
	text := "Tôi là Trần Bình, CCCD 001085012345, gọi 0912.345.678 hoặc +84 24 3825 3536, thư binh.tran@example.vn, nhà số 12 ngõ 5/3 Đội Cấn. Năm 2024 có 15 hộ."
	fs := FindPersonal(text, Contact{Name: "Trần Bình"})
	got := map[string][]string{}
	for _, f := range fs {
		got[f.Kind] = append(got[f.Kind], f.Text)
	}
	want := map[string][]string{
		"id":      {"001085012345"},
		"phone":   {"0912.345.678", "+84 24 3825 3536"},
		"email":   {"binh.tran@example.vn"},
		"address": {"nhà số 12", "ngõ 5/3"},
		"name":    {"Trần Bình"},
	}
	for k, w := range want {
		if strings.Join(got[k], "|") != strings.Join(w, "|") {
			t.Errorf("%s: found %q, want %q", k, got[k], w)
		}
	}
	red := Redact(text, Contact{Name: "Trần Bình"})
	for _, gone := range []string{"001085012345", "0912", "3825", "binh.tran", "Trần Bình"} {
		if strings.Contains(red, gone) {
			t.Errorf("redacted text still has %q: %s", gone, red)
		}
	}
	if !strings.Contains(red, "số 12") || !strings.Contains(red, "Năm 2024 có 15 hộ") {
		t.Errorf("redaction removed too much: %s", red)
	}
}

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckFile(t *testing.T) {
	p := pngBytes(t)
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	tests := []struct {
		name string
		up   Upload
		err  string
	}{
		{"png", Upload{Name: "anh.png", Type: "image/png", Data: p}, ""},
		{"png with trailing junk is re-encoded", Upload{Name: "anh.png", Data: append(append([]byte{}, p...), []byte("<?php evil ?>")...)}, ""},
		{"pdf", Upload{Name: "don.pdf", Type: "application/pdf", Data: pdf}, ""},
		{"png named jpg", Upload{Name: "anh.jpg", Data: p}, "feedback.file_mislabeled"},
		{"png claimed pdf", Upload{Name: "anh.png", Type: "application/pdf", Data: p}, "feedback.file_mislabeled"},
		{"html named png", Upload{Name: "x.png", Data: []byte("<html><script>alert(1)</script>")}, "feedback.file_type"},
		{"exe", Upload{Name: "x.exe", Data: []byte("MZ\x90\x00")}, "feedback.file_type"},
		{"too large", Upload{Name: "x.pdf", Data: append([]byte("%PDF-"), make([]byte, MaxFileBytes)...)}, "feedback.file_too_large"},
		{"pdf with javascript", Upload{Name: "x.pdf", Data: []byte("%PDF-1.4\n<< /OpenAction << /JavaScript (app.alert(1)) >> >>\n%%EOF")}, "feedback.file_active"},
		{"truncated png", Upload{Name: "x.png", Data: p[:20]}, "feedback.file_broken"},
		{"empty", Upload{Name: "x.png"}, "feedback.file_empty"},
	}
	for _, tt := range tests {
		f, err := CheckFile("files", tt.up)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: err %v, want %s", tt.name, err, tt.err)
		case tt.err == "" && bytes.Contains(f.Data, []byte("php")):
			t.Errorf("%s: trailing data kept", tt.name)
		}
	}
	if f, _ := CheckFile("files", Upload{Name: `C:\Users\an\..\ảnh.png`, Data: p}); f == nil || f.Name != "ảnh.png" {
		t.Errorf("path in the name kept: %+v", f)
	}
}

func TestNormalizeCode(t *testing.T) {
	c := NewCode(Question)
	if len(c) != 14 || !strings.HasPrefix(c, "HD-") {
		t.Fatalf("code %q", c)
	}
	for _, in := range []string{c, strings.ToLower(c), strings.ReplaceAll(c, "-", " "), " " + strings.ReplaceAll(c, "-", "") + " "} {
		if got, ok := NormalizeCode(in); !ok || got != c {
			t.Errorf("NormalizeCode(%q) = %q %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "PA-12345-67890", "XX-AAAAA-BBBBB", "PA-AAAAA-BBBB", "PA-AAAAA-BBBBBB", "PA-AAAAA-BBBB'", "' OR 1=1 --"} {
		if _, ok := NormalizeCode(bad); ok {
			t.Errorf("NormalizeCode(%q) accepted", bad)
		}
	}
}

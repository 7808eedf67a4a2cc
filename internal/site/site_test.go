package site

import (
	"strings"
	"testing"
)

func TestNormalizeHost(t *testing.T) {
	for in, want := range map[string]bool{
		"hanoi.gov.vn": true, "HaNoi.Gov.VN.": true, "a": true, "xa-soc-son.hanoi.localhost:8080": true,
		"": false, ".": false, "a..b": false, "-a.vn": false, "a-.vn": false, "a_b.vn": false, "hà.vn": false,
		strings.Repeat("a", 63) + ".vn": true, strings.Repeat("a", 64) + ".vn": false,
		strings.Repeat("a.", 125) + "vn": true, strings.Repeat("a.", 126) + "vn": false,
	} {
		if _, ok := NormalizeHost(in); ok != want {
			t.Errorf("NormalizeHost(%q) valid = %v, want %v", in, ok, want)
		}
	}
	if h, _ := NormalizeHost(" HaNoi.Gov.VN.:443 "); h != "hanoi.gov.vn" {
		t.Errorf("normalised to %q", h)
	}
}

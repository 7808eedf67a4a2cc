package i18n

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*[vdsqf]`)

// Every catalog has every key of the Vietnamese one, none empty, with the
// same placeholders; no catalog has keys Vietnamese lacks.
func TestCatalogsComplete(t *testing.T) {
	vi := Catalogs()[Default]
	if len(vi) < 50 {
		t.Fatalf("the Vietnamese catalog has only %d keys", len(vi))
	}
	for lang, c := range Catalogs() {
		for k, v := range vi {
			tr, ok := c[k]
			switch {
			case !ok:
				t.Errorf("%s: missing %q", lang, k)
			case strings.TrimSpace(tr) == "":
				t.Errorf("%s: %q is empty", lang, k)
			case len(verbRE.FindAllString(tr, -1)) != len(verbRE.FindAllString(v, -1)):
				t.Errorf("%s: %q has placeholders %q; vi has %q", lang, k, verbRE.FindAllString(tr, -1), verbRE.FindAllString(v, -1))
			}
		}
		for k := range c {
			if _, ok := vi[k]; !ok {
				t.Errorf("%s: %q is not in the Vietnamese catalog", lang, k)
			}
		}
	}
	if !Has("en") {
		t.Errorf("no English catalog")
	}
}

func TestVietnameseIsNotEnglish(t *testing.T) {
	// A catalog copied without translating would pass the key check; the
	// Vietnamese text must actually be Vietnamese where it says something.
	same := 0
	for k, v := range Catalogs()[Default] {
		if Catalogs()["en"][k] == v && len(v) > 12 {
			same++
			t.Logf("same text in vi and en: %q = %q", k, v)
		}
	}
	if same > 5 {
		t.Errorf("%d messages are identical in vi and en", same)
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		lang string
		n    int64
		want string
	}{
		{"vi", 0, "0"}, {"vi", 999, "999"}, {"vi", 1000, "1.000"}, {"vi", 1234567, "1.234.567"},
		{"en", 1234567, "1,234,567"}, {"vi", -12345, "-12.345"},
	}
	for _, tt := range tests {
		if got := Number(tt.lang, tt.n); got != tt.want {
			t.Errorf("Number(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestLongDate(t *testing.T) {
	d := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	if got := LongDate("vi", d); got != "Thứ Sáu, 27/11/2026" {
		t.Errorf("vi: %q", got)
	}
	if got := LongDate("en", d); got != "Friday, 27 November 2026" {
		t.Errorf("en: %q", got)
	}
}

func TestTFallback(t *testing.T) {
	if got := T("xx", "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
	if got := T("en", "field.too_long", 200); !strings.Contains(got, "200") {
		t.Errorf("argument not formatted: %q", got)
	}
}

// Package i18n holds the interface text of every page in message catalogs:
// catalog/LANG/*.json, one file per part of the product (core.json,
// content.json, …), merged per language. Vietnamese is the reference; every
// other language must have the same keys. It also formats numbers and dates
// the way each language writes them.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

//go:embed catalog
var files embed.FS

// Default is the language of every page unless another is chosen.
const Default = "vi"

// Catalog maps message keys to text with fmt verbs for arguments.
type Catalog map[string]string

var catalogs = map[string]Catalog{}

func init() {
	langs, err := files.ReadDir("catalog")
	if err != nil {
		panic(err)
	}
	for _, l := range langs {
		if !l.IsDir() {
			continue
		}
		c := Catalog{}
		parts, err := files.ReadDir(path.Join("catalog", l.Name()))
		if err != nil {
			panic(err)
		}
		for _, part := range parts {
			name := path.Join("catalog", l.Name(), part.Name())
			b, err := files.ReadFile(name)
			if err != nil {
				panic(err)
			}
			var m Catalog
			if err := json.Unmarshal(b, &m); err != nil {
				panic(fmt.Sprintf("i18n: %s: %v", name, err))
			}
			for k, v := range m {
				if _, dup := c[k]; dup {
					panic(fmt.Sprintf("i18n: %s: key %q is defined twice", name, k))
				}
				c[k] = v
			}
		}
		catalogs[l.Name()] = c
	}
}

// Langs returns the languages that have a catalog, Vietnamese first.
func Langs() []string {
	out := []string{Default}
	for l := range catalogs {
		if l != Default {
			out = append(out, l)
		}
	}
	slices.Sort(out[1:])
	return out
}

// Has reports whether lang has a catalog.
func Has(lang string) bool { _, ok := catalogs[lang]; return ok }

// Catalogs returns every catalog by language, for completeness tests.
func Catalogs() map[string]Catalog { return catalogs }

// T returns the text of key in lang, formatted with args. A key missing in
// lang falls back to Vietnamese, then to the key itself, so a page never
// breaks for want of a translation (the tests make sure none is missing).
func T(lang, key string, args ...any) string {
	s, ok := catalogs[lang][key]
	if !ok {
		if s, ok = catalogs[Default][key]; !ok {
			s = key
		}
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Number writes n with the thousands separator of lang: 1.234.567 in
// Vietnamese, 1,234,567 in English.
func Number(lang string, n int64) string {
	sep := "."
	if lang == "en" {
		sep = ","
	}
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

var weekdays = map[string][7]string{
	"vi": {"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"},
}

// LongDate writes a date with its weekday: "Thứ Sáu, 27/11/2026" or
// "Friday, 27 November 2026".
func LongDate(lang string, t time.Time) string {
	if w, ok := weekdays[lang]; ok {
		return fmt.Sprintf("%s, %s", w[t.Weekday()], t.Format("02/01/2006"))
	}
	return t.Format("Monday, 2 January 2006")
}

// DateTime writes a date and time: "27/11/2026 16:46" (both languages use
// day/month order here, as Vietnamese readers of the English pages expect).
func DateTime(t time.Time) string { return t.Format("02/01/2006 15:04") }

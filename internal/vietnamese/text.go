// Package vietnamese holds the text rules Vietnamese readers expect: Unicode
// normalisation (NFC), folding of tones and "đ" for search and URLs, and
// sorting in Vietnamese alphabetical order.
package vietnamese

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normalisation form C, the form Vietnamese text is
// stored and compared in. Text typed on some keyboards (and pasted from some
// word processors) arrives decomposed; without this, "Hà Nội" typed two ways
// would not match.
func NFC(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// Clean normalises a one-line value from a form or an import: NFC, invalid
// UTF-8 and control characters removed, runs of white space collapsed,
// trimmed.
func Clean(s string) string {
	s = NFC(strings.ToValidUTF8(s, ""))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || r == '\uFEFF':
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Fold lower-cases s and removes tones and other diacritics, mapping "đ" to
// "d", so that "Đà Nẵng" and "da nang" fold to the same string. Folding is
// for matching and URLs, never for display.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	foldOnce.Do(makeFoldTable)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < rune(len(foldTable)) {
			if f := foldTable[r]; f > 0 {
				b.WriteRune(f)
				continue
			} else if f < 0 {
				continue // a combining mark
			}
		}
		foldRune(&b, r)
	}
	return b.String()
}

// foldTable holds the folding of Latin letters (U+0000 to U+1EFF, which
// covers every Vietnamese letter in either form): the folded rune, -1 for
// a mark to drop, 0 for a rune folded the long way.
var (
	foldTable [0x1F00]rune
	foldOnce  sync.Once
)

func makeFoldTable() {
	var b strings.Builder
	for r := rune(0); r < rune(len(foldTable)); r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		b.Reset()
		foldRune(&b, r)
		switch f := b.String(); {
		case f == "":
			foldTable[r] = -1
		case utf8.RuneCountInString(f) == 1:
			foldTable[r], _ = utf8.DecodeRuneInString(f)
		}
	}
}

// foldRune writes the folding of r: its decomposition without marks,
// lower-cased, with "đ" as "d".
func foldRune(b *strings.Builder, r rune) {
	if r == 'đ' || r == 'Đ' {
		b.WriteByte('d')
		return
	}
	for _, c := range norm.NFD.String(string(r)) {
		if !unicode.Is(unicode.Mn, c) {
			b.WriteRune(unicode.ToLower(c))
		}
	}
}

// Slug turns a title into a URL path segment: folded, ASCII letters and digits
// joined by single hyphens, at most max bytes, cut at a hyphen when it can be.
func Slug(s string, max int) string {
	f := Fold(s)
	var b strings.Builder
	b.Grow(len(f))
	hyphen := false
	for _, r := range f {
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	out := b.String()
	if max > 0 && len(out) > max {
		out = out[:max]
		if i := strings.LastIndexByte(out, '-'); i > max/2 {
			out = out[:i]
		}
		out = strings.Trim(out, "-")
	}
	return out
}

var collators = sync.Pool{New: func() any { return collate.New(language.Vietnamese) }}

// SortKey returns bytes that order strings as a Vietnamese dictionary does
// ("Đ" after "D", tones in their traditional order). Keys compare with
// bytes.Compare, so a database can sort by a stored key in either engine.
func SortKey(s string) []byte {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	var buf collate.Buffer
	k := c.KeyFromString(&buf, NFC(s))
	return append([]byte(nil), k...)
}

// Compare orders a and b as a Vietnamese dictionary does.
func Compare(a, b string) int {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	return c.CompareString(NFC(a), NFC(b))
}

package search

import (
	"hash/fnv"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/congvn/cong/internal/vietnamese"
)

// Fields is a document as the index stores it: each field a string of
// tokens separated by single spaces, so that the engine's own tokenizer
// (FTS5's unicode61 without diacritics removal, or a tsvector built token
// by token) only splits on spaces and both engines see the same tokens.
type Fields struct {
	Title string // folded tokens of the title, and the document numbers
	Body  string // folded tokens of the summary, category and body
	Exact string // lower-cased tokens of the title and summary, diacritics kept
	Meta  string // filter tokens: site, kind, year, category, language
	// Words maps the folded words of the title to a spelling with
	// diacritics, for "did you mean".
	Words map[string]string
}

// MaxIndexed bounds how much of a body is indexed, in bytes.
const MaxIndexed = 256 << 10

// token is one word: folded for matching, lower-cased with its diacritics
// for ranking exact spellings first.
type token struct{ fold, exact string }

// tokenize splits s into words: runs of letters and digits. Everything
// else (punctuation, symbols, emoji) separates words.
func tokenize(s string, emit func(token)) {
	s = vietnamese.NFC(s)
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := s[start:end]
		start = -1
		exact := strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, w)
		fold := strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return r
			}
			return -1
		}, vietnamese.Fold(w))
		if fold == "" {
			return
		}
		if exact == "" {
			exact = fold
		}
		emit(token{fold, exact})
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
}

// Tokens returns the folded words of s.
func Tokens(s string) []string {
	var out []string
	tokenize(s, func(t token) { out = append(out, t.fold) })
	return out
}

// numberKeys returns the index tokens of a document number such as
// 42/2022/NĐ-CP: one token for the whole number ("n42x2022xndxcp") and
// one for each shorter leading part of two parts or more ("n42x2022"), so
// that a number typed whole matches only that number, and "42/2022" finds
// it too. Leading zeros of numeric parts are dropped (01/2024 = 1/2024).
func numberKeys(s string) []string {
	var parts []string
	for _, p := range strings.FieldsFunc(vietnamese.Fold(s), func(r rune) bool {
		return !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	}) {
		if isDigits(p) {
			p = strings.TrimLeft(p, "0")
			if p == "" {
				p = "0"
			}
		}
		parts = append(parts, p)
	}
	if len(parts) < 2 {
		return nil
	}
	keys := make([]string, 0, len(parts)-1)
	for n := len(parts); n >= 2; n-- {
		keys = append(keys, "n"+strings.Join(parts[:n], "x"))
	}
	return keys
}

// NumberKey returns the token a document number is matched by, or "" when
// s is not shaped like one.
func NumberKey(s string) string {
	if k := numberKeys(s); len(k) > 0 && looksLikeNumber(s) {
		return k[0]
	}
	return ""
}

// looksLikeNumber reports whether a chunk of text without spaces is a
// document number or code: a digit and a "/" (42/2022/NĐ-CP, 15/QĐ-UBND),
// or a digit and at least two "." or "-" between parts (1.001234.000.00.00.H26).
func looksLikeNumber(s string) bool {
	digit, slash, seps := false, false, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r == '/':
			slash = true
		case r == '.' || r == '-':
			seps++
		}
	}
	return digit && (slash || seps >= 2)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// trimChunk removes the punctuation that surrounds a number in running
// text ("(42/2022/NĐ-CP),").
func trimChunk(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r)) })
}

// addNumbers appends the number tokens found in running text.
func addNumbers(b *strings.Builder, s string) {
	for _, chunk := range strings.Fields(s) {
		if c := trimChunk(chunk); looksLikeNumber(c) {
			for _, k := range numberKeys(c) {
				b.WriteByte(' ')
				b.WriteString(k)
			}
		}
	}
}

// Analyze turns a document into the index's fields.
func Analyze(d Doc) Fields {
	var f Fields
	var title, body, exact strings.Builder
	f.Words = map[string]string{}
	tokenize(d.Title, func(t token) {
		title.WriteString(t.fold)
		title.WriteByte(' ')
		exact.WriteString(t.exact)
		exact.WriteByte(' ')
		if _, ok := f.Words[t.fold]; !ok || t.exact != t.fold {
			f.Words[t.fold] = t.exact
		}
	})
	for _, n := range d.Numbers {
		for _, k := range numberKeys(n) {
			title.WriteString(k)
			title.WriteByte(' ')
		}
	}
	addNumbers(&title, d.Title)
	tokenize(d.Summary, func(t token) {
		exact.WriteString(t.exact)
		exact.WriteByte(' ')
	})
	text := d.Body
	if len(text) > MaxIndexed {
		text = strings.ToValidUTF8(text[:MaxIndexed], "")
	}
	for _, s := range []string{d.Summary, d.Category, text} {
		tokenize(s, func(t token) {
			body.WriteString(t.fold)
			body.WriteByte(' ')
		})
		addNumbers(&body, s)
	}
	f.Title = strings.TrimSpace(title.String())
	f.Body = strings.TrimSpace(body.String())
	f.Exact = strings.TrimSpace(exact.String())
	f.Meta = strings.Join(MetaTokens(d), " ")
	return f
}

// MetaTokens are the filter tokens of a document.
func MetaTokens(d Doc) []string {
	out := []string{SiteToken(d.SiteID), KindToken(d.Kind), LangToken(d.Lang)}
	if !d.Published.IsZero() {
		out = append(out, YearToken(d.Published.Year()))
	}
	if d.Category != "" {
		out = append(out, CategoryToken(d.Category))
	}
	return out
}

// SiteToken and the other filter tokens are words that never occur in
// text (they start with "zz"), matched as ordinary words.
func SiteToken(id int64) string { return "zzs" + strconv.FormatInt(id, 10) }

// KindToken is the filter token of a kind.
func KindToken(k Kind) string { return "zzk" + alnum(string(k)) }

// LangToken is the filter token of a language.
func LangToken(l string) string { return "zzl" + alnum(l) }

// YearToken is the filter token of a year of publication.
func YearToken(y int) string { return "zzy" + strconv.Itoa(y) }

// CategoryToken is the filter token of a category, by a hash of its
// folded name.
func CategoryToken(c string) string {
	h := fnv.New64a()
	h.Write([]byte(strings.Join(Tokens(c), " ")))
	return "zzc" + strconv.FormatUint(h.Sum64(), 36)
}

func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

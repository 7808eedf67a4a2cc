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

// foldTable maps the letters of the Latin blocks (where every Vietnamese
// letter is) to their folded form, as vietnamese.Fold does, without its
// decomposition per call: indexing a million documents folds a hundred
// million words. -1 drops the rune (a lone combining mark).
var foldTable = func() []rune {
	t := make([]rune, 0x1F00)
	for r := rune(0x80); r < 0x1F00; r++ {
		f := []rune(vietnamese.Fold(string(r)))
		switch len(f) {
		case 0:
			t[r] = -1
		case 1:
			t[r] = f[0]
		}
	}
	return t
}()

func foldRune(r rune) rune {
	switch {
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r < 0x1F00 && foldTable[r] != 0:
		return foldTable[r]
	}
	return unicode.ToLower(r)
}

func isWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// scan splits s into words (runs of letters and digits; everything else,
// punctuation, symbols and emoji, separates words) and calls emit with
// each word folded and, when exact is set, lower-cased with its
// diacritics. The slices are reused: copy what you keep.
func scan(s string, exact bool, emit func(fold, exact []byte)) {
	s = vietnamese.NFC(s)
	var fb, eb []byte
	flush := func() {
		if len(fb) > 0 {
			if exact && len(eb) == 0 {
				eb = append(eb, fb...)
			}
			emit(fb, eb)
		}
		fb, eb = fb[:0], eb[:0]
	}
	for _, r := range s {
		if !isWordRune(r) {
			flush()
			continue
		}
		if f := foldRune(r); f > 0 && (f >= 0x80 || isWordRune(f)) {
			fb = utf8.AppendRune(fb, f)
		}
		if exact && !unicode.Is(unicode.Mn, r) {
			eb = utf8.AppendRune(eb, unicode.ToLower(r))
		}
	}
	flush()
}

// tokenize is scan for callers that keep every word.
func tokenize(s string, emit func(token)) {
	scan(s, true, func(f, e []byte) { emit(token{string(f), string(e)}) })
}

// fold folds one word as the index does.
func fold(s string) string {
	var out string
	scan(s, false, func(f, _ []byte) {
		if out != "" {
			out += " "
		}
		out += string(f)
	})
	return out
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

// mayBeNumber tells cheaply whether a chunk of running text can hold a
// number: a digit and a '/', '.' or '-' (most words have neither).
func mayBeNumber(s string) bool {
	digit, sep := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c == '/' || c == '.' || c == '-':
			sep = true
		}
	}
	return digit && sep
}

// addNumbers appends the number tokens found in running text.
func addNumbers(b *strings.Builder, s string) {
	for chunk := range strings.FieldsSeq(s) {
		if !mayBeNumber(chunk) {
			continue
		}
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
		if cur, ok := f.Words[t.fold]; !ok || cur == t.fold {
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
	scan(d.Summary, true, func(_, e []byte) {
		exact.Write(e)
		exact.WriteByte(' ')
	})
	text := d.Body
	if len(text) > MaxIndexed {
		text = strings.ToValidUTF8(text[:MaxIndexed], "")
	}
	for _, s := range []string{d.Summary, d.Category, text} {
		scan(s, false, func(f, _ []byte) {
			body.Write(f)
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

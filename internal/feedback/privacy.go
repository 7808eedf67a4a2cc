package feedback

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/congvn/cong/internal/vietnamese"
)

// ShortName shortens a submitter's name for publication: "Nguyễn Văn An"
// becomes "N.V.A.", so the answer can address a person without naming them.
func ShortName(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(vietnamese.Clean(name)) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToUpper(r))
			b.WriteByte('.')
		}
	}
	return b.String()
}

// Finding is a piece of personal data found in free text.
type Finding struct {
	Kind  string // phone, id, email, address, name
	Text  string
	Start int // byte offsets in the text
	End   int
}

var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// Citizen identity cards have 12 digits, the older identity cards 9.
	idRE = regexp.MustCompile(`(?:^|[^0-9])([0-9]{12}|[0-9]{9})(?:[^0-9]|$)`)
	// Vietnamese phone numbers: 0 or +84 and 9–10 more digits, optionally
	// grouped with spaces, dots or dashes.
	phoneRE = regexp.MustCompile(`(?:\+\s?84|\b0)(?:[ .\-]?[0-9]){8,10}\b`)
	// House numbers and the like: "số 12", "ngõ 5/3", "ngách 10", "tổ 4",
	// "phòng 1203".
	addressRE = regexp.MustCompile(`(?i)(?:số nhà|nhà số|số|ngõ|ngách|hẻm|kiệt|tổ dân phố|tổ|căn hộ|phòng|lô)\s+[0-9]+[A-Za-z]?(?:/[0-9]+[A-Za-z]?)*`)
)

// FindPersonal flags phone numbers, identity numbers, e-mail addresses,
// house addresses and the submitter's own contacts in text, for the review
// before publication. It errs towards flagging: a person decides.
func FindPersonal(text string, c Contact) []Finding {
	var out []Finding
	add := func(kind string, s, e int) {
		for _, f := range out {
			if s < f.End && e > f.Start {
				return // overlaps a finding already made
			}
		}
		out = append(out, Finding{Kind: kind, Text: text[s:e], Start: s, End: e})
	}
	for _, m := range emailRE.FindAllStringIndex(text, -1) {
		add("email", m[0], m[1])
	}
	for _, m := range idRE.FindAllStringSubmatchIndex(text, -1) {
		add("id", m[2], m[3])
	}
	for _, m := range phoneRE.FindAllStringIndex(text, -1) {
		add("phone", m[0], m[1])
	}
	for _, m := range addressRE.FindAllStringIndex(text, -1) {
		add("address", m[0], m[1])
	}
	// The submitter's own name, phone and e-mail, wherever they appear.
	for _, v := range []string{c.Name, c.Phone, c.Email} {
		v = strings.TrimSpace(v)
		if utf8.RuneCountInString(v) < 4 {
			continue
		}
		lower, needle := strings.ToLower(text), strings.ToLower(v)
		for i := 0; ; {
			j := strings.Index(lower[i:], needle)
			if j < 0 {
				break
			}
			add("name", i+j, i+j+len(needle))
			i += j + len(needle)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// Hidden replaces what is removed from a published text.
const Hidden = "[đã ẩn]"

// Redact returns text with phone numbers, identity numbers, e-mail
// addresses and the submitter's contacts replaced by Hidden. House
// addresses are left for the reviewer: a street named in a complaint about
// a pothole is what the answer is about.
func Redact(text string, c Contact) string {
	fs := FindPersonal(text, c)
	var b strings.Builder
	last := 0
	for _, f := range fs {
		if f.Kind == "address" {
			continue
		}
		b.WriteString(text[last:f.Start])
		b.WriteString(Hidden)
		last = f.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// Package document is the registry of legal and administrative documents
// (văn bản) every portal must publish: their type, issuer, number and
// symbol, dates, summary, signer and field; the files; the relations between
// documents (amends, replaces, implements, guides), from which, with the
// dates, the in-force status is computed; and the search citizens use
// ("Tra cứu văn bản"), which finds a number however it is typed.
package document

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/congvn/cong/internal/attach"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// The managed lists.
const (
	ListType   = "type"   // hình thức văn bản
	ListIssuer = "issuer" // cơ quan ban hành
	ListField  = "field"  // lĩnh vực
)

// Lists names the managed lists.
var Lists = []string{ListType, ListIssuer, ListField}

// Term is an entry of a managed list.
type Term struct {
	ID     int64
	List   string
	Code   string
	Name   string
	NameEn string
}

// DisplayName returns the term's name in lang.
func (t *Term) DisplayName(lang string) string {
	if lang != "vi" && t.NameEn != "" {
		return t.NameEn
	}
	return t.Name
}

// Document is one legal or administrative document.
type Document struct {
	ID          int64
	SiteID      int64
	Number      string // số ký hiệu, e.g. 42/2022/NĐ-CP
	TypeID      int64
	IssuerID    int64
	FieldID     int64 // 0 when none
	Type        string
	Issuer      string
	Field       string
	Title       string // trích yếu
	Signer      string
	IssuedOn    string // YYYY-MM-DD
	EffectiveOn string // YYYY-MM-DD
	ExpiresOn   string // YYYY-MM-DD, "" when open-ended
	// EndsOn is when the document stops being in force: the earlier of
	// ExpiresOn and the effective date of a document that replaces it.
	EndsOn string
	// AmendedOn is the effective date of the first document amending it.
	AmendedOn   string
	Body        string // notes or full text, plain
	Published   bool
	PublishedAt time.Time
	Version     int
	Created     time.Time
	Updated     time.Time

	Files []*attach.File // loaded on request
}

// Status is a document's in-force status (tình trạng hiệu lực).
type Status string

// The statuses.
const (
	NotYet    Status = "not_yet"  // chưa có hiệu lực
	InForce   Status = "in_force" // còn hiệu lực
	Partial   Status = "partial"  // hết hiệu lực một phần (amended)
	Expired   Status = "expired"  // hết hiệu lực toàn bộ
	AnyStatus Status = ""
)

// Statuses lists the statuses in display order.
var Statuses = []Status{InForce, Partial, Expired, NotYet}

// StatusOn returns the document's status on day (YYYY-MM-DD): dates and
// relations decide, so a document becomes expired the day the document
// replacing it takes effect, without anyone editing it.
func (d *Document) StatusOn(day string) Status {
	switch {
	case d.EffectiveOn > day:
		return NotYet
	case d.EndsOn != "" && d.EndsOn <= day:
		return Expired
	case d.AmendedOn != "" && d.AmendedOn <= day:
		return Partial
	}
	return InForce
}

// Path returns the document's path on its site.
func (d *Document) Path() string { return "/van-ban/" + itoa(d.ID) }

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// Relation kinds: From does Kind to To.
const (
	Amends     = "amends"     // sửa đổi, bổ sung
	Replaces   = "replaces"   // thay thế
	Implements = "implements" // quy định chi tiết, thi hành
	Guides     = "guides"     // hướng dẫn
)

// RelationKinds lists the kinds of relations.
var RelationKinds = []string{Amends, Replaces, Implements, Guides}

// Relation links two documents.
type Relation struct {
	FromID int64
	ToID   int64
	Kind   string
	// Filled on read: the other document of the relation.
	Other *Document
}

// NumberKey normalises a document number for matching, whatever way it was
// typed: folded (đ is d, no tones), lower case, separators reduced to single
// spaces, leading zeros dropped from numbers. "42/2022/NĐ-CP",
// "42/2022/ND-CP" and "42 2022 nđ cp" all give "42 2022 nd cp"; "42 2022" is
// a prefix of it on word boundaries.
func NumberKey(s string) string { return strings.Join(numberTokens(s), " ") }

func numberTokens(s string) []string {
	f := vietnamese.Fold(s)
	parts := strings.FieldsFunc(f, func(r rune) bool { return !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))) })
	for i, p := range parts {
		if p[0] == '0' && len(p) > 1 && isDigits(p) {
			p = strings.TrimLeft(p, "0")
			if p == "" {
				p = "0"
			}
			parts[i] = p
		}
	}
	return parts
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Words returns the folded words a text is found by: syllables of letters
// and digits, lower case, without tones.
func Words(s string) []string {
	f := vietnamese.Fold(s)
	return strings.FieldsFunc(f, func(r rune) bool { return !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))) })
}

// IndexWords returns the distinct words a document is found by: its
// summary, number and signer.
func IndexWords(d *Document) []string { return d.indexWords() }

func (d *Document) indexWords() []string {
	var out []string
	seen := map[string]bool{}
	add := func(ws []string) {
		for _, w := range ws {
			if len(w) > 40 || seen[w] {
				continue
			}
			seen[w] = true
			out = append(out, w)
		}
	}
	add(Words(d.Title))
	add(numberTokens(d.Number))
	// The type, issuer and field have filters of their own; the signer is
	// found by words.
	add(Words(d.Signer))
	return out
}

var (
	dateRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	numberRE = regexp.MustCompile(`\pL|\pN`)
)

// validDate reports whether s is a real date YYYY-MM-DD.
func validDate(s string) bool {
	if !dateRE.MatchString(s) {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// ParseDate accepts a date as YYYY-MM-DD or as Vietnamese write it,
// DD/MM/YYYY, and returns it as YYYY-MM-DD, or "" and false.
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if validDate(s) {
		return s, true
	}
	if t, err := time.Parse("2/1/2006", s); err == nil {
		return t.Format(time.DateOnly), true
	}
	return "", false
}

// Limits on a document's fields.
const (
	maxNumber = 60
	maxTitle  = 2000
	maxSigner = 120
	maxBody   = 200000
)

// validate normalises and checks the fields a person types.
func (d *Document) validate() error {
	var errs fault.List
	d.Number = vietnamese.Clean(d.Number)
	d.Title = vietnamese.Clean(d.Title)
	d.Signer = vietnamese.Clean(d.Signer)
	d.Body = strings.TrimSpace(vietnamese.NFC(strings.ToValidUTF8(d.Body, "")))
	switch {
	case d.Number == "" || !numberRE.MatchString(d.Number):
		errs = append(errs, fault.OnField("number", "document.number_required"))
	case utf8.RuneCountInString(d.Number) > maxNumber:
		errs = append(errs, fault.OnField("number", "field.too_long", maxNumber))
	}
	switch {
	case d.Title == "":
		errs = append(errs, fault.OnField("title", "document.title_required"))
	case utf8.RuneCountInString(d.Title) > maxTitle:
		errs = append(errs, fault.OnField("title", "field.too_long", maxTitle))
	}
	if utf8.RuneCountInString(d.Signer) > maxSigner {
		errs = append(errs, fault.OnField("signer", "field.too_long", maxSigner))
	}
	if len(d.Body) > maxBody {
		errs = append(errs, fault.OnField("body", "field.too_long", maxBody))
	}
	if d.TypeID == 0 {
		errs = append(errs, fault.OnField("type", "document.type_required"))
	}
	if d.IssuerID == 0 {
		errs = append(errs, fault.OnField("issuer", "document.issuer_required"))
	}
	if !validDate(d.IssuedOn) {
		errs = append(errs, fault.OnField("issued_on", "field.date_invalid"))
	}
	if d.EffectiveOn == "" {
		d.EffectiveOn = d.IssuedOn
	}
	if !validDate(d.EffectiveOn) {
		errs = append(errs, fault.OnField("effective_on", "field.date_invalid"))
	} else if validDate(d.IssuedOn) && d.EffectiveOn < d.IssuedOn {
		errs = append(errs, fault.OnField("effective_on", "document.effective_before_issue"))
	}
	if d.ExpiresOn != "" {
		if !validDate(d.ExpiresOn) {
			errs = append(errs, fault.OnField("expires_on", "field.date_invalid"))
		} else if d.ExpiresOn <= d.EffectiveOn {
			errs = append(errs, fault.OnField("expires_on", "document.expires_before_effect"))
		}
	}
	return errs.Err()
}

// validRelation reports whether kind names a relation.
func validRelation(kind string) bool { return slices.Contains(RelationKinds, kind) }

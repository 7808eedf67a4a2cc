package opendata

import (
	"strings"
	"time"
	"unicode"

	"github.com/congvn/cong/internal/fault"
)

// The query language of package_search's q and fq: the part of Solr's
// syntax CKAN clients and harvesters use. Terms are field:value (a word, a
// "quoted phrase", a range [a TO b] or {a TO b}, or a group (a OR b)) or
// bare words searched in the text; terms are joined by AND (the default)
// and OR, negated by - or NOT, required by +, grouped by parentheses.
//
//	q=giao thông                      words anywhere, tones optional
//	fq=organization:so-tu-phap +res_format:CSV
//	fq=tags:(giáo dục OR y tế) -license_id:notspecified
//	fq=metadata_modified:[2026-01-01T00:00:00Z TO *]

type node interface{}

type (
	termNode struct {
		field, value string
		phrase       bool
		// Resolved once per search: the value's words in the catalogue's
		// dictionary (missing: a word no dataset has).
		ids     []uint32
		missing bool
		ready   bool
		set     bitset // the documents that match, when postings tell
	}
	rangeNode struct {
		field, lo, hi string
		incLo, incHi  bool
		tlo, thi      string // time bounds, resolved once
		tok           bool
		ready         bool
	}
	andNode  []node
	orNode   []node
	notNode  struct{ n node }
	matchAll struct{}
)

// queryFields are the fields a query may name.
var queryFields = map[string]bool{
	"text": true, "name": true, "title": true, "notes": true, "id": true, "tags": true, "groups": true,
	"organization": true, "owner_org": true, "res_format": true, "license_id": true, "metadata_modified": true,
	"metadata_created": true, "state": true, "type": true, "frequency": true, "res_name": true,
}

type token struct {
	kind         string // ( ) word quoted range + - :field
	text         string
	incLo, incHi bool
}

const maxQuery = 2000

func lexQuery(s string) ([]token, error) {
	if len(s) > maxQuery {
		return nil, fault.New(fault.Invalid, "data.query_too_long", maxQuery)
	}
	var out []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		c := rs[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '(' || c == ')':
			out = append(out, token{kind: string(c)})
			i++
		case c == '"':
			j := i + 1
			var b strings.Builder
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) {
					j++
				}
				b.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, fault.New(fault.Invalid, "data.query_invalid", "unterminated quote")
			}
			out = append(out, token{kind: "quoted", text: b.String()})
			i = j + 1
		case c == '[' || c == '{':
			j := i + 1
			for j < len(rs) && rs[j] != ']' && rs[j] != '}' {
				j++
			}
			if j >= len(rs) {
				return nil, fault.New(fault.Invalid, "data.query_invalid", "unterminated range")
			}
			out = append(out, token{kind: "range", text: string(rs[i+1 : j]), incLo: c == '[', incHi: rs[j] == ']'})
			i = j + 1
		case (c == '+' || c == '-' || c == '!') && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]):
			k := string(c)
			if c == '!' {
				k = "-"
			}
			out = append(out, token{kind: k})
			i++
		default:
			var b strings.Builder
			j := i
			for ; j < len(rs); j++ {
				r := rs[j]
				if r == '\\' && j+1 < len(rs) {
					j++
					b.WriteRune(rs[j])
					continue
				}
				if unicode.IsSpace(r) || r == '(' || r == ')' || r == '"' || r == ':' && b.Len() > 0 {
					break
				}
				b.WriteRune(r)
			}
			if j < len(rs) && rs[j] == ':' {
				out = append(out, token{kind: ":field", text: b.String()})
				j++
			} else {
				switch w := b.String(); w {
				case "AND", "&&":
					out = append(out, token{kind: "AND"})
				case "OR", "||":
					out = append(out, token{kind: "OR"})
				case "NOT":
					out = append(out, token{kind: "-"})
				default:
					out = append(out, token{kind: "word", text: w})
				}
			}
			i = j
		}
	}
	return out, nil
}

type parser struct {
	toks  []token
	pos   int
	depth int
}

func (p *parser) peek() *token {
	if p.pos < len(p.toks) {
		return &p.toks[p.pos]
	}
	return nil
}

// parseQuery parses q or fq; an empty query matches everything.
func parseQuery(s string) (node, error) {
	toks, err := lexQuery(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return matchAll{}, nil
	}
	p := &parser{toks: toks}
	n, err := p.or("text")
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, fault.New(fault.Invalid, "data.query_invalid", "unexpected "+p.toks[p.pos].kind)
	}
	return n, nil
}

func (p *parser) or(field string) (node, error) {
	var parts orNode
	for {
		n, err := p.and(field)
		if err != nil {
			return nil, err
		}
		parts = append(parts, n)
		if t := p.peek(); t == nil || t.kind != "OR" {
			break
		}
		p.pos++
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return parts, nil
}

func (p *parser) and(field string) (node, error) {
	var parts andNode
	for {
		t := p.peek()
		if t == nil || t.kind == ")" || t.kind == "OR" {
			break
		}
		if t.kind == "AND" {
			p.pos++
			continue
		}
		n, err := p.unary(field)
		if err != nil {
			return nil, err
		}
		parts = append(parts, n)
	}
	switch len(parts) {
	case 0:
		return nil, fault.New(fault.Invalid, "data.query_invalid", "empty expression")
	case 1:
		return parts[0], nil
	}
	return parts, nil
}

func (p *parser) unary(field string) (node, error) {
	t := p.peek()
	switch t.kind {
	case "+":
		p.pos++
		return p.primary(field)
	case "-":
		p.pos++
		n, err := p.primary(field)
		return notNode{n}, err
	}
	return p.primary(field)
}

func (p *parser) primary(field string) (node, error) {
	t := p.peek()
	if t == nil {
		return nil, fault.New(fault.Invalid, "data.query_invalid", "missing term")
	}
	p.pos++
	switch t.kind {
	case "(":
		p.depth++
		if p.depth > 20 {
			return nil, fault.New(fault.Invalid, "data.query_invalid", "too deep")
		}
		n, err := p.or(field)
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c == nil || c.kind != ")" {
			return nil, fault.New(fault.Invalid, "data.query_invalid", "missing )")
		}
		p.pos++
		p.depth--
		return n, nil
	case "word":
		if t.text == "*" && field == "text" {
			return matchAll{}, nil
		}
		return &termNode{field: field, value: t.text}, nil
	case "quoted":
		return &termNode{field: field, value: t.text, phrase: true}, nil
	case "range":
		lo, hi, ok := strings.Cut(t.text, " TO ")
		if !ok {
			return nil, fault.New(fault.Invalid, "data.query_invalid", "range without TO")
		}
		return &rangeNode{field: field, lo: strings.TrimSpace(lo), hi: strings.TrimSpace(hi), incLo: t.incLo, incHi: t.incHi}, nil
	case ":field":
		name := t.text
		if name == "*" {
			if v := p.peek(); v != nil && v.kind == "word" && v.text == "*" {
				p.pos++
				return matchAll{}, nil
			}
		}
		if !queryFields[name] {
			return nil, fault.New(fault.Invalid, "data.query_field", name)
		}
		v := p.peek()
		if v == nil {
			return nil, fault.New(fault.Invalid, "data.query_invalid", "missing value of "+name)
		}
		switch v.kind {
		case "word", "quoted", "range", "(":
			return p.primary(name)
		}
		return nil, fault.New(fault.Invalid, "data.query_invalid", "missing value of "+name)
	}
	return nil, fault.New(fault.Invalid, "data.query_invalid", "unexpected "+t.kind)
}

// timeBound turns a range bound into a comparable UTC string: "*" is open,
// NOW is now, a date is its midnight.
func timeBound(v string, now time.Time) (string, bool) {
	switch {
	case v == "*":
		return "", true
	case v == "NOW":
		return now.UTC().Format(timeLayout), true
	case len(v) == 10:
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return t.Format(timeLayout), true
		}
	default:
		for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999", "2006-01-02T15:04:05"} {
			if t, err := time.Parse(l, v); err == nil {
				return t.UTC().Format(timeLayout), true
			}
		}
	}
	return "", false
}

// timeLayout orders as text: fixed width, UTC.
const timeLayout = "2006-01-02T15:04:05.000000Z"

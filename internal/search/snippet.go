package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/congvn/cong/internal/vietnamese"
)

// span is a word of a text with its byte offsets.
type span struct {
	start, end int
	fold       string
	number     []string // number keys, when the span is a number
}

// spans splits s into words with their offsets; a document number
// (42/2022/NĐ-CP) is one span.
func spans(s string) []span {
	var out []span
	start := -1
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) }
	flushChunk := func(from, to int) {
		chunk := s[from:to]
		c := trimChunk(chunk)
		if looksLikeNumber(c) {
			off := from + strings.Index(chunk, c)
			out = append(out, span{start: off, end: off + len(c), number: numberKeys(c)})
			return
		}
		ws := -1
		for i, r := range chunk {
			if isWord(r) {
				if ws < 0 {
					ws = i
				}
				continue
			}
			if ws >= 0 {
				out = append(out, span{start: from + ws, end: from + i, fold: fold(chunk[ws:i])})
				ws = -1
			}
		}
		if ws >= 0 {
			out = append(out, span{start: from + ws, end: to, fold: fold(chunk[ws:])})
		}
	}
	for i, r := range s {
		if unicode.IsSpace(r) {
			if start >= 0 {
				flushChunk(start, i)
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		flushChunk(start, len(s))
	}
	return out
}

// marker decides which words of a text to mark.
type marker map[string]bool

func newMarker(hl [][]string) marker {
	m := marker{}
	for _, phrase := range hl {
		for _, w := range phrase {
			m[w] = true
		}
	}
	return m
}

func (m marker) hit(sp span) bool {
	if sp.number != nil {
		for _, k := range sp.number {
			if m[k] {
				return true
			}
		}
		return false
	}
	return m[sp.fold]
}

// Mark returns s in parts, the words matching hl marked.
func Mark(s string, hl [][]string) []Part {
	s = vietnamese.NFC(s)
	return parts(s, spans(s), 0, len(s), newMarker(hl))
}

func parts(s string, sp []span, from, to int, m marker) []Part {
	var out []Part
	pos := from
	for _, w := range sp {
		if w.start < from || w.end > to || !m.hit(w) {
			continue
		}
		if w.start > pos {
			out = append(out, Part{Text: s[pos:w.start]})
		}
		out = append(out, Part{Text: s[w.start:w.end], Mark: true})
		pos = w.end
	}
	if pos < to {
		out = append(out, Part{Text: s[pos:to]})
	}
	return out
}

// Snippet returns a passage of about words words of s around the first
// match of hl, with the matches marked; the beginning of s when nothing
// matches.
func Snippet(s string, hl [][]string, words int) []Part {
	s = strings.TrimSpace(vietnamese.NFC(s))
	if s == "" {
		return nil
	}
	sp := spans(s)
	if len(sp) == 0 {
		return nil
	}
	m := newMarker(hl)
	first := 0
	for i, w := range sp {
		if m.hit(w) {
			first = i
			break
		}
	}
	lo := max(first-words/4, 0)
	hi := min(lo+words, len(sp))
	lo = max(min(lo, hi-words), 0)
	from, to := sp[lo].start, sp[hi-1].end
	if lo == 0 {
		from = 0
	}
	if hi == len(sp) {
		to = len(s)
	}
	out := parts(s, sp, from, to, m)
	if lo > 0 {
		out = append([]Part{{Text: "… "}}, out...)
	}
	if hi < len(sp) {
		out = append(out, Part{Text: " …"})
	}
	for i := range out {
		if !out[i].Mark {
			out[i].Text = collapse(out[i].Text)
		}
	}
	return out
}

// collapse turns every run of white space (line breaks between summary
// and body, paragraphs) into one space, keeping a space at either end.
func collapse(s string) string {
	f := strings.Fields(s)
	out := strings.Join(f, " ")
	if len(f) == 0 {
		if s != "" {
			return " "
		}
		return ""
	}
	if r, _ := utf8.DecodeRuneInString(s); unicode.IsSpace(r) {
		out = " " + out
	}
	if r, _ := utf8.DecodeLastRuneInString(s); unicode.IsSpace(r) {
		out += " "
	}
	return out
}

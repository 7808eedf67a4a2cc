package search

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/congvn/cong/internal/vietnamese"
)

// MaxQuery is the longest query used, in characters; longer text is cut.
const MaxQuery = 200

// MaxClauses bounds the words of a query that must all match.
const MaxClauses = 12

// Clause is one part of a query that must match, in the title or the
// body: any of its alternatives, each a phrase of folded words (one word,
// a quoted phrase, a document number's token, or a synonym's words).
type Clause struct {
	Alts [][]string
	Text string // as the user typed it, for messages and "did you mean"
	Word bool   // a single word typed outside quotes (may be corrected)
}

// Query is a user's query parsed into clauses. User text never reaches
// the engines as syntax: operators typed by users (AND, OR, NOT, NEAR, *,
// -, quotes without their pair) are ordinary characters here.
type Query struct {
	Text    string   // cleaned, cut to MaxQuery
	Clauses []Clause // all must match
	Exact   []string // words typed with diacritics, ranked higher when matched as typed
	// Notice is a message key for the user when the query had to be
	// changed or cannot be searched: "search.too_long", "search.empty",
	// "search.no_words", "search.too_many_words".
	Notice string
}

// Empty reports whether the query has nothing to search for.
func (q *Query) Empty() bool { return len(q.Clauses) == 0 }

// Highlights returns the folded words and phrases to mark in results.
func (q *Query) Highlights() [][]string {
	var out [][]string
	for _, c := range q.Clauses {
		out = append(out, c.Alts...)
	}
	return out
}

var quotes = strings.NewReplacer("“", `"`, "”", `"`, "„", `"`, "«", `"`, "»", `"`, "″", `"`)

// operators are FTS syntax some users type; they are dropped, since every
// word must match anyway.
var operators = regexp.MustCompile(`\b(AND|OR|NOT|NEAR)\b`)

// Parse parses a query as typed into a search box.
func Parse(s string) *Query {
	q := &Query{}
	s = vietnamese.Clean(s)
	if utf8.RuneCountInString(s) > MaxQuery {
		s = string([]rune(s)[:MaxQuery+1])
		if i := strings.LastIndexByte(s, ' '); i > 0 {
			s = s[:i] // not in the middle of a word
		}
		s = strings.TrimSpace(s)
		q.Notice = "search.too_long"
	}
	q.Text = s
	if s == "" {
		q.Notice = "search.empty"
		return q
	}
	parts := strings.Split(quotes.Replace(s), `"`)
	if len(parts)%2 == 0 {
		// An unbalanced quote: the last one is an ordinary character.
		last := len(parts) - 1
		parts[last-1] += " " + parts[last]
		parts = parts[:last]
	}
	var exact []string
	addExact := func(t token) {
		if t.exact != t.fold && !slices.Contains(exact, t.exact) {
			exact = append(exact, t.exact)
		}
	}
	for i, part := range parts {
		if i%2 == 1 {
			var words []string
			tokenize(part, func(t token) { words = append(words, t.fold); addExact(t) })
			if len(words) > 0 {
				q.add(Clause{Alts: [][]string{words}, Text: strings.TrimSpace(part), Word: false})
			}
			continue
		}
		for _, chunk := range strings.Fields(operators.ReplaceAllString(part, " ")) {
			if c := trimChunk(chunk); looksLikeNumber(c) {
				if k := numberKeys(c); len(k) > 0 {
					q.add(Clause{Alts: [][]string{{k[0]}}, Text: c})
					continue
				}
			}
			tokenize(chunk, func(t token) {
				addExact(t)
				q.add(Clause{Alts: [][]string{{t.fold}}, Text: t.exact, Word: true})
			})
		}
	}
	q.Clauses = expandSynonyms(q.Clauses)
	if len(q.Clauses) > MaxClauses {
		q.Clauses = q.Clauses[:MaxClauses]
		if q.Notice == "" {
			q.Notice = "search.too_many_words"
		}
	}
	q.Exact = exact
	if len(q.Clauses) == 0 && q.Notice == "" {
		q.Notice = "search.no_words"
	}
	return q
}

// add appends c unless the same clause is already there.
func (q *Query) add(c Clause) {
	for _, o := range q.Clauses {
		if slices.EqualFunc(o.Alts, c.Alts, slices.Equal) {
			return
		}
	}
	q.Clauses = append(q.Clauses, c)
}

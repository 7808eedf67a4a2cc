package search

import (
	"context"
	"strings"
	"unicode/utf8"
)

// didYouMean proposes the query with each word that no title uses
// replaced by the nearest title word (at most two edits away), or "" when
// there is nothing to propose.
func (s *Service) didYouMean(ctx context.Context, q *Query) (string, error) {
	changed := false
	out := make([]string, 0, len(q.Clauses))
	for _, c := range q.Clauses {
		if !c.Word {
			out = append(out, c.Text)
			continue
		}
		w := c.Alts[0][0]
		fix, err := s.nearest(ctx, w)
		if err != nil {
			return "", err
		}
		if fix == "" {
			out = append(out, c.Text)
			continue
		}
		changed = true
		out = append(out, fix)
	}
	if !changed {
		return "", nil
	}
	return strings.Join(out, " "), nil
}

// nearest returns the display form of the most used title word within two
// edits of w, or "" when w itself is a title word or none is near.
func (s *Service) nearest(ctx context.Context, w string) (string, error) {
	if utf8.RuneCountInString(w) < 2 || utf8.RuneCountInString(w) > 30 {
		return "", nil
	}
	first, _ := utf8.DecodeRuneInString(w)
	from := string(first)
	terms, err := s.store.SearchTerms(ctx, from, from+"\U0010FFFF", 20000)
	if err != nil {
		return "", err
	}
	best, bestDist, bestDocs := "", 3, 0
	maxDist := 1
	if utf8.RuneCountInString(w) >= 5 {
		maxDist = 2
	}
	for _, t := range terms {
		if t.Word == w {
			return "", nil
		}
		d := distance(w, t.Word, maxDist)
		if d <= maxDist && (d < bestDist || d == bestDist && t.Docs > bestDocs) {
			best, bestDist, bestDocs = t.Display, d, t.Docs
		}
	}
	return best, nil
}

// distance is the edit distance of a and b (insertions, deletions,
// substitutions, transpositions), or more than limit when it exceeds it.
func distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

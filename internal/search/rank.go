package search

import (
	"context"
	"math"
	"slices"
	"strings"
)

// Relevance is ranked by the application over the window of the newest
// matches, from the folded and exact tokens of titles and summaries: the
// same arithmetic on both engines, and a cost that does not grow with the
// number of matches (FTS5's bm25 reads every match of every word to weigh
// it). A clause found in the title weighs inTitle times one found only in
// the body, each weighted by how rare its words are in titles; a word
// typed with diacritics and found so spelt adds exactBonus; titles made
// mostly of the query come first among equals; then the newest.
const (
	inTitle    = 10.0
	exactBonus = 3.0
	density    = 4.0
)

// rank sorts rows by relevance to q, most relevant first.
func (s *Service) rank(ctx context.Context, q *Query, rows []Row) error {
	if len(rows) < 2 {
		return nil
	}
	idf, err := s.weights(ctx, q)
	if err != nil {
		return err
	}
	scores := make(map[int64]float64, len(rows))
	for _, r := range rows {
		scores[r.ID] = score(q, idf, &r)
	}
	slices.SortStableFunc(rows, func(a, b Row) int {
		sa, sb := scores[a.ID], scores[b.ID]
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		case a.ID > b.ID:
			return -1
		case a.ID < b.ID:
			return 1
		}
		return 0
	})
	return nil
}

// weights returns the weight of each clause: the inverse frequency in
// titles of its rarest word.
func (s *Service) weights(ctx context.Context, q *Query) ([]float64, error) {
	var words []string
	for _, c := range q.Clauses {
		for _, w := range c.Alts[0] {
			if !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
	}
	df, err := s.store.SearchWordDocs(ctx, words)
	if err != nil {
		return nil, err
	}
	n, _, _, err := s.sizeOf(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(q.Clauses))
	for i, c := range q.Clauses {
		for _, w := range c.Alts[0] {
			out[i] = max(out[i], math.Log(1+float64(n+1)/float64(df[w]+1)))
		}
	}
	return out, nil
}

func score(q *Query, idf []float64, r *Row) float64 {
	title := " " + r.Title + " "
	var sc float64
	covered := 0
	for i, c := range q.Clauses {
		found := false
		for _, alt := range c.Alts {
			if strings.Contains(title, " "+strings.Join(alt, " ")+" ") {
				found = true
				covered += len(alt)
				break
			}
		}
		if found {
			sc += inTitle * idf[i]
		} else {
			sc += idf[i]
		}
	}
	if len(q.Exact) > 0 {
		exact := " " + r.Exact + " "
		for _, w := range q.Exact {
			if strings.Contains(exact, " "+w+" ") {
				sc += exactBonus
			}
		}
	}
	if n := strings.Count(r.Title, " ") + 1; r.Title != "" {
		sc += density * float64(min(covered, n)) / float64(n)
	}
	return sc
}

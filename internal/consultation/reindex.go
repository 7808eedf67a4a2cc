package consultation

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/search"
)

func searchDoc(c *Consultation, now time.Time) search.Doc {
	return search.Doc{SiteID: c.SiteID, Kind: SearchKind, Ref: strconv.FormatInt(c.ID, 10), Lang: "vi", Title: c.Title, Summary: c.Summary,
		Body: strings.Join(c.Articles, "\n"), Path: c.Path(), Published: now}
}

// Reindex puts every published draft of a site into the search index
// again (cong reindex), in the transaction in ctx.
func (s *Service) Reindex(ctx context.Context, siteID int64) (int, error) {
	if s.Index == nil {
		return 0, nil
	}
	cs, err := s.store.Consultations(ctx, siteID, true)
	if err != nil {
		return 0, err
	}
	for i, c := range cs {
		if err := s.Index.Put(ctx, searchDoc(c, s.Now())); err != nil {
			return i, err
		}
	}
	return len(cs), nil
}

package procedure

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/congvn/cong/internal/search"
)

// Reindex puts every published procedure of a site into the search index
// again (cong reindex), in the transaction in ctx.
func (s *Service) Reindex(ctx context.Context, siteID int64) (int, error) {
	if s.Index == nil {
		return 0, nil
	}
	n := 0
	for offset := 0; ; {
		ps, total, err := s.store.Procedures(ctx, Query{SiteID: siteID, Limit: 100, Offset: offset})
		if err != nil {
			return n, err
		}
		for _, p := range ps {
			if err := s.Index.Put(ctx, searchDoc(p, s.Now())); err != nil {
				return n, err
			}
			n++
		}
		offset += len(ps)
		if len(ps) == 0 || offset >= total {
			return n, nil
		}
	}
}

func searchDoc(p *Procedure, now time.Time) search.Doc {
	return search.Doc{SiteID: p.SiteID, Kind: search.KindProcedure, Ref: strconv.FormatInt(p.ID, 10), Lang: "vi",
		Title: p.Name, Summary: p.Field + " — " + p.Agency, Body: strings.Join(p.Steps, "\n"), Numbers: []string{p.Code},
		Category: p.Field, Path: p.Path(), Published: now}
}

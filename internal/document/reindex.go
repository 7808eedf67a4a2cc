package document

import "context"

// Reindex puts every published document of a site into the search index
// again (cong reindex), in the transaction in ctx.
func (s *Service) Reindex(ctx context.Context, siteID int64) (int, error) {
	if s.Index == nil || siteID == 0 {
		return 0, nil
	}
	n := 0
	for offset := 0; ; {
		res, err := s.Search(ctx, Query{SiteID: siteID, Limit: 100, Offset: offset})
		if err != nil {
			return n, err
		}
		for _, d := range res.Docs {
			if d.SiteID != siteID {
				continue
			}
			full, err := s.store.Document(ctx, d.ID)
			if err != nil {
				return n, err
			}
			if err := s.index(ctx, full); err != nil {
				return n, err
			}
			n++
		}
		offset += len(res.Docs)
		if !res.More || len(res.Docs) == 0 {
			return n, nil
		}
	}
}

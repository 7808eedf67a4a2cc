package feedback

import "context"

// Reindex puts every published answer of a site into the search index
// again (cong reindex), in the transaction in ctx.
func (s *Service) Reindex(ctx context.Context, siteID int64) (int, error) {
	if s.Index == nil || siteID == 0 {
		return 0, nil
	}
	n := 0
	for offset := 0; ; {
		items, total, err := s.Published(ctx, Filter{SiteID: siteID, Limit: 100, Offset: offset})
		if err != nil {
			return n, err
		}
		for _, it := range items {
			if err := s.index(ctx, it); err != nil {
				return n, err
			}
			n++
		}
		offset += len(items)
		if len(items) == 0 || offset >= total {
			return n, nil
		}
	}
}

// IndexPublished puts published items into the search index (items
// written in bulk: the demo, imports), in the transaction in ctx.
func (s *Service) IndexPublished(ctx context.Context, items []*Item) error {
	for _, it := range items {
		if it.Status != Published {
			continue
		}
		if err := s.index(ctx, it); err != nil {
			return err
		}
	}
	return nil
}

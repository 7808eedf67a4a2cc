package media

import "context"

// Reindex puts the captioned media of a site into the search index again
// (cong reindex), in the transaction in ctx. The caller needs the right to
// view the site's library.
func (s *Service) Reindex(ctx context.Context, siteID int64) (int, error) {
	if s.Index == nil {
		return 0, nil
	}
	n := 0
	for page := 1; ; page++ {
		items, total, err := s.List(ctx, Filter{SiteID: siteID, Page: page, PerPage: 100})
		if err != nil {
			return n, err
		}
		for _, m := range items {
			if !Searchable(m) {
				continue
			}
			if err := s.index(ctx, m); err != nil {
				return n, err
			}
			n++
		}
		if len(items) == 0 || page*100 >= total {
			return n, nil
		}
	}
}

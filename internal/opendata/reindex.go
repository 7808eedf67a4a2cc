package opendata

import "context"

// Reindex puts the public datasets shown on a site (the data portal) into
// the search index again (cong reindex), in the transaction in ctx.
func (s *Service) Reindex(ctx context.Context, siteID int64) (int, error) {
	if s.index == nil {
		return 0, nil
	}
	ds, err := s.Catalogue(ctx)
	if err != nil {
		return 0, err
	}
	dataSite, _ := s.dataSite(ctx)
	n := 0
	for _, d := range ds {
		owner := d.SiteID
		if dataSite != 0 {
			owner = dataSite
		}
		if owner != siteID || d.State != Active {
			continue
		}
		if err := s.indexDataset(ctx, d); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

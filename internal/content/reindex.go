package content

import "context"

// Reindex puts every published article and page of a site, in each of
// langs, into the search index again (cong reindex), in the transaction
// in ctx. It returns how many items it indexed.
func (s *Service) Reindex(ctx context.Context, siteID int64, langs []string) (int, error) {
	if s.Index == nil {
		return 0, nil
	}
	kinds := []Kind{KindArticle, KindPage, KindGallery, KindVideo, KindAudio, KindInfographic, KindLongform}
	n := 0
	for _, lang := range langs {
		for page := 1; ; page++ {
			items, total, err := s.store.PublishedList(ctx, ListQuery{SiteID: siteID, Lang: lang, Kinds: kinds, Page: page, PerPage: 100})
			if err != nil {
				return n, err
			}
			for _, it := range items {
				if it.SiteID != siteID {
					continue // syndicated from another site, indexed there
				}
				a, err := s.store.Article(ctx, it.ID)
				if err != nil {
					return n, err
				}
				if err := s.index(ctx, a); err != nil {
					return n, err
				}
				n++
			}
			if len(items) == 0 || page*100 >= total {
				break
			}
		}
	}
	return n, nil
}

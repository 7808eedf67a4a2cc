package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/searchweb"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/web"
)

// connectSearch makes every part that publishes put its items into the
// search index, in the transaction of the publish.
func (s *Services) connectSearch() {
	s.Search = search.NewService(s.DB)
	s.Documents.Index = s.Search
	s.Procedures.Index = s.Search
	s.Consultations.Index = s.Search
	s.Feedback.Index = s.Search
	s.Media.Index = s.Search
	s.Content.Index = s.Search
	s.Data.SetIndexer(s.Search)
}

// IndexSites puts every active site into the index (its name, its unit's
// names, its contact data) and takes merged or closed sites out. It does
// nothing when the directory gives the same documents as when it last ran
// (a fingerprint kept with the index): a restart then costs no indexing.
func (s *Services) IndexSites(ctx context.Context) error {
	dir, err := s.Sites.Directory(ctx)
	if err != nil {
		return err
	}
	var docs []search.Doc
	var gone []string
	for _, st := range dir.Sites {
		if st.Status != site.Active {
			gone = append(gone, st.Code)
			continue
		}
		docs = append(docs, siteDoc(dir, st))
	}
	fp, err := fingerprint(docs, gone)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(ctx context.Context) error {
		if old, err := s.DB.SearchSource(ctx, "sites"); err != nil || old == fp {
			return err
		}
		for _, code := range gone {
			if err := s.Search.Delete(ctx, search.KindSite, code); err != nil {
				return err
			}
		}
		if err := s.Search.PutMany(ctx, docs); err != nil {
			return err
		}
		return s.DB.SetSearchSource(ctx, "sites", fp)
	})
}

// fingerprint sums up what IndexSites would write.
func fingerprint(docs []search.Doc, gone []string) (string, error) {
	b, err := json.Marshal(struct {
		Docs []search.Doc
		Gone []string
	}{docs, gone})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func siteDoc(dir *site.Directory, st *site.Site) search.Doc {
	d := search.Doc{SiteID: st.ID, Kind: search.KindSite, Ref: st.Code, Lang: "vi", Title: st.Name, Path: "/", Published: st.Created}
	body := []string{st.NameEn, st.Code, st.Contact.Address, st.Contact.Phone, st.Contact.Email}
	if u, ok := dir.Unit(st.UnitID); ok {
		d.Summary = u.Name
		body = append(body, u.ShortName, u.NameEn, u.Code)
		if p, ok := dir.Unit(u.ParentID); ok {
			body = append(body, p.Name)
		}
	}
	d.Body = strings.Join(body, "\n")
	return d
}

// searchRoutes serves /tim-kiem and /api/v1/search.
func (a *App) searchRoutes() []web.Route {
	return searchweb.New(a.Web, a.Search).Routes()
}

// indexSitesOnChange keeps the sites in the index as they change, until
// ctx ends; changes coming in a burst (the demo, a merge) are indexed once.
func (a *App) indexSitesOnChange(ctx context.Context) {
	changed := make(chan struct{}, 1)
	a.Sites.OnChange(func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	for {
		select {
		case <-ctx.Done():
			return
		case <-changed:
			time.Sleep(200 * time.Millisecond)
			select {
			case <-changed:
			default:
			}
			if err := a.IndexSites(ctx); err != nil && ctx.Err() == nil {
				a.Web.Logger.Error("index sites", "err", err)
			}
		}
	}
}

// ReindexProgress reports a site reindexed: its place among the sites
// being reindexed, and the items indexed per kind.
type ReindexProgress struct {
	Site       *site.Site
	Done, Of   int
	Items      map[search.Kind]int
	Total      int
	Elapsed    time.Duration
	Optimizing bool
}

// Reindex rebuilds the search index of one site (by code) or of every site
// (code ""), each site in one transaction: the site's entries are removed
// and every published item put back. progress is called after each site.
func (s *Services) Reindex(ctx context.Context, code string, progress func(ReindexProgress)) error {
	dir, err := s.Sites.Directory(ctx)
	if err != nil {
		return err
	}
	var sites []*site.Site
	for _, st := range dir.Sites {
		if st.Status == site.Active && (code == "" || st.Code == code) {
			sites = append(sites, st)
		}
	}
	if code != "" && len(sites) == 0 {
		return fmt.Errorf("không có cổng đang hoạt động với mã %q", code)
	}
	start := time.Now()
	total := 0
	if code == "" {
		if err := s.DB.SearchDeleteSite(ctx, 0); err != nil {
			return err
		}
	}
	for i, st := range sites {
		items := map[search.Kind]int{}
		err := s.DB.InTx(ctx, func(ctx context.Context) error {
			// The parts put their items one at a time: collected and
			// written together (search.Batch), a site costs a few
			// statements instead of several per item.
			ctx = search.Batch(ctx)
			if code != "" {
				if err := s.DB.SearchDeleteSite(ctx, st.ID); err != nil {
					return err
				}
			}
			if err := s.Search.Put(ctx, siteDoc(dir, st)); err != nil {
				return err
			}
			items[search.KindSite] = 1
			for _, step := range []struct {
				kind search.Kind
				run  func() (int, error)
			}{
				{search.KindArticle, func() (int, error) { return s.Content.Reindex(ctx, st.ID, st.Langs) }},
				{search.KindDocument, func() (int, error) { return s.Documents.Reindex(ctx, st.ID) }},
				{search.KindProcedure, func() (int, error) { return s.Procedures.Reindex(ctx, st.ID) }},
				{search.KindAnswer, func() (int, error) { return s.Feedback.Reindex(ctx, st.ID) }},
				{search.KindDraft, func() (int, error) { return s.Consultations.Reindex(ctx, st.ID) }},
				{search.KindMedia, func() (int, error) { return s.Media.Reindex(ctx, st.ID) }},
				{search.KindDataset, func() (int, error) { return s.Data.Reindex(ctx, st.ID) }},
			} {
				n, err := step.run()
				if err != nil {
					return fmt.Errorf("%s: %s: %w", st.Code, step.kind, err)
				}
				if n > 0 {
					items[step.kind] = n
				}
			}
			return s.Search.Flush(ctx)
		})
		if err != nil {
			return err
		}
		for _, n := range items {
			total += n
		}
		if progress != nil {
			progress(ReindexProgress{Site: st, Done: i + 1, Of: len(sites), Items: items, Total: total, Elapsed: time.Since(start)})
		}
	}
	if progress != nil {
		progress(ReindexProgress{Done: len(sites), Of: len(sites), Total: total, Elapsed: time.Since(start), Optimizing: true})
	}
	return s.DB.SearchOptimize(ctx)
}

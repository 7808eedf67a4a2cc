package server

import (
	"context"
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
// names, its contact data) and takes merged or closed sites out.
func (s *Services) IndexSites(ctx context.Context) error {
	dir, err := s.Sites.Directory(ctx)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(ctx context.Context) error {
		var docs []search.Doc
		for _, st := range dir.Sites {
			if st.Status != site.Active {
				if err := s.Search.Delete(ctx, search.KindSite, st.Code); err != nil {
					return err
				}
				continue
			}
			docs = append(docs, siteDoc(dir, st))
		}
		return s.Search.PutMany(ctx, docs)
	})
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

package content

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/vietnamese"
)

// Reading is an item as a reader opens it on a site.
type Reading struct {
	*Article
	Category *Category
	// Origin is set when the item is shown on a site other than its own
	// (syndicated up, or pushed down): the canonical URL is the original's.
	Origin *Syndication
	// Langs are the languages the item can be read in (itself included),
	// each with its path.
	Langs map[string]string
	Media []*media.Item // a gallery's photos, a video or audio item's files
}

// Read returns a published (or withdrawn) item by slug for the public
// pages. Drafts and items in review are not found. A withdrawn item comes
// back with its status, so the page can say it was withdrawn and why.
func (s *Service) Read(ctx context.Context, siteID int64, lang string, page bool, slug string) (*Reading, error) {
	a, err := s.store.ArticleBySlug(ctx, siteID, lang, page, slug)
	var origin *Syndication
	if fault.Is(err, fault.NotFound) && !page && lang == "vi" {
		x, serr := s.store.SyndicatedBySlug(ctx, siteID, slug)
		if serr != nil {
			return nil, err
		}
		if a, err = s.store.Article(ctx, x.ArticleID); err != nil {
			return nil, err
		}
		if a.Status != Published {
			return nil, fault.New(fault.NotFound, "article.not_found")
		}
		origin = x
	}
	if err != nil {
		return nil, err
	}
	if a.Status != Published && a.Status != Unpublished {
		return nil, fault.New(fault.NotFound, "article.not_found")
	}
	if err := s.fill(ctx, a); err != nil {
		return nil, err
	}
	r := &Reading{Article: a, Origin: origin, Langs: map[string]string{}}
	if a.CategoryID != 0 && origin == nil {
		r.Category, _ = s.store.Category(ctx, a.CategoryID)
	} else if origin != nil && origin.CategoryID != 0 {
		r.Category, _ = s.store.Category(ctx, origin.CategoryID)
	}
	if origin == nil {
		all, err := s.Translations(ctx, a)
		if err != nil {
			return nil, err
		}
		for _, t := range all {
			if t.Status == Published {
				r.Langs[t.Lang] = t.Path()
			}
		}
	}
	if len(a.MediaIDs) > 0 {
		items, err := s.store.MediaItems(ctx, a.MediaIDs)
		if err != nil {
			return nil, err
		}
		for _, id := range a.MediaIDs {
			if m := items[id]; m != nil {
				r.Media = append(r.Media, m)
			}
		}
	}
	return r, nil
}

// List returns published items for a public list, newest first, with the
// total for pagination.
func (s *Service) List(ctx context.Context, q ListQuery) ([]*Listed, int, error) {
	if q.PerPage <= 0 || q.PerPage > 100 {
		q.PerPage = 20
	}
	if q.Page < 1 {
		q.Page = 1
	}
	if q.Lang == "" {
		q.Lang = "vi"
	}
	items, total, err := s.store.PublishedList(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	return items, total, s.covers(ctx, items)
}

// Related returns the newest items of the same category as a (of the site
// when it has none), for its page.
func (s *Service) Related(ctx context.Context, siteID int64, lang string, categoryID, except int64, n int) ([]*Listed, error) {
	items, err := s.store.Related(ctx, siteID, lang, categoryID, except, n)
	if err != nil {
		return nil, err
	}
	return items, s.covers(ctx, items)
}

// covers loads the cover images of listed items in one query.
func (s *Service) covers(ctx context.Context, items []*Listed) error {
	var ids []int64
	for _, it := range items {
		if it.CoverID != 0 {
			ids = append(ids, it.CoverID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	covers, err := s.store.MediaItems(ctx, ids)
	if err != nil {
		return err
	}
	for _, it := range items {
		it.Cover = covers[it.CoverID]
	}
	return nil
}

// Categories returns a site's categories in display order (public).
func (s *Service) Categories(ctx context.Context, siteID int64) ([]*Category, error) {
	return s.store.Categories(ctx, siteID)
}

// Category returns a category by id.
func (s *Service) Category(ctx context.Context, id int64) (*Category, error) {
	return s.store.Category(ctx, id)
}

// CategoryIn returns the category with slug on a site, with the ids of it
// and every category below it (a category's page lists theirs too).
func CategoryIn(cats []*Category, slug string) (*Category, []int64) {
	var c *Category
	for _, x := range cats {
		if x.Slug == slug {
			c = x
		}
	}
	if c == nil {
		return nil, nil
	}
	ids := []int64{c.ID}
	for changed := true; changed; {
		changed = false
		for _, x := range cats {
			if x.ParentID != 0 && contains64(ids, x.ParentID) && !contains64(ids, x.ID) {
				ids, changed = append(ids, x.ID), true
			}
		}
	}
	return c, ids
}

func contains64(xs []int64, v int64) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// CategoryInput is what an editor writes for a category.
type CategoryInput struct {
	ParentID    int64
	Name        string
	NameEn      string
	Description string
	Slug        string
	Position    int
}

func (in *CategoryInput) clean() error {
	var errs fault.List
	in.Name, in.NameEn, in.Description = vietnamese.Clean(in.Name), vietnamese.Clean(in.NameEn), vietnamese.Clean(in.Description)
	if in.Name == "" {
		errs = append(errs, fault.OnField("name", "category.name_required"))
	} else if utf8.RuneCountInString(in.Name) > 150 {
		errs = append(errs, fault.OnField("name", "category.name_too_long", 150))
	}
	if utf8.RuneCountInString(in.NameEn) > 150 {
		errs = append(errs, fault.OnField("name_en", "category.name_too_long", 150))
	}
	if utf8.RuneCountInString(in.Description) > 1000 {
		in.Description = string([]rune(in.Description)[:1000])
	}
	in.Slug = vietnamese.Slug(in.Slug, 80)
	if in.Slug == "" {
		in.Slug = vietnamese.Slug(in.Name, 80)
	}
	if in.Slug == "" {
		errs = append(errs, fault.OnField("slug", "category.slug_required"))
	}
	return errs.Err()
}

// SaveCategory creates (id 0) or changes a category of a site.
func (s *Service) SaveCategory(ctx context.Context, siteID, id int64, in CategoryInput) (*Category, error) {
	if err := access.Check(ctx, access.EditContent, siteID); err != nil {
		return nil, err
	}
	if err := in.clean(); err != nil {
		return nil, err
	}
	var out *Category
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		cats, err := s.store.Categories(ctx, siteID)
		if err != nil {
			return err
		}
		for _, x := range cats {
			if x.Slug == in.Slug && x.ID != id {
				return fault.OnField("slug", "category.slug_taken", in.Slug)
			}
		}
		if in.ParentID != 0 {
			ok := false
			for _, x := range cats {
				ok = ok || x.ID == in.ParentID
			}
			// A category cannot sit below itself or its own descendants.
			if _, below := CategoryIn(cats, slugOf(cats, id)); !ok || id != 0 && contains64(below, in.ParentID) {
				return fault.OnField("parent", "category.parent_invalid")
			}
		}
		c := &Category{SiteID: siteID}
		if id != 0 {
			if c, err = s.store.Category(ctx, id); err != nil {
				return err
			}
			if c.SiteID != siteID {
				return fault.New(fault.NotFound, "category.not_found")
			}
		}
		c.ParentID, c.Name, c.NameEn, c.Description, c.Slug, c.Position = in.ParentID, in.Name, in.NameEn, in.Description, in.Slug, in.Position
		c.Updated = s.now()
		action := "category.update"
		if id == 0 {
			c.Created, action = c.Updated, "category.create"
			err = s.store.CreateCategory(ctx, c)
		} else {
			err = s.store.UpdateCategory(ctx, c)
		}
		if err != nil {
			return err
		}
		out = c
		s.store.AfterCommit(ctx, "content.categories:"+formatInt(siteID), func() {
			s.mu.Lock()
			ls := append([]func(Change){}, s.listeners...)
			s.mu.Unlock()
			for _, f := range ls {
				f(Change{Places: []Place{{SiteID: siteID, CategoryID: c.ID}}})
			}
		})
		return s.log.Record(ctx, action, siteID, "category:"+formatInt(c.ID), map[string]any{"name": c.Name, "slug": c.Slug})
	})
	return out, err
}

func slugOf(cats []*Category, id int64) string {
	for _, c := range cats {
		if c.ID == id {
			return c.Slug
		}
	}
	return "\x00"
}

// DeleteCategory removes an empty category.
func (s *Service) DeleteCategory(ctx context.Context, siteID, id int64) error {
	if err := access.Check(ctx, access.EditContent, siteID); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		c, err := s.store.Category(ctx, id)
		if err != nil {
			return err
		}
		if c.SiteID != siteID {
			return fault.New(fault.NotFound, "category.not_found")
		}
		used, err := s.store.CategoryInUse(ctx, id)
		if err != nil {
			return err
		}
		if used {
			return fault.New(fault.Conflict, "category.in_use")
		}
		if err := s.store.DeleteCategory(ctx, id); err != nil {
			return err
		}
		return s.log.Record(ctx, "category.delete", siteID, "category:"+formatInt(id), map[string]any{"name": c.Name})
	})
}

// Find lists items for the staff interface.
func (s *Service) Find(ctx context.Context, f Filter) ([]*Article, int, error) {
	if err := access.Check(ctx, access.ViewSite, f.SiteID); err != nil {
		return nil, 0, err
	}
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 30
	}
	if f.Page < 1 {
		f.Page = 1
	}
	f.Query = vietnamese.Fold(vietnamese.Clean(f.Query))
	if len(f.Query) > 200 {
		f.Query = f.Query[:200]
	}
	return s.store.Articles(ctx, f)
}

// Counts returns how many items of a site are in each state; with mine,
// only the actor's own.
func (s *Service) Counts(ctx context.Context, siteID int64, mine bool) (map[Status]int, error) {
	if err := access.Check(ctx, access.ViewSite, siteID); err != nil {
		return nil, err
	}
	var author int64
	if mine {
		author = actor(ctx).UserID
	}
	return s.store.StatusCounts(ctx, siteID, author)
}

// now returns the service's time (for handlers that show relative times).
func (s *Service) Now() time.Time { return s.now() }

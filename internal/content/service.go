package content

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/jobs"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/richtext"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/site"
)

// Store keeps categories, items, revisions, syndication and notifications.
// Lookups of something that does not exist return a fault.NotFound error.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	AfterCommit(ctx context.Context, key string, f func())
	// LockSlugs serialises the choice of slugs on one site until the
	// transaction in ctx ends.
	LockSlugs(ctx context.Context, siteID int64) error

	CreateCategory(ctx context.Context, c *Category) error
	UpdateCategory(ctx context.Context, c *Category) error
	Category(ctx context.Context, id int64) (*Category, error)
	Categories(ctx context.Context, siteID int64) ([]*Category, error)
	CategoryInUse(ctx context.Context, id int64) (bool, error)
	DeleteCategory(ctx context.Context, id int64) error

	CreateArticle(ctx context.Context, a *Article) error
	// UpdateArticle stores a when the stored Version equals a.Version, and
	// increments a.Version; otherwise it returns fault.Conflict.
	UpdateArticle(ctx context.Context, a *Article) error
	DeleteArticle(ctx context.Context, id int64) error
	Article(ctx context.Context, id int64) (*Article, error)
	ArticleBySlug(ctx context.Context, siteID int64, lang string, page bool, slug string) (*Article, error)
	// SlugTaken reports whether slug is used on the site in lang by an item
	// other than except, or by an article syndicated to the site.
	SlugTaken(ctx context.Context, siteID int64, lang, slug string, except int64) (bool, error)
	Articles(ctx context.Context, f Filter) ([]*Article, int, error)
	StatusCounts(ctx context.Context, siteID int64, authorID int64) (map[Status]int, error)
	PublishedList(ctx context.Context, q ListQuery) ([]*Listed, int, error)
	Related(ctx context.Context, siteID int64, lang string, categoryID, except int64, n int) ([]*Listed, error)
	Translations(ctx context.Context, originalID int64) ([]*Article, error)
	MediaItem(ctx context.Context, id int64) (*media.Item, error)
	MediaItems(ctx context.Context, ids []int64) (map[int64]*media.Item, error)

	AddRevision(ctx context.Context, r *Revision) error
	Revisions(ctx context.Context, articleID int64) ([]*Revision, error)
	Revision(ctx context.Context, articleID int64, version int) (*Revision, error)

	CreateSyndication(ctx context.Context, s *Syndication) error
	UpdateSyndication(ctx context.Context, s *Syndication) error
	Syndication(ctx context.Context, id int64) (*Syndication, error)
	Syndications(ctx context.Context, f SyndicationFilter) ([]*Syndication, error)
	SyndicatedBySlug(ctx context.Context, siteID int64, slug string) (*Syndication, error)

	AddNotification(ctx context.Context, n *Notification) error
	Notifications(ctx context.Context, userID int64, limit int) ([]*Notification, int, error)
	MarkNotificationsRead(ctx context.Context, userID int64, at time.Time) error
	Recipients(ctx context.Context, siteID int64, roles []access.Role) ([]Recipient, error)

	ExtrasStore
	InventoryStore
}

// Recorder writes the audit log entry of a change, inside its transaction.
type Recorder interface {
	Record(ctx context.Context, action string, siteID int64, target string, detail any) error
}

// Sites tells the service about the tree of units and sites.
type Sites interface {
	Directory(ctx context.Context) (*site.Directory, error)
	AddRedirect(ctx context.Context, siteID int64, from string, toSite int64, toPath string) error
}

// Change describes a committed change readers can see: the web layer
// invalidates its page cache with it, exactly the pages that show the item.
type Change struct {
	ArticleID  int64
	OriginalID int64 // for a translation: its original, whose page links to it
	Kind       Kind
	Lang       string
	Places     []Place // the item's own site first, then the sites it is syndicated to
}

// Place is where an item shows: a site, its category there and its path.
type Place struct {
	SiteID     int64
	CategoryID int64
	Path       string
}

// Service is the publishing service.
type Service struct {
	store Store
	log   Recorder
	sites Sites
	jobs  *jobs.Queue
	// Index receives published items; nil until search is wired.
	Index search.Indexer
	// Mail, when set, is told to send the notification e-mails (through
	// the durable job queue).
	Mail MailQueue
	// Link, when set, returns the absolute address of a page of a site's
	// staff interface (/quan-tri/trang/CODE + path), for e-mails.
	Link func(siteID int64, path string) string
	// Grace is how late a scheduled publication may run before it counts
	// as missed and is reported.
	Grace time.Duration
	now   func() time.Time

	mu        sync.Mutex
	listeners []func(Change)
}

// MailQueue queues an e-mail for sending.
type MailQueue interface {
	QueueMail(ctx context.Context, to, subject, body string) error
}

// NewService returns the publishing service and registers its jobs
// (scheduled publication and expiry) on q.
func NewService(st Store, log Recorder, sites Sites, q *jobs.Queue) *Service {
	s := &Service{store: st, log: log, sites: sites, jobs: q, now: time.Now, Grace: time.Minute}
	if q != nil {
		q.Handle(JobPublish, s.runPublishJob)
		q.Handle(JobExpire, s.runExpireJob)
	}
	return s
}

// SetClock replaces the clock, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// OnChange registers f to run after every committed change readers can see
// (publication, unpublication, an edit of something public, syndication).
func (s *Service) OnChange(f func(Change)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners = append(s.listeners, f)
}

// changed tells the listeners about a change of a once the transaction in
// ctx commits.
func (s *Service) changed(ctx context.Context, a *Article) error {
	c := Change{ArticleID: a.ID, OriginalID: a.OriginalID, Kind: a.Kind, Lang: a.Lang}
	c.Places = append(c.Places, Place{SiteID: a.SiteID, CategoryID: a.CategoryID, Path: a.Path()})
	syn, err := s.store.Syndications(ctx, SyndicationFilter{ArticleID: a.ID, Status: SynAccepted})
	if err != nil {
		return err
	}
	for _, x := range syn {
		c.Places = append(c.Places, Place{SiteID: x.ToSiteID, CategoryID: x.CategoryID, Path: PathOf(KindArticle, x.Slug)})
	}
	s.mu.Lock()
	ls := slices.Clone(s.listeners)
	s.mu.Unlock()
	s.store.AfterCommit(ctx, "content.changed:"+strconv.FormatInt(a.ID, 10), func() {
		for _, f := range ls {
			f(c)
		}
	})
	return nil
}

// sanitizer returns the body sanitiser for a site: images pasted as data:
// URIs are refused here (the editor uploads them to the media library).
func (s *Service) sanitize(body string) string { return richtext.Sanitize(body) }

// actor returns the actor in ctx (the permission check has run).
func actor(ctx context.Context) *access.Actor { return access.From(ctx) }

// canEdit reports whether the actor may change a: editors edit anything on
// their site; a collaborator edits their own drafts and rejected items.
func canEdit(ctx context.Context, a *Article) error {
	if err := access.Check(ctx, access.EditContent, a.SiteID); err == nil {
		return nil
	}
	if err := access.Check(ctx, access.DraftContent, a.SiteID); err != nil {
		return err
	}
	ac := actor(ctx)
	if a.CreatedBy != ac.UserID {
		return fault.New(fault.Forbidden, "article.not_yours")
	}
	if a.Status != Draft && a.Status != Rejected {
		return fault.New(fault.Forbidden, "article.locked_for_review")
	}
	return nil
}

// target is how an item is named in the audit log.
func target(a *Article) string { return "article:" + strconv.FormatInt(a.ID, 10) }

// Article returns an item for the staff interface.
func (s *Service) Article(ctx context.Context, id int64) (*Article, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := access.Check(ctx, access.ViewSite, a.SiteID); err != nil {
		return nil, err
	}
	if err := s.fill(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// fill loads the cover and the translation state of a.
func (s *Service) fill(ctx context.Context, a *Article) error {
	if a.CoverID != 0 {
		m, err := s.store.MediaItem(ctx, a.CoverID)
		if err == nil {
			a.Cover = m
		} else if !fault.Is(err, fault.NotFound) {
			return err
		}
	}
	if a.OriginalID != 0 {
		o, err := s.store.Article(ctx, a.OriginalID)
		if err != nil && !fault.Is(err, fault.NotFound) {
			return err
		}
		a.Outdated = o != nil && o.ContentRev > a.SourceRev
	}
	return nil
}

// uniqueSlug returns base, or base-2, base-3… when taken on the site.
func (s *Service) uniqueSlug(ctx context.Context, siteID int64, lang, base string, except int64) (string, error) {
	slug := base
	for i := 2; ; i++ {
		taken, err := s.store.SlugTaken(ctx, siteID, lang, slug, except)
		if err != nil {
			return "", err
		}
		if !taken {
			return slug, nil
		}
		suffix := "-" + strconv.Itoa(i)
		b := base
		if len(b)+len(suffix) > MaxSlug {
			b = b[:MaxSlug-len(suffix)]
		}
		slug = b + suffix
		if i > 10000 {
			return "", fault.New(fault.Conflict, "article.slug_exhausted")
		}
	}
}

// Create starts a new item on a site as a draft.
func (s *Service) Create(ctx context.Context, siteID int64, in Input) (*Article, error) {
	if err := access.Check(ctx, access.DraftContent, siteID); err != nil {
		return nil, err
	}
	if err := in.clean(s.sanitize); err != nil {
		return nil, err
	}
	a := &Article{SiteID: siteID, Lang: "vi", Status: Draft, ContentRev: 1}
	var out *Article
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.checkRefs(ctx, siteID, &in); err != nil {
			return err
		}
		apply(a, &in)
		if err := s.store.LockSlugs(ctx, siteID); err != nil {
			return err
		}
		base := in.Slug
		if base == "" || !access.From(ctx).Can(access.EditContent, siteID) {
			base = SlugFor(in.Title)
		}
		slug, err := s.uniqueSlug(ctx, siteID, a.Lang, base, 0)
		if err != nil {
			return err
		}
		a.Slug = slug
		now := s.now()
		ac := actor(ctx)
		a.CreatedBy, a.CreatedByName = ac.UserID, ac.Name
		a.ContentUpdated = now
		if err := s.store.CreateArticle(ctx, a); err != nil {
			return err
		}
		if err := s.revise(ctx, a, ""); err != nil {
			return err
		}
		out = a
		return s.log.Record(ctx, "article.create", siteID, target(a), map[string]any{"title": a.Title, "kind": a.Kind})
	})
	return out, err
}

// checkRefs makes sure the category and media named by in belong to the
// site.
func (s *Service) checkRefs(ctx context.Context, siteID int64, in *Input) error {
	if in.CategoryID != 0 {
		c, err := s.store.Category(ctx, in.CategoryID)
		if err != nil || c.SiteID != siteID {
			return fault.OnField("category", "article.category_unknown")
		}
	}
	ids := slices.Clone(in.MediaIDs)
	if in.CoverID != 0 {
		ids = append(ids, in.CoverID)
	}
	if len(ids) == 0 {
		return nil
	}
	found, err := s.store.MediaItems(ctx, ids)
	if err != nil {
		return err
	}
	if in.CoverID != 0 {
		if m := found[in.CoverID]; m == nil || m.SiteID != siteID || m.Kind != media.Image {
			return fault.OnField("cover", "article.cover_unknown")
		}
	}
	var keep []int64
	for _, id := range in.MediaIDs {
		if m := found[id]; m != nil && m.SiteID == siteID && !slices.Contains(keep, id) {
			keep = append(keep, id)
		}
	}
	in.MediaIDs = keep
	return nil
}

// apply copies the input's fields onto a, bumping the content revision when
// the text changes.
func apply(a *Article, in *Input) {
	if a.ID != 0 && (a.Title != in.Title || a.Summary != in.Summary || a.Body != in.Body) {
		a.ContentRev++
		a.ContentUpdated = time.Time{} // set by the caller's clock
	}
	a.Kind, a.CategoryID, a.Title, a.Summary, a.Body = in.Kind, in.CategoryID, in.Title, in.Summary, in.Body
	a.CoverID, a.Author, a.Source, a.Tags = in.CoverID, in.Author, in.Source, in.Tags
	a.Template, a.MediaIDs, a.Position, a.ExpireAt = in.Template, in.MediaIDs, in.Position, in.ExpireAt
	if a.Kind == KindPage {
		a.CategoryID = 0
	}
}

// Save stores an edit of an item. version is the Version the editor
// loaded: when someone saved in between, nothing is written and a Conflict
// is returned (the staff interface then shows what changed, keeping what
// the user typed). Every save is a revision.
func (s *Service) Save(ctx context.Context, id int64, version int, in Input, note string) (*Article, error) {
	var out *Article
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		a, err := s.store.Article(ctx, id)
		if err != nil {
			return err
		}
		if err := canEdit(ctx, a); err != nil {
			return err
		}
		if err := in.clean(s.sanitize); err != nil {
			return err
		}
		if a.Version != version {
			return fault.New(fault.Conflict, "article.edited_meanwhile", a.CreatedByName)
		}
		if a.OriginalID != 0 {
			in.Kind = a.Kind // a translation keeps its original's kind
		}
		if err := s.checkRefs(ctx, a.SiteID, &in); err != nil {
			return err
		}
		oldPath := a.Path()
		apply(a, &in)
		if a.ContentUpdated.IsZero() {
			a.ContentUpdated = s.now()
		}
		// The slug follows the title until the item is first published;
		// after that only an editor changes it, and the old URL redirects.
		want := a.Slug
		switch {
		case in.Slug != "" && in.Slug != a.Slug && access.From(ctx).Can(access.EditContent, a.SiteID) && a.OriginalID == 0:
			want = in.Slug
		case a.Published.IsZero() && a.OriginalID == 0 && in.Slug == "":
			want = SlugFor(a.Title)
		}
		if want != a.Slug {
			if err := s.store.LockSlugs(ctx, a.SiteID); err != nil {
				return err
			}
			if want, err = s.uniqueSlug(ctx, a.SiteID, a.Lang, want, a.ID); err != nil {
				return err
			}
			a.Slug = want
		}
		if err := s.store.UpdateArticle(ctx, a); err != nil {
			return err
		}
		if a.Path() != oldPath && !a.Published.IsZero() {
			if err := s.sites.AddRedirect(ctx, a.SiteID, langPath(a.Lang, oldPath), a.SiteID, langPath(a.Lang, a.Path())); err != nil {
				return err
			}
			if err := s.renameTranslations(ctx, a); err != nil {
				return err
			}
		}
		if err := s.revise(ctx, a, note); err != nil {
			return err
		}
		if err := s.scheduleExpiry(ctx, a); err != nil {
			return err
		}
		if a.Public() {
			if err := s.index(ctx, a); err != nil {
				return err
			}
			if err := s.changed(ctx, a); err != nil {
				return err
			}
		}
		out = a
		return s.log.Record(ctx, "article.save", a.SiteID, target(a), map[string]any{"version": a.Version, "title": a.Title})
	})
	return out, err
}

// langPath prefixes path with the language for languages other than
// Vietnamese.
func langPath(lang, path string) string {
	if lang == "" || lang == "vi" {
		return path
	}
	return "/" + lang + path
}

// renameTranslations gives the translations of a its new slug.
func (s *Service) renameTranslations(ctx context.Context, a *Article) error {
	ts, err := s.store.Translations(ctx, a.ID)
	if err != nil {
		return err
	}
	for _, t := range ts {
		old := t.Path()
		t.Slug = a.Slug
		if err := s.store.UpdateArticle(ctx, t); err != nil {
			return err
		}
		if !t.Published.IsZero() {
			if err := s.sites.AddRedirect(ctx, t.SiteID, langPath(t.Lang, old), t.SiteID, langPath(t.Lang, t.Path())); err != nil {
				return err
			}
		}
		if t.Public() {
			if err := s.changed(ctx, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// Delete removes a draft that was never published (published items are
// unpublished instead, so their URL can say why).
func (s *Service) Delete(ctx context.Context, id int64) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		a, err := s.store.Article(ctx, id)
		if err != nil {
			return err
		}
		if err := canEdit(ctx, a); err != nil {
			return err
		}
		if !a.Published.IsZero() || a.Status == Published {
			return fault.New(fault.Conflict, "article.delete_published")
		}
		ts, err := s.store.Translations(ctx, a.ID)
		if err != nil {
			return err
		}
		if len(ts) > 0 {
			return fault.New(fault.Conflict, "article.delete_translated")
		}
		if err := s.cancelJobs(ctx, a.ID); err != nil {
			return err
		}
		if err := s.store.DeleteArticle(ctx, a.ID); err != nil {
			return err
		}
		return s.log.Record(ctx, "article.delete", a.SiteID, target(a), map[string]any{"title": a.Title})
	})
}

// index puts a published item into the search index.
func (s *Service) index(ctx context.Context, a *Article) error {
	if s.Index == nil {
		return nil
	}
	cat := ""
	if a.CategoryID != 0 {
		if c, err := s.store.Category(ctx, a.CategoryID); err == nil {
			cat = c.DisplayName(a.Lang)
		}
	}
	return s.Index.Put(ctx, SearchDoc(a, cat))
}

// SearchDoc is a published item as the search index sees it, cat the name
// of its category.
func SearchDoc(a *Article, cat string) search.Doc {
	kind := search.KindArticle
	if a.Kind == KindPage {
		kind = search.KindPage
	}
	return search.Doc{
		SiteID: a.SiteID, Kind: kind, Ref: strconv.FormatInt(a.ID, 10), Lang: a.Lang,
		Title: a.Title, Summary: a.Summary, Body: richtext.Text(a.Body), Category: cat,
		Path: a.Path(), Published: a.Published,
	}
}

// unindex takes an item out of the search index.
func (s *Service) unindex(ctx context.Context, a *Article) error {
	if s.Index == nil {
		return nil
	}
	kind := search.KindArticle
	if a.Kind == KindPage {
		kind = search.KindPage
	}
	return s.Index.Delete(ctx, kind, strconv.FormatInt(a.ID, 10))
}

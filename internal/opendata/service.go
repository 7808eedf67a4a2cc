package opendata

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/site"
)

// Store keeps datasets, resources, groups and the tabular rows of
// resources. Lookups of something missing return fault.NotFound.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	AfterCommit(ctx context.Context, key string, f func())
	Site(ctx context.Context, id int64) (*site.Site, error)
	Sites(ctx context.Context) ([]*site.Site, error)
	SiteByCode(ctx context.Context, code string) (*site.Site, error)
	Units(ctx context.Context) ([]*site.Unit, error)

	// NextDataSeq increments the change counter inside the transaction in
	// ctx and returns it; writers queue on it, so counters commit in order.
	NextDataSeq(ctx context.Context) (int64, error)
	// DataSeq returns the counter's committed value.
	DataSeq(ctx context.Context) (int64, error)

	CreateDataset(ctx context.Context, d *Dataset) error
	UpdateDataset(ctx context.Context, d *Dataset) error
	// TouchDataset records a change of a dataset's resources.
	TouchDataset(ctx context.Context, id string, seq int64, modified time.Time) error
	Dataset(ctx context.Context, idOrName string) (*Dataset, error)
	// DatasetsSince returns every dataset written after counter seq, with
	// tags, groups and resources, deleted ones too.
	DatasetsSince(ctx context.Context, seq int64) ([]*Dataset, error)

	CreateGroup(ctx context.Context, g *Group) error
	Groups(ctx context.Context) ([]*Group, error)

	CreateResource(ctx context.Context, r *Resource) error
	UpdateResource(ctx context.Context, r *Resource) error
	Resource(ctx context.Context, id string) (*Resource, error)
	AddFileVersion(ctx context.Context, v *FileVersion) error
	FileVersions(ctx context.Context, resourceID string) ([]*FileVersion, error)
	AddDownloads(ctx context.Context, counts map[string]int64) error

	DatastoreStore
}

// Recorder writes the audit log entry of a change, inside its transaction.
type Recorder interface {
	Record(ctx context.Context, action string, siteID int64, target string, detail any) error
}

// Service is the open data service.
type Service struct {
	store   Store
	log     Recorder
	media   string
	now     func() time.Time
	cat     *catalogue
	limits  Limits
	index   search.Indexer
	feedsMu sync.Mutex
	feeds   []Feed
	dl      downloads
	coded   *codedCache
	dataID  atomic.Int64 // the data portal's site, once known
}

// Limits bound what one upload may cost.
type Limits struct {
	MaxFile int64 // bytes of one uploaded file
	MaxRows int64 // rows loaded into the datastore from one file
	MaxCols int   // columns of one table
}

// DefaultLimits are generous for a city's spreadsheets and small enough for
// one machine.
var DefaultLimits = Limits{MaxFile: 200 << 20, MaxRows: 2_000_000, MaxCols: 200}

// NewService returns the service; media is the directory uploaded files
// are kept in.
func NewService(s Store, log Recorder, media string) *Service {
	svc := &Service{store: s, log: log, media: media, now: time.Now, limits: DefaultLimits}
	svc.cat = newCatalogue(s)
	svc.coded = newCodedCache(DefaultCodedMemory)
	svc.dl.counts = map[string]int64{}
	return svc
}

// SetIndexer makes the service put published datasets into the site-wide
// search index (nil: none).
func (s *Service) SetIndexer(ix search.Indexer) { s.index = ix }

// SetLimits changes the upload limits.
func (s *Service) SetLimits(l Limits) { s.limits = l }

// Limits returns the upload limits.
func (s *Service) Limits() Limits { return s.limits }

// MediaDir returns where files are kept.
func (s *Service) MediaDir() string { return s.media }

// checkPublish allows accounts holding PublishData on the data portal, or
// on any site of the unit that owns the dataset (its portal, its special
// sections): the unit publishes its own data, the data portal's staff
// publish for every unit.
func (s *Service) checkPublish(ctx context.Context, ownerSiteID int64) error {
	err := access.Check(ctx, access.PublishData, ownerSiteID)
	if err == nil || fault.Is(err, fault.Unauthorized) {
		return err
	}
	sites, serr := s.store.Sites(ctx)
	if serr != nil {
		return serr
	}
	var unit int64
	for _, st := range sites {
		if st.ID == ownerSiteID {
			unit = st.UnitID
		}
	}
	for _, st := range sites {
		if st.Status != site.Active || st.ID == ownerSiteID {
			continue
		}
		if st.Kind == site.Data || unit != 0 && st.UnitID == unit {
			if access.Check(ctx, access.PublishData, st.ID) == nil {
				return nil
			}
		}
	}
	return err
}

// PublishableSites returns the active sites whose unit the actor in ctx may
// publish datasets for (every one for the data portal's publishers).
func (s *Service) PublishableSites(ctx context.Context) ([]*site.Site, error) {
	sites, err := s.store.Sites(ctx)
	if err != nil {
		return nil, err
	}
	var out []*site.Site
	for _, st := range sites {
		if st.Status == site.Active && st.Kind != site.Data && s.checkPublish(ctx, st.ID) == nil {
			out = append(out, st)
		}
	}
	return out, nil
}

// owner checks that the owning site exists and is active.
func (s *Service) owner(ctx context.Context, siteID int64) (*site.Site, error) {
	st, err := s.store.Site(ctx, siteID)
	if fault.Is(err, fault.NotFound) {
		return nil, fault.OnField("owner_org", "data.owner_invalid")
	}
	if err != nil {
		return nil, err
	}
	if st.Status != site.Active || st.Kind == site.Data {
		return nil, fault.OnField("owner_org", "data.owner_invalid")
	}
	return st, nil
}

// CreateDataset adds a dataset for the unit of d.SiteID.
func (s *Service) CreateDataset(ctx context.Context, d *Dataset) error {
	if err := s.checkPublish(ctx, d.SiteID); err != nil {
		return err
	}
	if d.LicenseID == "" {
		d.LicenseID = DefaultLicense
	}
	if err := d.validate(); err != nil {
		return err
	}
	if _, err := s.owner(ctx, d.SiteID); err != nil {
		return err
	}
	if d.ID == "" {
		d.ID = NewID()
	}
	if a := access.From(ctx); a != nil {
		d.CreatorID = a.UserID
	}
	now := s.now().UTC()
	d.Created, d.Modified = now, now
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.checkGroups(ctx, d.Groups); err != nil {
			return err
		}
		seq, err := s.store.NextDataSeq(ctx)
		if err != nil {
			return err
		}
		d.Seq = seq
		if err := s.store.CreateDataset(ctx, d); err != nil {
			return err
		}
		if err := s.indexDataset(ctx, d); err != nil {
			return err
		}
		s.changed(ctx)
		return s.log.Record(ctx, "dataset.create", d.SiteID, d.Name, map[string]any{"title": d.Title, "id": d.ID, "state": d.State})
	})
}

// UpdateDataset stores the edited fields of d (found by d.ID), keeping its
// resources. Moving a dataset to another unit needs the right to publish
// for both.
func (s *Service) UpdateDataset(ctx context.Context, d *Dataset) error {
	old, err := s.store.Dataset(ctx, d.ID)
	if err != nil {
		return err
	}
	if old.State == Deleted {
		return fault.New(fault.Gone, "data.deleted")
	}
	if err := s.checkPublish(ctx, old.SiteID); err != nil {
		return err
	}
	if d.SiteID != old.SiteID {
		if err := s.checkPublish(ctx, d.SiteID); err != nil {
			return err
		}
		if _, err := s.owner(ctx, d.SiteID); err != nil {
			return err
		}
	}
	if err := d.validate(); err != nil {
		return err
	}
	d.Created, d.CreatorID, d.Feed, d.Resources = old.Created, old.CreatorID, old.Feed, old.Resources
	d.Modified = s.now().UTC()
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.checkGroups(ctx, d.Groups); err != nil {
			return err
		}
		seq, err := s.store.NextDataSeq(ctx)
		if err != nil {
			return err
		}
		d.Seq = seq
		if err := s.store.UpdateDataset(ctx, d); err != nil {
			return err
		}
		if err := s.indexDataset(ctx, d); err != nil {
			return err
		}
		s.changed(ctx)
		return s.log.Record(ctx, "dataset.update", d.SiteID, d.Name, diffDatasets(old, d))
	})
}

// DeleteDataset withdraws a dataset: it leaves every list and the API
// answers 404 for it; its files are kept.
func (s *Service) DeleteDataset(ctx context.Context, idOrName string) error {
	d, err := s.store.Dataset(ctx, idOrName)
	if err != nil {
		return err
	}
	if err := s.checkPublish(ctx, d.SiteID); err != nil {
		return err
	}
	if d.State == Deleted {
		return nil
	}
	d.State = Deleted
	d.Modified = s.now().UTC()
	return s.store.InTx(ctx, func(ctx context.Context) error {
		seq, err := s.store.NextDataSeq(ctx)
		if err != nil {
			return err
		}
		d.Seq = seq
		if err := s.store.UpdateDataset(ctx, d); err != nil {
			return err
		}
		if err := s.indexDataset(ctx, d); err != nil {
			return err
		}
		s.changed(ctx)
		return s.log.Record(ctx, "dataset.delete", d.SiteID, d.Name, map[string]any{"id": d.ID})
	})
}

// touch bumps a dataset's counter and modification time after a change of
// one of its resources, in the transaction in ctx.
func (s *Service) touch(ctx context.Context, d *Dataset) error {
	seq, err := s.store.NextDataSeq(ctx)
	if err != nil {
		return err
	}
	d.Seq, d.Modified = seq, s.now().UTC()
	if err := s.store.TouchDataset(ctx, d.ID, d.Seq, d.Modified); err != nil {
		return err
	}
	s.changed(ctx)
	return s.indexDataset(ctx, d)
}

func (s *Service) changed(ctx context.Context) {
	s.store.AfterCommit(ctx, "opendata.changed", s.cat.invalidate)
}

func (s *Service) checkGroups(ctx context.Context, names []string) error {
	if len(names) == 0 {
		return nil
	}
	groups, err := s.store.Groups(ctx)
	if err != nil {
		return err
	}
	for _, n := range names {
		if !slices.ContainsFunc(groups, func(g *Group) bool { return g.Name == n }) {
			return fault.OnField("groups", "data.group_unknown", n)
		}
	}
	return nil
}

// indexDataset puts a public dataset into the site-wide search index, or
// takes a withdrawn or draft one out, in the transaction in ctx.
func (s *Service) indexDataset(ctx context.Context, d *Dataset) error {
	if s.index == nil {
		return nil
	}
	if d.State != Active {
		return s.index.Delete(ctx, search.KindDataset, d.ID)
	}
	siteID := d.SiteID
	if id, err := s.dataSite(ctx); err == nil && id != 0 {
		siteID = id
	}
	// The summary is the description's first line; the body the rest (a
	// snippet is cut from both: the line is not repeated) and the files.
	summary := firstLine(d.Notes, 300)
	body := strings.TrimSpace(strings.TrimPrefix(d.Notes, summary))
	for _, r := range d.Resources {
		body += "\n" + r.Name + " " + r.Format
	}
	doc := search.Doc{SiteID: siteID, Kind: search.KindDataset, Ref: d.ID, Lang: "vi", Title: d.Title,
		Summary: summary, Body: body, Path: "/du-lieu/" + d.Name, Published: d.Modified}
	if len(d.Groups) > 0 {
		// The theme's title, as readers see it in facets.
		doc.Category = d.Groups[0]
		if gs, err := s.store.Groups(ctx); err == nil {
			for _, g := range gs {
				if g.Name == d.Groups[0] && g.Title != "" {
					doc.Category = g.Title
				}
			}
		}
	}
	return s.index.Put(ctx, doc)
}

func firstLine(s string, max int) string {
	for i, r := range s {
		if r == '\n' {
			s = s[:i]
			break
		}
	}
	if len([]rune(s)) > max {
		return string([]rune(s)[:max]) + "…"
	}
	return s
}

// CreateGroup adds a theme; themes are the data portal's, managed by its
// publishers.
func (s *Service) CreateGroup(ctx context.Context, g *Group) error {
	dataSite, err := s.dataSite(ctx)
	if err != nil {
		return err
	}
	if err := access.Check(ctx, access.PublishData, dataSite); err != nil {
		return err
	}
	var errs fault.List
	g.Title = cleanText(g.Title)
	g.TitleEn = cleanText(g.TitleEn)
	g.Description = cleanText(g.Description)
	if g.Title == "" {
		errs = append(errs, fault.OnField("title", "data.title_required"))
	}
	if g.Name == "" {
		g.Name = NameFor(g.Title)
	}
	if !ValidName(g.Name) {
		errs = append(errs, fault.OnField("name", "data.name_invalid"))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if g.ID == "" {
		g.ID = NewID()
	}
	g.Created = s.now().UTC()
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateGroup(ctx, g); err != nil {
			return err
		}
		if _, err := s.store.NextDataSeq(ctx); err != nil {
			return err
		}
		s.changed(ctx)
		return s.log.Record(ctx, "group.create", dataSite, g.Name, map[string]any{"title": g.Title})
	})
}

// dataSite returns the id of the data portal's site (0 when there is none:
// then only system administrators manage themes).
func (s *Service) dataSite(ctx context.Context) (int64, error) {
	if id := s.dataID.Load(); id != 0 {
		return id, nil
	}
	sites, err := s.store.Sites(ctx)
	if err != nil {
		return 0, err
	}
	for _, st := range sites {
		if st.Kind == site.Data && st.Status == site.Active {
			s.dataID.Store(st.ID)
			return st.ID, nil
		}
	}
	return 0, nil
}

// Dataset returns a dataset by id or name, with its resources. Drafts and
// withdrawn datasets are only returned to those who may publish them.
func (s *Service) Dataset(ctx context.Context, idOrName string) (*Dataset, error) {
	d, err := s.store.Dataset(ctx, idOrName)
	if err != nil {
		return nil, err
	}
	if d.State != Active && s.checkPublish(ctx, d.SiteID) != nil {
		return nil, fault.New(fault.NotFound, "data.not_found")
	}
	return d, nil
}

// Groups returns every theme.
func (s *Service) Groups(ctx context.Context) ([]*Group, error) {
	return s.store.Groups(ctx)
}

func diffDatasets(a, b *Dataset) map[string][2]any {
	d := map[string][2]any{}
	add := func(k string, x, y any) {
		if x != y {
			d[k] = [2]any{x, y}
		}
	}
	add("name", a.Name, b.Name)
	add("title", a.Title, b.Title)
	add("site_id", a.SiteID, b.SiteID)
	add("license_id", a.LicenseID, b.LicenseID)
	add("frequency", a.Frequency, b.Frequency)
	add("state", a.State, b.State)
	add("temporal_start", a.TemporalStart, b.TemporalStart)
	add("temporal_end", a.TemporalEnd, b.TemporalEnd)
	add("spatial", a.Spatial, b.Spatial)
	add("contact_email", a.ContactEmail, b.ContactEmail)
	if a.Notes != b.Notes {
		d["notes"] = [2]any{len(a.Notes), len(b.Notes)}
	}
	if !slices.Equal(a.Tags, b.Tags) {
		d["tags"] = [2]any{a.Tags, b.Tags}
	}
	if !slices.Equal(a.Groups, b.Groups) {
		d["groups"] = [2]any{a.Groups, b.Groups}
	}
	return d
}

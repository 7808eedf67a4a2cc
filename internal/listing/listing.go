// Package listing holds the typed listings every portal publishes besides
// documents: strategies and plans, public investment and procurement
// projects, budget and financial reports, sector statistics, and science
// programmes, each with the fields readers of that kind expect and files.
package listing

import (
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/attach"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// Kind is a kind of listing, with the public path it lives under and the
// fields it uses besides title, summary, date and files.
type Kind struct {
	ID     string // plan, investment, budget, statistics, science
	Path   string // /ke-hoach
	Fields []string
}

// The kinds. The check the audit uses is "listing:" + ID.
var Kinds = []Kind{
	{"plan", "/ke-hoach", []string{"number", "period"}},
	{"investment", "/dau-tu", []string{"number", "owner", "location", "amount", "stage"}},
	{"budget", "/ngan-sach", []string{"number", "period"}},
	{"statistics", "/thong-ke", []string{"period"}},
	{"science", "/khoa-hoc", []string{"number", "owner", "period", "stage"}},
}

// KindByID returns a kind, or nil.
func KindByID(id string) *Kind {
	for i := range Kinds {
		if Kinds[i].ID == id {
			return &Kinds[i]
		}
	}
	return nil
}

// Has reports whether the kind uses a field.
func (k *Kind) Has(field string) bool { return slices.Contains(k.Fields, field) }

// Item is one entry of a listing.
type Item struct {
	ID        int64
	SiteID    int64
	Kind      string
	Title     string
	Summary   string
	Number    string // decision number (số quyết định), programme code
	Period    string // year or period: 2021-2025, 2025, Quý III/2025
	IssuedOn  string // YYYY-MM-DD: approval or publication date
	Owner     string // investor (chủ đầu tư) or lead organisation (đơn vị chủ trì)
	Location  string
	Amount    int64  // total investment, VND
	Stage     string // progress (tiến độ) or status
	Published bool
	Created   time.Time
	Updated   time.Time
	Files     []*attach.File
}

// Path returns the item's place on its site: its listing's page, at the
// item.
func (it *Item) Path() string {
	k := KindByID(it.Kind)
	if k == nil {
		return "/"
	}
	return k.Path + "#muc-" + strconv.FormatInt(it.ID, 10)
}

// Store keeps listings.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	CreateListing(ctx context.Context, it *Item) error
	UpdateListing(ctx context.Context, it *Item) error
	Listing(ctx context.Context, id int64) (*Item, error)
	Listings(ctx context.Context, siteID int64, kind string, publishedOnly bool, limit, offset int) ([]*Item, int, error)
	InsertListings(ctx context.Context, items []*Item) error
}

// Recorder writes the audit log entry of a change, inside its transaction.
type Recorder interface {
	Record(ctx context.Context, action string, siteID int64, target string, detail any) error
}

// Service runs the listings.
type Service struct {
	store Store
	log   Recorder
	Files *attach.Files
}

// NewService returns a Service.
func NewService(s Store, log Recorder, files *attach.Files) *Service {
	return &Service{store: s, log: log, Files: files}
}

func (it *Item) validate() error {
	var errs fault.List
	if KindByID(it.Kind) == nil {
		errs = append(errs, fault.OnField("kind", "listing.kind_invalid"))
	}
	clip := func(field string, v *string, n int) {
		*v = vietnamese.Clean(*v)
		if utf8.RuneCountInString(*v) > n {
			errs = append(errs, fault.OnField(field, "field.too_long", n))
		}
	}
	clip("title", &it.Title, 1000)
	clip("number", &it.Number, 60)
	clip("period", &it.Period, 60)
	clip("owner", &it.Owner, 300)
	clip("location", &it.Location, 300)
	clip("stage", &it.Stage, 300)
	it.Summary = strings.TrimSpace(vietnamese.NFC(strings.ToValidUTF8(it.Summary, "")))
	if len(it.Summary) > 50000 {
		errs = append(errs, fault.OnField("summary", "field.too_long", 50000))
	}
	if it.Title == "" {
		errs = append(errs, fault.OnField("title", "listing.title_required"))
	}
	if _, err := time.Parse(time.DateOnly, it.IssuedOn); err != nil || len(it.IssuedOn) != 10 {
		errs = append(errs, fault.OnField("issued_on", "field.date_invalid"))
	}
	if it.Amount < 0 || it.Amount > 1e16 {
		errs = append(errs, fault.OnField("amount", "listing.amount_invalid"))
	}
	return errs.Err()
}

// Create adds an item, published when the actor may publish.
func (s *Service) Create(ctx context.Context, it *Item) error {
	if err := access.Check(ctx, access.EditDisclosure, it.SiteID); err != nil {
		return err
	}
	if err := it.validate(); err != nil {
		return err
	}
	if it.Published && access.Check(ctx, access.PublishDisclosure, it.SiteID) != nil {
		it.Published = false
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateListing(ctx, it); err != nil {
			return err
		}
		return s.log.Record(ctx, "listing.create", it.SiteID, it.Kind+":"+strconv.FormatInt(it.ID, 10), map[string]any{"title": it.Title})
	})
}

// SetPublished publishes or withdraws an item.
func (s *Service) SetPublished(ctx context.Context, id int64, publish bool) error {
	it, err := s.store.Listing(ctx, id)
	if err != nil {
		return err
	}
	if err := access.Check(ctx, access.PublishDisclosure, it.SiteID); err != nil {
		return err
	}
	it.Published = publish
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateListing(ctx, it); err != nil {
			return err
		}
		return s.log.Record(ctx, "listing.publish", it.SiteID, it.Kind+":"+strconv.FormatInt(it.ID, 10), map[string]any{"published": publish})
	})
}

// Attach adds a file to an item.
func (s *Service) Attach(ctx context.Context, id int64, name string, r io.Reader) error {
	it, err := s.store.Listing(ctx, id)
	if err != nil {
		return err
	}
	if err := access.Check(ctx, access.EditDisclosure, it.SiteID); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		f, err := s.Files.Add(ctx, it.SiteID, "listing", it.ID, name, r)
		if err != nil {
			return err
		}
		return s.log.Record(ctx, "listing.attach", it.SiteID, it.Kind+":"+strconv.FormatInt(it.ID, 10), map[string]any{"file": f.Name, "sha256": f.SHA256})
	})
}

// Get returns an item with its files; unpublished ones only to the staff.
func (s *Service) Get(ctx context.Context, id int64) (*Item, error) {
	it, err := s.store.Listing(ctx, id)
	if err != nil {
		return nil, err
	}
	if !it.Published && access.Check(ctx, access.ViewSite, it.SiteID) != nil {
		return nil, fault.New(fault.NotFound, "listing.not_found")
	}
	if s.Files != nil {
		it.Files, err = s.Files.Of(ctx, "listing", it.ID)
	}
	return it, err
}

// List returns a page of a site's items of a kind ("" for all kinds),
// newest first, with their files.
func (s *Service) List(ctx context.Context, siteID int64, kind string, publishedOnly bool, limit, offset int) ([]*Item, int, error) {
	if !publishedOnly {
		if err := access.Check(ctx, access.ViewSite, siteID); err != nil {
			return nil, 0, err
		}
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	items, total, err := s.store.Listings(ctx, siteID, kind, publishedOnly, limit, max(offset, 0))
	if err != nil || s.Files == nil || len(items) == 0 {
		return items, total, err
	}
	ids := make([]int64, len(items))
	byID := map[int64]*Item{}
	for i, it := range items {
		ids[i], byID[it.ID] = it.ID, it
	}
	files, err := s.Files.Of(ctx, "listing", ids...)
	for _, f := range files {
		byID[f.OwnerID].Files = append(byID[f.OwnerID].Files, f)
	}
	return items, total, err
}

// Insert adds items built by a program (the demo).
func (s *Service) Insert(ctx context.Context, items []*Item) error {
	for _, it := range items {
		if err := access.Check(ctx, access.EditDisclosure, it.SiteID); err != nil {
			return err
		}
		if err := it.validate(); err != nil {
			return err
		}
	}
	return s.store.InsertListings(ctx, items)
}

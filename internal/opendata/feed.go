package opendata

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/site"
)

// Feed is portal content published as an open dataset and kept current
// by the portal itself: the legal document registry, the procedure
// catalogue, feedback statistics per unit. Each part of the product that
// owns such content implements Feed and registers it with RegisterFeed;
// RefreshFeeds (run at start and hourly) writes a new version of the
// dataset's CSV resource whenever the content changed.
type Feed interface {
	// Name is the dataset's URL name; it never changes.
	Name() string
	// Describe says what the dataset is and which unit's site owns it.
	Describe(ctx context.Context) (FeedInfo, error)
	// WriteCSV writes the content as CSV, header first. Cells go through
	// SafeCell, as every CSV the portal exports.
	WriteCSV(ctx context.Context, w *csv.Writer) error
}

// FeedInfo describes a feed's dataset.
type FeedInfo struct {
	Title     string
	Notes     string
	Owner     string // code of the owning unit's site
	Tags      []string
	Groups    []string
	License   string
	Frequency string
	Resource  string // the CSV resource's name
	Filename  string
}

// RegisterFeed adds a feed; call before Run.
func (s *Service) RegisterFeed(f Feed) {
	s.feedsMu.Lock()
	defer s.feedsMu.Unlock()
	s.feeds = append(s.feeds, f)
}

// Feeds returns the registered feeds.
func (s *Service) Feeds() []Feed {
	s.feedsMu.Lock()
	defer s.feedsMu.Unlock()
	return slices.Clone(s.feeds)
}

// maxFeedBytes bounds one feed's CSV.
const maxFeedBytes = 50 << 20

// RefreshFeeds brings every feed's dataset up to date, as the system.
func (s *Service) RefreshFeeds(ctx context.Context) error {
	ctx = access.With(ctx, access.System("feeds", "system"))
	var errs []error
	for _, f := range s.Feeds() {
		if err := s.refreshFeed(ctx, f); err != nil {
			errs = append(errs, fmt.Errorf("feed %s: %w", f.Name(), err))
		}
	}
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

func (s *Service) refreshFeed(ctx context.Context, f Feed) error {
	info, err := f.Describe(ctx)
	if err != nil {
		return err
	}
	owner, err := s.store.SiteByCode(ctx, info.Owner)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := f.WriteCSV(ctx, w); err != nil {
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if buf.Len() > maxFeedBytes {
		return fault.New(fault.Invalid, "data.file_too_large", maxFeedBytes>>20)
	}
	body := buf.Bytes()
	hash := sha256Hex(body)
	if info.License == "" {
		info.License = DefaultLicense
	}
	d, err := s.store.Dataset(ctx, f.Name())
	if fault.Is(err, fault.NotFound) {
		d = &Dataset{Name: f.Name(), SiteID: owner.ID, Title: info.Title, Notes: info.Notes, LicenseID: info.License,
			Frequency: info.Frequency, Tags: info.Tags, Groups: info.Groups, Feed: f.Name(), Spatial: "Thành phố Hà Nội"}
		if err := s.CreateDataset(ctx, d); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	for _, r := range d.Resources {
		if r.Name == info.Resource {
			if r.Hash == hash {
				return nil
			}
			_, err := s.UpdateResource(ctx, r.ID, ResourceChange{}, &File{Name: info.Filename, Body: bytes.NewReader(body)})
			return err
		}
	}
	return s.AddResource(ctx, d.ID, &Resource{Name: info.Resource, Format: "CSV"}, &File{Name: info.Filename, Body: bytes.NewReader(body)})
}

// SafeCell guards a cell for spreadsheets: a value starting with = + - @,
// a tab or a carriage return would be run as a formula when the CSV is
// opened in a spreadsheet, so it gets a leading apostrophe (OWASP's advice
// against CSV injection).
func SafeCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// SafeRecord applies SafeCell to every cell of a record.
func SafeRecord(rec []string) []string {
	for i, v := range rec {
		rec[i] = SafeCell(v)
	}
	return rec
}

// sitesFeed publishes the list of units and their portals.
type sitesFeed struct{ store Store }

// SitesFeed is the dataset of the city's portals: every active unit with
// its portal's address and contact data, kept current as units and sites
// change.
func SitesFeed(s Store) Feed { return sitesFeed{s} }

func (sitesFeed) Name() string { return "danh-sach-cong-thong-tin-thanh-phan" }

func (f sitesFeed) Describe(ctx context.Context) (FeedInfo, error) {
	owner := "hanoi"
	if sites, err := f.store.Sites(ctx); err == nil {
		for _, st := range sites {
			if st.Kind == site.Data && st.Status == site.Active {
				if o, err := f.store.Site(ctx, st.ID); err == nil {
					for _, p := range sites {
						if p.UnitID == o.UnitID && p.Kind == site.Portal && p.Status == site.Active {
							owner = p.Code
						}
					}
				}
			}
		}
	}
	return FeedInfo{
		Title: "Danh sách cổng thông tin điện tử thành phần",
		Notes: "Các cơ quan, đơn vị của Thành phố và cổng thông tin điện tử của từng đơn vị: mã, tên, loại, tên miền, địa chỉ và thông tin liên hệ. " +
			"Bộ dữ liệu do hệ thống tự cập nhật khi đơn vị hoặc cổng thông tin thay đổi.",
		Owner: owner, Tags: []string{"cổng thông tin", "đơn vị hành chính"}, Groups: []string{"hanh-chinh-cong"},
		Frequency: "IRREG", Resource: "Danh sách cổng thông tin (CSV)", Filename: "danh-sach-cong-thong-tin.csv",
	}, nil
}

func (f sitesFeed) WriteCSV(ctx context.Context, w *csv.Writer) error {
	units, err := f.store.Units(ctx)
	if err != nil {
		return err
	}
	sites, err := f.store.Sites(ctx)
	if err != nil {
		return err
	}
	if err := w.Write([]string{"Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã cổng", "Tên cổng", "Loại cổng", "Tên miền", "Địa chỉ", "Điện thoại", "Thư điện tử"}); err != nil {
		return err
	}
	byID := map[int64]*site.Unit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	for _, st := range sites {
		u := byID[st.UnitID]
		if st.Status != site.Active || u == nil {
			continue
		}
		c := st.Contact
		if err := w.Write(SafeRecord([]string{u.Code, u.Name, string(u.Kind), st.Code, st.Name, string(st.Kind), st.PrimaryHost(), c.Address, c.Phone, c.Email})); err != nil {
			return err
		}
	}
	return nil
}

var _ io.Writer = (*bytes.Buffer)(nil)

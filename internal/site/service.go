package site

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
)

// Store keeps units and sites. Lookups of something that does not exist
// return a fault.NotFound error; writes of a taken code or host return
// fault.Conflict.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	AfterCommit(ctx context.Context, key string, f func())

	CreateUnit(ctx context.Context, u *Unit) error
	UpdateUnit(ctx context.Context, u *Unit) error
	Unit(ctx context.Context, id int64) (*Unit, error)
	UnitByCode(ctx context.Context, code string) (*Unit, error)
	Units(ctx context.Context) ([]*Unit, error)

	CreateSite(ctx context.Context, s *Site) error
	// UpdateSite stores s when its Version matches the stored one, and
	// increments Version; otherwise it returns fault.Conflict.
	UpdateSite(ctx context.Context, s *Site) error
	Site(ctx context.Context, id int64) (*Site, error)
	SiteByCode(ctx context.Context, code string) (*Site, error)
	Sites(ctx context.Context) ([]*Site, error)
	SetSiteHosts(ctx context.Context, siteID int64, hosts []string) error
	// MoveSiteContent gives everything published on site from to site to.
	MoveSiteContent(ctx context.Context, from, to int64) error
	// RepointMerged makes sites merged into from point at to instead.
	RepointMerged(ctx context.Context, from, to int64) error
	// Redirect returns where a path of a site has moved.
	Redirect(ctx context.Context, siteID int64, path string) (toSite int64, toPath string, err error)
}

// Recorder writes the audit log entry of a change, inside its transaction.
type Recorder interface {
	Record(ctx context.Context, action string, siteID int64, target string, detail any) error
}

// Service is the units-and-sites service.
type Service struct {
	store Store
	log   Recorder
	now   func() time.Time

	mu        sync.Mutex
	listeners []func()
}

// NewService returns a Service.
func NewService(s Store, log Recorder) *Service {
	return &Service{store: s, log: log, now: time.Now}
}

// OnChange registers f to run after any change to units, sites or hosts is
// committed (the web layer rebuilds its host table then).
func (s *Service) OnChange(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners = append(s.listeners, f)
}

func (s *Service) changed(ctx context.Context) {
	s.mu.Lock()
	ls := slices.Clone(s.listeners)
	s.mu.Unlock()
	s.store.AfterCommit(ctx, "site.changed", func() {
		for _, f := range ls {
			f()
		}
	})
}

// CreateUnit adds a unit under its parent.
func (s *Service) CreateUnit(ctx context.Context, u *Unit) error {
	if err := access.Check(ctx, access.ManageUnits, 0); err != nil {
		return err
	}
	if err := u.validate(); err != nil {
		return err
	}
	u.Status = Active
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if u.ParentID != 0 {
			p, err := s.store.Unit(ctx, u.ParentID)
			if err != nil {
				return err
			}
			if p.Status != Active {
				return fault.OnField("parent", "unit.parent_merged")
			}
		}
		if err := s.store.CreateUnit(ctx, u); err != nil {
			return err
		}
		s.changed(ctx)
		return s.log.Record(ctx, "unit.create", 0, u.Code, map[string]any{"name": u.Name, "kind": u.Kind, "parent_id": u.ParentID})
	})
}

// CreateSite adds a site for an active unit, with its host names (the first
// is the primary host).
func (s *Service) CreateSite(ctx context.Context, st *Site) error {
	if err := access.Check(ctx, access.ManageUnits, 0); err != nil {
		return err
	}
	if err := st.validate(); err != nil {
		return err
	}
	hosts, err := normalizeHosts(st.Hosts)
	if err != nil {
		return err
	}
	st.Hosts = hosts
	st.Status = Active
	return s.store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.store.Unit(ctx, st.UnitID)
		if err != nil {
			return err
		}
		if u.Status != Active {
			return fault.OnField("unit", "unit.merged_already", u.Name)
		}
		if err := s.store.CreateSite(ctx, st); err != nil {
			return err
		}
		s.changed(ctx)
		return s.log.Record(ctx, "site.create", st.ID, st.Code, map[string]any{"name": st.Name, "unit": u.Code, "hosts": st.Hosts})
	})
}

// Settings are the fields a site's administrator edits.
type Settings struct {
	Name    string
	NameEn  string
	Langs   []string
	Contact Contact
	EMCID   string
}

// UpdateSettings changes a site's names, languages, contact data and EMC code.
// version is the Version the editor saw: when someone saved in between, the
// change is refused with fault.Conflict and nothing is written.
func (s *Service) UpdateSettings(ctx context.Context, code string, version int, in Settings) (*Site, error) {
	st, err := s.store.SiteByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if err := access.Check(ctx, access.EditSite, st.ID); err != nil {
		return nil, err
	}
	if st.Status != Active {
		return nil, fault.New(fault.Gone, "site.merged")
	}
	before := *st
	st.Name, st.NameEn, st.Contact, st.EMCID = in.Name, in.NameEn, in.Contact, in.EMCID
	if len(in.Langs) > 0 {
		st.Langs = in.Langs
	}
	if err := st.validate(); err != nil {
		return nil, err
	}
	if st.Version != version {
		return nil, fault.New(fault.Conflict, "site.edited_meanwhile")
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateSite(ctx, st); err != nil {
			return err
		}
		s.changed(ctx)
		return s.log.Record(ctx, "site.update", st.ID, st.Code, diffSites(&before, st))
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// SetHosts replaces a site's host names; the first is the primary.
func (s *Service) SetHosts(ctx context.Context, code string, hosts []string) (*Site, error) {
	st, err := s.store.SiteByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if err := access.Check(ctx, access.ManageHosts, st.ID); err != nil {
		return nil, err
	}
	if st.Status != Active {
		return nil, fault.New(fault.Gone, "site.merged")
	}
	hosts, err = normalizeHosts(hosts)
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetSiteHosts(ctx, st.ID, hosts); err != nil {
			return err
		}
		s.changed(ctx)
		return s.log.Record(ctx, "site.hosts", st.ID, st.Code, map[string]any{"before": st.Hosts, "after": hosts})
	})
	if err != nil {
		return nil, err
	}
	st.Hosts = hosts
	return st, nil
}

func normalizeHosts(in []string) ([]string, error) {
	var out []string
	for _, h := range in {
		if strings.TrimSpace(h) == "" {
			continue
		}
		n, ok := NormalizeHost(h)
		if !ok {
			return nil, fault.OnField("hosts", "site.host_invalid", h)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(out) > 20 {
		return nil, fault.OnField("hosts", "site.too_many_hosts", 20)
	}
	return out, nil
}

// Merge merges unit from into unit into, as the 2025 reorganisation did: the
// merged unit's child units move under the successor; its portal is merged
// into the successor's portal (its content moves there and every old URL
// answers 301 with the matching new one); its other sites (special
// sections) now belong to the successor. on is the effective date.
func (s *Service) Merge(ctx context.Context, fromCode, intoCode, on string) error {
	if err := access.Check(ctx, access.ManageUnits, 0); err != nil {
		return err
	}
	if _, err := time.Parse(time.DateOnly, on); err != nil {
		return fault.OnField("on", "field.date_invalid")
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		from, err := s.store.UnitByCode(ctx, fromCode)
		if err != nil {
			return err
		}
		into, err := s.store.UnitByCode(ctx, intoCode)
		if err != nil {
			return err
		}
		if from.ID == into.ID {
			return fault.OnField("into", "unit.merge_into_itself")
		}
		if from.Status != Active {
			return fault.OnField("from", "unit.merged_already", from.Name)
		}
		if into.Status != Active {
			return fault.OnField("into", "unit.merged_already", into.Name)
		}
		if from.ParentID == 0 {
			return fault.OnField("from", "unit.merge_root")
		}
		units, err := s.store.Units(ctx)
		if err != nil {
			return err
		}
		if descends(units, into.ID, from.ID) {
			return fault.OnField("into", "unit.merge_into_descendant")
		}
		for _, u := range units {
			if u.ParentID == from.ID && u.Status == Active {
				u.ParentID = into.ID
				if err := s.store.UpdateUnit(ctx, u); err != nil {
					return err
				}
			}
		}
		sites, err := s.store.Sites(ctx)
		if err != nil {
			return err
		}
		successor := portalOf(sites, into.ID)
		var moved []string
		for _, st := range sites {
			if st.UnitID != from.ID || st.Status != Active {
				continue
			}
			if st.Kind == Portal && successor != nil {
				st.Status, st.MergedTo = Merged, successor.ID
				if err := s.store.UpdateSite(ctx, st); err != nil {
					return err
				}
				if err := s.store.MoveSiteContent(ctx, st.ID, successor.ID); err != nil {
					return err
				}
				if err := s.store.RepointMerged(ctx, st.ID, successor.ID); err != nil {
					return err
				}
			} else {
				st.UnitID = into.ID
				if err := s.store.UpdateSite(ctx, st); err != nil {
					return err
				}
			}
			moved = append(moved, st.Code)
		}
		from.Status, from.MergedIntoID, from.MergedOn = Merged, into.ID, on
		if err := s.store.UpdateUnit(ctx, from); err != nil {
			return err
		}
		s.changed(ctx)
		return s.log.Record(ctx, "unit.merge", 0, from.Code, map[string]any{"into": into.Code, "on": on, "sites": moved})
	})
}

// descends reports whether unit id is unit ancestor or one of its descendants.
func descends(units []*Unit, id, ancestor int64) bool {
	parent := map[int64]int64{}
	for _, u := range units {
		parent[u.ID] = u.ParentID
	}
	for seen := 0; id != 0 && seen <= len(units); seen++ {
		if id == ancestor {
			return true
		}
		id = parent[id]
	}
	return false
}

func portalOf(sites []*Site, unitID int64) *Site {
	for _, st := range sites {
		if st.UnitID == unitID && st.Kind == Portal && st.Status == Active {
			return st
		}
	}
	return nil
}

// Site returns a site by code; merged sites are returned too.
func (s *Service) Site(ctx context.Context, code string) (*Site, error) {
	return s.store.SiteByCode(ctx, code)
}

// Units returns every unit, in Vietnamese alphabetical order.
func (s *Service) Units(ctx context.Context) ([]*Unit, error) { return s.store.Units(ctx) }

// Unit returns a unit by code.
func (s *Service) Unit(ctx context.Context, code string) (*Unit, error) {
	return s.store.UnitByCode(ctx, code)
}

func diffSites(a, b *Site) map[string][2]any {
	d := map[string][2]any{}
	add := func(k string, x, y any) {
		if x != y {
			d[k] = [2]any{x, y}
		}
	}
	add("name", a.Name, b.Name)
	add("name_en", a.NameEn, b.NameEn)
	add("languages", strings.Join(a.Langs, ","), strings.Join(b.Langs, ","))
	add("address", a.Contact.Address, b.Contact.Address)
	add("address_en", a.Contact.AddressEn, b.Contact.AddressEn)
	add("phone", a.Contact.Phone, b.Contact.Phone)
	add("fax", a.Contact.Fax, b.Contact.Fax)
	add("email", a.Contact.Email, b.Contact.Email)
	add("responsible_name", a.Contact.ResponsibleName, b.Contact.ResponsibleName)
	add("responsible_title", a.Contact.ResponsibleTitle, b.Contact.ResponsibleTitle)
	add("responsible_title_en", a.Contact.ResponsibleTitleEn, b.Contact.ResponsibleTitleEn)
	add("emc_id", a.EMCID, b.EMCID)
	add("unit_id", a.UnitID, b.UnitID)
	add("status", a.Status, b.Status)
	return d
}

// Redirect returns where a path of a site has moved (a renamed page, or a
// page of a merged site), or a NotFound fault.
func (s *Service) Redirect(ctx context.Context, siteID int64, path string) (int64, string, error) {
	return s.store.Redirect(ctx, siteID, path)
}

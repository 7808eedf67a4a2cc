package site

import (
	"context"
	"slices"
)

// Directory is a snapshot of every site and unit, indexed for routing: which
// site answers for a host name or a code, and where a merged site lives now.
// The web layer keeps one and rebuilds it when the Service reports a change.
type Directory struct {
	City   *Site // the city portal: the portal of the root unit
	Sites  []*Site
	Units  []*Unit
	byHost map[string]*Site
	byCode map[string]*Site
	byID   map[int64]*Site
	unit   map[int64]*Unit
}

// Directory builds a snapshot of all units and sites.
func (s *Service) Directory(ctx context.Context) (*Directory, error) {
	sites, err := s.store.Sites(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	return NewDirectory(units, sites), nil
}

// NewDirectory indexes units and sites.
func NewDirectory(units []*Unit, sites []*Site) *Directory {
	d := &Directory{
		Sites: sites, Units: units,
		byHost: map[string]*Site{}, byCode: map[string]*Site{}, byID: map[int64]*Site{}, unit: map[int64]*Unit{},
	}
	for _, u := range units {
		d.unit[u.ID] = u
	}
	for _, st := range sites {
		d.byCode[st.Code] = st
		d.byID[st.ID] = st
		for _, h := range st.Hosts {
			d.byHost[h] = st
		}
		if u := d.unit[st.UnitID]; d.City == nil && u != nil && u.ParentID == 0 && st.Kind == Portal && st.Status == Active {
			d.City = st
		}
	}
	return d
}

// ByHost returns the site whose host name is host (without port).
func (d *Directory) ByHost(host string) (*Site, bool) {
	st, ok := d.byHost[host]
	return st, ok
}

// ByCode returns the site with code.
func (d *Directory) ByCode(code string) (*Site, bool) {
	st, ok := d.byCode[code]
	return st, ok
}

// ByID returns the site with id.
func (d *Directory) ByID(id int64) (*Site, bool) {
	st, ok := d.byID[id]
	return st, ok
}

// Unit returns the unit with id.
func (d *Directory) Unit(id int64) (*Unit, bool) {
	u, ok := d.unit[id]
	return u, ok
}

// Live follows a merged site to the active site that took it over. It
// returns st itself when it is active, and nil when the chain ends nowhere.
func (d *Directory) Live(st *Site) *Site {
	for hops := 0; st != nil && hops <= len(d.Sites); hops++ {
		if st.Status == Active {
			return st
		}
		st = d.byID[st.MergedTo]
	}
	return nil
}

// Ancestors returns the chain of units above unit id, nearest first.
func (d *Directory) Ancestors(id int64) []*Unit {
	var out []*Unit
	u := d.unit[id]
	for hops := 0; u != nil && u.ParentID != 0 && hops <= len(d.Units); hops++ {
		u = d.unit[u.ParentID]
		if u != nil {
			out = append(out, u)
		}
	}
	return out
}

// Children returns the active units directly under unit id.
func (d *Directory) Children(id int64) []*Unit {
	var out []*Unit
	for _, u := range d.Units {
		if u.ParentID == id && u.Status == Active {
			out = append(out, u)
		}
	}
	return out
}

// SitesOf returns the active sites a unit runs, its portal first.
func (d *Directory) SitesOf(unitID int64) []*Site {
	var out []*Site
	for _, st := range d.Sites {
		if st.UnitID == unitID && st.Status == Active {
			out = append(out, st)
		}
	}
	slices.SortStableFunc(out, func(a, b *Site) int {
		if (a.Kind == Portal) != (b.Kind == Portal) {
			if a.Kind == Portal {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}

// PortalOf returns the active portal of a unit, or nil.
func (d *Directory) PortalOf(unitID int64) *Site {
	return portalOf(d.Sites, unitID)
}

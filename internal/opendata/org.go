package opendata

import (
	"time"

	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/vietnamese"
)

// Org is a unit as the CKAN API and DCAT see it: an organisation. Its name
// is the code of the unit's portal (so-tu-phap, phuong-ba-dinh), its id the
// unit's official code.
type Org struct {
	ID      string
	Name    string
	Title   string
	TitleEn string
	UnitID  int64
	Kind    site.UnitKind
	Created time.Time
	Portal  *site.Site // the unit's portal, nil when it has none
	Sites   []int64    // the unit's sites: datasets of any of them belong to the org
}

// DisplayTitle returns the organisation's name in lang.
func (o *Org) DisplayTitle(lang string) string {
	if lang != "vi" && o.TitleEn != "" {
		return o.TitleEn
	}
	return o.Title
}

// Orgs are the organisations of a directory snapshot.
type Orgs struct {
	list   []*Org
	bySite map[int64]*Org
	byName map[string]*Org
	byID   map[string]*Org
}

// OrgsOf builds the organisations from the directory: every active unit.
func OrgsOf(d *site.Directory) *Orgs {
	o := &Orgs{bySite: map[int64]*Org{}, byName: map[string]*Org{}, byID: map[string]*Org{}}
	if d == nil {
		return o
	}
	byUnit := map[int64]*Org{}
	for _, u := range d.Units {
		if u.Status != site.Active {
			continue
		}
		org := &Org{ID: u.Code, Title: u.Name, TitleEn: u.NameEn, UnitID: u.ID, Kind: u.Kind, Created: u.CreatedAt}
		byUnit[u.ID] = org
		o.list = append(o.list, org)
	}
	for _, st := range d.Sites {
		if st.Status != site.Active {
			continue
		}
		org := byUnit[st.UnitID]
		if org == nil {
			continue
		}
		org.Sites = append(org.Sites, st.ID)
		o.bySite[st.ID] = org
		if st.Kind == site.Portal && org.Portal == nil {
			org.Portal = st
		}
	}
	// Sites of merged units lead to their successor's organisation.
	for _, st := range d.Sites {
		if st.Status == site.Active {
			continue
		}
		if live := d.Live(st); live != nil {
			if org := o.bySite[live.ID]; org != nil {
				o.bySite[st.ID] = org
			}
		}
	}
	for _, org := range o.list {
		if org.Portal != nil {
			org.Name = org.Portal.Code
		} else {
			org.Name = "don-vi-" + vietnamese.Slug(org.ID, 40)
		}
		o.byName[org.Name] = org
		o.byID[org.ID] = org
	}
	return o
}

// OfSite returns the organisation a site belongs to.
func (o *Orgs) OfSite(id int64) (*Org, bool) {
	org, ok := o.bySite[id]
	return org, ok
}

// Find returns an organisation by name or id.
func (o *Orgs) Find(nameOrID string) (*Org, bool) {
	if org, ok := o.byName[nameOrID]; ok {
		return org, true
	}
	org, ok := o.byID[nameOrID]
	return org, ok
}

// All returns every organisation, in Vietnamese order.
func (o *Orgs) All() []*Org { return o.list }

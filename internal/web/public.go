package web

import (
	"context"
	"net/http"
	"time"

	"github.com/congvn/cong/internal/site"
)

// PublicRoutes are the pages every site has, and the endpoints every host
// answers.
func (s *Server) PublicRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/{$}", Handler: s.home},
		{Method: "GET", Pattern: "/lien-he", Handler: s.contact},
		{Method: "GET", Pattern: "/don-vi/{$}", Handler: s.units},
		{Method: "POST", Pattern: "/hien-thi", Handler: s.setPrefs},
		{Method: "GET", Pattern: "/healthz", Handler: s.healthz},
		{Method: "GET", Pattern: "/robots.txt", Handler: s.robots},
		{Method: "GET", Pattern: "/favicon.ico", Handler: s.favicon},
		{Method: "GET", Pattern: "/static/", Handler: s.Static},
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.Health.Ping(ctx); err != nil {
		s.Logger.Error("healthz", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}

func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write([]byte("User-agent: *\nDisallow: /quan-tri/\nDisallow: /hien-thi\n"))
}

func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, assetURL("quoc-huy.svg"), http.StatusMovedPermanently)
}

// SiteCard is a site shown in a list: its link and the unit behind it.
type SiteCard struct {
	Site *site.Site
	Unit *site.Unit
	URL  string
	Name string
}

func (s *Server) card(q *Req, st *site.Site) SiteCard {
	u, _ := q.Dir.Unit(st.UnitID)
	return SiteCard{Site: st, Unit: u, URL: q.SiteURL(st, "/"), Name: st.DisplayName(q.Lang)}
}

// homePage is what a site's home page shows.
type homePage struct {
	Parent   *SiteCard  // the portal of the unit above, if any
	Children []SiteCard // portals of the units below
	Sections []SiteCard // special sections and the data portal
	Counts   map[string]int
	IsCity   bool
	News     any // the latest items, from HomeNews
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	q := FromRequest(r)
	d := q.Dir
	p := homePage{Counts: map[string]int{}, IsCity: d.City != nil && q.Site.ID == d.City.ID}
	if q.Unit != nil && q.Unit.ParentID != 0 {
		if ps := d.PortalOf(q.Unit.ParentID); ps != nil {
			c := s.card(q, ps)
			p.Parent = &c
		}
	}
	for _, st := range d.Sites {
		if st.Status != site.Active || st.ID == q.Site.ID {
			continue
		}
		u, _ := d.Unit(st.UnitID)
		switch {
		case st.Kind != site.Portal && (p.IsCity || st.UnitID == q.Site.UnitID):
			p.Sections = append(p.Sections, s.card(q, st))
		case st.Kind == site.Portal && u != nil && q.Unit != nil && u.ParentID == q.Unit.ID:
			p.Counts[string(u.Kind)]++
			if !p.IsCity || u.Kind == site.Agency {
				p.Children = append(p.Children, s.card(q, st))
			}
		}
	}
	if s.HomeNews != nil {
		p.News = s.HomeNews(r)
	}
	s.Page(w, r, "pages/home", &View{Title: q.SiteName(), Page: p})
}

func (s *Server) contact(w http.ResponseWriter, r *http.Request) {
	q := FromRequest(r)
	s.Page(w, r, "pages/contact", &View{Title: q.T("contact.title"), Page: q.Site})
}

// unitGroup is a heading and the sites under it in the directory.
type unitGroup struct {
	Kind  site.UnitKind
	Title string
	Sites []SiteCard
}

// mergedUnit is a unit merged into another, with where its site went.
type mergedUnit struct {
	Unit     *site.Unit
	Into     *site.Unit
	OldURL   string
	NewURL   string
	NewTitle string
}

type unitsPage struct {
	Groups []unitGroup
	Merged []mergedUnit
	Total  int
}

// units lists the sites of the units under the current site's unit (all of
// them on the city portal), grouped by kind, in Vietnamese order.
func (s *Server) units(w http.ResponseWriter, r *http.Request) {
	q := FromRequest(r)
	d := q.Dir
	isCity := d.City != nil && q.Site.ID == d.City.ID
	below := map[int64]bool{}
	if q.Unit != nil {
		below[q.Unit.ID] = true
	}
	// Units are sorted; walk until no new descendant is found.
	for changed := true; changed; {
		changed = false
		for _, u := range d.Units {
			if !below[u.ID] && below[u.ParentID] {
				below[u.ID], changed = true, true
			}
		}
	}
	groups := map[site.UnitKind]*unitGroup{}
	var sections unitGroup
	sections.Title = q.T("units.sections")
	p := unitsPage{}
	for _, st := range d.Sites {
		if st.Status != site.Active || st.ID == q.Site.ID || !isCity && !below[st.UnitID] {
			continue
		}
		if st.Kind != site.Portal {
			sections.Sites = append(sections.Sites, s.card(q, st))
			continue
		}
		u, _ := d.Unit(st.UnitID)
		if u == nil {
			continue
		}
		g := groups[u.Kind]
		if g == nil {
			g = &unitGroup{Kind: u.Kind, Title: q.T("unitkind." + string(u.Kind) + ".plural")}
			groups[u.Kind] = g
		}
		g.Sites = append(g.Sites, s.card(q, st))
		p.Total++
	}
	for _, k := range site.UnitKinds {
		if g := groups[k]; g != nil {
			p.Groups = append(p.Groups, *g)
		}
	}
	if len(sections.Sites) > 0 {
		p.Groups = append(p.Groups, sections)
	}
	for _, u := range d.Units {
		if u.Status != site.Merged || !isCity && !below[u.ID] {
			continue
		}
		m := mergedUnit{Unit: u}
		m.Into, _ = d.Unit(u.MergedIntoID)
		for _, st := range d.Sites {
			if st.UnitID == u.ID && st.Kind == site.Portal {
				m.OldURL = q.SiteURL(st, "/")
				if live := d.Live(st); live != nil {
					m.NewURL, m.NewTitle = q.SiteURL(live, "/"), live.DisplayName(q.Lang)
				}
			}
		}
		p.Merged = append(p.Merged, m)
	}
	s.Page(w, r, "pages/units", &View{Title: q.T("units.title"), Page: p})
}

// MaxQuery is the longest search query accepted, in characters (the data
// portal's and the feedback lists' searches; the site search has its own,
// internal/search.MaxQuery, of the same length).
const MaxQuery = 200

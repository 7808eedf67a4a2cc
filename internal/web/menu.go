package web

import (
	"slices"
	"sync"
)

// MenuItem is an entry of every site's main menu. Each part of the product
// adds its own entries (news, documents, procedures, feedback, data) with
// AddMenu; the layout shows them in Order.
type MenuItem struct {
	Key   string // catalog key of the label
	Path  string // path on the site, e.g. /tin-tuc
	Order int
	// Show decides per request (per site) whether the entry appears; nil
	// means always.
	Show func(q *Req) bool
	// Label, when set, gives the label instead of Key (labels that come
	// from data, such as the rule pack's section names).
	Label func(q *Req) string
}

// Link is a menu entry resolved for one request.
type Link struct {
	Label   string
	URL     string
	Current bool
}

type menu struct {
	mu    sync.RWMutex
	items []MenuItem
}

// AddMenu adds entries to the main menu.
func (s *Server) AddMenu(items ...MenuItem) {
	s.menu.mu.Lock()
	defer s.menu.mu.Unlock()
	s.menu.items = append(s.menu.items, items...)
	slices.SortStableFunc(s.menu.items, func(a, b MenuItem) int { return a.Order - b.Order })
}

// Menu returns the main menu of the current site, in the current language.
func (q *Req) Menu() []Link {
	if q.srv == nil {
		return nil
	}
	q.srv.menu.mu.RLock()
	defer q.srv.menu.mu.RUnlock()
	var out []Link
	for _, it := range q.srv.menu.items {
		if it.Show != nil && !it.Show(q) {
			continue
		}
		cur := q.Path == it.Path || it.Path != "/" && len(q.Path) > len(it.Path) && q.Path[:len(it.Path)+1] == it.Path+"/"
		label := q.T(it.Key)
		if it.Label != nil {
			label = it.Label(q)
		}
		out = append(out, Link{Label: label, URL: q.URL(it.Path), Current: cur})
	}
	if d := q.Dir; d != nil && d.City != nil && q.Site != nil && q.Site.ID != d.City.ID {
		out = append(out, Link{Label: q.T("menu.city_portal"), URL: q.SiteURL(d.City, "/")})
	}
	return out
}

func (s *Server) coreMenu() {
	s.AddMenu(
		MenuItem{Key: "menu.home", Path: "/", Order: 0},
		MenuItem{Key: "menu.units", Path: "/don-vi/", Order: 90},
		MenuItem{Key: "menu.contact", Path: "/lien-he", Order: 100},
	)
}

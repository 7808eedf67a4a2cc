package content

import (
	"context"
	"time"
)

// Inventory is what a site publishes, for the compliance audit (the
// disclosure rule pack asks whether a mandatory section exists, is
// published and how fresh it is): its categories with their newest item,
// its organisation pages in every language, the languages it publishes in,
// its leaders, work schedule and links.
type Inventory struct {
	SiteID         int64
	Categories     []CategoryState
	Pages          []PageState
	Languages      map[string]int // published items per language
	LastPublished  time.Time      // the newest publication of any item
	Leaders        int
	ScheduleDays   int       // days with appointments in the current and next week
	ScheduleNewest time.Time // last change to the work schedule
	Links          int
}

// CategoryState is one category and how alive it is.
type CategoryState struct {
	Slug, Name, NameEn string
	Published          int       // items published in it (own, not syndicated)
	LastPublished      time.Time // the newest of them
}

// PageState is one organisation page in one language.
type PageState struct {
	Slug, Title, Lang, Template string
	Published                   bool
	Updated                     time.Time // the text's last change
	Outdated                    bool      // a translation behind its original
}

// InventoryStore answers the inventory's questions in a few queries.
type InventoryStore interface {
	CategoryStats(ctx context.Context, siteID int64) (map[int64]CategoryState, error)
	LanguageStats(ctx context.Context, siteID int64) (map[string]int, time.Time, error)
}

// Inventory reports what a site publishes. It reads only public facts and
// needs no permission.
func (s *Service) Inventory(ctx context.Context, siteID int64) (*Inventory, error) {
	inv := &Inventory{SiteID: siteID}
	cats, err := s.store.Categories(ctx, siteID)
	if err != nil {
		return nil, err
	}
	stats, err := s.store.CategoryStats(ctx, siteID)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		st := stats[c.ID]
		st.Slug, st.Name, st.NameEn = c.Slug, c.Name, c.NameEn
		inv.Categories = append(inv.Categories, st)
	}
	if inv.Languages, inv.LastPublished, err = s.store.LanguageStats(ctx, siteID); err != nil {
		return nil, err
	}
	pages, _, err := s.store.Articles(ctx, Filter{SiteID: siteID, Kind: KindPage, PerPage: 200, Page: 1})
	if err != nil {
		return nil, err
	}
	revs := map[int64]int{}
	for _, p := range pages {
		if p.OriginalID == 0 {
			revs[p.ID] = p.ContentRev
		}
	}
	for _, p := range pages {
		ps := PageState{Slug: p.Slug, Title: p.Title, Lang: p.Lang, Template: p.Template, Published: p.Status == Published, Updated: p.ContentUpdated}
		if p.OriginalID != 0 {
			ps.Outdated = revs[p.OriginalID] > p.SourceRev
		}
		inv.Pages = append(inv.Pages, ps)
	}
	leaders, err := s.store.Leaders(ctx, siteID)
	if err != nil {
		return nil, err
	}
	inv.Leaders = len(leaders)
	_, week, err := s.Week(ctx, siteID, s.now().In(time.FixedZone("ICT", 7*3600)))
	if err != nil {
		return nil, err
	}
	days := map[string]bool{}
	for _, a := range week {
		days[a.Day] = true
		if a.Updated.After(inv.ScheduleNewest) {
			inv.ScheduleNewest = a.Updated
		}
	}
	inv.ScheduleDays = len(days)
	links, err := s.store.Links(ctx, siteID)
	if err != nil {
		return nil, err
	}
	inv.Links = len(links)
	return inv, nil
}

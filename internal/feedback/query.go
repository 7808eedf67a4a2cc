package feedback

import (
	"context"
	"math"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// Filter selects items for a queue or a public list.
type Filter struct {
	SiteID      int64 // the responsible site; 0: every site
	IDs         []int64
	EscalatedTo int64 // items reported to this site as overdue
	Kind        Kind
	Statuses    []Status
	Category    string
	From, To    time.Time // received in [From, To); zero: unbounded
	Overdue     bool      // open, not waiting, past DueAt at Now
	Now         time.Time // for Overdue
	Query       string    // words to find (folded); in the public copy for public lists
	Public      bool      // only published items, matched on the public copy
	Updated     bool      // From and To bound the last change instead of receipt
	Order       string    // "due" (earliest deadline first), "published", "received" (newest first)
	Limit       int
	Offset      int
}

// StatsFilter selects the items counted: received in [From, To).
type StatsFilter struct {
	From, To time.Time
	Kind     Kind
	Now      time.Time
}

// StatsRow counts one site's items.
type StatsRow struct {
	SiteID    int64
	Received  int
	Open      int // received, assigned, waiting, drafted
	Waiting   int
	Overdue   int // open, not waiting, past the deadline
	Answered  int // answered or published
	OnTime    int // answered by the deadline
	Late      int
	Published int
	Rejected  int
	Duplicate int
	Escalated int
	Rated     int
	RatingSum int
}

// Add adds r's counts to t.
func (t *StatsRow) Add(r StatsRow) {
	t.Received += r.Received
	t.Open += r.Open
	t.Waiting += r.Waiting
	t.Overdue += r.Overdue
	t.Answered += r.Answered
	t.OnTime += r.OnTime
	t.Late += r.Late
	t.Published += r.Published
	t.Rejected += r.Rejected
	t.Duplicate += r.Duplicate
	t.Escalated += r.Escalated
	t.Rated += r.Rated
	t.RatingSum += r.RatingSum
}

// Percent returns part/whole as a whole percentage (100 when whole is 0:
// nothing was asked, nothing is missing).
func Percent(part, whole int) int {
	if whole == 0 {
		return 100
	}
	return part * 100 / whole
}

// Due is the number of items whose fate is decided: what the plan's
// targets are measured against (received minus rejected and merged).
func (t StatsRow) Due() int { return t.Received - t.Rejected - t.Duplicate }

// Published lists published items for the public pages, newest first;
// nobody needs to be signed in.
func (s *Service) Published(ctx context.Context, f Filter) ([]*Item, int, error) {
	f.Public = true
	f.Statuses = []Status{Published}
	f.Order = "published"
	f.Query = vietnamese.Fold(vietnamese.Clean(f.Query))
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	items, n, err := s.store.ListFeedback(ctx, f)
	for _, it := range items {
		hideContacts(it)
	}
	return items, n, err
}

// PublishedItem returns one published item by its number, for its public
// page. A merged item gives the item it was merged into (the caller
// redirects); anything not published is not found.
func (s *Service) PublishedItem(ctx context.Context, id int64) (*Item, error) {
	it, err := s.store.FeedbackByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if it.Status == Duplicate && it.DuplicateOf != 0 {
		main, err := s.store.FeedbackByID(ctx, it.DuplicateOf)
		if err == nil && main.Status == Published {
			hideContacts(main)
			return main, fault.New(fault.Gone, "feedback.merged")
		}
	}
	if it.Status != Published {
		return nil, fault.New(fault.NotFound, "feedback.not_found")
	}
	links, err := s.store.FeedbackLinks(ctx, it.ID)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if l.Kind == "merged" {
			it.Links = append(it.Links, Link{Kind: "merged"}) // counted, never shown
		}
	}
	hideContacts(it)
	return it, nil
}

// hideContacts removes everything personal from an item about to be shown
// to the public: the contacts, the consent, the original text and the
// tracking code.
func hideContacts(it *Item) {
	it.Contact = Contact{}
	it.Consent = Consent{}
	it.Code = ""
	it.Title, it.Body = "", ""
	it.Place.Address = ""
	it.Place.HasPoint, it.Place.Lat, it.Place.Lon = false, 0, 0
	it.Files = nil
	it.RatingComment = ""
}

// Stats counts items per site; public (nobody signed in needed: the
// figures are published).
func (s *Service) Stats(ctx context.Context, f StatsFilter) ([]StatsRow, error) {
	if f.Now.IsZero() {
		f.Now = s.now()
	}
	return s.store.FeedbackStats(ctx, f)
}

// Queue lists items for the staff: what a desk has to do. The caller must
// hold ViewFeedback on the site (or city-wide when SiteID is 0).
func (s *Service) Queue(ctx context.Context, f Filter) ([]*Item, int, error) {
	if err := s.canList(ctx, f.SiteID, f.EscalatedTo); err != nil {
		return nil, 0, err
	}
	if f.Now.IsZero() {
		f.Now = s.now()
	}
	f.Query = vietnamese.Fold(vietnamese.Clean(f.Query))
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.ListFeedback(ctx, f)
}

// MaxExport bounds one Excel report.
const MaxExport = 200_000

// Export lists every item of a site (0: all, city-wide permission needed)
// received in a period, for the Excel report; contacts are left out.
func (s *Service) Export(ctx context.Context, siteID int64, from, to time.Time) ([]*Item, error) {
	if err := s.canList(ctx, siteID, 0); err != nil {
		return nil, err
	}
	var out []*Item
	for off := 0; ; off += 1000 {
		items, _, err := s.store.ListFeedback(ctx, Filter{SiteID: siteID, From: from, To: to, Order: "received", Limit: 1000, Offset: off, Now: s.now()})
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			it.Contact = Contact{}
			out = append(out, it)
		}
		if len(items) < 1000 || len(out) >= MaxExport {
			return out, nil
		}
	}
}

// canList checks who may list a site's items (siteID 0: every site's, for
// the city's editorial office and city-wide roles), or the items reported
// to a site as overdue.
func (s *Service) canList(ctx context.Context, siteID, escalatedTo int64) error {
	err := access.Check(ctx, access.ViewFeedback, siteID)
	if err == nil {
		return nil
	}
	if siteID == 0 && access.Check(ctx, access.ViewFeedback, s.cityID(ctx)) == nil {
		return nil
	}
	if siteID == 0 && escalatedTo != 0 && access.Check(ctx, access.ViewFeedback, escalatedTo) == nil {
		return nil
	}
	return err
}

// Requests lists items for Open311's public views (no contacts, the
// automatically redacted copy of the text); nobody needs to be signed in.
func (s *Service) Requests(ctx context.Context, f Filter) ([]*Item, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	f.Query, f.Public = "", false
	items, _, err := s.store.ListFeedback(ctx, f)
	for _, it := range items {
		p := it.Place
		hideContacts(it)
		// The point stays, rounded to about 100 m: where the pothole is,
		// not which house reported it.
		if p.HasPoint {
			it.Place = Place{Lat: math.Round(p.Lat*1000) / 1000, Lon: math.Round(p.Lon*1000) / 1000, HasPoint: true}
		}
	}
	return items, err
}

// Updates lists the public steps of every item in a period, for Open311's
// service request updates.
func (s *Service) Updates(ctx context.Context, from, to time.Time, limit int) ([]*Event, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return s.store.FeedbackUpdates(ctx, from, to, limit)
}

// ByCode returns the public id of the item with a tracking code (Open311
// tokens).
func (s *Service) ByCode(ctx context.Context, code string) (int64, error) {
	it, err := s.byCode(ctx, code)
	if err != nil {
		return 0, err
	}
	return it.ID, nil
}

// Overdue counts a site's open items past their deadline, and the oldest
// deadline among them: what the compliance audit reports.
type Overdue struct {
	Count int
	Since time.Time
}

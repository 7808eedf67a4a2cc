package feedback

import (
	"context"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/congvn/cong/internal/calendar"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/throttle"
	"github.com/congvn/cong/internal/vietnamese"
)

// Store keeps items, their timelines, attachments and links. Lookups of
// something that does not exist return fault.NotFound.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	AfterCommit(ctx context.Context, key string, f func())

	// CreateFeedback inserts it with its files and sets its ID; a taken
	// code gives fault.Conflict.
	CreateFeedback(ctx context.Context, it *Item) error
	// UpdateFeedback stores every mutable field when the Version matches,
	// and increments it; otherwise fault.Conflict.
	UpdateFeedback(ctx context.Context, it *Item) error
	FeedbackByCode(ctx context.Context, code string) (*Item, error)
	FeedbackByID(ctx context.Context, id int64) (*Item, error)
	FeedbackFile(ctx context.Context, itemID, fileID int64) (*File, error)
	AddFeedbackFiles(ctx context.Context, itemID int64, files []*File) error
	SetFeedbackRefs(ctx context.Context, itemID int64, refs []Ref) error
	AddFeedbackEvent(ctx context.Context, e *Event) error
	FeedbackEvents(ctx context.Context, itemID int64, publicOnly bool) ([]*Event, error)
	// SimilarFeedback returns items of the same kind received since since
	// with the same fingerprint or a sketch sharing a band.
	SimilarFeedback(ctx context.Context, it *Item, since time.Time) ([]*Item, error)
	AddFeedbackLink(ctx context.Context, a, b int64, kind string, distance int) error
	FeedbackLinks(ctx context.Context, itemID int64) ([]Link, error)
	ListFeedback(ctx context.Context, f Filter) ([]*Item, int, error)
	FeedbackUpdates(ctx context.Context, from, to time.Time, limit int) ([]*Event, error)
	FeedbackStats(ctx context.Context, f StatsFilter) ([]StatsRow, error)
	// DueFeedback returns open items whose reminder or escalation may be
	// due at now (the service decides, with the working-day calendar).
	DueFeedback(ctx context.Context, remindBy time.Time, overdueAt time.Time, limit int) ([]*Item, error)
	ForgetFeedbackContacts(ctx context.Context, closedBefore time.Time) (int, error)
	EnqueueMail(ctx context.Context, m *Mail) error
	// StaffEmails returns the e-mail addresses of the active staff holding
	// one of roles on a site.
	StaffEmails(ctx context.Context, siteID int64, roles []string) ([]string, error)
}

// Recorder writes the audit log entry of a change, inside its transaction.
type Recorder interface {
	Record(ctx context.Context, action string, siteID int64, target string, detail any) error
}

// Sites gives the units and sites the service routes items between.
type Sites interface {
	Directory(ctx context.Context) (*site.Directory, error)
	OnChange(f func())
}

// Service receives and handles feedback and questions.
type Service struct {
	store Store
	log   Recorder
	sites Sites

	// Policy holds the deadlines and rules; set before serving.
	Policy Policy
	// Calendar counts working days.
	Calendar *calendar.Calendar
	// Index receives published answers for search; nil when search is not
	// wired.
	Index search.Indexer
	// Registry resolves references to documents by number and procedures
	// by code; nil keeps them as typed.
	Registry Registry
	// Mail, when true, queues e-mail updates for submitters who asked for
	// them and reminders for staff (an SMTP server is configured).
	Mail bool
	// Link returns the absolute URL of path on a site, for e-mails; nil
	// leaves links out.
	Link func(siteID int64, path string) string

	now       func() time.Time
	byContact *throttle.Limiter

	mu  sync.Mutex
	dir *site.Directory
	gen uint64
}

// NewService returns a Service with the default policy and calendar.
func NewService(s Store, log Recorder, sites Sites) *Service {
	svc := &Service{store: s, log: log, sites: sites, Policy: DefaultPolicy(), Calendar: calendar.Default(), now: time.Now}
	svc.byContact = throttle.New(svc.Policy.MaxPerContact, time.Duration(svc.Policy.MaxPerContactHours)*time.Hour/time.Duration(max(1, svc.Policy.MaxPerContact)))
	sites.OnChange(func() {
		svc.mu.Lock()
		svc.dir = nil
		svc.mu.Unlock()
	})
	return svc
}

// SetClock replaces the clock, for tests and the demo.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Directory returns the current units and sites.
func (s *Service) Directory(ctx context.Context) (*site.Directory, error) {
	s.mu.Lock()
	d := s.dir
	s.mu.Unlock()
	if d != nil {
		return d, nil
	}
	d, err := s.sites.Directory(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.dir = d
	s.mu.Unlock()
	return d, nil
}

// Limits on what a citizen sends, in characters.
const (
	MaxTitle   = 200
	MaxBody    = 5000
	MinBody    = 10
	MaxName    = 100
	MaxAddress = 300
)

// Submission is what a citizen sends through a form or Open311.
type Submission struct {
	Kind     Kind
	SiteID   int64 // the site it was sent on
	Category string
	Title    string
	Body     string
	Address  string
	Lat, Lon float64
	HasPoint bool
	Name     string
	Phone    string
	Email    string
	Consent  bool // to the purpose notice (required)
	Notify   bool // e-mail updates (optional)
	Files    []Upload
	Verified bool   // passed the proof of work
	Source   string // web, open311:APP
}

// CleanText normalises a multi-line text from a form: NFC, invalid UTF-8
// and control characters removed (line breaks kept), each line's spaces
// collapsed, at most two empty lines in a row.
func CleanText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var out []string
	empty := 0
	for _, l := range strings.Split(s, "\n") {
		l = vietnamese.Clean(l)
		if l == "" {
			empty++
			if empty > 1 || len(out) == 0 {
				continue
			}
		} else {
			empty = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// NormalizePhone keeps a phone number's digits (and a leading +), and
// reports whether it looks like a Vietnamese or international number.
func NormalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	p := b.String()
	if strings.HasPrefix(p, "+84") {
		p = "0" + p[3:]
	}
	digits := strings.TrimPrefix(p, "+")
	return p, len(digits) >= 9 && len(digits) <= 15
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// validate turns a submission into an item, or the list of what is wrong.
func (s *Service) validate(in Submission) (*Item, error) {
	var errs fault.List
	it := &Item{
		Kind: in.Kind, OriginSiteID: in.SiteID, Category: vietnamese.Clean(in.Category),
		Title: vietnamese.Clean(in.Title), Body: CleanText(in.Body),
		Place:    Place{Address: vietnamese.Clean(in.Address), Lat: in.Lat, Lon: in.Lon, HasPoint: in.HasPoint},
		Contact:  Contact{Name: vietnamese.Clean(in.Name), Email: strings.ToLower(vietnamese.Clean(in.Email))},
		Verified: in.Verified, Source: in.Source,
	}
	if it.Source == "" {
		it.Source = "web"
	}
	if !in.Kind.Valid() {
		errs = append(errs, fault.OnField("kind", "feedback.kind_invalid"))
	}
	if _, ok := s.Policy.Category(it.Category); !ok {
		errs = append(errs, fault.OnField("category", "feedback.category_invalid"))
	}
	switch n := runes(it.Title); {
	case n == 0:
		errs = append(errs, fault.OnField("title", "feedback.title_required"))
	case n > MaxTitle:
		errs = append(errs, fault.OnField("title", "feedback.too_long", MaxTitle))
	}
	switch n := runes(it.Body); {
	case n < MinBody:
		errs = append(errs, fault.OnField("body", "feedback.body_short", MinBody))
	case n > MaxBody:
		errs = append(errs, fault.OnField("body", "feedback.too_long", MaxBody))
	}
	switch n := runes(it.Contact.Name); {
	case n == 0:
		errs = append(errs, fault.OnField("name", "feedback.name_required"))
	case n > MaxName:
		errs = append(errs, fault.OnField("name", "feedback.too_long", MaxName))
	case strings.IndexFunc(it.Contact.Name, unicode.IsLetter) < 0:
		errs = append(errs, fault.OnField("name", "feedback.name_invalid"))
	}
	if p := strings.TrimSpace(in.Phone); p != "" {
		np, ok := NormalizePhone(p)
		if !ok {
			errs = append(errs, fault.OnField("phone", "feedback.phone_invalid"))
		}
		it.Contact.Phone = np
	}
	if it.Contact.Email != "" {
		a, err := mail.ParseAddress(it.Contact.Email)
		if err != nil || a.Address != it.Contact.Email || len(it.Contact.Email) > 254 {
			errs = append(errs, fault.OnField("email", "feedback.email_invalid"))
		}
	}
	if it.Contact.Phone == "" && it.Contact.Email == "" && in.Phone == "" {
		errs = append(errs, fault.OnField("phone", "feedback.contact_required"))
	}
	if runes(it.Place.Address) > MaxAddress {
		errs = append(errs, fault.OnField("address", "feedback.too_long", MaxAddress))
	}
	if in.HasPoint && (in.Lat < -90 || in.Lat > 90 || in.Lon < -180 || in.Lon > 180 || in.Lat != in.Lat || in.Lon != in.Lon) {
		errs = append(errs, fault.OnField("lat", "feedback.point_invalid"))
	}
	if !in.Consent {
		errs = append(errs, fault.OnField("consent", "feedback.consent_required"))
	}
	if in.Notify && it.Contact.Email == "" {
		errs = append(errs, fault.OnField("notify", "feedback.notify_needs_email"))
	}
	if len(in.Files) > MaxFiles {
		errs = append(errs, fault.OnField("files", "feedback.too_many_files", MaxFiles))
	} else {
		for i, u := range in.Files {
			f, err := CheckFile("files", u)
			if err != nil {
				errs = append(errs, fault.As(err))
				continue
			}
			f.Order = i
			it.Files = append(it.Files, f)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	it.Consent = Consent{Purpose: s.Policy.Purpose, Notify: in.Notify}
	return it, nil
}

// Submit receives a submission: it validates it, limits submissions per
// contact, files the item at the editorial office's triage queue with its
// deadline, links it to earlier items that say the same, and records the
// first step of its timeline, all in one transaction. The returned item's
// Code may be shown to the submitter only after Submit returns without
// error: by then it is committed.
func (s *Service) Submit(ctx context.Context, in Submission) (*Item, error) {
	it, err := s.validate(in)
	if err != nil {
		return nil, err
	}
	for _, key := range []string{it.Contact.Phone, it.Contact.Email} {
		if key == "" {
			continue
		}
		if ok, _ := s.byContact.Allow("c:" + key); !ok {
			return nil, fault.New(fault.TooMany, "feedback.too_many_contact")
		}
	}
	d, err := s.Directory(ctx)
	if err != nil {
		return nil, err
	}
	if d.City == nil {
		return nil, fault.New(fault.NotFound, "site.not_found")
	}
	if origin, ok := d.ByID(it.OriginSiteID); !ok || origin.Status != site.Active {
		it.OriginSiteID = d.City.ID
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	it.Status = Received
	it.SiteID = d.City.ID
	it.ReceivedAt, it.UpdatedAt = now, now
	it.Consent.At = now
	it.DueAt = s.Calendar.AddWorkingDays(now, s.Policy.Days(it.Kind)).UTC()
	it.Fingerprint = Fingerprint(it.Kind, it.Category, it.Title, it.Body)
	it.Sketch = Sketch(it.Title, it.Body)
	it.PublicName = ShortName(it.Contact.Name)
	it.PublicTitle = Redact(it.Title, it.Contact)
	it.PublicBody = Redact(it.Body, it.Contact)
	it.PublicPlace = ""
	if !it.Verified && it.Contact.Email != "" && s.Mail {
		it.ConfirmToken = newToken()
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		for attempt := 0; ; attempt++ {
			it.Code = NewCode(it.Kind)
			err := s.store.CreateFeedback(ctx, it)
			if err == nil {
				break
			}
			if !fault.Is(err, fault.Conflict) || attempt > 3 {
				return err
			}
		}
		if err := s.linkSimilar(ctx, it, now); err != nil {
			return err
		}
		if err := s.event(ctx, it, "received", true, "citizen", it.OriginSiteID, 0, ""); err != nil {
			return err
		}
		if err := s.notifyCitizen(ctx, it, "received"); err != nil {
			return err
		}
		if it.ConfirmToken != "" {
			if err := s.notifyCitizen(ctx, it, "confirm"); err != nil {
				return err
			}
		}
		s.changed(ctx)
		return s.log.Record(ctx, "feedback.submit", it.SiteID, it.Code, map[string]any{
			"kind": it.Kind, "category": it.Category, "origin_site_id": it.OriginSiteID, "source": it.Source, "files": len(it.Files)})
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// SimilarWindow is how far back new items are compared with earlier ones.
const SimilarWindow = 90 * 24 * time.Hour

// linkSimilar links it to earlier items with the same words (exact) or
// nearly the same (near), so staff see them together; nothing is dropped.
func (s *Service) linkSimilar(ctx context.Context, it *Item, now time.Time) error {
	cands, err := s.store.SimilarFeedback(ctx, it, now.Add(-SimilarWindow))
	if err != nil {
		return err
	}
	n := 0
	for _, c := range cands {
		if c.ID == it.ID || n >= 5 {
			continue
		}
		kind, dist := "", 0
		switch {
		case c.Fingerprint == it.Fingerprint:
			kind = "exact"
		case it.Sketch != 0 && c.Sketch != 0:
			if dist = Distance(it.Sketch, c.Sketch); dist <= NearDistance {
				kind = "near"
			}
		}
		if kind == "" {
			continue
		}
		if err := s.store.AddFeedbackLink(ctx, it.ID, c.ID, kind, dist); err != nil {
			return err
		}
		n++
	}
	return nil
}

// changed invalidates the cached public lists and statistics once the
// transaction commits.
func (s *Service) changed(ctx context.Context) {
	s.store.AfterCommit(ctx, "feedback.changed", func() {
		s.mu.Lock()
		s.gen++
		s.mu.Unlock()
	})
}

// Generation increases after every committed change, so caches of public
// lists can tell they are stale.
func (s *Service) Generation() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen
}

func (s *Service) event(ctx context.Context, it *Item, typ string, public bool, actor string, siteID, toSiteID int64, text string) error {
	return s.store.AddFeedbackEvent(ctx, &Event{ItemID: it.ID, At: s.now().UTC().Truncate(time.Microsecond), Type: typ, Public: public,
		Actor: actor, SiteID: siteID, ToSiteID: toSiteID, Text: text})
}

// Package consultation runs the drafts of documents put out for public
// comment (lấy ý kiến dự thảo): the draft with its files and comment
// period, a comment form (name, contact, the article commented on, the
// comment), moderation, and after the period the published summary of the
// comments and the agency's response. Comments are refused outside the
// period and throttled per sender so that a flood cannot bury the others.
package consultation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/attach"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/vietnamese"
)

// Consultation is a draft put out for comment.
type Consultation struct {
	ID        int64
	SiteID    int64
	Title     string
	Summary   string
	Articles  []string // the draft's articles ("Điều 1. Phạm vi điều chỉnh"), for comments per article
	OpensOn   string   // YYYY-MM-DD, first day comments are accepted
	ClosesOn  string   // YYYY-MM-DD, last day
	Published bool
	Result    string // summary of the comments received, published after the period
	Response  string // the agency's response (tiếp thu, giải trình)
	ResultAt  time.Time
	Version   int
	Created   time.Time
	Updated   time.Time
	Files     []*attach.File
	// Counted on read.
	Approved int
	Pending  int
}

// Phases of a consultation.
const (
	Upcoming = "upcoming"
	Open     = "open"
	Closed   = "closed"
)

// PhaseOn returns where the consultation stands on day (YYYY-MM-DD).
func (c *Consultation) PhaseOn(day string) string {
	switch {
	case day < c.OpensOn:
		return Upcoming
	case day > c.ClosesOn:
		return Closed
	}
	return Open
}

// Path returns the consultation's path on its site.
func (c *Consultation) Path() string { return "/du-thao/" + strconv.FormatInt(c.ID, 10) }

// Comment statuses.
const (
	Pending  = "pending"
	Approved = "approved"
	Rejected = "rejected"
)

// Comment is one comment on a draft.
type Comment struct {
	ID             int64
	ConsultationID int64
	SiteID         int64
	Name           string
	Contact        string // e-mail or phone; never published
	Article        string // the article commented on, "" for the whole draft
	Body           string
	Status         string
	AddrHash       string
	BodyHash       string
	Created        time.Time
	Moderated      time.Time
}

// Store keeps consultations and comments.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	CreateConsultation(ctx context.Context, c *Consultation) error
	UpdateConsultation(ctx context.Context, c *Consultation) error
	Consultation(ctx context.Context, id int64) (*Consultation, error)
	Consultations(ctx context.Context, siteID int64, publishedOnly bool) ([]*Consultation, error)
	AddComment(ctx context.Context, c *Comment) error
	Comment(ctx context.Context, id int64) (*Comment, error)
	SetCommentStatus(ctx context.Context, id int64, status string, at time.Time) error
	Comments(ctx context.Context, consultationID int64, status string) ([]*Comment, error)
	// CommentsSince counts comments from a sender since t, and whether the
	// same text was already sent to the consultation.
	CommentsSince(ctx context.Context, addrHash string, since time.Time, consultationID int64, bodyHash string) (n int, dup bool, err error)
	// ConsultationComments counts comments on a consultation since t.
	ConsultationComments(ctx context.Context, consultationID int64, since time.Time) (int, error)
}

// Recorder writes the audit log entry of a change, inside its transaction.
type Recorder interface {
	Record(ctx context.Context, action string, siteID int64, target string, detail any) error
}

// Limits against comment floods: per sender, and per draft.
const (
	PerSender      = 5 // comments per sender per window
	SenderWindow   = 10 * time.Minute
	PerDraftHourly = 300
	maxComment     = 5000
)

// Service runs consultations.
type Service struct {
	store Store
	log   Recorder
	Files *attach.Files
	// Index receives published drafts; nil until search is wired in.
	Index search.Indexer
	Now   func() time.Time
}

// SearchKind is the kind drafts for comment have in the search index.
const SearchKind = search.KindDraft

// NewService returns a Service.
func NewService(s Store, log Recorder, files *attach.Files) *Service {
	return &Service{store: s, log: log, Files: files, Now: time.Now}
}

var vietnam = time.FixedZone("ICT", 7*3600)

// Today returns today's date in Vietnam.
func (s *Service) Today() string { return s.Now().In(vietnam).Format(time.DateOnly) }

func validDate(d string) bool {
	_, err := time.Parse(time.DateOnly, d)
	return err == nil && len(d) == 10
}

func (c *Consultation) validate() error {
	var errs fault.List
	c.Title = vietnamese.Clean(c.Title)
	c.Summary = strings.TrimSpace(vietnamese.NFC(strings.ToValidUTF8(c.Summary, "")))
	if c.Title == "" || utf8.RuneCountInString(c.Title) > 1000 {
		errs = append(errs, fault.OnField("title", "consultation.title_required"))
	}
	if len(c.Summary) > 50000 {
		errs = append(errs, fault.OnField("summary", "field.too_long", 50000))
	}
	var arts []string
	for _, a := range c.Articles {
		if a = vietnamese.Clean(a); a != "" {
			arts = append(arts, a)
		}
	}
	c.Articles = arts
	if len(arts) > 300 {
		errs = append(errs, fault.OnField("articles", "consultation.too_many_articles", 300))
	}
	if !validDate(c.OpensOn) {
		errs = append(errs, fault.OnField("opens_on", "field.date_invalid"))
	}
	if !validDate(c.ClosesOn) {
		errs = append(errs, fault.OnField("closes_on", "field.date_invalid"))
	} else if validDate(c.OpensOn) && c.ClosesOn < c.OpensOn {
		errs = append(errs, fault.OnField("closes_on", "consultation.closes_before_opens"))
	}
	return errs.Err()
}

// Create adds a draft for comment to a site, unpublished.
func (s *Service) Create(ctx context.Context, c *Consultation) error {
	if err := access.Check(ctx, access.EditDisclosure, c.SiteID); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	c.Published = false
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateConsultation(ctx, c); err != nil {
			return err
		}
		return s.log.Record(ctx, "consultation.create", c.SiteID, strconv.FormatInt(c.ID, 10), map[string]any{"title": c.Title})
	})
}

// SetPublished publishes or withdraws a draft for comment.
func (s *Service) SetPublished(ctx context.Context, id int64, publish bool) error {
	c, err := s.store.Consultation(ctx, id)
	if err != nil {
		return err
	}
	if err := access.Check(ctx, access.PublishDisclosure, c.SiteID); err != nil {
		return err
	}
	c.Published = publish
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateConsultation(ctx, c); err != nil {
			return err
		}
		if s.Index != nil {
			ref := strconv.FormatInt(c.ID, 10)
			var err error
			if publish {
				err = s.Index.Put(ctx, searchDoc(c, s.Now()))
			} else {
				err = s.Index.Delete(ctx, SearchKind, ref)
			}
			if err != nil {
				return err
			}
		}
		return s.log.Record(ctx, "consultation.publish", c.SiteID, strconv.FormatInt(c.ID, 10), map[string]any{"published": publish})
	})
}

// Attach adds a file (the draft itself, an explanatory report).
func (s *Service) Attach(ctx context.Context, id int64, name string, r io.Reader) error {
	c, err := s.store.Consultation(ctx, id)
	if err != nil {
		return err
	}
	if err := access.Check(ctx, access.EditDisclosure, c.SiteID); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		f, err := s.Files.Add(ctx, c.SiteID, "consultation", c.ID, name, r)
		if err != nil {
			return err
		}
		return s.log.Record(ctx, "consultation.attach", c.SiteID, strconv.FormatInt(c.ID, 10), map[string]any{"file": f.Name, "sha256": f.SHA256})
	})
}

// Get returns a consultation with its files; unpublished ones only to the
// site's staff.
func (s *Service) Get(ctx context.Context, id int64) (*Consultation, error) {
	c, err := s.store.Consultation(ctx, id)
	if err != nil {
		return nil, err
	}
	if !c.Published && access.Check(ctx, access.ViewSite, c.SiteID) != nil {
		return nil, fault.New(fault.NotFound, "consultation.not_found")
	}
	if s.Files != nil {
		if c.Files, err = s.Files.Of(ctx, "consultation", c.ID); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// List returns a site's consultations, newest first; the public sees the
// published ones.
func (s *Service) List(ctx context.Context, siteID int64, publishedOnly bool) ([]*Consultation, error) {
	if !publishedOnly {
		if err := access.Check(ctx, access.ViewSite, siteID); err != nil {
			return nil, err
		}
	}
	return s.store.Consultations(ctx, siteID, publishedOnly)
}

// NewComment is what the public form sends.
type NewComment struct {
	Name    string
	Contact string
	Article string
	Body    string
	Addr    string // the sender's address, kept only as a hash
}

// AddComment records a comment from the public, pending moderation. It is
// refused when the draft is not published or not open today, when a field
// is wrong, and when the sender or the draft receives too many comments.
func (s *Service) AddComment(ctx context.Context, id int64, in NewComment) (*Comment, error) {
	c, err := s.store.Consultation(ctx, id)
	if err != nil || !c.Published {
		return nil, fault.New(fault.NotFound, "consultation.not_found")
	}
	switch c.PhaseOn(s.Today()) {
	case Upcoming:
		return nil, fault.New(fault.Conflict, "consultation.not_open_yet", c.OpensOn)
	case Closed:
		return nil, fault.New(fault.Gone, "consultation.closed", c.ClosesOn)
	}
	var errs fault.List
	cm := &Comment{ConsultationID: c.ID, SiteID: c.SiteID, Status: Pending, Created: s.Now(),
		Name: vietnamese.Clean(in.Name), Contact: vietnamese.Clean(in.Contact), Article: vietnamese.Clean(in.Article),
		Body: strings.TrimSpace(vietnamese.NFC(strings.ToValidUTF8(in.Body, "")))}
	if cm.Name == "" || utf8.RuneCountInString(cm.Name) > 120 {
		errs = append(errs, fault.OnField("name", "consultation.name_required"))
	}
	if !validContact(cm.Contact) {
		errs = append(errs, fault.OnField("contact", "consultation.contact_invalid"))
	}
	if cm.Article != "" {
		found := false
		for _, a := range c.Articles {
			if a == cm.Article {
				found = true
			}
		}
		if !found {
			errs = append(errs, fault.OnField("article", "consultation.article_unknown"))
		}
	}
	switch n := utf8.RuneCountInString(cm.Body); {
	case n < 10:
		errs = append(errs, fault.OnField("body", "consultation.body_short"))
	case n > maxComment:
		errs = append(errs, fault.OnField("body", "field.too_long", maxComment))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	cm.AddrHash = hash(in.Addr)
	cm.BodyHash = hash(strings.ToLower(vietnamese.Clean(cm.Body)))
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		n, dup, err := s.store.CommentsSince(ctx, cm.AddrHash, cm.Created.Add(-SenderWindow), c.ID, cm.BodyHash)
		if err != nil {
			return err
		}
		if dup {
			return fault.New(fault.Conflict, "consultation.duplicate")
		}
		if n >= PerSender {
			return fault.New(fault.TooMany, "consultation.too_many", int(SenderWindow.Minutes()))
		}
		m, err := s.store.ConsultationComments(ctx, c.ID, cm.Created.Add(-time.Hour))
		if err != nil {
			return err
		}
		if m >= PerDraftHourly {
			return fault.New(fault.TooMany, "consultation.busy")
		}
		return s.store.AddComment(ctx, cm)
	})
	if err != nil {
		return nil, err
	}
	return cm, nil
}

func validContact(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	if strings.Contains(s, "@") {
		a, err := mail.ParseAddress(s)
		return err == nil && a.Address == s
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +.-()", r):
		default:
			return false
		}
	}
	return digits >= 8 && digits <= 15
}

func hash(s string) string {
	h := sha256.Sum256([]byte("cong-comment:" + s))
	return hex.EncodeToString(h[:16])
}

// Moderate approves (publishes) or rejects a comment.
func (s *Service) Moderate(ctx context.Context, commentID int64, approve bool) error {
	cm, err := s.store.Comment(ctx, commentID)
	if err != nil {
		return err
	}
	if err := access.Check(ctx, access.ModerateComments, cm.SiteID); err != nil {
		return err
	}
	status := Rejected
	if approve {
		status = Approved
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetCommentStatus(ctx, commentID, status, s.Now()); err != nil {
			return err
		}
		return s.log.Record(ctx, "consultation.moderate", cm.SiteID, strconv.FormatInt(cm.ConsultationID, 10), map[string]any{"comment": commentID, "status": status})
	})
}

// Comments returns a consultation's comments with a status ("" for all;
// the public sees approved ones only, without contacts).
func (s *Service) Comments(ctx context.Context, c *Consultation, status string) ([]*Comment, error) {
	if status != Approved {
		if err := access.Check(ctx, access.ModerateComments, c.SiteID); err != nil {
			return nil, err
		}
	}
	cms, err := s.store.Comments(ctx, c.ID, status)
	if err != nil {
		return nil, err
	}
	if status == Approved && access.Check(ctx, access.ModerateComments, c.SiteID) != nil {
		for _, cm := range cms {
			cm.Contact = ""
		}
	}
	return cms, nil
}

// PublishResult publishes, after the comment period, the summary of the
// comments received and the agency's response.
func (s *Service) PublishResult(ctx context.Context, id int64, result, response string) error {
	c, err := s.store.Consultation(ctx, id)
	if err != nil {
		return err
	}
	if err := access.Check(ctx, access.PublishDisclosure, c.SiteID); err != nil {
		return err
	}
	if c.PhaseOn(s.Today()) != Closed {
		return fault.New(fault.Conflict, "consultation.still_open", c.ClosesOn)
	}
	c.Result = strings.TrimSpace(vietnamese.NFC(strings.ToValidUTF8(result, "")))
	c.Response = strings.TrimSpace(vietnamese.NFC(strings.ToValidUTF8(response, "")))
	var errs fault.List
	if c.Result == "" {
		errs = append(errs, fault.OnField("result", "consultation.result_required"))
	}
	if c.Response == "" {
		errs = append(errs, fault.OnField("response", "consultation.response_required"))
	}
	if len(c.Result) > 100000 || len(c.Response) > 100000 {
		errs = append(errs, fault.OnField("result", "field.too_long", 100000))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	c.ResultAt = s.Now()
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateConsultation(ctx, c); err != nil {
			return err
		}
		return s.log.Record(ctx, "consultation.result", c.SiteID, strconv.FormatInt(c.ID, 10), nil)
	})
}

// Package contactpoint holds the people a site names for citizens to reach:
// the contact-point officials (cán bộ đầu mối, Decree 42 Art. 4) and the
// official who receives requests for information (Law on Access to
// Information), each with the English title Decree 42 Art. 7.2 asks for.
package contactpoint

import (
	"context"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// Roles of a contact point.
const (
	InfoOfficer = "info_officer" // đầu mối tiếp nhận yêu cầu cung cấp thông tin
	Contact     = "contact"      // cán bộ đầu mối liên hệ
)

// Point is one person to contact.
type Point struct {
	ID       int64
	SiteID   int64
	Role     string
	Name     string
	Title    string // chức vụ
	TitleEn  string
	Duty     string // what to contact them about
	DutyEn   string
	Phone    string
	Email    string
	Position int
	Updated  time.Time
}

// Store keeps contact points.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	ContactPoints(ctx context.Context, siteID int64) ([]*Point, error)
	ReplaceContactPoints(ctx context.Context, siteID int64, ps []*Point) error
}

// Recorder writes the audit log entry of a change, inside its transaction.
type Recorder interface {
	Record(ctx context.Context, action string, siteID int64, target string, detail any) error
}

// Service keeps contact points.
type Service struct {
	store Store
	log   Recorder
}

// NewService returns a Service.
func NewService(s Store, log Recorder) *Service { return &Service{store: s, log: log} }

// List returns a site's contact points, the information officer first.
func (s *Service) List(ctx context.Context, siteID int64) ([]*Point, error) {
	return s.store.ContactPoints(ctx, siteID)
}

var phoneRE = regexp.MustCompile(`^[0-9+().\- ]{3,40}$`)

// Save replaces a site's contact points (site administrators keep them
// with the site's contact data).
func (s *Service) Save(ctx context.Context, siteID int64, ps []*Point) error {
	if err := access.Check(ctx, access.EditSite, siteID); err != nil {
		return err
	}
	var errs fault.List
	var kept []*Point
	for i, p := range ps {
		p.SiteID, p.Position = siteID, i
		p.Name, p.Title, p.TitleEn = vietnamese.Clean(p.Name), vietnamese.Clean(p.Title), vietnamese.Clean(p.TitleEn)
		p.Duty, p.DutyEn = vietnamese.Clean(p.Duty), vietnamese.Clean(p.DutyEn)
		p.Phone, p.Email = vietnamese.Clean(p.Phone), strings.ToLower(vietnamese.Clean(p.Email))
		if p.Name == "" && p.Title == "" && p.Phone == "" && p.Email == "" {
			continue // an empty row of the form
		}
		f := func(name string) string { return name + "_" + strconv.Itoa(i) }
		if p.Role != InfoOfficer && p.Role != Contact {
			errs = append(errs, fault.OnField(f("role"), "contactpoint.role_invalid"))
		}
		if p.Name == "" || utf8.RuneCountInString(p.Name) > 120 {
			errs = append(errs, fault.OnField(f("name"), "contactpoint.name_required"))
		}
		for _, v := range []string{p.Title, p.TitleEn, p.Duty, p.DutyEn} {
			if utf8.RuneCountInString(v) > 300 {
				errs = append(errs, fault.OnField(f("title"), "field.too_long", 300))
			}
		}
		if p.Phone != "" && !phoneRE.MatchString(p.Phone) {
			errs = append(errs, fault.OnField(f("phone"), "site.phone_invalid"))
		}
		if p.Email != "" {
			if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email {
				errs = append(errs, fault.OnField(f("email"), "field.email_invalid"))
			}
		}
		if p.Phone == "" && p.Email == "" {
			errs = append(errs, fault.OnField(f("phone"), "contactpoint.reach_required"))
		}
		kept = append(kept, p)
	}
	if len(kept) > 50 {
		errs = append(errs, fault.OnField("name_0", "contactpoint.too_many", 50))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.ReplaceContactPoints(ctx, siteID, kept); err != nil {
			return err
		}
		return s.log.Record(ctx, "contactpoint.save", siteID, "", map[string]any{"count": len(kept)})
	})
}

package content

import (
	"context"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// The smaller things a site publishes besides items: links to other
// portals, the leaders' work schedule, the leaders, the organisation chart.

// Link is an entry of "Liên kết website".
type Link struct {
	ID       int64
	SiteID   int64
	Title    string
	URL      string
	Position int
}

// Appointment is one entry of the leaders' work schedule (lịch công tác).
type Appointment struct {
	ID           int64
	SiteID       int64
	Day          string // YYYY-MM-DD
	At           string // HH:MM, or "" for all day
	Leader       string
	Content      string
	Location     string
	Participants string
	Updated      time.Time
}

// Leader is a member of the unit's leadership (lãnh đạo).
type Leader struct {
	ID       int64
	SiteID   int64
	Name     string
	Title    string
	TitleEn  string
	PhotoID  int64
	Phone    string
	Email    string
	Duties   string
	Position int
	Updated  time.Time
}

// OrgUnit is a division in the organisation chart (cơ cấu tổ chức).
type OrgUnit struct {
	ID       int64
	SiteID   int64
	ParentID int64
	Name     string
	NameEn   string
	Head     string
	Phone    string
	Position int
	Children []*OrgUnit
}

// ExtrasStore keeps links, appointments, leaders and the org chart.
type ExtrasStore interface {
	Links(ctx context.Context, siteID int64) ([]*Link, error)
	SaveLink(ctx context.Context, l *Link) error
	DeleteLink(ctx context.Context, siteID, id int64) error
	Appointments(ctx context.Context, siteID int64, from, to string) ([]*Appointment, error)
	SaveAppointment(ctx context.Context, a *Appointment) error
	DeleteAppointment(ctx context.Context, siteID, id int64) error
	Leaders(ctx context.Context, siteID int64) ([]*Leader, error)
	SaveLeader(ctx context.Context, l *Leader) error
	OrgUnits(ctx context.Context, siteID int64) ([]*OrgUnit, error)
	SaveOrgUnit(ctx context.Context, o *OrgUnit) error
}

// extrasChanged tells the listeners that a site's extra pages changed.
func (s *Service) extrasChanged(ctx context.Context, siteID int64, path string) {
	s.store.AfterCommit(ctx, "content.extras:"+formatInt(siteID)+path, func() {
		s.mu.Lock()
		ls := append([]func(Change){}, s.listeners...)
		s.mu.Unlock()
		for _, f := range ls {
			f(Change{Places: []Place{{SiteID: siteID, Path: path}}})
		}
	})
}

// Links returns a site's links (public).
func (s *Service) Links(ctx context.Context, siteID int64) ([]*Link, error) {
	return s.store.Links(ctx, siteID)
}

// SaveLink adds (ID 0) or changes a link.
func (s *Service) SaveLink(ctx context.Context, l *Link) error {
	if err := access.Check(ctx, access.EditContent, l.SiteID); err != nil {
		return err
	}
	l.Title = vietnamese.Clean(l.Title)
	l.URL = strings.TrimSpace(l.URL)
	var errs fault.List
	if l.Title == "" || utf8.RuneCountInString(l.Title) > 200 {
		errs = append(errs, fault.OnField("title", "link.title_invalid"))
	}
	if u, err := url.Parse(l.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(l.URL) > 500 {
		errs = append(errs, fault.OnField("url", "link.url_invalid"))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveLink(ctx, l); err != nil {
			return err
		}
		s.extrasChanged(ctx, l.SiteID, "/lien-ket-website")
		return s.log.Record(ctx, "link.save", l.SiteID, "link:"+formatInt(l.ID), map[string]any{"title": l.Title, "url": l.URL})
	})
}

// DeleteLink removes a link.
func (s *Service) DeleteLink(ctx context.Context, siteID, id int64) error {
	if err := access.Check(ctx, access.EditContent, siteID); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteLink(ctx, siteID, id); err != nil {
			return err
		}
		s.extrasChanged(ctx, siteID, "/lien-ket-website")
		return s.log.Record(ctx, "link.delete", siteID, "link:"+formatInt(id), nil)
	})
}

// Week returns the appointments of the ISO week containing day.
func (s *Service) Week(ctx context.Context, siteID int64, day time.Time) (monday time.Time, items []*Appointment, err error) {
	wd := (int(day.Weekday()) + 6) % 7
	monday = time.Date(day.Year(), day.Month(), day.Day()-wd, 0, 0, 0, 0, day.Location())
	items, err = s.store.Appointments(ctx, siteID, monday.Format(time.DateOnly), monday.AddDate(0, 0, 6).Format(time.DateOnly))
	return monday, items, err
}

// SaveAppointment adds (ID 0) or changes an appointment of the schedule.
func (s *Service) SaveAppointment(ctx context.Context, a *Appointment) error {
	if err := access.Check(ctx, access.EditContent, a.SiteID); err != nil {
		return err
	}
	a.Leader, a.Content = vietnamese.Clean(a.Leader), vietnamese.Clean(a.Content)
	a.Location, a.Participants, a.At = vietnamese.Clean(a.Location), vietnamese.Clean(a.Participants), strings.TrimSpace(a.At)
	var errs fault.List
	if _, err := time.Parse(time.DateOnly, a.Day); err != nil {
		errs = append(errs, fault.OnField("day", "schedule.day_invalid"))
	}
	if a.At != "" {
		if _, err := time.Parse("15:04", a.At); err != nil {
			errs = append(errs, fault.OnField("at", "schedule.time_invalid"))
		}
	}
	if a.Leader == "" || utf8.RuneCountInString(a.Leader) > 200 {
		errs = append(errs, fault.OnField("leader", "schedule.leader_required"))
	}
	if a.Content == "" || utf8.RuneCountInString(a.Content) > 2000 {
		errs = append(errs, fault.OnField("content", "schedule.content_required"))
	}
	if utf8.RuneCountInString(a.Location) > 300 || utf8.RuneCountInString(a.Participants) > 1000 {
		errs = append(errs, fault.OnField("location", "schedule.too_long"))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	a.Updated = s.now()
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveAppointment(ctx, a); err != nil {
			return err
		}
		s.extrasChanged(ctx, a.SiteID, "/lich-cong-tac")
		return s.log.Record(ctx, "schedule.save", a.SiteID, "appointment:"+formatInt(a.ID), map[string]any{"day": a.Day, "leader": a.Leader})
	})
}

// DeleteAppointment removes an appointment.
func (s *Service) DeleteAppointment(ctx context.Context, siteID, id int64) error {
	if err := access.Check(ctx, access.EditContent, siteID); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteAppointment(ctx, siteID, id); err != nil {
			return err
		}
		s.extrasChanged(ctx, siteID, "/lich-cong-tac")
		return s.log.Record(ctx, "schedule.delete", siteID, "appointment:"+formatInt(id), nil)
	})
}

// Leaders returns a site's leaders in order (public).
func (s *Service) Leaders(ctx context.Context, siteID int64) ([]*Leader, error) {
	return s.store.Leaders(ctx, siteID)
}

// SaveLeader adds (ID 0) or changes a leader.
func (s *Service) SaveLeader(ctx context.Context, l *Leader) error {
	if err := access.Check(ctx, access.EditContent, l.SiteID); err != nil {
		return err
	}
	l.Name, l.Title, l.TitleEn = vietnamese.Clean(l.Name), vietnamese.Clean(l.Title), vietnamese.Clean(l.TitleEn)
	l.Phone, l.Email, l.Duties = vietnamese.Clean(l.Phone), strings.ToLower(vietnamese.Clean(l.Email)), vietnamese.Clean(l.Duties)
	if l.Name == "" || l.Title == "" || utf8.RuneCountInString(l.Name) > 200 || utf8.RuneCountInString(l.Title) > 300 {
		return fault.OnField("name", "leader.invalid")
	}
	if l.PhotoID != 0 {
		m, err := s.store.MediaItem(ctx, l.PhotoID)
		if err != nil || m.SiteID != l.SiteID || m.Kind != "image" {
			return fault.OnField("photo", "article.cover_unknown")
		}
	}
	l.Updated = s.now()
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveLeader(ctx, l); err != nil {
			return err
		}
		s.extrasChanged(ctx, l.SiteID, "/gioi-thieu/")
		return s.log.Record(ctx, "leader.save", l.SiteID, "leader:"+formatInt(l.ID), map[string]any{"name": l.Name, "title": l.Title})
	})
}

// OrgChart returns a site's divisions as a tree (public).
func (s *Service) OrgChart(ctx context.Context, siteID int64) ([]*OrgUnit, error) {
	all, err := s.store.OrgUnits(ctx, siteID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*OrgUnit{}
	for _, o := range all {
		byID[o.ID] = o
	}
	var roots []*OrgUnit
	for _, o := range all {
		if p := byID[o.ParentID]; p != nil && o.ParentID != o.ID {
			p.Children = append(p.Children, o)
		} else {
			roots = append(roots, o)
		}
	}
	return roots, nil
}

// SaveOrgUnit adds (ID 0) or changes a division.
func (s *Service) SaveOrgUnit(ctx context.Context, o *OrgUnit) error {
	if err := access.Check(ctx, access.EditContent, o.SiteID); err != nil {
		return err
	}
	o.Name, o.NameEn, o.Head, o.Phone = vietnamese.Clean(o.Name), vietnamese.Clean(o.NameEn), vietnamese.Clean(o.Head), vietnamese.Clean(o.Phone)
	if o.Name == "" || utf8.RuneCountInString(o.Name) > 200 {
		return fault.OnField("name", "org.name_required")
	}
	if o.ParentID != 0 {
		all, err := s.store.OrgUnits(ctx, o.SiteID)
		if err != nil {
			return err
		}
		ok := false
		for _, u := range all {
			ok = ok || u.ID == o.ParentID && u.ID != o.ID
		}
		if !ok {
			return fault.OnField("parent", "org.parent_invalid")
		}
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveOrgUnit(ctx, o); err != nil {
			return err
		}
		s.extrasChanged(ctx, o.SiteID, "/gioi-thieu/")
		return s.log.Record(ctx, "org.save", o.SiteID, "org:"+formatInt(o.ID), map[string]any{"name": o.Name})
	})
}

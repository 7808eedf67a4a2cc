package feedback

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"time"

	"github.com/congvn/cong/internal/fault"
)

// Tracking is what the holder of a tracking code sees: the item's state
// and public timeline, never the contacts or internal notes.
type Tracking struct {
	Item     *Item // contacts removed; Title and Body are the public copy
	Events   []*Event
	Unit     string // the unit responsible now
	Overdue  bool
	CanAdd   bool // waiting for the citizen: the supplement form is shown
	CanRate  bool
	Question string // what the unit asked for, when waiting
	Main     *Item  // the published item this one was merged into
	Notify   bool   // e-mail updates are on
}

// Track returns the tracking view of the item with code (as typed by a
// citizen: case and dashes do not matter).
func (s *Service) Track(ctx context.Context, code string) (*Tracking, error) {
	it, err := s.byCode(ctx, code)
	if err != nil {
		return nil, err
	}
	evs, err := s.store.FeedbackEvents(ctx, it.ID, true)
	if err != nil {
		return nil, err
	}
	t := &Tracking{Events: evs, Unit: s.siteName(ctx, it.SiteID)}
	now := s.now()
	t.Overdue = it.Status.Open() && it.Status != Waiting && now.After(it.DueAt)
	t.CanAdd = it.Status == Waiting
	t.CanRate = it.Status.Resolved() && it.Rating == 0
	if t.CanAdd {
		for i := len(evs) - 1; i >= 0; i-- {
			if evs[i].Type == "info_requested" {
				t.Question = evs[i].Text
				break
			}
		}
	}
	if it.Status == Duplicate && it.DuplicateOf != 0 {
		if main, err := s.store.FeedbackByID(ctx, it.DuplicateOf); err == nil && main.Status == Published {
			hideContacts(main)
			t.Main = main
		}
	}
	code = it.Code
	t.Notify = it.Consent.Notify
	hideContacts(it)
	it.Code = code
	it.Title, it.Body = it.PublicTitle, it.PublicBody
	t.Item = it
	return t, nil
}

// Supplement adds what the unit asked for: the item goes back to the unit
// and its clock restarts. Only a waiting item takes a supplement.
func (s *Service) Supplement(ctx context.Context, code, text string, files []Upload) (*Item, error) {
	it, err := s.byCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if it.Status != Waiting {
		return nil, fault.New(fault.Conflict, "feedback.not_waiting")
	}
	text = CleanText(text)
	switch n := runes(text); {
	case n < MinBody:
		return nil, fault.OnField("text", "feedback.body_short", MinBody)
	case n > MaxBody:
		return nil, fault.OnField("text", "feedback.too_long", MaxBody)
	}
	if len(it.Files)+len(files) > MaxFiles+3 {
		return nil, fault.OnField("files", "feedback.too_many_files", MaxFiles)
	}
	var checked []*File
	for i, u := range files {
		f, err := CheckFile("files", u)
		if err != nil {
			return nil, err
		}
		f.Order = len(it.Files) + i
		checked = append(checked, f)
	}
	s.resume(it)
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.AddFeedbackFiles(ctx, it.ID, checked); err != nil {
			return err
		}
		if err := s.event(ctx, it, "supplemented", true, "citizen", it.SiteID, 0, ""); err != nil {
			return err
		}
		// What the citizen wrote is for the unit only: it may hold personal
		// data.
		if err := s.event(ctx, it, "supplement", false, "citizen", it.SiteID, 0, text); err != nil {
			return err
		}
		if err := s.notifyStaff(ctx, it.SiteID, it, "Người gửi đã bổ sung thông tin", "Người gửi đã bổ sung thông tin cho phản ánh, câu hỏi sau; thời hạn xử lý được tính tiếp."); err != nil {
			return err
		}
		return s.save(ctx, it, "feedback.supplemented", map[string]any{"files": len(checked), "paused_days": it.PausedDays})
	})
	return it, err
}

// Rate records the citizen's rating of the answer (1 to 5 stars, with an
// optional comment), once.
func (s *Service) Rate(ctx context.Context, code string, stars int, comment string) (*Item, error) {
	it, err := s.byCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if !it.Status.Resolved() {
		return nil, fault.New(fault.Conflict, "feedback.not_answered")
	}
	if it.Rating != 0 {
		return nil, fault.New(fault.Conflict, "feedback.rated_already")
	}
	if stars < 1 || stars > 5 {
		return nil, fault.OnField("stars", "feedback.stars_invalid")
	}
	comment = CleanText(comment)
	if runes(comment) > 1000 {
		return nil, fault.OnField("comment", "feedback.too_long", 1000)
	}
	it.Rating, it.RatingComment, it.RatedAt = stars, comment, s.now().UTC().Truncate(time.Microsecond)
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.event(ctx, it, "rated", true, "citizen", it.SiteID, 0, ""); err != nil {
			return err
		}
		return s.save(ctx, it, "feedback.rated", map[string]any{"stars": stars})
	})
	return it, err
}

// Confirm marks an item as confirmed by its submitter through the link
// e-mailed to them (for submissions that did not pass the proof of work).
func (s *Service) Confirm(ctx context.Context, code, token string) (*Item, error) {
	it, err := s.byCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if it.Verified {
		return it, nil
	}
	if it.ConfirmToken == "" || subtle.ConstantTimeCompare([]byte(token), []byte(it.ConfirmToken)) != 1 {
		return nil, fault.New(fault.Invalid, "feedback.confirm_invalid")
	}
	it.Verified = true
	it.ConfirmToken = ""
	it.ConfirmAt = s.now().UTC().Truncate(time.Microsecond)
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.event(ctx, it, "confirmed", true, "citizen", it.SiteID, 0, ""); err != nil {
			return err
		}
		return s.save(ctx, it, "feedback.confirmed", nil)
	})
	return it, err
}

// StopMail ends the e-mail updates of an item (the submitter withdraws that
// consent).
func (s *Service) StopMail(ctx context.Context, code string) error {
	it, err := s.byCode(ctx, code)
	if err != nil {
		return err
	}
	if !it.Consent.Notify {
		return nil
	}
	it.Consent.Notify = false
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.event(ctx, it, "mail_stopped", false, "citizen", it.SiteID, 0, ""); err != nil {
			return err
		}
		return s.save(ctx, it, "feedback.mail_stopped", nil)
	})
}

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

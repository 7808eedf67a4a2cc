package feedback

import (
	"context"
	"time"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/vietnamese"
)

// Publication is what the approver decides: the public copy (reviewed for
// personal data), the final answer, and whether it is published.
type Publication struct {
	PublicTitle string
	PublicBody  string
	PublicPlace string
	Answer      string
	Publish     bool
	Reason      string // required when not publishing
	Reviewed    bool   // the approver checked the flagged personal data
}

// Review returns what FindPersonal flags in the public copy and the answer
// of pub, for the approver.
func Review(it *Item, pub Publication) []Finding {
	var out []Finding
	for _, t := range []string{pub.PublicTitle, pub.PublicBody, pub.PublicPlace, pub.Answer} {
		out = append(out, FindPersonal(t, it.Contact)...)
	}
	return out
}

// Approve answers an item: a draft (or an answer kept unpublished) becomes
// the answer, published with personal data removed unless the approver
// gives a reason not to. Personal data still flagged in the public copy
// must have been reviewed.
func (s *Service) Approve(ctx context.Context, code string, version int, pub Publication) (*Item, error) {
	it, err := s.change(ctx, code, version, s.canApprove, Drafted, Answered)
	if err != nil {
		return nil, err
	}
	var errs fault.List
	pub.PublicTitle, pub.PublicPlace = vietnamese.Clean(pub.PublicTitle), vietnamese.Clean(pub.PublicPlace)
	pub.PublicBody, pub.Answer, pub.Reason = CleanText(pub.PublicBody), CleanText(pub.Answer), CleanText(pub.Reason)
	if pub.Answer == "" {
		pub.Answer = it.Answer
	}
	if pub.Answer == "" {
		errs = append(errs, fault.OnField("answer", "feedback.text_required"))
	}
	if runes(pub.Answer) > MaxAnswer {
		errs = append(errs, fault.OnField("answer", "feedback.too_long", MaxAnswer))
	}
	if pub.Publish {
		if pub.PublicTitle == "" {
			errs = append(errs, fault.OnField("public_title", "feedback.title_required"))
		}
		if runes(pub.PublicTitle) > MaxTitle || runes(pub.PublicBody) > MaxBody || runes(pub.PublicPlace) > MaxAddress {
			errs = append(errs, fault.OnField("public_body", "feedback.too_long", MaxBody))
		}
		if n := len(Review(it, pub)); n > 0 && !pub.Reviewed {
			errs = append(errs, fault.OnField("reviewed", "feedback.review_needed", n))
		}
	} else if pub.Reason == "" {
		errs = append(errs, fault.OnField("reason", "feedback.reason_required"))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	wasAnswered := it.Status == Answered
	it.Answer = pub.Answer
	if it.AnsweredAt.IsZero() {
		it.AnsweredAt = now
		it.AnswerSiteID = it.SiteID
	}
	it.ClosedAt = now
	if pub.Publish {
		it.Status = Published
		it.PublicTitle, it.PublicBody, it.PublicPlace = pub.PublicTitle, pub.PublicBody, pub.PublicPlace
		it.PublishedAt = now
		it.Reason = ""
	} else {
		it.Status = Answered
		it.Reason = pub.Reason
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if !wasAnswered {
			if err := s.event(ctx, it, "answered", true, actorName(ctx), it.SiteID, 0, ""); err != nil {
				return err
			}
			if err := s.notifyCitizen(ctx, it, "answered"); err != nil {
				return err
			}
		}
		if pub.Publish {
			if err := s.event(ctx, it, "published", true, actorName(ctx), it.SiteID, 0, ""); err != nil {
				return err
			}
			if err := s.index(ctx, it); err != nil {
				return err
			}
		}
		return s.save(ctx, it, "feedback.answered", map[string]any{"published": pub.Publish, "reviewed": pub.Reviewed})
	})
	return it, err
}

// Path returns the public path of a published item on its site.
func (it *Item) Path() string {
	if it.Kind == Question {
		return "/hoi-dap/" + itoa(it.ID)
	}
	return "/phan-anh/" + itoa(it.ID)
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// index puts a published answer into search, in the transaction in ctx.
func (s *Service) index(ctx context.Context, it *Item) error {
	if s.Index == nil {
		return nil
	}
	summary := it.Answer
	if runes(summary) > 300 {
		summary = string([]rune(summary)[:300]) + "…"
	}
	return s.Index.Put(ctx, search.Doc{
		SiteID: it.SiteID, Kind: search.KindAnswer, Ref: itoa(it.ID), Lang: "vi",
		Title: it.PublicTitle, Summary: summary, Body: it.PublicBody + "\n\n" + it.Answer,
		Category: s.Policy.CategoryName(it.Category, "vi"), Path: it.Path(), Published: it.PublishedAt,
	})
}

func (s *Service) unindex(ctx context.Context, it *Item) error {
	if s.Index == nil {
		return nil
	}
	return s.Index.Delete(ctx, search.KindAnswer, itoa(it.ID))
}

// Unpublish takes a published answer off the public pages, with a reason;
// it stays answered.
func (s *Service) Unpublish(ctx context.Context, code string, version int, reason string) (*Item, error) {
	it, err := s.change(ctx, code, version, s.canApprove, Published)
	if err != nil {
		return nil, err
	}
	if reason, err = cleanNote("reason", reason, true); err != nil {
		return nil, err
	}
	it.Status = Answered
	it.Reason = reason
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.event(ctx, it, "unpublished", true, actorName(ctx), it.SiteID, 0, ""); err != nil {
			return err
		}
		if err := s.unindex(ctx, it); err != nil {
			return err
		}
		return s.save(ctx, it, "feedback.unpublished", map[string]any{"reason": reason})
	})
	return it, err
}

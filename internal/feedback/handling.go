package feedback

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/vietnamese"
)

// MaxAnswer is the longest answer or note, in characters.
const MaxAnswer = 20000

// Item returns an item with everything the staff need: contacts, files,
// links, related references and the whole timeline. The caller must hold
// ViewFeedback on its site, on the site it was reported to, or on the city
// portal.
func (s *Service) Item(ctx context.Context, code string) (*Item, []*Event, error) {
	it, err := s.byCode(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	if err := s.canView(ctx, it); err != nil {
		return nil, nil, err
	}
	if it.Links, err = s.store.FeedbackLinks(ctx, it.ID); err != nil {
		return nil, nil, err
	}
	evs, err := s.store.FeedbackEvents(ctx, it.ID, false)
	return it, evs, err
}

// File returns an attachment with its data, for the staff.
func (s *Service) File(ctx context.Context, code string, fileID int64) (*File, error) {
	it, err := s.byCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if err := s.canView(ctx, it); err != nil {
		return nil, err
	}
	return s.store.FeedbackFile(ctx, it.ID, fileID)
}

func (s *Service) byCode(ctx context.Context, code string) (*Item, error) {
	c, ok := NormalizeCode(code)
	if !ok {
		return nil, fault.New(fault.NotFound, "feedback.not_found")
	}
	return s.store.FeedbackByCode(ctx, c)
}

func (s *Service) cityID(ctx context.Context) int64 {
	d, err := s.Directory(ctx)
	if err != nil || d.City == nil {
		return 0
	}
	return d.City.ID
}

// checkAny passes when the actor holds p on one of the sites.
func checkAny(ctx context.Context, p access.Permission, sites ...int64) error {
	var first error
	for _, id := range sites {
		if id == 0 {
			continue
		}
		err := access.Check(ctx, p, id)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	if first == nil {
		first = access.Check(ctx, p, 0)
	}
	return first
}

func (s *Service) canView(ctx context.Context, it *Item) error {
	return checkAny(ctx, access.ViewFeedback, it.SiteID, it.EscalatedSiteID, s.cityID(ctx))
}

func (s *Service) canHandle(ctx context.Context, it *Item) error {
	return checkAny(ctx, access.HandleFeedback, it.SiteID, it.EscalatedSiteID)
}

func (s *Service) canApprove(ctx context.Context, it *Item) error {
	return checkAny(ctx, access.ApproveFeedback, it.SiteID, s.cityID(ctx))
}

// actorName is the staff member's name for the timeline (internal) and the
// audit log.
func actorName(ctx context.Context) string {
	if a := access.From(ctx); a != nil {
		return a.Name
	}
	return "system"
}

// change loads an item for a staff action: it must exist, the actor must
// pass check, the version must be the one the form showed, and the status
// one of from.
func (s *Service) change(ctx context.Context, code string, version int, check func(context.Context, *Item) error, from ...Status) (*Item, error) {
	it, err := s.byCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if err := check(ctx, it); err != nil {
		return nil, err
	}
	if version != 0 && version != it.Version {
		return nil, fault.New(fault.Conflict, "feedback.changed_meanwhile")
	}
	if !slices.Contains(from, it.Status) {
		return nil, fault.New(fault.Conflict, "feedback.wrong_status", string(it.Status))
	}
	return it, nil
}

// save stores it, records the audit entry and invalidates caches, in the
// transaction in ctx.
func (s *Service) save(ctx context.Context, it *Item, action string, detail map[string]any) error {
	it.UpdatedAt = s.now().UTC().Truncate(time.Microsecond)
	if err := s.store.UpdateFeedback(ctx, it); err != nil {
		return err
	}
	s.changed(ctx)
	return s.log.Record(ctx, action, it.SiteID, it.Code, detail)
}

func (s *Service) siteName(ctx context.Context, id int64) string {
	d, err := s.Directory(ctx)
	if err != nil {
		return ""
	}
	if st, ok := d.ByID(id); ok {
		return st.Name
	}
	return ""
}

func cleanNote(field, text string, required bool) (string, error) {
	t := CleanText(text)
	if required && t == "" {
		return "", fault.OnField(field, "feedback.text_required")
	}
	if runes(t) > MaxAnswer {
		return "", fault.OnField(field, "feedback.too_long", MaxAnswer)
	}
	return t, nil
}

// Assign gives an item to the unit whose site is toSiteID: from the triage
// queue, or from one unit to another (a transfer). Assigning to the city
// portal sends it back to the editorial office's triage queue.
func (s *Service) Assign(ctx context.Context, code string, version int, toSiteID int64, note string) (*Item, error) {
	it, err := s.change(ctx, code, version, s.canHandle, Received, Assigned)
	if err != nil {
		return nil, err
	}
	note, err = cleanNote("note", note, false)
	if err != nil {
		return nil, err
	}
	d, err := s.Directory(ctx)
	if err != nil {
		return nil, err
	}
	to, ok := d.ByID(toSiteID)
	if !ok || to.Status != site.Active || to.Kind != site.Portal {
		return nil, fault.OnField("to", "feedback.unit_invalid")
	}
	if to.ID == it.SiteID && it.Status == Assigned {
		return nil, fault.OnField("to", "feedback.same_unit")
	}
	from := it.SiteID
	typ := "assigned"
	if it.Status == Assigned {
		typ = "transferred"
	}
	it.SiteID = to.ID
	it.Status = Assigned
	if d.City != nil && to.ID == d.City.ID {
		it.Status = Received
	}
	// A transfer ends the escalation: the new unit starts clean, within the
	// same deadline.
	it.EscalatedSiteID, it.EscalationLevel = 0, 0
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.event(ctx, it, typ, true, actorName(ctx), from, to.ID, ""); err != nil {
			return err
		}
		if note != "" {
			if err := s.event(ctx, it, "note", false, actorName(ctx), from, 0, note); err != nil {
				return err
			}
		}
		if err := s.notifyCitizen(ctx, it, "assigned", to.Name); err != nil {
			return err
		}
		if err := s.notifyStaff(ctx, to.ID, it, "Phản ánh mới được giao", "Đơn vị được giao xử lý phản ánh, câu hỏi sau."); err != nil {
			return err
		}
		return s.save(ctx, it, "feedback."+typ, map[string]any{"from_site_id": from, "to_site_id": to.ID})
	})
	return it, err
}

// RequestInfo asks the citizen for more: the item waits, and its clock
// stops until they answer (or a member of staff resumes it).
func (s *Service) RequestInfo(ctx context.Context, code string, version int, question string) (*Item, error) {
	it, err := s.change(ctx, code, version, s.canHandle, Received, Assigned)
	if err != nil {
		return nil, err
	}
	if question, err = cleanNote("question", question, true); err != nil {
		return nil, err
	}
	it.Status = Waiting
	it.PausedAt = s.now().UTC().Truncate(time.Microsecond)
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.event(ctx, it, "info_requested", true, actorName(ctx), it.SiteID, 0, question); err != nil {
			return err
		}
		if err := s.notifyCitizen(ctx, it, "info_requested"); err != nil {
			return err
		}
		return s.save(ctx, it, "feedback.info_requested", nil)
	})
	return it, err
}

// resume restarts the clock of a waiting item: the working days it waited
// are added to its deadline.
func (s *Service) resume(it *Item) {
	now := s.now()
	paused := s.Calendar.WorkingDaysBetween(it.PausedAt, now)
	it.PausedDays += paused
	if paused > 0 {
		it.DueAt = s.Calendar.AddWorkingDays(it.DueAt, paused).UTC()
	}
	it.PausedAt = time.Time{}
	it.Status = Assigned
	if s.cityID(context.Background()) == it.SiteID {
		it.Status = Received
	}
}

// Resume restarts a waiting item without the citizen's answer (they
// phoned, or came in person); note says what was learnt.
func (s *Service) Resume(ctx context.Context, code string, version int, note string) (*Item, error) {
	it, err := s.change(ctx, code, version, s.canHandle, Waiting)
	if err != nil {
		return nil, err
	}
	if note, err = cleanNote("note", note, true); err != nil {
		return nil, err
	}
	s.resume(it)
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.event(ctx, it, "resumed", true, actorName(ctx), it.SiteID, 0, ""); err != nil {
			return err
		}
		if err := s.event(ctx, it, "note", false, actorName(ctx), it.SiteID, 0, note); err != nil {
			return err
		}
		return s.save(ctx, it, "feedback.resumed", map[string]any{"paused_days": it.PausedDays})
	})
	return it, err
}

// Draft stores the unit's answer for approval, with the procedures and
// documents it relies on.
func (s *Service) Draft(ctx context.Context, code string, version int, answer string, refs []Ref) (*Item, error) {
	it, err := s.change(ctx, code, version, s.canHandle, Received, Assigned, Drafted)
	if err != nil {
		return nil, err
	}
	if answer, err = cleanNote("answer", answer, true); err != nil {
		return nil, err
	}
	if refs, err = cleanRefs(refs); err != nil {
		return nil, err
	}
	if refs, err = s.resolveRefs(ctx, it.SiteID, refs); err != nil {
		return nil, err
	}
	it.Answer = answer
	it.Status = Drafted
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetFeedbackRefs(ctx, it.ID, refs); err != nil {
			return err
		}
		if err := s.event(ctx, it, "drafted", false, actorName(ctx), it.SiteID, 0, ""); err != nil {
			return err
		}
		return s.save(ctx, it, "feedback.drafted", map[string]any{"refs": len(refs)})
	})
	return it, err
}

// MaxRefs bounds the references of one answer.
const MaxRefs = 10

func cleanRefs(refs []Ref) ([]Ref, error) {
	var out []Ref
	for _, r := range refs {
		r.Title, r.Ref, r.URL, r.Kind = vietnamese.Clean(r.Title), vietnamese.Clean(r.Ref), strings.TrimSpace(r.URL), vietnamese.Clean(r.Kind)
		if r.Title == "" && r.Ref == "" && r.URL == "" {
			continue
		}
		if r.Kind != "procedure" && r.Kind != "document" {
			r.Kind = "link"
		}
		// A path on the site, or a web address; never "//host" (another
		// site's address in disguise) or another scheme (javascript:).
		if r.URL != "" && !strings.HasPrefix(r.URL, "https://") && !strings.HasPrefix(r.URL, "http://") &&
			(!strings.HasPrefix(r.URL, "/") || strings.HasPrefix(r.URL, "//") || strings.HasPrefix(r.URL, "/\\")) {
			return nil, fault.OnField(RefField(r.Kind), "feedback.ref_url")
		}
		if runes(r.Title) > 300 || len(r.URL) > 500 || runes(r.Ref) > 100 {
			return nil, fault.OnField(RefField(r.Kind), "feedback.too_long", 300)
		}
		if r.Title == "" {
			r.Title = r.Ref
		}
		out = append(out, r)
	}
	if len(out) > MaxRefs {
		return nil, fault.OnField("refs", "feedback.too_many_refs", MaxRefs)
	}
	return out, nil
}

// Return sends a draft back to the unit with the approver's remarks.
func (s *Service) Return(ctx context.Context, code string, version int, note string) (*Item, error) {
	it, err := s.change(ctx, code, version, s.canApprove, Drafted)
	if err != nil {
		return nil, err
	}
	if note, err = cleanNote("note", note, true); err != nil {
		return nil, err
	}
	it.Status = Assigned
	if s.cityID(ctx) == it.SiteID {
		it.Status = Received
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.event(ctx, it, "returned", false, actorName(ctx), it.SiteID, 0, note); err != nil {
			return err
		}
		return s.save(ctx, it, "feedback.returned", nil)
	})
	return it, err
}

// Reject closes an item that is not accepted (out of scope, abusive,
// unintelligible), with the reason the citizen sees.
func (s *Service) Reject(ctx context.Context, code string, version int, reason string) (*Item, error) {
	it, err := s.change(ctx, code, version, s.canHandle, Received, Assigned, Waiting)
	if err != nil {
		return nil, err
	}
	if reason, err = cleanNote("reason", reason, true); err != nil {
		return nil, err
	}
	it.Status = Rejected
	it.Reason = reason
	it.ClosedAt = s.now().UTC().Truncate(time.Microsecond)
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.event(ctx, it, "rejected", true, actorName(ctx), it.SiteID, 0, reason); err != nil {
			return err
		}
		if err := s.notifyCitizen(ctx, it, "rejected", reason); err != nil {
			return err
		}
		return s.save(ctx, it, "feedback.rejected", map[string]any{"reason": reason})
	})
	return it, err
}

// Merge marks an item as the same as another (the main item): it is closed
// and answered with the main one; a published duplicate leaves the public
// pages, its address leading to the main item's.
func (s *Service) Merge(ctx context.Context, code string, version int, mainCode string) (*Item, error) {
	it, err := s.change(ctx, code, version, s.canHandle, Received, Assigned, Waiting, Drafted, Published)
	if err != nil {
		return nil, err
	}
	if it.Status == Published {
		if err := s.canApprove(ctx, it); err != nil {
			return nil, err
		}
	}
	main, err := s.byCode(ctx, mainCode)
	if err != nil {
		return nil, fault.OnField("main", "feedback.main_not_found")
	}
	if main.ID == it.ID || main.Status == Duplicate || main.Status == Rejected || main.Kind != it.Kind {
		return nil, fault.OnField("main", "feedback.main_invalid")
	}
	wasPublished := it.Status == Published
	it.Status = Duplicate
	it.DuplicateOf = main.ID
	it.ClosedAt = s.now().UTC().Truncate(time.Microsecond)
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.AddFeedbackLink(ctx, it.ID, main.ID, "merged", 0); err != nil {
			return err
		}
		if err := s.event(ctx, it, "merged", true, actorName(ctx), it.SiteID, 0, ""); err != nil {
			return err
		}
		if err := s.event(ctx, main, "merged_in", false, actorName(ctx), main.SiteID, 0, it.Code); err != nil {
			return err
		}
		if wasPublished {
			if err := s.unindex(ctx, it); err != nil {
				return err
			}
		}
		if err := s.notifyCitizen(ctx, it, "merged"); err != nil {
			return err
		}
		return s.save(ctx, it, "feedback.merged", map[string]any{"main": main.Code})
	})
	return it, err
}

// Note adds an internal note to the timeline (never shown to the public).
func (s *Service) Note(ctx context.Context, code string, text string) error {
	it, err := s.byCode(ctx, code)
	if err != nil {
		return err
	}
	if err := checkAny(ctx, access.HandleFeedback, it.SiteID, it.EscalatedSiteID, s.cityID(ctx)); err != nil {
		if err2 := s.canApprove(ctx, it); err2 != nil {
			return err
		}
	}
	if text, err = cleanNote("text", text, true); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.event(ctx, it, "note", false, actorName(ctx), it.SiteID, 0, text); err != nil {
			return err
		}
		return s.log.Record(ctx, "feedback.note", it.SiteID, it.Code, nil)
	})
}

package feedback

import (
	"context"
	"log/slog"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
)

// SweepResult counts what one sweep did.
type SweepResult struct {
	Reminded  int
	Escalated int
	Forgotten int
}

// Sweep reminds units of deadlines coming up, reports overdue items to the
// parent unit (and further up as they stay overdue), and erases contacts
// kept past their purpose. It works from the stored state alone, so a
// restart or a missed run loses nothing: the next sweep does what is due.
// Several nodes may sweep at once; the version check makes each change
// happen once.
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	ctx = access.With(ctx, access.System("feedback-deadlines", "system"))
	now := s.now()
	remindBy := s.Calendar.AddWorkingDays(now, s.Policy.RemindDays)
	items, err := s.store.DueFeedback(ctx, remindBy, now, 1000)
	if err != nil {
		return res, err
	}
	d, err := s.Directory(ctx)
	if err != nil {
		return res, err
	}
	for _, it := range items {
		if it.RemindedAt.IsZero() && !it.DueAt.After(remindBy) {
			err := s.store.InTx(ctx, func(ctx context.Context) error {
				it.RemindedAt = now.UTC().Truncate(time.Microsecond)
				if err := s.event(ctx, it, "reminded", false, "system", it.SiteID, 0, ""); err != nil {
					return err
				}
				if err := s.notifyStaff(ctx, it.SiteID, it, "Sắp đến hạn trả lời", "Phản ánh, câu hỏi sau sắp đến hạn trả lời."); err != nil {
					return err
				}
				return s.save(ctx, it, "feedback.reminded", nil)
			})
			if err != nil && !fault.Is(err, fault.Conflict) {
				return res, err
			}
			if err == nil {
				res.Reminded++
			}
		}
		if !now.After(it.DueAt) {
			continue
		}
		// Level n: reported n units up, after EscalateDays working days
		// overdue, one more level per further EscalateDays.
		late := s.Calendar.WorkingDaysBetween(it.DueAt, now)
		step := max(1, s.Policy.EscalateDays)
		want := 0
		if late >= step {
			want = late / step
		}
		st, ok := d.ByID(it.SiteID)
		if !ok {
			continue
		}
		chain := d.Ancestors(st.UnitID)
		var target int64
		level := 0
		for _, u := range chain {
			if level >= want {
				break
			}
			if p := d.PortalOf(u.ID); p != nil {
				target = p.ID
				level++
			}
		}
		if level <= it.EscalationLevel || target == 0 {
			continue
		}
		err := s.store.InTx(ctx, func(ctx context.Context) error {
			it.EscalationLevel, it.EscalatedSiteID = level, target
			name := s.siteName(ctx, target)
			if err := s.event(ctx, it, "escalated", true, "system", it.SiteID, target, ""); err != nil {
				return err
			}
			if err := s.notifyStaff(ctx, target, it, "Phản ánh quá hạn của đơn vị trực thuộc", "Phản ánh, câu hỏi sau đã quá hạn trả lời và được báo cáo lên đơn vị."); err != nil {
				return err
			}
			if err := s.notifyCitizen(ctx, it, "escalated", name); err != nil {
				return err
			}
			return s.save(ctx, it, "feedback.escalated", map[string]any{"to_site_id": target, "level": level, "working_days_late": late})
		})
		if err != nil && !fault.Is(err, fault.Conflict) {
			return res, err
		}
		if err == nil {
			res.Escalated++
		}
	}
	if s.Policy.KeepContactDays > 0 {
		n, err := s.store.ForgetFeedbackContacts(ctx, now.AddDate(0, 0, -s.Policy.KeepContactDays))
		if err != nil {
			return res, err
		}
		res.Forgotten = n
	}
	return res, nil
}

// RunSweeps sweeps at start and then every interval until ctx ends.
func RunSweeps(ctx context.Context, s *Service, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if res, err := s.Sweep(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Error("feedback deadlines", "err", err)
		} else if res != (SweepResult{}) {
			log.Info("feedback deadlines", "reminded", res.Reminded, "escalated", res.Escalated, "contacts_erased", res.Forgotten)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

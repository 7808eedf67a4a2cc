package content

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/jobs"
	"github.com/congvn/cong/internal/vietnamese"
)

// Job kinds of the publishing service.
const (
	JobPublish = "article.publish"
	JobExpire  = "article.expire"
)

// transition loads an item, checks perm and the expected version, runs f
// and stores the result with a revision and an audit entry.
func (s *Service) transition(ctx context.Context, id int64, version int, perm access.Permission, action string,
	f func(ctx context.Context, a *Article) error) (*Article, error) {
	var out *Article
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		a, err := s.store.Article(ctx, id)
		if err != nil {
			return err
		}
		if perm == access.DraftContent {
			err = canSubmit(ctx, a)
		} else {
			err = access.Check(ctx, perm, a.SiteID)
		}
		if err != nil {
			return err
		}
		if version != 0 && a.Version != version {
			return fault.New(fault.Conflict, "article.edited_meanwhile", a.CreatedByName)
		}
		was := a.Status
		if err := f(ctx, a); err != nil {
			return err
		}
		if err := s.store.UpdateArticle(ctx, a); err != nil {
			return err
		}
		if err := s.revise(ctx, a, action); err != nil {
			return err
		}
		out = a
		detail := map[string]any{"from": was, "to": a.Status}
		if a.Reason != "" && (a.Status == Rejected || a.Status == Unpublished) {
			detail["reason"] = a.Reason
		}
		if !a.PublishAt.IsZero() && a.Status == Approved {
			detail["publish_at"] = a.PublishAt
		}
		return s.log.Record(ctx, "article."+action, a.SiteID, target(a), detail)
	})
	return out, err
}

// canSubmit: the author submits their own item; editors submit any.
func canSubmit(ctx context.Context, a *Article) error {
	if err := access.Check(ctx, access.EditContent, a.SiteID); err == nil {
		return nil
	}
	if err := access.Check(ctx, access.DraftContent, a.SiteID); err != nil {
		return err
	}
	if a.CreatedBy != actor(ctx).UserID {
		return fault.New(fault.Forbidden, "article.not_yours")
	}
	return nil
}

// Submit sends a draft (or a rejected item, revised) for review; the
// site's editors and editors-in-chief are notified.
func (s *Service) Submit(ctx context.Context, id int64, version int) (*Article, error) {
	return s.transition(ctx, id, version, access.DraftContent, "submit", func(ctx context.Context, a *Article) error {
		if a.Status != Draft && a.Status != Rejected {
			return fault.New(fault.Conflict, "article.not_draft")
		}
		a.Status, a.Reason = Submitted, ""
		return s.notifyRoles(ctx, a, []access.Role{access.EditorInChief, access.Editor}, "notify.submitted", a.Title, actor(ctx).Name)
	})
}

// Approve approves a submitted item. With a publication time in the future
// the item waits for it (a durable job publishes it then); otherwise it is
// published at once.
func (s *Service) Approve(ctx context.Context, id int64, version int, publishAt time.Time) (*Article, error) {
	return s.transition(ctx, id, version, access.ApproveContent, "approve", func(ctx context.Context, a *Article) error {
		if a.Status != Submitted && a.Status != Draft && a.Status != Rejected && a.Status != Approved && a.Status != Unpublished {
			return fault.New(fault.Conflict, "article.not_reviewable")
		}
		if err := s.cancelJob(ctx, JobPublish, a.ID); err != nil {
			return err
		}
		now := s.now()
		if !publishAt.IsZero() && publishAt.After(now) {
			a.Status, a.PublishAt, a.Reason = Approved, publishAt, ""
			if err := s.jobs.Enqueue(ctx, &jobs.Job{Kind: JobPublish, Ref: a.ID, SiteID: a.SiteID, RunAt: publishAt}); err != nil {
				return err
			}
			return s.notifyAuthor(ctx, a, "notify.scheduled", a.Title, formatTime(publishAt))
		}
		return s.publish(ctx, a)
	})
}

// Publish publishes an approved (or unpublished) item now.
func (s *Service) Publish(ctx context.Context, id int64, version int) (*Article, error) {
	return s.transition(ctx, id, version, access.ApproveContent, "publish", func(ctx context.Context, a *Article) error {
		if a.Status != Approved && a.Status != Unpublished && a.Status != Submitted {
			return fault.New(fault.Conflict, "article.not_approved")
		}
		if err := s.cancelJob(ctx, JobPublish, a.ID); err != nil {
			return err
		}
		return s.publish(ctx, a)
	})
}

// publish makes a public: status, index, caches, expiry, the author told.
func (s *Service) publish(ctx context.Context, a *Article) error {
	now := s.now()
	if !a.ExpireAt.IsZero() && !a.ExpireAt.After(now) {
		return fault.OnField("expire_at", "article.expired_already")
	}
	a.Status, a.Reason, a.PublishAt = Published, "", time.Time{}
	if a.Published.IsZero() {
		a.Published = now
	}
	if err := s.scheduleExpiry(ctx, a); err != nil {
		return err
	}
	if err := s.index(ctx, a); err != nil {
		return err
	}
	if err := s.changed(ctx, a); err != nil {
		return err
	}
	return s.notifyAuthor(ctx, a, "notify.published", a.Title)
}

// Reject sends a submitted item back to its author with a reason.
func (s *Service) Reject(ctx context.Context, id int64, version int, reason string) (*Article, error) {
	reason, err := cleanReason(reason)
	if err != nil {
		return nil, err
	}
	return s.transition(ctx, id, version, access.ApproveContent, "reject", func(ctx context.Context, a *Article) error {
		if a.Status != Submitted && a.Status != Approved {
			return fault.New(fault.Conflict, "article.not_reviewable")
		}
		if err := s.cancelJob(ctx, JobPublish, a.ID); err != nil {
			return err
		}
		a.Status, a.Reason, a.PublishAt = Rejected, reason, time.Time{}
		return s.notifyAuthor(ctx, a, "notify.rejected", a.Title, reason)
	})
}

// Unpublish takes a published item down with a reason: its URL then says
// it was withdrawn and why, instead of a bare 404.
func (s *Service) Unpublish(ctx context.Context, id int64, version int, reason string) (*Article, error) {
	reason, err := cleanReason(reason)
	if err != nil {
		return nil, err
	}
	return s.transition(ctx, id, version, access.ApproveContent, "unpublish", func(ctx context.Context, a *Article) error {
		if a.Status != Published {
			return fault.New(fault.Conflict, "article.not_published")
		}
		return s.takeDown(ctx, a, reason)
	})
}

func (s *Service) takeDown(ctx context.Context, a *Article, reason string) error {
	a.Status, a.Reason = Unpublished, reason
	if err := s.cancelJob(ctx, JobExpire, a.ID); err != nil {
		return err
	}
	if err := s.unindex(ctx, a); err != nil {
		return err
	}
	return s.changed(ctx, a)
}

func cleanReason(r string) (string, error) {
	r = vietnamese.Clean(r)
	if r == "" {
		return "", fault.OnField("reason", "article.reason_required")
	}
	if utf8.RuneCountInString(r) > MaxReason {
		return "", fault.OnField("reason", "article.reason_too_long", MaxReason)
	}
	return r, nil
}

// scheduleExpiry keeps the expiry job in step with a.ExpireAt.
func (s *Service) scheduleExpiry(ctx context.Context, a *Article) error {
	if s.jobs == nil {
		return nil
	}
	if err := s.cancelJob(ctx, JobExpire, a.ID); err != nil {
		return err
	}
	if a.ExpireAt.IsZero() || a.Status != Published && a.Status != Approved {
		return nil
	}
	return s.jobs.Enqueue(ctx, &jobs.Job{Kind: JobExpire, Ref: a.ID, SiteID: a.SiteID, RunAt: a.ExpireAt})
}

func (s *Service) cancelJob(ctx context.Context, kind string, id int64) error {
	if s.jobs == nil {
		return nil
	}
	return s.jobs.Cancel(ctx, kind, id)
}

func (s *Service) cancelJobs(ctx context.Context, id int64) error {
	if err := s.cancelJob(ctx, JobPublish, id); err != nil {
		return err
	}
	return s.cancelJob(ctx, JobExpire, id)
}

// runPublishJob publishes an approved item at its time. When it runs late
// (the server was down), the item is still published, and the delay is
// recorded in the audit log and told to the site's editors-in-chief: a
// missed schedule is never silent.
func (s *Service) runPublishJob(ctx context.Context, j *jobs.Job) error {
	a, err := s.store.Article(ctx, j.Ref)
	if err != nil {
		return err
	}
	if a.Status != Approved {
		return nil // withdrawn or published by hand meanwhile
	}
	was := a.PublishAt
	if err := s.publish(ctx, a); err != nil {
		return err
	}
	if err := s.store.UpdateArticle(ctx, a); err != nil {
		return err
	}
	if err := s.revise(ctx, a, "publish"); err != nil {
		return err
	}
	detail := map[string]any{"from": Approved, "to": Published, "scheduled": was}
	if j.Late() {
		detail["late_seconds"] = j.LateSeconds
		if err := s.notifyRoles(ctx, a, []access.Role{access.EditorInChief}, "notify.schedule_missed", a.Title, formatTime(was), lateText(j.LateSeconds)); err != nil {
			return err
		}
		if err := s.log.Record(ctx, "article.schedule_missed", a.SiteID, target(a), detail); err != nil {
			return err
		}
	}
	return s.log.Record(ctx, "article.publish", a.SiteID, target(a), detail)
}

// runExpireJob takes an item down when its time is up.
func (s *Service) runExpireJob(ctx context.Context, j *jobs.Job) error {
	a, err := s.store.Article(ctx, j.Ref)
	if err != nil {
		return err
	}
	if a.Status != Published || a.ExpireAt.IsZero() || a.ExpireAt.After(s.now()) {
		return nil
	}
	if err := s.takeDown(ctx, a, "expired"); err != nil {
		return err
	}
	if err := s.store.UpdateArticle(ctx, a); err != nil {
		return err
	}
	if err := s.revise(ctx, a, "expire"); err != nil {
		return err
	}
	detail := map[string]any{"expire_at": a.ExpireAt}
	if j.Late() {
		detail["late_seconds"] = j.LateSeconds
	}
	return s.log.Record(ctx, "article.expire", a.SiteID, target(a), detail)
}

func lateText(sec int) string {
	return (time.Duration(sec) * time.Second).String()
}

// formatTime writes a time in Vietnam's time zone for messages.
func formatTime(t time.Time) string {
	return t.In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006 15:04")
}

// revise records a revision of a as it is now.
func (s *Service) revise(ctx context.Context, a *Article, note string) error {
	ac := actor(ctx)
	r := &Revision{
		ArticleID: a.ID, Version: a.Version, Title: a.Title, Summary: a.Summary, Body: a.Body,
		Fields: RevisionFields{CategoryID: a.CategoryID, CoverID: a.CoverID, Author: a.Author, Source: a.Source,
			Tags: a.Tags, Slug: a.Slug, Template: a.Template, MediaIDs: a.MediaIDs, ExpireAt: a.ExpireAt, Status: a.Status},
		AuthorID: ac.UserID, AuthorName: ac.Name, Note: note, Created: s.now(),
	}
	return s.store.AddRevision(ctx, r)
}

// notifyAuthor tells the item's author about a decision.
func (s *Service) notifyAuthor(ctx context.Context, a *Article, key string, args ...string) error {
	if a.CreatedBy == 0 || a.CreatedBy == actor(ctx).UserID {
		return nil
	}
	rs, err := s.store.Recipients(ctx, a.SiteID, nil)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if r.UserID == a.CreatedBy {
			return s.notify(ctx, []Recipient{r}, a, key, args...)
		}
	}
	return nil
}

// notifyRoles tells the holders of roles on the item's site.
func (s *Service) notifyRoles(ctx context.Context, a *Article, roles []access.Role, key string, args ...string) error {
	rs, err := s.store.Recipients(ctx, a.SiteID, roles)
	if err != nil {
		return err
	}
	return s.notify(ctx, rs, a, key, args...)
}

func (s *Service) notify(ctx context.Context, rs []Recipient, a *Article, key string, args ...string) error {
	me := actor(ctx).UserID
	link := s.staffLink(a)
	seen := map[int64]bool{}
	for _, r := range rs {
		if r.UserID == me || seen[r.UserID] {
			continue
		}
		seen[r.UserID] = true
		n := &Notification{UserID: r.UserID, SiteID: a.SiteID, ArticleID: a.ID, Key: key, Args: args, Link: link, Created: s.now()}
		if err := s.store.AddNotification(ctx, n); err != nil {
			return err
		}
		if s.Mail != nil && r.Email != "" {
			subject, body := mailText(key, args, link)
			if err := s.Mail.QueueMail(ctx, r.Email, subject, body); err != nil {
				return err
			}
		}
	}
	return nil
}

// Notifications returns the signed-in user's latest notifications and how
// many are unread.
func (s *Service) Notifications(ctx context.Context, limit int) ([]*Notification, int, error) {
	a := actor(ctx)
	if a == nil || a.UserID == 0 {
		return nil, 0, nil
	}
	return s.store.Notifications(ctx, a.UserID, limit)
}

// MarkNotificationsRead marks all of the user's notifications read.
func (s *Service) MarkNotificationsRead(ctx context.Context) error {
	a := actor(ctx)
	if a == nil || a.UserID == 0 {
		return fault.New(fault.Unauthorized, "access.sign_in")
	}
	return s.store.MarkNotificationsRead(ctx, a.UserID, s.now())
}

// mailTexts are the e-mails' words; the staff interface shows the same
// events from the catalogs.
var mailTexts = map[string][2]string{
	"notify.submitted":        {"Bài chờ duyệt: %s", "Bài \"%s\" do %s gửi đang chờ biên tập và duyệt."},
	"notify.rejected":         {"Bài bị trả lại: %s", "Bài \"%s\" đã bị trả lại. Lý do: %s"},
	"notify.published":        {"Bài đã đăng: %s", "Bài \"%s\" đã được xuất bản."},
	"notify.scheduled":        {"Bài đã duyệt, hẹn giờ đăng: %s", "Bài \"%s\" đã được duyệt và sẽ đăng lúc %s."},
	"notify.schedule_missed":  {"Lịch đăng bị trễ: %s", "Bài \"%s\" hẹn đăng lúc %s đã đăng trễ %s."},
	"notify.proposed":         {"Bài được đề xuất: %s", "Bài \"%s\" của %s được đề xuất đăng trên cổng của đơn vị."},
	"notify.proposal_decided": {"Kết quả đề xuất: %s", "Đề xuất đăng bài \"%s\" đã được xử lý: %s."},
}

// staffLink is the address of the item in the staff interface, absolute
// when Link is set (e-mails are read outside the site), else the staff
// notifications page.
func (s *Service) staffLink(a *Article) string {
	if s.Link == nil {
		return "/quan-tri/thong-bao"
	}
	return s.Link(a.SiteID, "/noi-dung/"+strconv.FormatInt(a.ID, 10))
}

func mailText(key string, args []string, link string) (string, string) {
	t, ok := mailTexts[key]
	if !ok {
		return key, strings.Join(args, "\n")
	}
	a := make([]any, len(args))
	for i, v := range args {
		a[i] = v
	}
	subject := sprintfSafe(t[0], a[:min(1, len(a))]...)
	body := sprintfSafe(t[1], a...) + "\n\nXem trong trang quản trị: " + link + "\n"
	return subject, body
}

// sprintfSafe formats with exactly the arguments the pattern wants.
func sprintfSafe(pattern string, args ...any) string {
	n := strings.Count(pattern, "%s")
	for len(args) < n {
		args = append(args, "")
	}
	return fmt.Sprintf(pattern, args[:n]...)
}

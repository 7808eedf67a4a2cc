package feedback

import (
	"context"

	"github.com/congvn/cong/internal/calendar"

	"fmt"
	"strings"
	"time"
)

// Mail is a message waiting in the outbox. It is written in the same
// transaction as the change it tells about, and sent by the mail loop
// (internal/mail) with retries: a crash loses no notice, and a failed SMTP
// server delays them only.
type Mail struct {
	ID        int64
	To        string
	Subject   string
	Body      string
	ItemID    int64
	CreatedAt time.Time
	Attempts  int
	NextAt    time.Time
	SentAt    time.Time
	LastError string
}

// statusNotice says in a sentence what happened, for the citizen's e-mail.
var statusNotice = map[string]string{
	"received":       "Phản ánh, câu hỏi của Ông/Bà đã được tiếp nhận.",
	"assigned":       "Phản ánh, câu hỏi của Ông/Bà đã được chuyển đến đơn vị có thẩm quyền xử lý: %s.",
	"info_requested": "Đơn vị xử lý đề nghị Ông/Bà bổ sung thông tin. Thời hạn xử lý tạm dừng cho đến khi Ông/Bà bổ sung.",
	"answered":       "Phản ánh, câu hỏi của Ông/Bà đã được trả lời.",
	"rejected":       "Phản ánh, câu hỏi của Ông/Bà không được thụ lý. Lý do: %s",
	"merged":         "Phản ánh, câu hỏi của Ông/Bà có cùng nội dung với một phản ánh khác và được gộp để trả lời chung.",
	"escalated":      "Phản ánh, câu hỏi của Ông/Bà đã quá hạn xử lý và đã được báo cáo lên %s.",
	"confirm":        "Để xác nhận phản ánh, câu hỏi này là của Ông/Bà, vui lòng mở đường dẫn dưới đây và bấm «Xác nhận».",
}

// notifyCitizen queues an e-mail to the submitter when mail is on and they
// asked for updates (the confirmation e-mail goes to anyone who gave an
// e-mail address and has not passed the proof of work).
func (s *Service) notifyCitizen(ctx context.Context, it *Item, what string, args ...any) error {
	if !s.Mail || it.Contact.Email == "" {
		return nil
	}
	if what != "confirm" && !it.Consent.Notify {
		return nil
	}
	notice, ok := statusNotice[what]
	if !ok {
		return nil
	}
	if len(args) > 0 {
		notice = fmt.Sprintf(notice, args...)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Kính gửi Ông/Bà %s,\n\n%s\n\n", it.Contact.Name, notice)
	fmt.Fprintf(&b, "Mã tra cứu: %s\nTiêu đề: %s\n", it.Code, it.Title)
	if !it.DueAt.IsZero() && it.Status.Open() {
		fmt.Fprintf(&b, "Hạn trả lời: %s\n", it.DueAt.In(calendar.Zone).Format("02/01/2006"))
	}
	if s.Link != nil {
		path := "/tra-cuu?ma=" + it.Code
		if what == "confirm" && it.ConfirmToken != "" {
			path += "&xac-nhan=" + it.ConfirmToken
		}
		fmt.Fprintf(&b, "\nTheo dõi: %s\n", s.Link(it.OriginSiteID, path))
	}
	b.WriteString("\nThư này được gửi tự động; vui lòng không trả lời thư. Ông/Bà có thể ngừng nhận thư trên trang tra cứu.\n")
	subject := fmt.Sprintf("[%s] %s", it.Code, strings.TrimSuffix(strings.SplitN(notice, ".", 2)[0], "."))
	return s.store.EnqueueMail(ctx, &Mail{To: it.Contact.Email, Subject: subject, Body: b.String(), ItemID: it.ID,
		CreatedAt: s.now().UTC(), NextAt: s.now().UTC()})
}

// notifyStaff queues an e-mail to the feedback officers of a site.
func (s *Service) notifyStaff(ctx context.Context, siteID int64, it *Item, subject, text string) error {
	if !s.Mail {
		return nil
	}
	to, err := s.store.StaffEmails(ctx, siteID, []string{"feedback_officer"})
	if err != nil || len(to) == 0 {
		return err
	}
	body := fmt.Sprintf("%s\n\nMã: %s\nTiêu đề: %s\nHạn trả lời: %s\n", text, it.Code, it.Title, it.DueAt.In(calendar.Zone).Format("02/01/2006"))
	for _, addr := range to {
		if err := s.store.EnqueueMail(ctx, &Mail{To: addr, Subject: "[" + it.Code + "] " + subject, Body: body, ItemID: it.ID,
			CreatedAt: s.now().UTC(), NextAt: s.now().UTC()}); err != nil {
			return err
		}
	}
	return nil
}

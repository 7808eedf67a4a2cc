package content

import (
	"context"
	"encoding/json"

	"github.com/congvn/cong/internal/jobs"
)

// JobMail sends one notification e-mail.
const JobMail = "mail.send"

// MailSender delivers one message (internal/mail's Sender).
type MailSender interface {
	Send(ctx context.Context, to, subject, body string) error
}

// MailJobs queues the workflow's e-mail as durable jobs, in the transaction
// of the change they tell about, and sends them from the job runner: a
// restart or an unreachable server delays a message, never loses it.
type MailJobs struct {
	jobs   *jobs.Queue
	sender MailSender
}

// NewMailJobs registers the sending job on q.
func NewMailJobs(q *jobs.Queue, s MailSender) *MailJobs {
	m := &MailJobs{jobs: q, sender: s}
	q.Handle(JobMail, m.run)
	return m
}

type queuedMail struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// QueueMail queues a message in the transaction in ctx.
func (m *MailJobs) QueueMail(ctx context.Context, to, subject, body string) error {
	b, err := json.Marshal(queuedMail{to, subject, body})
	if err != nil {
		return err
	}
	return m.jobs.Enqueue(ctx, &jobs.Job{Kind: JobMail, Payload: string(b)})
}

func (m *MailJobs) run(ctx context.Context, j *jobs.Job) error {
	var q queuedMail
	if err := json.Unmarshal([]byte(j.Payload), &q); err != nil {
		return err
	}
	return m.sender.Send(ctx, q.To, q.Subject, q.Body)
}

// Package mail sends the portal's e-mail (workflow notifications) over
// SMTP, configured by one URL (--smtp, CONG_SMTP):
//
//	smtp://user:password@mail.example.vn:587?from=congthongtin@hanoi.gov.vn
//	smtps://user:password@mail.example.vn:465?from=…   (TLS from the start)
//
// With smtp:// the connection is upgraded with STARTTLS when the server
// offers it; credentials are only sent over TLS (or to localhost). Mail is
// queued as durable jobs, so a restart or an unreachable server loses none.
package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"github.com/congvn/cong/internal/jobs"
)

// Sender sends messages to one SMTP server.
type Sender struct {
	host     string // host:port
	name     string // host name, for TLS and EHLO
	implicit bool   // smtps://
	user     string
	pass     string
	from     string
	Timeout  time.Duration
	// TLS, when set, replaces the default TLS configuration (tests).
	TLS *tls.Config
}

// Parse reads an SMTP URL.
func Parse(raw string) (*Sender, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	s := &Sender{name: u.Hostname(), Timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		s.host = net.JoinHostPort(u.Hostname(), portOr(u.Port(), "587"))
	case "smtps":
		s.host, s.implicit = net.JoinHostPort(u.Hostname(), portOr(u.Port(), "465")), true
	default:
		return nil, errors.New("mail: the SMTP URL must start with smtp:// or smtps://")
	}
	if u.Hostname() == "" {
		return nil, errors.New("mail: the SMTP URL names no host")
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	s.from = u.Query().Get("from")
	if s.from == "" {
		return nil, errors.New("mail: the SMTP URL needs ?from=address")
	}
	if _, err := mail.ParseAddress(s.from); err != nil {
		return nil, fmt.Errorf("mail: from address: %w", err)
	}
	return s, nil
}

func portOr(p, def string) string {
	if p == "" {
		return def
	}
	return p
}

// Message builds the RFC 5322 text of a plain-text UTF-8 message.
func Message(from, to, subject, body string, now time.Time) []byte {
	var b strings.Builder
	var id [12]byte
	rand.Read(id[:])
	domain := "cong.local"
	if at := strings.LastIndexByte(from, '@'); at >= 0 {
		domain = from[at+1:]
	}
	clean := func(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n",
		clean(from), clean(to), mime.QEncoding.Encode("utf-8", clean(subject)), now.Format(time.RFC1123Z), hex.EncodeToString(id[:]), domain)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	w := quotedprintable.NewWriter(&stringWriter{&b})
	w.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")))
	w.Close()
	return []byte(b.String())
}

type stringWriter struct{ b *strings.Builder }

func (w *stringWriter) Write(p []byte) (int, error) { return w.b.Write(p) }

// Send delivers one message.
func (s *Sender) Send(ctx context.Context, to, subject, body string) error {
	if _, err := mail.ParseAddress(to); err != nil {
		return fmt.Errorf("mail: recipient: %w", err)
	}
	d := net.Dialer{Timeout: s.Timeout}
	var conn net.Conn
	var err error
	tlsCfg := s.TLS
	if tlsCfg == nil {
		tlsCfg = &tls.Config{ServerName: s.name, MinVersion: tls.VersionTLS12}
	}
	if s.implicit {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: tlsCfg}).DialContext(ctx, "tcp", s.host)
	} else {
		conn, err = d.DialContext(ctx, "tcp", s.host)
	}
	if err != nil {
		return fmt.Errorf("mail: connect %s: %w", s.host, err)
	}
	deadline := time.Now().Add(s.Timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, s.name)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: %w", err)
	}
	defer c.Close()
	if err := c.Hello("cong"); err != nil {
		return fmt.Errorf("mail: EHLO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok && !s.implicit {
		if err := c.StartTLS(tlsCfg); err != nil {
			return fmt.Errorf("mail: STARTTLS: %w", err)
		}
	}
	if s.user != "" {
		// net/smtp refuses PLAIN over an unencrypted link except to
		// localhost.
		if err := c.Auth(smtp.PlainAuth("", s.user, s.pass, s.name)); err != nil {
			return fmt.Errorf("mail: AUTH: %w", err)
		}
	}
	if err := c.Mail(s.from); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("mail: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(Message(s.from, to, subject, body, time.Now())); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	return c.Quit()
}

// JobSend is the job kind of a queued message.
const JobSend = "mail.send"

// Queue queues messages as durable jobs and sends them from the job runner.
type Queue struct {
	jobs   *jobs.Queue
	sender *Sender
}

// NewQueue registers the sending job on q.
func NewQueue(q *jobs.Queue, s *Sender) *Queue {
	mq := &Queue{jobs: q, sender: s}
	q.Handle(JobSend, mq.run)
	return mq
}

type queued struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// QueueMail queues a message in the transaction in ctx.
func (q *Queue) QueueMail(ctx context.Context, to, subject, body string) error {
	b, err := json.Marshal(queued{to, subject, body})
	if err != nil {
		return err
	}
	return q.jobs.Enqueue(ctx, &jobs.Job{Kind: JobSend, Payload: string(b)})
}

func (q *Queue) run(ctx context.Context, j *jobs.Job) error {
	var m queued
	if err := json.Unmarshal([]byte(j.Payload), &m); err != nil {
		return err
	}
	return q.sender.Send(ctx, m.To, m.Subject, m.Body)
}

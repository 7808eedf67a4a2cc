// Package mail sends the e-mail outbox through an SMTP server (net/smtp):
// updates to citizens who asked for them, confirmation links, reminders to
// staff. Messages are queued in the database in the same transaction as the
// change they tell about; the sender delivers them with retries, so a crash
// or an unreachable server delays a notice but never loses it.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"github.com/congvn/cong/internal/feedback"
)

// Config says which SMTP server to use.
type Config struct {
	Host     string
	Port     string
	From     string
	Username string
	Password string
	// ImplicitTLS connects with TLS from the start (smtps://, port 465);
	// otherwise STARTTLS is used whenever the server offers it.
	ImplicitTLS bool
}

// Parse reads an SMTP URL: smtp://[user:password@]host[:port]?from=ADDRESS
// (port 25 by default; STARTTLS when offered) or smtps://… (implicit TLS,
// port 465).
func Parse(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return Config{}, fmt.Errorf("mail: %q is not smtp://[user:password@]host[:port]?from=ADDRESS", raw)
	}
	c := Config{Host: u.Hostname(), Port: u.Port(), From: u.Query().Get("from"), ImplicitTLS: u.Scheme == "smtps"}
	if c.Port == "" {
		c.Port = "25"
		if c.ImplicitTLS {
			c.Port = "465"
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if c.From == "" {
		c.From = "no-reply@" + c.Host
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return Config{}, fmt.Errorf("mail: from address %q: %w", c.From, err)
	}
	return c, nil
}

// Sender delivers messages.
type Sender struct {
	cfg Config
	log *slog.Logger
	now func() time.Time
}

// New returns a sender for cfg.
func New(cfg Config, log *slog.Logger) *Sender {
	if log == nil {
		log = slog.Default()
	}
	return &Sender{cfg: cfg, log: log, now: time.Now}
}

// clean keeps a header value on one line.
func clean(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

// Message returns the RFC 5322 text of a plain-text message in UTF-8.
func (s *Sender) Message(to, subject, body string, at time.Time) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", clean(s.cfg.From))
	fmt.Fprintf(&b, "To: %s\r\n", clean(to))
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", clean(subject)))
	fmt.Fprintf(&b, "Date: %s\r\n", at.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%d.%s>\r\n", at.UnixNano(), clean(s.cfg.Host))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	qp.Close()
	return b.Bytes()
}

// Send delivers one message.
func (s *Sender) Send(ctx context.Context, to, subject, body string) error {
	if _, err := mail.ParseAddress(to); err != nil || strings.ContainsAny(to, "\r\n") {
		return fmt.Errorf("mail: bad recipient %q", to)
	}
	addr := net.JoinHostPort(s.cfg.Host, s.cfg.Port)
	d := net.Dialer{Timeout: 15 * time.Second}
	var conn net.Conn
	var err error
	if s.cfg.ImplicitTLS {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: &tls.Config{ServerName: s.cfg.Host}}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("mail: connect %s: %w", addr, err)
	}
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: %w", err)
	}
	defer c.Close()
	if err := c.Hello("cong"); err != nil {
		return fmt.Errorf("mail: HELO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok && !s.cfg.ImplicitTLS {
		if err := c.StartTLS(&tls.Config{ServerName: s.cfg.Host}); err != nil {
			return fmt.Errorf("mail: STARTTLS: %w", err)
		}
	}
	if s.cfg.Username != "" {
		// net/smtp refuses PLAIN over an unencrypted connection except to
		// localhost, which is what we want.
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return fmt.Errorf("mail: AUTH: %w", err)
		}
	}
	from, _ := mail.ParseAddress(s.cfg.From)
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("mail: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(s.Message(to, subject, body, s.now())); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: end of DATA: %w", err)
	}
	return c.Quit()
}

// Outbox is where messages wait.
type Outbox interface {
	PendingMail(ctx context.Context, now time.Time, limit int) ([]*feedback.Mail, error)
	// ClaimMail moves a message's next attempt to until when it is still
	// due at next, so that of several nodes only one sends it.
	ClaimMail(ctx context.Context, id int64, next, until time.Time) (bool, error)
	MailSent(ctx context.Context, id int64, at time.Time) error
	MailFailed(ctx context.Context, id int64, next time.Time, msg string) error
}

// Flush sends every message due now, once each; failures are retried
// later, after 1, 2, 4… minutes (at most 6 hours apart).
func (s *Sender) Flush(ctx context.Context, box Outbox) (sent int, err error) {
	for {
		now := s.now()
		ms, err := box.PendingMail(ctx, now, 50)
		if err != nil || len(ms) == 0 {
			return sent, err
		}
		progress := false
		for _, m := range ms {
			ok, err := box.ClaimMail(ctx, m.ID, m.NextAt, now.Add(10*time.Minute))
			if err != nil {
				return sent, err
			}
			if !ok {
				continue
			}
			progress = true
			if err := s.Send(ctx, m.To, m.Subject, m.Body); err != nil {
				wait := min(time.Minute<<min(m.Attempts, 9), 6*time.Hour)
				s.log.Warn("mail not sent", "id", m.ID, "attempt", m.Attempts+1, "err", err)
				if ferr := box.MailFailed(ctx, m.ID, now.Add(wait), err.Error()); ferr != nil {
					return sent, ferr
				}
				continue
			}
			if err := box.MailSent(ctx, m.ID, s.now()); err != nil {
				return sent, err
			}
			sent++
		}
		if !progress {
			return sent, nil
		}
	}
}

// Run flushes the outbox every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, box Outbox, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.Flush(ctx, box); err != nil && !errors.Is(err, context.Canceled) {
			s.log.Error("mail outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

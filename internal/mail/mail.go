// Package mail sends the portal's e-mail over SMTP, configured by one URL
// (--smtp, CONG_SMTP):
//
//	smtp://user:password@mail.example.vn:587?from=congthongtin@hanoi.gov.vn
//	smtps://user:password@mail.example.vn:465?from=…   (TLS from the start)
//
// With smtp:// the connection is upgraded with STARTTLS when the server
// offers it; credentials are only sent over TLS (or to localhost). Callers
// queue messages durably (publishing through its job queue) and send them
// with Send. (The exported API is the one the feedback part's mail package
// has, so the two reconcile at merge.)
package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
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
	if err != nil || u.Hostname() == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
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
	// TLS, when set, replaces the default TLS configuration (tests).
	TLS *tls.Config
}

// New returns a sender for cfg.
func New(cfg Config, log *slog.Logger) *Sender {
	if log == nil {
		log = slog.Default()
	}
	return &Sender{cfg: cfg, log: log, now: time.Now}
}

// clean keeps a header value on one line.
func clean(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }

// Message returns the RFC 5322 text of a plain-text message in UTF-8.
func (s *Sender) Message(to, subject, body string, at time.Time) []byte {
	var b strings.Builder
	var id [12]byte
	rand.Read(id[:])
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n",
		clean(s.cfg.From), clean(to), mime.QEncoding.Encode("utf-8", clean(subject)), at.Format(time.RFC1123Z), hex.EncodeToString(id[:]), clean(s.cfg.Host))
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
	if _, err := mail.ParseAddress(to); err != nil || strings.ContainsAny(to, "\r\n") {
		return fmt.Errorf("mail: bad recipient %q", to)
	}
	addr := net.JoinHostPort(s.cfg.Host, s.cfg.Port)
	d := net.Dialer{Timeout: 15 * time.Second}
	tlsCfg := s.TLS
	if tlsCfg == nil {
		tlsCfg = &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
	}
	var conn net.Conn
	var err error
	if s.cfg.ImplicitTLS {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: tlsCfg}).DialContext(ctx, "tcp", addr)
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
		return fmt.Errorf("mail: EHLO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok && !s.cfg.ImplicitTLS {
		if err := c.StartTLS(tlsCfg); err != nil {
			return fmt.Errorf("mail: STARTTLS: %w", err)
		}
	}
	if s.cfg.Username != "" {
		// net/smtp refuses PLAIN over an unencrypted link except to
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

package mail_test

import (
	"bufio"
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	mailer "github.com/congvn/cong/internal/mail"
)

// smtpServer is a small real SMTP server on a loopback port: it speaks the
// protocol over net/textproto and keeps what it receives.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []received
}

type received struct {
	from string
	to   []string
	data string
}

func startSMTP(t *testing.T) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 localhost ESMTP test")
	var m received
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.Fields(line + " x")[0])
		switch cmd {
		case "EHLO":
			tp.PrintfLine("250-localhost")
			tp.PrintfLine("250 8BITMIME")
		case "HELO":
			tp.PrintfLine("250 localhost")
		case "MAIL":
			m = received{from: between(line, "<", ">")}
			tp.PrintfLine("250 OK")
		case "RCPT":
			m.to = append(m.to, between(line, "<", ">"))
			tp.PrintfLine("250 OK")
		case "DATA":
			tp.PrintfLine("354 go ahead")
			b, err := io.ReadAll(tp.DotReader())
			if err != nil {
				return
			}
			m.data = string(b)
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			tp.PrintfLine("250 queued")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("502 not implemented")
		}
	}
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

// decode reads a received message's subject and body as text.
func decode(t *testing.T, data string) (string, string) {
	t.Helper()
	msg, err := mail.ReadMessage(bufio.NewReader(strings.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	return subject, string(body)
}

func TestSendToARealSMTPServer(t *testing.T) {
	srv := startSMTP(t)
	cfg, err := mailer.Parse("smtp://" + srv.ln.Addr().String() + "?from=congthongtin@hanoi.gov.vn")
	if err != nil {
		t.Fatal(err)
	}
	s := mailer.New(cfg, nil)
	long := strings.Repeat("Nội dung rất dài có dấu tiếng Việt. ", 20)
	if err := s.Send(context.Background(), "tongbientap@hanoi.gov.vn", "Bài chờ duyệt: “Hội nghị”\r\nBcc: x@evil.example", long+"\n.\nDòng cuối"); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 1 || got[0].from != "congthongtin@hanoi.gov.vn" || got[0].to[0] != "tongbientap@hanoi.gov.vn" {
		t.Fatalf("received %+v", got)
	}
	subject, body := decode(t, got[0].data)
	if subject != "Bài chờ duyệt: “Hội nghị”  Bcc: x@evil.example" || strings.Contains(got[0].data, "\nBcc:") {
		t.Errorf("subject %q (header injection must be flattened)", subject)
	}
	if !strings.Contains(body, long) || !strings.Contains(body, "\n.\nDòng cuối") {
		t.Errorf("body %q", body)
	}
	if c, err := mailer.Parse("smtps://u:p@mail.hanoi.gov.vn"); err != nil || c.Port != "465" || !c.ImplicitTLS || c.From != "no-reply@mail.hanoi.gov.vn" || c.Password != "p" {
		t.Errorf("smtps defaults: %+v %v", c, err)
	}
	for _, bad := range []string{"http://x", "smtp://:25?from=a@b.vn", "smtp://host?from=not-an-address"} {
		if _, err := mailer.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func between(s, a, b string) string {
	_, rest, _ := strings.Cut(s, a)
	v, _, _ := strings.Cut(rest, b)
	return v
}

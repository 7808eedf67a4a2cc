package mail_test

import (
	"bufio"
	"context"
	"io"
	"mime/quotedprintable"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/feedback"
	"github.com/congvn/cong/internal/mail"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

// smtpServer is a small SMTP server (RFC 5321, no extensions) that keeps
// what it receives; failFirst makes it refuse the first n messages with a
// temporary error.
type smtpServer struct {
	ln        net.Listener
	mu        sync.Mutex
	messages  []string
	rcpts     []string
	failFirst int
}

func startSMTP(t *testing.T, failFirst int) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, failFirst: failFirst}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 test ESMTP")
	var rcpt string
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch cmd {
		case "EHLO", "HELO":
			tp.PrintfLine("250 test")
		case "MAIL":
			tp.PrintfLine("250 ok")
		case "RCPT":
			rcpt = strings.TrimSuffix(strings.TrimPrefix(line[len("RCPT TO:"):], "<"), ">")
			tp.PrintfLine("250 ok")
		case "DATA":
			s.mu.Lock()
			fail := s.failFirst > 0
			if fail {
				s.failFirst--
			}
			s.mu.Unlock()
			if fail {
				tp.PrintfLine("451 try again later")
				continue
			}
			tp.PrintfLine("354 go ahead")
			b, err := io.ReadAll(tp.DotReader())
			if err != nil {
				return
			}
			s.mu.Lock()
			s.messages = append(s.messages, string(b))
			s.rcpts = append(s.rcpts, rcpt)
			s.mu.Unlock()
			tp.PrintfLine("250 queued")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		case "RSET", "NOOP":
			tp.PrintfLine("250 ok")
		default:
			tp.PrintfLine("502 not implemented")
		}
	}
}

func (s *smtpServer) got() ([]string, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.messages...), append([]string(nil), s.rcpts...)
}

func decode(msg string) string {
	_, body, _ := strings.Cut(strings.ReplaceAll(msg, "\r\n", "\n"), "\n\n")
	b, _ := io.ReadAll(quotedprintable.NewReader(bufio.NewReader(strings.NewReader(body))))
	return string(b)
}

func TestSendThroughSMTP(t *testing.T) {
	srv := startSMTP(t, 0)
	host, port, _ := net.SplitHostPort(srv.ln.Addr().String())
	cfg, err := mail.Parse("smtp://" + host + ":" + port + "?from=Cong%20Ha%20Noi%20%3Cno-reply@hanoi.gov.vn%3E")
	if err != nil {
		t.Fatal(err)
	}
	s := mail.New(cfg, nil)
	if err := s.Send(context.Background(), "dan@example.vn", "[PA-1] Đã tiếp nhận\r\nBcc: x@evil", "Kính gửi Ông/Bà,\nNội dung có dấu tiếng Việt."); err != nil {
		t.Fatal(err)
	}
	msgs, rcpts := srv.got()
	if len(msgs) != 1 || rcpts[0] != "dan@example.vn" {
		t.Fatalf("got %d messages to %v", len(msgs), rcpts)
	}
	if strings.Contains(msgs[0], "\nBcc:") {
		t.Error("a header was injected through the subject")
	}
	if !strings.Contains(decode(msgs[0]), "Nội dung có dấu tiếng Việt.") {
		t.Errorf("body not intact: %q", msgs[0])
	}
	if err := s.Send(context.Background(), "a@b.vn\r\nRCPT TO:<x@evil>", "x", "y"); err == nil {
		t.Error("a recipient with a line break was accepted")
	}
}

// The outbox is filled by the feedback service in the same transaction as
// the change, and drained by the sender, with a retry after a temporary
// failure.
func TestOutboxDelivery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := startSMTP(t, 1)
		host, port, _ := net.SplitHostPort(srv.ln.Addr().String())
		cfg, _ := mail.Parse("smtp://" + host + ":" + port + "?from=no-reply@hanoi.gov.vn")
		sender := mail.New(cfg, nil)

		log := auditlog.New(db)
		sites := site.NewService(db, log)
		sys := access.With(context.Background(), access.System("test", "cli"))
		city := &site.Unit{Code: "01", Name: "Thành phố Hà Nội", Kind: site.City}
		if err := sites.CreateUnit(sys, city); err != nil {
			t.Fatal(err)
		}
		if err := sites.CreateSite(sys, &site.Site{Code: "hanoi", UnitID: city.ID, Kind: site.Portal, Name: city.Name, Langs: []string{"vi"}, Hosts: []string{"hanoi.localhost"}}); err != nil {
			t.Fatal(err)
		}
		svc := feedback.NewService(db, log, sites)
		svc.Mail = true
		svc.Link = func(_ int64, p string) string { return "http://hanoi.localhost" + p }
		it, err := svc.Submit(context.Background(), feedback.Submission{Kind: feedback.Question, Category: "thu-tuc", Title: "Hỏi về thủ tục",
			Body: "Xin hỏi thủ tục đăng ký thường trú.", Name: "Đỗ Minh", Email: "minh@example.vn", Consent: true, Notify: true})
		if err != nil {
			t.Fatal(err)
		}
		// Not verified by proof of work: a confirmation link goes too.
		n, err := sender.Flush(context.Background(), db)
		if err != nil || n != 1 {
			t.Fatalf("first flush: sent %d, %v (one refused with 451)", n, err)
		}
		pending, _ := db.PendingMail(context.Background(), time.Now().Add(time.Hour), 10)
		if len(pending) != 1 {
			t.Fatalf("%d messages waiting for a retry, want 1", len(pending))
		}
		if err := db.MailFailed(context.Background(), pending[0].ID, time.Now().Add(-time.Second), "test: due now"); err != nil {
			t.Fatal(err)
		}
		if n, err := sender.Flush(context.Background(), db); err != nil || n != 1 {
			t.Fatalf("retry: sent %d, %v", n, err)
		}
		msgs, rcpts := srv.got()
		if len(msgs) != 2 || rcpts[0] != "minh@example.vn" {
			t.Fatalf("delivered %d to %v", len(msgs), rcpts)
		}
		all := decode(msgs[0]) + decode(msgs[1])
		if !strings.Contains(all, it.Code) || !strings.Contains(all, "xac-nhan=") || !strings.Contains(all, "đã được tiếp nhận") {
			t.Errorf("messages lack the code, the confirmation link or the notice:\n%s", all)
		}
		if n, _ := sender.Flush(context.Background(), db); n != 0 {
			t.Errorf("sent %d again", n)
		}
	})
}

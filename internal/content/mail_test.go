package content_test

import (
	"bufio"
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/content"
	mailer "github.com/congvn/cong/internal/mail"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
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

func startSMTP(t *testing.T) *smtpServer { return startSMTPAt(t, "127.0.0.1:0") }

func startSMTPAt(t *testing.T, addr string) *smtpServer {
	ln, err := net.Listen("tcp", addr)
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

// TestWorkflowMailIsQueuedAndSent: submitting an item queues a message to
// the site's editor-in-chief as a durable job; the job runner sends it.
func TestWorkflowMailIsQueuedAndSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := startSMTP(t)
		ctx := access.With(context.Background(), access.System("test", "cli"))
		svc := server.NewServices(db)
		cfg, err := mailer.Parse("smtp://" + srv.ln.Addr().String() + "?from=congthongtin@hanoi.gov.vn")
		if err != nil {
			t.Fatal(err)
		}
		svc.Content.Mail = content.NewMailJobs(svc.Jobs, mailer.New(cfg, nil))
		svc.Content.Link = func(siteID int64, path string) string {
			return "https://hanoi.test/quan-tri/trang/" + strconv.FormatInt(siteID, 10) + path
		}
		now := time.Now()
		svc.Jobs.SetClock(func() time.Time { return now })
		u := &site.Unit{Code: "01", Name: "Thành phố Hà Nội", Kind: site.City}
		svc.Sites.CreateUnit(ctx, u)
		st := &site.Site{Code: "hanoi", UnitID: u.ID, Kind: site.Portal, Name: "Hà Nội", Langs: []string{"vi"}, Hosts: []string{"hanoi.test"}}
		if err := svc.Sites.CreateSite(ctx, st); err != nil {
			t.Fatal(err)
		}
		actor := func(email string, role access.Role) context.Context {
			u, err := svc.Staff.AddUser(ctx, staff.NewUser{Email: email, Name: email, Password: "mat-khau-rat-dai-1", Grants: []staff.Grant{{SiteID: st.ID, Role: role}}})
			if err != nil {
				t.Fatal(err)
			}
			a, _ := svc.Staff.Actor(ctx, u, "session", "")
			return access.With(context.Background(), a)
		}
		ctv := actor("ctv@hanoi.gov.vn", access.Collaborator)
		tbt := actor("tbt@hanoi.gov.vn", access.EditorInChief)
		a, err := svc.Content.Create(ctv, st.ID, content.Input{Title: "Hội nghị tổng kết năm"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Content.Submit(ctv, a.ID, a.Version); err != nil {
			t.Fatal(err)
		}
		if len(srv.messages()) != 0 {
			t.Fatal("sent before the job ran")
		}
		if n, err := svc.Jobs.RunDue(context.Background()); err != nil || n != 1 {
			t.Fatalf("ran %d jobs: %v", n, err)
		}
		got := srv.messages()
		if len(got) != 1 || got[0].to[0] != "tbt@hanoi.gov.vn" {
			t.Fatalf("received %+v", got)
		}
		subject, body := decode(t, got[0].data)
		link := "https://hanoi.test/quan-tri/trang/" + strconv.FormatInt(st.ID, 10) + "/noi-dung/" + strconv.FormatInt(a.ID, 10)
		if subject != "Bài chờ duyệt: Hội nghị tổng kết năm" || !strings.Contains(body, link) {
			t.Errorf("message %q %q, want the link %s", subject, body, link)
		}
		// An unreachable server: the job stays and is tried again later.
		addr := srv.ln.Addr().String()
		srv.ln.Close()
		cur, err := svc.Content.Article(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Content.Reject(tbt, a.ID, cur.Version, "Thiếu ảnh minh họa"); err != nil {
			t.Fatal(err)
		}
		if n, _ := svc.Jobs.RunDue(context.Background()); n != 1 {
			t.Fatalf("ran %d jobs, want the rejection's message", n)
		}
		if n, _ := svc.Jobs.RunDue(context.Background()); n != 0 {
			t.Fatalf("a failed job ran again at once (%d)", n)
		}
		srv = startSMTPAt(t, addr)
		now = now.Add(time.Minute)
		if n, err := svc.Jobs.RunDue(context.Background()); n != 1 || err != nil {
			t.Fatalf("retry ran %d jobs: %v", n, err)
		}
		if got := srv.messages(); len(got) != 1 || got[0].to[0] != "ctv@hanoi.gov.vn" {
			t.Fatalf("after the retry received %+v", got)
		}
	})
}

func between(s, a, b string) string {
	_, rest, _ := strings.Cut(s, a)
	v, _, _ := strings.Cut(rest, b)
	return v
}

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/congvn/cong/internal/store"
)

// TestNoAcknowledgedFeedbackIsLost builds the real binary, serves the demo,
// sends feedback forms from many simulated citizens at once, kills the
// process with SIGKILL in the middle of the load, restarts it, and checks
// that every submission whose tracking code was sent back is there. (A
// code is sent only after its transaction commits; with SQLite in WAL mode
// a committed transaction survives the death of the process. A power cut
// is another matter: see --sync-full.)
func TestNoAcknowledgedFeedbackIsLost(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "cong")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	port := freePort(t)
	base := "http://127.0.0.1:" + port
	start := func(cmd string) *exec.Cmd {
		c := exec.Command(bin, cmd, "--data", data, "--addr", "127.0.0.1:"+port, "--log", "error",
			"--trust-proxy", "127.0.0.1", "--feedback-pow-bits", "0")
		c.Stdout, c.Stderr = io.Discard, io.Discard
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			if resp, err := http.Get(base + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return c
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		c.Process.Kill()
		t.Fatal("the server did not start")
		return nil
	}
	proc := start("demo")

	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	var mu sync.Mutex
	var acked []string
	var sent atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for w := 0; w < 12; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				n := w*100_000 + i
				form := url.Values{"category": {"moi-truong"}, "title": {fmt.Sprintf("Thử mất điện %d", n)},
					"body": {fmt.Sprintf("Nội dung phản ánh kiểm tra độ bền số %d.", n)}, "name": {"Người Thử"},
					"phone": {fmt.Sprintf("08%08d", n)}, "consent": {"1"}}
				req, _ := http.NewRequestWithContext(ctx, "POST", base+"/phan-anh/gui", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.1.%d.%d", w, i%250))
				sent.Add(1)
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusSeeOther {
					_, q, _ := strings.Cut(resp.Header.Get("Location"), "?ma=")
					code, _, _ := strings.Cut(q, "&")
					mu.Lock()
					acked = append(acked, code)
					mu.Unlock()
				}
			}
		}(w)
	}
	// Kill it while the load runs, once a good number are in.
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 || ctx.Err() != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := proc.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	proc.Wait()
	cancel()
	wg.Wait()
	mu.Lock()
	codes := append([]string(nil), acked...)
	mu.Unlock()
	t.Logf("%d forms sent, %d acknowledged before SIGKILL", sent.Load(), len(codes))

	// Restart on the same data; it must come up and know every code.
	proc = start("serve")
	defer func() {
		proc.Process.Signal(syscall.SIGTERM)
		proc.Wait()
	}()
	resp, err := client.Get(base + "/tra-cuu?ma=" + url.QueryEscape(codes[len(codes)-1]))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the last acknowledged code after the restart: %v %v", err, resp)
	}
	resp.Body.Close()
	db, err := store.Open(context.Background(), store.Config{Dir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lost := 0
	for _, c := range codes {
		if _, err := db.FeedbackByCode(context.Background(), c); err != nil {
			lost++
			if lost < 5 {
				t.Errorf("acknowledged code %s lost: %v", c, err)
			}
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d acknowledged submissions lost", lost, len(codes))
	}
	t.Logf("all %d acknowledged submissions present after SIGKILL and restart", len(codes))
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, p, _ := net.SplitHostPort(ln.Addr().String())
	return p
}

package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"

	"github.com/congvn/cong/internal/demo"
)

// installation returns the flag that names a fresh installation of engine
// e, and a function that runs SQL on it behind the application's back.
func installation(t *testing.T, e store.Engine) ([]string, func(string)) {
	t.Helper()
	if e == store.Postgres {
		// Media would default to ./cong-media with --db.
		t.Setenv("CONG_MEDIA", t.TempDir())
		u := storetest.PostgresSchemaURL(t)
		return []string{"--db", u, "--media", t.TempDir()}, func(q string) {
			db, err := sql.Open("pgx", u)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	dir := t.TempDir()
	return []string{"--data", dir}, func(q string) {
		db, err := sql.Open("sqlite", "file:"+dir+"/cong.db")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func runCmd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &out)
	return code, out.String()
}

func eachEngine(t *testing.T, fn func(t *testing.T, e store.Engine)) {
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

func TestMigrateTwice(t *testing.T) {
	eachEngine(t, func(t *testing.T, e store.Engine) {
		inst, _ := installation(t, e)
		code, out := runCmd(t, append([]string{"migrate"}, inst...)...)
		if code != 0 || !strings.Contains(out, "0001_foundation.sql") {
			t.Fatalf("first migrate: %d %s", code, out)
		}
		code, out = runCmd(t, append([]string{"migrate"}, inst...)...)
		if code != 0 || !strings.Contains(out, "đã mới nhất") {
			t.Errorf("second migrate: %d %s", code, out)
		}
	})
}

func TestUserAddAndTokenCreate(t *testing.T) {
	inst, _ := installation(t, store.SQLite)
	code, out := runCmd(t, append([]string{"user", "add", "--email", "Giam.Sat@Hanoi.gov.vn", "--role", "supervisor"}, inst...)...)
	if code != 0 || !regexp.MustCompile(`Mật khẩu \(password, shown once\): \S{20}`).MatchString(out) {
		t.Fatalf("user add: %d %s", code, out)
	}
	code, out = runCmd(t, append([]string{"user", "add", "--email", "giam.sat@hanoi.gov.vn", "--role", "supervisor"}, inst...)...)
	if code != 1 || !strings.Contains(out, "Đã có tài khoản") {
		t.Errorf("duplicate user: %d %s", code, out)
	}
	code, out = runCmd(t, append([]string{"user", "add", "--email", "a@hanoi.gov.vn", "--role", "editor", "--site", "khong-co"}, inst...)...)
	if code != 1 || !strings.Contains(out, "không có trang") {
		t.Errorf("unknown site: %d %s", code, out)
	}
	code, out = runCmd(t, append([]string{"user", "add", "--email", "a@hanoi.gov.vn", "--role", "editor"}, inst...)...)
	if code != 1 || !strings.Contains(out, "trang cụ thể") {
		t.Errorf("site role without a site: %d %s", code, out)
	}
	code, out = runCmd(t, append([]string{"token", "create", "--user", "giam.sat@hanoi.gov.vn"}, inst...)...)
	if code != 0 || !regexp.MustCompile(`^cong_[A-Za-z0-9_-]{43}\n$`).MatchString(out) {
		t.Errorf("token create: %d %q", code, out)
	}
	code, out = runCmd(t, append([]string{"token", "create", "--user", "khong-co@hanoi.gov.vn"}, inst...)...)
	if code != 1 {
		t.Errorf("token for a missing user: %d %s", code, out)
	}
}

func TestLogVerifyDetectsEditsBehindTheApplication(t *testing.T) {
	eachEngine(t, func(t *testing.T, e store.Engine) {
		inst, execSQL := installation(t, e)
		ctx := context.Background()
		db, err := store.Open(ctx, store.Config{Dir: flagValue(inst, "--data"), URL: flagValue(inst, "--db"), Media: flagValue(inst, "--media")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Build(ctx, server.NewServices(db)); err != nil {
			t.Fatal(err)
		}
		db.Close()

		code, out := runCmd(t, append([]string{"log", "verify"}, inst...)...)
		if code != 0 || !strings.Contains(out, "Nhật ký toàn vẹn") {
			t.Fatalf("intact log: %d %s", code, out)
		}
		// Someone with database access drops the guard and edits entry 7.
		if e == store.Postgres {
			execSQL(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`)
		} else {
			execSQL(`DROP TRIGGER audit_log_no_update`)
		}
		execSQL(`UPDATE audit_log SET actor_name = 'ai-do' WHERE seq = 7`)
		code, out = runCmd(t, append([]string{"log", "verify"}, inst...)...)
		if code != 1 || !strings.Contains(out, "tại mục 7") {
			t.Errorf("edited entry: %d %s", code, out)
		}
	})
}

func TestLogVerifyDetectsDeletion(t *testing.T) {
	inst, execSQL := installation(t, store.SQLite)
	code, out := runCmd(t, append([]string{"user", "add", "--email", "a@hanoi.gov.vn", "--role", "supervisor"}, inst...)...)
	if code != 0 {
		t.Fatal(out)
	}
	runCmd(t, append([]string{"user", "add", "--email", "b@hanoi.gov.vn", "--role", "supervisor"}, inst...)...)
	runCmd(t, append([]string{"token", "create", "--user", "b@hanoi.gov.vn"}, inst...)...)
	execSQL(`DROP TRIGGER audit_log_no_delete`)
	execSQL(`DELETE FROM audit_log WHERE seq = 2`)
	code, out = runCmd(t, append([]string{"log", "verify"}, inst...)...)
	if code != 1 || !strings.Contains(out, "tại mục 2") {
		t.Errorf("deleted entry: %d %s", code, out)
	}
}

func flagValue(args []string, name string) string {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == name {
			return args[i+1]
		}
	}
	return ""
}

// syncBuffer is a bytes.Buffer safe to read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDemoCommand runs cong demo as a user would: the first start builds the
// demo and prints URLs and logins; a restart serves the same data.
func TestDemoCommand(t *testing.T) {
	eachEngine(t, func(t *testing.T, e store.Engine) {
		inst, _ := installation(t, e)
		for i, wantBuild := range []bool{true, false} {
			ctx, cancel := context.WithCancel(context.Background())
			var out syncBuffer
			done := make(chan int)
			go func() {
				done <- run(ctx, append([]string{"demo", "--addr", "127.0.0.1:0", "--log", "error"}, inst...), strings.NewReader(""), &out, &out)
			}()
			deadline := time.Now().Add(60 * time.Second)
			for !strings.Contains(out.String(), "Sẵn sàng") && time.Now().Before(deadline) {
				select {
				case code := <-done:
					t.Fatalf("demo exited %d: %s", code, out.String())
				case <-time.After(20 * time.Millisecond):
				}
			}
			text := out.String()
			if strings.Contains(text, "Đang tạo dữ liệu") != wantBuild {
				t.Errorf("start %d: built=%v, want %v", i+1, !wantBuild, wantBuild)
			}
			for _, w := range []string{"quantri@hanoi.gov.vn", "ctv.badinh@hanoi.gov.vn", demo.Password, "cong totp ", "phuong-ba-dinh.hanoi.localhost", "148 cổng"} {
				if !strings.Contains(text, w) {
					t.Errorf("start %d: output lacks %q:\n%s", i+1, w, text)
				}
			}
			port := regexp.MustCompile(`http://hanoi\.localhost(:\d+)/ `).FindStringSubmatch(text)
			if port == nil {
				t.Fatalf("no city URL printed:\n%s", text)
			}
			resp, err := http.Get("http://127.0.0.1" + port[1] + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(body) != "ok\n" {
				t.Errorf("healthz: %d %q", resp.StatusCode, body)
			}
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("exit %d: %s", code, out.String())
			}
		}
	})
}

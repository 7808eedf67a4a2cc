package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/congvn/cong/internal/content"
	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
	"github.com/congvn/cong/internal/web"
)

// TestTwoNodesShareInvalidations runs two cong nodes on one PostgreSQL
// database: a publication through one drops the pages it touches from the
// other's cache (LISTEN/NOTIFY), and only one node runs the jobs.
func TestTwoNodesShareInvalidations(t *testing.T) {
	storetest.RequirePostgres(t)
	db := storetest.Open(t, store.Postgres)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	one, err := server.New(ctx, db, web.Config{}, logger)
	if err != nil {
		t.Fatal(err)
	}
	two, err := server.New(ctx, db, web.Config{}, logger)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Build(ctx, one.Services); err != nil {
		t.Fatal(err)
	}
	two.Web.Reload(ctx)
	one.Run(ctx)
	two.Run(ctx)
	get := func(a *server.App) (string, string) {
		req := httptest.NewRequest("GET", "http://phuong-ba-dinh.hanoi.localhost/tin-tuc", nil)
		rec := httptest.NewRecorder()
		a.Handler.ServeHTTP(rec, req)
		return rec.Header().Get("X-Cache"), rec.Body.String()
	}
	get(two)
	if hit, _ := get(two); hit != "hit" {
		t.Fatal("the second node does not cache")
	}
	time.Sleep(300 * time.Millisecond) // both listeners are up
	sysctx := asSystem(t)
	ward, _ := one.Sites.Site(sysctx, "phuong-ba-dinh")
	a, err := one.Content.Create(sysctx, ward.ID, content.Input{Title: "Tin đăng trên nút thứ nhất"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := one.Content.Approve(sysctx, a.ID, a.Version, time.Time{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		hit, body := get(two)
		if hit != "hit" && strings.Contains(body, a.Title) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second node still serves the old list")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/server/servertest"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

func TestMergedSitesRedirect(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	c := env.Client()
	tests := []struct {
		name, url, want string
	}{
		{"old host root", env.URL("quan-ba-dinh", "/"), env.URL("phuong-ba-dinh", "/")},
		{"old host path and query", env.URL("quan-hoan-kiem", "/tin-tuc/bai-viet-cu?trang=2"), env.URL("phuong-hoan-kiem", "/tin-tuc/bai-viet-cu?trang=2")},
		{"old host english", env.URL("huyen-soc-son", "/en/lien-he"), env.URL("xa-soc-son", "/en/lien-he")},
		{"no namesake: into the city", env.URL("quan-bac-tu-liem", "/lien-he"), env.URL("", "/lien-he")},
		{"explicit successor", env.URL("quan-nam-tu-liem", "/"), env.URL("phuong-tu-liem", "/")},
		{"old mount", env.URL("", "/don-vi/quan-ba-dinh/gioi-thieu"), env.URL("", "/don-vi/phuong-ba-dinh/gioi-thieu")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := servertest.Get(t, c, tt.url)
			if resp.StatusCode != http.StatusMovedPermanently {
				t.Fatalf("status %d, want 301", resp.StatusCode)
			}
			if got := resp.Header.Get("Location"); got != tt.want {
				t.Errorf("Location %q, want %q", got, tt.want)
			}
		})
	}
}

// Merging twice (A into B, then B into C) sends A's URLs straight to C in
// one redirect, and a path redirect recorded on a site keeps working after
// it is merged.
func TestMergeChainsAndPathRedirects(t *testing.T) {
	env := servertest.Start(t, store.SQLite, web.Config{})
	ctx := access.With(context.Background(), access.System("test", "cli"))
	hk, err := env.App.Sites.Site(ctx, "phuong-hoan-kiem")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.DB.AddRedirect(ctx, hk.ID, "/gioi-thieu-cu", hk.ID, "/gioi-thieu"); err != nil {
		t.Fatal(err)
	}
	if err := env.App.Sites.Merge(ctx, "00070", "00082", "2026-12-01"); err != nil { // into Phường Cửa Nam
		t.Fatal(err)
	}
	c := env.Client()
	for _, tt := range []struct{ url, want string }{
		{env.URL("quan-hoan-kiem", "/x"), env.URL("phuong-cua-nam", "/x")},                        // two merges, one hop
		{env.URL("phuong-hoan-kiem", "/x"), env.URL("phuong-cua-nam", "/x")},                      // the newly merged site
		{env.URL("phuong-hoan-kiem", "/gioi-thieu-cu"), env.URL("phuong-cua-nam", "/gioi-thieu")}, // its path redirect
	} {
		resp, _ := servertest.Get(t, c, tt.url)
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != tt.want {
			t.Errorf("%s: %d → %q, want %q", tt.url, resp.StatusCode, resp.Header.Get("Location"), tt.want)
		}
	}
	// A path redirect on a live site answers instead of a 404.
	cn, _ := env.App.Sites.Site(ctx, "phuong-cua-nam")
	env.DB.AddRedirect(ctx, cn.ID, "/trang-cu", cn.ID, "/lien-he")
	resp, _ := servertest.Get(t, c, env.URL("phuong-cua-nam", "/trang-cu"))
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/lien-he" {
		t.Errorf("path redirect: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The directory lists the newly merged unit.
	_, body := servertest.Get(t, c, env.URL("", "/don-vi/"))
	merged := body[strings.Index(body, "Đơn vị đã sáp nhập"):]
	if !strings.Contains(merged, "Phường Hoàn Kiếm") {
		t.Errorf("merged units table lacks Phường Hoàn Kiếm")
	}
}

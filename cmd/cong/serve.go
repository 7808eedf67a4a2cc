package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/web"
)

// open opens and migrates the installation named by the flags.
func open(ctx context.Context, c common) (*store.DB, error) {
	db, err := store.Open(ctx, store.Config{Dir: c.data, URL: c.db, Media: c.media, FullSync: c.fullSync})
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, isDemo bool) error {
	start := time.Now()
	name := "serve"
	defData := ""
	if isDemo {
		name, defData = "demo", "./cong-demo"
	}
	fs := flag.NewFlagSet("cong "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f serveFlags
	f.register(fs, defData)
	dopts := disclosureFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !isDemo && f.data == "" && f.db == "" {
		return errors.New("cần --data DIR hoặc --db postgres://… (a data directory or a PostgreSQL URL is required)")
	}
	proxies, err := parsePrefixes(f.proxies)
	if err != nil {
		return err
	}
	logger := newLogger(stderr, f.logLevel)
	db, err := open(ctx, f.common)
	if err != nil {
		return err
	}
	defer db.Close()

	app, err := server.New(ctx, db, web.Config{SingleHost: f.singleHost, TrustedProxies: proxies, Secure: f.secure}, logger)
	if err != nil {
		return err
	}
	if err := f.feedbackFlags.apply(app, logger); err != nil {
		return err
	}
	if err := dopts.apply(app.Services); err != nil {
		return err
	}
	var built *demo.Result
	if isDemo {
		empty, err := demo.IsEmpty(ctx, app.Sites)
		if err != nil {
			return err
		}
		if empty {
			fmt.Fprintln(stdout, "Đang tạo dữ liệu trình diễn Hà Nội… (building the Hà Nội demo)")
			if built, err = demo.Build(ctx, app.Services); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			// The argon2 buffers of the demo accounts are garbage now; give
			// the memory back before serving.
			db.ReleaseMemory()
			debug.FreeOSMemory()
		}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	srv := app.HTTPServer(f.addr)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	app.Run(runCtx)

	port := ""
	if _, p, err := net.SplitHostPort(ln.Addr().String()); err == nil && p != "80" {
		port = ":" + p
	}
	if isDemo {
		if err := printDemo(ctx, stdout, app, f, built, port); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(stdout, "cong đang phục vụ tại http://%s (serving)\n", ln.Addr())
	}
	fmt.Fprintf(stdout, "Sẵn sàng sau %d ms (ready).\n", time.Since(start).Milliseconds())

	go func() {
		select {
		case <-app.Settled():
			servingGC()
		case <-runCtx.Done():
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		fmt.Fprintln(stdout, "Đang dừng… (shutting down)")
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Error("shutdown", "err", err)
		}
	}
	cancel()
	return app.Visits.Flush(context.Background())
}

func printDemo(ctx context.Context, w io.Writer, app *server.App, f serveFlags, built *demo.Result, port string) error {
	where := "SQLite, " + f.data
	if f.db != "" {
		where = "PostgreSQL"
	}
	d := app.Web.Directory()
	active := 0
	for _, st := range d.Sites {
		if st.Status == "active" {
			active++
		}
	}
	fmt.Fprintf(w, "\nCổng thông tin điện tử Thành phố Hà Nội — bản trình diễn (%s)\n", where)
	if built != nil {
		fmt.Fprintf(w, "Đã tạo %d đơn vị, %d cổng; %d quận, huyện cũ đã sáp nhập.\n", built.Units, built.Sites, built.Merged)
		if built.Articles > 0 {
			fmt.Fprintf(w, "Đã đăng %d tin bài mẫu (sample articles).\n", built.Articles)
		}
	}
	fmt.Fprintf(w, "%d cổng đang hoạt động. Mở (open):\n", active)
	for _, l := range []struct{ url, what string }{
		{"http://" + demo.Domain + port + "/", "Cổng Thông tin điện tử Thành phố"},
		{"http://phuong-ba-dinh." + demo.Domain + port + "/", "Phường Ba Đình (mọi cổng: CODE." + demo.Domain + ")"},
		{"http://" + demo.Domain + port + "/don-vi/xa-soc-son/", "Xã Sóc Sơn, dưới tên miền Thành phố"},
		{"http://" + demo.Domain + port + "/don-vi/", "Danh sách các cổng thành phần"},
		{"http://quan-ba-dinh." + demo.Domain + port + "/", "Quận Ba Đình (cũ) → 301 Phường Ba Đình"},
		{"http://" + demo.Domain + port + "/en/", "English"},
		{"http://" + demo.Domain + port + "/quan-tri/", "Quản trị (staff)"},
		{"http://" + demo.Domain + port + "/api/v1/sites", "API"},
	} {
		fmt.Fprintf(w, "  %-52s %s\n", l.url, l.what)
	}
	logins, err := demo.Logins(ctx, app.Staff)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nTài khoản (staff logins), mật khẩu chung (password): %s\n", demo.Password)
	for _, l := range logins {
		scope := "toàn thành phố"
		if l.Site != "" {
			scope = l.Site
		}
		secret := "chưa bật xác thực 2 bước: thiết lập khi đăng nhập"
		if l.Secret != "" {
			secret = "khóa TOTP " + l.Secret + "  (mã hiện tại: cong totp " + l.Secret + ")"
		}
		fmt.Fprintf(w, "  %-30s %-17s %-22s %s\n", l.Email, l.Role, scope, secret)
	}
	fmt.Fprintln(w)
	return nil
}

// servingGC tunes the collector for serving, unless the operator set GOGC
// or GOMEMLIMIT: a request allocates a few kilobytes that die at once, and
// the live heap is small (tens of megabytes), so collecting at 5× the live
// heap instead of 2× cuts the collector's share of a busy server's time by
// more than half; the soft limit keeps a large installation from growing
// without bound (the collector works harder near it).
//
// It is applied once the start-up work is done, and what that work left
// is given back first: the start then leaves a small footprint.
func servingGC() {
	debug.FreeOSMemory()
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(1 << 30)
	}
}

// Command cong serves every government e-information portal of a province
// from one program: the city portal, the portals of agencies, communes and
// wards, the special sections and the open data portal.
//
//	cong demo     [--addr A] [--data DIR | --db URL]   build the Hà Nội demo if empty, then serve it
//	cong serve    [--addr A] [--data DIR | --db URL]   serve an installation
//	cong migrate  [--data DIR | --db URL]              bring the schema up to date
//	cong user add --email E --role R [--site CODE]     create a staff account
//	cong token create --user E [--name N]              create an API token (printed once)
//	cong log verify                                    check the audit log's hash chain
//	cong totp SECRET                                   print the current code of a TOTP secret
//	cong audit [--site CODE] [--json]                  check sites against the rule pack; exit 1 when one fails
//	cong import KIND --site CODE FILE                  import documents, procedures or procedure-stats
//	cong rules print | check FILE                      print the built-in rule pack, or check a pack file
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	os.Exit(code)
}

// exitError carries a process exit status.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(ctx, args[1:], stdout, stderr, false)
	case "demo":
		err = cmdServe(ctx, args[1:], stdout, stderr, true)
	case "migrate":
		err = cmdMigrate(ctx, args[1:], stdout)
	case "user":
		err = cmdUser(ctx, args[1:], stdin, stdout)
	case "token":
		err = cmdToken(ctx, args[1:], stdout)
	case "log":
		err = cmdLog(ctx, args[1:], stdout)
	case "totp":
		err = cmdTOTP(args[1:], stdout)
	case "open311":
		err = cmdOpen311(ctx, args[1:], stdout)
	case "audit":
		err = cmdAudit(ctx, args[1:], stdout)
	case "import":
		err = cmdImport(ctx, args[1:], stdout)
	case "rules":
		err = cmdRules(args[1:], stdout)
	case "reindex":
		err = cmdReindex(ctx, args[1:], stdout)
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "cong: lệnh không có: %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return int(ee)
	case errors.Is(err, flag.ErrHelp):
		return 2
	}
	fmt.Fprintln(stderr, "cong:", err)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprint(w, `cong — hệ thống cổng thông tin điện tử (one program for every government portal of a province)

Lệnh (commands):
  cong demo      [--addr 127.0.0.1:8080] [--data DIR | --db postgres://…]
  cong serve     [--addr A] [--data DIR | --db postgres://…]
  cong migrate   [--data DIR | --db postgres://…]
  cong user add  --email E --role R [--site CODE] [--name N] [--password-stdin]
  cong token create --user E [--name N]
  cong log verify
  cong reindex   [--site CODE]
  cong totp SECRET

Biến môi trường (environment): CONG_ADDR, CONG_DATA, CONG_DB, CONG_MEDIA, CONG_RULES, CONG_SMTP.
Vai trò (roles): system_admin, supervisor (toàn thành phố); site_admin, editor_in_chief,
editor, collaborator, feedback_officer, data_publisher (theo trang, cần --site).
`)
}

// common are the flags every command that touches an installation takes.
type common struct {
	data     string
	db       string
	media    string
	fullSync bool
}

func (c *common) register(fs *flag.FlagSet, defaultData string) {
	fs.StringVar(&c.data, "data", envOr("CONG_DATA", defaultData), "data directory (SQLite database and media)")
	fs.StringVar(&c.db, "db", os.Getenv("CONG_DB"), "PostgreSQL URL (postgres://…); replaces --data")
	fs.StringVar(&c.media, "media", os.Getenv("CONG_MEDIA"), "directory of uploaded files (default DATA/media; ./cong-media with --db)")
	fs.BoolVar(&c.fullSync, "sync-full", os.Getenv("CONG_SYNC_FULL") == "1", "SQLite: fsync every commit (survives power loss, not only a crash)")
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// serveFlags are the flags of serve and demo.
type serveFlags struct {
	common
	addr       string
	singleHost bool
	proxies    string
	secure     bool
	logLevel   string
	feedbackFlags
}

func (f *serveFlags) register(fs *flag.FlagSet, defaultData string) {
	f.common.register(fs, defaultData)
	fs.StringVar(&f.addr, "addr", envOr("CONG_ADDR", "127.0.0.1:8080"), "address to listen on")
	fs.BoolVar(&f.singleHost, "single-host", os.Getenv("CONG_SINGLE_HOST") == "1", "serve every site under one host at /don-vi/CODE/")
	fs.StringVar(&f.proxies, "trust-proxy", os.Getenv("CONG_TRUST_PROXY"), "comma-separated addresses or prefixes of trusted reverse proxies")
	fs.BoolVar(&f.secure, "secure-cookies", os.Getenv("CONG_SECURE_COOKIES") == "1", "mark cookies Secure (behind a TLS-terminating proxy)")
	fs.StringVar(&f.logLevel, "log", envOr("CONG_LOG", "info"), "log level: debug, info, warn, error")
	f.feedbackFlags.register(fs)
}

func parsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			a, err := netip.ParseAddr(p)
			if err != nil {
				return nil, fmt.Errorf("--trust-proxy: %w", err)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		pr, err := netip.ParsePrefix(p)
		if err != nil {
			return nil, fmt.Errorf("--trust-proxy: %w", err)
		}
		out = append(out, pr)
	}
	return out, nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

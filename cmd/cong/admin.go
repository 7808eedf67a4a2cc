package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os/user"
	"strings"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/staff"
	"github.com/congvn/cong/internal/store"
)

// operator is the actor of commands run on the server: the audit log names
// the operating-system user.
func operator(ctx context.Context) context.Context {
	name := "cli"
	if u, err := user.Current(); err == nil {
		name = "cli:" + u.Username
	}
	return access.With(ctx, access.System(name, "cli"))
}

func cmdMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("cong migrate", flag.ContinueOnError)
	var c common
	c.register(fs, "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.data == "" && c.db == "" {
		return errors.New("cần --data DIR hoặc --db postgres://…")
	}
	db, err := store.Open(ctx, store.Config{Dir: c.data, URL: c.db, Media: c.media})
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "Lược đồ đã mới nhất (schema up to date).")
		return nil
	}
	for _, a := range applied {
		fmt.Fprintln(stdout, "Đã áp dụng (applied):", a)
	}
	return nil
}

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("cách dùng (usage): cong user add --email E --role R [--site CODE] [--name N] [--password-stdin]")
	}
	fs := flag.NewFlagSet("cong user add", flag.ContinueOnError)
	var c common
	c.register(fs, "")
	email := fs.String("email", "", "e-mail (the login name)")
	role := fs.String("role", "", "role: "+roleList())
	siteCode := fs.String("site", "", "site code, for site roles")
	name := fs.String("name", "", "full name (default: the e-mail)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" || *role == "" {
		return errors.New("cần --email và --role (--email and --role are required)")
	}
	db, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = operator(ctx)
	svc := server.NewServices(db)
	sites, people := svc.Sites, svc.Staff
	g := staff.Grant{Role: access.Role(*role)}
	if *siteCode != "" {
		st, err := sites.Site(ctx, *siteCode)
		if err != nil {
			return fmt.Errorf("không có trang %q (no such site)", *siteCode)
		}
		g.SiteID = st.ID
	}
	password, generated := "", false
	if *fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("đọc mật khẩu (reading the password): %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		password, generated = randomPassword(), true
	}
	if *name == "" {
		*name = *email
	}
	u, err := people.AddUser(ctx, staff.NewUser{Email: *email, Name: *name, Password: password, Grants: []staff.Grant{g}})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Đã tạo tài khoản (account created): %s, vai trò %s", u.Email, *role)
	if *siteCode != "" {
		fmt.Fprintf(stdout, " tại %s", *siteCode)
	}
	fmt.Fprintln(stdout)
	if generated {
		fmt.Fprintf(stdout, "Mật khẩu (password, shown once): %s\n", password)
	}
	fmt.Fprintln(stdout, "Lần đăng nhập đầu tiên sẽ yêu cầu thiết lập xác thực 2 bước (TOTP).")
	return nil
}

func roleList() string {
	var rs []string
	for _, r := range append(append([]access.Role{}, access.CityRoles...), access.SiteRoles...) {
		rs = append(rs, string(r))
	}
	return strings.Join(rs, ", ")
}

// randomPassword returns 20 characters from an alphabet without look-alikes.
func randomPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	var b strings.Builder
	for range 20 {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b.WriteByte(alphabet[n.Int64()])
	}
	return b.String()
}

func cmdToken(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("cách dùng (usage): cong token create --user E [--name N]")
	}
	fs := flag.NewFlagSet("cong token create", flag.ContinueOnError)
	var c common
	c.register(fs, "")
	email := fs.String("user", "", "e-mail of the account the token acts as")
	name := fs.String("name", "API", "what the token is for")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("cần --user (--user is required)")
	}
	db, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	people := server.NewServices(db).Staff
	plain, _, err := people.CreateToken(operator(ctx), *email, *name)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintln(stdout, plain)
	return nil
}

func cmdLog(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("cách dùng (usage): cong log verify")
	}
	fs := flag.NewFlagSet("cong log verify", flag.ContinueOnError)
	var c common
	c.register(fs, "")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	log := server.NewServices(db).Log
	start := time.Now()
	res, err := log.Verify(ctx)
	if err != nil {
		return err
	}
	if res.Break != nil {
		fmt.Fprintf(stdout, "Nhật ký bị sửa đổi tại mục %d: %s\n(audit log broken at entry %d)\n", res.Break.Seq, res.Break.Reason, res.Break.Seq)
		return exitError(1)
	}
	fmt.Fprintf(stdout, "Nhật ký toàn vẹn: %d mục, kiểm tra trong %d ms (audit log intact).\nMã băm mục cuối (head hash; lưu lại ở nơi khác để phát hiện việc cắt bớt): %s\n",
		res.Entries, time.Since(start).Milliseconds(), res.Head)
	return nil
}

func cmdTOTP(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("cách dùng (usage): cong totp SECRET")
	}
	code, err := staff.TOTPCode(args[0], time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, code)
	return nil
}

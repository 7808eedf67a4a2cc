package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/calendar"
	"github.com/congvn/cong/internal/feedbackweb"
	"github.com/congvn/cong/internal/mail"
	"github.com/congvn/cong/internal/open311"
	"github.com/congvn/cong/internal/server"
)

// feedbackFlags configure citizen feedback: e-mail, the holiday file, the
// forms' proof of work.
type feedbackFlags struct {
	smtp      string
	holidays  string
	powBits   int
	addrBurst int
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return v
	}
	return def
}

func (f *feedbackFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.smtp, "smtp", os.Getenv("CONG_SMTP"), "SMTP server for e-mail: smtp://[user:password@]host[:port]?from=ADDRESS (or smtps://)")
	fs.StringVar(&f.holidays, "holidays", os.Getenv("CONG_HOLIDAYS"), "JSON file of public holidays overriding the built-in years")
	fs.IntVar(&f.powBits, "feedback-pow-bits", envInt("CONG_FEEDBACK_POW_BITS", feedbackweb.DefaultPowBits), "difficulty of the feedback forms' proof of work (0: off, load tests only)")
	fs.IntVar(&f.addrBurst, "feedback-addr-burst", envInt("CONG_FEEDBACK_ADDR_BURST", 10), "submissions one address may send at once before it is throttled to 1 a minute")
}

func (f *feedbackFlags) apply(app *server.App, logger *slog.Logger) error {
	if f.holidays != "" {
		cal, err := calendar.LoadFile(f.holidays)
		if err != nil {
			return err
		}
		app.Feedback.Calendar = cal
	}
	if f.smtp != "" {
		cfg, err := mail.Parse(f.smtp)
		if err != nil {
			return err
		}
		app.SetMailer(mail.New(cfg, logger))
	}
	if f.powBits < 0 || f.powBits > 28 {
		return errors.New("--feedback-pow-bits: 0 to 28")
	}
	app.FeedbackWeb.SetPowBits(f.powBits)
	if f.addrBurst < 1 {
		return errors.New("--feedback-addr-burst: at least 1")
	}
	app.FeedbackWeb.SetAddrLimit(f.addrBurst, time.Minute)
	return nil
}

// cmdOpen311 manages Open311 application keys: cong open311 key --name APP.
func cmdOpen311(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "key" {
		return errors.New("cách dùng (usage): cong open311 key --name APP [--per-minute N]")
	}
	fs := flag.NewFlagSet("cong open311 key", flag.ContinueOnError)
	var c common
	c.register(fs, "")
	name := fs.String("name", "", "the application's name")
	per := fs.Int("per-minute", 60, "requests the application may post per minute")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *name == "" || *per < open311.MinPerMinute || *per > open311.MaxPerMinute {
		return fmt.Errorf("--name is required and --per-minute from %d to %d", open311.MinPerMinute, open311.MaxPerMinute)
	}
	db, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	// Through the key service, as the staff page does: the same bounds,
	// and the audit log names the operator.
	key, _, err := open311.NewKeyService(db, auditlog.New(db)).Create(operator(ctx), *name, *per)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Khóa Open311 của %s (chỉ hiện một lần; api_key): %s\n", *name, key)
	return nil
}

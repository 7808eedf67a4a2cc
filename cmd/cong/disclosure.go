package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/congvn/cong/internal/bulk"
	"github.com/congvn/cong/internal/compliance"
	"github.com/congvn/cong/internal/i18n"
	"github.com/congvn/cong/internal/rulepack"
	"github.com/congvn/cong/internal/server"
)

// disclosureOpts are the flags of mandatory disclosure, taken by every
// command that builds the services: the rule pack. (Attachments go to the
// media directory every command takes: --media.)
type disclosureOpts struct {
	rules string
}

func disclosureFlags(fs *flag.FlagSet) *disclosureOpts {
	o := &disclosureOpts{}
	fs.StringVar(&o.rules, "rules", os.Getenv("CONG_RULES"), "rule pack file (default: the pack built into cong)")
	return o
}

// apply loads the rule pack.
func (o *disclosureOpts) apply(svc *server.Services) error {
	if o.rules != "" {
		p, err := rulepack.Load(o.rules)
		if err != nil {
			return err
		}
		svc.SetRules(p)
	}
	return nil
}

// cmdAudit checks one site or all against the rule pack, prints the
// report, stores it in the history, and exits 1 when a site fails.
func cmdAudit(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("cong audit", flag.ContinueOnError)
	var c common
	c.register(fs, "")
	o := disclosureFlags(fs)
	code := fs.String("site", "", "audit one site (its code)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	noHistory := fs.Bool("no-history", false, "do not store the run in the history")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.data == "" && c.db == "" {
		return errors.New("cần --data DIR hoặc --db postgres://…")
	}
	db, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := server.NewServices(db)
	if err := o.apply(svc); err != nil {
		return err
	}
	ctx = operator(ctx)
	rep, err := svc.Compliance.Audit(ctx, *code)
	if err != nil {
		return describeErr(err)
	}
	if !*noHistory {
		if _, err := svc.Compliance.Record(ctx, rep); err != nil {
			return err
		}
	}
	if *asJSON {
		out := struct {
			*compliance.Report
			DurationMS int64 `json:"duration_ms"`
			OK         bool  `json:"ok"`
		}{rep, rep.Duration.Milliseconds(), rep.Failing == 0}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		printAudit(stdout, rep)
	}
	if rep.Failing > 0 {
		return exitError(1)
	}
	return nil
}

func printAudit(w io.Writer, rep *compliance.Report) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	skipped := map[string]bool{}
	var skips []string
	for _, sr := range rep.Sites {
		result := "ĐẠT"
		if !sr.OK() {
			result = "CHƯA ĐẠT"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d quy tắc chưa đạt\n", sr.Code, sr.Name, result, sr.Failed, len(sr.Findings))
		for _, f := range sr.Findings {
			if f.Status == compliance.Skip {
				if !skipped[f.Rule] {
					skipped[f.Rule] = true
					skips = append(skips, f.Rule)
				}
				continue
			}
			if f.Status == compliance.Pass {
				continue
			}
			var reasons []string
			for _, r := range f.Reasons {
				reasons = append(reasons, i18n.T("vi", r.Key, r.Args...))
			}
			fmt.Fprintf(tw, "  ✗ %s\t%s\t%s\n", f.Rule, strings.Join(reasons, "; "), f.Law)
		}
	}
	tw.Flush()
	if len(skips) > 0 {
		fmt.Fprintf(w, "\nChưa kiểm tra được (phần của sản phẩm trả lời chưa được cài đặt; not checked): %s\n", strings.Join(skips, ", "))
	}
	fmt.Fprintf(w, "\nBộ quy tắc %s: %d trang, %d trang chưa đạt; kiểm tra trong %d ms.\n(rule pack %s: %d sites, %d failing)\n",
		rep.Pack, len(rep.Sites), rep.Failing, rep.Duration.Milliseconds(), rep.Pack, len(rep.Sites), rep.Failing)
}

// cmdImport brings documents, procedures or dossier statistics into a
// site from a CSV or JSON Lines file.
func cmdImport(ctx context.Context, args []string, stdout io.Writer) error {
	usage := "cách dùng (usage): cong import documents|procedures|procedure-stats --site CODE [--format csv|jsonl] [--partial] FILE"
	if len(args) == 0 {
		return errors.New(usage)
	}
	kind := args[0]
	fs := flag.NewFlagSet("cong import "+kind, flag.ContinueOnError)
	var c common
	c.register(fs, "")
	o := disclosureFlags(fs)
	code := fs.String("site", "", "site code")
	format := fs.String("format", "", "csv or jsonl (default: guessed from the content)")
	partial := fs.Bool("partial", false, "import the good rows even when some are bad (default: nothing is imported when a row is bad)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *code == "" || fs.NArg() != 1 {
		return errors.New(usage)
	}
	if c.data == "" && c.db == "" {
		return errors.New("cần --data DIR hoặc --db postgres://…")
	}
	db, err := open(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := server.NewServices(db)
	if err := o.apply(svc); err != nil {
		return err
	}
	ctx = operator(ctx)
	st, err := svc.Sites.Site(ctx, *code)
	if err != nil {
		return describeErr(err)
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	rows, bad, err := bulk.Read(f, *format)
	if err != nil {
		return err
	}
	var rep *bulk.Report
	switch kind {
	case "documents":
		rep, err = svc.Documents.Import(ctx, st.ID, rows, bad, *partial)
	case "procedures":
		rep, err = svc.Procedures.Import(ctx, st.ID, rows, bad, *partial)
	case "procedure-stats":
		rep, err = svc.Procedures.ImportStats(ctx, st.ID, rows, bad, *partial)
	default:
		return errors.New(usage)
	}
	if err != nil {
		return describeErr(err)
	}
	if rep.Imported >= 1000 {
		// The query planner's statistics follow a large import.
		if err := db.Analyze(ctx); err != nil {
			return err
		}
	}
	for _, m := range rep.Messages("vi") {
		fmt.Fprintln(stdout, m)
	}
	fmt.Fprintf(stdout, "Đã nhập %d/%d dòng vào %s (imported %d of %d rows).\n", rep.Imported, rep.Rows, st.Code, rep.Imported, rep.Rows)
	if rep.Failed() {
		if !*partial {
			fmt.Fprintln(stdout, "Có dòng lỗi nên không nhập gì; sửa tệp, hoặc dùng --partial để nhập các dòng đúng.")
		}
		return exitError(1)
	}
	return nil
}

// cmdRules prints the built-in rule pack or checks a pack file.
func cmdRules(args []string, stdout io.Writer) error {
	switch {
	case len(args) == 1 && args[0] == "print":
		_, err := io.WriteString(stdout, rulepack.DefaultText())
		return err
	case len(args) == 2 && args[0] == "check":
		p, err := rulepack.Load(args[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: bộ quy tắc %s hợp lệ, %d quy tắc (rule pack valid).\n", args[1], p.Version, len(p.Sections))
		return nil
	}
	return errors.New("cách dùng (usage): cong rules print | cong rules check FILE")
}

// describeErr turns a service fault into a Vietnamese message.
func describeErr(err error) error {
	return errors.New(bulk.Describe("vi", err))
}

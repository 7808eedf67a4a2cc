package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/server"
)

// cmdReindex rebuilds the search index of one site or of all, printing
// progress.
func cmdReindex(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("cong reindex", flag.ContinueOnError)
	var c common
	c.register(fs, "")
	code := fs.String("site", "", "reindex one site (its code); all sites without it")
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
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	svc := server.NewServices(db)
	return svc.Reindex(operator(ctx), *code, func(p server.ReindexProgress) {
		if p.Optimizing {
			fmt.Fprintf(stdout, "Đã lập chỉ mục %d mục của %d cổng trong %.1f s; đang tối ưu chỉ mục…\n", p.Total, p.Of, p.Elapsed.Seconds())
			return
		}
		var parts []string
		for _, k := range search.Kinds {
			if n := p.Items[k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", k, n))
			}
		}
		slices.Sort(parts)
		fmt.Fprintf(stdout, "[%d/%d] %s: %s (tổng %d, %.1f s)\n", p.Done, p.Of, p.Site.Code, strings.Join(parts, ", "), p.Total, p.Elapsed.Seconds())
	})
}

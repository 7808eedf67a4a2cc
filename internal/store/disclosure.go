package store

import (
	"context"
	"time"

	"github.com/congvn/cong/internal/compliance"
)

func init() {
	// Everything of mandatory disclosure belongs to a site and moves with
	// it when its unit is merged. The audit's history stays with the
	// merged site: it describes that site as it was.
	contentTables = append(contentTables, "documents", "document_words", "attachments", "procedures", "procedure_stats",
		"consultations", "consultation_comments", "listings", "contact_points")
	contentMovers = append(contentMovers, mergeProcedures)
}

// mergeProcedures makes room for a merged site's procedures: the
// successor's catalogue entry of the same national procedure is kept, and
// the statistics of a period both sites reported are added up.
func mergeProcedures(ctx context.Context, db *DB, from, to int64) error {
	if _, err := db.exec(ctx, `DELETE FROM procedures WHERE site_id = ? AND code IN (SELECT code FROM procedures WHERE site_id = ?)`, from, to); err != nil {
		return err
	}
	if _, err := db.exec(ctx, `UPDATE procedure_stats SET
		received = received + (SELECT f.received FROM procedure_stats f WHERE f.site_id = ? AND f.period = procedure_stats.period AND f.field = procedure_stats.field),
		on_time = on_time + (SELECT f.on_time FROM procedure_stats f WHERE f.site_id = ? AND f.period = procedure_stats.period AND f.field = procedure_stats.field),
		late = late + (SELECT f.late FROM procedure_stats f WHERE f.site_id = ? AND f.period = procedure_stats.period AND f.field = procedure_stats.field),
		pending = pending + (SELECT f.pending FROM procedure_stats f WHERE f.site_id = ? AND f.period = procedure_stats.period AND f.field = procedure_stats.field)
		WHERE site_id = ? AND EXISTS (SELECT 1 FROM procedure_stats f WHERE f.site_id = ? AND f.period = procedure_stats.period AND f.field = procedure_stats.field)`,
		from, from, from, from, to, from); err != nil {
		return err
	}
	_, err := db.exec(ctx, `DELETE FROM procedure_stats WHERE site_id = ? AND EXISTS (SELECT 1 FROM procedure_stats t WHERE t.site_id = ? AND t.period = procedure_stats.period AND t.field = procedure_stats.field)`, from, to)
	return err
}

// DisclosureFacts reports, per site, how many items each part of
// mandatory disclosure has published and when it last changed.
func (db *DB) DisclosureFacts(ctx context.Context) (map[int64][]compliance.Fact, error) {
	out := map[int64][]compliance.Fact{}
	vi := []string{"vi"}
	add := func(check, query string, args ...any) error {
		rows, err := db.query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			var latest any
			var kind string
			dest := []any{&id, &n, &latest}
			if check == "" {
				dest = append(dest, &kind)
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			c := check
			if c == "" {
				c = "listing:" + kind
			}
			out[id] = append(out[id], compliance.Fact{Check: c, Count: n, Updated: aggregateTime(latest), Langs: vi})
		}
		return rows.Err()
	}
	steps := []struct {
		check, query string
	}{
		{"documents", `SELECT site_id, COUNT(*), MAX(published_at) FROM documents WHERE published = TRUE GROUP BY site_id`},
		{"procedures", `SELECT site_id, COUNT(*), MAX(updated_at) FROM procedures WHERE published = TRUE GROUP BY site_id`},
		{"procedure_stats", `SELECT site_id, COUNT(*), MAX(imported_at) FROM procedure_stats GROUP BY site_id`},
		{"drafts", `SELECT site_id, COUNT(*), MAX(created_at) FROM consultations WHERE published = TRUE GROUP BY site_id`},
		{"", `SELECT site_id, COUNT(*), MAX(created_at), kind FROM listings WHERE published = TRUE GROUP BY site_id, kind`},
		{"info_officer", `SELECT site_id, COUNT(*), MAX(updated_at) FROM contact_points WHERE role = 'info_officer' GROUP BY site_id`},
	}
	for _, s := range steps {
		if err := add(s.check, s.query); err != nil {
			return nil, err
		}
	}
	// Contact points: English when every one has an English title.
	rows, err := db.query(ctx, `SELECT site_id, COUNT(*), MAX(updated_at), SUM(CASE WHEN title_en = '' THEN 1 ELSE 0 END)
		FROM contact_points WHERE role = 'contact' GROUP BY site_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n, noEn int
		var latest any
		if err := rows.Scan(&id, &n, &latest, &noEn); err != nil {
			return nil, err
		}
		f := compliance.Fact{Check: "contact_points", Count: n, Updated: aggregateTime(latest), Langs: vi}
		if noEn == 0 {
			f.Langs = []string{"vi", "en"}
		}
		out[id] = append(out[id], f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The disclosure list is generated from the pack and the content, so
	// every site has it, current.
	srows, err := db.query(ctx, `SELECT id FROM sites WHERE status = 'active'`)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	now := time.Now()
	for srows.Next() {
		var id int64
		if err := srows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = append(out[id], compliance.Fact{Check: "disclosure_list", Count: 1, Updated: now, Langs: []string{"vi", "en"}})
	}
	return out, srows.Err()
}

// aggregateTime reads MAX() of a timestamp column: a time in PostgreSQL,
// text in SQLite (an aggregate loses the column's declared type).
func aggregateTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case []byte:
		return parseSQLiteTime(string(t))
	case string:
		return parseSQLiteTime(t)
	}
	return time.Time{}
}

func parseSQLiteTime(s string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// AddAuditRun stores a run of the audit with its results.
func (db *DB) AddAuditRun(ctx context.Context, r *compliance.Run, results []compliance.Result) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		err := db.queryRowTx(ctx, `INSERT INTO audit_runs (at, pack_version, actor, sites, failing, duration_ms) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			ts(r.At), r.Pack, r.Actor, r.Sites, r.Failing, r.Duration.Milliseconds()).Scan(&r.ID)
		if err != nil {
			return err
		}
		for len(results) > 0 {
			n := min(len(results), 100)
			q := `INSERT INTO audit_results (run_id, site_id, rule, status, reason) VALUES `
			args := make([]any, 0, n*5)
			for i, x := range results[:n] {
				if i > 0 {
					q += ", "
				}
				q += "(?, ?, ?, ?, ?)"
				args = append(args, r.ID, x.SiteID, x.Rule, string(x.Status), x.Reason)
			}
			if _, err := db.exec(ctx, q, args...); err != nil {
				return err
			}
			results = results[n:]
		}
		return nil
	})
}

// AuditRuns returns the latest runs, newest first.
func (db *DB) AuditRuns(ctx context.Context, limit int) ([]*compliance.Run, error) {
	rows, err := db.query(ctx, `SELECT id, at, pack_version, actor, sites, failing, duration_ms FROM audit_runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*compliance.Run
	for rows.Next() {
		var r compliance.Run
		var ms int64
		if err := rows.Scan(&r.ID, &r.At, &r.Pack, &r.Actor, &r.Sites, &r.Failing, &ms); err != nil {
			return nil, err
		}
		r.At, r.Duration = r.At.UTC(), time.Duration(ms)*time.Millisecond
		out = append(out, &r)
	}
	return out, rows.Err()
}

// SiteAuditHistory returns failed rules per site per run.
func (db *DB) SiteAuditHistory(ctx context.Context, runs []int64) (map[int64]map[int64]int, error) {
	args := make([]any, len(runs))
	for i, r := range runs {
		args[i] = r
	}
	rows, err := db.query(ctx, `SELECT site_id, run_id, COUNT(*) FROM audit_results WHERE status = 'fail' AND run_id IN (`+placeholders(len(runs))+`) GROUP BY site_id, run_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[int64]int{}
	for rows.Next() {
		var site, run int64
		var n int
		if err := rows.Scan(&site, &run, &n); err != nil {
			return nil, err
		}
		if out[site] == nil {
			out[site] = map[int64]int{}
		}
		out[site][run] = n
	}
	return out, rows.Err()
}

// AuditResults returns the results of one run.
func (db *DB) AuditResults(ctx context.Context, runID int64) ([]compliance.Result, error) {
	rows, err := db.query(ctx, `SELECT run_id, site_id, rule, status, reason FROM audit_results WHERE run_id = ? ORDER BY site_id, rule`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []compliance.Result
	for rows.Next() {
		var r compliance.Result
		var st string
		if err := rows.Scan(&r.RunID, &r.SiteID, &r.Rule, &st, &r.Reason); err != nil {
			return nil, err
		}
		r.Status = compliance.Status(st)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Analyze refreshes the query planner's statistics after a large import.
// On PostgreSQL it vacuums too: the visibility map lets a word search read
// its indexes only (autovacuum does the same later on its own).
func (db *DB) Analyze(ctx context.Context) error {
	if db.engine == Postgres {
		_, err := db.write.ExecContext(ctx, `VACUUM (ANALYZE) documents, document_words, document_word_freq`)
		return err
	}
	_, err := db.exec(ctx, `ANALYZE`)
	return err
}

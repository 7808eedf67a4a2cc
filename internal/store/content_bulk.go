package store

import (
	"context"
	"fmt"
	"strings"
)

// NextIDs reserves n ids of a table, for inserting many rows that refer to
// each other in one go (the demo's articles, translations and revisions).
func (db *DB) NextIDs(ctx context.Context, table string, n int) ([]int64, error) {
	if n <= 0 {
		return nil, nil
	}
	out := make([]int64, 0, n)
	if db.engine == Postgres {
		rows, err := db.query(ctx, `SELECT nextval(pg_get_serial_sequence('`+table+`', 'id')) FROM generate_series(1, ?)`, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			out = append(out, id)
		}
		return out, rows.Err()
	}
	if !db.inTx(ctx) {
		return nil, fmt.Errorf("store: NextIDs on SQLite needs a transaction")
	}
	var top int64
	if err := db.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&top); err != nil {
		return nil, err
	}
	for i := range n {
		out = append(out, top+int64(i)+1)
	}
	return out, nil
}

// InsertMany inserts rows into table in multi-row statements.
func (db *DB) InsertMany(ctx context.Context, table string, cols []string, rows [][]any) error {
	per := max(1, 30000/len(cols)) // under both engines' limits on parameters
	for len(rows) > 0 {
		n := min(per, len(rows))
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		one := "(" + placeholders(len(cols)) + ")"
		args := make([]any, 0, n*len(cols))
		for i, r := range rows[:n] {
			if len(r) != len(cols) {
				return fmt.Errorf("store: InsertRows %s: row has %d values for %d columns", table, len(r), len(cols))
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(one)
			args = append(args, r...)
		}
		if _, err := db.exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("store: insert into %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

// CopyFirstRevisions records the current state of the items with ids as
// their first revision (the demo's bulk-written items), copying inside the
// database.
func (db *DB) CopyFirstRevisions(ctx context.Context, ids []int64) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		ids = ids[n:]
		_, err := db.exec(ctx, `INSERT INTO article_revisions (article_id, version, title, summary, body, fields, author_id, author_name, note, created_at)
			SELECT a.id, a.version, a.title, a.summary, a.body, '{"status":"' || a.status || '"}', a.created_by, a.created_by_name, 'demo', a.created_at
			FROM articles a WHERE a.id IN (`+placeholders(n)+`)`, args...)
		if err != nil {
			return err
		}
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/congvn/cong/internal/opendata"
)

// The datastore: one table per loaded file version of a tabular resource,
// named by opendata (ods_<resource>_<version>), with _id, one column per
// CSV column (c1, c2, …; typed in PostgreSQL, typed values in SQLite) and
// _text, the row's folded words for q. Filtered columns get an index, so a
// filtered page of a million rows is an index range.

func colName(i int) string {
	if i < 0 {
		return "_id"
	}
	return "c" + strconv.Itoa(i+1)
}

func pgType(t string) string {
	switch t {
	case opendata.TypeInt:
		return "bigint"
	case opendata.TypeNumeric:
		return "double precision"
	case opendata.TypeDate:
		return "date"
	}
	return "text"
}

// CreateTable creates an empty datastore table.
func (db *DB) CreateTable(ctx context.Context, table string, cols []opendata.Column) error {
	var b strings.Builder
	b.WriteString("CREATE TABLE " + quoteIdent(table) + " (")
	if db.engine == Postgres {
		b.WriteString("_id bigint NOT NULL") // the key is added once loaded: faster than kept up row by row
	} else {
		b.WriteString("_id INTEGER PRIMARY KEY")
	}
	for i, c := range cols {
		b.WriteString(", " + colName(i))
		if db.engine == Postgres {
			b.WriteString(" " + pgType(c.Type))
		}
	}
	b.WriteString(", _text TEXT NOT NULL DEFAULT '')")
	_, err := db.exec(ctx, b.String())
	return err
}

// DropTable removes a datastore table, and its coded columns, if it exists.
func (db *DB) DropTable(ctx context.Context, table string) error {
	if _, err := db.exec(ctx, `DROP TABLE IF EXISTS `+quoteIdent(table)); err != nil {
		return err
	}
	_, err := db.exec(ctx, `DELETE FROM od_table_codes WHERE tbl = ?`, table)
	return err
}

// InsertRows appends rows (_id, values…, text) in a transaction of its
// own: COPY on PostgreSQL, multi-row INSERTs through one prepared statement
// on SQLite.
func (db *DB) InsertRows(ctx context.Context, table string, cols []opendata.Column, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	ncols := len(cols)
	if db.engine == Postgres {
		// Dates travel as time.Time.
		for _, r := range rows {
			for i, c := range cols {
				if c.Type == opendata.TypeDate {
					r[i+1] = db.tableValue(r[i+1])
				}
			}
		}
	}
	// COPY runs on a connection of its own, which cannot see a table
	// created in the caller's transaction: there, plain INSERTs.
	if db.engine == Postgres && !db.inTx(ctx) {
		return db.copyRows(ctx, table, ncols, rows)
	}
	width := ncols + 2
	per := min(200, 32000/width)
	stmtFor := func(k int) string {
		var b strings.Builder
		b.WriteString("INSERT INTO " + quoteIdent(table) + " VALUES ")
		one := "(" + placeholders(width) + ")"
		for i := 0; i < k; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(one)
		}
		return b.String()
	}
	return db.InTx(ctx, func(ctx context.Context) error {
		tx := ctx.Value(txKey{}).(*txState).tx
		full, err := tx.PrepareContext(ctx, db.q(stmtFor(per)))
		if err != nil {
			return err
		}
		defer full.Close()
		args := make([]any, 0, per*width)
		for len(rows) > 0 {
			k := min(per, len(rows))
			args = args[:0]
			for _, r := range rows[:k] {
				args = append(args, r...)
			}
			if k == per {
				_, err = full.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, db.q(stmtFor(k)), args...)
			}
			if err != nil {
				return err
			}
			rows = rows[k:]
		}
		return nil
	})
}

// StreamRows appends the rows of every batch next returns, until it
// returns nil: on PostgreSQL in one COPY (one transaction, one flush of the
// log), on SQLite a transaction a batch (so that other writers are not
// held back). A batch may be reused once next is called again.
func (db *DB) StreamRows(ctx context.Context, table string, cols []opendata.Column, next func() [][]any) error {
	if db.engine != Postgres || db.inTx(ctx) {
		for b := next(); b != nil; b = next() {
			if err := db.InsertRows(ctx, table, cols, b); err != nil {
				return err
			}
		}
		return nil
	}
	names := []string{"_id"}
	for i := range cols {
		names = append(names, colName(i))
	}
	names = append(names, "_text")
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	src := &batchSource{next: next, db: db, cols: cols}
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		_, err := pc.CopyFrom(ctx, pgx.Identifier{table}, names, src)
		return err
	})
}

// batchSource feeds COPY from batches of rows.
type batchSource struct {
	next  func() [][]any
	db    *DB
	cols  []opendata.Column
	batch [][]any
	i     int
}

func (s *batchSource) Next() bool {
	s.i++
	for s.i >= len(s.batch) {
		if s.batch = s.next(); s.batch == nil {
			return false
		}
		s.i = 0
	}
	return true
}

func (s *batchSource) Values() ([]any, error) {
	r := s.batch[s.i]
	for i, c := range s.cols {
		if c.Type == opendata.TypeDate {
			r[i+1] = s.db.tableValue(r[i+1])
		}
	}
	return r, nil
}

func (s *batchSource) Err() error { return nil }

func (db *DB) copyRows(ctx context.Context, table string, ncols int, rows [][]any) error {
	names := []string{"_id"}
	for i := 0; i < ncols; i++ {
		names = append(names, colName(i))
	}
	names = append(names, "_text")
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		_, err := pc.CopyFrom(ctx, pgx.Identifier{table}, names, pgx.CopyFromRows(rows))
		return err
	})
}

// FinishTable indexes the columns marked Indexed and gathers statistics.
func (db *DB) FinishTable(ctx context.Context, table string, cols []opendata.Column) error {
	if db.engine == Postgres {
		if _, err := db.exec(ctx, "ALTER TABLE "+quoteIdent(table)+" ADD PRIMARY KEY (_id)"); err != nil {
			return err
		}
	}
	for i, c := range cols {
		if !c.Indexed {
			continue
		}
		idx := quoteIdent(table + "_" + colName(i))
		var q string
		if db.engine == Postgres {
			q = fmt.Sprintf("CREATE INDEX %s ON %s (%s, _id)", idx, quoteIdent(table), colName(i))
		} else {
			q = fmt.Sprintf("CREATE INDEX %s ON %s (%s)", idx, quoteIdent(table), colName(i))
		}
		if _, err := db.exec(ctx, q); err != nil {
			return err
		}
	}
	if db.engine == Postgres {
		// Statistics only: a VACUUM would rewrite every page of a freshly
		// loaded table, and counts and filters no longer need the
		// visibility map (coded columns answer them).
		_, err := db.exec(ctx, "ANALYZE "+quoteIdent(table))
		return err
	}
	// Statistics let SQLite prefer a column's index over reading the
	// table in _id order.
	_, err := db.exec(ctx, "ANALYZE "+quoteIdent(table))
	return err
}

func (db *DB) tableWhere(cols []opendata.Column, q *opendata.TableQuery) (string, []any) {
	var conds []string
	var args []any
	for _, f := range q.Filters {
		if len(f.Values) == 0 {
			conds = append(conds, "1 = 0")
			continue
		}
		if len(f.Values) == 1 {
			conds = append(conds, colName(f.Col)+" = ?")
		} else {
			conds = append(conds, colName(f.Col)+" IN ("+placeholders(len(f.Values))+")")
		}
		for _, v := range f.Values {
			if f.Col >= 0 && cols[f.Col].Type == opendata.TypeDate {
				v = db.tableValue(v)
			}
			args = append(args, v)
		}
	}
	for _, w := range q.Words {
		conds = append(conds, `_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(w)+"%")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func (db *DB) tableValue(v any) any {
	if s, ok := v.(string); ok && db.engine == Postgres && len(s) == 10 && s[4] == '-' && s[7] == '-' {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t
		}
	}
	return v
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func tableOrder(q *opendata.TableQuery) string {
	var parts []string
	idSorted := false
	for _, k := range q.Sort {
		dir := " ASC NULLS FIRST"
		if k.Desc {
			dir = " DESC NULLS LAST"
		}
		if k.Col < 0 {
			idSorted = true
			dir = strings.Fields(dir)[0]
			parts = append(parts, "_id "+dir)
			continue
		}
		parts = append(parts, colName(k.Col)+dir)
	}
	if !idSorted {
		parts = append(parts, "_id")
	}
	return " ORDER BY " + strings.Join(parts, ", ")
}

// SearchTable returns a page of a datastore table and, when asked, how many
// rows match.
func (db *DB) SearchTable(ctx context.Context, table string, cols []opendata.Column, q *opendata.TableQuery) (*opendata.TableResult, error) {
	where, args := db.tableWhere(cols, q)
	var sel []string
	for _, i := range q.Fields {
		sel = append(sel, colName(i))
	}
	res := &opendata.TableResult{}
	query := "SELECT " + strings.Join(sel, ", ") + " FROM " + quoteIdent(table) + where + tableOrder(q) + " LIMIT ? OFFSET ?"
	rows, err := db.query(ctx, query, append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		row, err := scanTableRow(rows, len(sel))
		if err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if q.Total {
		if q.Offset == 0 && len(res.Rows) < q.Limit {
			res.Total = int64(len(res.Rows))
		} else if err := db.queryRow(ctx, "SELECT COUNT(*) FROM "+quoteIdent(table)+where, args...).Scan(&res.Total); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// EachTableRow calls fn with every row that matches q, in order, without
// holding them all (for exports).
func (db *DB) EachTableRow(ctx context.Context, table string, cols []opendata.Column, q *opendata.TableQuery, fn func([]any) error) error {
	where, args := db.tableWhere(cols, q)
	var sel []string
	for _, i := range q.Fields {
		sel = append(sel, colName(i))
	}
	rows, err := db.query(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+quoteIdent(table)+where+tableOrder(q), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		row, err := scanTableRow(rows, len(sel))
		if err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

func scanTableRow(rows *sql.Rows, n int) ([]any, error) {
	row := make([]any, n)
	ptrs := make([]any, n)
	for i := range row {
		ptrs[i] = &row[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	for i, v := range row {
		switch x := v.(type) {
		case []byte:
			row[i] = string(x)
		case time.Time:
			row[i] = x.Format(time.DateOnly)
		case int32:
			row[i] = int64(x)
		}
	}
	return row, nil
}

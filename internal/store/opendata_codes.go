package store

import (
	"context"
	"slices"
	"strings"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/opendata"
)

// SaveColumnCodes stores a coded column of a datastore table: its
// dictionary and the codes of its rows in parts.
func (db *DB) SaveColumnCodes(ctx context.Context, table string, col int, dict []byte, parts [][]byte) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		if _, err := db.exec(ctx, `DELETE FROM od_table_codes WHERE tbl = ? AND col = ?`, table, col); err != nil {
			return err
		}
		if _, err := db.exec(ctx, `INSERT INTO od_table_codes (tbl, col, part, data) VALUES (?, ?, -1, ?)`, table, col, dict); err != nil {
			return err
		}
		for i, p := range parts {
			if _, err := db.exec(ctx, `INSERT INTO od_table_codes (tbl, col, part, data) VALUES (?, ?, ?, ?)`, table, col, i, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// ColumnCodes returns what SaveColumnCodes stored, or fault.NotFound.
func (db *DB) ColumnCodes(ctx context.Context, table string, col int) (dict []byte, parts [][]byte, err error) {
	rows, err := db.query(ctx, `SELECT part, data FROM od_table_codes WHERE tbl = ? AND col = ? ORDER BY part`, table, col)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var part int
		var data []byte
		if err := rows.Scan(&part, &data); err != nil {
			return nil, nil, err
		}
		found = true
		if part < 0 {
			dict = data
		} else {
			parts = append(parts, data)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if !found {
		return nil, nil, fault.New(fault.NotFound, "data.no_datastore", table)
	}
	return dict, parts, nil
}

// TableRowsByID returns the given fields of the rows with the given ids, in
// the order of ids.
func (db *DB) TableRowsByID(ctx context.Context, table string, fields []int, ids []int64) ([][]any, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	sel := make([]string, 0, len(fields)+1)
	sel = append(sel, "_id")
	for _, i := range fields {
		sel = append(sel, colName(i))
	}
	head := "SELECT " + strings.Join(sel, ", ") + " FROM " + quoteIdent(table) + " WHERE "
	byID := make(map[int64][]any, len(ids))
	all := ids
	for len(ids) > 0 {
		k := min(len(ids), 500)
		part := ids[:k]
		ids = ids[k:]
		var query string
		var args []any
		first, last := slices.Min(part), slices.Max(part)
		if last-first+1 <= int64(2*k) {
			// Close together: one range read, the rows between filtered here.
			query, args = head+"_id BETWEEN ? AND ?", []any{first, last}
		} else {
			query = head + "_id IN (" + placeholders(k) + ")"
			for _, id := range part {
				args = append(args, id)
			}
		}
		want := make(map[int64]bool, k)
		for _, id := range part {
			want[id] = true
		}
		rows, err := db.reader(ctx).QueryContext(ctx, db.q(query), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			row, err := scanTableRow(rows, len(sel))
			if err != nil {
				rows.Close()
				return nil, err
			}
			if id, _ := row[0].(int64); want[id] {
				byID[id] = row[1:]
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	out := make([][]any, 0, len(all))
	for _, id := range all {
		if row, ok := byID[id]; ok {
			out = append(out, row)
		}
	}
	return out, nil
}

var _ opendata.DatastoreStore = (*DB)(nil)

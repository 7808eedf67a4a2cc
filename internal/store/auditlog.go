package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/congvn/cong/internal/auditlog"
)

// LockAuditHead serialises appends to the audit log's hash chain.
func (db *DB) LockAuditHead(ctx context.Context) error {
	if !db.inTx(ctx) {
		return errors.New("store: LockAuditHead outside a transaction")
	}
	return db.lock(ctx, lockAuditLog)
}

// AuditHead returns the last entry's number and hash.
func (db *DB) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	err := db.queryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, auditlog.Genesis, nil
	}
	return seq, hash, err
}

// InsertAudit appends an entry.
func (db *DB) InsertAudit(ctx context.Context, e *auditlog.Entry) error {
	_, err := db.exec(ctx, `INSERT INTO audit_log (seq, at, actor_id, actor_name, via, addr, action, site_id, target, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, ts(e.At), e.ActorID, e.ActorName, e.Via, e.Addr, e.Action, e.SiteID, e.Target, e.Detail, e.PrevHash, e.Hash)
	return err
}

const auditColumns = `seq, at, actor_id, actor_name, via, addr, action, site_id, target, detail, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }) (*auditlog.Entry, error) {
	var e auditlog.Entry
	err := row.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Via, &e.Addr, &e.Action, &e.SiteID, &e.Target, &e.Detail, &e.PrevHash, &e.Hash)
	e.At = e.At.UTC()
	return &e, err
}

// AuditEntries lists entries newest first, with the total matching count.
func (db *DB) AuditEntries(ctx context.Context, f auditlog.Filter) ([]*auditlog.Entry, int, error) {
	where, args := "1 = 1", []any{}
	if f.SiteID != 0 || !f.AllSites {
		where += " AND site_id = ?"
		args = append(args, f.SiteID)
	}
	if f.Action != "" {
		where += " AND action = ?"
		args = append(args, f.Action)
	}
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE `+where+` ORDER BY seq DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*auditlog.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// EachAudit calls fn for every entry in order, reading in batches so the
// whole log never sits in memory.
func (db *DB) EachAudit(ctx context.Context, fn func(*auditlog.Entry) error) error {
	var after int64
	for {
		rows, err := db.query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000`, after)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return err
			}
			n++
			after = e.Seq
			if err := fn(e); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil || n == 0 {
			return err
		}
	}
}

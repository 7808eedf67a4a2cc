package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/congvn/cong/internal/open311"
)

const open311KeyColumns = `id, name, prefix, per_minute, created_at, revoked_at`

func scanOpen311Key(row interface{ Scan(...any) error }) (*open311.Key, error) {
	var k open311.Key
	var revoked sql.NullTime
	if err := row.Scan(&k.ID, &k.Name, &k.Prefix, &k.PerMinute, &k.CreatedAt, &revoked); err != nil {
		return nil, err
	}
	k.Revoked = revoked.Valid
	if revoked.Valid {
		k.RevokedAt = revoked.Time
	}
	return &k, nil
}

// Open311Key returns the application key with a hash.
func (db *DB) Open311Key(ctx context.Context, hash string) (*open311.Key, error) {
	k, err := scanOpen311Key(db.queryRow(ctx, `SELECT `+open311KeyColumns+` FROM open311_keys WHERE key_hash = ?`, hash))
	if err != nil {
		return nil, notFound(err, "open311.key_invalid")
	}
	return k, nil
}

// Open311Keys lists the application keys, newest first (never the keys
// themselves: only their hashes are stored).
func (db *DB) Open311Keys(ctx context.Context) ([]*open311.Key, error) {
	rows, err := db.query(ctx, `SELECT `+open311KeyColumns+` FROM open311_keys ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*open311.Key
	for rows.Next() {
		k, err := scanOpen311Key(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// CreateOpen311Key stores a new application key by its hash.
func (db *DB) CreateOpen311Key(ctx context.Context, k *open311.Key, hash string) error {
	return db.queryRowTx(ctx, `INSERT INTO open311_keys (name, key_hash, prefix, per_minute, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		k.Name, hash, k.Prefix, k.PerMinute, ts(k.CreatedAt)).Scan(&k.ID)
}

// RevokeOpen311Key marks a key revoked; a key already revoked or unknown
// is not found.
func (db *DB) RevokeOpen311Key(ctx context.Context, id int64, at time.Time) error {
	res, err := db.exec(ctx, `UPDATE open311_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, ts(at), id)
	return rowsAffected(res, err, "open311keys.not_found")
}

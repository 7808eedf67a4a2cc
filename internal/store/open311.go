package store

import (
	"context"
	"database/sql"

	"github.com/congvn/cong/internal/open311"
)

// Open311Key returns the application key with a hash.
func (db *DB) Open311Key(ctx context.Context, hash string) (*open311.Key, error) {
	var k open311.Key
	var revoked sql.NullTime
	err := db.queryRow(ctx, `SELECT id, name, prefix, per_minute, created_at, revoked_at FROM open311_keys WHERE key_hash = ?`, hash).
		Scan(&k.ID, &k.Name, &k.Prefix, &k.PerMinute, &k.CreatedAt, &revoked)
	k.Revoked = revoked.Valid
	return &k, notFound(err, "open311.key_invalid")
}

// CreateOpen311Key stores a new application key by its hash.
func (db *DB) CreateOpen311Key(ctx context.Context, k *open311.Key, hash string) error {
	return db.queryRowTx(ctx, `INSERT INTO open311_keys (name, key_hash, prefix, per_minute, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		k.Name, hash, k.Prefix, k.PerMinute, ts(k.CreatedAt)).Scan(&k.ID)
}

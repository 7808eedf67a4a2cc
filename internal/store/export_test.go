package store

import (
	"context"
	"database/sql"
)

// ExecForTest runs a statement outside the domain, the way someone editing
// the database behind the application's back would.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.write.ExecContext(ctx, db.q(query), args...)
}

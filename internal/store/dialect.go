package store

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Advisory lock keys for PostgreSQL; SQLite's write transactions are already
// exclusive, so there locks are no-ops.
const (
	lockMigrate  = 7100
	lockAuditLog = 7101
	// lockFeedbackImport serialises bulk imports of feedback, which choose
	// their own ids.
	lockFeedbackImport = 7130
)

// lock takes a transaction-scoped lock so that only one writer at a time
// proceeds past this point (migrations, the audit log's hash chain).
func (db *DB) lock(ctx context.Context, key int64) error {
	if db.engine != Postgres {
		return nil
	}
	_, err := db.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, key)
	return err
}

// isUniqueViolation reports whether err is a unique-constraint violation in
// either engine.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isForeignKeyViolation reports whether err is a foreign-key violation.
func isForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

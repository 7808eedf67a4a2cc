package store

import (
	"database/sql"
	"errors"
	"time"

	"github.com/congvn/cong/internal/fault"
)

// ts prepares a time for storage: UTC, microseconds (PostgreSQL's
// precision, so both engines give back exactly what was written).
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// nullTS stores the zero time as NULL.
func nullTS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// nullID stores id 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// timeOf returns the time of a nullable column, zero for NULL.
func timeOf(n sql.NullTime) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return n.Time.UTC()
}

// notFound turns sql.ErrNoRows into a NotFound fault with the given key.
func notFound(err error, key string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fault.New(fault.NotFound, key)
	}
	return err
}

// rowsAffected returns a NotFound fault with key when res changed no row.
func rowsAffected(res sql.Result, err error, key string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fault.New(fault.NotFound, key)
	}
	return nil
}

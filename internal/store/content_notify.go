package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notify sends a notice to every node listening on channel (PostgreSQL
// NOTIFY); on SQLite, with one process, it does nothing.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	if db.engine != Postgres {
		return nil
	}
	_, err := db.exec(ctx, `SELECT pg_notify(?, ?)`, channel, payload)
	return err
}

// Listen calls fn with the payload of every notice on channel until ctx
// ends, reconnecting after a lost connection. It returns at once on SQLite.
func (db *DB) Listen(ctx context.Context, channel string, fn func(payload string)) {
	if db.engine != Postgres {
		return
	}
	for ctx.Err() == nil {
		if err := db.listen(ctx, channel, fn); err != nil && ctx.Err() == nil {
			select {
			case <-ctx.Done():
			case <-time.After(2 * time.Second):
			}
		}
	}
}

func (db *DB) listen(ctx context.Context, channel string, fn func(string)) error {
	conn, err := pgx.Connect(ctx, db.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		fn(n.Payload)
	}
}

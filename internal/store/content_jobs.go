package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/congvn/cong/internal/jobs"
)

// lockJobs is the advisory lock held by the one node that runs jobs.
const lockJobs = 7110

const jobColumns = `id, kind, ref, site_id, payload, run_at, state, attempts, last_error, late_seconds, acknowledged, created_at, finished_at`

func scanJob(row interface{ Scan(...any) error }) (*jobs.Job, error) {
	var j jobs.Job
	var fin sql.NullTime
	err := row.Scan(&j.ID, &j.Kind, &j.Ref, &j.SiteID, &j.Payload, &j.RunAt, &j.State, &j.Attempts, &j.LastError,
		&j.LateSeconds, &j.Acknowledged, &j.Created, &fin)
	j.RunAt, j.Created, j.Finished = j.RunAt.UTC(), j.Created.UTC(), timeOf(fin)
	return &j, err
}

// EnqueueJob inserts a job.
func (db *DB) EnqueueJob(ctx context.Context, j *jobs.Job) error {
	j.Created = ts(time.Now())
	j.RunAt = ts(j.RunAt)
	return db.queryRowTx(ctx, `INSERT INTO jobs (kind, ref, site_id, payload, run_at, state, attempts, last_error, late_seconds, acknowledged, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, '', 0, FALSE, ?) RETURNING id`,
		j.Kind, j.Ref, j.SiteID, j.Payload, j.RunAt, j.State, j.Created).Scan(&j.ID)
}

// CancelJobs cancels the pending jobs of a kind for ref.
func (db *DB) CancelJobs(ctx context.Context, kind string, ref int64) error {
	_, err := db.exec(ctx, `UPDATE jobs SET state = ?, finished_at = ? WHERE kind = ? AND ref = ? AND state = ?`,
		jobs.Cancelled, ts(time.Now()), kind, ref, jobs.Pending)
	return err
}

// DueJobs returns pending jobs whose time has come, oldest first.
func (db *DB) DueJobs(ctx context.Context, now time.Time, limit int) ([]*jobs.Job, error) {
	return db.jobList(ctx, `SELECT `+jobColumns+` FROM jobs WHERE state = ? AND run_at <= ? ORDER BY run_at, id LIMIT ?`,
		jobs.Pending, ts(now), limit)
}

// NextJobAt returns when the next pending job is due, or the zero time.
func (db *DB) NextJobAt(ctx context.Context) (time.Time, error) {
	var t any
	err := db.queryRow(ctx, `SELECT MIN(run_at) FROM jobs WHERE state = ?`, jobs.Pending).Scan(&t)
	return anyTime(t), err
}

// UpdateJob stores a job's state.
func (db *DB) UpdateJob(ctx context.Context, j *jobs.Job) error {
	res, err := db.exec(ctx, `UPDATE jobs SET run_at = ?, state = ?, attempts = ?, last_error = ?, late_seconds = ?, finished_at = ? WHERE id = ?`,
		ts(j.RunAt), j.State, j.Attempts, j.LastError, j.LateSeconds, nullTS(j.Finished), j.ID)
	return rowsAffected(res, err, "job.not_found")
}

// Problems returns unacknowledged late or failed jobs, newest first.
func (db *DB) Problems(ctx context.Context, siteIDs []int64, limit int) ([]*jobs.Job, error) {
	q := `SELECT ` + jobColumns + ` FROM jobs WHERE acknowledged = FALSE AND (late_seconds > 0 AND state = ? OR state = ?)`
	args := []any{jobs.Done, jobs.Failed}
	if siteIDs != nil {
		if len(siteIDs) == 0 {
			return nil, nil
		}
		q += ` AND site_id IN (` + placeholders(len(siteIDs)) + `)`
		for _, id := range siteIDs {
			args = append(args, id)
		}
	}
	q += ` ORDER BY run_at DESC LIMIT ?`
	return db.jobList(ctx, q, append(args, limit)...)
}

// AcknowledgeJob marks a reported job as seen and returns it.
func (db *DB) AcknowledgeJob(ctx context.Context, id int64) (*jobs.Job, error) {
	if _, err := db.exec(ctx, `UPDATE jobs SET acknowledged = TRUE WHERE id = ?`, id); err != nil {
		return nil, err
	}
	j, err := scanJob(db.queryRow(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id))
	return j, notFound(err, "job.not_found")
}

func (db *DB) jobList(ctx context.Context, q string, args ...any) ([]*jobs.Job, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*jobs.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// Leader takes the job runner's lock. On PostgreSQL it is a session
// advisory lock held on a connection of its own: when the node dies, the
// connection closes and another node's next try succeeds.
func (db *DB) Leader(ctx context.Context) (alive func() bool, release func(), ok bool, err error) {
	if db.engine != Postgres {
		return func() bool { return true }, func() {}, true, nil
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, nil, false, err
	}
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, lockJobs).Scan(&ok); err != nil || !ok {
		conn.Close()
		return nil, nil, false, err
	}
	alive = func() bool {
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return ctx.Err() == nil && conn.PingContext(c) == nil
	}
	release = func() {
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn.ExecContext(c, `SELECT pg_advisory_unlock($1)`, lockJobs)
		conn.Close()
	}
	return alive, release, true, nil
}

// LockSlugs serialises slug choice on a site within the transaction in ctx
// (SQLite's writers are serial already).
func (db *DB) LockSlugs(ctx context.Context, siteID int64) error {
	if db.engine != Postgres {
		return nil
	}
	_, err := db.exec(ctx, `SELECT pg_advisory_xact_lock(?, ?)`, 7111, int32(siteID))
	return err
}

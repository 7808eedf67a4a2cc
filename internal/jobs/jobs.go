// Package jobs runs work that must happen later or outside a request —
// scheduled publication and expiry, e-mail, image variants — as durable
// jobs in the database: a job is written in the same transaction as the
// change that needs it, so a restart loses none, and a job that runs late
// (the server was down at its time) records how late, so a missed schedule
// is reported instead of passing in silence. On PostgreSQL only one node
// runs jobs at a time (an advisory lock); the others wait to take over.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
)

// States of a job.
const (
	Pending   = "pending"
	Done      = "done"
	Failed    = "failed" // gave up after MaxAttempts
	Cancelled = "cancelled"
)

// MaxAttempts is how often a failing job is tried before it is reported as
// failed.
const MaxAttempts = 5

// Job is one unit of deferred work.
type Job struct {
	ID           int64
	Kind         string // e.g. article.publish
	Ref          int64  // what it acts on, e.g. an article id
	SiteID       int64  // the site it belongs to, for reports; 0 for none
	Payload      string
	RunAt        time.Time
	State        string
	Attempts     int
	LastError    string
	LateSeconds  int // how much later than RunAt it ran, when beyond the grace period
	Acknowledged bool
	Created      time.Time
	Finished     time.Time
}

// Late reports whether the job ran later than its time by more than the
// queue's grace period.
func (j *Job) Late() bool { return j.LateSeconds > 0 }

// Store keeps jobs.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	AfterCommit(ctx context.Context, key string, f func())
	EnqueueJob(ctx context.Context, j *Job) error
	CancelJobs(ctx context.Context, kind string, ref int64) error
	DueJobs(ctx context.Context, now time.Time, limit int) ([]*Job, error)
	NextJobAt(ctx context.Context) (time.Time, error)
	UpdateJob(ctx context.Context, j *Job) error
	// Problems returns jobs of the given sites (all when nil) that ran late
	// and were not acknowledged, or failed.
	Problems(ctx context.Context, siteIDs []int64, limit int) ([]*Job, error)
	AcknowledgeJob(ctx context.Context, id int64) (*Job, error)
	// Leader takes the job runner's lock: alive reports whether it is still
	// held, release gives it back. On an engine with one process (SQLite)
	// it always succeeds.
	Leader(ctx context.Context) (alive func() bool, release func(), ok bool, err error)
}

// Handler does the work of a job inside a transaction that also marks the
// job done: the work and its completion commit together.
type Handler func(ctx context.Context, j *Job) error

// Queue schedules and runs jobs.
type Queue struct {
	store    Store
	Logger   *slog.Logger
	Grace    time.Duration
	now      func() time.Time
	mu       sync.Mutex
	handlers map[string]Handler
	wake     chan struct{}
}

// New returns a queue over st.
func New(st Store) *Queue {
	return &Queue{store: st, Logger: slog.Default(), Grace: time.Minute, now: time.Now,
		handlers: map[string]Handler{}, wake: make(chan struct{}, 1)}
}

// SetClock replaces the clock, for tests.
func (q *Queue) SetClock(now func() time.Time) { q.now = now }

// Handle registers the handler of a kind of job.
func (q *Queue) Handle(kind string, h Handler) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.handlers[kind] = h
}

// Enqueue adds a job within the transaction in ctx; the runner is woken
// when it commits.
func (q *Queue) Enqueue(ctx context.Context, j *Job) error {
	j.State = Pending
	if j.RunAt.IsZero() {
		j.RunAt = q.now()
	}
	if err := q.store.EnqueueJob(ctx, j); err != nil {
		return err
	}
	q.store.AfterCommit(ctx, "jobs.wake", q.Wake)
	return nil
}

// Cancel cancels the pending jobs of a kind for ref.
func (q *Queue) Cancel(ctx context.Context, kind string, ref int64) error {
	return q.store.CancelJobs(ctx, kind, ref)
}

// Wake makes the runner look for due jobs now.
func (q *Queue) Wake() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Problems lists late or failed jobs on the given sites for the dashboard.
func (q *Queue) Problems(ctx context.Context, siteIDs []int64) ([]*Job, error) {
	return q.store.Problems(ctx, siteIDs, 50)
}

// Acknowledge marks a reported job as seen; the caller must hold perm on
// the job's site.
func (q *Queue) Acknowledge(ctx context.Context, id int64, perm access.Permission) error {
	return q.store.InTx(ctx, func(ctx context.Context) error {
		j, err := q.store.AcknowledgeJob(ctx, id)
		if err != nil {
			return err
		}
		return access.Check(ctx, perm, j.SiteID)
	})
}

// RunDue runs every job due now and returns how many ran.
func (q *Queue) RunDue(ctx context.Context) (int, error) {
	n := 0
	for {
		due, err := q.store.DueJobs(ctx, q.now(), 20)
		if err != nil {
			return n, err
		}
		if len(due) == 0 {
			return n, nil
		}
		for _, j := range due {
			q.run(ctx, j)
			n++
		}
	}
}

func (q *Queue) run(ctx context.Context, j *Job) {
	q.mu.Lock()
	h := q.handlers[j.Kind]
	q.mu.Unlock()
	now := q.now()
	if late := now.Sub(j.RunAt); late > q.Grace {
		j.LateSeconds = int(late / time.Second)
	}
	ctx = access.With(ctx, access.System("jobs", "system"))
	j.Attempts++
	var err error
	if h == nil {
		err = fmt.Errorf("no handler for job kind %q", j.Kind)
	} else {
		err = q.store.InTx(ctx, func(ctx context.Context) error {
			if err := h(ctx, j); err != nil {
				return err
			}
			j.State, j.Finished, j.LastError = Done, q.now(), ""
			return q.store.UpdateJob(ctx, j)
		})
	}
	if err == nil {
		if j.Late() {
			q.Logger.Warn("job ran late", "kind", j.Kind, "ref", j.Ref, "late", time.Duration(j.LateSeconds)*time.Second)
		}
		return
	}
	q.Logger.Error("job failed", "kind", j.Kind, "ref", j.Ref, "attempt", j.Attempts, "err", err)
	j.LastError = err.Error()
	if len(j.LastError) > 1000 {
		j.LastError = j.LastError[:1000]
	}
	var f *fault.Error
	if j.Attempts >= MaxAttempts || h == nil || errors.As(err, &f) && f.Kind != fault.Internal {
		// A job refused by the domain (the item was withdrawn, say) will not
		// succeed later either.
		j.State, j.Finished = Failed, q.now()
	} else {
		j.RunAt = q.now().Add(time.Duration(j.Attempts*j.Attempts) * 10 * time.Second)
	}
	if uerr := q.store.UpdateJob(context.WithoutCancel(ctx), j); uerr != nil {
		q.Logger.Error("job update", "err", uerr)
	}
}

// Run runs jobs until ctx ends: it waits for the runner's lock (one node at
// a time on PostgreSQL), then runs due jobs whenever one is due or Wake is
// called, and at least every second.
func (q *Queue) Run(ctx context.Context) {
	for ctx.Err() == nil {
		alive, release, ok, err := q.store.Leader(ctx)
		if err != nil {
			q.Logger.Error("jobs: leader lock", "err", err)
		}
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-time.After(5 * time.Second):
			}
			continue
		}
		q.lead(ctx, alive)
		release()
	}
}

func (q *Queue) lead(ctx context.Context, alive func() bool) {
	for alive() {
		if _, err := q.RunDue(ctx); err != nil && ctx.Err() == nil {
			q.Logger.Error("jobs: run", "err", err)
		}
		wait := time.Second
		if next, err := q.store.NextJobAt(ctx); err == nil && !next.IsZero() {
			if d := next.Sub(q.now()); d < wait {
				wait = max(d, 10*time.Millisecond)
			}
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-q.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
	q.Logger.Warn("jobs: lost the runner's lock; waiting to take it again")
}

package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/congvn/cong/internal/jobs"

	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

// Only one node holds the job runner's lock on PostgreSQL; it passes on
// when released.
func TestJobRunnerLock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		alive, release, ok, err := db.Leader(ctx)
		if err != nil || !ok || !alive() {
			t.Fatalf("first: %v %v", ok, err)
		}
		_, release2, ok2, err := db.Leader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if db.Engine() == store.Postgres && ok2 {
			t.Errorf("two holders of the runner's lock")
		}
		if ok2 {
			release2()
		}
		release()
		_, release3, ok3, err := db.Leader(ctx)
		if err != nil || !ok3 {
			t.Fatalf("after release: %v %v", ok3, err)
		}
		release3()
	})
}

func TestNextJobAt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if next, err := db.NextJobAt(ctx); err != nil || !next.IsZero() {
			t.Fatalf("empty queue: %v %v", next, err)
		}
		at := time.Date(2026, 12, 1, 8, 30, 0, 0, time.UTC)
		if err := db.EnqueueJob(ctx, &jobs.Job{Kind: "x", RunAt: at, State: jobs.Pending}); err != nil {
			t.Fatal(err)
		}
		if next, err := db.NextJobAt(ctx); err != nil || !next.Equal(at) {
			t.Fatalf("next job at %v, %v; want %v", next, err, at)
		}
	})
}

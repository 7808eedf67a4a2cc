// Package visits counts page views per site (lượt truy cập) in memory and
// flushes them to the database every few seconds, so counting a view never
// waits for a write.
package visits

import (
	"context"
	"sync"
	"time"
)

// Store keeps daily view counts.
type Store interface {
	AddVisits(ctx context.Context, day string, views map[int64]int64) error
	VisitTotals(ctx context.Context) (map[int64]int64, error)
}

// Counter counts views.
type Counter struct {
	store Store
	now   func() time.Time

	mu      sync.Mutex
	pending map[int64]int64
	totals  map[int64]int64 // as of the last flush
}

// NewCounter returns a counter, loading the stored totals.
func NewCounter(ctx context.Context, s Store) (*Counter, error) {
	t, err := s.VisitTotals(ctx)
	if err != nil {
		return nil, err
	}
	return &Counter{store: s, now: time.Now, pending: map[int64]int64{}, totals: t}, nil
}

// Hit counts one view of a site.
func (c *Counter) Hit(siteID int64) {
	c.mu.Lock()
	c.pending[siteID]++
	c.mu.Unlock()
}

// Total returns the all-time views of a site, including those not flushed.
func (c *Counter) Total(siteID int64) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.totals[siteID] + c.pending[siteID]
}

// Flush writes the pending counts. On failure they are kept for the next
// flush, so a database hiccup loses no views.
func (c *Counter) Flush(ctx context.Context) error {
	c.mu.Lock()
	batch := c.pending
	c.pending = map[int64]int64{}
	c.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := c.store.AddVisits(ctx, c.now().Format(time.DateOnly), batch)
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, n := range batch {
		if err != nil {
			c.pending[id] += n
		} else {
			c.totals[id] += n
		}
	}
	return err
}

// Run flushes every interval until ctx ends, then flushes once more.
func (c *Counter) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			c.Flush(context.WithoutCancel(ctx))
			return
		case <-t.C:
			c.Flush(ctx)
		}
	}
}

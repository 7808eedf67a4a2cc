// Package throttle limits how often one key (a client address, an account,
// an API key) may do something, with token buckets kept in memory.
package throttle

import (
	"math"
	"sync"
	"time"
)

// Limiter allows Burst actions at once per key, refilled at Rate per second.
type Limiter struct {
	Rate  float64
	Burst float64
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// New returns a limiter allowing burst actions, then one every interval.
func New(burst int, every time.Duration) *Limiter {
	return &Limiter{Rate: 1 / every.Seconds(), Burst: float64(burst), now: time.Now, buckets: map[string]*bucket{}}
}

// SetClock replaces the clock, for tests.
func (l *Limiter) SetClock(now func() time.Time) { l.now = now }

// Allow takes one action for key and reports whether it is allowed; when it
// is not, it also returns how long until it would be.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		l.evict(now)
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.Burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.Burst, b.tokens+now.Sub(b.last).Seconds()*l.Rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.Rate * float64(time.Second))
	return false, wait
}

// evict drops buckets that have refilled completely: they hold no state.
func (l *Limiter) evict(now time.Time) {
	l.sweep = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.Rate >= l.Burst {
			delete(l.buckets, k)
		}
	}
}

// Len returns how many keys are tracked.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

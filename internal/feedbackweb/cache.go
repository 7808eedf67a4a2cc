package feedbackweb

import (
	"sync"
	"time"
)

// cache keeps the public lists and statistics, which every visitor asks
// for and which change only when an answer is published: an entry is
// stale when the feedback service's generation moved on (a change was
// committed on this node) or after ttl (a change on another node).
type cache struct {
	ttl time.Duration
	gen func() uint64

	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	gen uint64
	at  time.Time
	v   any
}

func newCache(ttl time.Duration, gen func() uint64) *cache {
	return &cache{ttl: ttl, gen: gen, entries: map[string]cacheEntry{}}
}

// get returns the value for key, computing it with load when missing or
// stale.
func (c *cache) get(key string, load func() (any, error)) (any, error) {
	g := c.gen()
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.gen == g && now.Sub(e.at) < c.ttl {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.entries) > 5000 {
		c.entries = map[string]cacheEntry{}
	}
	c.entries[key] = cacheEntry{gen: g, at: now, v: v}
	c.mu.Unlock()
	return v, nil
}

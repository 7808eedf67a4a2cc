package throttle

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Unix(1000, 0)
	l := New(3, 10*time.Second)
	l.SetClock(func() time.Time { return now })
	for i := range 3 {
		if ok, _ := l.Allow("1.2.3.4"); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow("1.2.3.4")
	if ok || wait <= 0 || wait > 10*time.Second {
		t.Fatalf("fourth attempt: allowed %v, wait %v", ok, wait)
	}
	if ok, _ := l.Allow("5.6.7.8"); !ok {
		t.Errorf("another address was refused: one flood must not lock out others")
	}
	now = now.Add(10 * time.Second)
	if ok, _ := l.Allow("1.2.3.4"); !ok {
		t.Errorf("refused after the refill interval")
	}
	now = now.Add(time.Hour)
	l.Allow("x")
	if l.Len() != 1 {
		t.Errorf("idle buckets not evicted: %d left", l.Len())
	}
}

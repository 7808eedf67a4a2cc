package feedbackweb

import (
	"crypto/sha256"
	"strconv"
	"strings"
	"testing"
	"time"
)

// badNonce returns a nonce that does not solve challenge.
func badNonce(t *testing.T, challenge string, bits int) string {
	t.Helper()
	for n := 0; n < 1000; n++ {
		s := strconv.Itoa(n)
		if leadingZeros(sha256.Sum256([]byte(challenge+":"+s))) < bits {
			return s
		}
	}
	t.Fatal("no failing nonce found")
	return ""
}

func TestPowVerifies(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	p := newPow([]byte("0123456789abcdef0123456789abcdef"), 8)
	c := p.Challenge(now)
	if !p.Verify(c, Solve(c), now.Add(time.Minute)) {
		t.Fatal("a fresh, solved challenge is refused")
	}
	// Two challenges are never the same.
	if p.Challenge(now) == p.Challenge(now) {
		t.Error("challenges repeat")
	}
}

func TestPowRefusesForgedExpiredAndReplayed(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	key := []byte("0123456789abcdef0123456789abcdef")
	p := newPow(key, 8)
	other := newPow([]byte("another key, another server......"), 8)

	fresh := p.Challenge(now)
	parts := strings.Split(fresh, ".")
	// The same challenge asking for no work at all, with the original
	// signature: the signature covers the difficulty.
	easier := strings.Join([]string{parts[0], parts[1], parts[2], "0", parts[4]}, ".")
	// Issued later than it was, to outlive its age.
	later := strings.Join([]string{parts[0], strconv.FormatInt(now.Unix()+3600, 10), parts[2], parts[3], parts[4]}, ".")
	flipped := fresh[:len(fresh)-1] + string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", fresh[len(fresh)-1])+1)%16])
	// Well formed, signed by another server's key.
	foreign := other.Challenge(now)
	// Signed with the right key but in another format version.
	body := "v2." + strings.Join(parts[1:4], ".")
	v2 := body + "." + p.sign(body)

	for name, tc := range map[string]struct {
		challenge, nonce string
		at               time.Time
	}{
		"forged signature":     {flipped, Solve(flipped), now},
		"lowered difficulty":   {easier, "0", now},
		"moved issue time":     {later, Solve(later), now.Add(3 * time.Hour)},
		"another server's key": {foreign, Solve(foreign), now},
		"other version":        {v2, Solve(v2), now},
		"unsigned":             {strings.Join(parts[:4], "."), "1", now},
		"empty":                {"", "1", now},
		"garbage":              {"v1.x.y.z.w", "1", now},
		"no nonce":             {fresh, "", now},
		"overlong nonce":       {fresh, strings.Repeat("1", 21), now},
		"wrong nonce":          {fresh, badNonce(t, fresh, 8), now},
		"expired":              {fresh, Solve(fresh), now.Add(powAge + time.Second)},
		"issued in the future": {fresh, Solve(fresh), now.Add(-2 * time.Minute)},
	} {
		if p.Verify(tc.challenge, tc.nonce, tc.at) {
			t.Errorf("%s: verified", name)
		}
	}
	// None of the refusals used the challenge up.
	if !p.Verify(fresh, Solve(fresh), now.Add(powAge-time.Second)) {
		t.Fatal("the genuine challenge is refused near the end of its age")
	}
	// A solution serves once, even much later within its age.
	if p.Verify(fresh, Solve(fresh), now.Add(powAge-time.Second)) {
		t.Error("a replayed challenge is verified")
	}
}

// Replays stay refused when the record of used challenges is pruned: only
// challenges past their age are forgotten, and those fail on age anyway.
func TestPowReplayAfterPruning(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	p := newPow([]byte("0123456789abcdef0123456789abcdef"), 0)
	c := p.Challenge(now)
	if !p.Verify(c, "0", now) {
		t.Fatal("refused")
	}
	for i := 0; i <= 100_000; i++ {
		p.used["old"+strconv.Itoa(i)] = now.Add(-3 * time.Hour)
	}
	d := p.Challenge(now)
	if !p.Verify(d, "0", now.Add(time.Second)) {
		t.Fatal("refused")
	}
	if len(p.used) > 10 {
		t.Errorf("used challenges not pruned: %d", len(p.used))
	}
	if p.Verify(c, "0", now.Add(2*time.Second)) || p.Verify(d, "0", now.Add(2*time.Second)) {
		t.Error("replay verified after pruning")
	}
}

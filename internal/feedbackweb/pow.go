package feedbackweb

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Proof of work instead of an image CAPTCHA: the form carries a challenge
// signed by the server; a small script (static/phan-anh.js) finds a nonce
// whose SHA-256 with the challenge starts with Bits zero bits, a fraction
// of a second on a phone and unnoticed by screen-reader and keyboard users.
// A form sent without it (no JavaScript) is still accepted, marked
// unverified and held to a stricter rate per address; when an e-mail
// address is given and mail is on, a confirmation link is sent.

// powAge bounds how long a challenge stays valid.
const powAge = 2 * time.Hour

type pow struct {
	key  []byte
	Bits int

	mu   sync.Mutex
	used map[string]time.Time // solved challenges, so one solution serves once
}

func newPow(key []byte, bits int) *pow {
	return &pow{key: key, Bits: bits, used: map[string]time.Time{}}
}

func (p *pow) sign(s string) string {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil)[:12])
}

// Challenge returns a fresh signed challenge.
func (p *pow) Challenge(now time.Time) string {
	b := make([]byte, 8)
	rand.Read(b)
	s := fmt.Sprintf("v1.%d.%s.%d", now.Unix(), hex.EncodeToString(b), p.Bits)
	return s + "." + p.sign(s)
}

// leadingZeros counts the leading zero bits of a hash.
func leadingZeros(h [32]byte) int {
	n := 0
	for _, b := range h {
		if b == 0 {
			n += 8
			continue
		}
		return n + bits.LeadingZeros8(b)
	}
	return n
}

// Solve finds a nonce for a challenge (for tests and load generators).
func Solve(challenge string) string {
	parts := strings.Split(challenge, ".")
	want := 0
	if len(parts) == 5 {
		want, _ = strconv.Atoi(parts[3])
	}
	for n := 0; ; n++ {
		s := strconv.Itoa(n)
		if leadingZeros(sha256.Sum256([]byte(challenge+":"+s))) >= want {
			return s
		}
	}
}

// Verify reports whether nonce solves a challenge this server issued,
// recently, and not used before.
func (p *pow) Verify(challenge, nonce string, now time.Time) bool {
	parts := strings.Split(challenge, ".")
	if len(parts) != 5 || parts[0] != "v1" || len(nonce) == 0 || len(nonce) > 20 {
		return false
	}
	body := strings.Join(parts[:4], ".")
	if !hmac.Equal([]byte(p.sign(body)), []byte(parts[4])) {
		return false
	}
	issued, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return false
	}
	age := now.Sub(time.Unix(issued, 0))
	if age < -time.Minute || age > powAge {
		return false
	}
	want, err := strconv.Atoi(parts[3])
	if err != nil || want < 0 || want > 40 {
		return false
	}
	if leadingZeros(sha256.Sum256([]byte(challenge+":"+nonce))) < want {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, seen := p.used[challenge]; seen {
		return false
	}
	if len(p.used) > 100_000 {
		for k, t := range p.used {
			if now.Sub(t) > powAge {
				delete(p.used, k)
			}
		}
	}
	p.used[challenge] = now
	return true
}

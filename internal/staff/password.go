package staff

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/congvn/cong/internal/fault"
)

// Argon2id parameters: the OWASP minimum (19 MiB, 2 passes, 1 lane). Stored
// with each hash, so they can be raised later without breaking old hashes.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an encoded argon2id hash of pw
// ($argon2id$v=19$m=…,t=…,p=…$salt$key).
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the encoded hash.
func CheckPassword(encoded, pw string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("staff: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("staff: unsupported argon2 version")
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<20 || t > 10 {
		return false, errors.New("staff: bad argon2 parameters")
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 64 {
		return false, errors.New("staff: bad argon2 key")
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when an e-mail is unknown, so that a login
// for a missing account takes as long as one with a wrong password. It is
// made on first use: hashing costs 19 MiB, which a server that never sees a
// bad login should not carry from the start.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("cong-dummy-password-for-timing")
	return h
})

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// checkPasswordPolicy refuses passwords that are too short, too long or the
// account's own e-mail.
func checkPasswordPolicy(pw, email string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return fault.OnField("password", "password.too_short", MinPasswordLen)
	case len(pw) > 256:
		return fault.OnField("password", "field.too_long", 256)
	case strings.TrimSpace(pw) == "":
		return fault.OnField("password", "password.too_short", MinPasswordLen)
	case strings.EqualFold(pw, email) || strings.EqualFold(pw, strings.SplitN(email, "@", 2)[0]):
		return fault.OnField("password", "password.is_email")
	}
	return nil
}

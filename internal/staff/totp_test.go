package staff

import (
	"strings"
	"testing"
	"time"
)

// RFC 6238 appendix B test vectors for HMAC-SHA1 (the key is the ASCII
// string "12345678901234567890"), truncated to six digits.
func TestTOTPCodeRFC6238(t *testing.T) {
	secret := b32.EncodeToString([]byte("12345678901234567890"))
	tests := []struct {
		unix int64
		want string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	}
	for _, tt := range tests {
		got, err := TOTPCode(secret, time.Unix(tt.unix, 0))
		if err != nil || got != tt.want {
			t.Errorf("TOTPCode at %d = %q, %v; want %q", tt.unix, got, err, tt.want)
		}
	}
}

func TestMatchTOTP(t *testing.T) {
	secret := NewTOTPSecret()
	now := time.Unix(1_800_000_000, 0)
	code, _ := TOTPCode(secret, now)
	step := now.Unix() / totpStep
	if got := matchTOTP(secret, code, now, 0); got != step {
		t.Fatalf("current code not accepted: step %d, want %d", got, step)
	}
	if got := matchTOTP(secret, code[:3]+" "+code[3:], now, 0); got != step {
		t.Errorf("code typed with a space not accepted")
	}
	if got := matchTOTP(secret, code, now, step); got != 0 {
		t.Errorf("replayed code accepted at step %d", got)
	}
	prev, _ := TOTPCode(secret, now.Add(-30*time.Second))
	if got := matchTOTP(secret, prev, now, 0); got != step-1 && prev != code {
		t.Errorf("code from the previous step (clock drift) not accepted")
	}
	old, _ := TOTPCode(secret, now.Add(-5*time.Minute))
	if got := matchTOTP(secret, old, now, 0); got != 0 && old != code {
		t.Errorf("five-minute-old code accepted")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if matchTOTP(secret, bad, now, 0) != 0 {
			t.Errorf("malformed code %q accepted", bad)
		}
	}
}

func TestOTPAuthURI(t *testing.T) {
	u := OTPAuthURI("Cổng TTĐT Hà Nội", "a@hanoi.gov.vn", "ABCD")
	if !strings.HasPrefix(u, "otpauth://totp/") || !strings.Contains(u, "secret=ABCD") || !strings.Contains(u, "issuer=") {
		t.Errorf("OTPAuthURI = %q", u)
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id with the expected parameters", h)
	}
	if ok, err := CheckPassword(h, "mật khẩu đủ dài"); !ok || err != nil {
		t.Errorf("right password refused: %v", err)
	}
	if ok, _ := CheckPassword(h, "mật khẩu đủ dàI"); ok {
		t.Errorf("wrong password accepted")
	}
	h2, _ := HashPassword("mật khẩu đủ dài")
	if h == h2 {
		t.Errorf("two hashes of one password are equal: salt missing")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=0,t=0,p=0$$", "$bcrypt$xx", "$argon2id$v=19$m=9999999999,t=2,p=1$AAAA$AAAA"} {
		if ok, err := CheckPassword(bad, "x"); ok || err == nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want an error", bad, ok, err)
		}
	}
}

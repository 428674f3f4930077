package oktatest

import (
	"encoding/base32"
	"errors"
	"testing"
	"time"
)

// TestHOTPMatchesRFC6238Vectors checks the TOTP core against RFC 6238 appendix B
// (SHA-1, eight digits, the ASCII secret "12345678901234567890").
func TestHOTPMatchesRFC6238Vectors(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		if got := hotp(key, uint64(tc.unix/30), 8); got != tc.want {
			t.Errorf("T=%d: %s, want %s", tc.unix, got, tc.want)
		}
	}
	// TOTPCode is the six-digit form of the same.
	secret := base32.StdEncoding.EncodeToString(key)
	got, err := TOTPCode(secret, time.Unix(59, 0))
	if err != nil || got != "287082" {
		t.Errorf("TOTPCode = %q, %v; want 287082", got, err)
	}
}

func TestTOTPCodeRejectsBadSecrets(t *testing.T) {
	for _, s := range []string{"", "not base32!", "1"} {
		if _, err := TOTPCode(s, time.Now()); !errors.Is(err, ErrInvalidSecret) {
			t.Errorf("TOTPCode(%q) err = %v", s, err)
		}
	}
	// Lower case and padding are tolerated, as authenticator apps do.
	a, _ := TOTPCode("JBSWY3DPEHPK3PXP", time.Unix(1700000000, 0))
	b, _ := TOTPCode("jbswy3dpehpk3pxp====", time.Unix(1700000000, 0))
	if a == "" || a != b {
		t.Errorf("%q vs %q", a, b)
	}
}

func TestCheckTOTPSkewAndReplay(t *testing.T) {
	f := &factor{secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}
	now := time.Unix(1_800_000_000, 0)
	at := func(d time.Duration) string {
		c, _ := TOTPCode(f.secret, now.Add(d))
		return c
	}
	if ok, _ := f.checkTOTP(at(-90*time.Second), now); ok {
		t.Error("a code three steps old was accepted")
	}
	if ok, _ := f.checkTOTP(at(-30*time.Second), now); !ok {
		t.Error("a code one step old was refused")
	}
	if ok, replay := f.checkTOTP(at(-30*time.Second), now); ok || !replay {
		t.Error("a reused code was not a replay")
	}
	if ok, _ := f.checkTOTP(at(30*time.Second), now); !ok {
		t.Error("a code one step ahead was refused")
	}
	if ok, replay := f.checkTOTP(at(0), now); ok || !replay {
		t.Error("a code older than the last accepted one was not a replay")
	}
}

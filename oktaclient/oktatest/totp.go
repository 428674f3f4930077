package oktatest

// TOTP is written out here rather than taken from a library (such as
// github.com/pquerna/otp): the fake needs exactly Okta's variant (HMAC-SHA1, 30-second
// steps, six digits, base32 secrets, one step of clock skew, no reuse of a step), which
// is twenty lines of crypto/hmac, and a dependency would be pulled into every program
// that imports oktatest for its tests. The RFC 6238 test vectors in totp_test.go check it.

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TOTP parameters of Okta's token:software:totp factors.
const (
	totpStep   = 30 // seconds
	totpDigits = 6
	totpSkew   = 1 // steps accepted either side of the current one
)

// ErrInvalidSecret is returned by TOTPCode for a shared secret that is not base32.
var ErrInvalidSecret = errors.New("oktatest: TOTP shared secret is not valid base32")

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// decodeSecret decodes a base32 shared secret, ignoring case, spaces and padding.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.ReplaceAll(strings.TrimRight(secret, "="), " ", ""))
	key, err := b32.DecodeString(s)
	if err != nil || len(key) == 0 {
		return nil, ErrInvalidSecret
	}
	return key, nil
}

// hotp is RFC 4226's HOTP with HMAC-SHA1 and dynamic truncation.
func hotp(key []byte, counter uint64, digits int) string {
	mac := hmac.New(sha1.New, key)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, code%mod)
}

// TOTPCode returns the six-digit RFC 6238 code (HMAC-SHA1, 30-second steps) of a base32
// shared secret at t: what an authenticator app shows. Use it with the sharedSecret of a
// token:software:totp enrollment (or Server.TOTPSecret) to activate or verify the factor.
func TOTPCode(sharedSecret string, t time.Time) (string, error) {
	key, err := decodeSecret(sharedSecret)
	if err != nil {
		return "", err
	}
	return hotp(key, uint64(t.Unix()/totpStep), totpDigits), nil
}

// newTOTPSecret returns a random 160-bit secret, base32 without padding (32 characters).
func newTOTPSecret() string {
	key := make([]byte, 20)
	if _, err := rand.Read(key); err != nil {
		panic("oktatest: crypto/rand: " + err.Error())
	}
	return b32.EncodeToString(key)
}

// checkTOTP checks code against f's secret at now, allowing one step of skew either way.
// A code of a step at or before the last accepted one is a replay.
func (f *factor) checkTOTP(code string, now time.Time) (ok, replayed bool) {
	key, err := decodeSecret(f.secret)
	if err != nil {
		return false, false
	}
	step := now.Unix() / totpStep
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		s := step + d
		if s < 0 {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(hotp(key, uint64(s), totpDigits)), []byte(code)) == 1 {
			if s <= f.lastStep {
				return false, true
			}
			f.lastStep = s
			return true, false
		}
	}
	return false, false
}

package wrappers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimit is the rate-limit state a response reported.
type RateLimit struct {
	// Limit is the number of requests allowed in the window, or -1 if the
	// response did not say.
	Limit int
	// Remaining is the number of requests left in the window, or -1 if the
	// response did not say.
	Remaining int
	// Reset is when the window resets, on the local clock (a server's epoch
	// reset is translated through its Date header), or the zero time if the
	// response did not say.
	Reset time.Time
}

// RateLimitFunc reads a provider's rate-limit headers. now is the local time
// the response was received. ok is false when none of the headers is present
// and valid.
type RateLimitFunc func(h http.Header, now time.Time) (rl RateLimit, ok bool)

// RateLimitWaitFunc says how long to wait before retrying a 429 response,
// from its headers. now is the local time the response was received. ok is
// false when the headers give no usable hint. A reset in the past gives 0.
type RateLimitWaitFunc func(h http.Header, now time.Time) (wait time.Duration, ok bool)

// EpochRateLimit reads rate-limit headers whose reset is a Unix time in
// seconds (Okta's X-Rate-Limit-Limit, -Remaining, -Reset). The reset is
// measured against the response's Date header, so a skewed local clock does
// not matter, falling back to now when Date is missing or invalid.
func EpochRateLimit(limitHeader, remainingHeader, resetHeader string) RateLimitFunc {
	return func(h http.Header, now time.Time) (RateLimit, bool) {
		rl, ok := parseCounts(h, limitHeader, remainingHeader)
		if w, wok := EpochResetWait(resetHeader)(h, now); wok {
			rl.Reset, ok = now.Add(w), true
		}
		return rl, ok
	}
}

// DeltaRateLimit reads rate-limit headers whose reset is a number of seconds
// from now (OneLogin's X-RateLimit-Limit, -Remaining, -Reset).
func DeltaRateLimit(limitHeader, remainingHeader, resetHeader string) RateLimitFunc {
	return func(h http.Header, now time.Time) (RateLimit, bool) {
		rl, ok := parseCounts(h, limitHeader, remainingHeader)
		if w, wok := DeltaResetWait(resetHeader)(h, now); wok {
			rl.Reset, ok = now.Add(w), true
		}
		return rl, ok
	}
}

// EpochResetWait returns a [RateLimitWaitFunc] for a reset header holding a
// Unix time in seconds. When the response's Date header (the server's clock,
// one-second resolution) agrees with now to within [ClockAgreement], the wait
// is reset minus now, to the nanosecond: measuring it from Date would round
// every wait up by the part of the current second already gone, so the first
// request of a new window would arrive late. When the clocks disagree by more,
// the wait is reset minus Date, so a skewed local clock neither spins nor
// sleeps for hours. Without a valid Date it is reset minus now.
func EpochResetWait(resetHeader string) RateLimitWaitFunc {
	return func(h http.Header, now time.Time) (time.Duration, bool) {
		secs, ok := parseSeconds(h.Get(resetHeader))
		if !ok {
			return 0, false
		}
		ref := now
		if d, err := http.ParseTime(h.Get("Date")); err == nil {
			if skew := now.Sub(d); skew <= -ClockAgreement || skew >= ClockAgreement {
				ref = d
			}
		}
		return max(0, time.Unix(secs, 0).Sub(ref)), true
	}
}

// ClockAgreement is how far apart the local clock and a response's Date
// header may be for [EpochResetWait] to trust the local clock: Date is
// truncated to the second and the response took some time to arrive, so
// clocks in sync differ by up to a second and a little more.
const ClockAgreement = 2 * time.Second

// DeltaResetWait returns a [RateLimitWaitFunc] for a reset header holding the
// number of seconds until the window resets ("2" means two seconds). A
// value too large for a Duration is clamped to about 136 years, so it reads
// as far away, never as no hint.
func DeltaResetWait(resetHeader string) RateLimitWaitFunc {
	return func(h http.Header, _ time.Time) (time.Duration, bool) {
		secs, ok := parseSeconds(h.Get(resetHeader))
		if !ok {
			return 0, false
		}
		return deltaWait(secs), true
	}
}

// RetryAfterWait is a [RateLimitWaitFunc] for the standard Retry-After header
// (RFC 9110: delay-seconds or an HTTP date, the latter measured against the
// response's Date header when present; delay-seconds too large for a
// Duration are clamped like [DeltaResetWait]'s). [Doer] uses it when the
// provider's function gives no hint.
func RetryAfterWait(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, ok := parseSeconds(v); ok {
		return deltaWait(secs), true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	ref := now
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		ref = d
	}
	return max(0, at.Sub(ref)), true
}

// maxDeltaSeconds bounds delta-seconds values so that the Duration cannot
// overflow. A larger value is still a hint, clamped to this (about 136
// years): "too far away", which makes [Doer] give up at once with the 429's
// error exactly as for any wait above [RetryPolicy.MaxRateLimitWait], rather
// than treating it as no hint and retrying after a short backoff.
const maxDeltaSeconds = 1 << 32

// deltaWait turns delta-seconds into a wait, clamped to maxDeltaSeconds.
func deltaWait(secs int64) time.Duration {
	return time.Duration(min(secs, maxDeltaSeconds)) * time.Second
}

func parseCounts(h http.Header, limitHeader, remainingHeader string) (RateLimit, bool) {
	rl := RateLimit{Limit: -1, Remaining: -1}
	ok := false
	if n, err := strconv.Atoi(strings.TrimSpace(h.Get(limitHeader))); err == nil && n >= 0 {
		rl.Limit, ok = n, true
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h.Get(remainingHeader))); err == nil && n >= 0 {
		rl.Remaining, ok = n, true
	}
	return rl, ok
}

// parseSeconds parses a non-negative whole number of seconds. A number of
// digits too large for int64 is maxSeconds, as is any value above it, so
// that a huge reset reads as far away (not as no hint) and time.Unix of it
// cannot overflow.
func parseSeconds(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	n, err := strconv.ParseInt(v, 10, 64)
	if errors.Is(err, strconv.ErrRange) && v != "" && v[0] != '-' {
		return maxSeconds, true
	}
	if err != nil || n < 0 {
		return 0, false
	}
	return min(n, maxSeconds), true
}

// maxSeconds caps parsed second counts: a Unix time this large is about the
// year 36800, far beyond any wait, and still safe for time.Unix.
const maxSeconds = 1 << 40

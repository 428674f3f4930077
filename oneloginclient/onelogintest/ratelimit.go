package onelogintest

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// rateLimiter is OneLogin's fixed-window v1 budget. X-RateLimit-Reset is the number of
// seconds until the window ends (a duration, unlike Okta's epoch time).
type rateLimiter struct {
	limit     int
	window    time.Duration
	remaining int
	resetAt   time.Time
}

func (rl *rateLimiter) roll(now time.Time) {
	if !now.Before(rl.resetAt) {
		rl.remaining = rl.limit
		rl.resetAt = now.Add(rl.window)
	}
}

// take spends one call, reporting false when the budget is spent.
func (rl *rateLimiter) take(now time.Time) bool {
	rl.roll(now)
	if rl.remaining <= 0 {
		return false
	}
	rl.remaining--
	return true
}

func (rl *rateLimiter) resetIn(now time.Time) time.Duration {
	rl.roll(now)
	return rl.resetAt.Sub(now)
}

func (rl *rateLimiter) setHeaders(h http.Header, now time.Time) {
	reset := rl.resetIn(now)
	h.Set("X-RateLimit-Limit", strconv.Itoa(rl.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(rl.remaining))
	h.Set("X-RateLimit-Reset", strconv.Itoa(int(math.Ceil(reset.Seconds()))))
}

// RateLimit reports the current window: its budget, the calls left, and the time until it resets.
func (s *Server) RateLimit() (limit, remaining int, reset time.Duration) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	reset = s.rl.resetIn(now)
	return s.rl.limit, s.rl.remaining, reset
}

// SetRateLimitRemaining sets the calls left in the current window (0 makes the next v1 call
// answer 429 until the window resets).
func (s *Server) SetRateLimitRemaining(n int) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rl.roll(now)
	s.rl.remaining = max(0, min(n, s.rl.limit))
}

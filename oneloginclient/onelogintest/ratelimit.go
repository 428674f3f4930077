package onelogintest

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// setRateHeaders sets OneLogin's v1 rate-limit headers for s.rl at now. s.mu must be held.
// X-RateLimit-Reset is the number of seconds until the window ends (a duration, unlike
// Okta's epoch time).
func (s *Server) setRateHeaders(h http.Header, now time.Time) {
	reset := s.rl.ResetAt(now).Sub(now)
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.rl.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.rl.Remaining(now)))
	h.Set("X-RateLimit-Reset", strconv.Itoa(int(math.Ceil(reset.Seconds()))))
}

// rateHeaders sets the rate-limit headers without spending any budget.
func (s *Server) rateHeaders(h http.Header) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setRateHeaders(h, now)
}

// RateLimit reports the current window: its budget, the calls left, and the time until it resets.
func (s *Server) RateLimit() (limit, remaining int, reset time.Duration) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	reset = s.rl.ResetAt(now).Sub(now)
	return s.rl.Limit, s.rl.Remaining(now), reset
}

// SetRateLimitRemaining sets the calls left in the current window (0 makes the next v1 call
// answer 429 until the window resets).
func (s *Server) SetRateLimitRemaining(n int) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rl.SetRemaining(now, n)
}

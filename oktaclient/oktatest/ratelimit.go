package oktatest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/mfakit/mfakit/internal/fakeserver"
)

// rateLimit spends one request of opID's budget at now, sets Okta's X-Rate-Limit-Limit,
// -Remaining and -Reset headers on h, and reports whether the request is within budget.
func (s *Server) rateLimit(h http.Header, opID string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.bucketLocked(opID, now)
	allowed := b.Take(now)
	setRateHeaders(h, b, now)
	return allowed
}

// bucketLocked returns opID's fixed window (each operation has its own), starting a new
// window when the last one ended. s.mu must be held.
func (s *Server) bucketLocked(opID string, now time.Time) *fakeserver.Window {
	b := s.rl[opID]
	if b == nil {
		rule, ok := s.cfg.rateByOp[opID]
		if !ok {
			rule = s.cfg.rateDefault
		}
		b = &fakeserver.Window{Limit: rule.limit, Length: rule.window}
		s.rl[opID] = b
	}
	b.Roll(now)
	return b
}

func setRateHeaders(h http.Header, b *fakeserver.Window, now time.Time) {
	reset := b.ResetAt(now)
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(b.Limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(b.Remaining(now)))
	// Okta gives the reset as UTC epoch seconds; round up so it is never early.
	secs := reset.Unix()
	if reset.Nanosecond() > 0 {
		secs++
	}
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt(secs, 10))
}

package oktatest

import (
	"net/http"
	"strconv"
	"time"
)

// bucket is one operation's fixed rate-limit window.
type bucket struct {
	rule  rateRule
	start time.Time
	used  int
}

// rateLimit spends one request of opID's budget at now, sets Okta's X-Rate-Limit-Limit,
// -Remaining and -Reset headers on h, and reports whether the request is within budget.
func (s *Server) rateLimit(h http.Header, opID string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.bucketLocked(opID, now)
	allowed := b.used < b.rule.limit
	if allowed {
		b.used++
	}
	setRateHeaders(h, b)
	return allowed
}

// bucketLocked returns opID's bucket, starting a new window when the last one ended.
func (s *Server) bucketLocked(opID string, now time.Time) *bucket {
	b := s.rl[opID]
	if b == nil {
		rule, ok := s.cfg.rateByOp[opID]
		if !ok {
			rule = s.cfg.rateDefault
		}
		b = &bucket{rule: rule, start: now}
		s.rl[opID] = b
	}
	if !now.Before(b.start.Add(b.rule.window)) {
		b.start, b.used = now, 0
	}
	return b
}

func setRateHeaders(h http.Header, b *bucket) {
	remaining := max(b.rule.limit-b.used, 0)
	reset := b.start.Add(b.rule.window)
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(b.rule.limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
	// Okta gives the reset as UTC epoch seconds; round up so it is never early.
	secs := reset.Unix()
	if reset.Nanosecond() > 0 {
		secs++
	}
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt(secs, 10))
}

package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mfakit/mfakit/bench/internal/fixtures"
)

// factorsBody returns a JSON array of n factors, taken from the Factors
// fixture in order (cycling when n is larger).
func factorsBody(n int) []byte {
	var items []json.RawMessage
	if err := json.Unmarshal(fixtures.Factors, &items); err != nil {
		panic("server: bad factors fixture: " + err.Error())
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(items[i%len(items)])
	}
	b.WriteByte(']')
	return b.Bytes()
}

// paging makes ListFactors answer in pages linked by Link: rel="next". Every
// page has the same body (so the server's memory does not grow with the
// number of pages); only the cursor differs.
type paging struct {
	pages, perPage int
	page           response
	served         atomic.Int64
}

// AddPagedTenant adds an org, reached with token, whose ListFactors answers
// pages pages of perPage factors each.
func (s *Server) AddPagedTenant(token string, pages, perPage int) {
	t := newTenant(fixtures.Authenticators15)
	t.paged = &paging{pages: pages, perPage: perPage, page: newResponse(factorsBody(perPage))}
	s.addTenant(token, t)
}

// PagesServed returns how many pages the paged tenant of token has served.
func (s *Server) PagesServed(token string) int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if t := s.tenants[token]; t != nil && t.paged != nil {
		return t.paged.served.Load()
	}
	return 0
}

func (p *paging) serve(w http.ResponseWriter, r *http.Request, h http.Header, uid string) {
	n := 0
	if a := r.URL.Query().Get("after"); a != "" {
		v, err := strconv.Atoi(a)
		if err != nil || v < 0 || v >= p.pages {
			oktaError(w, http.StatusBadRequest, "E0000001", "Api validation failed: after")
			return
		}
		n = v
	}
	base := "http://" + r.Host + "/api/v1/users/" + uid + "/factors"
	links := []string{fmt.Sprintf(`<%s?limit=%d>; rel="self"`, base, p.perPage)}
	if n+1 < p.pages {
		links = append(links, fmt.Sprintf(`<%s?after=%d&limit=%d>; rel="next"`, base, n+1, p.perPage))
	}
	h["Link"] = links
	p.served.Add(1)
	writeJSON(w, h, p.page)
}

// BulkUserID returns the id of user i of a rate-limited tenant.
func BulkUserID(i int) string { return fmt.Sprintf("00ubulk%013d", i) }

// BulkFactorCount returns how many factors user i of a rate-limited tenant
// has (3 to 7).
func BulkFactorCount(i int) int { return 3 + i%5 }

// rateLimit admits at most limit requests per wall-clock second, answering
// 429 (with Okta's error body and X-Rate-Limit-* headers, the reset being
// the next whole second) beyond that.
type rateLimit struct {
	limit    int
	limitHdr []string
	bodies   [5]response

	mu       sync.Mutex
	sec      int64
	count    int
	windows  int
	admitted int64
	rejected int64
	// lag sums, over every window but the first, how long after the
	// window's start its first request was admitted.
	lag time.Duration
}

// RateLimitStats describes what a rate-limited tenant saw.
type RateLimitStats struct {
	// Limit is the number of requests allowed per one-second window.
	Limit int
	// Windows is the number of windows in which at least one request was
	// admitted.
	Windows int
	// Admitted and Rejected count the requests answered 200 and 429.
	Admitted, Rejected int64
	// MeanStartLag is how long after a window's start its first request
	// was admitted, on average over every window but the first: time the
	// budget sat unused because clients were still waiting.
	MeanStartLag time.Duration
}

// AddRateLimitedTenant adds an org, reached with token, that allows limit
// requests per second and whose ListFactors answers user BulkUserID(i) with
// BulkFactorCount(i) factors.
func (s *Server) AddRateLimitedTenant(token string, limit int) {
	t := newTenant(fixtures.Authenticators15)
	l := &rateLimit{limit: limit, limitHdr: []string{strconv.Itoa(limit)}}
	for i := range l.bodies {
		l.bodies[i] = newResponse(factorsBody(BulkFactorCount(i)))
	}
	t.limited = l
	s.addTenant(token, t)
}

// RateLimitStats returns the statistics of the rate-limited tenant of token.
func (s *Server) RateLimitStats(token string) RateLimitStats {
	s.mu.RLock()
	t := s.tenants[token]
	s.mu.RUnlock()
	if t == nil || t.limited == nil {
		return RateLimitStats{}
	}
	l := t.limited
	l.mu.Lock()
	defer l.mu.Unlock()
	st := RateLimitStats{Limit: l.limit, Windows: l.windows, Admitted: l.admitted, Rejected: l.rejected}
	if l.windows > 1 {
		st.MeanStartLag = l.lag / time.Duration(l.windows-1)
	}
	return st
}

func (l *rateLimit) admit(w http.ResponseWriter, h http.Header) bool {
	now := time.Now()
	sec := now.Unix()
	l.mu.Lock()
	if sec != l.sec {
		l.sec, l.count = sec, 0
	}
	ok := l.count < l.limit
	if ok {
		l.count++
		l.admitted++
		if l.count == 1 {
			l.windows++
			if l.windows > 1 {
				l.lag += now.Sub(time.Unix(sec, 0))
			}
		}
	} else {
		l.rejected++
	}
	remaining := l.limit - l.count
	l.mu.Unlock()
	// Date from the same clock reading as the window, so that Reset - Date
	// is exactly the time to the next window, as a client computes it.
	h["Date"] = []string{now.UTC().Format(http.TimeFormat)}
	h["X-Rate-Limit-Limit"] = l.limitHdr
	h["X-Rate-Limit-Remaining"] = []string{strconv.Itoa(remaining)}
	h["X-Rate-Limit-Reset"] = []string{strconv.FormatInt(sec+1, 10)}
	if !ok {
		oktaError(w, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
	}
	return ok
}

func (l *rateLimit) serveFactors(w http.ResponseWriter, h http.Header, uid string) {
	i, err := strconv.Atoi(uid[min(len(uid), len("00ubulk")):])
	if err != nil || uid != BulkUserID(i) {
		oktaError(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+uid+" (User)")
		return
	}
	writeJSON(w, h, l.bodies[i%len(l.bodies)])
}

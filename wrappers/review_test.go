package wrappers

// Tests for the review findings on the hardening work (issue 7): B2
// (credential echoed in error bodies), nil contexts, Q1/Q2 (base URL
// checks), Q3 (huge reset values), M4 (a call's total time) and Q7 (shared
// plumbing). Each fails without its fix.

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// TestDoerRedactsEchoedCredential (B2): a server that echoes the request's
// Authorization header (whole, or only the credential) in an error body or a
// response header must not get it into the error, whichever face decodes
// it: the Doer redacts it before DecodeError sees the body.
func TestDoerRedactsEchoedCredential(t *testing.T) {
	tests := []struct {
		name   string
		auth   Authorizer
		secret string // the credential without its scheme word
		decode func(*http.Response, []byte) error
	}{
		{"SSWS token, face decoder", HeaderAuth("SSWS", "SECRETTOKEN"), "SECRETTOKEN", decodeAPIError},
		{"Bearer token, face decoder", TokenSourceAuth(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "ACCESSTOK", TokenType: "Bearer"})), "ACCESSTOK", decodeAPIError},
		{"SSWS token, *HTTPError", HeaderAuth("SSWS", "SECRETTOKEN"), "SECRETTOKEN", nil},
		{"JWT access token, partial echo", HeaderAuth("Bearer", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl"), "eyJzdWIiOiIwMHUxMjM0NTY3ODkwIn0", decodeAPIError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				h := r.Header.Get("Authorization")
				_, cred, _ := strings.Cut(h, " ")
				w.Header().Set("X-Debug", "you sent "+h)
				w.WriteHeader(http.StatusInternalServerError)
				io.WriteString(w, `{"errorSummary":"debug: your header was `+h+`; credential `+cred+`; second segment `+tt.secret+`"}`)
			})
			d, _ := newTestDoer(t, s, func(c *DoerConfig) {
				c.Auth = tt.auth
				c.DecodeError = tt.decode
			})
			_, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL+"/api/v1/x", nil))
			if err == nil {
				t.Fatal("no error for a 500")
			}
			texts := []string{err.Error()}
			var ae *apiError
			var he *HTTPError
			switch {
			case errors.As(err, &ae):
				texts = append(texts, ae.Body)
			case errors.As(err, &he):
				texts = append(texts, string(he.Body), he.Header.Get("X-Debug"))
			default:
				t.Fatalf("err = %T %v", err, err)
			}
			for _, txt := range texts {
				if strings.Contains(txt, tt.secret) {
					t.Errorf("the credential leaked: %q", txt)
				}
			}
			if !strings.Contains(texts[1], Redacted) || !strings.Contains(texts[1], "debug: your header was") {
				t.Errorf("body = %q, want the echo kept with the credential redacted", texts[1])
			}
		})
	}
}

// TestDoerRedactionLeavesShortTokensAlone: a credential shorter than
// minRedactLen is redacted only with its scheme word, so that a short test
// token does not mangle unrelated text of the body.
func TestDoerRedactionLeavesShortTokensAlone(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"status":"bad"} `+r.Header.Get("Authorization"))
	})
	d, _ := newTestDoer(t, s, func(c *DoerConfig) { c.Auth = HeaderAuth("SSWS", "at") })
	_, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL, nil))
	var ae *apiError
	if !errors.As(err, &ae) || ae.Body != `{"status":"bad"} `+Redacted {
		t.Fatalf("err = %v, want the body with only the whole header value redacted", err)
	}
}

// TestNilContext: every exported function of the package that takes a
// context refuses a nil one with ErrNilContext instead of panicking.
func TestNilContext(t *testing.T) {
	var nilCtx context.Context
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	good := context.Background()
	pk, err := PrivateKeyJWTTokenSource(good, "https://id.example.com/token", "cid", key, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := ClientSecretTokenSource(good, "https://id.example.com/token", "cid", "sec", nil, oauth2.AuthStyleInParams, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"Paginate", func() error {
			fetched := false
			for _, err := range Paginate(nilCtx, nil, func(context.Context, *url.URL) (Page[int], error) {
				fetched = true
				return Page[int]{}, nil
			}) {
				if fetched {
					t.Error("Paginate fetched with a nil context")
				}
				return err
			}
			return nil
		}},
		{"Sleep", func() error { return Sleep(nilCtx, time.Millisecond) }},
		{"PrivateKeyJWTTokenSource", func() error {
			_, err := PrivateKeyJWTTokenSource(nilCtx, "https://id.example.com/token", "cid", key, "", nil, nil)
			return err
		}},
		{"ClientSecretTokenSource", func() error {
			_, err := ClientSecretTokenSource(nilCtx, "https://id.example.com/token", "cid", "sec", nil, oauth2.AuthStyleInParams, nil)
			return err
		}},
		{"private key JWT TokenContext", func() error {
			_, err := pk.(TokenSourceContext).TokenContext(nilCtx)
			return err
		}},
		{"client secret TokenContext", func() error {
			_, err := cs.(TokenSourceContext).TokenContext(nilCtx)
			return err
		}},
		{"CachingTokenSource.TokenContext", func() error {
			_, err := NewCachingTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"}), 0).TokenContext(nilCtx)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("panic: %v", p)
					}
				}()
				err = tt.call()
			}()
			if !errors.Is(err, ErrNilContext) {
				t.Errorf("err = %v, want ErrNilContext", err)
			}
		})
	}
}

// TestIsLoopbackHost (Q1): only the exact name localhost and loopback IP
// literals; Go resolves *.localhost and "localhost." through DNS.
func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost":        true,
		"LocalHost":        true,
		"127.0.0.1":        true,
		"127.8.9.10":       true,
		"::1":              true,
		"[::1]":            true,
		"::ffff:127.0.0.1": true,
		"api.localhost":    false,
		"localhost.":       false,
		"evil.localhost.":  false,
		"localhost.evil":   false,
		"10.0.0.1":         false,
		"::2":              false,
		"":                 false,
		"127.0.0.1.nip.io": false,
	} {
		if got := IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// TestParseBaseURLLoopbackAndPorts (Q1/Q2).
func TestParseBaseURLLoopbackAndPorts(t *testing.T) {
	tests := []struct {
		raw  string
		want string // "" means an error matching ErrInvalidBaseURL
	}{
		{"http://localhost:8080", "http://localhost:8080"},
		{"http://LOCALHOST:8080", "http://localhost:8080"},
		{"http://127.0.0.2", "http://127.0.0.2"},
		{"http://[::1]:1", "http://[::1]:1"},
		{"http://api.localhost:8080", ""},
		{"http://localhost.:8080", ""},
		{"http://a.b.localhost", ""},
		{"https://api.localhost", "https://api.localhost"},
		{"https://example.okta.com:65535", "https://example.okta.com:65535"},
		{"https://example.okta.com:1", "https://example.okta.com:1"},
		{"https://example.okta.com:0", ""},
		{"https://example.okta.com:00", ""},
		{"https://example.okta.com:65536", ""},
		{"http://127.0.0.1:0", ""},
		{"http://[::1]:0", ""},
		{"https://example.okta.com:99999999999999999999", ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			u, err := ParseBaseURL(tt.raw)
			if tt.want == "" {
				if !errors.Is(err, ErrInvalidBaseURL) {
					t.Errorf("ParseBaseURL = %v, %v; want ErrInvalidBaseURL", u, err)
				}
				return
			}
			if err != nil || u.String() != tt.want {
				t.Errorf("ParseBaseURL = %v, %v; want %s", u, err, tt.want)
			}
		})
	}
}

// TestDoerRateLimitHugeResetGivesUp (Q3): any reset beyond
// MaxRateLimitWait, however absurd, gives up at once with the 429's error,
// as a day does; it used to be read as "no hint" and retried after a short
// backoff.
func TestDoerRateLimitHugeResetGivesUp(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header string
		value  string
		wait   RateLimitWaitFunc
	}{
		{"delta, a day", "X-RateLimit-Reset", "86400", DeltaResetWait("X-RateLimit-Reset")},
		{"delta, above maxDeltaSeconds", "X-RateLimit-Reset", "99999999999999", DeltaResetWait("X-RateLimit-Reset")},
		{"delta, beyond int64", "X-RateLimit-Reset", "99999999999999999999999", DeltaResetWait("X-RateLimit-Reset")},
		{"Retry-After, a day", "Retry-After", "86400", nil},
		{"Retry-After, above maxDeltaSeconds", "Retry-After", "99999999999999", nil},
		{"Retry-After, beyond int64", "Retry-After", "99999999999999999999999", nil},
		{"epoch, far future", "X-Rate-Limit-Reset", "99999999999", EpochResetWait("X-Rate-Limit-Reset")},
		{"epoch, beyond int64", "X-Rate-Limit-Reset", "99999999999999999999999", EpochResetWait("X-Rate-Limit-Reset")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set(tt.header, tt.value)
				w.WriteHeader(http.StatusTooManyRequests)
			})
			d, fs := newTestDoer(t, s, func(c *DoerConfig) {
				c.RateLimitWait = tt.wait
				c.Now = func() time.Time { return now }
			})
			_, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL, nil))
			var ae *apiError
			if !errors.As(err, &ae) || ae.Status != 429 {
				t.Fatalf("err = %v, want *apiError 429", err)
			}
			if s.Hits() != 1 || len(fs.Waits()) != 0 {
				t.Errorf("hits %d, waits %v; want 1 hit and no wait", s.Hits(), fs.Waits())
			}
		})
	}
}

// fakeClock is a clock for the Doer that only moves when told: by the
// Doer's Sleep, and by a slow fake server.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
	fs  fakeSleep
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := c.fs.Sleep(ctx, d); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

// TestDoerMaxElapsed (M4): one call's attempts and waits together stay
// within RetryPolicy.MaxElapsed; a retry whose wait would end after it is
// not made. Without the bound a slow server gets all MaxAttempts tries.
func TestDoerMaxElapsed(t *testing.T) {
	tests := []struct {
		name      string
		perHit    time.Duration // how long each answer takes, on the fake clock
		status    int
		header    map[string]string
		wantHits  int
		wantWaits []time.Duration
	}{
		// 50 s per answer, 1 s backoff: 50, 51, 101, 102, 152 > 120: three tries.
		{"slow 503s", 50 * time.Second, http.StatusServiceUnavailable, nil, 3, nil},
		// Retry-After 60 s: one wait of 60 s, and a second would end at 120 s.
		{"429 with Retry-After", 0, http.StatusTooManyRequests, map[string]string{"Retry-After": "60"}, 2, []time.Duration{time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{now: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
			start := clock.Now()
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				clock.Advance(tt.perHit)
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
			})
			d, _ := newTestDoer(t, s, func(c *DoerConfig) {
				c.Now, c.Sleep = clock.Now, clock.Sleep
				c.Retry = RetryPolicy{MaxAttempts: 10, BaseDelay: time.Second, MaxDelay: time.Second, MaxElapsed: 2 * time.Minute}
			})
			_, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL, nil))
			var ae *apiError
			if !errors.As(err, &ae) || ae.Status != tt.status {
				t.Fatalf("err = %v, want the last *apiError %d", err, tt.status)
			}
			if s.Hits() != tt.wantHits {
				t.Errorf("hits = %d, want %d", s.Hits(), tt.wantHits)
			}
			if tt.wantWaits != nil && !equalDurations(clock.fs.Waits(), tt.wantWaits) {
				t.Errorf("waits = %v, want %v", clock.fs.Waits(), tt.wantWaits)
			}
			var slept time.Duration
			for _, w := range clock.fs.Waits() {
				slept += w
			}
			if elapsed := clock.Now().Sub(start); elapsed-tt.perHit > 2*time.Minute {
				t.Errorf("the call took %v (slept %v), more than MaxElapsed plus one answer", elapsed, slept)
			}
		})
	}
	if p := (RetryPolicy{}).withDefaults(); p.MaxElapsed != DefaultMaxElapsed {
		t.Errorf("default MaxElapsed = %v", p.MaxElapsed)
	}
}

// TestDoerMaxElapsedCancelsHangingAttempt (M4): an attempt still hanging
// when the budget runs out is cancelled, with a *BudgetError matching
// context.DeadlineExceeded, and is not retried.
func TestDoerMaxElapsedCancelsHangingAttempt(t *testing.T) {
	release := make(chan struct{})
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) })
	d, fs := newTestDoer(t, s, func(c *DoerConfig) {
		c.Retry = RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxElapsed: 150 * time.Millisecond}
	})
	began := time.Now()
	_, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL+"/x?q=1", nil))
	var be *BudgetError
	if !errors.As(err, &be) || !errors.Is(err, context.DeadlineExceeded) || be.MaxElapsed != 150*time.Millisecond {
		t.Fatalf("err = %v, want a *BudgetError matching context.DeadlineExceeded", err)
	}
	if took := time.Since(began); took > 10*time.Second {
		t.Errorf("took %v", took)
	}
	if s.Hits() != 1 || len(fs.Waits()) != 0 {
		t.Errorf("hits %d, waits %v; want one attempt, no retry", s.Hits(), fs.Waits())
	}
	if strings.Contains(err.Error(), "q=1") {
		t.Errorf("error shows the query: %v", err)
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSleepAndDefaultHTTPClient (Q7): the exported plumbing the faces share.
func TestSleepAndDefaultHTTPClient(t *testing.T) {
	if err := Sleep(t.Context(), time.Millisecond); err != nil {
		t.Errorf("Sleep = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep on a done context = %v", err)
	}
	if err := Sleep(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(0) on a done context = %v", err)
	}
	a, b := DefaultHTTPClient(), DefaultHTTPClient()
	if a == b || a.Transport == b.Transport || a.Transport == http.DefaultTransport {
		t.Error("DefaultHTTPClient shares a transport")
	}
	tr, ok := a.Transport.(*http.Transport)
	if !ok || a.Timeout != DefaultTimeout || tr.ResponseHeaderTimeout != DefaultTimeout {
		t.Errorf("DefaultHTTPClient = %+v", a)
	}
}

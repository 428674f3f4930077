package oneloginclient

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"sync/atomic"
	"testing"
	"time"
)

// TestRateLimitWaitsDeltaSeconds: OneLogin's X-RateLimit-Reset is seconds
// remaining. "2" must mean a two-second wait, not a time in 1970 (no wait)
// and not an epoch far in the future; a value that only makes sense as an
// epoch ("1767225600", 2026) is too far away to wait for.
func TestRateLimitWaitsDeltaSeconds(t *testing.T) {
	tests := []struct {
		name      string
		reset     string
		method    string // the operation class: GET list or POST enroll
		wantWaits []time.Duration
		wantErr   error
	}{
		{"reset 2 GET", "2", http.MethodGet, []time.Duration{2 * time.Second}, nil},
		{"reset 2 POST", "2", http.MethodPost, []time.Duration{2 * time.Second}, nil},
		{"reset 45", "45", http.MethodGet, []time.Duration{45 * time.Second}, nil},
		{"epoch-looking reset", "1767225600", http.MethodGet, nil, ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					w.Header().Set("X-RateLimit-Limit", "5000")
					w.Header().Set("X-RateLimit-Remaining", "0")
					w.Header().Set("X-RateLimit-Reset", tt.reset)
					writeJSON(w, 429, `{"status":{"error":true,"code":429,"type":"Too Many Requests","message":"Rate limit exceeded"}}`)
					return
				}
				if r.Method == http.MethodPost {
					writeJSON(w, 200, okEnvelope(`[{"id":1,"active":true,"default":false,"needs_trigger":false,"auth_factor_name":"a","type_display_name":"b","user_display_name":"c"}]`))
					return
				}
				writeJSON(w, 200, okEnvelope(`{"otp_devices":[]}`))
			})
			c, fs := s.client(t)
			var err error
			if tt.method == http.MethodPost {
				_, err = c.EnrollFactor(context.Background(), 1, EnrollRequest{FactorID: 2, DisplayName: "d"})
			} else {
				_, err = c.ListEnrolledFactors(context.Background(), 1)
			}
			if tt.wantErr == nil && err != nil {
				t.Fatalf("err = %v", err)
			}
			if tt.wantErr != nil {
				var e *Error
				if !errors.As(err, &e) || !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want *Error matching %v", err, tt.wantErr)
				}
				if e.RateLimit.Limit != 5000 || e.RateLimit.Remaining != 0 {
					t.Errorf("RateLimit = %+v", e.RateLimit)
				}
			}
			if got := fs.Waits(); !reflect.DeepEqual(got, tt.wantWaits) {
				t.Errorf("waits = %v, want %v", got, tt.wantWaits)
			}
			wantCalls := int32(1 + len(tt.wantWaits))
			if n := calls.Load(); n != wantCalls {
				t.Errorf("%d requests, want %d", n, wantCalls)
			}
		})
	}
}

// TestRateLimitRealWait does one real, short wait through the default sleep
// (Reset "1"), to show the hint is honoured without the test hook too.
func TestRateLimitRealWait(t *testing.T) {
	var calls atomic.Int32
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("X-RateLimit-Reset", "1")
			writeJSON(w, 429, `{"status":{"error":true,"code":429,"type":"Too Many Requests","message":"Rate limit exceeded"}}`)
			return
		}
		writeJSON(w, 200, okEnvelope(`{"otp_devices":[]}`))
	})
	c, err := New(s.URL, WithClientCredentials(testClientID, testClientSecret), WithHTTPClient(s.Client()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	start := time.Now()
	if _, err := c.ListEnrolledFactors(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 950*time.Millisecond || d > 5*time.Second {
		t.Errorf("call took %s, want about 1 s", d)
	}
}

// TestRateLimitExhaustedAndCancelled: a 429 storm ends in ErrRateLimited
// after the configured attempts; a context cancelled during the wait stops
// at once with an error matching both the context and the 429.
func TestRateLimitExhaustedAndCancelled(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Reset", "3")
		writeJSON(w, 429, `{"status":{"error":true,"code":429,"type":"Too Many Requests","message":"Rate limit exceeded"}}`)
	})
	c, fs := s.client(t, WithRetry(RetryPolicy{MaxAttempts: 3}))
	_, err := c.ListAvailableFactors(context.Background(), 1)
	if !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	if got := fs.Waits(); !reflect.DeepEqual(got, []time.Duration{3 * time.Second, 3 * time.Second}) {
		t.Errorf("waits = %v", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	fs.onSleep = func(int) { cancel() }
	err = c.VerifyFactor(ctx, 1, 2, VerifyRequest{OTP: "1"})
	var e *Error
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrRateLimited) || !errors.As(err, &e) || e.Operation != "VerifyFactor" {
		t.Errorf("err = %v, want it to match context.Canceled, ErrRateLimited and *Error", err)
	}
}

// TestTransientRetriesOnlyForIdempotent: a 503 is retried for a GET and a
// DELETE but never for Verify (a POST), whose code may have been used.
func TestTransientRetriesOnlyForIdempotent(t *testing.T) {
	var calls atomic.Int32
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1)%2 == 1 {
			writeJSON(w, 503, `{"status":{"error":true,"code":503,"type":"Service Unavailable","message":"try later"}}`)
			return
		}
		writeJSON(w, 200, okEnvelope(`{"otp_devices":[]}`))
	})
	c, fs := s.client(t)
	if _, err := c.ListEnrolledFactors(context.Background(), 1); err != nil {
		t.Errorf("GET after one 503: %v", err)
	}
	if n := len(fs.Waits()); n != 1 {
		t.Errorf("%d waits, want 1", n)
	}
	calls.Store(0)
	err := c.VerifyFactor(context.Background(), 1, 2, VerifyRequest{OTP: "123"})
	if !errors.Is(err, ErrServer) {
		t.Errorf("Verify err = %v, want ErrServer without a retry", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("verify sent %d times, want 1", n)
	}
}

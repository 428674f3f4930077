package oktaclient

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// An early resend gets Okta's per-device OTP limit (429 E0000109) while the
// rate-limit window still has requests left: waiting for the window's reset
// would only resend the message, so the client returns the *Error at once,
// while a plain E0000047 429 is still waited out.
func TestRateLimitRuleOTPRecentlySent(t *testing.T) {
	var hits atomic.Int32
	code := CodeOTPRecentlySent
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		if code == "E0000047" && n > 1 {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"id":"mbl1","factorType":"sms","provider":"OKTA","status":"PENDING_ACTIVATION"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Rate-Limit-Limit", "50")
		w.Header().Set("X-Rate-Limit-Remaining", "49")
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(time.Now().Add(time.Minute).Unix(), 10))
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"errorCode":"` + code + `","errorSummary":"rate limited","errorCauses":[]}`))
	}))
	t.Cleanup(srv.Close)

	var slept []time.Duration
	c, err := New(srv.URL, WithAPIToken("tok"), withSleep(func(ctx context.Context, d time.Duration) error {
		slept = append(slept, d)
		return ctx.Err()
	}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background() // the injected sleep returns at once

	_, err = c.ResendEnrollFactor(ctx, "u1", "mbl1", FactorSMS, nil)
	var oe *Error
	if !errors.As(err, &oe) || oe.ErrorCode != CodeOTPRecentlySent || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("E0000109: got %v, want *Error E0000109 matching ErrRateLimited", err)
	}
	if got := hits.Load(); got != 1 || len(slept) != 0 {
		t.Fatalf("E0000109: %d requests and waits %v, want 1 request and no wait", got, slept)
	}

	code, slept = "E0000047", nil
	hits.Store(0)
	if _, err := c.ResendEnrollFactor(ctx, "u1", "mbl1", FactorSMS, nil); err != nil {
		t.Fatalf("E0000047: %v, want success after waiting for the reset", err)
	}
	if got := hits.Load(); got != 2 || len(slept) != 1 || slept[0] < 30*time.Second {
		t.Fatalf("E0000047: %d requests and waits %v, want 2 requests after one wait of about a minute", got, slept)
	}
}

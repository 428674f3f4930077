package oktatest_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

func TestRateLimitHeadersAndBudget(t *testing.T) {
	clk := newClock()
	srv, c := newFake(t,
		oktatest.WithClock(clk.Now),
		oktatest.WithRateLimit(oktatest.OpListAuthenticators, 3, time.Minute),
	)
	ctx := context.Background()
	wantReset := clk.Now().Add(time.Minute).Unix()
	for i := range 3 {
		r, err := c.ListAuthenticatorsWithResponse(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "within budget", r.HTTPResponse, r.Body, http.StatusOK)
		h := r.HTTPResponse.Header
		if got := h.Get("X-Rate-Limit-Limit"); got != "3" {
			t.Errorf("Limit = %q", got)
		}
		if got := h.Get("X-Rate-Limit-Remaining"); got != strconv.Itoa(2-i) {
			t.Errorf("call %d: Remaining = %q, want %d", i, got, 2-i)
		}
		if got := h.Get("X-Rate-Limit-Reset"); got != strconv.FormatInt(wantReset, 10) {
			t.Errorf("Reset = %q, want %d", got, wantReset)
		}
		if got := h.Get("Date"); got != clk.Now().Format(http.TimeFormat) {
			t.Errorf("Date = %q", got)
		}
		if h.Get("X-Okta-Request-Id") == "" {
			t.Error("no X-Okta-Request-Id")
		}
	}
	r, err := c.ListAuthenticatorsWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "over budget", r.HTTPResponse, r.Body, http.StatusTooManyRequests)
	if summary, _ := wantOktaError(t, "429", r.JSON429, "E0000047"); summary != "API call exceeded rate limit due to too many requests." {
		t.Errorf("summary %q", summary)
	}
	if r.HTTPResponse.Header.Get("X-Rate-Limit-Remaining") != "0" {
		t.Errorf("429 Remaining = %q", r.HTTPResponse.Header.Get("X-Rate-Limit-Remaining"))
	}

	// Another operation has its own budget (the default).
	other, err := c.GetAuthenticatorWithResponse(ctx, mustID(t, srv, "okta_email"))
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "other op", other.HTTPResponse, other.Body, http.StatusOK)
	if got := other.HTTPResponse.Header.Get("X-Rate-Limit-Limit"); got != strconv.Itoa(oktatest.DefaultRateLimit) {
		t.Errorf("default Limit = %q", got)
	}

	// The window resets.
	clk.Advance(time.Minute)
	r, err = c.ListAuthenticatorsWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "after reset", r.HTTPResponse, r.Body, http.StatusOK)
	if got := r.HTTPResponse.Header.Get("X-Rate-Limit-Remaining"); got != "2" {
		t.Errorf("after reset Remaining = %q", got)
	}
}

func TestRateLimitForAllOperations(t *testing.T) {
	srv, c := newFake(t, oktatest.WithRateLimit(oktatest.AllOperations, 1, time.Hour))
	ctx := context.Background()
	anon := clientWith(t, srv, "")
	for i, want := range []int{200, 429} {
		r, err := c.ListFactorsWithResponse(ctx, oktatest.SeedUserAda)
		if err != nil {
			t.Fatal(err)
		}
		if r.StatusCode() != want {
			t.Errorf("listFactors call %d: HTTP %d, want %d", i, r.StatusCode(), want)
		}
	}
	// Even unauthenticated calls carry the headers (and spend the budget).
	r, err := anon.ListAuthenticatorsWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "anonymous", r.HTTPResponse, r.Body, http.StatusUnauthorized)
	if r.HTTPResponse.Header.Get("X-Rate-Limit-Limit") != "1" || r.HTTPResponse.Header.Get("X-Rate-Limit-Remaining") != "0" {
		t.Errorf("401 rate headers: %v", r.HTTPResponse.Header)
	}
}

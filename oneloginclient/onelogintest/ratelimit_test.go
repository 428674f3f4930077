package onelogintest_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	gen "github.com/mfakit/mfakit/gen/onelogin"
	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
)

func rateHeaders(t *testing.T, h http.Header) (limit, remaining, reset int) {
	t.Helper()
	get := func(name string) int {
		v, err := strconv.Atoi(h.Get(name))
		if err != nil {
			t.Fatalf("%s = %q: %v", name, h.Get(name), err)
		}
		return v
	}
	return get("X-RateLimit-Limit"), get("X-RateLimit-Remaining"), get("X-RateLimit-Reset")
}

func TestRateLimit(t *testing.T) {
	clk := newClock()
	srv := onelogintest.NewServer(onelogintest.WithT(t), onelogintest.WithClock(clk.Now), onelogintest.WithRateLimit(2, time.Minute))
	c, tok := newClient(t, srv)
	ctx := context.Background()
	list := func() *gen.GetMFAFactorsResponse {
		t.Helper()
		res, err := c.GetMFAFactorsWithResponse(ctx, onelogintest.SeedUserAda, bearerAuth(tok))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	steps := []struct {
		advance       time.Duration
		wantStatus    int
		wantRemaining int
		wantReset     int
	}{
		{0, 200, 1, 60},
		{15 * time.Second, 200, 0, 45},
		{500 * time.Millisecond, 429, 0, 45}, // 44.5 s left rounds up
		{44 * time.Second, 429, 0, 1},
		{time.Second, 200, 1, 60}, // new window
	}
	for i, st := range steps {
		clk.Advance(st.advance)
		res := list()
		if res.StatusCode() != st.wantStatus {
			t.Fatalf("step %d: status %d, want %d: %s", i, res.StatusCode(), st.wantStatus, res.Body)
		}
		limit, remaining, reset := rateHeaders(t, res.HTTPResponse.Header)
		if limit != 2 || remaining != st.wantRemaining || reset != st.wantReset {
			t.Errorf("step %d: headers limit=%d remaining=%d reset=%d, want 2/%d/%d", i, limit, remaining, reset, st.wantRemaining, st.wantReset)
		}
		if st.wantStatus == 429 {
			if res.JSON429 == nil || res.Headers429 == nil || *res.Headers429.XRateLimitReset != st.wantReset {
				t.Errorf("step %d: generated client did not parse the 429: %+v", i, res)
			}
			assertWrappedError(t, res.Body, 429, "Rate limit")
		}
	}

	// Token calls carry the headers but spend no budget.
	res, err := c.GenerateTokenWithResponse(ctx, gen.TokenRequest{GrantType: "client_credentials"}, basicAuth(srv.ClientID(), srv.ClientSecret()))
	if err != nil || res.JSON200 == nil {
		t.Fatal(err)
	}
	if _, remaining, _ := rateHeaders(t, res.HTTPResponse.Header); remaining != 1 {
		t.Errorf("token call: remaining %d, want 1", remaining)
	}
	if limit, remaining, reset := srv.RateLimit(); limit != 2 || remaining != 1 || reset != time.Minute {
		t.Errorf("RateLimit() = %d %d %v", limit, remaining, reset)
	}

	srv.SetRateLimitRemaining(0)
	if res := list(); res.StatusCode() != 429 {
		t.Errorf("after SetRateLimitRemaining(0): %d", res.StatusCode())
	}
}

func TestRateLimitHeadersOnErrors(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t))
	c, _ := newClient(t, srv)
	res, err := c.GetEnrolledFactorsWithResponse(context.Background(), onelogintest.SeedUserAda, bearerAuth("bogus"))
	if err != nil || res.JSON401 == nil {
		t.Fatalf("%v %d", err, res.StatusCode())
	}
	if limit, remaining, reset := rateHeaders(t, res.HTTPResponse.Header); limit != onelogintest.DefaultRateLimit || remaining != limit-1 || reset != 3600 {
		t.Errorf("401 headers: %d %d %d", limit, remaining, reset)
	}
}

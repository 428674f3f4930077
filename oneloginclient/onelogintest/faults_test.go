package onelogintest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	gen "github.com/mfakit/mfakit/gen/onelogin"
	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
)

func TestFaults(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		fault onelogintest.Fault
		check func(t *testing.T, res *gen.GetEnrolledFactorsResponse, err error)
	}{
		{"status 503 wrapped", onelogintest.Fault{Status: 503}, func(t *testing.T, res *gen.GetEnrolledFactorsResponse, err error) {
			if err != nil || res.StatusCode() != 503 {
				t.Fatalf("%v %v", err, res)
			}
			assertWrappedError(t, res.Body, 503, "Service Unavailable")
		}},
		{"status 429 with headers", onelogintest.Fault{Status: 429}, func(t *testing.T, res *gen.GetEnrolledFactorsResponse, err error) {
			if err != nil || res.JSON429 == nil || *res.Headers429.XRateLimitRemaining != 0 || res.Headers429.XRateLimitReset == nil {
				t.Fatalf("%v %+v", err, res)
			}
		}},
		{"HTML body", onelogintest.Fault{Kind: onelogintest.FaultHTML}, func(t *testing.T, res *gen.GetEnrolledFactorsResponse, err error) {
			if err != nil || res.StatusCode() != 502 || !strings.HasPrefix(res.ContentType(), "text/html") || !strings.Contains(string(res.Body), "<html>") {
				t.Fatalf("%v %d %q", err, res.StatusCode(), res.Body)
			}
		}},
		{"truncated body", onelogintest.Fault{Kind: onelogintest.FaultTruncated}, func(t *testing.T, res *gen.GetEnrolledFactorsResponse, err error) {
			if err == nil {
				t.Fatalf("no error for a truncated body: %d %q", res.StatusCode(), res.Body)
			}
		}},
		{"dropped connection, GET needs two", onelogintest.Fault{Kind: onelogintest.FaultDrop, Times: 2}, func(t *testing.T, res *gen.GetEnrolledFactorsResponse, err error) {
			if err == nil {
				t.Fatalf("no error for a dropped connection: %d", res.StatusCode())
			}
		}},
		{"verbatim body", onelogintest.Fault{Kind: onelogintest.FaultBody, Body: []byte(`{"status":{"error":false,"code":"200","type":"Success","message":"Success"},"data":{"otp_devices":[{"id":"525509"}]}}`)},
			func(t *testing.T, res *gen.GetEnrolledFactorsResponse, err error) {
				// The generated client cannot read numbers sent as strings; the hand-written one must.
				if err == nil || !strings.Contains(err.Error(), "cannot unmarshal string") {
					t.Fatalf("err = %v, want the generated client's decode error", err)
				}
			}},
		{"delay then normal answer", onelogintest.Fault{Kind: onelogintest.FaultDelay, Delay: 30 * time.Millisecond}, func(t *testing.T, res *gen.GetEnrolledFactorsResponse, err error) {
			if err != nil || res.JSON200 == nil {
				t.Fatalf("%v %v", err, res)
			}
		}},
		{"fault for another operation is not used", onelogintest.Fault{Status: 500, OperationID: onelogintest.OpGetMFAFactors}, func(t *testing.T, res *gen.GetEnrolledFactorsResponse, err error) {
			if err != nil || res.JSON200 == nil {
				t.Fatalf("%v %v", err, res)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := onelogintest.NewServer(onelogintest.WithT(t))
			c, tok := newClient(t, srv)
			// Warm a keep-alive connection so that the drop case meets the transport's retry.
			if res, err := c.GetEnrolledFactorsWithResponse(ctx, onelogintest.SeedUserAda, bearerAuth(tok)); err != nil || res.JSON200 == nil {
				t.Fatalf("warm-up: %v", err)
			}
			_, remainingBefore, _ := srv.RateLimit()
			srv.Inject(tc.fault)
			start := time.Now()
			res, err := c.GetEnrolledFactorsWithResponse(ctx, onelogintest.SeedUserAda, bearerAuth(tok))
			tc.check(t, res, err)
			if tc.fault.Delay > 0 && time.Since(start) < tc.fault.Delay {
				t.Errorf("answered after %v, before the %v delay", time.Since(start), tc.fault.Delay)
			}
			// Faults are used up: the next call is normal.
			if tc.fault.OperationID == "" {
				res, err = c.GetEnrolledFactorsWithResponse(ctx, onelogintest.SeedUserAda, bearerAuth(tok))
				if err != nil || res.JSON200 == nil {
					t.Errorf("call after the fault: %v %v", err, res)
				}
				if tc.fault.Kind != onelogintest.FaultDelay {
					if _, remaining, _ := srv.RateLimit(); remaining != remainingBefore-1 {
						t.Errorf("faulted call spent budget: remaining %d, want %d", remaining, remainingBefore-1)
					}
				}
			}
		})
	}
}

func TestFailNextCountsAndScopes(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t))
	c, tok := newClient(t, srv)
	ctx := context.Background()

	srv.FailNext(2, 500)
	for i := range 3 {
		res, err := c.GetMFAFactorsWithResponse(ctx, onelogintest.SeedUserAda, bearerAuth(tok))
		if err != nil {
			t.Fatal(err)
		}
		want := 500
		if i == 2 {
			want = 200
		}
		if res.StatusCode() != want {
			t.Errorf("call %d: %d, want %d", i, res.StatusCode(), want)
		}
	}

	// Token endpoint faults use the v2 error body.
	srv.Inject(onelogintest.Fault{Status: 429, OperationID: onelogintest.OpGenerateToken})
	res, err := c.GenerateTokenWithResponse(ctx, gen.TokenRequest{GrantType: "client_credentials"}, basicAuth(srv.ClientID(), srv.ClientSecret()))
	if err != nil || res.JSON429 == nil || res.JSON429.StatusCode != 429 || res.JSON429.Name != "TooManyRequests" {
		t.Errorf("token 429: %v %s", err, res.Body)
	}

	// A dropped POST is not retried by the transport.
	srv.Inject(onelogintest.Fault{Kind: onelogintest.FaultDrop, OperationID: onelogintest.OpVerifyMfaFactor})
	_, err = c.VerifyMfaFactorWithResponse(ctx, onelogintest.SeedUserGrace, onelogintest.SeedDeviceGraceAuthenticator, gen.VerifyFactorRequest{OtpToken: ptr("1")}, bearerAuth(tok))
	if err == nil {
		t.Errorf("dropped POST: no error")
	}

	// A delay longer than the caller's deadline.
	srv.Inject(onelogintest.Fault{Kind: onelogintest.FaultDelay, Delay: time.Second})
	dctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = c.GetMFAFactorsWithResponse(dctx, onelogintest.SeedUserAda, bearerAuth(tok))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("delayed call: err = %v, want deadline exceeded", err)
	}

	srv.FailNext(5, 500)
	srv.ClearFaults()
	if res, _ := c.GetMFAFactorsWithResponse(ctx, onelogintest.SeedUserAda, bearerAuth(tok)); res.StatusCode() != 200 {
		t.Errorf("after ClearFaults: %d", res.StatusCode())
	}
}

package onelogintest_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	gen "github.com/mfakit/mfakit/gen/onelogin"
	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
)

// corruptEnrolled turns the enrolled-factors answer into the shape OneLogin's published
// document describes (device_id as a string, status flat), which api/onelogin.yaml forbids.
func corruptEnrolled(op string, status int, _ http.Header, body []byte) []byte {
	if op != onelogintest.OpGetEnrolledFactors || status != 200 {
		return body
	}
	return bytes.Replace(body, []byte(`"id":525509`), []byte(`"id":"525509"`), 1)
}

func TestOffSpecResponseIsCaught(t *testing.T) {
	ctx := context.Background()
	t.Run("WithT reports and answers 500", func(t *testing.T) {
		rec := &recordingTB{TB: t}
		srv := onelogintest.NewServer(onelogintest.WithT(rec), onelogintest.WithResponseHook(corruptEnrolled))
		c, tok := newClient(t, srv)
		res, err := c.GetEnrolledFactorsWithResponse(ctx, onelogintest.SeedUserAda, bearerAuth(tok))
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode() != 500 {
			t.Errorf("status %d, want 500", res.StatusCode())
		}
		reports := rec.reports()
		if len(reports) != 1 || !strings.Contains(reports[0], "response for GET /api/1/users/51234501/otp_devices") ||
			!strings.Contains(reports[0], `"getEnrolledFactors"`) {
			t.Fatalf("reports = %q", reports)
		}
		// Unaffected operations still pass validation.
		if res, _ := c.GetMFAFactorsWithResponse(ctx, onelogintest.SeedUserAda, bearerAuth(tok)); res.JSON200 == nil {
			t.Errorf("other operation: %d", res.StatusCode())
		}
		if n := len(rec.reports()); n != 1 {
			t.Errorf("%d reports, want 1", n)
		}
	})
	t.Run("without WithT logs and answers 500", func(t *testing.T) {
		var logs bytes.Buffer
		srv := onelogintest.NewServer(onelogintest.WithResponseHook(corruptEnrolled),
			onelogintest.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
		t.Cleanup(srv.Close)
		c, tok := newClient(t, srv)
		res, err := c.GetEnrolledFactorsWithResponse(ctx, onelogintest.SeedUserAda, bearerAuth(tok))
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode() != 500 {
			t.Errorf("status %d, want 500", res.StatusCode())
		}
		st := wrappedStatus(t, res.Body)
		if !strings.Contains(message(t, st.Message), "does not match api/onelogin.yaml") {
			t.Errorf("500 body = %s", res.Body)
		}
		if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "does not match api/onelogin.yaml") {
			t.Errorf("log = %q", logs.String())
		}
	})
}

func TestOffSpecRequestIsCaught(t *testing.T) {
	ctx := context.Background()
	// factor_id as a string, and a missing required display_name.
	badBody := `{"factor_id":"16282","number":"+15555550100"}`
	tests := []struct {
		name        string
		lenient     bool
		wantReports int
	}{
		{"strict", false, 1},
		{"lenient", true, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			opts := []onelogintest.Option{onelogintest.WithT(rec)}
			if tc.lenient {
				opts = append(opts, onelogintest.WithLenientRequests())
			}
			srv := onelogintest.NewServer(opts...)
			c, tok := newClient(t, srv)
			res, err := c.EnrollMfaFactorWithBodyWithResponse(ctx, onelogintest.SeedUserAlan, "application/json", strings.NewReader(badBody), bearerAuth(tok))
			if err != nil {
				t.Fatal(err)
			}
			if res.JSON400 == nil {
				t.Fatalf("status %d, want a wrapped 400: %s", res.StatusCode(), res.Body)
			}
			if got := len(rec.reports()); got != tc.wantReports {
				t.Errorf("%d reports, want %d: %q", got, tc.wantReports, rec.reports())
			}
			if n := len(srv.Devices(onelogintest.SeedUserAlan)); n != 0 {
				t.Errorf("invalid request enrolled %d devices", n)
			}

			// An unknown path is a 404 and, when strict, a report.
			hres, err := srv.Client().Get(srv.URL + "/api/1/users/1/auth_factor")
			if err != nil {
				t.Fatal(err)
			}
			hres.Body.Close()
			if hres.StatusCode != 404 {
				t.Errorf("unknown path: %d", hres.StatusCode)
			}
			if got := len(rec.reports()); got != 2*tc.wantReports {
				t.Errorf("after unknown path: %d reports, want %d", got, 2*tc.wantReports)
			}
		})
	}
}

// TestEveryOperationValidates drives all nine operations once through the generated client
// against a strict server; any off-spec exchange fails the test through WithT.
func TestEveryOperationValidates(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t))
	c, tok := newClient(t, srv)
	ctx := context.Background()
	auth := bearerAuth(tok)
	ada, grace := onelogintest.SeedUserAda, onelogintest.SeedUserGrace
	code, _ := srv.OTP(grace, onelogintest.SeedDeviceGraceAuthenticator)
	calls := []struct {
		op   string
		call func() (int, error)
	}{
		{onelogintest.OpGetMFAFactors, func() (int, error) {
			r, err := c.GetMFAFactorsWithResponse(ctx, ada, auth)
			return status(r, err)
		}},
		{onelogintest.OpGetEnrolledFactors, func() (int, error) {
			r, err := c.GetEnrolledFactorsWithResponse(ctx, ada, auth)
			return status(r, err)
		}},
		{onelogintest.OpEnrollMfaFactor, func() (int, error) {
			r, err := c.EnrollMfaFactorWithResponse(ctx, ada, gen.EnrollFactorRequest{FactorId: onelogintest.SeedFactorVoice, DisplayName: "desk", Number: ptr("+442079460000"), Verified: ptr(true)}, auth)
			return status(r, err)
		}},
		{onelogintest.OpActivateMfaFactors, func() (int, error) {
			r, err := c.ActivateMfaFactorsWithResponse(ctx, ada, onelogintest.SeedDeviceAdaSMS, gen.ActivateFactorRequest{SmsMessage: ptr("Code {{otp_code}}")}, auth)
			return status(r, err)
		}},
		{onelogintest.OpVerifyMfaFactor, func() (int, error) {
			r, err := c.VerifyMfaFactorWithResponse(ctx, grace, onelogintest.SeedDeviceGraceAuthenticator, gen.VerifyFactorRequest{OtpToken: &code}, auth)
			return status(r, err)
		}},
		{onelogintest.OpGenerateMFAtoken, func() (int, error) {
			r, err := c.GenerateMFAtokenWithResponse(ctx, ada, gen.GenerateMFATokenRequest{}, auth)
			return status(r, err)
		}},
		{onelogintest.OpRemoveMfaFactors, func() (int, error) {
			r, err := c.RemoveMfaFactorsWithResponse(ctx, grace, onelogintest.SeedDeviceGraceSMS, auth)
			return status(r, err)
		}},
		{onelogintest.OpRevokeTokens, func() (int, error) {
			r, err := c.RevokeTokensWithResponse(ctx, gen.RevokeTokenRequest{AccessToken: tok}, basicAuth(srv.ClientID(), srv.ClientSecret()))
			return status(r, err)
		}},
	}
	for _, cl := range calls {
		got, err := cl.call()
		if err != nil || got != 200 {
			t.Errorf("%s: %d %v", cl.op, got, err)
		}
		if n := srv.CallCount(cl.op); n != 1 {
			t.Errorf("CallCount(%s) = %d", cl.op, n)
		}
	}
}

func status(r interface{ StatusCode() int }, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	return r.StatusCode(), nil
}

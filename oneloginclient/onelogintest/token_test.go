package onelogintest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	gen "github.com/mfakit/mfakit/gen/onelogin"
	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
)

func TestTokenEndpoint(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t), onelogintest.WithCredentials("cid", "s3cr3t/+="))
	c, err := gen.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	jsonBody := gen.TokenRequest{GrantType: gen.TokenRequestGrantTypeClientCredentials}
	tests := []struct {
		name       string
		call       func() (*gen.GenerateTokenResponse, error)
		wantStatus int
		wantMsg    string
	}{
		{"basic with JSON body", func() (*gen.GenerateTokenResponse, error) {
			return c.GenerateTokenWithResponse(ctx, jsonBody, basicAuth("cid", "s3cr3t/+="))
		}, 200, ""},
		{"basic with form body", func() (*gen.GenerateTokenResponse, error) {
			return c.GenerateTokenWithFormdataBodyWithResponse(ctx,
				gen.TokenFormRequest{GrantType: gen.TokenFormRequestGrantTypeClientCredentials}, basicAuth("cid", "s3cr3t/+="))
		}, 200, ""},
		{"basic percent-encoded as x/oauth2 does", func() (*gen.GenerateTokenResponse, error) {
			return c.GenerateTokenWithResponse(ctx, jsonBody, basicAuth(url.QueryEscape("cid"), url.QueryEscape("s3cr3t/+=")))
		}, 200, ""},
		{"credentials in form body", func() (*gen.GenerateTokenResponse, error) {
			form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"cid"}, "client_secret": {"s3cr3t/+="}}
			return c.GenerateTokenWithBodyWithResponse(ctx, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		}, 200, ""},
		{"wrong secret", func() (*gen.GenerateTokenResponse, error) {
			return c.GenerateTokenWithResponse(ctx, jsonBody, basicAuth("cid", "nope"))
		}, 401, "Authentication Failure"},
		{"JSON body without basic", func() (*gen.GenerateTokenResponse, error) {
			return c.GenerateTokenWithResponse(ctx, jsonBody)
		}, 401, "Authentication Failure"},
		{"scope refused", func() (*gen.GenerateTokenResponse, error) {
			form := url.Values{"grant_type": {"client_credentials"}, "scope": {"Manage All"}}
			return c.GenerateTokenWithBodyWithResponse(ctx, "application/x-www-form-urlencoded",
				strings.NewReader(form.Encode()), basicAuth("cid", "s3cr3t/+="))
		}, 400, "scope"},
	}
	var first string
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := tc.call()
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode() != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", res.StatusCode(), tc.wantStatus, res.Body)
			}
			if tc.wantStatus != 200 {
				var e gen.OAuthError
				if err := json.Unmarshal(res.Body, &e); err != nil || e.StatusCode != tc.wantStatus || !strings.Contains(e.Message, tc.wantMsg) {
					t.Errorf("v2 error body = %s (%v), want statusCode %d and message with %q", res.Body, err, tc.wantStatus, tc.wantMsg)
				}
				return
			}
			tok := res.JSON200
			if tok.TokenType != "bearer" || tok.AccountId != onelogintest.DefaultAccountID || tok.ExpiresIn != 36000 || tok.AccessToken == "" || tok.CreatedAt == "" {
				t.Errorf("token = %+v", *tok)
			}
			if _, err := time.Parse(time.RFC3339, tok.CreatedAt); err != nil {
				t.Errorf("created_at %q: %v", tok.CreatedAt, err)
			}
			if first == "" {
				first = tok.AccessToken
			} else if tok.AccessToken != first {
				t.Errorf("same credential pair got a different token")
			}
		})
	}
	if got := srv.CallCount(onelogintest.OpGenerateToken); got != len(tests) {
		t.Errorf("CallCount(generateToken) = %d, want %d", got, len(tests))
	}
}

func TestTokenLifecycle(t *testing.T) {
	clk := newClock()
	srv := onelogintest.NewServer(onelogintest.WithT(t), onelogintest.WithClock(clk.Now), onelogintest.WithTokenLifetime(time.Hour))
	c, tok := newClient(t, srv)
	ctx := context.Background()

	list := func(tok string) *gen.GetEnrolledFactorsResponse {
		t.Helper()
		res, err := c.GetEnrolledFactorsWithResponse(ctx, onelogintest.SeedUserAda, bearerAuth(tok))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := list(tok); res.StatusCode() != 200 {
		t.Fatalf("fresh token: %d %s", res.StatusCode(), res.Body)
	}
	if res := list("not-a-token"); res.JSON401 == nil {
		t.Fatalf("bad token: %d %s", res.StatusCode(), res.Body)
	} else {
		assertWrappedError(t, res.Body, 401, "Authentication Failure")
	}
	if res, _ := c.GetEnrolledFactorsWithResponse(ctx, onelogintest.SeedUserAda); res.JSON401 == nil {
		t.Errorf("no token: %d %s", res.StatusCode(), res.Body)
	}

	// The reported lifetime counts down; the token expires with the clock.
	clk.Advance(59 * time.Minute)
	res, err := c.GenerateTokenWithResponse(ctx, gen.TokenRequest{GrantType: "client_credentials"}, basicAuth(srv.ClientID(), srv.ClientSecret()))
	if err != nil || res.JSON200 == nil {
		t.Fatalf("token: %v %v", err, res)
	}
	if res.JSON200.AccessToken != tok || res.JSON200.ExpiresIn != 60 {
		t.Errorf("before expiry: same=%v expires_in=%d, want same token and 60", res.JSON200.AccessToken == tok, res.JSON200.ExpiresIn)
	}
	clk.Advance(time.Minute)
	if res := list(tok); res.JSON401 == nil {
		t.Fatalf("expired token accepted: %d", res.StatusCode())
	}
	_, tok2 := newClient(t, srv)
	if tok2 == tok {
		t.Fatal("expired token reissued")
	}
	if res := list(tok2); res.StatusCode() != 200 {
		t.Fatalf("new token: %d", res.StatusCode())
	}

	// ExpireTokens and RevokeTokens invalidate at once.
	srv.ExpireTokens()
	if res := list(tok2); res.JSON401 == nil {
		t.Errorf("ExpireTokens: token still accepted")
	}
	tok3 := srv.Token()
	if tok3 == tok2 || list(tok3).StatusCode() != 200 {
		t.Errorf("Token after ExpireTokens: new=%v", tok3 != tok2)
	}
	srv.RevokeTokens()
	if res := list(tok3); res.JSON401 == nil {
		t.Errorf("RevokeTokens: token still accepted")
	}

	// The revoke endpoint revokes one token, with the pair's credentials.
	tok4 := srv.Token()
	rv, err := c.RevokeTokensWithResponse(ctx, gen.RevokeTokenRequest{AccessToken: tok4}, basicAuth(srv.ClientID(), "wrong"))
	if err != nil || rv.JSON401 == nil {
		t.Fatalf("revoke with wrong secret: %v %d", err, rv.StatusCode())
	}
	rv, err = c.RevokeTokensWithResponse(ctx, gen.RevokeTokenRequest{AccessToken: tok4}, basicAuth(srv.ClientID(), srv.ClientSecret()))
	if err != nil || rv.JSON200 == nil || rv.JSON200.Status.Error {
		t.Fatalf("revoke: %v %d %s", err, rv.StatusCode(), rv.Body)
	}
	if res := list(tok4); res.JSON401 == nil {
		t.Errorf("revoked token still accepted")
	}
	if srv.Token() == tok4 {
		t.Errorf("revoked token reissued")
	}
}

func TestTokenSharedByParallelCallers(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t))
	c, err := gen.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	toks := make([]string, 16)
	for i := range toks {
		wg.Go(func() {
			res, err := c.GenerateTokenWithResponse(context.Background(), gen.TokenRequest{GrantType: "client_credentials"},
				basicAuth(srv.ClientID(), srv.ClientSecret()))
			if err != nil || res.JSON200 == nil {
				t.Errorf("token %d: %v", i, err)
				return
			}
			toks[i] = res.JSON200.AccessToken
		})
	}
	wg.Wait()
	for i, tok := range toks {
		if tok != toks[0] {
			t.Fatalf("caller %d got a different token", i)
		}
	}
}

func TestSecretsStayOut(t *testing.T) {
	const secret = "very-secret-value-123"
	rec := &recordingTB{TB: t}
	srv := onelogintest.NewServer(onelogintest.WithT(rec), onelogintest.WithCredentials("cid", secret))
	tok := srv.Token()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, srv)
		if strings.Contains(out, secret) || strings.Contains(out, tok) {
			t.Errorf("%s of Server shows a secret: %s", verb, out)
		}
	}
	// An off-spec token request carrying the secret is reported without it.
	form := url.Values{"grant_type": {"password"}, "client_id": {"cid"}, "client_secret": {secret}}
	res, err := http.Post(srv.URL+"/auth/oauth2/v2/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("status %d, want 400", res.StatusCode)
	}
	reports := rec.reports()
	if len(reports) != 1 {
		t.Fatalf("reports = %q, want one", reports)
	}
	if strings.Contains(reports[0], secret) {
		t.Errorf("report shows the client secret: %s", reports[0])
	}
}

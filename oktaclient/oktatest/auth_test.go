package oktatest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	okta "github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

func TestCredentials(t *testing.T) {
	srv, _ := newFake(t,
		oktatest.WithBearerToken("reader", "okta.authenticators.read"),
		oktatest.WithBearerToken("user-admin", "okta.users.manage"),
	)
	ctx := context.Background()
	phone := mustID(t, srv, "phone_number")
	var lastHeader http.Header
	listAuth := func(c *okta.ClientWithResponses) (int, *okta.Error) {
		r, err := c.ListAuthenticatorsWithResponse(ctx)
		if err != nil {
			t.Fatal(err)
		}
		lastHeader = r.HTTPResponse.Header
		return r.StatusCode(), firstErr(r.JSON401, r.JSON403)
	}
	deactivate := func(c *okta.ClientWithResponses) (int, *okta.Error) {
		r, err := c.DeactivateAuthenticatorWithResponse(ctx, phone)
		if err != nil {
			t.Fatal(err)
		}
		lastHeader = r.HTTPResponse.Header
		return r.StatusCode(), firstErr(r.JSON401, r.JSON403)
	}
	listFactors := func(c *okta.ClientWithResponses) (int, *okta.Error) {
		r, err := c.ListFactorsWithResponse(ctx, oktatest.SeedUserAda)
		if err != nil {
			t.Fatal(err)
		}
		lastHeader = r.HTTPResponse.Header
		return r.StatusCode(), firstErr(r.JSON401, r.JSON403)
	}
	questions := func(c *okta.ClientWithResponses) (int, *okta.Error) {
		r, err := c.ListSupportedSecurityQuestionsWithResponse(ctx, oktatest.SeedUserAda)
		if err != nil {
			t.Fatal(err)
		}
		lastHeader = r.HTTPResponse.Header
		return r.StatusCode(), firstErr(r.JSON401, r.JSON403)
	}
	cases := []struct {
		name string
		auth string
		call func(*okta.ClientWithResponses) (int, *okta.Error)
		want int
	}{
		{"no credentials", "", listAuth, 401},
		{"wrong API token", "SSWS 00wrong", listAuth, 401},
		{"basic scheme", "Basic dXNlcjpwYXNz", listAuth, 401},
		{"unknown bearer", "Bearer nope", listAuth, 401},
		{"API token", "SSWS " + oktatest.DefaultAPIToken, deactivate, 200},
		{"API token, apiToken-only operation", "SSWS " + oktatest.DefaultAPIToken, questions, 200},
		{"read scope reads", "Bearer reader", listAuth, 200},
		{"read scope cannot manage", "Bearer reader", deactivate, 403},
		{"authenticator scope cannot read users", "Bearer reader", listFactors, 403},
		{"manage scope implies read", "Bearer user-admin", listFactors, 200},
		{"bearer on apiToken-only operation", "Bearer user-admin", questions, 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, e := tc.call(clientWith(t, srv, tc.auth))
			if status != tc.want {
				t.Fatalf("HTTP %d, want %d", status, tc.want)
			}
			switch tc.want {
			case 401:
				if summary, _ := wantOktaError(t, tc.name, e, "E0000011"); summary != "Invalid token provided" {
					t.Errorf("summary %q", summary)
				}
			case 403:
				wantOktaError(t, tc.name, e, "E0000006")
			}
			if strings.HasPrefix(tc.auth, "Bearer") && tc.want != 200 {
				wantErr := map[int]string{401: `error="invalid_token"`, 403: `error="insufficient_scope"`}[tc.want]
				if got := lastHeader.Get("WWW-Authenticate"); !strings.Contains(got, wantErr) {
					t.Errorf("WWW-Authenticate = %q, want %s", got, wantErr)
				}
			}
		})
	}
}

func TestWithAPITokenReplacesDefault(t *testing.T) {
	srv, c := newFake(t, oktatest.WithAPIToken("00custom-token"))
	if srv.APIToken() != "00custom-token" {
		t.Fatalf("APIToken() = %q", srv.APIToken())
	}
	r, err := c.ListAuthenticatorsWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "custom token", r.HTTPResponse, r.Body, http.StatusOK)
	old := clientWith(t, srv, "SSWS "+oktatest.DefaultAPIToken)
	r, err = old.ListAuthenticatorsWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "default token", r.HTTPResponse, r.Body, http.StatusUnauthorized)
}

func firstErr(es ...*okta.Error) *okta.Error {
	for _, e := range es {
		if e != nil {
			return e
		}
	}
	return nil
}

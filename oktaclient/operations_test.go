package oktaclient

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/mfakit/mfakit/api"
)

// opCall calls one operation with every path parameter set to id.
type opCall struct {
	resp string // response body ("" for 204)
	call func(ctx context.Context, c *Client, id string) error
}

func errOnly[T any](_ T, err error) error { return err }

var opCalls = map[string]opCall{
	"ActivateAuthenticator": {authenticatorFixtures[KeyOktaVerify], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ActivateAuthenticator(ctx, id))
	}},
	"ActivateAuthenticatorMethod": {methodFixtures[MethodPush], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ActivateAuthenticatorMethod(ctx, id, AuthenticatorMethodType(id)))
	}},
	"CreateAuthenticator": {authenticatorFixtures[KeyOktaVerify], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.CreateAuthenticator(ctx, &OktaVerifyAuthenticator{}, &CreateAuthenticatorOptions{Inactive: true}))
	}},
	"CreateCustomAAGUID": {`{"aaguid":"x"}`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.CreateCustomAAGUID(ctx, id, CustomAAGUIDCreateRequest{Aaguid: Ptr("x")}))
	}},
	"DeactivateAuthenticator": {authenticatorFixtures[KeyOktaVerify], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.DeactivateAuthenticator(ctx, id))
	}},
	"DeactivateAuthenticatorMethod": {methodFixtures[MethodPush], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.DeactivateAuthenticatorMethod(ctx, id, AuthenticatorMethodType(id)))
	}},
	"DeleteCustomAAGUID": {"", func(ctx context.Context, c *Client, id string) error {
		return c.DeleteCustomAAGUID(ctx, id, id)
	}},
	"GetAuthenticator": {authenticatorFixtures[KeyOktaVerify], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.GetAuthenticator(ctx, id))
	}},
	"GetAuthenticatorMethod": {methodFixtures[MethodPush], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.GetAuthenticatorMethod(ctx, id, AuthenticatorMethodType(id)))
	}},
	"GetCustomAAGUID": {`{"aaguid":"x"}`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.GetCustomAAGUID(ctx, id, id))
	}},
	"GetWellKnownAppAuthenticatorConfiguration": {`[]`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.GetWellKnownAppAuthenticatorConfiguration(ctx, id))
	}},
	"ListAllCustomAAGUIDs": {`[]`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ListAllCustomAAGUIDs(ctx, id))
	}},
	"ListAuthenticatorMethods": {`[]`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ListAuthenticatorMethods(ctx, id))
	}},
	"ListAuthenticators": {`[]`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ListAuthenticators(ctx))
	}},
	"ReplaceAuthenticator": {authenticatorFixtures[KeyOktaVerify], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ReplaceAuthenticator(ctx, id, &OktaVerifyAuthenticator{}))
	}},
	"ReplaceAuthenticatorMethod": {methodFixtures[MethodPush], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ReplaceAuthenticatorMethod(ctx, id, AuthenticatorMethodType(id), &PushMethod{}))
	}},
	"ReplaceCustomAAGUID": {`{"aaguid":"x"}`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ReplaceCustomAAGUID(ctx, id, id, CustomAAGUIDUpdateRequest{Name: Ptr("n")}))
	}},
	"UpdateCustomAAGUID": {`{"aaguid":"x"}`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.UpdateCustomAAGUID(ctx, id, id, CustomAAGUIDUpdateRequest{Name: Ptr("n")}))
	}},
	"VerifyRPIDDomain": {"", func(ctx context.Context, c *Client, id string) error {
		return c.VerifyRPIDDomain(ctx, id, AuthenticatorMethodType(id))
	}},
	"ActivateFactor": {factorFixtures[FactorSMS], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ActivateFactor(ctx, id, id, FactorActivateRequest{PassCode: Ptr("123456")}))
	}},
	"EnrollFactor": {factorFixtures[FactorSMS], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.EnrollFactor(ctx, id, &SMSFactor{}, &EnrollFactorOptions{Activate: true}))
	}},
	"GetFactor": {factorFixtures[FactorSMS], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.GetFactor(ctx, id, id))
	}},
	"GetFactorTransactionStatus": {`{"factorResult":"WAITING"}`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.GetFactorTransactionStatus(ctx, id, id, id))
	}},
	"ListFactors": {`[]`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ListFactors(ctx, id))
	}},
	"ListSupportedFactors": {`[]`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ListSupportedFactors(ctx, id))
	}},
	"ListSupportedSecurityQuestions": {`[]`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ListSupportedSecurityQuestions(ctx, id))
	}},
	"ResendEnrollFactor": {factorFixtures[FactorSMS], func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ResendEnrollFactor(ctx, id, id, FactorSMS, nil))
	}},
	"UnenrollFactor": {"", func(ctx context.Context, c *Client, id string) error {
		return c.UnenrollFactor(ctx, id, id, nil)
	}},
	"VerifyFactor": {`{"factorResult":"SUCCESS"}`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.VerifyFactor(ctx, id, id, FactorVerifyRequest{PassCode: Ptr("123456")}, nil))
	}},
	"CreateAuthenticatorEnrollment": {`{"id":"e1"}`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.CreateAuthenticatorEnrollment(ctx, id, AuthenticatorEnrollmentCreateRequest{AuthenticatorId: "aut1"}))
	}},
	"CreateTACAuthenticatorEnrollment": {`{"id":"e1"}`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.CreateTACAuthenticatorEnrollment(ctx, id, TACAuthenticatorEnrollmentCreateRequest{AuthenticatorId: "aut1"}))
	}},
	"DeleteAuthenticatorEnrollment": {"", func(ctx context.Context, c *Client, id string) error {
		return c.DeleteAuthenticatorEnrollment(ctx, id, id)
	}},
	"GetAuthenticatorEnrollment": {`{"id":"e1"}`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.GetAuthenticatorEnrollment(ctx, id, id, nil))
	}},
	"ListAuthenticatorEnrollments": {`[]`, func(ctx context.Context, c *Client, id string) error {
		return errOnly(c.ListAuthenticatorEnrollments(ctx, id, nil))
	}},
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// TestEveryOperationHitsItsPath calls each of the 34 operations with ids
// that try to escape their path segment, and checks the method and the
// escaped path the server sees.
func TestEveryOperationHitsItsPath(t *testing.T) {
	t.Parallel()
	var okta []api.Operation
	for _, op := range api.Operations {
		if op.Provider == api.ProviderOkta {
			okta = append(okta, op)
		}
	}
	if len(okta) != 34 || len(opCalls) != 34 {
		t.Fatalf("%d Okta operations in api.Operations, %d in the table; want 34 each", len(okta), len(opCalls))
	}
	ids := []string{"aut1", "../admin", "a/b", "%2F", "?x=1", "#frag", "ü/..", "a b", ";x"}
	for _, op := range okta {
		oc, ok := opCalls[op.GoMethod]
		if !ok {
			t.Errorf("no test call for %s", op.GoMethod)
			continue
		}
		t.Run(op.GoMethod, func(t *testing.T) {
			t.Parallel()
			c, rc, _ := serve(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				if oc.resp == "" {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				jsonAnswer(200, oc.resp)(w, r, nil)
			})
			for _, id := range ids {
				if err := oc.call(t.Context(), c, id); err != nil {
					t.Fatalf("id %q: %v", id, err)
				}
				got := rc.last(t)
				wantPath := pathParam.ReplaceAllString(op.Path, url.PathEscape(id))
				if got.Method != op.Method || got.Path != wantPath {
					t.Errorf("id %q: %s %s, want %s %s", id, got.Method, got.Path, op.Method, wantPath)
				}
				if strings.Contains(got.Query, "x=1") {
					t.Errorf("id %q leaked into the query: %q", id, got.Query)
				}
				if got.Header.Get("Authorization") != "SSWS "+testToken {
					t.Errorf("no credential sent")
				}
			}
			// Ids that would change the path once escaped are refused
			// before anything is sent.
			if strings.Contains(op.Path, "{") {
				before := len(rc.requests())
				for _, bad := range []string{"", ".", ".."} {
					if err := oc.call(t.Context(), c, bad); !errors.Is(err, ErrInvalidArgument) {
						t.Errorf("id %q: err = %v, want ErrInvalidArgument", bad, err)
					}
				}
				if n := len(rc.requests()) - before; n != 0 {
					t.Errorf("%d requests sent for refused ids", n)
				}
			}
		})
	}
}

// TestOperationParameters checks that options reach the wire.
func TestOperationParameters(t *testing.T) {
	t.Parallel()
	c, rc, _ := serve(t, jsonAnswer(200, factorFixtures[FactorSMS]))
	ctx := t.Context()
	if _, err := c.EnrollFactor(ctx, "00u1", &SMSFactor{UserFactorSMS: UserFactorSMS{
		Provider: Ptr[UserFactorSMSProvider]("OKTA"),
		Profile:  &UserFactorSMSProfile{PhoneNumber: Ptr("+15554151337")},
	}}, &EnrollFactorOptions{UpdatePhone: true, TemplateID: "tpl1", TokenLifetime: 300e9, Activate: true, AcceptLanguage: "fr"}); err != nil {
		t.Fatal(err)
	}
	r := rc.last(t)
	q, _ := url.ParseQuery(r.Query)
	if q.Get("updatePhone") != "true" || q.Get("templateId") != "tpl1" || q.Get("tokenLifetimeSeconds") != "300" || q.Get("activate") != "true" ||
		r.Header.Get("Accept-Language") != "fr" {
		t.Errorf("enroll query %q, headers %v", r.Query, r.Header)
	}
	if string(r.Body) != `{"factorType":"sms","profile":{"phoneNumber":"+15554151337"},"provider":"OKTA"}` {
		t.Errorf("enroll body = %s", r.Body)
	}

	if _, err := c.VerifyFactor(ctx, "00u1", "opf1", FactorVerifyRequest{}, &VerifyFactorOptions{UserAgent: "Mozilla/5.0 (user)", XForwardedFor: "203.0.113.7"}); err != nil {
		t.Fatal(err)
	}
	r = rc.last(t)
	if r.Header.Get("User-Agent") != "Mozilla/5.0 (user)" || r.Header.Get("X-Forwarded-For") != "203.0.113.7" {
		t.Errorf("verify headers: UA %q XFF %q", r.Header.Get("User-Agent"), r.Header.Get("X-Forwarded-For"))
	}

	if err := c.UnenrollFactor(ctx, "00u1", "f1", &UnenrollFactorOptions{RemoveRecoveryEnrollment: true}); err != nil {
		t.Fatal(err)
	}
	if r = rc.last(t); r.Query != "removeRecoveryEnrollment=true" {
		t.Errorf("unenroll query %q", r.Query)
	}
	if _, err := c.ListAuthenticatorEnrollments(ctx, "00u1", &ListAuthenticatorEnrollmentsOptions{DiscloseIdentifiers: []string{"phone"}}); err == nil {
		// The SMS fixture is not a list; only the request matters here.
		t.Log("unexpected success")
	}
	if r = rc.last(t); r.Query != "discloseIdentifiers=phone" {
		t.Errorf("enrollments query %q", r.Query)
	}
	if _, err := c.CreateAuthenticator(ctx, &OktaVerifyAuthenticator{}, &CreateAuthenticatorOptions{Inactive: true}); err == nil {
		t.Log("decoded the factor fixture as an unknown authenticator")
	}
	if r = rc.last(t); r.Query != "activate=false" || string(r.Body) != `{"key":"okta_verify"}` {
		t.Errorf("create: query %q body %s", r.Query, r.Body)
	}
	if _, err := c.UpdateCustomAAGUID(ctx, "aut1", "cb69", CustomAAGUIDUpdateRequest{Name: Ptr("n")}); err != nil {
		t.Fatal(err)
	}
	if r = rc.last(t); r.Header.Get("Content-Type") != "application/merge-patch+json" {
		t.Errorf("patch content type %q", r.Header.Get("Content-Type"))
	}
}

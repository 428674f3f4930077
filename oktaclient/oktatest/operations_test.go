package oktatest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/mfakit/mfakit/api"
	okta "github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

// TestEveryOperationIsServed calls each of the document's Okta operations once through
// the generated client, with valid input, and expects a 2xx that passed the fake's own
// validation (WithT would fail the test otherwise).
func TestEveryOperationIsServed(t *testing.T) {
	clk := newClock()
	srv, c := newFake(t, oktatest.WithFixedPasscode("135790"), oktatest.WithClock(clk.Now))
	ctx := context.Background()
	ada, margaret := oktatest.SeedUserAda, oktatest.SeedUserMargaret
	phone, wa, tac := mustID(t, srv, "phone_number"), mustID(t, srv, "webauthn"), mustID(t, srv, "tac")
	smsID := factorIDOf(t, srv, ada, "sms")
	pushID := factorIDOf(t, srv, ada, "push")
	callID := factorIDOf(t, srv, ada, "call")
	var enrollmentID, txID, pendingID string
	var email okta.Authenticator
	_ = email.FromAuthenticatorKeyEmail(okta.AuthenticatorKeyEmail{Key: "okta_email", Name: ptr("Email")})
	var customOTP okta.Authenticator
	_ = customOTP.FromAuthenticatorKeyCustomOtp(okta.AuthenticatorKeyCustomOtp{Key: "custom_otp", Name: ptr("More tokens")})
	var sms okta.AuthenticatorMethod
	_ = sms.FromAuthenticatorMethodSms(okta.AuthenticatorMethodSms{Type: "sms"})

	type call func() (int, error)
	calls := map[string]call{
		oktatest.OpGetWellKnownAppAuthenticatorConfiguration: func() (int, error) {
			r, err := c.GetWellKnownAppAuthenticatorConfigurationWithResponse(ctx, &okta.GetWellKnownAppAuthenticatorConfigurationParams{OauthClientId: oktatest.SeedOAuthClientID})
			return code(r, err)
		},
		oktatest.OpListAuthenticators: func() (int, error) { return code(c.ListAuthenticatorsWithResponse(ctx)) },
		oktatest.OpCreateAuthenticator: func() (int, error) {
			return code(c.CreateAuthenticatorWithResponse(ctx, &okta.CreateAuthenticatorParams{Activate: ptr(false)}, customOTP))
		},
		oktatest.OpGetAuthenticator: func() (int, error) { return code(c.GetAuthenticatorWithResponse(ctx, phone)) },
		oktatest.OpReplaceAuthenticator: func() (int, error) {
			return code(c.ReplaceAuthenticatorWithResponse(ctx, mustID(t, srv, "okta_email"), email))
		},
		oktatest.OpActivateAuthenticator: func() (int, error) { return code(c.ActivateAuthenticatorWithResponse(ctx, phone)) },
		oktatest.OpDeactivateAuthenticator: func() (int, error) {
			return code(c.DeactivateAuthenticatorWithResponse(ctx, mustID(t, srv, "yubikey_token")))
		},
		oktatest.OpListAuthenticatorMethods: func() (int, error) {
			return code(c.ListAuthenticatorMethodsWithResponse(ctx, phone))
		},
		oktatest.OpGetAuthenticatorMethod: func() (int, error) { return code(c.GetAuthenticatorMethodWithResponse(ctx, phone, "sms")) },
		oktatest.OpReplaceAuthenticatorMethod: func() (int, error) {
			return code(c.ReplaceAuthenticatorMethodWithResponse(ctx, phone, "sms", sms))
		},
		oktatest.OpActivateAuthenticatorMethod: func() (int, error) {
			return code(c.ActivateAuthenticatorMethodWithResponse(ctx, phone, "voice"))
		},
		oktatest.OpDeactivateAuthenticatorMethod: func() (int, error) {
			return code(c.DeactivateAuthenticatorMethodWithResponse(ctx, phone, "voice"))
		},
		oktatest.OpVerifyRpIDDomain:     func() (int, error) { return code(c.VerifyRpIdDomainWithResponse(ctx, wa, "webauthn")) },
		oktatest.OpListAllCustomAAGUIDs: func() (int, error) { return code(c.ListAllCustomAAGUIDsWithResponse(ctx, wa)) },
		oktatest.OpCreateCustomAAGUID: func() (int, error) {
			return code(c.CreateCustomAAGUIDWithResponse(ctx, wa, okta.CustomAAGUIDCreateRequestObject{Aaguid: ptr("6d44ba9b-f6ec-2e49-b930-0c8fe920cb73"), Name: ptr("Sweep Key")}))
		},
		oktatest.OpGetCustomAAGUID: func() (int, error) { return code(c.GetCustomAAGUIDWithResponse(ctx, wa, oktatest.SeedAAGUID)) },
		oktatest.OpReplaceCustomAAGUID: func() (int, error) {
			return code(c.ReplaceCustomAAGUIDWithResponse(ctx, wa, "6d44ba9b-f6ec-2e49-b930-0c8fe920cb73", okta.CustomAAGUIDUpdateRequestObject{Name: ptr("Sweep Key 2")}))
		},
		oktatest.OpUpdateCustomAAGUID: func() (int, error) {
			return code(c.UpdateCustomAAGUIDWithApplicationMergePatchPlusJSONBodyWithResponse(ctx, wa, oktatest.SeedAAGUID, okta.CustomAAGUIDUpdateRequestObject{Name: ptr("Renamed")}))
		},
		oktatest.OpDeleteCustomAAGUID: func() (int, error) {
			return code(c.DeleteCustomAAGUIDWithResponse(ctx, wa, "6d44ba9b-f6ec-2e49-b930-0c8fe920cb73"))
		},
		oktatest.OpListFactors: func() (int, error) { return code(c.ListFactorsWithResponse(ctx, ada)) },
		oktatest.OpEnrollFactor: func() (int, error) {
			r, err := c.EnrollFactorWithResponse(ctx, margaret, &okta.EnrollFactorParams{TokenLifetimeSeconds: ptr(600)}, enrollBody(t, map[string]any{"factorType": "email", "profile": map[string]any{"email": "mh@example.com"}}))
			if err == nil && r.JSON200 != nil {
				pendingID = factorOf(t, r.JSON200).ID
			}
			return code(r, err)
		},
		oktatest.OpListSupportedFactors:           func() (int, error) { return code(c.ListSupportedFactorsWithResponse(ctx, ada)) },
		oktatest.OpListSupportedSecurityQuestions: func() (int, error) { return code(c.ListSupportedSecurityQuestionsWithResponse(ctx, ada)) },
		oktatest.OpGetFactor:                      func() (int, error) { return code(c.GetFactorWithResponse(ctx, ada, smsID)) },
		oktatest.OpUnenrollFactor:                 func() (int, error) { return code(c.UnenrollFactorWithResponse(ctx, ada, callID, nil)) },
		oktatest.OpActivateFactor: func() (int, error) {
			return code(c.ActivateFactorWithResponse(ctx, margaret, pendingID, okta.UserFactorActivateRequest{PassCode: ptr("135790")}))
		},
		oktatest.OpResendEnrollFactor: func() (int, error) {
			// A pending sms factor's code went out when it was added; Okta allows a resend
			// after 30 seconds.
			id, err := srv.AddFactor(margaret, oktatest.Factor{FactorType: "sms", Status: "PENDING_ACTIVATION", Profile: map[string]any{"phoneNumber": "+15550001111"}})
			if err != nil {
				return 0, err
			}
			clk.Advance(31 * time.Second)
			return code(c.ResendEnrollFactorWithBodyWithResponse(ctx, margaret, id, nil, "application/json", jsonReader(map[string]any{"factorType": "sms", "provider": "OKTA"})))
		},
		oktatest.OpVerifyFactor: func() (int, error) {
			r, err := c.VerifyFactorWithResponse(ctx, ada, pushID, nil, okta.UserFactorVerifyRequest{})
			if err == nil && r.JSON201 != nil {
				href := r.JSON201.UnderscoreLinks.Poll.Href
				txID = href[len(href)-20:]
			}
			return code(r, err)
		},
		oktatest.OpGetFactorTransactionStatus: func() (int, error) {
			return code(c.GetFactorTransactionStatusWithResponse(ctx, ada, pushID, txID))
		},
		oktatest.OpListAuthenticatorEnrollments: func() (int, error) { return code(c.ListAuthenticatorEnrollmentsWithResponse(ctx, ada, nil)) },
		oktatest.OpCreateAuthenticatorEnrollment: func() (int, error) {
			r, err := c.CreateAuthenticatorEnrollmentWithResponse(ctx, margaret, okta.AuthenticatorEnrollmentCreateRequest{AuthenticatorId: phone, Profile: okta.AuthenticatorEnrollmentPhoneProfile{PhoneNumber: "+14086673418"}})
			if err == nil && r.JSON200 != nil {
				enrollmentID = *r.JSON200.Id
			}
			return code(r, err)
		},
		oktatest.OpCreateTacAuthenticatorEnrollment: func() (int, error) {
			return code(c.CreateTacAuthenticatorEnrollmentWithResponse(ctx, margaret, okta.AuthenticatorEnrollmentCreateRequestTac{AuthenticatorId: tac}))
		},
		oktatest.OpGetAuthenticatorEnrollment: func() (int, error) {
			return code(c.GetAuthenticatorEnrollmentWithResponse(ctx, margaret, enrollmentID, nil))
		},
		oktatest.OpDeleteAuthenticatorEnrollment: func() (int, error) {
			return code(c.DeleteAuthenticatorEnrollmentWithResponse(ctx, margaret, enrollmentID))
		},
	}
	// Calls that depend on another's result run after it, in document order otherwise.
	order := []string{
		oktatest.OpEnrollFactor, oktatest.OpActivateFactor, oktatest.OpVerifyFactor, oktatest.OpGetFactorTransactionStatus,
		oktatest.OpCreateCustomAAGUID, oktatest.OpReplaceCustomAAGUID, oktatest.OpDeleteCustomAAGUID,
		oktatest.OpCreateAuthenticatorEnrollment, oktatest.OpGetAuthenticatorEnrollment, oktatest.OpDeleteAuthenticatorEnrollment,
	}
	n := 0
	for _, op := range api.Operations {
		if op.Provider != api.ProviderOkta {
			continue
		}
		n++
		if _, ok := calls[op.OperationID]; !ok {
			t.Errorf("no call for %s", op.OperationID)
			continue
		}
		if !slices.Contains(order, op.OperationID) {
			order = append(order, op.OperationID)
		}
	}
	if n != 34 || len(calls) != 34 {
		t.Fatalf("%d Okta operations in api.Operations and %d calls, want 34", n, len(calls))
	}
	for _, op := range order {
		got, err := calls[op]()
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		if got < 200 || got > 299 {
			t.Errorf("%s: HTTP %d", op, got)
		}
		if cc := srv.CallCount(op); cc < 1 {
			t.Errorf("%s: CallCount %d", op, cc)
		}
	}
	if total := srv.CallCount(oktatest.AllOperations); total != 34 {
		t.Errorf("CallCount(AllOperations) = %d, want 34", total)
	}
}

// code extracts the status of any generated response.
func code[R interface{ StatusCode() int }](r R, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	return r.StatusCode(), nil
}

func jsonReader(v any) *bytes.Reader {
	b, _ := json.Marshal(v)
	return bytes.NewReader(b)
}

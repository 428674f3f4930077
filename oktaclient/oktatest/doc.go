// Package oktatest provides a fake Okta org for tests, in the manner of net/http/httptest:
// NewServer starts a loopback HTTP server that behaves like an Okta org for the 34 MFA
// administration operations of api/okta.yaml (authenticators, their methods and custom
// AAGUIDs, user factors, and user authenticator enrollments), from in-memory state.
//
// The fake implements the std-http-server interface generated from api/okta.yaml
// (package gen/okta) and speaks Okta's wire format: Okta's error bodies (E0000007 for an
// unknown id, E0000001 with errorCauses for a bad body, E0000011 without valid
// credentials, E0000006 for a token without the scope, E0000047 when the rate limit is
// spent), the X-Rate-Limit-Limit, -Remaining and -Reset headers, Date and
// X-Okta-Request-Id on every answer, and HAL _links that follow each resource's state.
//
// It is self-validating: every request and response is checked against the embedded
// api/okta.yaml with kin-openapi's openapi3filter. A request that does not match is
// answered with 400 E0000001 (or 404 for an unknown path) and reported; a response that
// does not match is replaced by a 500 and reported. Reported means t.Errorf when the
// server was created WithT, otherwise an error log. So the fake cannot drift from the
// document unnoticed.
//
// What it does:
//   - Credentials: "SSWS <token>" for DefaultAPIToken (or WithAPIToken) on every
//     operation; "Bearer <token>" for tokens registered WithBearerToken, checked against
//     the scopes the document requires of each operation. The well-known app
//     authenticator configuration needs none.
//   - OAuth 2.0 for Okta: POST /oauth2/v1/token (the org authorization server's token
//     endpoint, outside api/okta.yaml and so not validated against it) issues
//     expiring Bearer tokens to service apps registered WithServiceApp, for the client
//     credentials grant with a private_key_jwt client assertion, which it verifies as
//     Okta does (signature, iss, sub, aud, exp, replayed jti).
//   - State: an authenticator of each of the 17 keys with its methods, settings and
//     provider; four users (the SeedUser constants) with factors of all 13 factor types
//     and authenticator enrollments; two custom AAGUIDs on the webauthn authenticator.
//     WithoutSeed starts empty; AddUser, AddAuthenticator, AddFactor and AddEnrollment
//     add more.
//   - Lifecycle: activate and deactivate change status, lastUpdated and the
//     activate/deactivate links; create honours activate=false; replace keeps id, key,
//     status and created.
//   - Factors: enrolling token:software:totp answers the shared secret in
//     _embedded.activation, and activation and verification check real RFC 6238 codes
//     (TOTPCode computes them). sms, call and email send a passcode read with Passcode
//     (or fixed WithFixedPasscode). A push verification waits until ApprovePush or
//     RejectPush, then its transaction says so. Unenroll removes.
//   - Rate limits: a per-operation budget (WithRateLimit, default DefaultRateLimit per
//     DefaultRateWindow); 429 E0000047 when it is spent, until the window resets.
//   - Faults: FailNext, HTMLNext, TruncateNext, DropNext, Delay and Inject for error
//     statuses, HTML bodies, truncated bodies, dropped connections and slow answers.
//
// Typical use, in a test of code that talks to Okta:
//
//	func TestDisablesSMS(t *testing.T) {
//		srv := oktatest.NewServer(oktatest.WithT(t))
//		// Point the code under test at the fake: the org URL and an API token.
//		err := mypkg.DisableSMS(ctx, srv.URL, srv.APIToken())
//		if err != nil {
//			t.Fatal(err)
//		}
//		id, _ := srv.AuthenticatorID("phone_number")
//		for _, a := range srv.Authenticators() {
//			if a.ID == id && a.Methods[0].Status != "INACTIVE" {
//				t.Errorf("sms method is %s, want INACTIVE", a.Methods[0].Status)
//			}
//		}
//	}
//
// srv.Client() is an *http.Client that already sends the API token, for code that takes
// one.
package oktatest

// Package onelogintest provides a fake OneLogin server for tests, in the manner of
// net/http/httptest: NewServer starts a loopback HTTP server that behaves like a OneLogin
// account for the seven MFA v1 operations and the OAuth 2.0 token and revoke endpoints, from
// in-memory state.
//
// The fake implements the std-http-server interface generated from api/onelogin.yaml
// (package gen/onelogin) and speaks OneLogin's real wire format: the v1 status/data envelope
// on every v1 answer including errors, an unwrapped Generate MFA Token body, integer ids,
// X-RateLimit-Limit/-Remaining/-Reset headers (Reset in seconds remaining) on every answer,
// and v2-style errors from the token endpoint.
//
// It is self-validating: every request and response is checked against the embedded
// api/onelogin.yaml with kin-openapi's openapi3filter. A request that does not match is
// answered with 400 and reported; a response that does not match is replaced by a 500 and
// reported. Reported means t.Errorf when the server was created WithT, otherwise an error
// log. So the fake cannot drift from the document unnoticed.
//
// What it does:
//   - Token: POST /auth/oauth2/v2/token with client credentials by HTTP Basic (JSON or form
//     body) or in a form body; no scope. The same pair gets the same token until it expires
//     (WithTokenLifetime, WithClock) or is revoked (POST /auth/oauth2/revoke, RevokeTokens,
//     ExpireTokens). v1 calls without a valid bearer token get the wrapped 401.
//   - State: seeded users, devices and factors (the Seed… constants; WithoutSeed for none),
//     extended with AddUser, AddFactor and AddDevice.
//   - Enroll → Activate → Verify: SMS and voice codes, authenticator-app and OneLogin Protect
//     codes are deterministic (or fixed with WithFixedOTP) and read with OTP; a Protect push
//     stays pending until ApprovePush or DenyPush. A wrong code answers the wrapped 401.
//   - Generate MFA Token, verified with device id 0; Remove.
//   - Rate limit: a per-window v1 budget (WithRateLimit, SetRateLimitRemaining); 429 when spent.
//   - Faults: Inject and FailNext for error statuses, delays, HTML, truncated or verbatim
//     bodies, and dropped connections.
//
// Typical use:
//
//	srv := onelogintest.NewServer(onelogintest.WithT(t))
//	client := myClient(srv.URL, srv.ClientID(), srv.ClientSecret())
//	code, _ := srv.OTP(onelogintest.SeedUserGrace, onelogintest.SeedDeviceGraceAuthenticator)
package onelogintest

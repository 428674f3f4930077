// Package oneloginclient is a client for OneLogin's MFA v1 API: listing the
// factors a user may enrol and the devices they have, enrolling, triggering
// (SMS, voice, push), verifying and removing devices, and temporary MFA
// tokens.
//
// OneLogin's own Go SDK does not cover this API, and its published OpenAPI
// document describes the wire format wrongly in ways that lose errors and
// data. This client follows what the server really does (see
// api/onelogin.yaml): every v1 answer, errors included, is wrapped in a
// {"status", "data"} envelope that the client removes; status.message may be
// an object; Activate's "id" is the user's id; Generate MFA Token is not
// wrapped and says "reusable"; numbers may arrive as numeric strings; and
// X-RateLimit-Reset counts seconds, not an epoch time.
//
// # Tour
//
// Create a client with [New] or [NewForSubdomain] and an API credential pair:
//
//	c, err := oneloginclient.NewForSubdomain("example",
//		oneloginclient.WithClientCredentials(clientID, clientSecret))
//
// The client gets an OAuth 2.0 access token from /auth/oauth2/v2/token
// (client credentials, with client_id and client_secret in the form body, no
// scope), shares it among all goroutines, replaces it before it expires, and
// fetches a new one once when a call is refused with 401. [WithTokenSource] takes tokens from elsewhere instead.
//
// The seven operations take a context and integer ids and return plain Go
// values:
//
//	factors, err := c.ListAvailableFactors(ctx, userID)   // []AvailableFactor
//	devices, err := c.ListEnrolledFactors(ctx, userID)    // []Device
//	dev, err := c.EnrollFactor(ctx, userID, oneloginclient.EnrollRequest{…})
//	act, err := c.ActivateFactor(ctx, userID, dev.ID, oneloginclient.ActivateRequest{})
//	err = c.VerifyFactor(ctx, userID, dev.ID, oneloginclient.VerifyRequest{StateToken: act.StateToken, OTP: code})
//	tok, err := c.GenerateMFAToken(ctx, userID, oneloginclient.MFATokenRequest{})
//	err = c.RemoveFactor(ctx, userID, dev.ID)
//
// The enrolled list may hold one device twice (OneLogin Protect, for push and
// for codes): do not key devices by id alone.
//
// # Verifying
//
// [Client.VerifyFactor] returns nil only when the factor is verified. A wrong
// code (or a denied push) is an error matching [ErrInvalidCode]; a push the
// user has not answered yet matches [ErrPending]; an expired state token
// matches [ErrStateTokenExpired]. [Client.PollPush] keeps asking while the
// push is pending, until it is answered, the state token expires or the
// context ends.
//
// # Errors
//
// Every failure the server reports is an [*Error], whatever the body looked
// like (the v1 envelope, the v2 {statusCode, name, message} shape of the
// token endpoint, an HTML page from a proxy, or garbage), carrying the HTTP
// status, status.code, status.type, the message as text, the rate-limit
// state and the start of the body. Classify it with errors.Is and the
// sentinels ([ErrNotFound], [ErrUnauthorized], [ErrRateLimited], …); it
// implements wrappers.StatusCoder. A failure that is not an answer from
// OneLogin (a refused connection, a context that ended, a body over the cap)
// is an [*OpError] naming the operation, with the cause reachable through
// errors.Is and errors.As. Bad arguments fail before anything is sent,
// matching [ErrInvalidArgument]; every error from [New] matches
// [ErrInvalidConfig]. Every error message starts with "onelogin: ".
//
// # Retries and rate limits
//
// OneLogin allows 5,000 v1 calls an hour per account. A 429 is retried for
// any operation after X-RateLimit-Reset seconds (when that is at most
// RetryPolicy.MaxRateLimitWait away); a 502, 503, 504 or dropped connection
// is retried with backoff only for the idempotent operations (the lists and
// Remove), so no code is submitted and no SMS is sent twice. A cancelled
// context stops any wait at once. See [WithRetry].
//
// # Secrets
//
// The client secret, access tokens and MFA tokens never appear in errors,
// logs ([WithLogger]; silent by default) or fmt output of the client, its
// options or results ([MFAToken.Token] is a wrappers.Secret). The
// Authorization header is only ever sent to the base URL's origin, also
// across redirects.
//
// For tests, oneloginclient/onelogintest provides a fake OneLogin account on
// a loopback address; the examples below run against it.
package oneloginclient

// Package oktaclient is a Go client for the Okta MFA administration API:
// org-wide authenticators and their methods, custom passkey AAGUIDs, users'
// factors, and users' authenticator enrollments (34 operations).
//
// # A short tour
//
// Make a client for your org with one credential:
//
//	c, err := oktaclient.New("https://example.okta.com", oktaclient.WithAPIToken(token))
//	// or oktaclient.WithPrivateKeyJWT(clientID, key, keyID) for a service app,
//	// or oktaclient.WithTokenSource(ts) for OAuth 2.0 tokens you get yourself.
//
// Every operation is a method named as in Okta's SDKs, context first, ids as
// strings, optional parameters in a small options struct that may be nil:
//
//	auths, err := c.ListAuthenticators(ctx)
//	for _, a := range auths {
//		switch a := a.(type) {
//		case *oktaclient.OktaVerifyAuthenticator:
//			fmt.Println("Okta Verify", a.Common().Status)
//		case *oktaclient.UnknownAuthenticator:
//			fmt.Println("new kind of authenticator:", a.Key())
//		}
//	}
//
// # Unions that keep everything
//
// [Authenticator] (by key), [AuthenticatorMethod] (by type) and
// [UserFactor] (by factorType) are sealed interfaces with one concrete type
// per documented value, each embedding the generated model, and an Unknown
// type for values this version does not know. Decoding reads the
// discriminator and then decodes each value once. One odd element never
// fails or empties a list: it becomes the Unknown type, carrying its bytes
// and, if it did not decode, the error (Err).
//
// Every decoded value keeps the JSON Okta sent. json.Marshal of it gives
// that JSON back with only the fields you changed overlaid (and those you
// set to nil left out, so that a replace clears them), so
// GetAuthenticator → change one field → ReplaceAuthenticator never drops a
// setting this version does not know about, and does not even reformat the
// ones it does.
//
// HAL links are decoded on demand: decoding leaves the models'
// UnderscoreLinks field nil (and a factor's free-form UnderscoreEmbedded;
// a TOTP factor's activation is decoded as before), since most callers never
// read them and they are half of the decoding work. Call Links (and
// Embedded) on the value instead: it decodes them from the kept JSON, or
// returns the field when you have set it. The links still round-trip with
// the rest of the JSON. [DecodeAuthenticators], [DecodeAuthenticatorMethods]
// and [DecodeUserFactors] decode list bodies you fetched yourself, exactly as
// the list calls do.
//
// # Errors
//
// Every non-2xx answer is an [*Error] with Okta's errorCode, errorSummary,
// errorCauses, the request id and the rate-limit state; errors.Is matches it
// against [ErrNotFound], [ErrRateLimited] and the other sentinels. A body
// that is not Okta's JSON (an HTML page from a proxy) still gives an
// *Error, with an excerpt of the body. A 2xx body that does not decode as
// the result (including an empty or null body where an object is due) is a
// [*DecodeError]. A failure that is not an answer from Okta (a refused or
// reset connection, a truncated body, a context that ended) is an
// [*OpError] naming the operation, wrapping the cause. A bad argument (an
// empty id, a nil body, a nil context) matches [ErrInvalidArgument] and
// sends nothing.
//
// # Types
//
// Every generated type the exported API reaches (nested settings, enums,
// profiles, such as [UserVerificationEnum] or [ChannelBinding]) is
// re-exported here as a type alias: no caller needs to import gen/okta.
//
// # Retries, rate limits and paging
//
// A 429 is retried after the wait X-Rate-Limit-Reset names, measured
// against the server's Date header; 502, 503, 504 and dropped connections
// are retried with jittered backoff for idempotent methods. Waits end when
// the context does ([WithRetry] bounds them). List methods follow
// Link rel="next" and return the complete list; each has an Iter variant
// (such as [Client.ListFactorsIter]) that streams page by page. A next link,
// or a redirect, to any origin but the org's is refused: the credential
// never leaves the org.
//
// # Anything else
//
// [Client.NewRequest] and [Client.Do] reach endpoints this package does not
// cover, with the same authentication, retries and typed errors.
package oktaclient

// Package wrappers is the provider-neutral plumbing under mfakit's Okta and
// OneLogin clients. It knows no provider: everything specific to one (how its
// errors look, how its rate-limit headers count) is injected as a function.
//
// The pieces:
//
//   - [Doer] sends requests for a generated oapi-codegen client (it satisfies
//     HttpRequestDoer): it keeps every request and redirect on one origin,
//     authorizes each attempt, retries 429 and transient failures with bounded,
//     context-aware waits, caps response bodies, and turns every non-2xx
//     response into the provider's typed error before the generated code sees it.
//   - [Authorizer] implementations ([HeaderAuth], [TokenSourceAuth]) and token
//     sources ([NewCachingTokenSource], [PrivateKeyJWTTokenSource],
//     [ClientSecretTokenSource]) that never print their secrets, fetch with
//     the caller's context ([TokenSourceContext]) and fail with typed errors
//     ([AuthorizeError], [TokenError], [ErrMalformedToken]). Which 401s are
//     answered with a fresh token is the face's choice
//     ([DoerConfig.RetryUnauthorized]).
//   - [Secret], a string that redacts itself in fmt, slog and JSON output.
//   - [Paginate] and [CollectAll], a generic iterator over next-link pages that
//     never follows a link off the client's origin; [ParseLinkNext] reads
//     RFC 8288 Link headers.
//   - [PeekString] and [MergeObjects] for lossless discriminated unions.
//   - Shared errors ([ErrBodyTooLarge], [ErrForeignOrigin], [StatusCoder],
//     [Excerpt]) and rate-limit parsing ([RateLimit], [EpochResetWait],
//     [DeltaResetWait]).
package wrappers

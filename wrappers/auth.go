package wrappers

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

// Authorizer puts a credential on an outgoing request. [Doer] calls it once
// per attempt, on a clone of the caller's request, after checking the origin.
// Implementations must be safe for concurrent use and must never put the
// credential in an error.
type Authorizer interface {
	Authorize(req *http.Request) error
}

// Invalidator is implemented by an [Authorizer] whose credential can go stale
// (an OAuth access token that expired early or was revoked). When the server
// answers 401, [Doer] calls Invalidate with the rejected request and retries
// once with a freshly authorized request.
type Invalidator interface {
	// Invalidate drops the credential that rejected was authorized with, so
	// that the next Authorize fetches a fresh one. If that credential has
	// already been replaced (another request got the 401 first), it does
	// nothing, so many concurrent 401s cause one refetch, not one each.
	Invalidate(rejected *http.Request)
}

// AuthorizeError is returned by [Doer.Do] when its [Authorizer] fails, for
// example when no access token could be fetched. Nothing was sent to the
// API. Err is the Authorizer's error: a [*TokenError] for a token endpoint's
// refusal, an error matching [ErrMalformedToken] for a 2xx token response
// without a usable token, one matching [ErrNoCredential] for a missing
// credential, or a transport or context error.
type AuthorizeError struct {
	// Method and Path identify the request that was not sent (the path
	// only: never the query).
	Method, Path string
	// Err is the Authorizer's error.
	Err error
}

// Error implements error.
func (e *AuthorizeError) Error() string {
	return fmt.Sprintf("wrappers: authorizing %s %s: %s", e.Method, e.Path, Detail(e.Err))
}

// Unwrap returns the Authorizer's error.
func (e *AuthorizeError) Unwrap() error { return e.Err }

// ErrNoCredential is matched (errors.Is) by the error an [Authorizer] from
// this package returns when it has no usable credential.
var ErrNoCredential = errors.New("no usable credential")

// HeaderAuth returns an [Authorizer] that sets "Authorization: scheme token"
// (just "token" if scheme is empty), e.g. HeaderAuth("SSWS", apiToken) for an
// Okta API token. The token never appears in fmt, slog or error output.
func HeaderAuth(scheme string, token Secret) Authorizer {
	a := &headerAuth{scheme: scheme, token: &token}
	tok := token.Reveal()
	if tok != "" && !strings.ContainsAny(tok, "\r\n\x00") && !strings.ContainsAny(scheme, " \r\n\x00") {
		v := tok
		if scheme != "" {
			v = scheme + " " + tok
		}
		// Built once, not per request.
		value := Secret(v)
		a.value = &value
	}
	return a
}

// headerAuth keeps its token behind a pointer, so that even fmt's fallback
// output for a struct that holds it in an unexported field (which cannot
// call Format) shows an address, not the token.
type headerAuth struct {
	scheme string
	token  *Secret
	value  *Secret // the whole header value; nil when the token is empty or malformed
}

func (a *headerAuth) Authorize(req *http.Request) error {
	if a.value == nil {
		return fmt.Errorf("wrappers: %s credential is empty or malformed: %w", a.schemeName(), ErrNoCredential)
	}
	req.Header.Set("Authorization", a.value.Reveal())
	return nil
}

func (a *headerAuth) schemeName() string {
	if a.scheme == "" {
		return "header"
	}
	return a.scheme
}

func (a *headerAuth) String() string {
	return "wrappers.HeaderAuth{" + a.schemeName() + ", " + Redacted + "}"
}
func (a *headerAuth) GoString() string { return a.String() }
func (a *headerAuth) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "wrappers.HeaderAuth", a.schemeName())
}
func (a *headerAuth) LogValue() slog.Value { return slog.StringValue(a.String()) }

// TokenSourceAuth returns an [Authorizer] that sets "Authorization: Bearer
// <access token>" (the token's own type, normalised by oauth2.Token.Type)
// from ts. When ts is a [TokenSourceContext] (as the sources of this package
// are), the token is fetched with the request's context, so that a cancelled
// or timed-out call stops waiting for a slow token endpoint; other sources
// are asked with Token(). Wrap an uncached source in [NewCachingTokenSource]
// first; the
// returned Authorizer is also an [Invalidator] that drops a rejected token
// from a [CachingTokenSource] (or calls Invalidate() on any source that has
// it). Errors from ts are passed through [ScrubTokenError].
func TokenSourceAuth(ts oauth2.TokenSource) Authorizer {
	return &tokenSourceAuth{ts: ts}
}

type tokenSourceAuth struct {
	ts oauth2.TokenSource
}

func (a *tokenSourceAuth) Authorize(req *http.Request) error {
	if a.ts == nil {
		return fmt.Errorf("wrappers: no token source: %w", ErrNoCredential)
	}
	var tok *oauth2.Token
	var err error
	if tsc, ok := a.ts.(TokenSourceContext); ok {
		tok, err = tsc.TokenContext(req.Context())
	} else {
		tok, err = a.ts.Token()
	}
	if err != nil {
		return aboutToken(ScrubTokenError(err))
	}
	if tok == nil || tok.AccessToken == "" || strings.ContainsAny(tok.AccessToken, "\r\n\x00") {
		return fmt.Errorf("wrappers: token source returned an empty or malformed access token: %w", ErrNoCredential)
	}
	req.Header.Set("Authorization", tok.Type()+" "+tok.AccessToken)
	return nil
}

// aboutToken returns err, from a token source, saying that getting an access
// token failed. The errors of this package's sources say so already (a
// *TokenError, a *MalformedTokenError, or one with that context), so they
// are returned as they are: each layer adds context once, and the message
// never reads "wrappers: getting an access token: wrappers: …".
func aboutToken(err error) error {
	switch err.(type) {
	case *TokenError, *MalformedTokenError, *contextError:
		return err
	}
	return withContext("getting an access token", err)
}

func (a *tokenSourceAuth) Invalidate(rejected *http.Request) {
	_, access, _ := strings.Cut(rejected.Header.Get("Authorization"), " ")
	switch ts := a.ts.(type) {
	case *CachingTokenSource:
		ts.invalidateIf(access)
	case CachingTokenSource:
		ts.invalidateIf(access)
	case interface{ Invalidate() }:
		ts.Invalidate()
	}
}

func (a *tokenSourceAuth) String() string   { return "wrappers.TokenSourceAuth{" + Redacted + "}" }
func (a *tokenSourceAuth) GoString() string { return a.String() }
func (a *tokenSourceAuth) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "wrappers.TokenSourceAuth", "")
}
func (a *tokenSourceAuth) LogValue() slog.Value { return slog.StringValue(a.String()) }

package wrappers

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// TokenSourceContext is implemented by a token source that can fetch with
// the caller's context, so that a cancelled call stops waiting for a slow
// token endpoint. [TokenSourceAuth] uses it when the source has it; the
// sources of this package ([CachingTokenSource], [ClientSecretTokenSource],
// [PrivateKeyJWTTokenSource]) all do.
type TokenSourceContext interface {
	// TokenContext is like oauth2.TokenSource's Token, but gives up when
	// ctx is done, with an error matching ctx.Err().
	TokenContext(ctx context.Context) (*oauth2.Token, error)
}

// CachingTokenSource is an oauth2.TokenSource that caches the token of an
// underlying source, fetches a new one a little before it expires, shares one
// fetch among all concurrent callers, and can be told that its token was
// rejected ([CachingTokenSource.Invalidate]). Create it with
// [NewCachingTokenSource]; it is safe for concurrent use and never prints its
// token.
type CachingTokenSource struct {
	s *tokenCache
}

type tokenCache struct {
	src   oauth2.TokenSource
	early time.Duration
	now   func() time.Time

	mu      sync.Mutex
	tok     *oauth2.Token
	fetched time.Time
	flight  *tokenFlight // the fetch in progress, if any
}

// tokenFlight is one fetch shared by every caller that asks while it runs.
// x/sync/singleflight would share it too, but cannot stop a fetch that
// nobody waits for any more; this does, so that a token endpoint that hangs
// (with an HTTP client without a timeout) cannot hold every later caller.
type tokenFlight struct {
	done    chan struct{} // closed when tok, err are set
	tok     *oauth2.Token
	err     error
	waiters int                // callers still waiting; guarded by tokenCache.mu
	cancel  context.CancelFunc // stops the fetch
}

// CachingOption configures a [CachingTokenSource].
type CachingOption func(*tokenCache)

// WithCacheClock sets the clock a [CachingTokenSource] judges expiry by (nil
// means time.Now), so that tests can move time on without waiting.
func WithCacheClock(now func() time.Time) CachingOption {
	return func(s *tokenCache) {
		if now != nil {
			s.now = now
		}
	}
}

// NewCachingTokenSource returns a [CachingTokenSource] over src that treats
// a token as expired early before its Expiry (at most half the token's
// lifetime, so short-lived tokens are not refetched on every call). A token
// without an Expiry is kept until invalidated. Errors from src are passed
// through [ScrubTokenError] and are not cached.
func NewCachingTokenSource(src oauth2.TokenSource, early time.Duration, opts ...CachingOption) *CachingTokenSource {
	s := &tokenCache{src: src, early: max(early, 0), now: time.Now}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	return &CachingTokenSource{s: s}
}

// Token returns the cached token while it is fresh, and otherwise fetches a
// new one (once, however many goroutines ask at the same time). It is
// TokenContext with context.Background().
func (c CachingTokenSource) Token() (*oauth2.Token, error) {
	return c.TokenContext(context.Background())
}

// TokenContext returns the cached token while it is fresh, and otherwise
// fetches a new one, once however many goroutines ask at the same time. The
// fetch is shared: it runs with the values of the context of the caller that
// started it, but not its cancellation, and the underlying source is asked
// with TokenContext when it has it. Each caller stops waiting when its own
// ctx is done (with an error matching ctx.Err()); when the last waiting
// caller leaves, the fetch is cancelled and the next caller starts afresh.
// A nil ctx is an error matching [ErrNilContext].
func (c CachingTokenSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	s := c.s
	if s == nil || s.src == nil {
		return nil, fmt.Errorf("wrappers: caching token source has no source: %w", ErrNoCredential)
	}
	if ctx == nil {
		return nil, fmt.Errorf("wrappers: caching token source: %w", ErrNilContext)
	}
	s.mu.Lock()
	if tok := s.freshLocked(); tok != nil {
		s.mu.Unlock()
		return tok, nil
	}
	if err := ctx.Err(); err != nil {
		s.mu.Unlock()
		return nil, withContext("getting an access token", err)
	}
	f := s.flight
	if f == nil {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &tokenFlight{done: make(chan struct{}), cancel: cancel}
		s.flight = f
		go s.fetch(fctx, f)
	}
	f.waiters++
	s.mu.Unlock()

	select {
	case <-f.done:
		if f.err != nil {
			return nil, f.err
		}
		// Hand out a copy so that callers cannot change the cached token.
		tok := *f.tok
		return &tok, nil
	case <-ctx.Done():
		s.mu.Lock()
		f.waiters--
		if f.waiters == 0 && s.flight == f {
			s.flight = nil
			f.cancel()
		}
		s.mu.Unlock()
		return nil, withContext("gave up waiting for an access token", ctx.Err())
	}
}

// fetch runs flight f: it asks the source and, if f is still the current
// flight, caches the token.
func (s *tokenCache) fetch(ctx context.Context, f *tokenFlight) {
	defer f.cancel()
	tok, err := s.ask(ctx)
	s.mu.Lock()
	if s.flight == f {
		s.flight = nil
		if err == nil {
			s.tok, s.fetched = tok, s.now()
		}
	}
	f.tok, f.err = tok, err
	s.mu.Unlock()
	close(f.done)
}

func (s *tokenCache) ask(ctx context.Context) (*oauth2.Token, error) {
	var tok *oauth2.Token
	var err error
	if tsc, ok := s.src.(TokenSourceContext); ok {
		tok, err = tsc.TokenContext(ctx)
	} else {
		tok, err = s.src.Token()
	}
	if err != nil {
		return nil, ScrubTokenError(err)
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, fmt.Errorf("wrappers: token source returned no access token: %w", ErrNoCredential)
	}
	return tok, nil
}

// freshLocked returns a copy of the cached token if it is still fresh. s.mu
// must be held.
func (s *tokenCache) freshLocked() *oauth2.Token {
	if s.tok == nil || s.tok.AccessToken == "" {
		return nil
	}
	if !s.tok.Expiry.IsZero() {
		early := s.early
		if life := s.tok.Expiry.Sub(s.fetched); early > life/2 {
			early = max(life/2, 0)
		}
		if !s.now().Add(early).Before(s.tok.Expiry) {
			return nil
		}
	}
	tok := *s.tok
	return &tok
}

// Invalidate drops the cached token, so that the next Token call fetches a
// new one.
func (c CachingTokenSource) Invalidate() {
	if c.s == nil {
		return
	}
	c.s.mu.Lock()
	c.s.tok = nil
	c.s.mu.Unlock()
}

// invalidateIf drops the cached token only if its access token is access, so
// that a burst of 401s for one stale token causes one refetch.
func (c CachingTokenSource) invalidateIf(access string) {
	if c.s == nil {
		return
	}
	c.s.mu.Lock()
	if c.s.tok != nil && c.s.tok.AccessToken == access {
		c.s.tok = nil
	}
	c.s.mu.Unlock()
}

// String implements fmt.Stringer without revealing the token.
func (c CachingTokenSource) String() string { return "wrappers.CachingTokenSource{" + Redacted + "}" }

// GoString implements fmt.GoStringer without revealing the token.
func (c CachingTokenSource) GoString() string { return c.String() }

// Format implements fmt.Formatter without revealing the token.
func (c CachingTokenSource) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "wrappers.CachingTokenSource", "")
}

// LogValue implements slog.LogValuer without revealing the token.
func (c CachingTokenSource) LogValue() slog.Value { return slog.StringValue(c.String()) }

// TokenError is a token endpoint's refusal (RFC 6749 section 5.2), scrubbed:
// it keeps the status and the error, error_description and error_uri fields
// but never the raw response body, which could echo a credential. For
// endpoints that answer in another JSON shape, a top-level "name" or
// "message" string stands in for error and error_description.
type TokenError struct {
	// StatusCode is the HTTP status of the token response.
	StatusCode int
	// ErrorCode is RFC 6749's "error", e.g. "invalid_client".
	ErrorCode string
	// ErrorDescription is RFC 6749's "error_description" (capped).
	ErrorDescription string
	// ErrorURI is RFC 6749's "error_uri".
	ErrorURI string
}

// Error implements error; it never contains the response body.
func (e *TokenError) Error() string {
	s := fmt.Sprintf("wrappers: token endpoint refused: %d", e.StatusCode)
	if e.ErrorCode != "" {
		s += " " + e.ErrorCode
	}
	if e.ErrorDescription != "" {
		s += ": " + e.ErrorDescription
	}
	return s
}

// HTTPStatusCode implements [StatusCoder].
func (e *TokenError) HTTPStatusCode() int { return e.StatusCode }

// ScrubTokenError replaces an *oauth2.RetrieveError anywhere in err's chain,
// whose message and fields carry the token endpoint's raw response body, with
// a [*TokenError] holding only the status and the standard error fields. Other
// errors are returned unchanged; nil stays nil.
func ScrubTokenError(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return err
	}
	te := &TokenError{
		ErrorCode:        Excerpt([]byte(re.ErrorCode), 100),
		ErrorDescription: Excerpt([]byte(re.ErrorDescription), 300),
		ErrorURI:         Excerpt([]byte(re.ErrorURI), 300),
	}
	if re.Response != nil {
		te.StatusCode = re.Response.StatusCode
	}
	if te.ErrorCode == "" {
		// Not an RFC 6749 body: take a short top-level name/message if there
		// is one (e.g. {"statusCode":401,"name":"InvalidCredentials",
		// "message":"…"}), nothing else from the body.
		var alt struct {
			Error   any `json:"error"`
			Name    any `json:"name"`
			Message any `json:"message"`
		}
		if json.Unmarshal(re.Body, &alt) == nil {
			if s, ok := alt.Name.(string); ok {
				te.ErrorCode = Excerpt([]byte(s), 100)
			}
			if s, ok := alt.Message.(string); ok {
				te.ErrorDescription = Excerpt([]byte(s), 300)
			}
		}
	}
	return te
}

// ClientAssertionType is the client_assertion_type of a private_key_jwt
// client assertion (RFC 7523 section 2.2).
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// AssertionLifetime is how long a client assertion made by
// [PrivateKeyJWTTokenSource] is valid.
const AssertionLifetime = 5 * time.Minute

// PrivateKeyJWTTokenSource returns an uncached oauth2.TokenSource that gets a
// token with the OAuth 2.0 client credentials grant, authenticating with a
// private_key_jwt client assertion (RFC 7523): a JWT with iss = sub =
// clientID, aud = tokenURL, a random jti, iat, and exp AssertionLifetime
// later, signed with key (RS256 for RSA, ES256/ES384/ES512 for ECDSA P-256/
// P-384/P-521, EdDSA for Ed25519) and carrying keyID as "kid" if not empty.
// Every Token call signs a fresh assertion. Wrap the source in
// [NewCachingTokenSource].
//
// ctx (not nil: that is an error matching [ErrNilContext], as is a nil ctx
// given to TokenContext) is used for every Token call (cancelling it stops
// future fetches); the
// source is also a [TokenSourceContext], whose TokenContext fetches with the
// caller's context and stops when either is done. httpClient (nil for a
// default) is copied, and the copy refuses redirects away from tokenURL's
// origin. tokenURL must be https (or http on a loopback host). A refusal is
// a scrubbed [*TokenError]; a 2xx answer without a usable access token a
// [*MalformedTokenError]. The key and assertions never appear in errors or in
// fmt or slog output of the source.
func PrivateKeyJWTTokenSource(ctx context.Context, tokenURL, clientID string, key crypto.Signer, keyID string, scopes []string, httpClient *http.Client) (oauth2.TokenSource, error) {
	u, err := parseTokenURL(tokenURL)
	if err != nil {
		return nil, err
	}
	if clientID == "" {
		return nil, fmt.Errorf("wrappers: private key JWT: empty client ID: %w", ErrNoCredential)
	}
	signer, err := newAssertionSigner(key, keyID)
	if err != nil {
		return nil, err
	}
	if ctx == nil {
		return nil, fmt.Errorf("wrappers: private key JWT: %w", ErrNilContext)
	}
	return &privateKeyJWTSource{
		ctx:      ctx,
		tokenURL: u.String(),
		clientID: clientID,
		scopes:   append([]string(nil), scopes...),
		signer:   signer,
		client:   originLockedClient(httpClient, u),
		now:      time.Now,
	}, nil
}

type privateKeyJWTSource struct {
	ctx      context.Context
	tokenURL string
	clientID string
	scopes   []string
	signer   jose.Signer
	client   *http.Client
	now      func() time.Time
}

func (s *privateKeyJWTSource) Token() (*oauth2.Token, error) { return s.TokenContext(s.ctx) }

// TokenContext fetches with ctx, also stopping when the source's own
// context is done.
func (s *privateKeyJWTSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	if ctx == nil {
		return nil, fmt.Errorf("wrappers: private key JWT: %w", ErrNilContext)
	}
	ctx, stop := withStopOf(ctx, s.ctx)
	defer stop()
	assertion, err := s.assertion()
	if err != nil {
		return nil, err
	}
	// A new config per fetch, so that each request carries a fresh assertion.
	cfg := clientcredentials.Config{
		ClientID:  s.clientID,
		TokenURL:  s.tokenURL,
		Scopes:    s.scopes,
		AuthStyle: oauth2.AuthStyleInParams,
		EndpointParams: url.Values{
			"client_assertion_type": {ClientAssertionType},
			"client_assertion":      {assertion},
		},
	}
	tok, err := checkFetched(newRedactor(assertion).apply(cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, s.client))))
	if err != nil {
		return nil, aboutToken(err)
	}
	return tok, nil
}

func (s *privateKeyJWTSource) assertion() (string, error) {
	now := s.now()
	claims := jwt.Claims{
		Issuer:    s.clientID,
		Subject:   s.clientID,
		Audience:  jwt.Audience{s.tokenURL},
		ID:        rand.Text(),
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		Expiry:    jwt.NewNumericDate(now.Add(AssertionLifetime)),
	}
	a, err := jwt.Signed(s.signer).Claims(claims).Serialize()
	if err != nil {
		// go-jose's errors describe the failure, not the key.
		return "", withContext("signing the client assertion", err)
	}
	return a, nil
}

func (s *privateKeyJWTSource) String() string {
	return "wrappers.PrivateKeyJWTTokenSource{" + s.clientID + ", " + Redacted + "}"
}
func (s *privateKeyJWTSource) GoString() string { return s.String() }
func (s *privateKeyJWTSource) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "wrappers.PrivateKeyJWTTokenSource", s.clientID)
}
func (s *privateKeyJWTSource) LogValue() slog.Value { return slog.StringValue(s.String()) }

// ClientSecretTokenSource returns an uncached oauth2.TokenSource that gets a
// token with the OAuth 2.0 client credentials grant and a client secret, sent
// as style says (oauth2.AuthStyleInParams for form fields, AuthStyleInHeader
// for HTTP Basic; AuthStyleAutoDetect tries both). No scope is sent when
// scopes is empty. ctx, httpClient and tokenURL are treated as in
// [PrivateKeyJWTTokenSource]. Errors are scrubbed; the secret never appears
// in errors or in fmt or slog output of the source. Wrap the source in
// [NewCachingTokenSource].
func ClientSecretTokenSource(ctx context.Context, tokenURL, clientID string, clientSecret Secret, scopes []string, style oauth2.AuthStyle, httpClient *http.Client) (oauth2.TokenSource, error) {
	u, err := parseTokenURL(tokenURL)
	if err != nil {
		return nil, err
	}
	if clientID == "" || clientSecret == "" {
		return nil, fmt.Errorf("wrappers: client credentials: empty client ID or secret: %w", ErrNoCredential)
	}
	if ctx == nil {
		return nil, fmt.Errorf("wrappers: client credentials: %w", ErrNilContext)
	}
	return &clientSecretSource{
		ctx:      ctx,
		tokenURL: u.String(),
		clientID: clientID,
		secret:   &clientSecret,
		scopes:   append([]string(nil), scopes...),
		style:    style,
		client:   originLockedClient(httpClient, u),
	}, nil
}

type clientSecretSource struct {
	ctx      context.Context
	tokenURL string
	clientID string
	secret   *Secret // behind a pointer, like headerAuth's token
	scopes   []string
	style    oauth2.AuthStyle
	client   *http.Client
}

func (s *clientSecretSource) Token() (*oauth2.Token, error) { return s.TokenContext(s.ctx) }

// TokenContext fetches with ctx, also stopping when the source's own
// context is done.
func (s *clientSecretSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	if ctx == nil {
		return nil, fmt.Errorf("wrappers: client credentials: %w", ErrNilContext)
	}
	ctx, stop := withStopOf(ctx, s.ctx)
	defer stop()
	cfg := clientcredentials.Config{
		ClientID:     s.clientID,
		ClientSecret: s.secret.Reveal(),
		TokenURL:     s.tokenURL,
		Scopes:       s.scopes,
		AuthStyle:    s.style,
	}
	tok, err := checkFetched(newRedactor(s.secret.Reveal()).apply(cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, s.client))))
	if err != nil {
		return nil, aboutToken(err)
	}
	return tok, nil
}

func (s *clientSecretSource) String() string {
	return "wrappers.ClientSecretTokenSource{" + s.clientID + ", " + Redacted + "}"
}
func (s *clientSecretSource) GoString() string { return s.String() }
func (s *clientSecretSource) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "wrappers.ClientSecretTokenSource", s.clientID)
}
func (s *clientSecretSource) LogValue() slog.Value { return slog.StringValue(s.String()) }

// ErrMalformedToken is matched (errors.Is) by a [*MalformedTokenError]: a
// token endpoint answered 2xx, but without a usable access token.
var ErrMalformedToken = errors.New("malformed token response")

// MalformedTokenError reports a 2xx token endpoint response that held no
// usable access token: a body that is neither JSON nor a form, a truncated
// one, one without access_token, or an access token that cannot be sent in
// a header. It never holds the body. [ClientSecretTokenSource] and
// [PrivateKeyJWTTokenSource] return it; a refusal (non-2xx, or an RFC 6749
// error field) is a [*TokenError] instead, and a failure to get an answer at
// all is the transport's error.
type MalformedTokenError struct {
	// Err says what was wrong (x/oauth2's parse error, which quotes no more
	// than a character of the body).
	Err error
}

// Error implements error.
func (e *MalformedTokenError) Error() string {
	return "wrappers: token endpoint answered without a usable access token: " + e.Err.Error()
}

// Is reports whether target is [ErrMalformedToken].
func (e *MalformedTokenError) Is(target error) bool { return target == ErrMalformedToken }

// Unwrap returns what was wrong.
func (e *MalformedTokenError) Unwrap() error { return e.Err }

// checkFetched classifies the result of an x/oauth2 token request: a
// refusal becomes a scrubbed *TokenError; a 2xx answer x/oauth2 could not
// use, or a token that cannot go in a header, a *MalformedTokenError; any
// other error (transport, context) is returned as it is.
func checkFetched(tok *oauth2.Token, err error) (*oauth2.Token, error) {
	if err != nil {
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) && malformedTokenResponse(err) {
			return nil, &MalformedTokenError{Err: err}
		}
		return nil, ScrubTokenError(err)
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, &MalformedTokenError{Err: errors.New("no access_token")}
	}
	if strings.ContainsAny(tok.AccessToken, "\r\n\x00") {
		return nil, &MalformedTokenError{Err: errors.New("access_token has control characters")}
	}
	return tok, nil
}

// malformedTokenResponse reports whether err is x/oauth2's report of a 2xx
// token response it could not use. x/oauth2 (v0.37) has no type for these,
// only these messages (see doTokenRoundTrip in its internal/token.go);
// TestTokenEndpointMalformed pins them, so that an upgrade that changes them
// fails the test instead of silently turning them into plain errors.
func malformedTokenResponse(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "oauth2: cannot parse ") ||
		strings.HasPrefix(msg, "oauth2: server response missing access_token")
}

// withStopOf returns ctx, also cancelled when other is done (other is a
// token source's construction context, which its documentation promises
// stops fetches). stop releases the link.
func withStopOf(ctx, other context.Context) (context.Context, func()) {
	if ctx == nil {
		ctx = other
	}
	if ctx == other || other.Done() == nil {
		return ctx, func() {}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	if other.Err() != nil {
		cancel(context.Cause(other))
		return ctx, func() {}
	}
	unlink := context.AfterFunc(other, func() { cancel(context.Cause(other)) })
	return ctx, func() { unlink(); cancel(nil) }
}

func parseTokenURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("wrappers: token URL does not parse: %w", ErrInvalidBaseURL)
	}
	if err := checkBaseURL(u); err != nil {
		return nil, withContext("token URL", err)
	}
	return u, nil
}

// newAssertionSigner picks the JWS algorithm for key. Keys go-jose knows are
// handed to it directly; any other crypto.Signer (an HSM or KMS key) goes
// through opaqueKey, since go-jose accepts only its OpaqueSigner for those.
func newAssertionSigner(key crypto.Signer, keyID string) (jose.Signer, error) {
	if key == nil {
		return nil, fmt.Errorf("wrappers: private key JWT: no key: %w", ErrNoCredential)
	}
	var alg jose.SignatureAlgorithm
	switch pub := key.Public().(type) {
	case *rsa.PublicKey:
		alg = jose.RS256
	case *ecdsa.PublicKey:
		switch pub.Curve {
		case elliptic.P256():
			alg = jose.ES256
		case elliptic.P384():
			alg = jose.ES384
		case elliptic.P521():
			alg = jose.ES512
		default:
			return nil, fmt.Errorf("wrappers: private key JWT: unsupported ECDSA curve: %w", ErrNoCredential)
		}
	case ed25519.PublicKey:
		alg = jose.EdDSA
	default:
		return nil, fmt.Errorf("wrappers: private key JWT: unsupported key type %T: %w", pub, ErrNoCredential)
	}
	var sk any
	switch k := key.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
		sk = k
	default:
		sk = &opaqueKey{key: key, alg: alg}
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if keyID != "" {
		opts = opts.WithHeader(jose.HeaderKey("kid"), keyID)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: sk}, opts)
	if err != nil {
		return nil, fmt.Errorf("wrappers: private key JWT: %w", err)
	}
	return s, nil
}

// opaqueKey adapts a crypto.Signer to go-jose's OpaqueSigner.
type opaqueKey struct {
	key crypto.Signer
	alg jose.SignatureAlgorithm
}

func (o *opaqueKey) Public() *jose.JSONWebKey {
	return &jose.JSONWebKey{Key: o.key.Public(), Algorithm: string(o.alg)}
}

func (o *opaqueKey) Algs() []jose.SignatureAlgorithm { return []jose.SignatureAlgorithm{o.alg} }

func (o *opaqueKey) SignPayload(payload []byte, alg jose.SignatureAlgorithm) ([]byte, error) {
	var h crypto.Hash
	switch alg {
	case jose.RS256, jose.ES256:
		h = crypto.SHA256
	case jose.ES384:
		h = crypto.SHA384
	case jose.ES512:
		h = crypto.SHA512
	case jose.EdDSA:
		return o.key.Sign(rand.Reader, payload, crypto.Hash(0))
	default:
		return nil, jose.ErrUnsupportedAlgorithm
	}
	hh := h.New()
	hh.Write(payload)
	sig, err := o.key.Sign(rand.Reader, hh.Sum(nil), h)
	if err != nil || alg == jose.RS256 {
		return sig, err
	}
	// crypto.Signer gives ECDSA signatures in ASN.1; JWS wants r||s, each
	// padded to the curve's byte size (RFC 7518 section 3.4).
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(sig, &rs); err != nil {
		return nil, fmt.Errorf("wrappers: ECDSA signature is not ASN.1: %w", err)
	}
	size := (o.key.Public().(*ecdsa.PublicKey).Curve.Params().BitSize + 7) / 8
	if rs.R == nil || rs.S == nil || rs.R.Sign() < 0 || rs.S.Sign() < 0 || rs.R.BitLen() > 8*size || rs.S.BitLen() > 8*size {
		return nil, errors.New("wrappers: ECDSA signature does not fit the curve")
	}
	out := make([]byte, 2*size)
	rs.R.FillBytes(out[:size])
	rs.S.FillBytes(out[size:])
	return out, nil
}

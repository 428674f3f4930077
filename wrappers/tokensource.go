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
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/sync/singleflight"
)

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

	group singleflight.Group

	mu      sync.Mutex
	tok     *oauth2.Token
	fetched time.Time
}

// NewCachingTokenSource returns a [CachingTokenSource] over src that treats
// a token as expired early before its Expiry (at most half the token's
// lifetime, so short-lived tokens are not refetched on every call). A token
// without an Expiry is kept until invalidated. Errors from src are passed
// through [ScrubTokenError] and are not cached.
func NewCachingTokenSource(src oauth2.TokenSource, early time.Duration) *CachingTokenSource {
	return &CachingTokenSource{s: &tokenCache{src: src, early: max(early, 0), now: time.Now}}
}

// Token returns the cached token while it is fresh, and otherwise fetches a
// new one (once, however many goroutines ask at the same time).
func (c CachingTokenSource) Token() (*oauth2.Token, error) {
	s := c.s
	if s == nil || s.src == nil {
		return nil, fmt.Errorf("wrappers: caching token source has no source: %w", ErrNoCredential)
	}
	if tok := s.fresh(); tok != nil {
		return tok, nil
	}
	v, err, _ := s.group.Do("token", func() (any, error) {
		// Another flight may have finished between fresh() and Do.
		if tok := s.fresh(); tok != nil {
			return tok, nil
		}
		tok, err := s.src.Token()
		if err != nil {
			return nil, ScrubTokenError(err)
		}
		if tok == nil || tok.AccessToken == "" {
			return nil, fmt.Errorf("wrappers: token source returned no access token: %w", ErrNoCredential)
		}
		s.mu.Lock()
		s.tok, s.fetched = tok, s.now()
		s.mu.Unlock()
		return tok, nil
	})
	if err != nil {
		return nil, err
	}
	// Hand out a copy so that callers cannot change the cached token.
	tok := *v.(*oauth2.Token)
	return &tok, nil
}

// fresh returns a copy of the cached token if it is still fresh.
func (s *tokenCache) fresh() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
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
// ctx is used for every fetch (cancelling it stops future fetches);
// httpClient (nil for a default) is copied, and the copy refuses redirects
// away from tokenURL's origin. tokenURL must be https (or http on a loopback
// host). Errors are scrubbed ([ScrubTokenError]); the key and assertions never
// appear in errors or in fmt or slog output of the source.
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

func (s *privateKeyJWTSource) Token() (*oauth2.Token, error) {
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
	tok, err := cfg.Token(context.WithValue(s.ctx, oauth2.HTTPClient, s.client))
	if err != nil {
		return nil, fmt.Errorf("wrappers: private key JWT token request: %w", ScrubTokenError(err))
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
		return "", fmt.Errorf("wrappers: signing the client assertion: %w", err)
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

func (s *clientSecretSource) Token() (*oauth2.Token, error) {
	cfg := clientcredentials.Config{
		ClientID:     s.clientID,
		ClientSecret: s.secret.Reveal(),
		TokenURL:     s.tokenURL,
		Scopes:       s.scopes,
		AuthStyle:    s.style,
	}
	tok, err := cfg.Token(context.WithValue(s.ctx, oauth2.HTTPClient, s.client))
	if err != nil {
		return nil, fmt.Errorf("wrappers: client credentials token request: %w", ScrubTokenError(err))
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

func parseTokenURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("wrappers: token URL does not parse: %w", ErrInvalidBaseURL)
	}
	if err := checkBaseURL(u); err != nil {
		return nil, fmt.Errorf("wrappers: token URL: %w", err)
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

package oktaclient

import (
	"context"
	"crypto"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/mfakit/mfakit/wrappers"
	"golang.org/x/oauth2"
)

// Option configures a [Client] made by [New]. Options are checked by New:
// a bad value is an error from New, never a panic later. An Option holds no
// secret in a printable form.
type Option func(*config) error

// RetryPolicy bounds the client's retries: how many attempts, the backoff
// between them and the longest rate-limit wait. The zero value means the
// defaults (4 attempts, 500 ms base backoff doubling up to 30 s, rate-limit
// waits up to 90 s). See [WithRetry] for what is retried.
type RetryPolicy = wrappers.RetryPolicy

// DefaultScopes are the OAuth 2.0 scopes [WithPrivateKeyJWT] asks for when
// it is given none: everything the 34 operations of this package need. Pass
// your own when your service app was granted fewer. WithPrivateKeyJWT copies
// the slice when the option is made, so changing DefaultScopes afterwards
// does not change an Option already made or a Client already built.
var DefaultScopes = []string{
	"okta.authenticators.read",
	"okta.authenticators.manage",
	"okta.users.read",
	"okta.users.manage",
}

// DefaultUserAgent is the User-Agent the client sends; [WithUserAgent]
// puts the caller's product in front of it.
const DefaultUserAgent = "mfakit-oktaclient/0.1"

// tokenEarlyRefresh is how long before its expiry a cached OAuth 2.0 access
// token is replaced (at most half its lifetime; see
// wrappers.NewCachingTokenSource).
const tokenEarlyRefresh = time.Minute

// credential kinds, for error messages and the client's String.
const (
	credAPIToken    = "API token (SSWS)"
	credTokenSource = "OAuth 2.0 token source (Bearer)"
	credPrivateKey  = "OAuth 2.0 private key JWT (Bearer)"
)

type config struct {
	creds []string // kinds, in the order given; New wants exactly one

	apiToken    wrappers.Secret
	tokenSource oauth2.TokenSource
	pkClientID  string
	pkKey       crypto.Signer
	pkKeyID     string
	pkScopes    []string

	httpClient   *http.Client
	logger       *slog.Logger
	retry        RetryPolicy
	userAgent    string
	maxBodyBytes int64

	// Test hooks (set only by this package's tests).
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// WithAPIToken authenticates with an Okta API token, sent as
// "Authorization: SSWS <token>". The token never appears in errors, logs or
// fmt output.
func WithAPIToken(token string) Option {
	return func(c *config) error {
		tok := strings.TrimSpace(token)
		if tok == "" || strings.ContainsAny(tok, "\r\n\x00 ") {
			return fmt.Errorf("oktaclient: WithAPIToken: the token is empty or contains whitespace: %w", ErrInvalidConfig)
		}
		c.creds = append(c.creds, credAPIToken)
		c.apiToken = wrappers.Secret(tok)
		return nil
	}
}

// WithTokenSource authenticates with OAuth 2.0 access tokens from ts, sent
// as "Authorization: Bearer <token>". The client caches the token, fetches a
// new one shortly before it expires (one fetch shared by concurrent
// callers), and drops it and fetches once more when Okta answers 401.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return fmt.Errorf("oktaclient: WithTokenSource: nil token source: %w", ErrInvalidConfig)
		}
		c.creds = append(c.creds, credTokenSource)
		c.tokenSource = ts
		return nil
	}
}

// WithPrivateKeyJWT authenticates as an Okta service app with the OAuth 2.0
// client credentials grant and a private_key_jwt client assertion, signed
// with key (RSA, ECDSA P-256/384/521 or Ed25519; any crypto.Signer, so an
// HSM or KMS key works) and carrying keyID as its "kid" when not empty. The
// token endpoint is {org}/oauth2/v1/token. Every token request signs a fresh
// assertion; tokens are cached and refreshed before they expire, one fetch
// shared by concurrent callers. With no scopes, [DefaultScopes] are asked
// for; a blank scope, or one with whitespace in it, is an error matching
// [ErrInvalidConfig] from New.
func WithPrivateKeyJWT(clientID string, key crypto.Signer, keyID string, scopes ...string) Option {
	// Copied now: neither the caller's slice nor DefaultScopes changing
	// later changes the option.
	if len(scopes) == 0 {
		scopes = DefaultScopes
	}
	scopes = append([]string(nil), scopes...)
	return func(c *config) error {
		if strings.TrimSpace(clientID) == "" {
			return fmt.Errorf("oktaclient: WithPrivateKeyJWT: empty client ID: %w", ErrInvalidConfig)
		}
		if key == nil {
			return fmt.Errorf("oktaclient: WithPrivateKeyJWT: nil key: %w", ErrInvalidConfig)
		}
		for _, s := range scopes {
			if strings.TrimSpace(s) == "" || strings.ContainsAny(s, " \t\r\n\x00") {
				return fmt.Errorf("oktaclient: WithPrivateKeyJWT: scope %q is blank or contains whitespace: %w", s, ErrInvalidConfig)
			}
		}
		c.creds = append(c.creds, credPrivateKey)
		c.pkClientID, c.pkKey, c.pkKeyID = clientID, key, keyID
		c.pkScopes = append([]string(nil), scopes...)
		return nil
	}
}

// WithHTTPClient sends requests (and token requests) through hc. The client
// is copied, never changed; the copy refuses redirects that leave the org's
// origin. nil means a default client with a 60 s timeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		c.httpClient = hc
		return nil
	}
}

// WithLogger sends one Debug record per HTTP attempt and per retry decision
// to l (method, path, status, attempt, wait; never a header, query or body).
// The default, and nil, log nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithRetry bounds retries (the zero RetryPolicy means the defaults;
// MaxAttempts 1 turns retries off). Retries are on by default: a 429 is
// retried for any method after the wait X-Rate-Limit-Reset names (measured
// against the response's Date header); 502, 503, 504 and dropped
// connections are retried with jittered exponential backoff for idempotent
// methods (GET, PUT, DELETE) only. The caller's context cancels any wait.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("oktaclient: WithRetry: %w: %w", err, ErrInvalidConfig)
		}
		c.retry = p
		return nil
	}
}

// WithUserAgent puts product (such as "myaudit/1.2") in front of the
// client's own User-Agent.
func WithUserAgent(product string) Option {
	return func(c *config) error {
		product = strings.TrimSpace(product)
		if strings.ContainsAny(product, "\r\n\x00") {
			return fmt.Errorf("oktaclient: WithUserAgent: control characters in the user agent: %w", ErrInvalidConfig)
		}
		c.userAgent = product
		return nil
	}
}

// WithMaxBodyBytes caps the size of a successful response body (default 32
// MiB); a larger body fails with an error matching wrappers.ErrBodyTooLarge
// instead of exhausting memory. Error bodies are always capped at 1 MiB.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("oktaclient: WithMaxBodyBytes: %d is not positive: %w", n, ErrInvalidConfig)
		}
		c.maxBodyBytes = n
		return nil
	}
}

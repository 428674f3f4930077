package oneloginclient

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/mfakit/mfakit/wrappers"
)

// Option configures a [Client] in [New]. Options that hold a credential never
// print it.
type Option func(*config) error

// RetryPolicy bounds the client's retries; see wrappers.RetryPolicy for what
// is retried. The zero value means the defaults: up to 4 attempts, backoff
// from 500 ms to 30 s, and a rate-limit reset up to 90 s away waited for.
type RetryPolicy = wrappers.RetryPolicy

// config is what the options set. The client secret is a wrappers.Secret, so
// not even a %#v of a config prints it.
type config struct {
	clientID     string
	clientSecret wrappers.Secret
	tokenSource  oauth2.TokenSource

	// creds names each credential option given, in order; New requires
	// exactly one.
	creds []string

	httpClient *http.Client
	logger     *slog.Logger
	retry      RetryPolicy
	userAgent  string
	maxBody    int64

	// Test hooks (unexported): the clock and the sleep used for rate-limit
	// waits, backoff and push polling.
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

// Credential option names, for config.creds and New's errors.
const (
	credClientCredentials = "WithClientCredentials"
	credTokenSource       = "WithTokenSource"
)

// String describes the configuration without its secret. fmt does not call
// the methods of unexported fields, so without this a %+v of a config would
// print the secret's underlying string.
func (c config) String() string {
	return fmt.Sprintf("oneloginclient.config{clientID: %q, clientSecret: %s, tokenSource: %t}",
		c.clientID, wrappers.Redacted, c.tokenSource != nil)
}

// GoString implements fmt.GoStringer like String.
func (c config) GoString() string { return c.String() }

// Format implements fmt.Formatter like String for every verb.
func (c config) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// WithClientCredentials authenticates with an API credential pair (OneLogin
// Administration → Developers → API Credentials). The client gets an access
// token from {base}/auth/oauth2/v2/token with the OAuth 2.0 client
// credentials grant (grant_type=client_credentials with client_id and
// client_secret in the form body, one of the two forms OneLogin documents),
// caches it for all concurrent callers, fetches a new one shortly before it
// expires, and fetches a new one once when the server answers 401 (a revoked
// token). No scope is ever sent: OneLogin fixes a
// credential pair's rights when the pair is made. The secret never appears
// in errors, logs or fmt output.
func WithClientCredentials(clientID, clientSecret string) Option {
	return func(c *config) error {
		if clientID == "" || clientSecret == "" {
			return fmt.Errorf("onelogin: WithClientCredentials: empty client ID or secret: %w", ErrInvalidConfig)
		}
		c.clientID, c.clientSecret = clientID, wrappers.Secret(clientSecret)
		c.creds = append(c.creds, credClientCredentials)
		return nil
	}
}

// WithTokenSource authenticates with access tokens from ts, sent as
// "Authorization: Bearer …". The client caches ts's tokens (one fetch for
// all concurrent callers) and asks ts again when a token expires or is
// refused with a 401. Use it for tokens obtained elsewhere; for an API
// credential pair use [WithClientCredentials].
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return fmt.Errorf("onelogin: WithTokenSource: nil token source: %w", ErrInvalidConfig)
		}
		c.tokenSource = ts
		c.creds = append(c.creds, credTokenSource)
		return nil
	}
}

// WithHTTPClient sends requests (token requests included) with a copy of hc.
// The copy refuses redirects away from the base URL's origin, so the
// Authorization header never reaches another host. Without it, or with nil,
// the client uses its own http.Client with a 60 s timeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		c.httpClient = hc
		return nil
	}
}

// WithLogger sends debug records about each HTTP attempt, retry decision and
// push poll to l (method, path, status, waits; never a header, body or
// token). Without it the client logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithRetry sets the retry bounds. 429 answers are retried for every
// operation after OneLogin's X-RateLimit-Reset (seconds remaining), when
// that is within p.MaxRateLimitWait; 502, 503, 504 and dropped connections
// only for the idempotent operations (the two lists and Remove), since a
// repeated Enroll, Activate, Verify or Generate MFA Token could act twice.
// MaxAttempts 1 disables retries.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("onelogin: WithRetry: %w: %w", err, ErrInvalidConfig)
		}
		c.retry = p
		return nil
	}
}

// WithUserAgent sets the User-Agent header of every request (the default is
// DefaultUserAgent).
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		c.userAgent = ua
		return nil
	}
}

// WithMaxBodyBytes caps the size of a successful response body (the default
// is wrappers.DefaultMaxBodyBytes, 32 MiB); a larger one fails with an error
// matching wrappers.ErrBodyTooLarge instead of filling memory.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("onelogin: WithMaxBodyBytes: %d is not positive: %w", n, ErrInvalidConfig)
		}
		c.maxBody = n
		return nil
	}
}

// withClock and withSleep are test hooks: the clock for rate-limit
// computations and PollPush's expiry, and the sleep for every wait.
func withClock(now func() time.Time) Option {
	return func(c *config) error { c.now = now; return nil }
}

func withSleep(sleep func(context.Context, time.Duration) error) Option {
	return func(c *config) error { c.sleep = sleep; return nil }
}

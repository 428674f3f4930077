package oneloginclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	gen "github.com/mfakit/mfakit/gen/onelogin"
	"github.com/mfakit/mfakit/wrappers"
)

// DefaultUserAgent is the User-Agent the client sends unless
// [WithUserAgent] sets another.
const DefaultUserAgent = "mfakit-oneloginclient/1"

// TokenPath is the path of OneLogin's OAuth 2.0 token endpoint, relative to
// the base URL.
const TokenPath = "/auth/oauth2/v2/token"

// tokenEarly is how long before its expiry a cached access token is
// replaced (capped by wrappers at half the token's lifetime).
const tokenEarly = 2 * time.Minute

// Client calls OneLogin's MFA v1 API. Create it with [New] or
// [NewForSubdomain]. It is safe for concurrent use; all goroutines share one
// cached access token.
type Client struct {
	base *url.URL

	// api sends every operation through doer, which refetches the access
	// token and resends once on a 401 about the token (retryUnauthorized).
	api  *gen.Client
	doer *wrappers.Doer

	log   *slog.Logger
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

// New returns a client for the OneLogin account at baseURL, e.g.
// "https://example.onelogin.com" (or a legacy "https://api.us.onelogin.com").
// baseURL must be https; plain http is accepted only for loopback hosts
// (tests and fakes such as oneloginclient/onelogintest), and its port is
// kept. It must not have a path (other than "/"), a query, a fragment or
// user info: the API paths are fixed below the host. Exactly one of
// [WithClientCredentials] and [WithTokenSource] is required.
//
// Every error from New matches [ErrInvalidConfig]; a bad URL's also matches
// wrappers.ErrInvalidBaseURL.
func New(baseURL string, opts ...Option) (*Client, error) {
	base, err := wrappers.ParseBaseURL(baseURL)
	if err != nil {
		return nil, fmt.Errorf("onelogin: base URL: %w (%w)", err, ErrInvalidConfig)
	}
	if base.Path != "" && base.Path != "/" || base.RawPath != "" {
		return nil, fmt.Errorf("onelogin: base URL must not have a path (got %q); use https://your-subdomain.onelogin.com: %w (%w)",
			wrappers.Excerpt([]byte(base.EscapedPath()), 80), wrappers.ErrInvalidBaseURL, ErrInvalidConfig)
	}
	base.Path, base.RawPath = "", ""
	base.Scheme = strings.ToLower(base.Scheme)

	var cfg config
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	switch len(cfg.creds) {
	case 0:
		return nil, fmt.Errorf("onelogin: no credentials: use WithClientCredentials or WithTokenSource: %w", ErrInvalidConfig)
	case 1:
	default:
		return nil, fmt.Errorf("onelogin: more than one credential option (%s): use exactly one: %w",
			strings.Join(cfg.creds, ", "), ErrInvalidConfig)
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	if cfg.userAgent == "" {
		cfg.userAgent = DefaultUserAgent
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	if cfg.sleep == nil {
		cfg.sleep = wrappers.Sleep
	}
	hc := cfg.httpClient
	if hc == nil {
		// One client (and so one connection pool) for the token endpoint
		// and the Doer.
		hc = wrappers.DefaultHTTPClient()
	}

	ts := cfg.tokenSource
	if cfg.creds[0] == credClientCredentials {
		tokenURL := base.JoinPath(TokenPath)
		// OneLogin documents two forms of the v2 token request: client_id
		// and client_secret in a form body, or HTTP Basic with a JSON body
		// {"grant_type":"client_credentials"}. x/oauth2's clientcredentials
		// cannot send a JSON body, so this uses the first form
		// (AuthStyleInParams): grant_type=client_credentials, client_id and
		// client_secret, form-encoded, and no scope.
		ts, err = wrappers.ClientSecretTokenSource(context.Background(), tokenURL.String(),
			cfg.clientID, cfg.clientSecret, nil, oauth2.AuthStyleInParams, hc)
		if err != nil {
			return nil, fmt.Errorf("onelogin: WithClientCredentials: %w (%w)", err, ErrInvalidConfig)
		}
	}
	cache, ok := ts.(*wrappers.CachingTokenSource)
	if !ok {
		cache = wrappers.NewCachingTokenSource(ts, tokenEarly, wrappers.WithCacheClock(cfg.now))
	}

	c := &Client{base: base, log: cfg.logger, now: cfg.now, sleep: cfg.sleep}
	c.doer, err = wrappers.NewDoer(wrappers.DoerConfig{
		BaseURL:           base,
		HTTPClient:        hc,
		Auth:              wrappers.TokenSourceAuth(cache),
		Retry:             cfg.retry,
		Logger:            cfg.logger,
		UserAgent:         cfg.userAgent,
		MaxBodyBytes:      cfg.maxBody,
		RateLimitWait:     wrappers.DeltaResetWait("X-RateLimit-Reset"),
		DecodeError:       c.decodeError,
		RetryUnauthorized: retryUnauthorized,
		Now:               cfg.now,
		Sleep:             cfg.sleep,
	})
	if err != nil {
		return nil, fmt.Errorf("onelogin: %w (%w)", err, ErrInvalidConfig)
	}
	if c.api, err = gen.NewClient(base.String(), gen.WithHTTPClient(c.doer)); err != nil {
		return nil, fmt.Errorf("onelogin: %w (%w)", err, ErrInvalidConfig)
	}
	return c, nil
}

// NewForSubdomain returns a client for https://<subdomain>.onelogin.com, e.g.
// NewForSubdomain("example", …). subdomain is one or more DNS labels
// ("api.us" gives the legacy https://api.us.onelogin.com). Its errors are
// [New]'s; a subdomain that is not a DNS name gives one matching both
// [ErrInvalidConfig] and wrappers.ErrInvalidBaseURL.
func NewForSubdomain(subdomain string, opts ...Option) (*Client, error) {
	if !validSubdomain(subdomain) {
		return nil, fmt.Errorf("onelogin: subdomain %q is not a DNS name: %w (%w)",
			wrappers.Excerpt([]byte(subdomain), 80), wrappers.ErrInvalidBaseURL, ErrInvalidConfig)
	}
	return New("https://"+strings.ToLower(subdomain)+".onelogin.com", opts...)
}

func validSubdomain(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// BaseURL returns a copy of the client's base URL.
func (c *Client) BaseURL() *url.URL {
	u := *c.base
	return &u
}

// CloseIdleConnections closes idle keep-alive connections.
func (c *Client) CloseIdleConnections() { c.doer.CloseIdleConnections() }

// String describes the client by its base URL; it never prints a credential.
func (c Client) String() string {
	if c.base == nil {
		return "oneloginclient.Client{}"
	}
	return "oneloginclient.Client{" + c.base.String() + "}"
}

// GoString implements fmt.GoStringer like String.
func (c Client) GoString() string { return c.String() }

// Format implements fmt.Formatter like String for every verb, so that no
// verb (%v, %+v, %#v) walks into the token cache.
func (c Client) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// LogValue implements slog.LogValuer like String.
func (c Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// decodeError is the Doer's DecodeError hook: every non-2xx answer becomes
// an *Error before the generated client sees it. A 401 to Verify a Factor is
// classified by its message (wrong code, pending push, bad state token, or
// the access token itself).
func (c *Client) decodeError(resp *http.Response, body []byte) error {
	e := newResponseError(resp.StatusCode, resp.Header, body, c.now())
	if resp.StatusCode == http.StatusUnauthorized && resp.Request != nil && resp.Request.Context().Value(verifyCall{}) != nil {
		e.kind = classifyVerify401(e)
	}
	return e
}

// verifyCall marks the context of a Verify a Factor request, for
// decodeError.
type verifyCall struct{}

// retryUnauthorized is the Doer's RetryUnauthorized hook. A 401 about the
// access token (expired early or revoked) is answered once with a fresh
// token. Verify a Factor also answers 401 for a wrong code, a pending push or
// a bad state token: those are not retried, since resending would submit a
// code twice and refetch a token on every push poll.
func retryUnauthorized(_ *http.Response, decoded error) bool {
	var e *Error
	if errors.As(decoded, &e) {
		switch e.kind {
		case kindInvalidCode, kindPending, kindStateToken:
			return false
		}
	}
	return true
}

// errNoResponse is the cause of the *Error for a call that returned neither
// a response nor an error.
var errNoResponse = errors.New("no response")

// call runs one generated-client call and returns the complete 2xx body.
func call(ctx context.Context, send func(context.Context) (*http.Response, error)) (*http.Response, []byte, error) {
	resp, err := send(ctx)
	if err != nil {
		return nil, nil, err
	}
	if resp == nil {
		// Not expected from the generated client; a typed error rather
		// than a nil result with a nil error.
		return nil, nil, &Error{kind: kindMalformed, cause: errNoResponse, RateLimit: RateLimit{Limit: -1, Remaining: -1}}
	}
	defer resp.Body.Close()
	// The Doer has already read the body into memory (capped): take its
	// bytes without a copy when it hands them out.
	if body, ok := wrappers.ResponseBytes(resp); ok {
		return resp, body, nil
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}

package oktaclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mfakit/mfakit/wrappers"
)

// Client calls the Okta MFA administration API of one org. Make it with
// [New]; it is safe for concurrent use by many goroutines, and holds its
// credential so that it never appears in errors, logs or fmt output.
type Client struct {
	base      *url.URL // scheme://host[:port]/, checked by New
	server    string   // base as a string, for the generated request builders
	doer      *wrappers.Doer
	userAgent string
	now       func() time.Time
	credKind  string
}

// New returns a client for the Okta org at orgURL, such as
// "https://example.okta.com". orgURL must be https; plain http is accepted
// only for loopback hosts (127.0.0.0/8, ::1, localhost), so tests and fakes
// on 127.0.0.1:PORT work. The port is kept; a path other than "/", a query,
// a fragment or user info is refused. Exactly one credential option is
// required: [WithAPIToken], [WithTokenSource] or [WithPrivateKeyJWT]. Every
// error matches [ErrInvalidConfig].
func New(orgURL string, opts ...Option) (*Client, error) {
	base, err := wrappers.ParseBaseURL(orgURL)
	if err != nil {
		return nil, fmt.Errorf("oktaclient: org URL: %w (%w)", err, ErrInvalidConfig)
	}
	if base.Path != "" && base.Path != "/" || base.RawPath != "" {
		return nil, fmt.Errorf("oktaclient: org URL must not have a path (got %q); use https://your-org.okta.com: %w (%w)",
			base.EscapedPath(), wrappers.ErrInvalidBaseURL, ErrInvalidConfig)
	}
	base.Path, base.RawPath = "/", ""
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
		return nil, fmt.Errorf("oktaclient: no credentials: use WithAPIToken, WithTokenSource or WithPrivateKeyJWT: %w", ErrInvalidConfig)
	case 1:
	default:
		return nil, fmt.Errorf("oktaclient: more than one credential option (%s): use exactly one: %w", strings.Join(cfg.creds, ", "), ErrInvalidConfig)
	}

	var auth wrappers.Authorizer
	switch cfg.creds[0] {
	case credAPIToken:
		auth = wrappers.HeaderAuth("SSWS", cfg.apiToken)
	case credTokenSource:
		ts := cfg.tokenSource
		if _, ok := ts.(*wrappers.CachingTokenSource); !ok {
			ts = wrappers.NewCachingTokenSource(ts, tokenEarlyRefresh, wrappers.WithCacheClock(cfg.now))
		}
		auth = wrappers.TokenSourceAuth(ts)
	case credPrivateKey:
		tokenURL := base.JoinPath("oauth2", "v1", "token").String()
		src, err := wrappers.PrivateKeyJWTTokenSource(context.Background(), tokenURL, cfg.pkClientID, cfg.pkKey, cfg.pkKeyID, cfg.pkScopes, cfg.httpClient)
		if err != nil {
			return nil, fmt.Errorf("oktaclient: WithPrivateKeyJWT: %w (%w)", err, ErrInvalidConfig)
		}
		auth = wrappers.TokenSourceAuth(wrappers.NewCachingTokenSource(src, tokenEarlyRefresh, wrappers.WithCacheClock(cfg.now)))
	}

	c := &Client{
		base:     base,
		server:   base.String(),
		now:      cfg.now,
		credKind: cfg.creds[0],
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.userAgent = DefaultUserAgent
	if cfg.userAgent != "" {
		c.userAgent = cfg.userAgent + " " + DefaultUserAgent
	}
	c.doer, err = wrappers.NewDoer(wrappers.DoerConfig{
		BaseURL:       base,
		HTTPClient:    cfg.httpClient,
		Auth:          auth,
		Retry:         cfg.retry,
		Logger:        cfg.logger,
		UserAgent:     c.userAgent, // kept when a call sets its own (VerifyFactor)
		MaxBodyBytes:  cfg.maxBodyBytes,
		RateLimitWait: resetWait,
		DecodeError: func(resp *http.Response, body []byte) error {
			return newError(resp, body, c.now())
		},
		RetryRateLimited: retryRateLimited,
		Now:              cfg.now,
		Sleep:            cfg.sleep,
	})
	if err != nil {
		return nil, fmt.Errorf("oktaclient: %w (%w)", err, ErrInvalidConfig)
	}
	return c, nil
}

// OrgURL returns a copy of the org's base URL, such as
// "https://example.okta.com/".
func (c *Client) OrgURL() *url.URL {
	u := *c.base
	return &u
}

// String describes the client by its org and credential kind, never the
// credential itself.
func (c *Client) String() string {
	return "oktaclient.Client{" + wrappers.Origin(c.base) + ", " + c.credKind + "}"
}

// GoString implements fmt.GoStringer like String.
func (c *Client) GoString() string { return c.String() }

// Format implements fmt.Formatter like String, for every verb (%v, %+v,
// %#v, %s, %q, …), so that fmt never walks into the credential.
func (c *Client) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// LogValue implements slog.LogValuer like String.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// CloseIdleConnections closes idle keep-alive connections.
func (c *Client) CloseIdleConnections() { c.doer.CloseIdleConnections() }

// NewRequest builds a request for an endpoint this package does not cover,
// for [Client.Do]. path is relative to the org URL and may carry a query
// ("/api/v1/users/00u1/factors?limit=20"); an absolute URL is refused. A
// non-nil body is sent as JSON ([]byte and json.RawMessage as they are).
func (c *Client) NewRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	if err := checkCtx("NewRequest", ctx); err != nil {
		return nil, err
	}
	ref, err := url.Parse(path)
	if err != nil || ref.IsAbs() || ref.Host != "" || ref.User != nil || !strings.HasPrefix(ref.Path, "/") {
		return nil, fmt.Errorf("oktaclient: NewRequest: path %q must be an absolute path on the org, like /api/v1/...: %w", path, ErrInvalidArgument)
	}
	for _, seg := range strings.Split(ref.Path, "/") {
		if seg == "." || seg == ".." {
			return nil, fmt.Errorf("oktaclient: NewRequest: path %q has a dot segment: %w", path, ErrInvalidArgument)
		}
	}
	var r io.Reader
	if body != nil {
		var data []byte
		switch b := body.(type) {
		case []byte:
			data = b
		case json.RawMessage:
			data = b
		default:
			if data, err = json.Marshal(body); err != nil {
				return nil, fmt.Errorf("oktaclient: NewRequest: encoding the body: %w", err)
			}
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.ResolveReference(ref).String(), r)
	if err != nil {
		return nil, fmt.Errorf("oktaclient: NewRequest: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// Do sends req, made with [Client.NewRequest] or by hand for the org's
// origin, with the client's authentication, retries, rate-limit handling
// and typed errors: any non-2xx answer is an [*Error]. When v is not nil and
// the response has a body, the body is decoded into v as JSON (a
// *json.RawMessage or *[]byte gets the bytes as they are). The returned
// response's Body has been read and closed; it is returned for its status
// and headers (paging Link headers, rate-limit state).
func (c *Client) Do(ctx context.Context, req *http.Request, v any) (*http.Response, error) {
	if err := checkCtx("Do", ctx); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, fmt.Errorf("oktaclient: Do: nil request: %w", ErrInvalidArgument)
	}
	resp, body, err := c.send(ctx, req)
	if err != nil {
		return nil, sendFailure("Do", err)
	}
	if v == nil || len(bytes.TrimSpace(body)) == 0 {
		return resp, nil
	}
	switch out := v.(type) {
	case *json.RawMessage:
		*out = body
	case *[]byte:
		*out = body
	default:
		if err := json.Unmarshal(body, v); err != nil {
			return resp, &DecodeError{Op: "Do", Status: resp.StatusCode, RequestID: resp.Header.Get(headerRequestID), Err: err}
		}
	}
	return resp, nil
}

// send sends req through the Doer with ctx and returns the response with its
// complete body. Non-2xx answers have become *Error inside the Doer.
func (c *Client) send(ctx context.Context, req *http.Request) (*http.Response, []byte, error) {
	if err := checkCtx("send", ctx); err != nil { // callers check first; this keeps send safe
		return nil, nil, err
	}
	req = req.WithContext(ctx)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	resp, err := c.doer.Do(req)
	if err != nil {
		return nil, nil, err
	}
	body, err := readBody(resp)
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}

// readBody returns the response body, which the Doer has already read into
// memory, with one allocation sized from Content-Length.
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	if b, ok := wrappers.ResponseBytes(resp); ok {
		return b, nil
	}
	if n := resp.ContentLength; n >= 0 {
		buf := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return nil, fmt.Errorf("oktaclient: reading the response body: %w", err)
		}
		return buf, nil
	}
	return io.ReadAll(resp.Body)
}

// decodeFailure wraps a body decoding error.
func decodeFailure(op string, resp *http.Response, err error) error {
	return &DecodeError{Op: op, Status: resp.StatusCode, RequestID: resp.Header.Get(headerRequestID), Err: err}
}

// checkID refuses a path parameter that would change the request path once
// escaped: empty (it would hit the collection instead), "." or "..". Every
// other value is escaped by the generated request builders, so "a/b",
// "%2F", "?x=1" or "#frag" stay inside one path segment.
func checkID(op, name, v string) error {
	switch v {
	case "":
		return fmt.Errorf("oktaclient: %s: empty %s: %w", op, name, ErrInvalidArgument)
	case ".", "..":
		return fmt.Errorf("oktaclient: %s: %s %q is not a valid id: %w", op, name, v, ErrInvalidArgument)
	}
	return nil
}

// checkIDs runs checkID on name/value pairs.
func checkIDs(op string, nameValues ...string) error {
	for i := 0; i+1 < len(nameValues); i += 2 {
		if err := checkID(op, nameValues[i], nameValues[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// Ptr returns a pointer to v, for the optional fields of request bodies:
// a.Name = oktaclient.Ptr("Okta Verify").
func Ptr[T any](v T) *T { return &v }

// newGET builds a GET request for the path parts under the org URL: the
// parts at even indexes are literal path text, those at odd indexes are
// path parameters, escaped with url.PathEscape. It gives exactly the URL of
// the generated request builder of the same operation (checked by
// TestNewGETMatchesGenerated), which re-parses the org URL, formats the path
// with fmt.Sprintf and resolves it against the org URL on every call; this
// is used on the hot GETs (Get and List of authenticators, methods and
// factors) and is only the string concatenation and one parse. The org
// URL's path is always "/" (see New) and the ids are checked by checkID, so
// no dot segment needs resolving.
func (c *Client) newGET(parts ...string) (*http.Request, error) {
	n := len(c.server)
	for _, p := range parts {
		n += len(p) * 3 // room for escapes
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(c.server)
	for i, p := range parts {
		if i%2 == 1 {
			p = url.PathEscape(p)
		}
		b.WriteString(p)
	}
	return http.NewRequest(http.MethodGet, b.String(), nil)
}

// retryRateLimited reports whether a 429 is worth waiting out: not Okta's
// per-device OTP limit (E0000109), which answers while the rate-limit window
// still has requests left and would only be met again, or send a second
// message, after the wait.
func retryRateLimited(_ *http.Response, decoded error) bool {
	var e *Error
	return !errors.As(decoded, &e) || e.ErrorCode != CodeOTPRecentlySent
}

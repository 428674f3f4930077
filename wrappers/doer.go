package wrappers

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults used by [NewDoer] and [RetryPolicy] for zero fields.
const (
	DefaultMaxBodyBytes     = 32 << 20
	DefaultMaxAttempts      = 4
	DefaultBaseDelay        = 500 * time.Millisecond
	DefaultMaxDelay         = 30 * time.Second
	DefaultMaxRateLimitWait = 90 * time.Second
	DefaultMaxElapsed       = 2 * time.Minute
	DefaultTimeout          = 60 * time.Second

	// maxErrorBodyBytes caps how much of a non-2xx body is read and handed to
	// DecodeError; the rest is dropped (an error body is never refused).
	maxErrorBodyBytes = 1 << 20
	maxRedirects      = 10
)

// RetryPolicy bounds [Doer]'s retries. The zero value means the defaults.
//
// What is retried: a 429 for any method (the server did not process it),
// after the provider's reset hint, Retry-After, or backoff; 502, 503 and 504
// and transport failures (connection reset, EOF before or during the
// response, timeouts) only for idempotent methods (GET, HEAD, OPTIONS, TRACE,
// PUT, DELETE, or any request with an Idempotency-Key header), with jittered
// exponential backoff; a failure to connect for any method (nothing was
// sent). A 500 and other statuses are not retried. A 401 is retried once,
// outside this budget, when the Authorizer is an [Invalidator] (and
// [DoerConfig.RetryUnauthorized], if set, agrees).
//
// Worst case: one call to [Doer.Do] takes at most about MaxElapsed (default
// 2 minutes), whatever the server does. Without that bound, a server that
// hangs on every attempt would make one call last MaxAttempts times the HTTP
// client's timeout (4 × 60 s with the defaults) plus the waits between them.
// The caller's context deadline, when shorter, bounds it further.
type RetryPolicy struct {
	// MaxAttempts is the most times one request is sent, first try included
	// (0 means DefaultMaxAttempts; 1 disables retries).
	MaxAttempts int
	// BaseDelay is the first backoff delay; each retry doubles it (0 means
	// DefaultBaseDelay). The actual delay is jittered between half and all of
	// it.
	BaseDelay time.Duration
	// MaxDelay caps one backoff delay (0 means DefaultMaxDelay).
	MaxDelay time.Duration
	// MaxRateLimitWait is the longest the Doer waits for a rate-limit reset
	// or Retry-After; a longer hint makes it give up at once and return the
	// 429's error (0 means DefaultMaxRateLimitWait).
	MaxRateLimitWait time.Duration
	// MaxElapsed bounds the total time of one call, every attempt and every
	// wait included (0 means DefaultMaxElapsed). An attempt still running
	// when it runs out is cancelled (its error matches
	// context.DeadlineExceeded); a retry whose wait would end after it is not
	// made, and the last failure is returned instead. Time is measured with
	// [DoerConfig.Now].
	MaxElapsed time.Duration
}

// Validate reports a negative bound (zero fields mean the defaults), so that
// a face's WithRetry option can refuse it when the client is made.
func (p RetryPolicy) Validate() error {
	if p.MaxAttempts < 0 || p.BaseDelay < 0 || p.MaxDelay < 0 || p.MaxRateLimitWait < 0 || p.MaxElapsed < 0 {
		return errors.New("RetryPolicy has a negative bound")
	}
	return nil
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	if p.MaxRateLimitWait <= 0 {
		p.MaxRateLimitWait = DefaultMaxRateLimitWait
	}
	if p.MaxElapsed <= 0 {
		p.MaxElapsed = DefaultMaxElapsed
	}
	return p
}

// backoff returns the jittered delay before retry number n (1-based).
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	half := d / 2
	return half + rand.N(d-half+1)
}

// DoerConfig configures a [Doer]. BaseURL is required; everything else has a
// default.
type DoerConfig struct {
	// BaseURL is the API's base URL. Its origin (scheme, host, port) is the
	// only one the Doer sends requests to or follows redirects to. It must be
	// https, or http on a loopback host ([ParseBaseURL]).
	BaseURL *url.URL
	// HTTPClient is copied, never changed (nil means [DefaultHTTPClient]).
	// The copy gets a
	// CheckRedirect that refuses redirects off the origin and then defers to
	// the original's CheckRedirect, if any.
	HTTPClient *http.Client
	// Auth authorizes each attempt (nil sends no credential).
	Auth Authorizer
	// Retry bounds retries.
	Retry RetryPolicy
	// Logger receives one Debug record per attempt and per retry decision
	// (method, path without query, status, attempt, wait; never a header
	// value). nil discards.
	Logger *slog.Logger
	// UserAgent, if not empty, is set as the User-Agent of every request that
	// does not carry one already (an API may define a per-call User-Agent
	// parameter, as Okta's verifyFactor does).
	UserAgent string
	// MaxBodyBytes caps a 2xx response body (0 means DefaultMaxBodyBytes);
	// a larger one fails with a *BodyTooLargeError.
	MaxBodyBytes int64
	// RateLimitWait reads how long to wait after a 429 from the provider's
	// headers, e.g. EpochResetWait("X-Rate-Limit-Reset"). When it is nil or
	// finds nothing, Retry-After is used, then backoff. A computed wait of 0
	// (a reset already past) also falls back to backoff.
	RateLimitWait RateLimitWaitFunc
	// DecodeError turns a non-2xx response into the provider's typed error.
	// body holds the start of the response body (capped at 1 MiB; also
	// readable from resp.Body), with the Authorization value sent on that
	// attempt redacted from it and from the header values (a server may echo
	// it). nil, or a nil result, gives an *HTTPError.
	DecodeError func(resp *http.Response, body []byte) error
	// RetryUnauthorized decides whether a 401 is answered by invalidating
	// the credential and sending the request once more (only when Auth is an
	// [Invalidator]). resp is the 401 response (its Body holds what was read
	// of the body, and resp.Request is the attempt, whose context carries the
	// caller's values); decoded is DecodeError's error for it. nil means every 401
	// is retried once. A provider whose endpoint also answers 401 for reasons
	// other than the credential (OneLogin's Verify Factor, for a wrong code
	// or a pending push) returns false for those, so that nothing is
	// resubmitted and no token is refetched needlessly.
	RetryUnauthorized func(resp *http.Response, decoded error) bool
	// RetryRateLimited decides whether a 429 is waited out and retried.
	// resp and decoded are as for RetryUnauthorized. nil means every 429 is.
	// A provider whose 429 can mean something waiting does not cure within
	// the rate-limit window (Okta's E0000109: one OTP per device every 30
	// seconds, answered while the window still has requests left) returns
	// false for it, so the caller hears at once instead of after a resend.
	RetryRateLimited func(resp *http.Response, decoded error) bool
	// Now is the clock used for rate-limit computations and to measure
	// [RetryPolicy.MaxElapsed] (nil means time.Now).
	Now func() time.Time
	// Sleep waits d or until ctx is done, returning ctx.Err() in the latter
	// case (nil means a timer). Tests inject a fake to avoid real waits.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Doer sends the requests of a generated API client. Its Do method satisfies
// oapi-codegen's HttpRequestDoer, so a face passes it to the generated client
// (e.g. WithHTTPClient(doer)). For each request it:
//
//   - refuses (with a *ForeignOriginError, sending nothing) a request to any
//     origin but BaseURL's, and any redirect off that origin;
//   - sends each attempt as a clone with a rebuilt body, User-Agent and a
//     fresh Authorization from Auth;
//   - reads the whole 2xx body up to MaxBodyBytes (so a reset mid-body can be
//     retried) and returns it in resp.Body;
//   - turns any non-2xx response into DecodeError's error and returns (nil,
//     err), so the generated client never parses an error body;
//   - retries as described at [RetryPolicy], waiting on Sleep, and stops at
//     once when the request's context is done.
//
// A Doer is safe for concurrent use.
type Doer struct {
	base        *url.URL
	client      *http.Client
	auth        Authorizer
	retry       RetryPolicy
	log         *slog.Logger
	userAgent   string
	maxBody     int64
	rateLimit   RateLimitWaitFunc
	decodeError func(*http.Response, []byte) error
	retry401    func(*http.Response, error) bool
	retry429    func(*http.Response, error) bool
	now         func() time.Time
	sleep       func(context.Context, time.Duration) error
}

// NewDoer checks cfg and returns a [Doer]. The error wraps
// [ErrInvalidBaseURL] for a bad BaseURL.
func NewDoer(cfg DoerConfig) (*Doer, error) {
	if err := checkBaseURL(cfg.BaseURL); err != nil {
		return nil, err
	}
	if cfg.MaxBodyBytes < 0 {
		return nil, fmt.Errorf("wrappers: MaxBodyBytes is negative (%d)", cfg.MaxBodyBytes)
	}
	base := *cfg.BaseURL
	d := &Doer{
		base:        &base,
		client:      originLockedClient(cfg.HTTPClient, &base),
		auth:        cfg.Auth,
		retry:       cfg.Retry.withDefaults(),
		log:         cfg.Logger,
		userAgent:   cfg.UserAgent,
		maxBody:     cfg.MaxBodyBytes,
		rateLimit:   cfg.RateLimitWait,
		decodeError: cfg.DecodeError,
		retry401:    cfg.RetryUnauthorized,
		retry429:    cfg.RetryRateLimited,
		now:         cfg.Now,
		sleep:       cfg.Sleep,
	}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if d.maxBody == 0 {
		d.maxBody = DefaultMaxBodyBytes
	}
	if d.now == nil {
		d.now = time.Now
	}
	if d.sleep == nil {
		d.sleep = Sleep
	}
	return d, nil
}

// BaseURL returns a copy of the Doer's base URL.
func (d *Doer) BaseURL() *url.URL {
	u := *d.base
	return &u
}

// CloseIdleConnections closes the idle connections of the Doer's HTTP client.
func (d *Doer) CloseIdleConnections() { d.client.CloseIdleConnections() }

// String describes the Doer by its origin; it holds no secret itself, and
// this keeps fmt from walking into its Authorizer.
func (d *Doer) String() string { return "wrappers.Doer{" + Origin(d.base) + "}" }

// GoString implements fmt.GoStringer like String.
func (d *Doer) GoString() string { return d.String() }

// Format implements fmt.Formatter like String, for every verb.
func (d *Doer) Format(f fmt.State, _ rune) { io.WriteString(f, d.String()) }

// LogValue implements slog.LogValuer like String.
func (d *Doer) LogValue() slog.Value { return slog.StringValue(d.String()) }

// Do sends req as described at [Doer]. It does not modify req. On success the
// response's Body holds the complete body; on failure the response is nil and
// the error is the provider's typed error (non-2xx), a transport error, a
// *ForeignOriginError, a *BodyTooLargeError, an [*AuthorizeError] wrapping
// the Authorizer's error (nothing was sent), or, when
// the context ends during a retry wait, an error matching both the context
// error and the last failure (errors.Is / errors.As).
func (d *Doer) Do(req *http.Request) (*http.Response, error) {
	if req == nil || req.URL == nil {
		return nil, errors.New("wrappers: nil request or URL")
	}
	if err := checkOrigin("request", d.base, req.URL); err != nil {
		return nil, err
	}
	ctx := req.Context()
	getBody, err := bodyFactory(req)
	if err != nil {
		return nil, err
	}
	idempotent := isIdempotent(req)
	var inv Invalidator
	if i, ok := d.auth.(Invalidator); ok {
		inv = i
	}
	refreshed := false
	began := d.now()
	for attempt := 1; ; attempt++ {
		actx, cancel := d.attemptContext(ctx, began)
		r, err := d.prepare(actx, req, getBody)
		if err != nil {
			cancel()
			return nil, err
		}
		start := time.Now()
		resp, body, err := d.send(r)
		cancel() // the body, if any, has been read
		rl := reqLog{r: r, attempt: attempt}
		if err != nil {
			// After cancel, actx.Err() is DeadlineExceeded only if the
			// budget's deadline fired first.
			budgetOut := ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded)
			if budgetOut {
				err = &BudgetError{Method: req.Method, Path: req.URL.Path, MaxElapsed: d.retry.MaxElapsed, Err: err}
			}
			if d.debugOn(ctx) {
				d.debug(ctx, "wrappers: http attempt failed",
					slog.Any("request", rl), slog.Duration("elapsed", time.Since(start)), slog.String("error", err.Error()))
			}
			if ctx.Err() != nil || budgetOut || !retryableTransport(err, idempotent) || attempt >= d.retry.MaxAttempts {
				return nil, err
			}
			if err := d.wait(ctx, rl, began, d.retry.backoff(attempt), "transport error", err); err != nil {
				return nil, err
			}
			continue
		}
		if d.debugOn(ctx) {
			d.debug(ctx, "wrappers: http attempt",
				slog.Any("request", rl), slog.Int("status", resp.StatusCode), slog.Duration("elapsed", time.Since(start)))
		}
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			return resp, nil
		}
		// A careless or hostile server may echo the request's credential in
		// an error body (a debug page, a proxy's dump of the request); the
		// faces copy the body into their errors, so it is redacted here,
		// before DecodeError sees it.
		body = redactCredential(resp, body, r.Header.Get("Authorization"))
		apiErr := d.decode(resp, body)

		var wait time.Duration
		var reason string
		switch code := resp.StatusCode; {
		case code == http.StatusUnauthorized && inv != nil && !refreshed && (d.retry401 == nil || d.retry401(resp, apiErr)):
			// The token may have expired early or been revoked: drop it and
			// try once more with a fresh one. The server did not process the
			// request, so this is safe for any method; it is not counted.
			refreshed = true
			inv.Invalidate(r)
			attempt--
			d.debug(ctx, "wrappers: retrying with a fresh credential", slog.Any("request", rl))
			continue
		case code == http.StatusTooManyRequests && d.retry429 != nil && !d.retry429(resp, apiErr):
			d.debug(ctx, "wrappers: rate limited, not retryable by the provider's rule", slog.Any("request", rl))
			return nil, apiErr
		case code == http.StatusTooManyRequests:
			w, ok := d.rateLimitWait(resp.Header)
			switch {
			case !ok:
				wait, reason = d.retry.backoff(attempt), "rate limited, no reset hint"
			case w > d.retry.MaxRateLimitWait:
				d.debug(ctx, "wrappers: rate limited, reset too far away; giving up",
					slog.Any("request", rl), slog.Duration("wait", w), slog.Duration("max_wait", d.retry.MaxRateLimitWait))
				return nil, apiErr
			default:
				wait, reason = w, "rate limited"
			}
		case idempotent && (code == http.StatusBadGateway || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout):
			wait, reason = d.retry.backoff(attempt), "transient status"
			if w, ok := RetryAfterWait(resp.Header, d.now()); ok && w > 0 && w <= d.retry.MaxRateLimitWait {
				wait = w
			}
		default:
			return nil, apiErr
		}
		if attempt >= d.retry.MaxAttempts {
			d.debug(ctx, "wrappers: retries exhausted", slog.Any("request", rl), slog.Int("status", resp.StatusCode))
			return nil, apiErr
		}
		if err := d.wait(ctx, rl, began, wait, reason, apiErr); err != nil {
			return nil, err
		}
	}
}

// attemptContext returns the context of one attempt: ctx, with a deadline
// where the call's MaxElapsed budget (counted from began) runs out, unless
// ctx's own deadline comes first.
func (d *Doer) attemptContext(ctx context.Context, began time.Time) (context.Context, context.CancelFunc) {
	left := d.retry.MaxElapsed - d.now().Sub(began)
	dl := time.Now().Add(left)
	if cdl, ok := ctx.Deadline(); ok && !cdl.After(dl) {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, dl)
}

// redactCredential replaces, in an error body and in the response's header
// values, the Authorization value that was sent (whole, and its credential
// without the scheme word) with Redacted, using the token endpoint's
// [redactor]. resp.Body is reset to the redacted body. A credential shorter
// than minRedactLen is redacted only together with its scheme word: a bare
// "ab" would mangle unrelated text and is no secret worth the name.
func redactCredential(resp *http.Response, body []byte, auth string) []byte {
	if auth == "" {
		return body
	}
	secrets := []string{auth}
	if _, cred, ok := strings.Cut(auth, " "); ok {
		if cred = strings.TrimSpace(cred); len(cred) >= minRedactLen {
			secrets = append(secrets, cred)
		}
	}
	rd := newRedactor(secrets...)
	out := body
	for _, sec := range rd.secrets {
		if bytes.Contains(out, []byte(sec)) {
			out = bytes.ReplaceAll(out, []byte(sec), []byte(Redacted))
		}
	}
	for k, vs := range resp.Header {
		for i, v := range vs {
			for _, sec := range rd.secrets {
				if strings.Contains(v, sec) {
					v = strings.ReplaceAll(v, sec, Redacted)
					resp.Header[k][i] = v
				}
			}
		}
	}
	if len(out) != len(body) || !bytes.Equal(out, body) {
		resp.Body = io.NopCloser(bytes.NewReader(out))
		resp.ContentLength = int64(len(out))
	}
	return out
}

// minRedactLen is the shortest credential redacted on its own, without its
// scheme word, by redactCredential.
const minRedactLen = 8

// debugOn reports whether debug records are wanted, so that the per-request
// log attributes (which allocate) are built only then: the default logger
// discards everything.
func (d *Doer) debugOn(ctx context.Context) bool { return d.log.Enabled(ctx, slog.LevelDebug) }

// debug logs msg at debug level; callers on the per-request path check
// debugOn first.
func (d *Doer) debug(ctx context.Context, msg string, attrs ...slog.Attr) {
	d.log.LogAttrs(ctx, slog.LevelDebug, msg, attrs...)
}

// rateLimitWait asks the provider's function, then Retry-After. A zero wait
// (a reset already past) counts as no hint.
func (d *Doer) rateLimitWait(h http.Header) (time.Duration, bool) {
	now := d.now()
	if d.rateLimit != nil {
		if w, ok := d.rateLimit(h, now); ok && w > 0 {
			return w, true
		}
	}
	if w, ok := RetryAfterWait(h, now); ok && w > 0 {
		return w, true
	}
	return 0, false
}

// wait sleeps before a retry. When the context ends first (or its deadline
// is too close for the wait), it returns an error matching both the context
// error and last.
func (d *Doer) wait(ctx context.Context, rl reqLog, began time.Time, w time.Duration, reason string, last error) error {
	if elapsed := d.now().Sub(began); elapsed+w >= d.retry.MaxElapsed {
		d.debug(ctx, "wrappers: retry would exceed the call's time budget; giving up", slog.Any("request", rl),
			slog.String("reason", reason), slog.Duration("wait", w), slog.Duration("elapsed", elapsed),
			slog.Duration("max_elapsed", d.retry.MaxElapsed))
		return last
	}
	d.debug(ctx, "wrappers: retrying", slog.Any("request", rl),
		slog.String("reason", reason), slog.Duration("wait", w))
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < w {
		return &waitError{wait: w, cause: context.DeadlineExceeded, last: last}
	}
	if err := d.sleep(ctx, w); err != nil {
		return &waitError{wait: w, cause: err, last: last}
	}
	return nil
}

// waitError is returned when a retry wait is cut short by the context. It
// matches both the context error and the last failure.
type waitError struct {
	wait  time.Duration
	cause error
	last  error
}

func (e *waitError) Error() string {
	return fmt.Sprintf("wrappers: gave up waiting %s to retry: %v; last error: %s", e.wait, e.cause, Detail(e.last))
}

func (e *waitError) Unwrap() []error { return []error{e.cause, e.last} }

// Sleep waits d, or until ctx is done, in which case it returns ctx.Err(). A
// d of zero or less returns ctx.Err() at once. A nil ctx is an error matching
// [ErrNilContext]. It is the default [DoerConfig.Sleep], exported so that a
// face waiting on its own (between polls, say) behaves the same way.
func Sleep(ctx context.Context, d time.Duration) error {
	if ctx == nil {
		return fmt.Errorf("wrappers: Sleep: %w", ErrNilContext)
	}
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// prepare makes the request for one attempt: a clone with a fresh body,
// User-Agent and Authorization.
func (d *Doer) prepare(ctx context.Context, req *http.Request, getBody func() (io.ReadCloser, error)) (*http.Request, error) {
	r := req.Clone(ctx)
	if getBody != nil {
		b, err := getBody()
		if err != nil {
			return nil, fmt.Errorf("wrappers: rebuilding the body of %s %s: %w", req.Method, req.URL.Path, err)
		}
		r.Body, r.GetBody = b, getBody
	}
	if d.userAgent != "" && r.Header.Get("User-Agent") == "" {
		r.Header.Set("User-Agent", d.userAgent)
	}
	if d.auth != nil {
		if err := d.auth.Authorize(r); err != nil {
			if r.Body != nil {
				r.Body.Close()
			}
			return nil, &AuthorizeError{Method: req.Method, Path: req.URL.Path, Err: err}
		}
	}
	return r, nil
}

// send sends r once and reads the body: all of a 2xx body up to maxBody
// (more is a *BodyTooLargeError), up to maxErrorBodyBytes of any other.
func (d *Doer) send(r *http.Request) (*http.Response, []byte, error) {
	resp, err := d.client.Do(r)
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		scrubURLError(err)
		return nil, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// A short read of an error body is fine: the status is what matters
		// and DecodeError gets what arrived.
		body, _ := io.ReadAll(io.LimitReader(resp.Body, min(d.maxBody, maxErrorBodyBytes)))
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return resp, body, nil
	}
	if resp.ContentLength > d.maxBody {
		return nil, nil, &BodyTooLargeError{Limit: d.maxBody, Size: resp.ContentLength}
	}
	body, err := readAllSized(resp.Body, resp.ContentLength, d.maxBody+1)
	if err != nil {
		return nil, nil, fmt.Errorf("wrappers: reading the response body of %s %s: %w", r.Method, r.URL.Path, err)
	}
	if int64(len(body)) > d.maxBody {
		return nil, nil, &BodyTooLargeError{Limit: d.maxBody, Size: -1}
	}
	resp.Body = newBytesBody(body)
	resp.ContentLength = int64(len(body))
	return resp, body, nil
}

// readAllSized reads r to EOF, at most limit bytes. When size (the
// Content-Length, -1 if unknown) is known and below limit, the buffer is
// allocated once at size+1 bytes (the extra byte lets the final read see EOF
// without growing the buffer), instead of io.ReadAll's doubling from 512
// bytes.
func readAllSized(r io.Reader, size, limit int64) ([]byte, error) {
	if size < 0 || size >= limit {
		return io.ReadAll(io.LimitReader(r, limit))
	}
	buf := make([]byte, 0, size+1)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if int64(len(buf)) >= limit {
			return buf[:limit], nil // the caller reports it as too large
		}
		if len(buf) == cap(buf) {
			// The body is longer than announced: keep reading, let append
			// grow the buffer.
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

// bytesBody is the Body of a response the Doer has read into memory: an
// io.ReadCloser over the bytes, which also hands them out without a copy
// through Bytes (see [ResponseBytes]).
type bytesBody struct {
	bytes.Reader
	b []byte
}

func newBytesBody(b []byte) *bytesBody {
	bb := &bytesBody{b: b}
	bb.Reset(b)
	return bb
}

// Bytes returns the whole body, whatever has been read of it. It must not
// be modified.
func (b *bytesBody) Bytes() []byte { return b.b }

// Close does nothing: the body is in memory.
func (b *bytesBody) Close() error { return nil }

// ResponseBytes returns the body of a 2xx response returned by [Doer.Do]
// without copying it (ok true): the Doer has already read it into memory.
// The bytes are shared with resp.Body and must not be modified. For any
// other response (not from a Doer, or whose Body has been replaced) it
// returns nil, false; read resp.Body then.
func ResponseBytes(resp *http.Response) (body []byte, ok bool) {
	if resp == nil {
		return nil, false
	}
	if b, isBytes := resp.Body.(*bytesBody); isBytes {
		return b.b, true
	}
	return nil, false
}

func (d *Doer) decode(resp *http.Response, body []byte) error {
	if d.decodeError != nil {
		if err := d.decodeError(resp, body); err != nil {
			return err
		}
	}
	return &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, Header: resp.Header.Clone(), Body: body}
}

// bodyFactory returns a function that makes a fresh copy of req's body for
// each attempt: req.GetBody when set (http.NewRequest sets it for in-memory
// bodies), otherwise the body read once into memory.
func bodyFactory(req *http.Request) (func() (io.ReadCloser, error), error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	if req.GetBody != nil {
		return req.GetBody, nil
	}
	data, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("wrappers: reading the request body of %s %s: %w", req.Method, req.URL.Path, err)
	}
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }, nil
}

func isIdempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete, "":
		return true
	}
	return req.Header.Get("Idempotency-Key") != "" || req.Header.Get("X-Idempotency-Key") != ""
}

// retryableTransport reports whether a failure to get a response may be
// retried: never for our own refusals or certificate problems; for any
// method when the connection was never made (nothing was sent); otherwise
// only for idempotent methods, since the server may have processed it.
func retryableTransport(err error, idempotent bool) bool {
	if errors.Is(err, ErrForeignOrigin) || errors.Is(err, ErrBodyTooLarge) {
		return false
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &invalid) {
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return idempotent
}

// DefaultHTTPClient returns a new *http.Client with its own clone of
// http.DefaultTransport (so its own connection pool), a
// ResponseHeaderTimeout and an overall Timeout of [DefaultTimeout]. It is
// what [NewDoer] uses when [DoerConfig.HTTPClient] is nil; a face that
// shares one client between its token endpoint and its Doer builds it with
// this.
func DefaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = DefaultTimeout
	return &http.Client{Transport: t, Timeout: DefaultTimeout}
}

// originLockedClient returns a copy of c (or of a default client) whose
// redirects may not leave base's origin, so that a header set on the first
// hop (Authorization) can never reach another host.
func originLockedClient(c *http.Client, base *url.URL) *http.Client {
	var cp http.Client
	if c != nil {
		cp = *c
	} else {
		cp = *DefaultHTTPClient()
	}
	prev := cp.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := checkOrigin("redirect", base, req.URL); err != nil {
			return err
		}
		if prev != nil {
			return prev(req, via)
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("wrappers: stopped after %d redirects", maxRedirects)
		}
		return nil
	}
	return &cp
}

// scrubURLError drops the query (and any user info) from the URL that a
// *url.Error from http.Client repeats in its message, so that errors and
// logs show the path only, as the rest of this package does.
func scrubURLError(err error) {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return
	}
	if u, perr := url.Parse(ue.URL); perr == nil {
		u.RawQuery, u.ForceQuery, u.User, u.Fragment, u.RawFragment = "", false, nil, "", ""
		ue.URL = u.String()
	} else {
		ue.URL = "(unparsable URL)"
	}
}

// reqLog is the log value of one attempt: method, path (never the query,
// never a header) and attempt number, built only when a record is logged.
type reqLog struct {
	r       *http.Request
	attempt int
}

func (l reqLog) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("method", l.r.Method),
		slog.String("path", l.r.URL.EscapedPath()),
		slog.Int("attempt", l.attempt),
	)
}

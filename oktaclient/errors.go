package oktaclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mfakit/mfakit/wrappers"
)

// Sentinel errors. An [*Error] matches (errors.Is) the one for its status:
// ErrBadRequest (400), ErrUnauthorized (401), ErrForbidden (403),
// ErrNotFound (404), ErrConflict (409), ErrRateLimited (429) and ErrServer
// (any 5xx).
var (
	ErrBadRequest   = errors.New("okta: bad request")
	ErrUnauthorized = errors.New("okta: unauthorized")
	ErrForbidden    = errors.New("okta: forbidden")
	ErrNotFound     = errors.New("okta: not found")
	ErrConflict     = errors.New("okta: conflict")
	ErrRateLimited  = errors.New("okta: rate limited")
	ErrServer       = errors.New("okta: server error")
)

// Okta error codes of the factor operations that callers commonly act on,
// for comparison with [Error.ErrorCode].
const (
	// CodeInvalidPasscode (403 from [Client.VerifyFactor] and
	// [Client.ActivateFactor]): a wrong or expired passcode, or a wrong
	// security answer.
	CodeInvalidPasscode = "E0000068"
	// CodePasscodeReplayed (403 from [Client.VerifyFactor] and
	// [Client.ActivateFactor]): a TOTP code whose time step was already
	// accepted; wait for the next code.
	CodePasscodeReplayed = "E0000082"
	// CodeOTPRecentlySent (429 from [Client.ResendEnrollFactor]): an OTP
	// was sent to the device less than 30 seconds ago.
	CodeOTPRecentlySent = "E0000109"
)

// ErrInvalidConfig is matched by every error [New] returns for a bad org URL
// or option (a bad URL also matches wrappers.ErrInvalidBaseURL).
var ErrInvalidConfig = errors.New("oktaclient: invalid configuration")

// ErrInvalidArgument is matched by the error a method returns, before
// sending anything, for an argument it cannot send: an empty ID, an ID of
// "." or ".." (which would change the request path), a nil body.
var ErrInvalidArgument = errors.New("oktaclient: invalid argument")

// ErrDecode is matched by a [*DecodeError]: a successful response whose body
// could not be decoded.
var ErrDecode = errors.New("oktaclient: cannot decode response")

// RateLimit is the rate-limit state a response reported (X-Rate-Limit-Limit,
// -Remaining and -Reset, the reset translated to the local clock through the
// response's Date header). Limit and Remaining are -1 when absent, Reset is
// zero when absent.
type RateLimit = wrappers.RateLimit

// ErrorCause is one further cause of an Okta error, such as one per invalid
// field.
type ErrorCause struct {
	// ErrorSummary is Okta's human-readable text of this cause, such as
	// "name: The field cannot be left blank".
	ErrorSummary string `json:"errorSummary"`
}

// Error is the error of every non-2xx answer from Okta. Use errors.As to get
// it, and errors.Is with the sentinels ([ErrNotFound], [ErrRateLimited], …)
// to test its status. When the body is not Okta's JSON error (an HTML page
// from a proxy, a truncated body), the status is still set and Body holds a
// short, printable excerpt of what came.
type Error struct {
	// Status is the HTTP status code.
	Status int
	// ErrorCode is Okta's error code, such as "E0000007".
	ErrorCode string
	// ErrorSummary is Okta's human-readable summary.
	ErrorSummary string
	// ErrorLink is Okta's link or code for the error type.
	ErrorLink string
	// ErrorID is the id of this occurrence, for Okta support.
	ErrorID string
	// ErrorCauses are further causes, such as one per invalid field.
	ErrorCauses []ErrorCause
	// RequestID is the X-Okta-Request-Id response header.
	RequestID string
	// RateLimit is the rate-limit state the response reported.
	RateLimit RateLimit
	// RetryAfter is the wait the response asked for before a retry (from
	// X-Rate-Limit-Reset, or Retry-After), or 0.
	RetryAfter time.Duration
	// Method and Path say which request failed (the path without its query).
	Method, Path string
	// Body is a capped, printable excerpt of a body that was not Okta's JSON
	// error; empty otherwise.
	Body string
}

// Error reads like "okta: 404 E0000007 Not found: Resource not found: xyz
// (request id abc123)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("okta: ")
	b.WriteString(strconv.Itoa(e.Status))
	if e.ErrorCode != "" {
		b.WriteString(" ")
		b.WriteString(e.ErrorCode)
	}
	switch {
	case e.ErrorSummary != "":
		b.WriteString(" ")
		b.WriteString(e.ErrorSummary)
	case e.ErrorCode == "":
		if t := http.StatusText(e.Status); t != "" {
			b.WriteString(" ")
			b.WriteString(t)
		}
	}
	for i, c := range e.ErrorCauses {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(c.ErrorSummary)
	}
	if e.Body != "" {
		b.WriteString(": ")
		b.WriteString(e.Body)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(e.RequestID)
		b.WriteString(")")
	}
	return b.String()
}

// HTTPStatusCode implements wrappers.StatusCoder.
func (e *Error) HTTPStatusCode() int { return e.Status }

// Is reports whether target is the sentinel for e's status.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.Status == http.StatusBadRequest
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrConflict:
		return e.Status == http.StatusConflict
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrServer:
		return e.Status >= 500 && e.Status <= 599
	}
	return false
}

// Okta's rate-limit headers.
const (
	headerRateLimit     = "X-Rate-Limit-Limit"
	headerRateRemaining = "X-Rate-Limit-Remaining"
	headerRateReset     = "X-Rate-Limit-Reset"
	headerRequestID     = "X-Okta-Request-Id"
)

var (
	readRateLimit = wrappers.EpochRateLimit(headerRateLimit, headerRateRemaining, headerRateReset)
	resetWait     = wrappers.EpochResetWait(headerRateReset)
)

// maxFieldBytes caps each text field taken from an error body.
const maxFieldBytes = 1024

// maxCauses caps how many error causes are kept.
const maxCauses = 50

// newError turns a non-2xx response into an *Error. body is the start of
// the response body (capped by wrappers.Doer). It never fails: a body that
// is not Okta's JSON error becomes an excerpt.
func newError(resp *http.Response, body []byte, now time.Time) *Error {
	e := &Error{Status: resp.StatusCode, RequestID: wrappers.Excerpt([]byte(resp.Header.Get(headerRequestID)), 128)}
	if resp.Request != nil {
		e.Method = resp.Request.Method
		if resp.Request.URL != nil {
			e.Path = resp.Request.URL.EscapedPath()
		}
	}
	if rl, ok := readRateLimit(resp.Header, now); ok {
		e.RateLimit = rl
	} else {
		e.RateLimit = RateLimit{Limit: -1, Remaining: -1}
	}
	if w, ok := resetWait(resp.Header, now); ok {
		e.RetryAfter = w
	} else if w, ok := wrappers.RetryAfterWait(resp.Header, now); ok {
		e.RetryAfter = w
	}
	var wire struct {
		ErrorCode    any `json:"errorCode"`
		ErrorSummary any `json:"errorSummary"`
		ErrorLink    any `json:"errorLink"`
		ErrorID      any `json:"errorId"`
		ErrorCauses  any `json:"errorCauses"`
		// OAuth 2.0 endpoints answer in RFC 6749's shape.
		OAuthError       any `json:"error"`
		OAuthDescription any `json:"error_description"`
	}
	if err := json.Unmarshal(body, &wire); err == nil {
		e.ErrorCode = text(wire.ErrorCode)
		e.ErrorSummary = text(wire.ErrorSummary)
		e.ErrorLink = text(wire.ErrorLink)
		e.ErrorID = text(wire.ErrorID)
		if causes, ok := wire.ErrorCauses.([]any); ok {
			for _, c := range causes[:min(len(causes), maxCauses)] {
				if m, ok := c.(map[string]any); ok {
					if s := text(m["errorSummary"]); s != "" {
						e.ErrorCauses = append(e.ErrorCauses, ErrorCause{ErrorSummary: s})
					}
				}
			}
		}
		if e.ErrorCode == "" && e.ErrorSummary == "" {
			e.ErrorCode = text(wire.OAuthError)
			e.ErrorSummary = text(wire.OAuthDescription)
		}
		if e.ErrorCode != "" || e.ErrorSummary != "" {
			return e
		}
	}
	e.Body = wrappers.Excerpt(body, wrappers.DefaultExcerptBytes)
	return e
}

// text returns v as capped one-line text if it is a string, else "".
func text(v any) string {
	s, ok := v.(string)
	if !ok {
		return ""
	}
	return wrappers.Excerpt([]byte(s), maxFieldBytes)
}

// DecodeError reports a successful (2xx) response whose body could not be
// decoded as the operation's result. It never holds the body, which may
// carry secrets (a temporary access code, a TOTP shared secret).
type DecodeError struct {
	// Op is the operation, such as "GetAuthenticator".
	Op string
	// Status is the HTTP status code of the response.
	Status int
	// RequestID is the X-Okta-Request-Id response header.
	RequestID string
	// Err is the underlying JSON error.
	Err error
}

// Error returns one line naming the operation, the status, the JSON error
// and the request id, never the body.
func (e *DecodeError) Error() string {
	s := fmt.Sprintf("oktaclient: %s: decoding the %d response: %v", e.Op, e.Status, e.Err)
	if e.RequestID != "" {
		s += " (request id " + e.RequestID + ")"
	}
	return s
}

// Unwrap returns the underlying JSON error.
func (e *DecodeError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrDecode].
func (e *DecodeError) Is(target error) bool { return target == ErrDecode }

// sendFailure names the operation in an error from sending its request or
// following its pages. An [*Error] (Okta's answer) and errors that name the
// operation already (*DecodeError, a build failure, an *OpError) are
// returned as they are; anything else (a transport error, a context that
// ended, a truncated or reset response body, a refused or failed token
// request, a body over the cap, a refused next link) becomes an *OpError.
func sendFailure(op string, err error) error {
	switch err.(type) {
	case nil, *Error, *DecodeError, *buildError, *OpError:
		return err
	}
	return &OpError{Op: op, Err: err}
}

// OpError is a failure of an operation that is not an answer from Okta: the
// connection failed or was reset, a 2xx body was truncated, the context
// ended, a token request failed, a next link was refused. Use errors.As to
// get it and read the operation; errors.Is and errors.As also see the cause
// (context.DeadlineExceeded, a *url.Error, io.ErrUnexpectedEOF, …). Its
// message is one line with one prefix, like
//
//	okta: ListAuthenticators: Get "https://example.okta.com/api/v1/authenticators": connection refused
type OpError struct {
	// Op is the operation, such as "ListAuthenticators", or "Do".
	Op string
	// Err is the cause.
	Err error
}

// Error returns "okta: <Op>: <cause>" on one line (see wrappers.Detail).
func (e *OpError) Error() string { return "okta: " + e.Op + ": " + wrappers.Detail(e.Err) }

// Unwrap returns the cause.
func (e *OpError) Unwrap() error { return e.Err }

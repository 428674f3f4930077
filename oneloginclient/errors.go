package oneloginclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mfakit/mfakit/wrappers"
)

// Sentinel errors, matched with errors.Is. Every failure the server reports is
// an [*Error]; these classify it. An HTTP status maps to one of the first six;
// Verify's 401 answers map to ErrInvalidCode, ErrPending or
// ErrStateTokenExpired instead of ErrUnauthorized, so that a wrong code is
// never mistaken for a credential problem.
var (
	// ErrBadRequest matches a 400: the request was not acceptable.
	ErrBadRequest = errors.New("onelogin: bad request")
	// ErrUnauthorized matches a 401 about the API credentials: the client
	// credentials were refused, or the access token was rejected even after
	// a fresh one was fetched.
	ErrUnauthorized = errors.New("onelogin: unauthorized")
	// ErrForbidden matches a 403: the credential pair lacks the right.
	ErrForbidden = errors.New("onelogin: forbidden")
	// ErrNotFound matches a 404: the user or device does not exist.
	ErrNotFound = errors.New("onelogin: not found")
	// ErrRateLimited matches a 429 that retries did not get past (the
	// account's v1 budget is spent and the reset is too far away, or
	// retries ran out).
	ErrRateLimited = errors.New("onelogin: rate limited")
	// ErrServer matches any 5xx.
	ErrServer = errors.New("onelogin: server error")

	// ErrInvalidCode matches Verify's answer to a wrong one-time code or a
	// push the user denied.
	ErrInvalidCode = errors.New("onelogin: invalid code")
	// ErrPending matches Verify's answer while a push is still waiting for
	// the user: poll again with the same state token ([Client.PollPush]).
	ErrPending = errors.New("onelogin: verification pending")
	// ErrStateTokenExpired matches Verify's answer to a state token that is
	// unknown or expired (activate the device again), and PollPush's error
	// when the state token expires while the push is still pending.
	ErrStateTokenExpired = errors.New("onelogin: state token invalid or expired")

	// ErrMalformedResponse matches a 2xx response whose body could not be
	// decoded, or whose status says error; nothing is returned from it.
	ErrMalformedResponse = errors.New("onelogin: malformed response")

	// ErrInvalidArgument matches an error for bad input to a method (a
	// negative id, an out-of-range lifetime); nothing was sent.
	ErrInvalidArgument = errors.New("onelogin: invalid argument")
	// ErrInvalidConfig matches every error from [New] and
	// [NewForSubdomain]: missing, conflicting or bad options, and a bad base
	// URL (which also matches wrappers.ErrInvalidBaseURL).
	ErrInvalidConfig = errors.New("onelogin: invalid configuration")
)

// maxErrorBody caps the raw body kept in an [Error].
const maxErrorBody = 8 << 10

// RateLimit is the rate-limit state a response reported (OneLogin's
// X-RateLimit-Limit, -Remaining and -Reset; the reset is translated from
// seconds-remaining to a local time).
type RateLimit = wrappers.RateLimit

// Error is the error every OneLogin failure becomes: a non-2xx answer from a
// v1 operation (wrapped in the status envelope or not, JSON or not), a
// refusal from the token endpoint, or a 2xx answer that could not be decoded.
// Use errors.As to get it and errors.Is with the sentinels above to classify
// it. It implements wrappers.StatusCoder.
type Error struct {
	// Operation is the client method that failed, e.g. "VerifyFactor".
	Operation string
	// StatusCode is the HTTP status code of the response.
	StatusCode int
	// Code is status.code of a v1 envelope, or statusCode of a v2-style
	// (token endpoint) error; 0 when the body had none.
	Code int
	// Type is status.type of a v1 envelope (its case varies: "bad request",
	// "Unauthorized"), or name of a v2-style error ("InvalidCredentials").
	Type string
	// Message is the server's message as text. When OneLogin sent it as an
	// object ({"description": …, "attribute": …}) this is the description
	// and Attribute is the field it is about.
	Message string
	// Attribute is the request field the message is about, when the server
	// named one.
	Attribute string
	// TokenEndpoint is true when the failure came from the OAuth token
	// endpoint while getting an access token. Body is then empty: a token
	// endpoint's body is never kept, as it could echo a credential.
	TokenEndpoint bool
	// RateLimit is the rate-limit state the response reported (Limit and
	// Remaining are -1 when absent).
	RateLimit RateLimit
	// Body is the start of the raw body of a non-2xx response (at most
	// 8 KiB). It is empty for a token endpoint refusal and for a malformed
	// 2xx response, whose bodies may hold credentials or tokens.
	Body []byte

	kind  errorKind
	cause error
}

type errorKind int

const (
	kindStatus           errorKind = iota // classified by the HTTP status
	kindMalformed                         // a 2xx that could not be decoded
	kindInvalidCode                       // Verify: wrong code, denied push
	kindPending                           // Verify: push still pending
	kindStateToken                        // Verify: state token unknown or expired
	kindAccessToken                       // Verify: 401 about the access token
	kindStatusInEnvelope                  // a 2xx whose envelope says error
)

// Error describes the failure on one line, e.g.
//
//	onelogin: EnrollFactor: 400 bad request: Invalid phone number (attribute number)
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("onelogin: ")
	if e.Operation != "" {
		b.WriteString(e.Operation + ": ")
	}
	if e.TokenEndpoint {
		b.WriteString("token endpoint: ")
	}
	if e.kind == kindMalformed && e.StatusCode == 0 {
		b.WriteString("malformed response")
	} else if e.kind == kindMalformed {
		fmt.Fprintf(&b, "malformed %d response", e.StatusCode)
	} else {
		b.WriteString(strconv.Itoa(e.StatusCode))
		if e.Type != "" {
			b.WriteString(" " + wrappers.Excerpt([]byte(e.Type), 80))
		} else if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteString(" " + t)
		}
	}
	if e.Code != 0 && e.Code != e.StatusCode {
		fmt.Fprintf(&b, " (code %d)", e.Code)
	}
	switch {
	case e.Message != "":
		b.WriteString(": " + e.Message)
		if e.Attribute != "" {
			b.WriteString(" (attribute " + e.Attribute + ")")
		}
	case e.cause != nil && e.kind == kindMalformed:
		b.WriteString(": " + e.cause.Error())
	}
	if (e.Message == "" || e.kind == kindMalformed) && len(e.Body) > 0 {
		b.WriteString(": body: " + wrappers.Excerpt(e.Body, 200))
	}
	return b.String()
}

// HTTPStatusCode implements wrappers.StatusCoder.
func (e *Error) HTTPStatusCode() int { return e.StatusCode }

// Unwrap returns the underlying cause, if any (a decoding error for a
// malformed body; the scrubbed *wrappers.TokenError for a token endpoint
// refusal).
func (e *Error) Unwrap() error { return e.cause }

// Is reports whether target is the sentinel that classifies e.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrMalformedResponse:
		return e.kind == kindMalformed || e.kind == kindStatusInEnvelope
	case ErrInvalidCode:
		return e.kind == kindInvalidCode
	case ErrPending:
		return e.kind == kindPending
	case ErrStateTokenExpired:
		return e.kind == kindStateToken
	}
	if e.kind == kindMalformed {
		return false
	}
	code := e.StatusCode
	if e.kind == kindStatusInEnvelope {
		code = e.Code
	}
	switch target {
	case ErrBadRequest:
		return code == http.StatusBadRequest
	case ErrUnauthorized:
		return code == http.StatusUnauthorized && (e.kind == kindStatus || e.kind == kindAccessToken || e.kind == kindStatusInEnvelope)
	case ErrForbidden:
		return code == http.StatusForbidden
	case ErrNotFound:
		return code == http.StatusNotFound
	case ErrRateLimited:
		return code == http.StatusTooManyRequests
	case ErrServer:
		return code >= 500 && code <= 599
	}
	return false
}

// rateLimitOf reads OneLogin's rate-limit headers.
var rateLimitOf = wrappers.DeltaRateLimit("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")

// newResponseError builds the *Error for a non-2xx response from its status,
// headers and (capped) body. It never fails: whatever the body holds (a v1
// envelope, the flat v1 shape, a v2-style error, HTML, garbage, nothing), the
// status is kept and the body excerpted.
func newResponseError(status int, h http.Header, body []byte, now time.Time) *Error {
	e := &Error{StatusCode: status}
	e.RateLimit, _ = rateLimitOf(h, now)
	e.Code, e.Type, e.Message, e.Attribute = decodeErrorBody(body)
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	e.Body = bytes.Clone(body)
	return e
}

// decodeErrorBody reads the code, type and message out of an error body in
// any of the shapes OneLogin uses:
//
//	{"status": {"error": true, "code": 400, "type": "bad request", "message": "…" or {…}}}
//	{"error": true, "code": 400, "type": "bad request", "message": "…"}   (flat v1)
//	{"statusCode": 401, "name": "InvalidCredentials", "message": "…"}      (v2, token endpoint)
//	{"error": "invalid_client", "error_description": "…"}                 (RFC 6749)
//
// Anything else leaves them empty.
func decodeErrorBody(body []byte) (code int, typ, msg, attr string) {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return 0, "", "", ""
	}
	src := top
	if raw, ok := top["status"]; ok {
		var inner map[string]json.RawMessage
		if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' && json.Unmarshal(t, &inner) == nil {
			src = inner
		}
	}
	for _, k := range []string{"code", "statusCode", "status"} {
		var n flexInt
		if raw, ok := src[k]; ok && json.Unmarshal(raw, &n) == nil && n.set && n.v >= 0 && n.v < 1000 {
			code = int(n.v)
			break
		}
	}
	for _, k := range []string{"type", "name", "error"} {
		var s string
		if raw, ok := src[k]; ok && json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
			typ = wrappers.Excerpt([]byte(s), 100)
			break
		}
	}
	for _, k := range []string{"message", "error_description", "description"} {
		if raw, ok := src[k]; ok && !isNull(raw) {
			msg, attr = messageText(raw)
			if msg != "" {
				break
			}
		}
	}
	return code, typ, msg, attr
}

// messageText turns status.message into text: a string as it is; an object
// by its description (or message) and attribute, or else compact JSON; an
// array by its elements, joined.
func messageText(raw json.RawMessage) (msg, attr string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return wrappers.Excerpt([]byte(s), 1000), ""
		}
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) == nil {
			var a string
			if r, ok := obj["attribute"]; ok {
				a, _ = messageText(r)
			}
			for _, k := range []string{"description", "message", "error"} {
				if r, ok := obj[k]; ok {
					if m, _ := messageText(r); m != "" {
						return m, wrappers.Excerpt([]byte(a), 100)
					}
				}
			}
		}
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) == nil {
			parts := make([]string, 0, len(items))
			for _, it := range items {
				if m, a := messageText(it); m != "" {
					if a != "" {
						m += " (attribute " + a + ")"
					}
					parts = append(parts, m)
				}
			}
			return wrappers.Excerpt([]byte(strings.Join(parts, "; ")), 1000), ""
		}
	}
	var compact bytes.Buffer
	if json.Compact(&compact, raw) == nil {
		return wrappers.Excerpt(compact.Bytes(), 1000), ""
	}
	return wrappers.Excerpt(raw, 1000), ""
}

// malformed builds the *Error for a 2xx response whose body could not be
// used. The body is not kept: a 2xx body may hold a state token or an MFA
// token.
func malformed(status int, h http.Header, now time.Time, cause error) *Error {
	e := &Error{StatusCode: status, kind: kindMalformed, cause: cause}
	e.RateLimit, _ = rateLimitOf(h, now)
	return e
}

// envelopeError builds the *Error for a 2xx response whose envelope has
// status.error true. Such an envelope carries no data, so its body is kept.
func envelopeError(status int, h http.Header, body []byte, now time.Time) *Error {
	e := newResponseError(status, h, body, now)
	e.kind = kindStatusInEnvelope
	return e
}

// classifyVerify401 tells Verify's 401 answers apart by their message:
// OneLogin says "Authentication pending on OL Protect" for a push still
// waiting, "Invalid or expired state_token" for a bad state token, "Failed
// authentication with this factor" for a wrong code or denied push, and
// "Authentication Failure" (or no envelope at all, from a proxy) when the
// access token itself was refused.
func classifyVerify401(e *Error) errorKind {
	m := strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(e.Message), ".")))
	switch {
	case m == "":
		return kindAccessToken
	case strings.Contains(m, "pending"):
		return kindPending
	case strings.Contains(m, "state_token") || strings.Contains(m, "state token"):
		return kindStateToken
	case m == "authentication failure" || m == "unauthorized" || m == "authorization information is incorrect" ||
		strings.Contains(m, "access token") || strings.Contains(m, "access_token") || strings.Contains(m, "bearer"):
		return kindAccessToken
	}
	return kindInvalidCode
}

// opError gives err the operation's name: an *Error in err's chain gets
// Operation set; a scrubbed token endpoint refusal becomes an *Error; any
// other error (transport, context, refused origin, body cap) is wrapped with
// the operation's name.
func opError(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		if e.Operation == "" {
			e.Operation = op
		}
		if err == error(e) {
			return e
		}
		return &OpError{Op: op, Err: err}
	}
	var te *wrappers.TokenError
	if errors.As(err, &te) {
		return &Error{
			Operation:     op,
			StatusCode:    te.StatusCode,
			Code:          te.StatusCode,
			Type:          te.ErrorCode,
			Message:       te.ErrorDescription,
			TokenEndpoint: true,
			RateLimit:     RateLimit{Limit: -1, Remaining: -1},
			cause:         te,
		}
	}
	if errors.Is(err, wrappers.ErrMalformedToken) {
		// The token endpoint answered 2xx with a body that held no usable
		// token (not JSON, truncated, no access_token).
		return &Error{Operation: op, TokenEndpoint: true, RateLimit: RateLimit{Limit: -1, Remaining: -1},
			kind: kindMalformed, cause: err}
	}
	return &OpError{Op: op, Err: err}
}

// OpError is a failure of an operation that is not an answer from OneLogin:
// a transport error, a context that ended, a refused origin, a body over the
// cap. Get it with errors.As; errors.Is and errors.As also see its cause
// (e.g. context.DeadlineExceeded, a *net.OpError, wrappers.ErrBodyTooLarge).
// Its message is one line with one prefix, like
//
//	onelogin: ListEnrolledFactors: Get "https://example.onelogin.com/api/1/users/1/otp_devices": connection refused
//
// (see wrappers.Detail). It never holds a credential: request URLs carry
// none, and token endpoint failures are scrubbed.
type OpError struct {
	// Op is the client method that failed, e.g. "ListEnrolledFactors".
	Op string
	// Err is the cause.
	Err error
}

// Error describes the failure on one line, prefixed "onelogin: " and the
// operation.
func (e *OpError) Error() string { return "onelogin: " + e.Op + ": " + wrappers.Detail(e.Err) }

// Unwrap returns the cause.
func (e *OpError) Unwrap() error { return e.Err }

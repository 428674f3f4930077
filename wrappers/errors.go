package wrappers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrBodyTooLarge is matched (errors.Is) by a [*BodyTooLargeError]: a response
// body was larger than the configured cap and was refused.
var ErrBodyTooLarge = errors.New("response body too large")

// ErrForeignOrigin is matched (errors.Is) by a [*ForeignOriginError]: a
// request, redirect or next-page link pointed at a scheme, host or port other
// than the configured one, and nothing was sent there.
var ErrForeignOrigin = errors.New("refused to leave the configured origin")

// ErrPagingLoop is matched (errors.Is) by a [*PagingLoopError]: a server
// handed back a next-page link that was already followed.
var ErrPagingLoop = errors.New("paging loop")

// StatusCoder is implemented by errors that carry an HTTP status code. Both
// faces' typed errors implement it, so code that only cares about the status
// can use errors.As without knowing the provider.
type StatusCoder interface {
	HTTPStatusCode() int
}

// StatusCode returns the HTTP status code carried by err or by any error it
// wraps (through [StatusCoder]), or 0 if there is none.
func StatusCode(err error) int {
	var sc StatusCoder
	if errors.As(err, &sc) {
		return sc.HTTPStatusCode()
	}
	return 0
}

// BodyTooLargeError reports a response body over the configured cap.
type BodyTooLargeError struct {
	// Limit is the cap in bytes.
	Limit int64
	// Size is the size the server announced in Content-Length, or -1 when it
	// was unknown and the cap was hit while reading.
	Size int64
}

// Error implements error.
func (e *BodyTooLargeError) Error() string {
	if e.Size >= 0 {
		return fmt.Sprintf("wrappers: response body of %d bytes exceeds the %d-byte cap", e.Size, e.Limit)
	}
	return fmt.Sprintf("wrappers: response body exceeds the %d-byte cap", e.Limit)
}

// Is reports whether target is [ErrBodyTooLarge].
func (e *BodyTooLargeError) Is(target error) bool { return target == ErrBodyTooLarge }

// ForeignOriginError reports a refusal to send a request (and its
// credentials) anywhere but the configured origin.
type ForeignOriginError struct {
	// Op says what pointed away: "request", "redirect" or "next link".
	Op string
	// Want is the configured origin, as scheme://host:port.
	Want string
	// Got is the origin that was refused, as scheme://host:port.
	Got string
}

// Error implements error.
func (e *ForeignOriginError) Error() string {
	return fmt.Sprintf("wrappers: refused %s to %s: only %s is allowed", e.Op, e.Got, e.Want)
}

// Is reports whether target is [ErrForeignOrigin].
func (e *ForeignOriginError) Is(target error) bool { return target == ErrForeignOrigin }

// PagingLoopError reports a next-page link that was already followed.
type PagingLoopError struct {
	// URL is the repeated link with its query removed.
	URL string
	// Page is the 1-based number of the page that carried the link.
	Page int
}

// Error implements error.
func (e *PagingLoopError) Error() string {
	return fmt.Sprintf("wrappers: paging loop: page %d links back to %s, which was already fetched", e.Page, e.URL)
}

// Is reports whether target is [ErrPagingLoop].
func (e *PagingLoopError) Is(target error) bool { return target == ErrPagingLoop }

// HTTPError is the error [Doer] returns for a non-2xx response when no
// DecodeError function was configured (or it returned nil).
type HTTPError struct {
	// StatusCode is the response's HTTP status code.
	StatusCode int
	// Status is the response's status line text, e.g. "502 Bad Gateway".
	Status string
	// Header is the response's header.
	Header http.Header
	// Body is the start of the response body (capped).
	Body []byte
}

// Error implements error: the status line and a short, sanitised excerpt of
// the body.
func (e *HTTPError) Error() string {
	s := "wrappers: http " + e.Status
	if e.Status == "" {
		s = fmt.Sprintf("wrappers: http %d", e.StatusCode)
	}
	if x := Excerpt(e.Body, DefaultExcerptBytes); x != "" {
		s += ": " + x
	}
	return s
}

// HTTPStatusCode implements [StatusCoder].
func (e *HTTPError) HTTPStatusCode() int { return e.StatusCode }

// DefaultExcerptBytes is the excerpt size the package uses in error messages.
const DefaultExcerptBytes = 512

// Excerpt returns at most n bytes of body as printable one-line text for an
// error message: control characters and invalid UTF-8 become spaces or U+FFFD,
// runs of whitespace collapse to one space, the result is trimmed, and "…" is
// appended when body was cut. It never splits a UTF-8 sequence. n <= 0 means
// [DefaultExcerptBytes].
func Excerpt(body []byte, n int) string {
	if n <= 0 {
		n = DefaultExcerptBytes
	}
	var b strings.Builder
	cut := false
	space := false
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && size <= 1 {
			r = utf8.RuneError
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			i += size
			if b.Len() > 0 {
				space = true
			}
			continue
		}
		add := utf8.RuneLen(r)
		if space {
			add++
		}
		if b.Len()+add > n {
			cut = true
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		i += size
	}
	if cut {
		return b.String() + "…"
	}
	return b.String()
}

// ErrNilContext is matched (errors.Is) by the error of a function of this
// package that was given a nil context.Context: it refuses instead of
// panicking.
var ErrNilContext = errors.New("nil context")

// BudgetError reports a [Doer] attempt cancelled because the call had used
// up its [RetryPolicy.MaxElapsed]. It wraps the attempt's failure, so it
// matches context.DeadlineExceeded.
type BudgetError struct {
	// Method and Path (no query) say which request.
	Method, Path string
	// MaxElapsed is the budget that ran out.
	MaxElapsed time.Duration
	// Err is the attempt's failure.
	Err error
}

// Error implements error.
func (e *BudgetError) Error() string {
	return fmt.Sprintf("wrappers: %s %s: gave up after %s (RetryPolicy.MaxElapsed): %s", e.Method, e.Path, e.MaxElapsed, Detail(e.Err))
}

// Unwrap returns the attempt's failure.
func (e *BudgetError) Unwrap() error { return e.Err }

package wrappers

import (
	"errors"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// pkgPrefix starts the message of every error this package makes.
const pkgPrefix = "wrappers: "

// contextError adds context to an error from a lower layer of this package (or
// from below it) without repeating the package prefix: the message is
// "wrappers: <context>: <Detail(err)>", never "wrappers: a: wrappers: b: …".
type contextError struct {
	context string
	err     error
}

func (e *contextError) Error() string { return pkgPrefix + e.context + ": " + Detail(e.err) }
func (e *contextError) Unwrap() error { return e.err }

// withContext wraps err (not nil) with context, as fmt.Errorf("wrappers:
// context: %w", err) would, but without stacking this package's prefix.
func withContext(context string, err error) error {
	return &contextError{context: context, err: err}
}

// Detail returns err's message for a provider's face to put after its own
// prefix and operation name ("okta: ListAuthenticators: " + Detail(err)), so
// that the whole reads as one line with one prefix:
//
//   - this package's "wrappers: " prefix is dropped;
//   - an [*AuthorizeError] gives only its cause, since the face names the
//     operation already;
//   - a transport failure (*url.Error) reads `Get "https://host/path": cause`,
//     where cause leaves out what the URL already says: the local and remote
//     addresses and the system call of a *net.OpError ("connection refused",
//     not "dial tcp 127.0.0.1:443: connect: connection refused").
//
// Only the message is shortened; the error itself, with its chain for
// errors.Is and errors.As, is the caller's to wrap. nil gives "".
func Detail(err error) string {
	if err == nil {
		return ""
	}
	var ae *AuthorizeError
	if errors.As(err, &ae) && err == error(ae) {
		return Detail(ae.Err)
	}
	var ue *url.Error
	if errors.As(err, &ue) && err == error(ue) {
		return transportDetail(ue)
	}
	return strings.TrimPrefix(err.Error(), pkgPrefix)
}

// transportDetail formats a *url.Error as its method and URL (already free of
// query and user info when it came through a Doer) and the root cause.
func transportDetail(ue *url.Error) string {
	cause := ue.Err
	var oe *net.OpError
	if errors.As(cause, &oe) && oe.Err != nil {
		cause = oe.Err
		var se *os.SyscallError
		if errors.As(cause, &se) && se.Err != nil {
			cause = se.Err
		}
	}
	msg := "<nil>"
	if cause != nil {
		msg = strings.TrimPrefix(cause.Error(), pkgPrefix)
	}
	return ue.Op + " " + strconv.Quote(ue.URL) + ": " + msg
}

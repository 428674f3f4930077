package wrappers

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// ErrInvalidBaseURL is matched (errors.Is) by every error [ParseBaseURL]
// returns.
var ErrInvalidBaseURL = errors.New("invalid base URL")

// ParseBaseURL parses and checks the base URL of an API: an absolute https
// URL, or plain http only when the host is a loopback IP literal or exactly
// "localhost" ([IsLoopbackHost]), so tests and fakes on 127.0.0.1:PORT work
// and credentials never cross a network in clear text. A port must be
// 1-65535 and is kept; user info, a query and a fragment are refused. The host is lowercased. The returned error wraps
// [ErrInvalidBaseURL] and never repeats user info.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// url.Error repeats the input, which may carry user info; don't.
		return nil, fmt.Errorf("wrappers: base URL does not parse: %w", ErrInvalidBaseURL)
	}
	if err := checkBaseURL(u); err != nil {
		return nil, err
	}
	u.Host = strings.ToLower(u.Host)
	return u, nil
}

func checkBaseURL(u *url.URL) error {
	bad := func(why string) error {
		return fmt.Errorf("wrappers: base URL %s: %w", why, ErrInvalidBaseURL)
	}
	switch {
	case u == nil:
		return bad("is missing")
	case u.User != nil:
		return bad("must not contain user info")
	case !u.IsAbs() || u.Opaque != "":
		return bad("must be absolute, like https://example.okta.com")
	case u.Hostname() == "":
		return bad("has no host")
	case u.RawQuery != "" || u.ForceQuery:
		return bad("must not have a query")
	case u.Fragment != "":
		return bad("must not have a fragment")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !IsLoopbackHost(u.Hostname()) {
			return bad(fmt.Sprintf("uses plain http to non-loopback host %q; use https", u.Hostname()))
		}
	default:
		return bad(fmt.Sprintf("has scheme %q; want https", u.Scheme))
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return bad(fmt.Sprintf("has invalid port %q (want 1-65535)", p))
		}
	}
	return nil
}

// IsLoopbackHost reports whether host (without port) is exactly the name
// "localhost" (any case) or a loopback IP literal (127.0.0.0/8, ::1). It does
// not resolve names. Subdomains of localhost ("api.localhost") and the
// absolute "localhost." are not loopback here: Go's resolver sends those to
// DNS, which may answer with any address.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Origin returns u's origin as scheme://host:port, lowercased, with the
// scheme's default port filled in. It is what [SameOrigin] compares.
func Origin(u *url.URL) string {
	if u == nil {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// SameOrigin reports whether a and b have the same scheme, host and port
// (default ports filled in), the test used before any credential is sent.
func SameOrigin(a, b *url.URL) bool {
	if a == nil || b == nil || a.Scheme == "" || b.Scheme == "" || a.Host == "" || b.Host == "" {
		return false
	}
	// The common case, compared without building strings: the same
	// scheme and host:port spelled the same way.
	if a.Scheme == b.Scheme && a.Host == b.Host {
		return true
	}
	return Origin(a) == Origin(b)
}

// checkOrigin returns a *ForeignOriginError when u is not on base's origin.
func checkOrigin(op string, base, u *url.URL) error {
	if SameOrigin(base, u) {
		return nil
	}
	got := Origin(u)
	if u == nil || u.Host == "" {
		got = "(no host)"
	}
	return &ForeignOriginError{Op: op, Want: Origin(base), Got: got}
}

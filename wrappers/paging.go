package wrappers

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// ErrMalformedLink is matched (errors.Is) by a [*LinkHeaderError].
var ErrMalformedLink = errors.New("malformed Link header")

// LinkHeaderError reports a Link header that does not follow RFC 8288, or
// that names more than one different next page.
type LinkHeaderError struct {
	// Header is an excerpt of the offending header value.
	Header string
	// Reason says what is wrong.
	Reason string
}

// Error implements error.
func (e *LinkHeaderError) Error() string {
	return fmt.Sprintf("wrappers: malformed Link header (%s): %q", e.Reason, e.Header)
}

// Is reports whether target is [ErrMalformedLink].
func (e *LinkHeaderError) Is(target error) bool { return target == ErrMalformedLink }

// ParseLinkNext returns the target of the rel="next" link in h's Link
// headers (RFC 8288: any number of headers, each with comma-separated links,
// parameters quoted or not, rel holding space-separated relation types,
// compared case-insensitively), or nil when there is none. The URL is
// returned as written, possibly relative; see [NextLink]. A malformed header,
// or two different next links, is a *LinkHeaderError.
func ParseLinkNext(h http.Header) (*url.URL, error) {
	var next string
	found := false
	for _, v := range h.Values("Link") {
		links, err := parseLinkHeader(v)
		if err != nil {
			return nil, err
		}
		for _, l := range links {
			if !l.hasRel("next") {
				continue
			}
			if found && l.target != next {
				return nil, &LinkHeaderError{Header: Excerpt([]byte(v), 200), Reason: "more than one next link"}
			}
			next, found = l.target, true
		}
	}
	if !found {
		return nil, nil
	}
	u, err := url.Parse(next)
	if err != nil {
		return nil, &LinkHeaderError{Header: Excerpt([]byte(next), 200), Reason: "next link is not a URL"}
	}
	return u, nil
}

// NextLink is [ParseLinkNext] on resp's headers, with a relative link
// resolved against the URL that was requested.
func NextLink(resp *http.Response) (*url.URL, error) {
	u, err := ParseLinkNext(resp.Header)
	if err != nil || u == nil {
		return u, err
	}
	if resp.Request != nil && resp.Request.URL != nil {
		u = resp.Request.URL.ResolveReference(u)
	}
	return u, nil
}

type link struct {
	target string
	rel    string
}

func (l link) hasRel(rel string) bool {
	for _, r := range strings.Fields(l.rel) {
		if strings.EqualFold(r, rel) {
			return true
		}
	}
	return false
}

// parseLinkHeader parses one Link header value. It is hand-written because
// the Go Link-header libraries are lenient by design (they skip what they
// cannot read), and a paging cursor that is silently dropped would end a list
// early without an error.
func parseLinkHeader(v string) ([]link, error) {
	bad := func(reason string) error {
		return &LinkHeaderError{Header: Excerpt([]byte(v), 200), Reason: reason}
	}
	var links []link
	i := 0
	skipOWS := func() {
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
	}
	token := func() string {
		start := i
		for i < len(v) && isTokenChar(v[i]) {
			i++
		}
		return v[start:i]
	}
	for {
		// Empty list elements are allowed (RFC 9110 section 5.6.1).
		for i < len(v) && (v[i] == ' ' || v[i] == '\t' || v[i] == ',') {
			i++
		}
		if i >= len(v) {
			return links, nil
		}
		if v[i] != '<' {
			return nil, bad("link does not start with '<'")
		}
		end := strings.IndexByte(v[i:], '>')
		if end < 0 {
			return nil, bad("unterminated '<'")
		}
		l := link{target: strings.TrimSpace(v[i+1 : i+end])}
		i += end + 1
		relSeen := false
		for {
			skipOWS()
			if i >= len(v) || v[i] == ',' {
				break
			}
			if v[i] != ';' {
				return nil, bad("expected ';' or ',' after a link")
			}
			i++
			skipOWS()
			name := token()
			if name == "" {
				return nil, bad("empty parameter name")
			}
			skipOWS()
			var value string
			if i < len(v) && v[i] == '=' {
				i++
				skipOWS()
				if i < len(v) && v[i] == '"' {
					var b strings.Builder
					i++
					closed := false
					for i < len(v) {
						c := v[i]
						if c == '\\' && i+1 < len(v) {
							b.WriteByte(v[i+1])
							i += 2
							continue
						}
						i++
						if c == '"' {
							closed = true
							break
						}
						b.WriteByte(c)
					}
					if !closed {
						return nil, bad("unterminated quoted string")
					}
					value = b.String()
				} else {
					value = token()
					if value == "" {
						return nil, bad("empty parameter value")
					}
				}
			}
			// Only the first rel parameter counts (RFC 8288 section 3.3).
			if strings.EqualFold(name, "rel") && !relSeen {
				l.rel, relSeen = value, true
			}
		}
		links = append(links, l)
	}
}

func isTokenChar(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// Page is one page of a listing: its items, the URL of the following page
// (nil on the last page) and, optionally, the URL the page itself came from.
type Page[T any] struct {
	Items []T
	Next  *url.URL
	// URL, if set, is the URL this page was fetched from (for Okta,
	// resp.Request.URL). Paginate counts it as followed, so that a first
	// page that links to itself is reported as a *PagingLoopError at once
	// instead of being fetched, and its items yielded, a second time; and it
	// resolves a relative Next against it.
	URL *url.URL
}

// PageFunc fetches one page. next is nil for the first page (the face builds
// that request itself) and otherwise the URL from the previous page's Next.
// A cursor API that is not link-based puts its cursor into Next as the URL
// of the following request on its own origin.
type PageFunc[T any] func(ctx context.Context, next *url.URL) (Page[T], error)

// Paginate returns an iterator over every item of every page, fetching pages
// lazily with fetch. It stops after the last page; when the consumer stops;
// at the first error (yielded once with the zero T), including a done
// context; at a next link off origin's scheme, host and port (a
// *ForeignOriginError; nothing is sent there); and at a next link that was
// already followed, or that names the page's own [Page.URL] (a
// *PagingLoopError). A relative next link is resolved against the page's
// URL: Page.URL when set, else the link that was followed (origin for the
// first page). A nil ctx yields one error matching [ErrNilContext], and
// nothing is fetched.
func Paginate[T any](ctx context.Context, origin *url.URL, fetch PageFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if ctx == nil {
			yield(zero, fmt.Errorf("wrappers: Paginate: %w", ErrNilContext))
			return
		}
		seen := make(map[string]bool)
		var next *url.URL
		for page := 1; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			p, err := fetch(ctx, next)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range p.Items {
				if !yield(item, nil) {
					return
				}
			}
			if p.Next == nil {
				return
			}
			ref := origin
			if next != nil {
				ref = next
			}
			if p.URL != nil {
				if ref != nil {
					ref = ref.ResolveReference(p.URL)
				} else {
					ref = p.URL
				}
				self := *ref
				self.Fragment, self.RawFragment = "", ""
				seen[self.String()] = true
			}
			n := p.Next
			if ref != nil {
				n = ref.ResolveReference(p.Next)
			}
			if err := checkOrigin("next link", origin, n); err != nil {
				yield(zero, err)
				return
			}
			key := *n
			key.Fragment, key.RawFragment = "", ""
			if seen[key.String()] {
				key.RawQuery = ""
				yield(zero, &PagingLoopError{URL: key.String(), Page: page})
				return
			}
			seen[key.String()] = true
			next = n
		}
	}
}

// CollectAll drains seq into a slice. On an error it returns the items read
// before it together with the error, so that nothing read is lost; callers
// that want all-or-nothing should ignore the slice when the error is not nil.
func CollectAll[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for item, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, item)
	}
	return out, nil
}

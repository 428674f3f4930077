package oktaclient

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"reflect"

	"github.com/mfakit/mfakit/wrappers"
)

// This file holds how operations are sent and their answers decoded: single
// results, bodiless answers, and lists that may span pages.

type httpRequest = http.Request

const jsonContentType = "application/json"

// callDecode builds a request with build, sends it and decodes the 2xx body
// with decode. A body that does not decode is a *DecodeError; the result is
// never half-filled.
func callDecode[T any](ctx context.Context, c *Client, op string, build func() (*http.Request, error), decode func([]byte) (T, error)) (T, error) {
	var zero T
	if err := checkCtx(op, ctx); err != nil {
		return zero, err
	}
	req, err := build()
	if err != nil {
		return zero, buildFailure(op, err)
	}
	resp, body, err := c.send(ctx, req)
	if err != nil {
		return zero, sendFailure(op, err)
	}
	v, err := decode(body)
	if err != nil {
		return zero, decodeFailure(op, resp, err)
	}
	return v, nil
}

// callNoContent builds a request with build and sends it, for operations
// whose answer has no body (204).
func callNoContent(ctx context.Context, c *Client, op string, build func() (*http.Request, error)) error {
	if err := checkCtx(op, ctx); err != nil {
		return err
	}
	req, err := build()
	if err != nil {
		return buildFailure(op, err)
	}
	if _, _, err = c.send(ctx, req); err != nil {
		return sendFailure(op, err)
	}
	return nil
}

// lister describes a list operation: its name, how to build the request for
// the first page, and how to decode one page's body.
type lister[T any] struct {
	op     string
	first  func() (*http.Request, error)
	decode func([]byte) ([]T, error)
}

// fetch returns one page: the first when next is nil, else the page at next
// (which wrappers.Paginate has already checked is on the org's origin).
func (l lister[T]) fetch(c *Client) wrappers.PageFunc[T] {
	return func(ctx context.Context, next *url.URL) (wrappers.Page[T], error) {
		var req *http.Request
		var err error
		if next == nil {
			req, err = l.first()
		} else {
			req, err = http.NewRequest(http.MethodGet, next.String(), nil)
		}
		if err != nil {
			return wrappers.Page[T]{}, buildFailure(l.op, err)
		}
		resp, body, err := c.send(ctx, req)
		if err != nil {
			return wrappers.Page[T]{}, sendFailure(l.op, err)
		}
		items, err := l.decode(body)
		if err != nil {
			return wrappers.Page[T]{}, decodeFailure(l.op, resp, err)
		}
		nextURL, err := wrappers.NextLink(resp)
		if err != nil {
			return wrappers.Page[T]{}, sendFailure(l.op, err)
		}
		// URL lets Paginate catch a page whose next link points back at itself.
		return wrappers.Page[T]{Items: items, Next: nextURL, URL: req.URL}, nil
	}
}

// iterate returns the items of every page as an iterator that fetches pages
// lazily, never follows a next link off the org's origin, and stops at the
// first error (yielded once with a zero item), including a repeated link.
func iterate[T any](ctx context.Context, c *Client, l lister[T]) iter.Seq2[T, error] {
	if err := checkCtx(l.op, ctx); err != nil {
		return failed[T](err)
	}
	seq := wrappers.Paginate(ctx, c.base, l.fetch(c))
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			if !yield(v, sendFailure(l.op, err)) {
				return
			}
		}
	}
}

// collect returns the items of every page, or nil and the first error. A
// single page's slice is returned as decoded, without copying.
func collect[T any](ctx context.Context, c *Client, l lister[T]) ([]T, error) {
	if err := checkCtx(l.op, ctx); err != nil {
		return nil, err
	}
	var pages [][]T
	fetch := l.fetch(c)
	// Paginate checks every next link (origin, loops); the pages are kept
	// here rather than yielded item by item.
	seq := wrappers.Paginate(ctx, c.base, func(ctx context.Context, next *url.URL) (wrappers.Page[T], error) {
		p, err := fetch(ctx, next)
		if err == nil {
			pages = append(pages, p.Items)
		}
		return wrappers.Page[T]{Next: p.Next, URL: p.URL}, err
	})
	for _, err := range seq {
		if err != nil {
			return nil, sendFailure(l.op, err)
		}
	}
	switch len(pages) {
	case 0:
		return []T{}, nil
	case 1:
		return pages[0], nil
	}
	n := 0
	for _, p := range pages {
		n += len(p)
	}
	out := make([]T, 0, n)
	for _, p := range pages {
		out = append(out, p...)
	}
	return out, nil
}

// checkCtx refuses a nil context, which net/http would panic on, with an
// error matching [ErrInvalidArgument].
func checkCtx(op string, ctx context.Context) error {
	if ctx == nil {
		return fmt.Errorf("oktaclient: %s: nil context (use context.Background()): %w", op, ErrInvalidArgument)
	}
	return nil
}

// buildFailure wraps an error from a generated request builder.
func buildFailure(op string, err error) error {
	return &buildError{op: op, err: err}
}

type buildError struct {
	op  string
	err error
}

func (e *buildError) Error() string {
	return "oktaclient: " + e.op + ": building the request: " + e.err.Error()
}
func (e *buildError) Unwrap() []error { return []error{e.err, ErrInvalidArgument} }

// isNil reports whether v is nil or holds a nil pointer.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

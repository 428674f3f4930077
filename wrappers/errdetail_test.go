package wrappers

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestDetail(t *testing.T) {
	t.Parallel()
	refused := &url.Error{Op: "Get", URL: "https://example.okta.com/api/v1/users", Err: &net.OpError{
		Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 443},
		Err: os.NewSyscallError("connect", syscall.ECONNREFUSED),
	}}
	dns := &url.Error{Op: "Post", URL: "https://nosuch.example/token", Err: &net.OpError{
		Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "nosuch.example", IsNotFound: true},
	}}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"foreign error", errors.New("boom"), "boom"},
		{"own prefix dropped", errors.New("wrappers: paging loop"), "paging loop"},
		{"connection refused", refused, `Get "https://example.okta.com/api/v1/users": connection refused`},
		{"dns keeps the lookup", dns, `Post "https://nosuch.example/token": lookup nosuch.example: no such host`},
		{"timeout", &url.Error{Op: "Get", URL: "https://h/p", Err: context.DeadlineExceeded}, `Get "https://h/p": context deadline exceeded`},
		{"authorize error gives its cause", &AuthorizeError{Method: "GET", Path: "/p", Err: withContext("getting an access token", refused)},
			`getting an access token: Get "https://example.okta.com/api/v1/users": connection refused`},
		{"wrapped url error is not reformatted", fmt.Errorf("outer: %w", refused), "outer: " + refused.Error()},
	}
	for _, tt := range tests {
		if got := Detail(tt.err); got != tt.want {
			t.Errorf("%s: Detail = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestErrorLayersDoNotStack: an error that passes through the Doer, the
// token source authorizer, the cache and a token source names this package
// once, and keeps its causes for errors.Is and errors.As.
func TestErrorLayersDoNotStack(t *testing.T) {
	t.Parallel()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	down := closed.URL
	closed.Close()
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"invalid_client","error_description":"The client_assertion signature is invalid."}`)
	}))
	t.Cleanup(refusing.Close)

	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name     string
		tokenURL string
		ctx      context.Context
		want     string
		is       error
		as       any
	}{
		{"token endpoint unreachable", down + "/token", t.Context(),
			`wrappers: authorizing GET /api: getting an access token: Post "` + down + `/token": connection refused`,
			syscall.ECONNREFUSED, new(*url.Error)},
		{"token refused", refusing.URL + "/token", t.Context(),
			`wrappers: authorizing GET /api: token endpoint refused: 401 invalid_client: The client_assertion signature is invalid.`,
			nil, new(*TokenError)},
		{"context cancelled", refusing.URL + "/token", cancelled,
			`wrappers: authorizing GET /api: getting an access token: context canceled`,
			context.Canceled, new(*AuthorizeError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := PrivateKeyJWTTokenSource(t.Context(), tt.tokenURL, "0oa1", key, "", nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			base, _ := url.Parse(down)
			d, err := NewDoer(DoerConfig{
				BaseURL: base,
				Auth:    TokenSourceAuth(NewCachingTokenSource(src, time.Minute)),
				Retry:   RetryPolicy{MaxAttempts: 1},
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(d.CloseIdleConnections)
			req, _ := http.NewRequestWithContext(tt.ctx, http.MethodGet, down+"/api", nil)
			_, err = d.Do(req)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("message\n got %s\nwant %s", got, tt.want)
			}
			if n := strings.Count(err.Error(), "wrappers:"); n != 1 {
				t.Errorf("%d wrappers: prefixes in %q", n, err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false", tt.is)
			}
			if !errors.As(err, tt.as) {
				t.Errorf("errors.As(err, %T) = false", tt.as)
			}
		})
	}
}

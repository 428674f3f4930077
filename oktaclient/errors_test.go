package oktaclient

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mfakit/mfakit/oktaclient/oktatest"
	"github.com/mfakit/mfakit/wrappers"
)

func TestErrorFromOktaBody(t *testing.T) {
	t.Parallel()
	c, _, _ := serve(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("X-Okta-Request-Id", "reqXYZ")
		w.Header().Set("X-Rate-Limit-Limit", "600")
		w.Header().Set("X-Rate-Limit-Remaining", "599")
		w.Header().Set("X-Rate-Limit-Reset", "1700000060")
		w.Header().Set("Date", time.Unix(1700000000, 0).UTC().Format(http.TimeFormat))
		jsonAnswer(404, `{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: xyz (Authenticator)","errorLink":"E0000007","errorId":"oaeABC","errorCauses":[{"errorSummary":"first"},{"errorSummary":"second"}]}`)(w, r, nil)
	})
	_, err := c.GetAuthenticator(t.Context(), "xyz")
	var oe *Error
	if !errors.As(err, &oe) {
		t.Fatalf("err = %T %v, want *Error", err, err)
	}
	want := "okta: 404 E0000007 Not found: Resource not found: xyz (Authenticator): first; second (request id reqXYZ)"
	if oe.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", oe.Error(), want)
	}
	if oe.Status != 404 || oe.ErrorLink != "E0000007" || oe.ErrorID != "oaeABC" || len(oe.ErrorCauses) != 2 || oe.RequestID != "reqXYZ" ||
		oe.Method != "GET" || oe.Path != "/api/v1/authenticators/xyz" {
		t.Errorf("fields: %+v", oe)
	}
	if oe.RateLimit.Limit != 600 || oe.RateLimit.Remaining != 599 || oe.RetryAfter != time.Minute {
		t.Errorf("rate limit %+v, retry after %v", oe.RateLimit, oe.RetryAfter)
	}
	if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrServer) || wrappers.StatusCode(err) != 404 {
		t.Errorf("Is/StatusCode wrong for %v", err)
	}
}

func TestErrorSentinels(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		want   error
	}{
		{400, ErrBadRequest}, {401, ErrUnauthorized}, {403, ErrForbidden}, {404, ErrNotFound},
		{409, ErrConflict}, {429, ErrRateLimited}, {500, ErrServer}, {503, ErrServer},
	}
	all := []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited, ErrServer}
	for _, tc := range cases {
		e := &Error{Status: tc.status}
		for _, s := range all {
			if got := errors.Is(e, s); got != (s == tc.want) {
				t.Errorf("%d Is(%v) = %v", tc.status, s, got)
			}
		}
		if wrapped := fmt.Errorf("ctx: %w", e); !errors.Is(wrapped, tc.want) {
			t.Errorf("wrapped %d does not match", tc.status)
		}
	}
}

// TestErrorFromNonJSONBodies: HTML, garbage, truncated and empty bodies all
// give an *Error with the status and a capped excerpt.
func TestErrorFromNonJSONBodies(t *testing.T) {
	t.Parallel()
	huge := "<html>" + strings.Repeat("x", 100000) + "</html>"
	cases := []struct {
		name, body string
		status     int
		want       string
	}{
		{"html 502", "<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1></body></html>", 502, "okta: 502 Bad Gateway: <html><head><title>502 Bad Gateway</title></head> <body><h1>Bad Gateway</h1></body></html>"},
		{"truncated json", `{"errorCode":"E0000007","errorSum`, 404, `okta: 404 Not Found: {"errorCode":"E0000007","errorSum`},
		{"garbage", "\x00\x01binary\xff", 500, "okta: 500 Internal Server Error: binary\ufffd"},
		{"empty", "", 400, "okta: 400 Bad Request"},
		{"oauth error", `{"error":"invalid_token","error_description":"The token is not valid."}`, 401, "okta: 401 invalid_token The token is not valid."},
		{"huge", huge, 400, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := serve(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}, WithRetry(RetryPolicy{MaxAttempts: 1}))
			list, err := c.ListAuthenticators(t.Context())
			var oe *Error
			if list != nil || !errors.As(err, &oe) {
				t.Fatalf("got %v, %T %v; want nil and *Error", list, err, err)
			}
			if oe.Status != tc.status {
				t.Errorf("Status = %d", oe.Status)
			}
			if tc.want != "" && oe.Error() != tc.want {
				t.Errorf("Error() = %q\nwant      %q", oe.Error(), tc.want)
			}
			if len(oe.Error()) > 700 {
				t.Errorf("Error() is %d bytes; the excerpt is not capped", len(oe.Error()))
			}
		})
	}
}

// Test429WaitsForReset: a 429 is retried after the reset the headers name,
// measured against the server's Date header (not the local clock).
func Test429WaitsForReset(t *testing.T) {
	t.Parallel()
	serverNow := time.Unix(1700000000, 0)
	var calls atomic.Int32
	answer := func(w http.ResponseWriter, r *http.Request, body []byte) {
		if calls.Add(1) == 1 {
			w.Header().Set("Date", serverNow.UTC().Format(http.TimeFormat))
			w.Header().Set("X-Rate-Limit-Limit", "100")
			w.Header().Set("X-Rate-Limit-Remaining", "0")
			w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(serverNow.Unix()+7, 10))
			jsonAnswer(429, `{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}`)(w, r, body)
			return
		}
		jsonAnswer(200, `[]`)(w, r, body)
	}
	// The local clock is an hour off: only the Date header gives 7 s.
	skewed := func() time.Time { return serverNow.Add(time.Hour) }
	c, rc, sl := serve(t, answer, withClock(skewed))
	// POST is retried on 429 too (the server did not process it).
	if _, err := c.ActivateAuthenticator(t.Context(), "aut1"); err == nil {
		t.Log("decoded [] as an authenticator?")
	}
	if n := len(rc.requests()); n != 2 {
		t.Fatalf("server saw %d requests, want 2", n)
	}
	if got := sl.all(); len(got) != 1 || got[0] != 7*time.Second {
		t.Errorf("waits = %v, want [7s]", got)
	}

	// Without a Date header, the local clock is used.
	calls.Store(0)
	local := time.Unix(1700000000, 0)
	c2, _, sl2 := serve(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if calls.Add(1) == 1 {
			w.Header()["Date"] = nil // suppress the server's own Date
			w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(local.Unix()+3, 10))
			jsonAnswer(429, `{}`)(w, r, body)
			return
		}
		jsonAnswer(200, `[]`)(w, r, body)
	}, withClock(func() time.Time { return local }))
	if _, err := c2.ListAuthenticators(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := sl2.all(); len(got) != 1 || got[0] != 3*time.Second {
		t.Errorf("waits without Date = %v, want [3s]", got)
	}
}

// Test429ExhaustedAndCancelled: retries are bounded and end with the last
// *Error; a cancelled context stops a wait at once.
func Test429ExhaustedAndCancelled(t *testing.T) {
	t.Parallel()
	always429 := func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(time.Now().Unix()+1, 10))
		w.Header().Set("X-Okta-Request-Id", "rl")
		jsonAnswer(429, `{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}`)(w, r, body)
	}
	c, rc, _ := serve(t, always429, WithRetry(RetryPolicy{MaxAttempts: 3}))
	_, err := c.ListFactors(t.Context(), "00u1")
	var oe *Error
	if !errors.As(err, &oe) || !errors.Is(err, ErrRateLimited) || oe.RequestID != "rl" {
		t.Fatalf("err = %v, want the 429 *Error", err)
	}
	if n := len(rc.requests()); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}

	// With the real timer: cancel during the wait.
	rc2 := &recorder{answer: always429}
	srv := newServer(t, rc2)
	c2, err := New(srv.URL, WithAPIToken(testToken))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = c2.ListAuthenticators(ctx)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrRateLimited) {
		t.Errorf("err = %v, want context.Canceled and the 429", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancel took %v", d)
	}
	if n := len(rc2.requests()); n != 1 {
		t.Errorf("server saw %d requests after cancel, want 1", n)
	}
}

// Test5xxRetriedOnlyWhenIdempotent: a 503 is retried for GET and PUT, not
// for a lifecycle POST.
func Test5xxRetriedOnlyWhenIdempotent(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c, rc, sl := serve(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if calls.Add(1)%2 == 1 {
			w.WriteHeader(503)
			io.WriteString(w, "<html>Service Unavailable</html>")
			return
		}
		jsonAnswer(200, authenticatorFixtures[KeyOktaVerify])(w, r, body)
	})
	if _, err := c.GetAuthenticator(t.Context(), "aut1"); err != nil {
		t.Fatalf("GET: %v", err)
	}
	if n := len(rc.requests()); n != 2 || len(sl.all()) != 1 {
		t.Errorf("GET: %d requests, %d waits; want 2, 1", n, len(sl.all()))
	}
	calls.Store(0)
	_, err := c.ActivateAuthenticator(t.Context(), "aut1")
	if !errors.Is(err, ErrServer) || wrappers.StatusCode(err) != 503 {
		t.Errorf("POST: err = %v, want the 503", err)
	}
	if n := len(rc.requests()); n != 3 {
		t.Errorf("POST was retried: %d requests in all, want 3", n)
	}
	calls.Store(0)
	a, _ := UnmarshalAuthenticator([]byte(authenticatorFixtures[KeyOktaVerify]))
	if _, err := c.ReplaceAuthenticator(t.Context(), "aut1", a); err != nil {
		t.Fatalf("PUT: %v", err)
	}
	reqs := rc.requests()
	if len(reqs) != 5 || string(reqs[3].Body) != string(reqs[4].Body) || len(reqs[4].Body) == 0 {
		t.Errorf("PUT retry did not resend the same body")
	}
}

func TestBodyTooLarge(t *testing.T) {
	t.Parallel()
	c, _, _ := serve(t, jsonAnswer(200, jsonArray(strings.Repeat(authenticatorFixtures[KeyOktaVerify]+",", 50)+authenticatorFixtures[KeyDuo])), WithMaxBodyBytes(4096))
	_, err := c.ListAuthenticators(t.Context())
	if !errors.Is(err, wrappers.ErrBodyTooLarge) {
		t.Errorf("err = %v, want ErrBodyTooLarge", err)
	}
}

// TestTransportErrorMessage pins the shape of a failure that is not Okta's
// answer: one line, one "okta:" prefix, the operation, the method and URL, and
// the root cause; no "wrappers:" layers, no credential; and the causes still
// reachable with errors.Is and errors.As.
func TestTransportErrorMessage(t *testing.T) {
	t.Parallel()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	down := closed.URL
	closed.Close()
	fake := oktatest.NewServer(oktatest.WithT(t), oktatest.WithServiceApp("0oaSvc", &key.PublicKey, "okta.authenticators.read"))
	const apiToken = "00secret-api-token-value"
	noRetry := WithRetry(RetryPolicy{MaxAttempts: 1})
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()

	tests := []struct {
		name string
		org  string
		cred Option
		ctx  context.Context
		call func(ctx context.Context, c *Client) error
		want string
		is   error
		as   any
	}{
		{
			name: "API unreachable", org: down, cred: WithAPIToken(apiToken), ctx: t.Context(),
			call: func(ctx context.Context, c *Client) error { _, err := c.ListAuthenticators(ctx); return err },
			want: `okta: ListAuthenticators: Get "` + down + `/api/v1/authenticators": connection refused`,
			is:   syscall.ECONNREFUSED, as: new(*net.OpError),
		},
		{
			name: "single resource", org: down, cred: WithAPIToken(apiToken), ctx: t.Context(),
			call: func(ctx context.Context, c *Client) error { _, err := c.GetAuthenticator(ctx, "aut1"); return err },
			want: `okta: GetAuthenticator: Get "` + down + `/api/v1/authenticators/aut1": connection refused`,
			is:   syscall.ECONNREFUSED, as: new(*url.Error),
		},
		{
			name: "token endpoint unreachable", org: down, cred: WithPrivateKeyJWT("0oaSvc", key, "kid"), ctx: t.Context(),
			call: func(ctx context.Context, c *Client) error { _, err := c.ListAuthenticators(ctx); return err },
			want: `okta: ListAuthenticators: getting an access token: Post "` + down + `/oauth2/v1/token": connection refused`,
			is:   syscall.ECONNREFUSED, as: new(*wrappers.AuthorizeError),
		},
		{
			name: "token refused", org: fake.URL, cred: WithPrivateKeyJWT("0oaSvc", other, ""), ctx: t.Context(),
			call: func(ctx context.Context, c *Client) error { _, err := c.ListAuthenticators(ctx); return err },
			want: `okta: ListAuthenticators: token endpoint refused: 401 invalid_client: The client_assertion signature is invalid.`,
			as:   new(*wrappers.TokenError),
		},
		{
			name: "context cancelled", org: fake.URL, cred: WithAPIToken(fake.APIToken()), ctx: cancelled,
			call: func(ctx context.Context, c *Client) error { _, err := c.ListAuthenticators(ctx); return err },
			want: `okta: ListAuthenticators: context canceled`,
			is:   context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.org, tt.cred, noRetry)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(c.CloseIdleConnections)
			err = tt.call(tt.ctx, c)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if msg != tt.want {
				t.Errorf("message\n got %s\nwant %s", msg, tt.want)
			}
			if strings.Count(msg, "okta:") != 1 || strings.Contains(msg, "wrappers") || strings.Contains(msg, "oktaclient") ||
				strings.Contains(msg, "\n") || strings.Contains(msg, apiToken) || strings.Contains(msg, "eyJ") {
				t.Errorf("message %q: want one line, one prefix, no layers, no credential", msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false for %v", tt.is, err)
			}
			if tt.as != nil && !errors.As(err, tt.as) {
				t.Errorf("errors.As(err, %T) = false for %v", tt.as, err)
			}
			var oe *Error
			if errors.As(err, &oe) {
				t.Errorf("errors.As(err, *Error) = true for a failure that is not Okta's answer")
			}
		})
	}
}

package oneloginclient

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	testClientID     = "test-client-id"
	testClientSecret = "s3cr3t-CLIENT-secret-value"
	testTokenPrefix  = "AT-very-secret-access-token-"
)

// fakeSleep records the waits the client asks for and returns at once. If
// onSleep is set it runs after each recorded wait (with its 1-based number).
type fakeSleep struct {
	mu      sync.Mutex
	waits   []time.Duration
	onSleep func(n int)
}

func (f *fakeSleep) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	f.waits = append(f.waits, d)
	n := len(f.waits)
	hook := f.onSleep
	f.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	return ctx.Err()
}

func (f *fakeSleep) Waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// recorded is one request the stub received.
type recorded struct {
	Method, Path, Query, Auth, ContentType string
	Body                                   string
}

// stub is a loopback OneLogin stand-in for precise wire-format cases: it
// serves the token endpoint itself (access tokens testTokenPrefix+N, one per
// fetch) and hands every v1 request to v1. It records every request.
type stub struct {
	*httptest.Server
	t          *testing.T
	tokenCalls atomic.Int32
	// tokenReply, if set, answers the token endpoint instead of the default.
	tokenReply func(n int, w http.ResponseWriter, r *http.Request)
	// valid, if set, says whether a bearer token is still accepted; a v1
	// request with a refused token gets the wrapped 401.
	valid func(token string) bool
	v1    http.HandlerFunc

	mu   sync.Mutex
	reqs []recorded
}

func newStub(t *testing.T, v1 http.HandlerFunc) *stub {
	t.Helper()
	s := &stub{t: t, v1: v1}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *stub) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	s.mu.Lock()
	s.reqs = append(s.reqs, recorded{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization"),
		ContentType: r.Header.Get("Content-Type"), Body: string(body),
	})
	s.mu.Unlock()
	if strings.HasSuffix(r.URL.Path, TokenPath) {
		n := int(s.tokenCalls.Add(1))
		if s.tokenReply != nil {
			s.tokenReply(n, w, r)
			return
		}
		// The client sends its credentials in the form body.
		if r.Method != http.MethodPost || r.PostFormValue("client_id") != testClientID || r.PostFormValue("client_secret") != testClientSecret {
			writeJSON(w, http.StatusUnauthorized, `{"statusCode":401,"name":"InvalidCredentials","message":"Authentication Failure"}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"access_token":"`+testTokenPrefix+strconv.Itoa(n)+`","created_at":"2015-11-11T03:36:18.714Z","expires_in":36000,"refresh_token":"RT-secret-refresh","token_type":"bearer","account_id":555555}`)
		return
	}
	if s.valid != nil {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !s.valid(tok) {
			writeJSON(w, http.StatusUnauthorized, `{"status":{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure"}}`)
			return
		}
	}
	s.v1(w, r)
}

// Requests returns the v1 requests received (token requests excluded).
func (s *stub) Requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []recorded
	for _, r := range s.reqs {
		if !strings.HasSuffix(r.Path, TokenPath) {
			out = append(out, r)
		}
	}
	return out
}

// TokenRequests returns the token endpoint requests received.
func (s *stub) TokenRequests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []recorded
	for _, r := range s.reqs {
		if strings.HasSuffix(r.Path, TokenPath) {
			out = append(out, r)
		}
	}
	return out
}

// client returns a client for the stub with test credentials and a fake
// sleep; extra options are applied after.
func (s *stub) client(t *testing.T, extra ...Option) (*Client, *fakeSleep) {
	t.Helper()
	fs := &fakeSleep{}
	opts := append([]Option{
		WithClientCredentials(testClientID, testClientSecret),
		WithHTTPClient(s.Server.Client()),
		withSleep(fs.Sleep),
	}, extra...)
	c, err := New(s.URL, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c, fs
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// okEnvelope wraps data in a success envelope.
func okEnvelope(data string) string {
	s := `{"status":{"error":false,"code":200,"type":"success","message":"Success"}`
	if data != "" {
		s += `,"data":` + data
	}
	return s + "}"
}

// testClock is a settable clock, safe for concurrent use.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func (c *testClock) get() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

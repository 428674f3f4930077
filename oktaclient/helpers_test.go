package oktaclient

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

const testToken = "00TESTtoken-do-not-leak-9f8e7d"

// withClock and withSleep inject the clock and the retry wait (test hooks).
func withClock(now func() time.Time) Option {
	return func(c *config) error { c.now = now; return nil }
}

func withSleep(sleep func(context.Context, time.Duration) error) Option {
	return func(c *config) error { c.sleep = sleep; return nil }
}

// sleeps records the retry waits of a client and returns at once (or with
// the context's error).
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// recorded is one request a test server saw.
type recorded struct {
	Method     string
	RequestURI string
	Path       string // escaped path
	Query      string
	Header     http.Header
	Body       []byte
}

// recorder is an http.Handler that records requests and answers with a
// function of them.
type recorder struct {
	mu     sync.Mutex
	reqs   []recorded
	answer func(w http.ResponseWriter, r *http.Request, body []byte)
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, recorded{
		Method: r.Method, RequestURI: r.RequestURI, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body,
	})
	rc.mu.Unlock()
	rc.answer(w, r, body)
}

func (rc *recorder) requests() []recorded {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]recorded(nil), rc.reqs...)
}

func (rc *recorder) last(t *testing.T) recorded {
	t.Helper()
	reqs := rc.requests()
	if len(reqs) == 0 {
		t.Fatal("server saw no request")
	}
	return reqs[len(reqs)-1]
}

// serve starts a loopback server answering with answer and returns a client
// for it (API token, retry waits recorded instead of slept) and the
// recorder.
func serve(t *testing.T, answer func(w http.ResponseWriter, r *http.Request, body []byte), opts ...Option) (*Client, *recorder, *sleeps) {
	t.Helper()
	rc := &recorder{answer: answer}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	sl := &sleeps{}
	// The API token is added unless opts bring their own credential.
	var probe config
	for _, o := range opts {
		_ = o(&probe)
	}
	all := []Option{withSleep(sl.sleep)}
	if len(probe.creds) == 0 {
		all = append(all, WithAPIToken(testToken))
	}
	all = append(all, opts...)
	c, err := New(srv.URL, all...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c, rc, sl
}

// jsonAnswer answers every request with status and body.
func jsonAnswer(status int, body string) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// jsonEqual compares two JSON documents semantically.
func jsonEqual(t *testing.T, got, want []byte) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("want is not JSON: %v\n%s", err, want)
	}
	return reflect.DeepEqual(g, w)
}

func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("compact: %v", err)
	}
	return b.String()
}

// jsonArray joins JSON documents into an array.
func jsonArray(items ...string) string { return "[" + strings.Join(items, ",") + "]" }

func urlUnescape(s string) (string, error) { return url.QueryUnescape(s) }

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

package wrappers

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeSleep records the waits a Doer asks for and returns at once.
type fakeSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleep) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits = append(f.waits, d)
	return nil
}

func (f *fakeSleep) Waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// apiError stands in for a face's typed error.
type apiError struct {
	Status int
	Body   string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("api: %d: %s", e.Status, Excerpt([]byte(e.Body), 80))
}
func (e *apiError) HTTPStatusCode() int { return e.Status }

func decodeAPIError(resp *http.Response, body []byte) error {
	return &apiError{Status: resp.StatusCode, Body: string(body)}
}

// server starts an httptest server (closed at cleanup) that counts hits.
type server struct {
	*httptest.Server
	hits atomic.Int32
}

func newServer(t *testing.T, h http.HandlerFunc) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func newTLSServer(t *testing.T, h http.HandlerFunc) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) Hits() int { return int(s.hits.Load()) }

func (s *server) BaseURL(t *testing.T) *url.URL {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// newTestDoer makes a Doer for s with a fake sleep and fast retries; mod
// adjusts the config.
func newTestDoer(t *testing.T, s *server, mod func(*DoerConfig)) (*Doer, *fakeSleep) {
	t.Helper()
	fs := &fakeSleep{}
	cfg := DoerConfig{
		BaseURL:     s.BaseURL(t),
		HTTPClient:  s.Client(),
		DecodeError: decodeAPIError,
		Retry:       RetryPolicy{MaxAttempts: 3, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second},
		Sleep:       fs.Sleep,
	}
	if mod != nil {
		mod(&cfg)
	}
	d, err := NewDoer(cfg)
	if err != nil {
		t.Fatalf("NewDoer: %v", err)
	}
	t.Cleanup(d.CloseIdleConnections)
	return d, fs
}

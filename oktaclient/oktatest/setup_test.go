package oktatest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	okta "github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

// newFake starts a fake tied to t and a generated client that sends its API token.
func newFake(t *testing.T, opts ...oktatest.Option) (*oktatest.Server, *okta.ClientWithResponses) {
	t.Helper()
	srv := oktatest.NewServer(append([]oktatest.Option{oktatest.WithT(t)}, opts...)...)
	c, err := okta.NewClientWithResponses(srv.URL, okta.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// clientWith returns a generated client for srv that sends the Authorization header auth
// (none when empty).
func clientWith(t *testing.T, srv *oktatest.Server, auth string) *okta.ClientWithResponses {
	t.Helper()
	c, err := okta.NewClientWithResponses(srv.URL, okta.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clock is a settable time source for WithClock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, time.June, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// recordingTB stands in for a test under WithT, collecting what the fake reports.
type recordingTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Error(args ...any) { r.Errorf("%s", fmt.Sprint(args...)) }

func (r *recordingTB) reports() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

// status fails the test unless resp has status want, showing the body.
func wantStatus(t *testing.T, what string, got *http.Response, body []byte, want int) {
	t.Helper()
	if got.StatusCode != want {
		t.Fatalf("%s: HTTP %d, want %d; body: %s", what, got.StatusCode, want, strings.TrimSpace(string(body)))
	}
}

func ptr[T any](v T) *T { return &v }

// errorBody asserts an Okta error body with code and returns its summary and causes.
func wantOktaError(t *testing.T, what string, e *okta.Error, code string) (string, []string) {
	t.Helper()
	if e == nil {
		t.Fatalf("%s: no Okta error body", what)
	}
	if e.ErrorCode == nil || *e.ErrorCode != code {
		t.Fatalf("%s: errorCode %v, want %s", what, e.ErrorCode, code)
	}
	if e.ErrorId == nil || *e.ErrorId == "" || e.ErrorSummary == nil || *e.ErrorSummary == "" {
		t.Errorf("%s: error body lacks errorId or errorSummary", what)
	}
	var causes []string
	if e.ErrorCauses != nil {
		for _, c := range *e.ErrorCauses {
			if c.ErrorSummary != nil {
				causes = append(causes, *c.ErrorSummary)
			}
		}
	}
	return *e.ErrorSummary, causes
}

// deref returns *p, or the zero value for nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

package onelogintest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	gen "github.com/mfakit/mfakit/gen/onelogin"
	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
)

// fakeClock is an injectable clock for token expiry and rate-limit windows.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// recordingTB captures the fake's reports instead of failing the test, so that a test can
// assert that an off-spec exchange was reported.
type recordingTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Error(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprint(args...))
}

func (r *recordingTB) reports() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

// basicAuth returns a request editor setting HTTP Basic credentials.
func basicAuth(id, secret string) gen.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.SetBasicAuth(id, secret)
		return nil
	}
}

// bearerAuth returns a request editor setting the bearer token.
func bearerAuth(tok string) gen.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}
}

// newClient returns a generated client for srv and a bearer token fetched from srv's token
// endpoint through that client.
func newClient(t *testing.T, srv *onelogintest.Server) (*gen.ClientWithResponses, string) {
	t.Helper()
	c, err := gen.NewClientWithResponses(srv.URL, gen.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatalf("NewClientWithResponses: %v", err)
	}
	res, err := c.GenerateTokenWithResponse(context.Background(),
		gen.TokenRequest{GrantType: gen.TokenRequestGrantTypeClientCredentials},
		basicAuth(srv.ClientID(), srv.ClientSecret()))
	if err != nil {
		t.Fatalf("GenerateToken: %v", err)
	}
	if res.JSON200 == nil {
		t.Fatalf("GenerateToken: status %d body %s", res.StatusCode(), res.Body)
	}
	return c, res.JSON200.AccessToken
}

// message returns a status message as text, whether it came as a string or an object.
func message(t *testing.T, m gen.StatusMessage) string {
	t.Helper()
	if s, err := m.AsStatusMessage0(); err == nil {
		return s
	}
	d, err := m.AsStatusMessageDetail()
	if err != nil {
		t.Fatalf("status message is neither text nor object: %v", err)
	}
	var desc, attr string
	if d.Description != nil {
		desc = *d.Description
	}
	if d.Attribute != nil {
		attr = *d.Attribute
	}
	return desc + " (" + attr + ")"
}

// wrappedStatus decodes a v1 envelope body and returns its status.
func wrappedStatus(t *testing.T, body []byte) gen.Status {
	t.Helper()
	var env gen.StatusResponse
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("body is not a v1 envelope: %v: %s", err, body)
	}
	return env.Status
}

func assertWrappedError(t *testing.T, body []byte, code int, wantMsg string) {
	t.Helper()
	st := wrappedStatus(t, body)
	if !st.Error || st.Code != code {
		t.Errorf("status = {error:%v code:%d}, want {error:true code:%d}; body %s", st.Error, st.Code, code, body)
	}
	if got := message(t, st.Message); !strings.Contains(got, wantMsg) {
		t.Errorf("status.message = %q, want it to contain %q", got, wantMsg)
	}
}

func ptr[T any](v T) *T { return &v }

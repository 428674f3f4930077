package oktatest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	okta "github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

func statusOf(srv *oktatest.Server, id string) string {
	for _, a := range srv.Authenticators() {
		if a.ID == id {
			return a.Status
		}
	}
	return ""
}

func TestFailNext(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	id := mustID(t, srv, "phone_number")
	srv.FailNext(2, http.StatusServiceUnavailable)
	for i := range 2 {
		r, err := c.DeactivateAuthenticatorWithResponse(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.StatusCode() != http.StatusServiceUnavailable || !strings.Contains(string(r.Body), `"errorCode":"E0000009"`) {
			t.Errorf("call %d: HTTP %d %s", i, r.StatusCode(), r.Body)
		}
		if r.HTTPResponse.Header.Get("X-Rate-Limit-Limit") == "" || r.HTTPResponse.Header.Get("X-Okta-Request-Id") == "" {
			t.Errorf("call %d: fault lacks the standard headers", i)
		}
	}
	if s := statusOf(srv, id); s != "ACTIVE" {
		t.Errorf("a failed call changed state: %s", s)
	}
	r, err := c.DeactivateAuthenticatorWithResponse(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "third call", r.HTTPResponse, r.Body, http.StatusOK)

	srv.FailNext(1, http.StatusTooManyRequests)
	r429, err := c.ListAuthenticatorsWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "429", r429.HTTPResponse, r429.Body, http.StatusTooManyRequests)
	wantOktaError(t, "429", r429.JSON429, "E0000047")
	if got := r429.HTTPResponse.Header.Get("X-Rate-Limit-Remaining"); got != "0" {
		t.Errorf("injected 429 Remaining = %q", got)
	}
}

func TestInjectForOneOperation(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	srv.Inject(oktatest.Fault{Status: http.StatusInternalServerError, OperationID: oktatest.OpListFactors, Times: 1})
	a, err := c.ListAuthenticatorsWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "other operation", a.HTTPResponse, a.Body, http.StatusOK)
	f, err := c.ListFactorsWithResponse(ctx, oktatest.SeedUserAda)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "targeted operation", f.HTTPResponse, f.Body, http.StatusInternalServerError)
	if n := srv.CallCount(oktatest.OpListFactors); n != 1 {
		t.Errorf("CallCount(listFactors) = %d", n)
	}
}

func TestHTMLNext(t *testing.T) {
	srv, c := newFake(t)
	srv.HTMLNext(http.StatusBadGateway)
	r, err := c.ListAuthenticatorsWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusCode() != http.StatusBadGateway || !strings.HasPrefix(r.HTTPResponse.Header.Get("Content-Type"), "text/html") || !strings.HasPrefix(string(r.Body), "<!DOCTYPE html>") {
		t.Errorf("HTTP %d %q %s", r.StatusCode(), r.HTTPResponse.Header.Get("Content-Type"), r.Body)
	}
}

func TestTruncateNext(t *testing.T) {
	srv, c := newFake(t)
	id := mustID(t, srv, "phone_number")
	srv.TruncateNext()
	_, err := c.DeactivateAuthenticatorWithResponse(context.Background(), id)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want an unexpected EOF", err)
	}
	// The call was processed although its answer was cut.
	if s := statusOf(srv, id); s != "INACTIVE" {
		t.Errorf("status %s, want INACTIVE", s)
	}
}

func TestDropNext(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	id := mustID(t, srv, "phone_number")
	srv.DropNext()
	if _, err := c.DeactivateAuthenticatorWithResponse(ctx, id); err == nil {
		t.Fatal("a dropped POST did not fail")
	}
	if s := statusOf(srv, id); s != "ACTIVE" {
		t.Errorf("a dropped call changed state: %s", s)
	}
	// A GET is retried once by net/http on a reused connection, so drop it twice.
	if _, err := c.ListAuthenticatorsWithResponse(ctx); err != nil { // warm a keep-alive connection
		t.Fatal(err)
	}
	srv.Inject(oktatest.Fault{Kind: oktatest.FaultDrop, Times: 2})
	if _, err := c.ListAuthenticatorsWithResponse(ctx); err == nil {
		t.Fatal("a twice-dropped GET did not fail")
	}
	r, err := c.ListAuthenticatorsWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "after drops", r.HTTPResponse, r.Body, http.StatusOK)
}

func TestDelay(t *testing.T) {
	srv, c := newFake(t)
	const d = 60 * time.Millisecond
	srv.Delay(d)
	start := time.Now()
	r, err := c.ListAuthenticatorsWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "delayed", r.HTTPResponse, r.Body, http.StatusOK)
	if el := time.Since(start); el < d {
		t.Errorf("answered after %v, want at least %v", el, d)
	}
	// A caller's deadline ends the wait.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := c.ListAuthenticatorsWithResponse(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline exceeded", err)
	}
	srv.Delay(time.Hour)
	srv.Delay(0)
	start = time.Now()
	if _, err := c.ListAuthenticatorsWithResponse(context.Background()); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el >= 10*time.Second {
		t.Errorf("Delay(0) still delays: %v", el)
	}
	// A one-off delay fault.
	srv.Inject(oktatest.Fault{Kind: oktatest.FaultDelay, Delay: d})
	start = time.Now()
	if _, err := c.ListAuthenticatorsWithResponse(context.Background()); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < d {
		t.Errorf("FaultDelay answered after %v", el)
	}
}

func TestCloseEndsDelays(t *testing.T) {
	srv := oktatest.NewServer()
	c, err := okta.NewClientWithResponses(srv.URL, okta.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	srv.Delay(time.Minute)
	done := make(chan error, 1)
	go func() {
		_, err := c.ListAuthenticatorsWithResponse(context.Background())
		done <- err
	}()
	time.Sleep(20 * time.Millisecond) // let the request reach the server
	start := time.Now()
	srv.Close()
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("Close took %v with a delayed request outstanding", el)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("the abandoned request succeeded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the delayed request never finished")
	}
}

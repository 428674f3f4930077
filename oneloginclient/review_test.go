package oneloginclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// TestListEnrolledFactorsAllOrNothing: one element that is not a device
// object, or a null otp_devices, fails the whole call with a typed *Error
// matching ErrMalformedResponse; no partial (or empty) list is returned.
func TestListEnrolledFactorsAllOrNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, inMessage string
	}{
		{"number among devices", `{"otp_devices":[{"id":1,"auth_factor_name":"SMS"},7]}`, "otp_devices[1] is a number, not an object"},
		{"null among devices", `{"otp_devices":[null,{"id":1}]}`, "otp_devices[0] is null, not an object"},
		{"null otp_devices", `{"otp_devices":null}`, `"data.otp_devices" is null, not a list`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, okEnvelope(tt.data)) })
			c, _ := s.client(t)
			devs, err := c.ListEnrolledFactors(context.Background(), 1)
			if devs != nil {
				t.Errorf("devices = %+v, want nil", devs)
			}
			var e *Error
			if !errors.As(err, &e) || e.Operation != "ListEnrolledFactors" || e.StatusCode != 200 {
				t.Fatalf("err = %v, want an *Error from ListEnrolledFactors with status 200", err)
			}
			if !errors.Is(err, ErrMalformedResponse) || !strings.Contains(err.Error(), tt.inMessage) {
				t.Errorf("err = %v, want ErrMalformedResponse saying %q", err, tt.inMessage)
			}
		})
	}
	// An empty list is "none": an empty, non-nil result.
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, okEnvelope(`{"otp_devices":[]}`)) })
	c, _ := s.client(t)
	if devs, err := c.ListEnrolledFactors(context.Background(), 1); err != nil || devs == nil || len(devs) != 0 {
		t.Errorf("empty otp_devices = %v, %v; want an empty, non-nil list", devs, err)
	}
}

// TestCallNoResponse: a send that returns neither a response nor an error
// gives a typed *Error matching ErrMalformedResponse, named by opError with
// the operation, never a bare error or a nil result with a nil error.
func TestCallNoResponse(t *testing.T) {
	t.Parallel()
	resp, body, err := call(context.Background(), func(context.Context) (*http.Response, error) { return nil, nil })
	if resp != nil || body != nil {
		t.Errorf("call = %v, %q; want nothing", resp, body)
	}
	err = opError("ListEnrolledFactors", err)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrMalformedResponse) || e.Operation != "ListEnrolledFactors" {
		t.Fatalf("err = %#v, want an *Error matching ErrMalformedResponse", err)
	}
	if got, want := err.Error(), "onelogin: ListEnrolledFactors: malformed response: no response"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

// TestErrorPrefixes: argument and configuration errors carry the same
// "onelogin: " prefix as the server's errors, and no "oneloginclient:".
func TestErrorPrefixes(t *testing.T) {
	t.Parallel()
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent: %s %s", r.Method, r.URL.Path) })
	c, _ := s.client(t)
	ctx := context.Background()
	_, newErr := New("https://example.onelogin.com")
	_, subErr := NewForSubdomain("bad/")
	_, argErr := c.ListEnrolledFactors(ctx, -1)
	pollErr := c.PollPush(ctx, 1, 1, "", PollOptions{})
	var optErrs []error
	for _, o := range []Option{WithClientCredentials("", ""), WithTokenSource(nil), WithRetry(RetryPolicy{MaxAttempts: -1}), WithMaxBodyBytes(-1)} {
		_, err := New("https://example.onelogin.com", o)
		optErrs = append(optErrs, err)
	}
	for i, err := range append([]error{newErr, subErr, argErr, pollErr}, optErrs...) {
		if err == nil {
			t.Errorf("%d: no error", i)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "onelogin: ") || strings.Contains(msg, "oneloginclient") {
			t.Errorf("%d: %q: want the prefix \"onelogin: \" and no \"oneloginclient\"", i, msg)
		}
	}
}

// TestErrServer: a 5xx matches ErrServer (named as in oktaclient).
func TestErrServer(t *testing.T) {
	t.Parallel()
	for _, status := range []int{500, 502, 503, 599} {
		e := &Error{StatusCode: status}
		if !errors.Is(e, ErrServer) {
			t.Errorf("%d: does not match ErrServer", status)
		}
	}
	if errors.Is(&Error{StatusCode: 429}, ErrServer) {
		t.Error("429 matches ErrServer")
	}
	if ErrServer.Error() != "onelogin: server error" {
		t.Errorf("ErrServer = %q", ErrServer)
	}
}

package oneloginclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
	"github.com/mfakit/mfakit/wrappers"
)

func TestDecodeErrorBody(t *testing.T) {
	tests := []struct {
		name           string
		body           string
		code           int
		typ, msg, attr string
	}{
		{"wrapped string message", `{"status":{"error":true,"code":404,"type":"not found","message":"User not found"}}`,
			404, "not found", "User not found", ""},
		{"wrapped object message", `{"status":{"error":true,"code":400,"type":"bad request","message":{"description":"Invalid phone number","attribute":"number"}}}`,
			400, "bad request", "Invalid phone number", "number"},
		{"wrapped code as string", `{"status":{"error":"true","code":"401","type":"Unauthorized","message":"Authentication Failure"}}`,
			401, "Unauthorized", "Authentication Failure", ""},
		{"flat v1 (published spec)", `{"error":true,"code":400,"type":"bad request","message":"Invalid JSON body"}`,
			400, "bad request", "Invalid JSON body", ""},
		{"v2 token endpoint", `{"statusCode":401,"name":"InvalidCredentials","message":"Invalid client credentials"}`,
			401, "InvalidCredentials", "Invalid client credentials", ""},
		{"rfc 6749", `{"error":"invalid_client","error_description":"bad secret"}`,
			0, "invalid_client", "bad secret", ""},
		{"object without description", `{"status":{"code":400,"type":"bad request","message":{"number":["is invalid"]}}}`,
			400, "bad request", `{"number":["is invalid"]}`, ""},
		{"array message", `{"status":{"code":422,"type":"x","message":[{"description":"a","attribute":"b"},"c"]}}`,
			422, "x", "a (attribute b); c", ""},
		{"message with control chars", "{\"status\":{\"code\":400,\"type\":\"bad\\nrequest\",\"message\":\"line1\\r\\nline2\"}}",
			400, "bad request", "line1 line2", ""},
		{"html", `<html><body><h1>502 Bad Gateway</h1></body></html>`, 0, "", "", ""},
		{"garbage", "\x00\xff{{{", 0, "", "", ""},
		{"empty", "", 0, "", "", ""},
		{"json array", `[1,2]`, 0, "", "", ""},
		{"null message", `{"status":{"code":500,"type":"error","message":null}}`, 500, "error", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, typ, msg, attr := decodeErrorBody([]byte(tt.body))
			if code != tt.code || typ != tt.typ || msg != tt.msg || attr != tt.attr {
				t.Errorf("decodeErrorBody = (%d, %q, %q, %q), want (%d, %q, %q, %q)",
					code, typ, msg, attr, tt.code, tt.typ, tt.msg, tt.attr)
			}
		})
	}
}

// TestErrorsFromServer drives non-2xx answers of every shape through a real
// client and checks that each is an *Error with the status, readable text,
// the right sentinel and a capped body.
func TestErrorsFromServer(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		sentinel    error
		wantText    []string
	}{
		{"wrapped 400 object message", 400, "application/json",
			`{"status":{"error":true,"code":400,"type":"bad request","message":{"description":"Invalid phone number","attribute":"number"}}}`,
			ErrBadRequest, []string{"onelogin: ListEnrolledFactors: 400 bad request: Invalid phone number (attribute number)"}},
		{"wrapped 404", 404, "application/json",
			`{"status":{"error":true,"code":404,"type":"not found","message":"User not found"}}`,
			ErrNotFound, []string{"404 not found: User not found"}},
		{"v2 shape 403", 403, "application/json",
			`{"statusCode":403,"name":"Forbidden","message":"Insufficient permission"}`,
			ErrForbidden, []string{"403 Forbidden: Insufficient permission"}},
		{"html 502", 502, "text/html",
			"<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>",
			ErrServer, []string{"502 Bad Gateway", "body: <html> <head><title>502 Bad Gateway</title>"}},
		{"garbage 500", 500, "application/json", `{"status":{"error":tr`,
			ErrServer, []string{"500 Internal Server Error", `body: {"status":{"error":tr`}},
		{"empty 503", 503, "", "", ErrServer, []string{"503 Service Unavailable"}},
		{"huge html 500", 500, "text/html", "<html>" + strings.Repeat("x", 100_000) + "</html>",
			ErrServer, []string{"500 Internal Server Error", "…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.Header().Set("X-RateLimit-Limit", "5000")
				w.Header().Set("X-RateLimit-Remaining", "4321")
				w.Header().Set("X-RateLimit-Reset", "600")
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			})
			c, _ := s.client(t, WithRetry(RetryPolicy{MaxAttempts: 1}))
			start := time.Now()
			devs, err := c.ListEnrolledFactors(context.Background(), 42)
			if devs != nil {
				t.Errorf("devices = %v, want nil on error", devs)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not an *Error", err, err)
			}
			if e.StatusCode != tt.status || e.HTTPStatusCode() != tt.status || wrappers.StatusCode(err) != tt.status {
				t.Errorf("status = %d, want %d", e.StatusCode, tt.status)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.sentinel)
			}
			for _, other := range []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited, ErrServer, ErrMalformedResponse, ErrInvalidCode, ErrPending} {
				if other != tt.sentinel && errors.Is(err, other) {
					t.Errorf("errors.Is(err, %v) = true, want only %v", other, tt.sentinel)
				}
			}
			for _, want := range tt.wantText {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Error() = %q, want it to contain %q", err.Error(), want)
				}
			}
			if len(err.Error()) > 1000 {
				t.Errorf("Error() is %d bytes long, want a short line", len(err.Error()))
			}
			if len(e.Body) > maxErrorBody {
				t.Errorf("Body is %d bytes, want at most %d", len(e.Body), maxErrorBody)
			}
			if e.RateLimit.Limit != 5000 || e.RateLimit.Remaining != 4321 {
				t.Errorf("RateLimit = %+v, want limit 5000, remaining 4321", e.RateLimit)
			}
			if d := e.RateLimit.Reset.Sub(start); d < 590*time.Second || d > 610*time.Second {
				t.Errorf("RateLimit.Reset is %s from now, want about 600 s", d)
			}
		})
	}
}

func TestErrorIsMatrix(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		is   []error
	}{
		{"400", &Error{StatusCode: 400}, []error{ErrBadRequest}},
		{"401", &Error{StatusCode: 401}, []error{ErrUnauthorized}},
		{"401 access token on verify", &Error{StatusCode: 401, kind: kindAccessToken}, []error{ErrUnauthorized}},
		{"401 wrong code", &Error{StatusCode: 401, kind: kindInvalidCode}, []error{ErrInvalidCode}},
		{"401 pending", &Error{StatusCode: 401, kind: kindPending}, []error{ErrPending}},
		{"401 state token", &Error{StatusCode: 401, kind: kindStateToken}, []error{ErrStateTokenExpired}},
		{"403", &Error{StatusCode: 403}, []error{ErrForbidden}},
		{"404", &Error{StatusCode: 404}, []error{ErrNotFound}},
		{"429", &Error{StatusCode: 429}, []error{ErrRateLimited}},
		{"500", &Error{StatusCode: 500}, []error{ErrServer}},
		{"504", &Error{StatusCode: 504}, []error{ErrServer}},
		{"418", &Error{StatusCode: 418}, nil},
		{"malformed 200", &Error{StatusCode: 200, kind: kindMalformed}, []error{ErrMalformedResponse}},
		{"200 with error envelope 404", &Error{StatusCode: 200, Code: 404, kind: kindStatusInEnvelope}, []error{ErrMalformedResponse, ErrNotFound}},
	}
	all := []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited, ErrServer,
		ErrInvalidCode, ErrPending, ErrStateTokenExpired, ErrMalformedResponse, ErrInvalidArgument, ErrInvalidConfig}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range all {
				want := false
				for _, w := range tt.is {
					want = want || w == s
				}
				if got := errors.Is(tt.err, s); got != want {
					t.Errorf("errors.Is(%s, %v) = %v, want %v", tt.name, s, got, want)
				}
			}
		})
	}
}

func TestClassifyVerify401(t *testing.T) {
	tests := []struct {
		msg  string
		want errorKind
	}{
		{"Authentication pending on OL Protect", kindPending},
		{"Invalid or expired state_token", kindStateToken},
		{"Failed authentication with this factor", kindInvalidCode},
		{"Invalid OTP", kindInvalidCode},
		{"Authentication Failure", kindAccessToken},
		{"Authentication failure.", kindAccessToken},
		{"Authorization Information is incorrect", kindAccessToken},
		{"", kindAccessToken},
	}
	for _, tt := range tests {
		if got := classifyVerify401(&Error{StatusCode: 401, Message: tt.msg}); got != tt.want {
			t.Errorf("classifyVerify401(%q) = %d, want %d", tt.msg, got, tt.want)
		}
	}
}

// TestMalformedSuccessBodies: a 2xx body that cannot be used is an *Error
// matching ErrMalformedResponse, never a half-filled value.
func TestMalformedSuccessBodies(t *testing.T) {
	tests := []struct {
		name string
		body string
		want error
	}{
		{"html", "<html>ok</html>", ErrMalformedResponse},
		{"truncated", `{"status":{"error":false,"code":200,"type":"success","message":"Success"},"data":{"otp_dev`, ErrMalformedResponse},
		{"no status", `{"data":{"otp_devices":[]}}`, ErrMalformedResponse},
		{"no data", okEnvelope(""), ErrMalformedResponse},
		{"data without otp_devices", okEnvelope(`{}`), ErrMalformedResponse},
		{"device without id", okEnvelope(`{"otp_devices":[{"active":true}]}`), ErrMalformedResponse},
		{"id not a number", okEnvelope(`{"otp_devices":[{"id":"abc"}]}`), ErrMalformedResponse},
		{"id fractional", okEnvelope(`{"otp_devices":[{"id":1.5}]}`), ErrMalformedResponse},
		{"status error in 200", `{"status":{"error":true,"code":404,"type":"not found","message":"User not found"}}`, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, tt.body) })
			c, _ := s.client(t)
			devs, err := c.ListEnrolledFactors(context.Background(), 7)
			if devs != nil {
				t.Errorf("devices = %v, want nil", devs)
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.want) || !errors.Is(err, ErrMalformedResponse) {
				t.Fatalf("err = %v, want an *Error matching %v and ErrMalformedResponse", err, tt.want)
			}
			if e.Operation != "ListEnrolledFactors" || e.StatusCode != 200 {
				t.Errorf("Operation, StatusCode = %q, %d", e.Operation, e.StatusCode)
			}
		})
	}
}

// deadURL returns the URL of a loopback server that has been closed, so that
// connecting to it is refused.
func deadURL(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	return u
}

// TestTransportErrorMessage pins the shape of a failure to reach OneLogin:
// one line, one "onelogin:" prefix, the operation, the method and URL, and the
// root cause; no "wrappers:" or "oneloginclient:" layers, no secret; and the
// causes still reachable with errors.Is and errors.As.
func TestTransportErrorMessage(t *testing.T) {
	t.Parallel()
	down := deadURL(t)
	// A fake that hands out a token and then goes away: the API call fails.
	srv := onelogintest.NewServer(onelogintest.WithT(t))
	gone, err := New(srv.URL, WithClientCredentials(srv.ClientID(), srv.ClientSecret()), WithRetry(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gone.ListEnrolledFactors(t.Context(), onelogintest.SeedUserAlan); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()

	tests := []struct {
		name   string
		client func(t *testing.T) *Client
		ctx    context.Context
		want   string
		is     error
	}{
		{
			name: "token endpoint unreachable",
			client: func(t *testing.T) *Client {
				c, err := New(down, WithClientCredentials(testClientID, testClientSecret), WithRetry(RetryPolicy{MaxAttempts: 1}))
				if err != nil {
					t.Fatal(err)
				}
				return c
			},
			ctx:  t.Context(),
			want: `onelogin: ListEnrolledFactors: getting an access token: Post "` + down + `/auth/oauth2/v2/token": connection refused`,
			is:   syscall.ECONNREFUSED,
		},
		{
			name:   "API unreachable",
			client: func(*testing.T) *Client { return gone },
			ctx:    t.Context(),
			want:   `onelogin: ListEnrolledFactors: Get "` + srv.URL + `/api/1/users/` + strconv.Itoa(onelogintest.SeedUserAlan) + `/otp_devices": connection refused`,
			is:     syscall.ECONNREFUSED,
		},
		{
			name: "context cancelled before the token",
			client: func(t *testing.T) *Client {
				c, err := New(down, WithClientCredentials(testClientID, testClientSecret))
				if err != nil {
					t.Fatal(err)
				}
				return c
			},
			ctx:  cancelled,
			want: `onelogin: ListEnrolledFactors: getting an access token: context canceled`,
			is:   context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.client(t)
			t.Cleanup(c.CloseIdleConnections)
			user := int64(onelogintest.SeedUserAlan)
			_, err := c.ListEnrolledFactors(tt.ctx, user)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("message\n got %s\nwant %s", got, tt.want)
			}
			msg := err.Error()
			if strings.Count(msg, "onelogin:") != 1 || strings.Contains(msg, "wrappers") ||
				strings.Contains(msg, "oneloginclient") || strings.Contains(msg, "\n") || strings.Contains(msg, testClientSecret) {
				t.Errorf("message %q: want one line, one prefix, no layers, no secret", msg)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false for %v", tt.is, err)
			}
			var op *OpError
			if !errors.As(err, &op) || op.Op != "ListEnrolledFactors" || !errors.Is(op.Err, tt.is) {
				t.Errorf("errors.As(err, *OpError) = %+v for %v; want Op ListEnrolledFactors and the cause", op, err)
			}
			if tt.is == syscall.ECONNREFUSED {
				var ue *url.Error
				var oe *net.OpError
				if !errors.As(err, &ue) || !errors.As(err, &oe) {
					t.Errorf("errors.As *url.Error %v, *net.OpError %v: want both", ue != nil, oe != nil)
				}
			}
		})
	}
}

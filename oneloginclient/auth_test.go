package oneloginclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/mfakit/mfakit/wrappers"
)

// TestTokenFetchedOnceForParallelCallers: many goroutines sharing a fresh
// client cause exactly one token request.
func TestTokenFetchedOnceForParallelCallers(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, okEnvelope(`{"auth_factors":[{"name":"OneLogin SMS","factor_id":1}]}`))
	})
	// Slow the token endpoint down so that every caller is waiting for it.
	s.tokenReply = func(n int, w http.ResponseWriter, r *http.Request) {
		time.Sleep(50 * time.Millisecond)
		writeJSON(w, 200, `{"access_token":"`+testTokenPrefix+"shared"+`","created_at":"2015-11-11T03:36:18.714Z","expires_in":36000,"token_type":"bearer","account_id":1}`)
	}
	c, _ := s.client(t)
	const callers = 32
	var wg sync.WaitGroup
	var failures atomic.Int32
	start := make(chan struct{})
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := c.ListAvailableFactors(context.Background(), int64(i+1)); err != nil {
				failures.Add(1)
				t.Errorf("caller %d: %v", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if n := s.tokenCalls.Load(); n != 1 {
		t.Errorf("token endpoint called %d times for %d parallel callers, want 1", n, callers)
	}
	if got := len(s.Requests()); got != callers {
		t.Errorf("%d v1 requests, want %d", got, callers)
	}
}

// TestTokenExpiringMidRunRefetchedOnce: the server stops accepting the first
// token in the middle of a run; the next call gets a 401, fetches one new
// token, resends the same request (body rebuilt) and succeeds.
func TestTokenExpiringMidRunRefetchedOnce(t *testing.T) {
	var expired atomic.Bool
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			writeJSON(w, 200, okEnvelope(`[{"id":9,"active":false,"default":false,"needs_trigger":true,"auth_factor_name":"SMS","type_display_name":"SMS","user_display_name":"x"}]`))
			return
		}
		writeJSON(w, 200, okEnvelope(`{"otp_devices":[]}`))
	})
	s.valid = func(tok string) bool { return !(expired.Load() && tok == testTokenPrefix+"1") }
	c, _ := s.client(t)
	ctx := context.Background()
	if _, err := c.ListEnrolledFactors(ctx, 5); err != nil {
		t.Fatal(err)
	}
	expired.Store(true)
	// A POST, so the rebuilt body can be checked.
	if _, err := c.EnrollFactor(ctx, 5, EnrollRequest{FactorID: 3, DisplayName: "Desk", Number: "+15555550100"}); err != nil {
		t.Fatalf("EnrollFactor after expiry: %v", err)
	}
	if _, err := c.ListEnrolledFactors(ctx, 5); err != nil {
		t.Fatalf("ListEnrolledFactors after refetch: %v", err)
	}
	if n := s.tokenCalls.Load(); n != 2 {
		t.Errorf("token endpoint called %d times, want 2 (initial + one refetch)", n)
	}
	reqs := s.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d v1 requests, want 4: %+v", len(reqs), reqs)
	}
	rejected, retried := reqs[1], reqs[2]
	if rejected.Auth != "Bearer "+testTokenPrefix+"1" || retried.Auth != "Bearer "+testTokenPrefix+"2" {
		t.Errorf("Authorization of rejected and retried request = %q, %q", rejected.Auth, retried.Auth)
	}
	if retried.Body == "" || retried.Body != rejected.Body || retried.Path != rejected.Path || retried.Method != http.MethodPost {
		t.Errorf("retried request %+v does not repeat %+v", retried, rejected)
	}
	if reqs[3].Auth != "Bearer "+testTokenPrefix+"2" {
		t.Errorf("later request used %q, want the new token", reqs[3].Auth)
	}
}

// TestTokenRevokedForGood: a 401 that survives the refetch is an *Error
// matching ErrUnauthorized, after exactly one refetch.
func TestTokenRevokedForGood(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) { t.Error("request accepted") })
	s.valid = func(string) bool { return false }
	c, _ := s.client(t)
	_, err := c.ListEnrolledFactors(context.Background(), 5)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrUnauthorized) || e.Message != "Authentication Failure" {
		t.Fatalf("err = %v, want an *Error matching ErrUnauthorized", err)
	}
	if n, v1 := s.tokenCalls.Load(), len(s.Requests()); n != 2 || v1 != 2 {
		t.Errorf("token calls %d, v1 requests %d; want 2 and 2", n, v1)
	}
}

// TestTokenExpiryRefetchedBeforeUse: a token is reused while fresh and
// replaced before the first call after it is within tokenEarly of its expiry,
// without a 401. The client's clock drives the token cache: no real wait.
// (x/oauth2 stamps Expiry with the real clock, so the fake one only moves
// forward from now.)
func TestTokenExpiryRefetchedBeforeUse(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, okEnvelope(`{"otp_devices":[]}`)) })
	s.tokenReply = func(n int, w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"access_token":"`+testTokenPrefix+strings.Repeat("x", n)+`","created_at":"2015-11-11T03:36:18.714Z","expires_in":3600,"token_type":"bearer","account_id":1}`)
	}
	var clock testClock
	clock.set(time.Now())
	c, _ := s.client(t, withClock(clock.get))
	ctx := context.Background()
	for _, step := range []struct {
		advance     time.Duration
		wantFetches int32
	}{
		{0, 1},
		{50 * time.Minute, 1},            // still fresh: cached
		{8*time.Minute + time.Second, 2}, // 58m01s: within tokenEarly of the 60m expiry
	} {
		clock.add(step.advance)
		if _, err := c.ListEnrolledFactors(ctx, 5); err != nil {
			t.Fatal(err)
		}
		if n := s.tokenCalls.Load(); n != step.wantFetches {
			t.Fatalf("after %v more: %d token calls, want %d", step.advance, n, step.wantFetches)
		}
	}
	reqs := s.Requests()
	if len(reqs) != 3 || reqs[1].Auth != reqs[0].Auth || reqs[2].Auth == reqs[1].Auth {
		t.Errorf("requests %+v; want the first token twice, then a new one, and no 401", reqs)
	}
}

// TestTokenEndpointErrors: refusals of the token endpoint in any shape become
// an *Error with TokenEndpoint set, and never carry the secret.
func TestTokenEndpointErrors(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		sentinel error
		text     string
	}{
		{"v2 401", 401, `{"statusCode":401,"name":"InvalidCredentials","message":"Invalid client credentials"}`, ErrUnauthorized, "token endpoint: 401 InvalidCredentials"},
		{"v2 400", 400, `{"statusCode":400,"name":"BadRequest","message":"grant_type is incorrect/absent"}`, ErrBadRequest, "grant_type is incorrect/absent"},
		{"html 502", 502, `<html><body>` + testClientSecret + `</body></html>`, ErrServer, "token endpoint: 502"},
		{"rate limited", 429, `{"statusCode":429,"name":"TooManyRequests","message":"Rate limit exceeded"}`, ErrRateLimited, "429 TooManyRequests"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) { t.Error("v1 request without a token") })
			s.tokenReply = func(n int, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}
			c, _ := s.client(t)
			_, err := c.ListAvailableFactors(context.Background(), 3)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %T %v, want *Error", err, err)
			}
			if !e.TokenEndpoint || e.StatusCode != tt.status || !errors.Is(err, tt.sentinel) || e.Operation != "ListAvailableFactors" {
				t.Errorf("err = %+v, want TokenEndpoint, status %d, matching %v", e, tt.status, tt.sentinel)
			}
			var te *wrappers.TokenError
			if !errors.As(err, &te) {
				t.Errorf("err does not unwrap to *wrappers.TokenError")
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("Error() = %q, want %q in it", err.Error(), tt.text)
			}
			if strings.Contains(err.Error(), testClientSecret) || strings.Contains(err.Error(), testTokenPrefix) {
				t.Errorf("Error() leaks the secret: %q", err.Error())
			}
			if len(e.Body) != 0 {
				t.Errorf("token endpoint body kept: %q", e.Body)
			}
		})
	}
}

// TestVerifyWrongCodeDoesNotRefetchOrResend: a 401 for a wrong code is not a
// token problem: no token refetch, no second submission of the code.
func TestVerifyWrongCodeDoesNotRefetchOrResend(t *testing.T) {
	tests := []struct {
		msg  string
		want error
	}{
		{"Failed authentication with this factor", ErrInvalidCode},
		{"Authentication pending on OL Protect", ErrPending},
		{"Invalid or expired state_token", ErrStateTokenExpired},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 401, `{"status":{"error":true,"code":401,"type":"Unauthorized","message":"`+tt.msg+`"}}`)
			})
			c, _ := s.client(t)
			err := c.VerifyFactor(context.Background(), 5, 6, VerifyRequest{StateToken: "st", OTP: "000000"})
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.want) || errors.Is(err, ErrUnauthorized) {
				t.Fatalf("err = %v, want an *Error matching %v and not ErrUnauthorized", err, tt.want)
			}
			if e.Operation != "VerifyFactor" || e.Message != tt.msg {
				t.Errorf("Error = %+v", e)
			}
			if n, v1 := s.tokenCalls.Load(), len(s.Requests()); n != 1 || v1 != 1 {
				t.Errorf("token calls %d, verify requests %d; want 1 and 1", n, v1)
			}
		})
	}
}

// TestVerifyExpiredAccessTokenRefetchedOnce: Verify's own 401 for the access
// token is answered with one fresh token and one resend.
func TestVerifyExpiredAccessTokenRefetchedOnce(t *testing.T) {
	var expired atomic.Bool
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/verify") {
			writeJSON(w, 200, okEnvelope(""))
			return
		}
		writeJSON(w, 200, okEnvelope(`{"otp_devices":[]}`))
	})
	s.valid = func(tok string) bool { return !(expired.Load() && tok == testTokenPrefix+"1") }
	c, _ := s.client(t)
	ctx := context.Background()
	if _, err := c.ListEnrolledFactors(ctx, 5); err != nil {
		t.Fatal(err)
	}
	expired.Store(true)
	if err := c.VerifyFactor(ctx, 5, 6, VerifyRequest{StateToken: "st", OTP: "123456"}); err != nil {
		t.Fatalf("VerifyFactor: %v", err)
	}
	reqs := s.Requests()
	if n := s.tokenCalls.Load(); n != 2 || len(reqs) != 3 {
		t.Fatalf("token calls %d, v1 requests %d; want 2 and 3", n, len(reqs))
	}
	if reqs[1].Body != reqs[2].Body || reqs[2].Auth != "Bearer "+testTokenPrefix+"2" {
		t.Errorf("resend %+v does not repeat %+v with the new token", reqs[2], reqs[1])
	}

	// Refused for good: one refetch, then ErrUnauthorized.
	s.valid = func(string) bool { return false }
	err := c.VerifyFactor(ctx, 5, 6, VerifyRequest{StateToken: "st", OTP: "123456"})
	if !errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrInvalidCode) {
		t.Errorf("err = %v, want ErrUnauthorized", err)
	}
	if n := s.tokenCalls.Load(); n != 3 {
		t.Errorf("token calls %d, want 3", n)
	}
}

// TestWithTokenSource: a caller's token source is cached (asked once), its
// token sent as Bearer, and asked again after a 401.
func TestWithTokenSource(t *testing.T) {
	var asked atomic.Int32
	src := tokenSourceFunc(func() (*oauth2.Token, error) {
		n := asked.Add(1)
		return &oauth2.Token{AccessToken: testTokenPrefix + "ts" + strings.Repeat("!", int(n)), TokenType: "bearer", Expiry: time.Now().Add(time.Hour)}, nil
	})
	var reject atomic.Bool
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, okEnvelope(`{"otp_devices":[]}`)) })
	s.valid = func(tok string) bool { return !(reject.Load() && tok == testTokenPrefix+"ts!") }
	c, err := New(s.URL, WithTokenSource(src), WithHTTPClient(s.Client()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()
	for range 3 {
		if _, err := c.ListEnrolledFactors(ctx, 1); err != nil {
			t.Fatal(err)
		}
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("token source asked %d times, want 1", n)
	}
	reject.Store(true)
	if _, err := c.ListEnrolledFactors(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if n := asked.Load(); n != 2 {
		t.Errorf("token source asked %d times after a 401, want 2", n)
	}
	if s.tokenCalls.Load() != 0 {
		t.Error("token endpoint called although a token source was given")
	}
	for _, r := range s.Requests() {
		if !strings.HasPrefix(r.Auth, "Bearer "+testTokenPrefix+"ts") {
			t.Errorf("Authorization = %q", r.Auth)
		}
	}
}

type tokenSourceFunc func() (*oauth2.Token, error)

func (f tokenSourceFunc) Token() (*oauth2.Token, error) { return f() }

// TestTokenEndpointGarbage: a 2xx token answer without a usable token is an
// *Error matching ErrMalformedResponse; a dead token endpoint is a transport
// error, not an *Error.
func TestTokenEndpointGarbage(t *testing.T) {
	for _, tt := range []struct{ name, contentType, body string }{
		{"html", "text/html", "<html>maintenance " + testClientSecret + "</html>"},
		{"truncated json", "application/json", `{"access_token":"` + testTokenPrefix},
		{"no access token", "application/json", `{"token_type":"bearer","expires_in":36000}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) { t.Error("v1 request without a token") })
			s.tokenReply = func(n int, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.Write([]byte(tt.body))
			}
			c, _ := s.client(t)
			_, err := c.ListEnrolledFactors(context.Background(), 3)
			var e *Error
			if !errors.As(err, &e) || !e.TokenEndpoint || !errors.Is(err, ErrMalformedResponse) || errors.Is(err, ErrUnauthorized) {
				t.Fatalf("err = %v, want a malformed token endpoint *Error", err)
			}
			if strings.Contains(err.Error(), testClientSecret) || strings.Contains(err.Error(), testTokenPrefix) {
				t.Errorf("Error() leaks a secret: %q", err.Error())
			}
		})
	}
	t.Run("endpoint down", func(t *testing.T) {
		s := newStub(t, nil)
		s.tokenReply = func(n int, w http.ResponseWriter, r *http.Request) {
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
		}
		c, _ := s.client(t)
		_, err := c.ListEnrolledFactors(context.Background(), 3)
		var e *Error
		if err == nil || errors.As(err, &e) {
			t.Errorf("err = %v, want a transport error", err)
		}
	})
}

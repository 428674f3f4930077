package oneloginclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestSecretsNeverPrinted runs a client through successes, a token refetch,
// error answers and a token endpoint refusal with debug logging on, and then
// checks that neither the client secret nor any access token nor the MFA
// token appears in any error, any log line, or any fmt rendering of the
// client, its options or its results.
func TestSecretsNeverPrinted(t *testing.T) {
	const mfaToken = "MFA-secret-55647655"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	var phase atomic.Int32
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/mfa_token"):
			writeJSON(w, 200, `{"mfa_token":"`+mfaToken+`","reusable":false,"expires_at":"2019-01-16T22:16:38.000Z"}`)
		case phase.Load() == 1:
			writeJSON(w, 400, `{"status":{"error":true,"code":400,"type":"bad request","message":{"description":"Invalid phone number","attribute":"number"}}}`)
		default:
			writeJSON(w, 200, okEnvelope(`{"otp_devices":[]}`))
		}
	})
	var expired atomic.Bool
	s.valid = func(tok string) bool { return !(expired.Load() && tok == testTokenPrefix+"1") }
	secretOpt := WithClientCredentials(testClientID, testClientSecret)
	// s.client adds the same credentials; a second credential option would
	// be refused. The two-credential rule is checked below without sending
	// anything.
	c, _ := s.client(t, WithLogger(logger))
	ctx := context.Background()

	var outputs []string
	record := func(v any) {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			outputs = append(outputs, fmt.Sprintf(verb, v))
		}
	}
	if _, err := c.ListEnrolledFactors(ctx, 1); err != nil {
		t.Fatal(err)
	}
	expired.Store(true)
	if _, err := c.ListEnrolledFactors(ctx, 1); err != nil {
		t.Fatal(err)
	}
	tok, err := c.GenerateMFAToken(ctx, 1, MFATokenRequest{})
	if err != nil {
		t.Fatal(err)
	}
	record(tok)
	record(*tok)
	if b, err := json.Marshal(tok); err == nil {
		outputs = append(outputs, string(b))
	}
	logger.Debug("caller logs the token", "token", tok.Token, "result", tok)

	phase.Store(1)
	_, err = c.EnrollFactor(ctx, 1, EnrollRequest{FactorID: 1, DisplayName: "x", Number: "bad"})
	if err == nil {
		t.Fatal("want an error")
	}
	record(err)

	// A token endpoint refusal.
	s2 := newStub(t, func(w http.ResponseWriter, r *http.Request) {})
	s2.tokenReply = func(n int, w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, `{"statusCode":401,"name":"InvalidCredentials","message":"Authentication Failure"}`)
	}
	c2, _ := s2.client(t, WithLogger(logger))
	_, err = c2.ListAvailableFactors(ctx, 1)
	if err == nil {
		t.Fatal("want an error")
	}
	record(err)

	// Configuration errors.
	_, err = New(s.URL, secretOpt, WithTokenSource(tokenSourceFunc(nil)))
	if err == nil {
		t.Fatal("two credentials accepted")
	}
	record(err)

	record(c)
	record(*c)
	record(secretOpt)
	var cfg config
	if err := secretOpt(&cfg); err != nil {
		t.Fatal(err)
	}
	record(cfg)
	record(&cfg)
	logger.Debug("caller logs the client", "client", c, "config", cfg)

	outputs = append(outputs, logs.String())
	if !strings.Contains(logs.String(), "wrappers: http attempt") {
		t.Errorf("debug log is empty, the check would be vacuous: %q", logs.String())
	}
	secrets := []string{testClientSecret, testTokenPrefix, mfaToken, "RT-secret-refresh"}
	for _, out := range outputs {
		for _, sec := range secrets {
			if strings.Contains(out, sec) {
				t.Errorf("output leaks %q: %s", sec, out)
			}
		}
	}
}

// TestDefaultLoggerSilent: without WithLogger nothing is logged, even to
// slog's default logger.
func TestDefaultLoggerSilent(t *testing.T) {
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, `{"status":{"error":true,"code":404,"type":"not found","message":"User not found"}}`)
	})
	c, _ := s.client(t)
	c.ListEnrolledFactors(context.Background(), 1)
	if logs.Len() != 0 {
		t.Errorf("logged without a logger: %s", logs.String())
	}
}

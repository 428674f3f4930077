package oktatest_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	okta "github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

// offSpec rewrites the first authenticator's status to a value the document does not
// allow: the kind of drift the fake's own validation must catch.
func offSpec(operationID string, status int, _ http.Header, body []byte) []byte {
	if operationID != oktatest.OpListAuthenticators || status != http.StatusOK {
		return body
	}
	return bytes.Replace(body, []byte(`"status":"ACTIVE"`), []byte(`"status":"PAUSED"`), 1)
}

func TestOffSpecResponseIsCaughtUnderWithT(t *testing.T) {
	rec := &recordingTB{TB: t}
	srv := oktatest.NewServer(oktatest.WithT(rec), oktatest.WithResponseHook(offSpec))
	c, err := okta.NewClientWithResponses(srv.URL, okta.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.ListAuthenticatorsWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusInternalServerError {
		t.Errorf("off-spec response answered HTTP %d, want 500", resp.StatusCode())
	}
	if bytes.Contains(resp.Body, []byte("PAUSED")) {
		t.Error("the off-spec body reached the client")
	}
	reports := rec.reports()
	if len(reports) != 1 || !strings.Contains(reports[0], "listAuthenticators") || !strings.Contains(reports[0], "does not match api/okta.yaml") {
		t.Fatalf("reports = %q, want one naming listAuthenticators", reports)
	}
	// A response the hook leaves alone is still fine.
	got, err := c.GetAuthenticatorWithResponse(context.Background(), mustID(t, srv, "okta_email"))
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "get", got.HTTPResponse, got.Body, http.StatusOK)
	if n := len(rec.reports()); n != 1 {
		t.Errorf("%d reports after a good response, want still 1", n)
	}
}

func TestOffSpecResponseIsLoggedWithoutT(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	srv := oktatest.NewServer(oktatest.WithLogger(logger), oktatest.WithResponseHook(offSpec))
	t.Cleanup(srv.Close)
	c, err := okta.NewClientWithResponses(srv.URL, okta.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.ListAuthenticatorsWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusInternalServerError {
		t.Errorf("HTTP %d, want 500", resp.StatusCode())
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "spec violation") {
		t.Errorf("no error logged: %q", logs.String())
	}
	if strings.Contains(logs.String(), srv.APIToken()) {
		t.Error("the API token was logged")
	}
}

func TestOffSpecRequestIsReported(t *testing.T) {
	cases := []struct {
		name, method, path, body string
		wantStatus               int
		wantCode                 string
	}{
		{"unknown enum in body", http.MethodPost, "/api/v1/authenticators", `{"key":"okta_email","name":"E","status":"SLEEPING"}`, 400, "E0000001"},
		{"missing required query", http.MethodGet, "/.well-known/app-authenticator-configuration", "", 400, "E0000001"},
		{"not JSON", http.MethodPost, "/api/v1/users/" + oktatest.SeedUserAda + "/factors", `{"factorType":`, 400, "E0000003"},
		{"unknown path", http.MethodGet, "/api/v1/users/" + oktatest.SeedUserAda + "/devices", "", 404, "E0000007"},
		{"unknown method", http.MethodPatch, "/api/v1/authenticators", "{}", 405, "E0000022"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, lenient := range []bool{false, true} {
				rec := &recordingTB{TB: t}
				opts := []oktatest.Option{oktatest.WithT(rec)}
				if lenient {
					opts = append(opts, oktatest.WithLenientRequests())
				}
				srv := oktatest.NewServer(opts...)
				req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				_, _ = buf.ReadFrom(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tc.wantStatus || !strings.Contains(buf.String(), tc.wantCode) {
					t.Errorf("lenient=%v: HTTP %d %s, want %d %s", lenient, resp.StatusCode, buf.String(), tc.wantStatus, tc.wantCode)
				}
				if got := len(rec.reports()); (got > 0) == lenient {
					t.Errorf("lenient=%v: %d reports %q", lenient, got, rec.reports())
				}
			}
		})
	}
}

func mustID(t *testing.T, srv *oktatest.Server, key string) string {
	t.Helper()
	id, ok := srv.AuthenticatorID(key)
	if !ok {
		t.Fatalf("no %s authenticator", key)
	}
	return id
}

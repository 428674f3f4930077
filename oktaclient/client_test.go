package oktaclient

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mfakit/mfakit/wrappers"
	"golang.org/x/oauth2"
)

func TestNewValidates(t *testing.T) {
	t.Parallel()
	tok := WithAPIToken(testToken)
	ts := WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "at"}))
	cases := []struct {
		name string
		url  string
		opts []Option
		ok   bool
	}{
		{"https", "https://example.okta.com", []Option{tok}, true},
		{"https trailing slash", "https://example.okta.com/", []Option{tok}, true},
		{"https port kept", "https://example.okta.com:8443", []Option{tok}, true},
		{"http loopback v4", "http://127.0.0.1:1234", []Option{tok}, true},
		{"http loopback 127/8", "http://127.9.9.9:1234", []Option{tok}, true},
		{"http loopback v6", "http://[::1]:1234", []Option{tok}, true},
		{"http localhost", "http://localhost:1234", []Option{tok}, true},
		{"http remote", "http://example.okta.com", []Option{tok}, false},
		{"http lookalike", "http://127.0.0.1.example.com", []Option{tok}, false},
		{"ftp", "ftp://example.okta.com", []Option{tok}, false},
		{"no scheme", "example.okta.com", []Option{tok}, false},
		{"path", "https://example.okta.com/api/v1", []Option{tok}, false},
		{"query", "https://example.okta.com/?x=1", []Option{tok}, false},
		{"fragment", "https://example.okta.com/#x", []Option{tok}, false},
		{"userinfo", "https://user:pw@example.okta.com", []Option{tok}, false},
		{"empty", "", []Option{tok}, false},
		{"no credentials", "https://example.okta.com", nil, false},
		{"two credentials", "https://example.okta.com", []Option{tok, ts}, false},
		{"two tokens", "https://example.okta.com", []Option{tok, WithAPIToken("other")}, false},
		{"empty token", "https://example.okta.com", []Option{WithAPIToken("  ")}, false},
		{"token with newline", "https://example.okta.com", []Option{WithAPIToken("a\nb")}, false},
		{"nil token source", "https://example.okta.com", []Option{WithTokenSource(nil)}, false},
		{"pkjwt no client", "https://example.okta.com", []Option{WithPrivateKeyJWT("", testKey(t), "kid")}, false},
		{"pkjwt nil key", "https://example.okta.com", []Option{WithPrivateKeyJWT("0oa1", nil, "kid")}, false},
		{"pkjwt", "https://example.okta.com", []Option{WithPrivateKeyJWT("0oa1", testKey(t), "kid")}, true},
		{"bad retry", "https://example.okta.com", []Option{tok, WithRetry(RetryPolicy{MaxAttempts: -1})}, false},
		{"bad max body", "https://example.okta.com", []Option{tok, WithMaxBodyBytes(0)}, false},
		{"bad user agent", "https://example.okta.com", []Option{tok, WithUserAgent("x\r\ny")}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.url, tc.opts...)
			if tc.ok {
				if err != nil || c == nil {
					t.Fatalf("New = %v, %v; want a client", c, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("New succeeded, want an error")
			}
			if !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("error %v does not match ErrInvalidConfig", err)
			}
			if strings.Contains(err.Error(), "pw") && strings.Contains(tc.url, "pw@") {
				t.Errorf("error repeats user info: %v", err)
			}
		})
	}
}

func TestNewKeepsPort(t *testing.T) {
	t.Parallel()
	c, err := New("https://Example.Okta.com:8443/", WithAPIToken(testToken))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.OrgURL().String(); got != "https://example.okta.com:8443/" {
		t.Errorf("OrgURL = %s", got)
	}
}

func testKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestAuthModes checks what each credential option puts on the wire.
func TestAuthModes(t *testing.T) {
	t.Parallel()
	t.Run("api token", func(t *testing.T) {
		t.Parallel()
		c, rc, _ := serve(t, jsonAnswer(200, `[]`))
		if _, err := c.ListAuthenticators(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := rc.last(t).Header.Get("Authorization"); got != "SSWS "+testToken {
			t.Errorf("Authorization = %q", got)
		}
		if ua := rc.last(t).Header.Get("User-Agent"); ua != DefaultUserAgent {
			t.Errorf("User-Agent = %q", ua)
		}
	})
	t.Run("token source", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		src := tokenFunc(func() (*oauth2.Token, error) {
			calls.Add(1)
			return &oauth2.Token{AccessToken: "at-1", TokenType: "Bearer"}, nil
		})
		c, rc, _ := serve(t, jsonAnswer(200, `[]`), WithTokenSource(src), WithUserAgent("audit/1.0"))
		_ = rc
		for range 3 {
			if _, err := c.ListAuthenticators(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		_ = c
		if got := rc.last(t).Header.Get("Authorization"); got != "Bearer at-1" {
			t.Errorf("Authorization = %q", got)
		}
		if ua := rc.last(t).Header.Get("User-Agent"); ua != "audit/1.0 "+DefaultUserAgent {
			t.Errorf("User-Agent = %q", ua)
		}
		if calls.Load() != 1 {
			t.Errorf("token source called %d times, want 1 (cached)", calls.Load())
		}
	})
	t.Run("private key jwt", func(t *testing.T) {
		t.Parallel()
		var tokenCalls atomic.Int32
		var assertions sync.Map
		rc := &recorder{}
		rc.answer = func(w http.ResponseWriter, r *http.Request, body []byte) {
			if r.URL.Path == "/oauth2/v1/token" {
				tokenCalls.Add(1)
				form, _ := parseForm(body)
				if form["grant_type"] != "client_credentials" || form["client_assertion_type"] != wrappers.ClientAssertionType ||
					form["client_assertion"] == "" || form["scope"] != "okta.authenticators.read" {
					http.Error(w, `{"error":"invalid_client"}`, 401)
					return
				}
				assertions.Store(form["client_assertion"], true)
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"access_token":"jwt-at","token_type":"Bearer","expires_in":3600}`)
				return
			}
			if r.Header.Get("Authorization") != "Bearer jwt-at" {
				w.WriteHeader(401)
				return
			}
			jsonAnswer(200, `[]`)(w, r, body)
		}
		srv := httptest.NewServer(rc)
		t.Cleanup(srv.Close)
		c, err := New(srv.URL, WithPrivateKeyJWT("0oaSERVICE", testKey(t), "kid-1", "okta.authenticators.read"))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if _, err := c.ListAuthenticators(t.Context()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := tokenCalls.Load(); n != 1 {
			t.Errorf("token endpoint hit %d times by 8 concurrent callers, want 1", n)
		}
	})
}

type tokenFunc func() (*oauth2.Token, error)

func (f tokenFunc) Token() (*oauth2.Token, error) { return f() }

func parseForm(body []byte) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range strings.Split(string(body), "&") {
		k, v, _ := strings.Cut(kv, "=")
		k, _ = urlUnescape(k)
		v, _ = urlUnescape(v)
		out[k] = v
	}
	return out, nil
}

// TestSecretsNeverPrinted checks the client's fmt, slog and error output
// for the credential.
func TestSecretsNeverPrinted(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _, _ := serve(t, jsonAnswer(401, `{"errorCode":"E0000011","errorSummary":"Invalid token provided"}`), WithLogger(logger))
	_, err := c.GetAuthenticator(t.Context(), "aut1")
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	logger.Info("client", "c", c)
	outputs := []string{
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c), fmt.Sprintf("%q", c),
		fmt.Sprintf("%v", *c), fmt.Sprintf("%+v", *c), fmt.Sprintf("%#v", *c),
		err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), logs.String(),
		fmt.Sprintf("%v %+v %#v", WithAPIToken(testToken), WithAPIToken(testToken), WithAPIToken(testToken)),
	}
	for i, s := range outputs {
		if strings.Contains(s, testToken) || strings.Contains(s, "do-not-leak") {
			t.Errorf("output %d leaks the token: %s", i, s)
		}
	}
	if !strings.Contains(logs.String(), "attempt") {
		t.Errorf("debug log is empty; the test checks nothing:\n%s", logs.String())
	}
}

// TestCredentialStaysOnOrg: a redirect to another host is refused and the
// token never reaches it.
func TestCredentialStaysOnOrg(t *testing.T) {
	t.Parallel()
	var leaked atomic.Bool
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Store(true)
		}
		io.WriteString(w, `[]`)
	}))
	t.Cleanup(evil.Close)
	c, _, _ := serve(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		http.Redirect(w, r, evil.URL+"/api/v1/authenticators", http.StatusFound)
	})
	_, err := c.ListAuthenticators(t.Context())
	if !errors.Is(err, wrappers.ErrForeignOrigin) {
		t.Errorf("err = %v, want ErrForeignOrigin", err)
	}
	if leaked.Load() {
		t.Error("the Authorization header reached another host")
	}
}

func TestDoEscapeHatch(t *testing.T) {
	t.Parallel()
	c, rc, _ := serve(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.URL.Path == "/api/v1/missing" {
			jsonAnswer(404, `{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: missing (User)","errorLink":"E0000007","errorId":"oaeX","errorCauses":[]}`)(w, r, body)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(append([]byte(`{"echo":`), append(body, '}')...))
	})
	req, err := c.NewRequest(t.Context(), http.MethodPost, "/api/v1/users/00u1/lifecycle/suspend?sendEmail=false", map[string]int{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Echo struct{ N int } `json:"echo"`
	}
	resp, err := c.Do(t.Context(), req, &out)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || out.Echo.N != 1 {
		t.Errorf("status %d, out %+v", resp.StatusCode, out)
	}
	last := rc.last(t)
	if last.RequestURI != "/api/v1/users/00u1/lifecycle/suspend?sendEmail=false" || last.Header.Get("Authorization") != "SSWS "+testToken ||
		last.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request = %+v", last)
	}
	req, _ = c.NewRequest(t.Context(), http.MethodGet, "/api/v1/missing", nil)
	_, err = c.Do(t.Context(), req, nil)
	var oe *Error
	if !errors.As(err, &oe) || oe.ErrorCode != "E0000007" || !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v, want *Error E0000007", err)
	}
	for _, bad := range []string{"https://evil.example/api", "//evil.example/api", "api/v1/x", "/api/../admin", ""} {
		if _, err := c.NewRequest(t.Context(), http.MethodGet, bad, nil); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("NewRequest(%q) err = %v, want ErrInvalidArgument", bad, err)
		}
	}
	// A hand-made request to another origin is refused by Do.
	foreign, _ := http.NewRequest(http.MethodGet, "https://evil.example/api/v1/x", nil)
	if _, err := c.Do(t.Context(), foreign, nil); !errors.Is(err, wrappers.ErrForeignOrigin) {
		t.Errorf("Do(foreign) err = %v", err)
	}
}

// TestParallelCallersShareOneClient runs many goroutines through one client
// (run with -race).
func TestParallelCallersShareOneClient(t *testing.T) {
	t.Parallel()
	body := jsonArray(authenticatorFixtures[KeyOktaVerify], authenticatorFixtures[KeyWebAuthn], authenticatorFixtures[KeyPhoneNumber])
	c, rc, _ := serve(t, jsonAnswer(200, body))
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for range 5 {
				list, err := c.ListAuthenticators(t.Context())
				if err != nil {
					t.Error(err)
					return
				}
				if len(list) != 3 || list[0].Key() != KeyOktaVerify {
					t.Errorf("goroutine %d: got %d items", i, len(list))
				}
				if _, err := json.Marshal(list[0]); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := len(rc.requests()); n != 80 {
		t.Errorf("server saw %d requests, want 80", n)
	}
}

func TestDecodeErrorOn2xx(t *testing.T) {
	t.Parallel()
	c, _, _ := serve(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("X-Okta-Request-Id", "req-42")
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/authenticators":
			io.WriteString(w, `{"not":"an array"}`)
		case "/api/v1/authenticators/aut1":
			io.WriteString(w, `{"key":"okta_verify","name":`) // truncated
		default:
			io.WriteString(w, `[{"id":`)
		}
	})
	_, err := c.ListAuthenticators(t.Context())
	var de *DecodeError
	if !errors.As(err, &de) || !errors.Is(err, ErrDecode) || de.Op != "ListAuthenticators" || de.RequestID != "req-42" {
		t.Errorf("list: err = %v", err)
	}
	a, err := c.GetAuthenticator(t.Context(), "aut1")
	if a != nil || !errors.As(err, &de) {
		t.Errorf("get: a = %v, err = %v; want nil and a *DecodeError", a, err)
	}
	f, err := c.ListFactors(t.Context(), "00u1")
	if f != nil || !errors.Is(err, ErrDecode) {
		t.Errorf("factors: %v, %v", f, err)
	}
}

func TestNilBodiesRefused(t *testing.T) {
	t.Parallel()
	c, rc, _ := serve(t, jsonAnswer(200, `{}`))
	var nilOV *OktaVerifyAuthenticator
	if _, err := c.ReplaceAuthenticator(t.Context(), "aut1", nilOV); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("typed nil: %v", err)
	}
	if _, err := c.CreateAuthenticator(t.Context(), nil, nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil: %v", err)
	}
	if _, err := c.EnrollFactor(t.Context(), "00u1", nil, nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil factor: %v", err)
	}
	if _, err := c.VerifyFactor(t.Context(), "00u1", "f1", FactorVerifyRequest{}, &VerifyFactorOptions{UserAgent: "a\r\nX-Evil: 1"}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("header injection: %v", err)
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
}

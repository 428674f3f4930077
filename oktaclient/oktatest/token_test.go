package oktatest_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/mfakit/mfakit/oktaclient"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
	"github.com/mfakit/mfakit/wrappers"
)

const (
	svcClientID = "0oaServiceApp0001"
	scopeRead   = "okta.authenticators.read"
	scopeManage = "okta.authenticators.manage"
)

// testKeys are generated once: RSA key generation is slow.
var testKeys = sync.OnceValue(func() (k struct{ rsa, other *rsa.PrivateKey }) {
	var err error
	if k.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		panic(err)
	}
	if k.other, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		panic(err)
	}
	return k
})

// serviceClient returns an oktaclient for orgURL that authenticates with key as
// svcClientID, asking for scopes.
func serviceClient(t *testing.T, orgURL string, key crypto.Signer, scopes ...string) *oktaclient.Client {
	t.Helper()
	c, err := oktaclient.New(orgURL, oktaclient.WithPrivateKeyJWT(svcClientID, key, "", scopes...), oktaclient.WithRetry(oktaclient.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantTokenRefusal asserts err is a token endpoint refusal with code, whose
// description contains desc, and that it does not quote the client assertion.
func wantTokenRefusal(t *testing.T, err error, status int, code, desc string) {
	t.Helper()
	var te *wrappers.TokenError
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T), want a *wrappers.TokenError", err, err)
	}
	if te.StatusCode != status || te.ErrorCode != code || !strings.Contains(te.ErrorDescription, desc) {
		t.Errorf("token error %d %q %q, want %d %q containing %q", te.StatusCode, te.ErrorCode, te.ErrorDescription, status, code, desc)
	}
	if strings.Contains(err.Error(), "eyJ") {
		t.Errorf("error quotes a JWT: %v", err)
	}
}

func TestServiceAppThroughClient(t *testing.T) {
	t.Parallel()
	keys := testKeys()
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		registered crypto.PublicKey
		key        crypto.Signer
		host       string // "localhost" to reach the fake under another name
		scopes     []string
		wantErr    func(t *testing.T, err error)
		wantScopes []string
	}{
		{name: "rsa", registered: &keys.rsa.PublicKey, key: keys.rsa, scopes: []string{scopeRead}, wantScopes: []string{scopeRead}},
		{name: "ecdsa", registered: &ecKey.PublicKey, key: ecKey, scopes: []string{scopeRead}, wantScopes: []string{scopeRead}},
		{name: "jwk without kid", registered: jose.JSONWebKey{Key: &keys.rsa.PublicKey}, key: keys.rsa, scopes: []string{scopeRead}, wantScopes: []string{scopeRead}},
		{name: "only allowed scopes granted", registered: &keys.rsa.PublicKey, key: keys.rsa, scopes: []string{"okta.users.manage", scopeRead, "okta.users.read"}, wantScopes: []string{scopeRead}},
		{
			name: "wrong key", registered: &keys.rsa.PublicKey, key: keys.other, scopes: []string{scopeRead},
			wantErr: func(t *testing.T, err error) { wantTokenRefusal(t, err, 401, "invalid_client", "signature") },
		},
		{
			name: "wrong aud", registered: &keys.rsa.PublicKey, key: keys.rsa, host: "localhost", scopes: []string{scopeRead},
			wantErr: func(t *testing.T, err error) { wantTokenRefusal(t, err, 401, "invalid_client", "'aud'") },
		},
		{
			name: "no allowed scope", registered: &keys.rsa.PublicKey, key: keys.rsa, scopes: []string{"okta.users.read"},
			wantErr: func(t *testing.T, err error) { wantTokenRefusal(t, err, 400, "invalid_scope", "okta.users.read") },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := oktatest.NewServer(oktatest.WithT(t), oktatest.WithServiceApp(svcClientID, tt.registered, scopeRead, scopeManage))
			orgURL := srv.URL
			if tt.host != "" {
				orgURL = strings.Replace(orgURL, "127.0.0.1", tt.host, 1)
			}
			c := serviceClient(t, orgURL, tt.key, tt.scopes...)
			auths, err := c.ListAuthenticators(t.Context())
			if got := srv.TokenRequests(); got != 1 {
				t.Errorf("%d token requests, want 1", got)
			}
			if tt.wantErr != nil {
				tt.wantErr(t, err)
				if n := srv.CallCount(oktatest.OpListAuthenticators); n != 0 {
					t.Errorf("%d API calls without a token, want 0", n)
				}
				if n := len(srv.IssuedTokens()); n != 0 {
					t.Errorf("%d tokens issued, want 0", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(auths) != len(srv.Authenticators()) {
				t.Errorf("%d authenticators, want %d", len(auths), len(srv.Authenticators()))
			}
			issued := srv.IssuedTokens()
			if len(issued) != 1 || issued[0].ClientID != svcClientID || !slices.Equal(issued[0].Scopes, tt.wantScopes) {
				t.Errorf("issued %+v, want one token for %s with %v", issued, svcClientID, tt.wantScopes)
			}
		})
	}
}

// TestServiceAppMissingScope: a token is refused 403 for an operation its scopes do
// not cover, and the client does not refetch for a 403.
func TestServiceAppMissingScope(t *testing.T) {
	t.Parallel()
	key := testKeys().rsa
	srv := oktatest.NewServer(oktatest.WithT(t), oktatest.WithServiceApp(svcClientID, &key.PublicKey, scopeRead, scopeManage))
	c := serviceClient(t, srv.URL, key, scopeRead)
	id, _ := srv.AuthenticatorID("okta_email")
	if _, err := c.GetAuthenticator(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	_, err := c.DeactivateAuthenticator(t.Context(), id)
	var oe *oktaclient.Error
	if !errors.As(err, &oe) || oe.Status != http.StatusForbidden || oe.ErrorCode != "E0000006" || !errors.Is(err, oktaclient.ErrForbidden) {
		t.Fatalf("deactivate with a read-only token: %v, want 403 E0000006", err)
	}
	if got := srv.TokenRequests(); got != 1 {
		t.Errorf("%d token requests, want 1", got)
	}
	for _, a := range srv.Authenticators() {
		if a.ID == id && a.Status != "ACTIVE" {
			t.Errorf("okta_email is %s after a refused deactivate", a.Status)
		}
	}
}

// TestServiceAppTokenExpires: the fake expires its tokens on its own clock; the
// client, which still thinks the token fresh, gets 401, refetches once and succeeds.
func TestServiceAppTokenExpires(t *testing.T) {
	t.Parallel()
	key := testKeys().rsa
	clk := &clock{t: time.Now()}
	srv := oktatest.NewServer(oktatest.WithT(t), oktatest.WithClock(clk.Now),
		oktatest.WithTokenLifetime(2*time.Minute), oktatest.WithServiceApp(svcClientID, &key.PublicKey, scopeRead))
	c := serviceClient(t, srv.URL, key, scopeRead)
	if _, err := c.ListAuthenticators(t.Context()); err != nil {
		t.Fatal(err)
	}
	issued := srv.IssuedTokens()
	if len(issued) != 1 || !issued[0].Expires.Equal(clk.Now().Add(2*time.Minute)) {
		t.Fatalf("issued %+v, want one token expiring in 2 minutes", issued)
	}
	clk.Advance(3 * time.Minute)
	if _, err := c.ListAuthenticators(t.Context()); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if got := srv.TokenRequests(); got != 2 {
		t.Errorf("%d token requests, want 2", got)
	}
	// First call, the call refused with the expired token, its retry.
	if got := srv.CallCount(oktatest.OpListAuthenticators); got != 3 {
		t.Errorf("%d list calls, want 3", got)
	}
}

// TestServiceAppParallel: many callers sharing a client cause one token request.
func TestServiceAppParallel(t *testing.T) {
	t.Parallel()
	key := testKeys().rsa
	srv := oktatest.NewServer(oktatest.WithT(t), oktatest.WithServiceApp(svcClientID, &key.PublicKey, scopeRead))
	c := serviceClient(t, srv.URL, key, scopeRead)
	const callers = 24
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			if _, err := c.ListAuthenticators(t.Context()); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := srv.TokenRequests(); got != 1 {
		t.Errorf("%d token requests for %d parallel callers, want 1", got, callers)
	}
}

// assertion signs claims with key, with kid in the header when not empty.
func assertion(t *testing.T, key any, alg jose.SignatureAlgorithm, kid string, claims any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.Signed(sig).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// postToken sends a token request with form to srv.
func postToken(t *testing.T, srv *oktatest.Server, method, contentType string, form url.Values) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+"/oauth2/v1/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatalf("body %q: %v", b, err)
	}
	return resp, body
}

// TestTokenEndpoint drives the endpoint with hand-made requests, for what a
// well-behaved client never sends.
func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	keys := testKeys()
	clk := &clock{t: time.Now().Truncate(time.Second)}
	srv := oktatest.NewServer(oktatest.WithT(t), oktatest.WithClock(clk.Now),
		oktatest.WithServiceApp(svcClientID, &keys.rsa.PublicKey, scopeRead, scopeManage),
		oktatest.WithServiceApp("0oaWithKid", &jose.JSONWebKey{Key: &keys.rsa.PublicKey, KeyID: "kid-1"}, scopeRead))
	aud := srv.URL + "/oauth2/v1/token"
	now := clk.Now()
	claims := func(edit func(*jwt.Claims)) jwt.Claims {
		c := jwt.Claims{
			Issuer: svcClientID, Subject: svcClientID, Audience: jwt.Audience{aud},
			ID: rand.Text(), IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(5 * time.Minute)),
		}
		if edit != nil {
			edit(&c)
		}
		return c
	}
	form := func(a string, edit func(url.Values)) url.Values {
		f := url.Values{
			"grant_type":            {"client_credentials"},
			"scope":                 {scopeRead + " " + scopeManage},
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion":      {a},
		}
		if edit != nil {
			edit(f)
		}
		return f
	}
	good := func() string { return assertion(t, keys.rsa, jose.RS256, "", claims(nil)) }
	replayed := good()
	const formType = "application/x-www-form-urlencoded"

	tests := []struct {
		name        string
		method      string
		contentType string
		form        url.Values
		status      int
		code        string // OAuth error, or "" for success
		desc        string
	}{
		{"ok", "POST", formType, form(good(), nil), 200, "", ""},
		{"ok, client_id given", "POST", formType + "; charset=utf-8", form(good(), func(f url.Values) { f.Set("client_id", svcClientID) }), 200, "", ""},
		{"ok, kid matches", "POST", formType, form(assertion(t, keys.rsa, jose.RS256, "kid-1", claims(func(c *jwt.Claims) { c.Issuer, c.Subject = "0oaWithKid", "0oaWithKid" })), func(f url.Values) { f.Set("scope", scopeRead) }), 200, "", ""},
		{"first use of an assertion", "POST", formType, form(replayed, nil), 200, "", ""},
		{"replayed jti", "POST", formType, form(replayed, nil), 401, "invalid_client", "already been used"},
		{"wrong key", "POST", formType, form(assertion(t, keys.other, jose.RS256, "", claims(nil)), nil), 401, "invalid_client", "signature"},
		{"HMAC", "POST", formType, form(assertion(t, []byte("0123456789abcdef0123456789abcdef"), jose.HS256, "", claims(nil)), nil), 401, "invalid_client", "not a signed JWT"},
		{"wrong kid", "POST", formType, form(assertion(t, keys.rsa, jose.RS256, "kid-2", claims(func(c *jwt.Claims) { c.Issuer, c.Subject = "0oaWithKid", "0oaWithKid" })), nil), 401, "invalid_client", "'kid'"},
		{"wrong aud", "POST", formType, form(assertion(t, keys.rsa, jose.RS256, "", claims(func(c *jwt.Claims) { c.Audience = jwt.Audience{"https://example.okta.com/oauth2/v1/token"} })), nil), 401, "invalid_client", "'aud'"},
		{"sub is not the client", "POST", formType, form(assertion(t, keys.rsa, jose.RS256, "", claims(func(c *jwt.Claims) { c.Subject = "0oaOther" })), nil), 401, "invalid_client", "'sub'"},
		{"unknown client", "POST", formType, form(assertion(t, keys.rsa, jose.RS256, "", claims(func(c *jwt.Claims) { c.Issuer, c.Subject = "0oaNobody", "0oaNobody" })), nil), 401, "invalid_client", "client_id"},
		{"client_id differs from iss", "POST", formType, form(good(), func(f url.Values) { f.Set("client_id", "0oaOther") }), 401, "invalid_client", "client_id"},
		{"expired", "POST", formType, form(assertion(t, keys.rsa, jose.RS256, "", claims(func(c *jwt.Claims) { c.Expiry = jwt.NewNumericDate(now.Add(-time.Second)) })), nil), 401, "invalid_client", "expired"},
		{"no exp", "POST", formType, form(assertion(t, keys.rsa, jose.RS256, "", claims(func(c *jwt.Claims) { c.Expiry = nil })), nil), 401, "invalid_client", "'exp'"},
		{"exp too far", "POST", formType, form(assertion(t, keys.rsa, jose.RS256, "", claims(func(c *jwt.Claims) { c.Expiry = jwt.NewNumericDate(now.Add(61 * time.Minute)) })), nil), 401, "invalid_client", "too far"},
		{"not yet valid", "POST", formType, form(assertion(t, keys.rsa, jose.RS256, "", claims(func(c *jwt.Claims) { c.NotBefore = jwt.NewNumericDate(now.Add(10 * time.Minute)) })), nil), 401, "invalid_client", "not valid yet"},
		{"no assertion", "POST", formType, form("", nil), 401, "invalid_client", "client_assertion"},
		{"client secret", "POST", formType, form(good(), func(f url.Values) { f.Set("client_secret", "s3cret") }), 401, "invalid_client", "private_key_jwt"},
		{"wrong assertion type", "POST", formType, form(good(), func(f url.Values) { f.Set("client_assertion_type", "urn:other") }), 401, "invalid_client", "client_assertion"},
		{"password grant", "POST", formType, form(good(), func(f url.Values) { f.Set("grant_type", "password") }), 400, "unsupported_grant_type", "client_credentials"},
		{"no grant type", "POST", formType, form(good(), func(f url.Values) { f.Del("grant_type") }), 400, "invalid_request", "grant_type"},
		{"no scope", "POST", formType, form(good(), func(f url.Values) { f.Del("scope") }), 400, "invalid_scope", "'scope' must be provided"},
		{"scope not allowed", "POST", formType, form(good(), func(f url.Values) { f.Set("scope", "okta.users.manage") }), 400, "invalid_scope", "okta.users.manage"},
		{"JSON body", "POST", "application/json", form(good(), nil), 400, "invalid_request", "x-www-form-urlencoded"},
	}
	for _, tt := range tests {
		resp, body := postToken(t, srv, tt.method, tt.contentType, tt.form)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: HTTP %d, want %d; body %v", tt.name, resp.StatusCode, tt.status, body)
			continue
		}
		for _, h := range []string{"Date", "X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset", "X-Okta-Request-Id"} {
			if resp.Header.Get(h) == "" {
				t.Errorf("%s: no %s header", tt.name, h)
			}
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", tt.name, cc)
		}
		if tt.code != "" {
			if body["error"] != tt.code || !strings.Contains(fmt.Sprint(body["error_description"]), tt.desc) {
				t.Errorf("%s: body %v, want error %q with a description containing %q", tt.name, body, tt.code, tt.desc)
			}
			continue
		}
		tok, _ := body["access_token"].(string)
		if body["token_type"] != "Bearer" || body["expires_in"] != float64(3600) || len(tok) < 32 || strings.Contains(tok, ".") {
			t.Errorf("%s: body %v, want an opaque Bearer token for 3600 s", tt.name, body)
		}
	}
	if got, want := srv.TokenRequests(), len(tests); got != want {
		t.Errorf("TokenRequests() = %d, want %d", got, want)
	}
	// Granted scopes are those requested that the app has.
	issued := srv.IssuedTokens()
	if len(issued) != 4 || !slices.Equal(issued[0].Scopes, []string{scopeRead, scopeManage}) || !slices.Equal(issued[2].Scopes, []string{scopeRead}) {
		t.Errorf("issued %+v", issued)
	}

	// GET is not allowed.
	resp, body := postToken(t, srv, http.MethodGet, "", nil)
	if resp.StatusCode != http.StatusMethodNotAllowed || body["errorCode"] != "E0000022" {
		t.Errorf("GET: HTTP %d %v, want 405 E0000022", resp.StatusCode, body)
	}
}

// TestTokenEndpointFaultsAndLimits: only faults naming OpToken reach the endpoint, and
// it has its own rate-limit budget.
func TestTokenEndpointFaultsAndLimits(t *testing.T) {
	t.Parallel()
	key := testKeys().rsa
	srv := oktatest.NewServer(oktatest.WithT(t), oktatest.WithServiceApp(svcClientID, &key.PublicKey, scopeRead),
		oktatest.WithRateLimit(oktatest.OpToken, 1, time.Hour))
	c := serviceClient(t, srv.URL, key, scopeRead)

	srv.Inject(oktatest.Fault{OperationID: oktatest.OpToken, Status: http.StatusServiceUnavailable})
	_, err := c.ListAuthenticators(t.Context())
	wantTokenRefusal(t, err, http.StatusServiceUnavailable, "server_error", "injected fault")

	// A wildcard fault is for the API, not the token endpoint.
	srv.FailNext(1, http.StatusBadRequest)
	_, err = c.ListAuthenticators(t.Context())
	if !errors.Is(err, oktaclient.ErrBadRequest) {
		t.Errorf("with a wildcard fault queued: %v, want the API call to take it", err)
	}
	if got := srv.TokenRequests(); got != 2 {
		t.Errorf("%d token requests, want 2", got)
	}
	// The budget of 1 is spent (the faulted request spent none): the next token
	// request is refused with 429.
	c2 := serviceClient(t, srv.URL, key, scopeRead)
	_, err = c2.ListAuthenticators(t.Context())
	var te *wrappers.TokenError
	if !errors.As(err, &te) || te.StatusCode != http.StatusTooManyRequests {
		t.Errorf("third token request: %v, want a 429 refusal", err)
	}
}

func TestWithServiceAppBadKeyPanics(t *testing.T) {
	t.Parallel()
	for name, key := range map[string]crypto.PublicKey{
		"nil":        nil,
		"string":     "not a key",
		"nil rsa":    (*rsa.PublicKey)(nil),
		"nil jwk":    (*jose.JSONWebKey)(nil),
		"jwk of nil": jose.JSONWebKey{},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "WithServiceApp") {
					t.Errorf("%s: recovered %v, want a WithServiceApp panic", name, r)
				}
			}()
			srv := oktatest.NewServer(oktatest.WithServiceApp(svcClientID, key))
			srv.Close()
		}()
	}
}

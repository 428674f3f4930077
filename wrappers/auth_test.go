package wrappers

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
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"
)

func TestHeaderAuth(t *testing.T) {
	tests := []struct {
		name    string
		scheme  string
		token   Secret
		want    string
		wantErr bool
	}{
		{"SSWS", "SSWS", "00abc", "SSWS 00abc", false},
		{"no scheme", "", "raw", "raw", false},
		{"empty token", "SSWS", "", "", true},
		{"header injection", "SSWS", "abc\r\nX-Evil: 1", "", true},
		{"bad scheme", "SS WS", "abc", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, "https://example.com", nil)
			err := HeaderAuth(tt.scheme, tt.token).Authorize(req)
			if tt.wantErr {
				if !errors.Is(err, ErrNoCredential) {
					t.Fatalf("err = %v, want ErrNoCredential", err)
				}
				if tt.token != "" && strings.Contains(err.Error(), string(tt.token)) {
					t.Errorf("error repeats the token: %v", err)
				}
				return
			}
			if err != nil || req.Header.Get("Authorization") != tt.want {
				t.Errorf("Authorization = %q, err %v; want %q", req.Header.Get("Authorization"), err, tt.want)
			}
		})
	}
}

func TestTokenSourceAuth(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://example.com", nil)
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "at", TokenType: "bearer"})
	if err := TokenSourceAuth(ts).Authorize(req); err != nil || req.Header.Get("Authorization") != "Bearer at" {
		t.Errorf("Authorization = %q, %v", req.Header.Get("Authorization"), err)
	}
	if _, ok := TokenSourceAuth(ts).(Invalidator); !ok {
		t.Error("TokenSourceAuth is not an Invalidator")
	}
	if _, ok := HeaderAuth("SSWS", "x").(Invalidator); ok {
		t.Error("HeaderAuth claims to be an Invalidator; a static token cannot be refreshed")
	}
	bad := TokenSourceAuth(errSource{&oauth2.RetrieveError{
		Response: &http.Response{StatusCode: 401, Status: "401 Unauthorized"},
		Body:     []byte(`{"client_secret":"leaked-secret"}`),
	}})
	err := bad.Authorize(req)
	var te *TokenError
	if !errors.As(err, &te) || te.StatusCode != 401 || strings.Contains(err.Error(), "leaked-secret") {
		t.Errorf("err = %v, want a scrubbed *TokenError", err)
	}
}

type errSource struct{ err error }

func (s errSource) Token() (*oauth2.Token, error) { return nil, s.err }

// slowSource counts fetches and takes a while, so concurrent callers overlap.
type slowSource struct {
	n     atomic.Int32
	delay time.Duration
	life  time.Duration
	now   func() time.Time
	fail  atomic.Bool
}

func (s *slowSource) Token() (*oauth2.Token, error) {
	n := s.n.Add(1)
	time.Sleep(s.delay)
	if s.fail.Load() {
		return nil, errors.New("token endpoint down")
	}
	now := time.Now
	if s.now != nil {
		now = s.now
	}
	return &oauth2.Token{AccessToken: fmt.Sprintf("tok-%d", n), TokenType: "Bearer", Expiry: now().Add(s.life)}, nil
}

func TestCachingTokenSourceSharesOneFetch(t *testing.T) {
	src := &slowSource{delay: 50 * time.Millisecond, life: time.Hour}
	c := NewCachingTokenSource(src, time.Minute)
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]int{}
	start := make(chan struct{})
	for range 100 {
		wg.Go(func() {
			<-start
			tok, err := c.Token()
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got[tok.AccessToken]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	if src.n.Load() != 1 || got["tok-1"] != 100 {
		t.Errorf("fetches = %d, tokens = %v; want 1 fetch shared by 100 callers", src.n.Load(), got)
	}
}

func TestCachingTokenSourceLifecycle(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	src := &slowSource{life: 10 * time.Minute, now: clock}
	c := NewCachingTokenSource(src, time.Minute, WithCacheClock(clock), WithCacheClock(nil))

	tok := func() string {
		t.Helper()
		tk, err := c.Token()
		if err != nil {
			t.Fatal(err)
		}
		return tk.AccessToken
	}
	if got := tok(); got != "tok-1" {
		t.Fatalf("first = %s", got)
	}
	now = now.Add(8 * time.Minute)
	if got := tok(); got != "tok-1" {
		t.Errorf("at 8m = %s, want the cached tok-1", got)
	}
	now = now.Add(90 * time.Second) // 9m30s: within a minute of expiry
	if got := tok(); got != "tok-2" {
		t.Errorf("at 9m30s = %s, want a fresh tok-2", got)
	}
	c.Invalidate()
	if got := tok(); got != "tok-3" {
		t.Errorf("after Invalidate = %s, want tok-3", got)
	}
	c.invalidateIf("tok-2") // stale: another caller already replaced it
	if got := tok(); got != "tok-3" {
		t.Errorf("after invalidateIf(stale) = %s, want tok-3 kept", got)
	}
	c.invalidateIf("tok-3")
	if got := tok(); got != "tok-4" {
		t.Errorf("after invalidateIf(current) = %s, want tok-4", got)
	}

	// Errors are returned, not cached.
	c.Invalidate()
	src.fail.Store(true)
	if _, err := c.Token(); err == nil {
		t.Fatal("want an error from a failing source")
	}
	src.fail.Store(false)
	if got := tok(); got != "tok-6" {
		t.Errorf("after a failure = %s, want tok-6", got)
	}

	// A token that lives shorter than early is not refetched on every call.
	short := &slowSource{life: 40 * time.Second, now: clock}
	cs := NewCachingTokenSource(short, time.Minute, WithCacheClock(clock))
	for range 5 {
		if _, err := cs.Token(); err != nil {
			t.Fatal(err)
		}
	}
	if short.n.Load() != 1 {
		t.Errorf("short-lived token fetched %d times, want 1", short.n.Load())
	}
}

// tokenEndpoint is a fake OAuth token endpoint that records form posts.
type tokenEndpoint struct {
	*server
	mu    sync.Mutex
	forms []url.Values
	auth  []string
}

func newTokenEndpoint(t *testing.T, status int, body string) *tokenEndpoint {
	te := &tokenEndpoint{}
	te.server = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		te.mu.Lock()
		te.forms = append(te.forms, r.PostForm)
		te.auth = append(te.auth, r.Header.Get("Authorization"))
		n := len(te.forms)
		te.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, body, n)
	})
	return te
}

const okTokenBody = `{"access_token":"at-%d","token_type":"bearer","expires_in":3600}`

// opaqueSigner hides the concrete key type, like an HSM or KMS key.
type opaqueSigner struct{ k crypto.Signer }

func (o opaqueSigner) Public() crypto.PublicKey { return o.k.Public() }
func (o opaqueSigner) Sign(r io.Reader, d []byte, opts crypto.SignerOpts) ([]byte, error) {
	return o.k.Sign(r, d, opts)
}

func TestPrivateKeyJWTTokenSource(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  crypto.Signer
		alg  jose.SignatureAlgorithm
	}{
		{"RSA", rsaKey, jose.RS256},
		{"ECDSA P-256", ecKey, jose.ES256},
		{"opaque RSA", opaqueSigner{rsaKey}, jose.RS256},
		{"opaque ECDSA P-256", opaqueSigner{ecKey}, jose.ES256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			te := newTokenEndpoint(t, 200, okTokenBody)
			tokenURL := te.URL + "/oauth2/v1/token"
			ts, err := PrivateKeyJWTTokenSource(t.Context(), tokenURL, "0oa-client", tt.key, "kid-1", []string{"okta.authenticators.read", "okta.users.read"}, te.Client())
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i <= 2; i++ {
				tok, err := ts.Token()
				if err != nil {
					t.Fatal(err)
				}
				if tok.AccessToken != fmt.Sprintf("at-%d", i) || tok.Type() != "Bearer" {
					t.Errorf("token %d = %+v", i, tok)
				}
			}
			if len(te.forms) != 2 {
				t.Fatalf("token endpoint got %d requests, want 2", len(te.forms))
			}
			jtis := map[string]bool{}
			for _, f := range te.forms {
				if f.Get("grant_type") != "client_credentials" || f.Get("client_id") != "0oa-client" ||
					f.Get("client_assertion_type") != ClientAssertionType || f.Get("scope") != "okta.authenticators.read okta.users.read" {
					t.Errorf("form = %v", f)
				}
				if f.Has("client_secret") {
					t.Error("form has a client_secret")
				}
				tok, err := jwt.ParseSigned(f.Get("client_assertion"), []jose.SignatureAlgorithm{tt.alg})
				if err != nil {
					t.Fatalf("assertion does not parse as %s: %v", tt.alg, err)
				}
				if h := tok.Headers[0]; h.KeyID != "kid-1" {
					t.Errorf("kid = %q", h.KeyID)
				}
				var c jwt.Claims
				if err := tok.Claims(tt.key.Public(), &c); err != nil {
					t.Fatalf("signature does not verify: %v", err)
				}
				if err := c.ValidateWithLeeway(jwt.Expected{Issuer: "0oa-client", Subject: "0oa-client", AnyAudience: jwt.Audience{tokenURL}, Time: time.Now()}, 0); err != nil {
					t.Errorf("claims: %v", err)
				}
				if life := c.Expiry.Time().Sub(c.IssuedAt.Time()); life <= 0 || life > 5*time.Minute {
					t.Errorf("assertion lifetime %v", life)
				}
				if c.ID == "" || jtis[c.ID] {
					t.Errorf("jti %q empty or repeated", c.ID)
				}
				jtis[c.ID] = true
			}
		})
	}
}

func TestPrivateKeyJWTTokenSourceRejectsBadConfig(t *testing.T) {
	ecKey, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	tests := []struct {
		name     string
		tokenURL string
		clientID string
		key      crypto.Signer
		want     error
	}{
		{"no key", "https://x.okta.com/oauth2/v1/token", "c", nil, ErrNoCredential},
		{"P-224", "https://x.okta.com/oauth2/v1/token", "c", ecKey, ErrNoCredential},
		{"no client", "https://x.okta.com/oauth2/v1/token", "", rsaKey, ErrNoCredential},
		{"plain http", "http://x.okta.com/oauth2/v1/token", "c", rsaKey, ErrInvalidBaseURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := PrivateKeyJWTTokenSource(t.Context(), tt.tokenURL, tt.clientID, tt.key, "", nil, nil); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestTokenEndpointErrorsAreScrubbed(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	const secret = "client-secret-value"
	tests := []struct {
		name     string
		status   int
		body     string
		wantCode string
		wantDesc string
	}{
		{"RFC 6749", 401, `{"error":"invalid_client","error_description":"bad client","echo":"ECHO"}`, "invalid_client", "bad client"},
		{"v2 shape", 401, `{"statusCode":401,"name":"InvalidCredentials","message":"Invalid credentials","echo":"ECHO"}`, "InvalidCredentials", "Invalid credentials"},
		{"HTML", 502, `<html>ECHO</html>`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The endpoint echoes the whole request form back, assertion and
			// secret included, as a careless server might.
			var form string
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				r.ParseForm()
				form = r.PostForm.Encode()
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				echo, _ := json.Marshal(form)
				io.WriteString(w, strings.Replace(tt.body, "ECHO", string(echo[1:len(echo)-1]), 1))
			})
			jwtSrc, err := PrivateKeyJWTTokenSource(t.Context(), s.URL, "c1", rsaKey, "", nil, s.Client())
			if err != nil {
				t.Fatal(err)
			}
			secSrc, err := ClientSecretTokenSource(t.Context(), s.URL, "c1", secret, nil, oauth2.AuthStyleInParams, s.Client())
			if err != nil {
				t.Fatal(err)
			}
			for _, src := range []oauth2.TokenSource{jwtSrc, secSrc, NewCachingTokenSource(secSrc, 0)} {
				_, err := src.Token()
				var te *TokenError
				if !errors.As(err, &te) || te.StatusCode != tt.status || te.ErrorCode != tt.wantCode || te.ErrorDescription != tt.wantDesc {
					t.Fatalf("err = %#v, want *TokenError %d %q %q", err, tt.status, tt.wantCode, tt.wantDesc)
				}
				var re *oauth2.RetrieveError
				if errors.As(err, &re) {
					t.Error("the raw *oauth2.RetrieveError is still reachable")
				}
				msg := fmt.Sprintf("%v %+v %#v", err, err, err)
				sent, _ := url.ParseQuery(form)
				if !strings.Contains(form, secret) && !strings.Contains(form, "client_assertion=") {
					t.Fatalf("test setup: the endpoint saw neither secret nor assertion: %s", form)
				}
				assertNoSecrets(t, msg, secret, sent.Get("client_assertion"))
			}
		})
	}
}

func TestClientSecretTokenSource(t *testing.T) {
	te := newTokenEndpoint(t, 200, okTokenBody)
	ts, err := ClientSecretTokenSource(t.Context(), te.URL+"/auth/oauth2/v2/token", "cid", "csecret", nil, oauth2.AuthStyleInParams, te.Client())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := ts.Token()
	if err != nil || tok.AccessToken != "at-1" {
		t.Fatalf("Token = %v, %v", tok, err)
	}
	f := te.forms[0]
	if f.Get("client_id") != "cid" || f.Get("client_secret") != "csecret" || f.Get("grant_type") != "client_credentials" || f.Has("scope") {
		t.Errorf("form = %v (no scope must be sent)", f)
	}
	if _, err := ClientSecretTokenSource(t.Context(), te.URL, "cid", "", nil, oauth2.AuthStyleInParams, nil); !errors.Is(err, ErrNoCredential) {
		t.Errorf("empty secret: %v", err)
	}
}

func TestTokenEndpointRedirectOffOriginRefused(t *testing.T) {
	other := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/token", http.StatusTemporaryRedirect) // 307 keeps the POST body
	})
	ts, err := ClientSecretTokenSource(t.Context(), s.URL, "cid", "csecret", nil, oauth2.AuthStyleInParams, s.Client())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Token(); !errors.Is(err, ErrForeignOrigin) {
		t.Errorf("err = %v, want ErrForeignOrigin", err)
	}
	if other.Hits() != 0 {
		t.Errorf("the secret was posted to another origin (%d requests)", other.Hits())
	}
}

package wrappers

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// gateSource is a TokenSourceContext whose fetches block until released or
// until their context is done. Each fetch reports its context on entered.
type gateSource struct {
	n       atomic.Int32
	entered chan context.Context
	release chan struct{}
}

func newGateSource() *gateSource {
	return &gateSource{entered: make(chan context.Context, 10), release: make(chan struct{})}
}

func (g *gateSource) Token() (*oauth2.Token, error) { return g.TokenContext(context.Background()) }

func (g *gateSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	n := g.n.Add(1)
	g.entered <- ctx
	select {
	case <-g.release:
		return &oauth2.Token{AccessToken: fmt.Sprintf("tok-%d", n), Expiry: time.Now().Add(time.Hour)}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (g *gateSource) waitEntered(t *testing.T) context.Context {
	t.Helper()
	select {
	case ctx := <-g.entered:
		return ctx
	case <-time.After(5 * time.Second):
		t.Fatal("the source was never asked")
		return nil
	}
}

// waitWaiters waits until the cache's current fetch has n waiting callers.
func waitWaiters(t *testing.T, c *CachingTokenSource, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		c.s.mu.Lock()
		got := 0
		if c.s.flight != nil {
			got = c.s.flight.waiters
		}
		c.s.mu.Unlock()
		if got == n {
			return
		}
	}
	t.Fatalf("the fetch never had %d waiters", n)
}

// hangingTokenEndpoint answers no token request until the test ends; it
// reports each request's context ending (the client gave up) on gone.
func hangingTokenEndpoint(t *testing.T) (*server, <-chan struct{}) {
	t.Helper()
	release := make(chan struct{})
	gone := make(chan struct{}, 10)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		// Read the form first: only then does the server watch the
		// connection, and cancel r's context when the client goes.
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
			gone <- struct{}{}
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // runs before s.Close
	return s, gone
}

// TestTokenFetchStopsAtCallerDeadline: a call whose context ends while the
// token endpoint hangs returns promptly with context.DeadlineExceeded and
// sends nothing to the API; as it was the only caller waiting, the token
// request itself is cancelled.
func TestTokenFetchStopsAtCallerDeadline(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]func(tokenURL string, hc *http.Client) (oauth2.TokenSource, error){
		"client secret": func(u string, hc *http.Client) (oauth2.TokenSource, error) {
			return ClientSecretTokenSource(context.Background(), u, "cid", "csecret", nil, oauth2.AuthStyleInHeader, hc)
		},
		"private key JWT": func(u string, hc *http.Client) (oauth2.TokenSource, error) {
			return PrivateKeyJWTTokenSource(context.Background(), u, "cid", rsaKey, "", nil, hc)
		},
	}
	for name, mk := range sources {
		for _, cached := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s cached=%v", name, cached), func(t *testing.T) {
				tokenSrv, gone := hangingTokenEndpoint(t)
				api := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
				src, err := mk(tokenSrv.URL+"/token", tokenSrv.Client())
				if err != nil {
					t.Fatal(err)
				}
				if cached {
					src = NewCachingTokenSource(src, time.Minute)
				}
				d, _ := newTestDoer(t, api, func(c *DoerConfig) { c.Auth = TokenSourceAuth(src) })
				ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
				defer cancel()
				start := time.Now()
				_, err = d.Do(mustRequest(t, ctx, http.MethodGet, api.URL+"/api/x", nil))
				if elapsed := time.Since(start); elapsed > 2*time.Second {
					t.Errorf("Do returned after %v, want about 50ms", elapsed)
				}
				var ae *AuthorizeError
				if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ae) {
					t.Fatalf("err = %v, want an *AuthorizeError matching context.DeadlineExceeded", err)
				}
				if api.Hits() != 0 {
					t.Errorf("the API got %d requests without a token", api.Hits())
				}
				select {
				case <-gone:
				case <-time.After(5 * time.Second):
					t.Error("the token request was never cancelled")
				}
			})
		}
	}
}

// TestCachingTokenSourceSharedFetchOutlivesOneCaller: one caller giving up
// does not cancel the fetch others wait for; the fetch carries the starting
// caller's values but not its cancellation; when the last waiter leaves, the
// fetch is cancelled and the next caller starts a new one.
func TestCachingTokenSourceSharedFetchOutlivesOneCaller(t *testing.T) {
	type key struct{}
	src := newGateSource()
	c := NewCachingTokenSource(src, time.Minute)

	ctxA, cancelA := context.WithCancel(context.WithValue(t.Context(), key{}, "a"))
	errA := make(chan error, 1)
	go func() { _, err := c.TokenContext(ctxA); errA <- err }()
	fetchCtx := src.waitEntered(t)
	if fetchCtx.Value(key{}) != "a" {
		t.Error("the fetch lost the starting caller's context values")
	}
	type result struct {
		tok *oauth2.Token
		err error
	}
	resB := make(chan result, 1)
	go func() { tok, err := c.TokenContext(t.Context()); resB <- result{tok, err} }()
	waitWaiters(t, c, 2)

	cancelA()
	if err := <-errA; !errors.Is(err, context.Canceled) {
		t.Errorf("caller A: err = %v, want context.Canceled", err)
	}
	waitWaiters(t, c, 1)
	if fetchCtx.Err() != nil {
		t.Fatal("caller A's cancellation cancelled the shared fetch")
	}
	close(src.release)
	if r := <-resB; r.err != nil || r.tok.AccessToken != "tok-1" || src.n.Load() != 1 {
		t.Fatalf("caller B: %v, %v after %d fetches; want tok-1 from one fetch", r.tok, r.err, src.n.Load())
	}

	// The last waiter leaving cancels the fetch; the next caller starts anew.
	src2 := newGateSource()
	c2 := NewCachingTokenSource(src2, time.Minute)
	ctx, cancel := context.WithCancel(t.Context())
	errC := make(chan error, 1)
	go func() { _, err := c2.TokenContext(ctx); errC <- err }()
	fetch1 := src2.waitEntered(t)
	waitWaiters(t, c2, 1)
	cancel()
	if err := <-errC; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	select {
	case <-fetch1.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the abandoned fetch was not cancelled")
	}
	close(src2.release)
	if tok, err := c2.TokenContext(t.Context()); err != nil || tok.AccessToken != "tok-2" {
		t.Errorf("next caller: %v, %v; want a new fetch's tok-2", tok, err)
	}
	if _, err := c2.TokenContext(ctx); err != nil {
		t.Errorf("a fresh cached token is returned even to a done context: %v", err)
	}
}

// TestTokenSourcesHonourTheirOwnContext: cancelling the context a source was
// made with still stops its fetches, also through TokenContext.
func TestTokenSourcesHonourTheirOwnContext(t *testing.T) {
	tokenSrv, _ := hangingTokenEndpoint(t)
	ctx, cancel := context.WithCancel(t.Context())
	ts, err := ClientSecretTokenSource(ctx, tokenSrv.URL, "cid", "csecret", nil, oauth2.AuthStyleInParams, tokenSrv.Client())
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := ts.(TokenSourceContext).TokenContext(t.Context()); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if _, err := ts.Token(); !errors.Is(err, context.Canceled) {
		t.Errorf("Token after cancel: err = %v, want context.Canceled", err)
	}
}

// TestTokenEndpointMalformed: a 2xx token answer without a usable access
// token is a *MalformedTokenError matching ErrMalformedToken (from the
// sources, through the cache and through the Doer), never a *TokenError, and
// never shows the body; a refusal in a 200 and a dead endpoint are not
// malformed. The cases pin x/oauth2's messages (see malformedTokenResponse).
func TestTokenEndpointMalformed(t *testing.T) {
	const secret = "client-secret-value"
	tests := []struct {
		name, contentType, body string
		malformed               bool
	}{
		{"html", "text/html", "<html>maintenance " + secret + "</html>", true},
		{"truncated json", "application/json", `{"access_token":"at-` + secret, true},
		{"json without access_token", "application/json", `{"token_type":"bearer","expires_in":3600,"echo":"` + secret + `"}`, true},
		{"json access_token not a string", "application/json", `{"access_token":12345}`, true},
		{"access token with a newline", "application/json", `{"access_token":"at\r\nX-Evil: ` + secret + `","token_type":"bearer"}`, true},
		{"form without access_token", "text/plain", "token_type=bearer&echo=" + secret, true},
		{"form that does not parse", "application/x-www-form-urlencoded", "access_token=%zz" + secret, true},
		{"refusal in a 200", "application/json", `{"error":"invalid_client","error_description":"nope"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				io.WriteString(w, tt.body)
			})
			ts, err := ClientSecretTokenSource(t.Context(), s.URL, "cid", secret, nil, oauth2.AuthStyleInParams, s.Client())
			if err != nil {
				t.Fatal(err)
			}
			api := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
			d, _ := newTestDoer(t, api, func(c *DoerConfig) { c.Auth = TokenSourceAuth(NewCachingTokenSource(ts, 0)) })
			_, doErr := d.Do(mustRequest(t, t.Context(), http.MethodGet, api.URL, nil))
			_, tokErr := ts.Token()
			for _, err := range []error{tokErr, doErr} {
				var me *MalformedTokenError
				var te *TokenError
				if got := errors.Is(err, ErrMalformedToken) && errors.As(err, &me); got != tt.malformed {
					t.Errorf("err = %v: malformed %v, want %v", err, got, tt.malformed)
				}
				if tt.malformed == errors.As(err, &te) {
					t.Errorf("err = %v: *TokenError %v, want %v", err, !tt.malformed, !tt.malformed)
				}
				assertNoSecrets(t, fmt.Sprintf("%v %+v", err, err), secret)
			}
			if api.Hits() != 0 {
				t.Errorf("the API got %d requests", api.Hits())
			}
		})
	}
	t.Run("endpoint down is not malformed", func(t *testing.T) {
		s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		})
		ts, _ := ClientSecretTokenSource(t.Context(), s.URL, "cid", secret, nil, oauth2.AuthStyleInParams, s.Client())
		_, err := ts.Token()
		var ue *url.Error
		if err == nil || errors.Is(err, ErrMalformedToken) || !errors.As(err, &ue) {
			t.Errorf("err = %v, want a transport error that is not ErrMalformedToken", err)
		}
	})
	if !strings.Contains((&MalformedTokenError{Err: errors.New("x")}).Error(), "without a usable access token") {
		t.Error("MalformedTokenError.Error does not say what happened")
	}
}

package oktaclient

// Fault injection, security and load tests for the Okta client (issue 7),
// run through the stateful fake in oktatest (which validates every request
// and response against api/okta.yaml and counts each operation's calls) with
// OAuth 2.0 credentials from a private_key_jwt token endpoint that counts its
// hits. docs/reliability.md lists what each test shows.
//
// Helpers here carry an hz prefix so that they cannot collide with the
// client owner's test helpers in this package. These tests are not parallel
// and check for leaked goroutines with goleak.VerifyNone.

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/mfakit/mfakit/oktaclient/oktatest"
	"github.com/mfakit/mfakit/wrappers"
)

var hzScopes = []string{"okta.authenticators.manage", "okta.authenticators.read", "okta.users.manage", "okta.users.read"}

// hzKey is one RSA key for every test here (generating one is slow).
var hzKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// hzTokenEndpoint is an OAuth 2.0 token endpoint that accepts a
// private_key_jwt client assertion and hands out access tokens from a fixed
// pool (registered with the fake in advance), counting its hits and keeping
// every assertion it saw.
type hzTokenEndpoint struct {
	*httptest.Server
	lifetime   time.Duration
	hits       atomic.Int32
	mu         sync.Mutex
	assertions []string
}

const hzTokenPool = 64

func hzAccessToken(i int) string { return fmt.Sprintf("hz-okta-access-token-%02d-secret", i) }

func newHzTokenEndpoint(t *testing.T, lifetime time.Duration) *hzTokenEndpoint {
	te := &hzTokenEndpoint{lifetime: lifetime}
	te.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(te.hits.Add(1))
		r.ParseForm()
		a := r.PostForm.Get("client_assertion")
		te.mu.Lock()
		te.assertions = append(te.assertions, a)
		te.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if a == "" || r.PostForm.Get("grant_type") != "client_credentials" {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"invalid_client"}`))
			return
		}
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":%d,"scope":%q}`,
			hzAccessToken(n%hzTokenPool), int(te.lifetime/time.Second), strings.Join(hzScopes, " "))
	}))
	t.Cleanup(te.Close)
	return te
}

func (te *hzTokenEndpoint) seen() []string {
	te.mu.Lock()
	defer te.mu.Unlock()
	return append([]string(nil), te.assertions...)
}

// hzLog is a goroutine-safe buffer for a Debug-level slog handler.
type hzLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *hzLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *hzLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// hzWaits records the retry waits the client asks for and returns at once.
type hzWaits struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (w *hzWaits) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w.mu.Lock()
	w.waits = append(w.waits, d)
	w.mu.Unlock()
	return nil
}

func (w *hzWaits) get() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.waits...)
}

// hzEnv is a fake org, a token endpoint, a client on both, and what the
// test observed.
type hzEnv struct {
	srv   *oktatest.Server
	te    *hzTokenEndpoint
	c     *Client
	waits *hzWaits
	log   *hzLog
}

func hzSetup(t *testing.T, srvOpts []oktatest.Option, opts ...Option) *hzEnv {
	t.Helper()
	env := &hzEnv{waits: &hzWaits{}, log: &hzLog{}}
	env.te = newHzTokenEndpoint(t, time.Hour)
	all := []oktatest.Option{oktatest.WithT(t), oktatest.WithFixedPasscode("135790")}
	for i := range hzTokenPool {
		all = append(all, oktatest.WithBearerToken(hzAccessToken(i), hzScopes...))
	}
	env.srv = oktatest.NewServer(append(all, srvOpts...)...)
	src, err := wrappers.PrivateKeyJWTTokenSource(context.Background(), env.te.URL+"/oauth2/v1/token",
		"0oaHzClient", hzKey(), "hz-kid", hzScopes, env.te.Client())
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(env.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := New(env.srv.URL, append([]Option{
		WithTokenSource(src),
		WithHTTPClient(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}),
		WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}),
		WithLogger(logger),
		func(c *config) error { c.sleep = env.waits.sleep; return nil },
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	env.c = c
	t.Cleanup(c.CloseIdleConnections)
	return env
}

// secrets returns every secret the environment has: access tokens, client
// assertions (whole and their signature), the private key in PEM and DER.
func (env *hzEnv) secrets() []string {
	var s []string
	for i := range hzTokenPool {
		s = append(s, hzAccessToken(i))
	}
	for _, a := range env.te.seen() {
		s = append(s, a)
		if parts := strings.Split(a, "."); len(parts) == 3 {
			s = append(s, parts[1], parts[2])
		}
	}
	return append(s, hzKeySecrets()...)
}

func hzKeySecrets() []string {
	der := x509.MarshalPKCS1PrivateKey(hzKey())
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}))
	lines := strings.Split(pemText, "\n")
	return []string{
		lines[2],                    // a line of the PEM body
		hzKey().D.String()[:40],     // the private exponent, as %v prints big.Int
		fmt.Sprintf("%x", der)[:80], // DER in hex
	}
}

func hzCheckNoSecrets(t *testing.T, secrets []string, outputs ...string) {
	t.Helper()
	for _, s := range secrets {
		if len(s) < 8 {
			continue
		}
		for _, out := range outputs {
			if strings.Contains(out, s) {
				t.Errorf("secret %.8q… appears in output: %.300s", s, out)
			}
		}
	}
}

func hzFormats(v any) []string {
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out = append(out, fmt.Sprintf(verb, v))
	}
	return out
}

// hzFixture holds ids and values the operations need, read at warm-up.
type hzFixture struct {
	emailID, webauthnID, alanQuestion, adaSMS string
	email                                     Authenticator
}

// hzOp is one operation, as the fault table drives it.
type hzOp struct {
	name       string
	class      string // read, replace (PUT), lifecycle POST, delete
	opID       string
	idempotent bool
	noBody     bool // answers 204: a truncated body is no fault
	run        func(ctx context.Context, c *Client, fx *hzFixture) (any, error)
}

func hzIface[T any](v T, err error) (any, error) {
	if isNil(v) {
		return nil, err
	}
	return v, err
}

func hzSlice[T any](v []T, err error) (any, error) {
	if v == nil {
		return nil, err
	}
	return v, err
}

func hzNoValue(err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

var hzOps = []hzOp{
	{"GetAuthenticator", "read", oktatest.OpGetAuthenticator, true, false, func(ctx context.Context, c *Client, fx *hzFixture) (any, error) {
		return hzIface(c.GetAuthenticator(ctx, fx.emailID))
	}},
	{"ListFactors", "read", oktatest.OpListFactors, true, false, func(ctx context.Context, c *Client, fx *hzFixture) (any, error) {
		return hzSlice(c.ListFactors(ctx, oktatest.SeedUserAda))
	}},
	{"ReplaceAuthenticator", "replace (PUT)", oktatest.OpReplaceAuthenticator, true, false, func(ctx context.Context, c *Client, fx *hzFixture) (any, error) {
		return hzIface(c.ReplaceAuthenticator(ctx, fx.emailID, fx.email))
	}},
	{"DeactivateAuthenticator", "lifecycle POST", oktatest.OpDeactivateAuthenticator, false, false, func(ctx context.Context, c *Client, fx *hzFixture) (any, error) {
		return hzIface(c.DeactivateAuthenticator(ctx, fx.webauthnID))
	}},
	{"VerifyFactor", "lifecycle POST", oktatest.OpVerifyFactor, false, false, func(ctx context.Context, c *Client, fx *hzFixture) (any, error) {
		return hzIface(c.VerifyFactor(ctx, oktatest.SeedUserAlan, fx.alanQuestion, FactorVerifyRequest{Answer: Ptr(oktatest.SeedAnswer)}, nil))
	}},
	{"DeleteCustomAAGUID", "delete", oktatest.OpDeleteCustomAAGUID, true, true, func(ctx context.Context, c *Client, fx *hzFixture) (any, error) {
		return hzNoValue(c.DeleteCustomAAGUID(ctx, fx.webauthnID, oktatest.SeedAAGUID))
	}},
	{"UnenrollFactor", "delete", oktatest.OpUnenrollFactor, true, true, func(ctx context.Context, c *Client, fx *hzFixture) (any, error) {
		return hzNoValue(c.UnenrollFactor(ctx, oktatest.SeedUserAda, fx.adaSMS, nil))
	}},
}

// hzWarmUp fetches the access token and the fixture values.
func hzWarmUp(t *testing.T, env *hzEnv) *hzFixture {
	t.Helper()
	fx := &hzFixture{}
	var ok bool
	if fx.emailID, ok = env.srv.AuthenticatorID("okta_email"); !ok {
		t.Fatal("no okta_email authenticator in the fake")
	}
	if fx.webauthnID, ok = env.srv.AuthenticatorID("webauthn"); !ok {
		t.Fatal("no webauthn authenticator in the fake")
	}
	for _, f := range env.srv.Factors(oktatest.SeedUserAlan) {
		if f.FactorType == "question" {
			fx.alanQuestion = f.ID
		}
	}
	for _, f := range env.srv.Factors(oktatest.SeedUserAda) {
		if f.FactorType == "sms" {
			fx.adaSMS = f.ID
		}
	}
	if fx.alanQuestion == "" || fx.adaSMS == "" {
		t.Fatal("seeded factors missing")
	}
	a, err := env.c.GetAuthenticator(t.Context(), fx.emailID)
	if err != nil {
		t.Fatalf("warm-up: %v", err)
	}
	fx.email = a
	return fx
}

type hzFault struct {
	name    string
	srvOpts []oktatest.Option
	arrange func(env *hzEnv, op hzOp)
	timeout time.Duration
	check   func(t *testing.T, op hzOp, err error, hits, tokenHits int, waits []time.Duration)
}

func hzWantError(t *testing.T, err error, sentinel error, status int) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, sentinel) || e.Status != status {
		t.Fatalf("err = %v; want an *Error with status %d matching %v", err, status, sentinel)
	}
}

func hzWantHits(t *testing.T, hits, want int) {
	t.Helper()
	if hits != want {
		t.Errorf("operation reached the server %d times, want %d", hits, want)
	}
}

func hzTransientStorm(status int) hzFault {
	return hzFault{
		name: fmt.Sprintf("%d storm", status),
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(oktatest.Fault{Status: status, Times: 100, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, _ int, waits []time.Duration) {
			hzWantError(t, err, ErrServer, status)
			if op.idempotent {
				hzWantHits(t, hits, 3)
				if len(waits) != 2 {
					t.Errorf("waits %v, want 2 backoffs", waits)
				}
				return
			}
			hzWantHits(t, hits, 1) // the server may have processed a POST
		},
	}
}

// hzTransportFault: a broken response is retried for an idempotent call,
// which then succeeds; a POST is sent once and fails without a value.
func hzTransportFault(t *testing.T, op hzOp, err error, hits, _ int, _ []time.Duration) {
	if op.idempotent {
		if err != nil {
			t.Fatalf("err = %v, want success after a retry", err)
		}
		if hits < 2 || hits > 4 {
			t.Errorf("operation reached the server %d times, want 2-4", hits)
		}
		return
	}
	if err == nil {
		t.Fatal("POST succeeded after a broken response")
	}
	var ue *url.Error
	if !errors.As(err, &ue) && !strings.Contains(err.Error(), "EOF") {
		t.Errorf("err = %v (%T), want a transport error", err, err)
	}
	hzWantHits(t, hits, 1)
}

var hzFaults = []hzFault{
	{
		name:    "429 storm with reset header gives up after bounded waits",
		srvOpts: []oktatest.Option{oktatest.WithRateLimit(oktatest.AllOperations, 600, 2*time.Second)},
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(oktatest.Fault{Status: http.StatusTooManyRequests, Times: 100, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, _ int, waits []time.Duration) {
			hzWantError(t, err, ErrRateLimited, http.StatusTooManyRequests)
			hzWantHits(t, hits, 3) // not processed: retried for every method
			if len(waits) != 2 {
				t.Fatalf("waits %v, want 2", waits)
			}
			for _, w := range waits {
				// The reset is whole epoch seconds against a whole-second
				// Date: a 2 s window reads as up to 3 s.
				if w <= 0 || w > 3*time.Second {
					t.Errorf("wait %s, want the reset (0, 3s]", w)
				}
			}
		},
	},
	{
		name:    "429 twice then success",
		srvOpts: []oktatest.Option{oktatest.WithRateLimit(oktatest.AllOperations, 600, 2*time.Second)},
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(oktatest.Fault{Status: http.StatusTooManyRequests, Times: 2, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, _ int, waits []time.Duration) {
			if err != nil {
				t.Fatalf("err = %v, want success after two waits", err)
			}
			hzWantHits(t, hits, 3)
		},
	},
	{
		name:    "429 with reset an hour away fails at once",
		srvOpts: []oktatest.Option{oktatest.WithRateLimit(oktatest.AllOperations, 600, time.Hour)},
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(oktatest.Fault{Status: http.StatusTooManyRequests, Times: 100, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, _ int, waits []time.Duration) {
			hzWantError(t, err, ErrRateLimited, http.StatusTooManyRequests)
			hzWantHits(t, hits, 1)
			if len(waits) != 0 {
				t.Errorf("waited %v for a reset beyond MaxRateLimitWait", waits)
			}
		},
	},
	{
		name: "500 is never retried",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(oktatest.Fault{Status: 500, Times: 100, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, _ int, _ []time.Duration) {
			hzWantError(t, err, ErrServer, 500)
			hzWantHits(t, hits, 1)
		},
	},
	hzTransientStorm(502), hzTransientStorm(503), hzTransientStorm(504),
	{
		name: "HTML 502 page from a proxy",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(oktatest.Fault{Kind: oktatest.FaultHTML, Status: 502, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, _ int, _ []time.Duration) {
			if op.idempotent {
				if err != nil {
					t.Fatalf("err = %v, want success after one retry", err)
				}
				hzWantHits(t, hits, 2)
				return
			}
			hzWantError(t, err, ErrServer, 502)
			var e *Error
			errors.As(err, &e)
			if !strings.Contains(e.Body, "<html>") {
				t.Errorf("HTML excerpt lost: %v", err)
			}
			hzWantHits(t, hits, 1)
		},
	},
	{
		name: "truncated body after the server processed the call",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(oktatest.Fault{Kind: oktatest.FaultTruncated, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, tokenHits int, waits []time.Duration) {
			if op.noBody {
				// A 204 has no body to cut: the call succeeds at once.
				if err != nil {
					t.Fatalf("err = %v for a bodiless answer", err)
				}
				hzWantHits(t, hits, 1)
				return
			}
			hzTransportFault(t, op, err, hits, tokenHits, waits)
		},
	},
	{
		name: "connection dropped before the answer",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(oktatest.Fault{Kind: oktatest.FaultDrop, Times: 2, OperationID: op.opID})
		},
		check: hzTransportFault,
	},
	{
		name: "server hangs until the caller's deadline",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(oktatest.Fault{Kind: oktatest.FaultDelay, Delay: time.Minute, Times: 100, OperationID: op.opID})
		},
		timeout: 150 * time.Millisecond,
		check: func(t *testing.T, op hzOp, err error, hits, _ int, _ []time.Duration) {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want context.DeadlineExceeded", err)
			}
			hzWantHits(t, hits, 1)
		},
	},
	{
		name: "access token expired mid-run: refetched once, call succeeds",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(oktatest.Fault{Status: http.StatusUnauthorized, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, tokenHits int, _ []time.Duration) {
			if err != nil {
				t.Fatalf("err = %v, want success with a fresh token", err)
			}
			hzWantHits(t, hits, 2) // the 401 (not processed), then the call
			if tokenHits != 1 {
				t.Errorf("token endpoint hit %d times after the 401, want 1", tokenHits)
			}
		},
	},
	{
		name: "access token revoked mid-run: refetched once, then a typed error",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(oktatest.Fault{Status: http.StatusUnauthorized, Times: 100, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, tokenHits int, _ []time.Duration) {
			hzWantError(t, err, ErrUnauthorized, http.StatusUnauthorized)
			hzWantHits(t, hits, 2)
			if tokenHits != 1 {
				t.Errorf("token endpoint hit %d times after the 401s, want exactly 1 refetch", tokenHits)
			}
		},
	},
}

// TestHardeningFaults drives operations of every class (read, replace,
// lifecycle POST, delete) through every fault: each returns a typed error or
// succeeds after bounded retries, a POST is never resent after the server
// may have processed it, no value comes with an error, no secret leaks into
// errors, fmt output or the Debug log, and no goroutine outlives the test.
func TestHardeningFaults(t *testing.T) {
	leakOpt := goleak.IgnoreCurrent()
	for _, f := range hzFaults {
		t.Run(f.name, func(t *testing.T) {
			for _, op := range hzOps {
				t.Run(op.class+"/"+op.name, func(t *testing.T) {
					env := hzSetup(t, f.srvOpts)
					fx := hzWarmUp(t, env)
					tokenBefore := int(env.te.hits.Load())
					hitsBefore := env.srv.CallCount(op.opID)
					f.arrange(env, op)
					ctx := context.Background()
					if f.timeout > 0 {
						var cancel context.CancelFunc
						ctx, cancel = context.WithTimeout(ctx, f.timeout)
						defer cancel()
					}
					start := time.Now()
					val, err := op.run(ctx, env.c, fx)
					if el := time.Since(start); el > 5*time.Second {
						t.Errorf("call took %s", el)
					}
					if (val == nil) == (err == nil) {
						t.Fatalf("value %v with error %v: want exactly one", val, err)
					}
					f.check(t, op, err, env.srv.CallCount(op.opID)-hitsBefore, int(env.te.hits.Load())-tokenBefore, env.waits.get())
					outputs := append(hzFormats(env.c), env.log.String())
					if err != nil {
						outputs = append(outputs, hzFormats(err)...)
					}
					hzCheckNoSecrets(t, env.secrets(), outputs...)
				})
			}
		})
	}
	goleak.VerifyNone(t, leakOpt)
}

// TestHardeningResetMidBody: the server sends headers and half a body, then
// resets the TCP connection (RST). A GET or PUT is retried and succeeds; a
// POST is sent once and fails.
func TestHardeningResetMidBody(t *testing.T) {
	leakOpt := goleak.IgnoreCurrent()
	body := authenticatorFixtures[KeyOktaEmail]
	for _, tc := range []struct {
		class      string
		idempotent bool
		run        func(ctx context.Context, c *Client) (any, error)
	}{
		{"read", true, func(ctx context.Context, c *Client) (any, error) { return hzIface(c.GetAuthenticator(ctx, "aut1")) }},
		{"replace (PUT)", true, func(ctx context.Context, c *Client) (any, error) {
			a, _ := UnmarshalAuthenticator([]byte(body))
			return hzIface(c.ReplaceAuthenticator(ctx, "aut1", a))
		}},
		{"lifecycle POST", false, func(ctx context.Context, c *Client) (any, error) {
			return hzIface(c.ActivateAuthenticator(ctx, "aut1"))
		}},
	} {
		t.Run(tc.class, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if hits.Add(1) == 1 {
					hzResetMidBody(t, w, body)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(body))
			}))
			t.Cleanup(srv.Close)
			c, err := New(srv.URL, WithAPIToken("hz-ssws-token-secret"), WithHTTPClient(srv.Client()),
				WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(c.CloseIdleConnections)
			val, err := tc.run(context.Background(), c)
			if (val == nil) == (err == nil) {
				t.Fatalf("value %v with error %v", val, err)
			}
			if tc.idempotent {
				if err != nil || hits.Load() != 2 {
					t.Errorf("err = %v after %d hits; want success on the 2nd", err, hits.Load())
				}
				return
			}
			if err == nil || hits.Load() != 1 {
				t.Errorf("err = %v after %d hits; want an error after exactly 1", err, hits.Load())
			}
		})
	}
	goleak.VerifyNone(t, leakOpt)
}

func hzResetMidBody(t *testing.T, w http.ResponseWriter, body string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:len(body)/2])
	buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

// TestHardeningCredentialStaysOnOrg: across redirects and paging links, the
// Authorization header reaches only the org. Same-host redirects and next
// links are followed with it; another host, another port, or https to http
// is refused before anything is sent there.
func TestHardeningCredentialStaysOnOrg(t *testing.T) {
	const token = "hz-ssws-token-secret"
	var foreignHits atomic.Int32
	var foreignAuth atomic.Value
	foreignAuth.Store("")
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignHits.Add(1)
		foreignAuth.Store(r.Header.Get("Authorization"))
		w.Write([]byte(`[]`))
	}))
	t.Cleanup(foreign.Close)
	item := authenticatorFixtures[KeyOktaVerify]
	for _, tc := range []struct {
		name    string
		tls     bool
		paging  bool // next link instead of redirect
		target  func(self string) string
		wantErr bool
	}{
		{"redirect same host", false, false, func(self string) string { return self + "/moved" }, false},
		{"redirect cross host", false, false, func(string) string { return foreign.URL + "/steal" }, true},
		{"redirect https to http", true, false, func(string) string { return foreign.URL + "/steal" }, true},
		{"next link same host", false, true, func(self string) string { return self + "/moved" }, false},
		{"next link cross host", false, true, func(string) string { return foreign.URL + "/steal" }, true},
		{"next link https to http", true, true, func(string) string { return foreign.URL + "/steal" }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			foreignHits.Store(0)
			var movedAuth atomic.Value
			movedAuth.Store("")
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				self := "http://" + r.Host
				if r.TLS != nil {
					self = "https://" + r.Host
				}
				switch {
				case r.URL.Path == "/moved":
					movedAuth.Store(r.Header.Get("Authorization"))
					w.Write([]byte(jsonArray(item)))
				case tc.paging:
					w.Header().Set("Link", `<`+tc.target(self)+`>; rel="next"`)
					w.Write([]byte(jsonArray(item)))
				default:
					http.Redirect(w, r, tc.target(self), http.StatusFound)
				}
			})
			var srv *httptest.Server
			if tc.tls {
				srv = httptest.NewTLSServer(h)
			} else {
				srv = httptest.NewServer(h)
			}
			t.Cleanup(srv.Close)
			c, err := New(srv.URL, WithAPIToken(token), WithHTTPClient(srv.Client()))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(c.CloseIdleConnections)
			list, err := c.ListAuthenticators(t.Context())
			if tc.wantErr {
				if !errors.Is(err, wrappers.ErrForeignOrigin) || list != nil {
					t.Errorf("ListAuthenticators = %d items, %v; want nil and ErrForeignOrigin", len(list), err)
				}
				if foreignHits.Load() != 0 {
					t.Errorf("followed to another origin (Authorization %q)", foreignAuth.Load())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := movedAuth.Load().(string); got != "SSWS "+token {
				t.Errorf("same-origin hop carried Authorization %q", got)
			}
		})
	}
}

// TestHardeningPrivateKeyJWTSecrets: with WithPrivateKeyJWT against an org
// whose token endpoint and API misbehave (refusals that echo the client
// assertion, errors that echo the Authorization header, HTML), neither the
// private key, nor any client assertion, nor any access token appears in an
// error, in fmt output of the client or the option, in a recovered panic
// message, or in the Debug log.
func TestHardeningPrivateKeyJWTSecrets(t *testing.T) {
	leakOpt := goleak.IgnoreCurrent()
	var assertions []string
	var mu sync.Mutex
	var tokenHits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/oauth2/v1/token" {
			r.ParseForm()
			a := r.PostForm.Get("client_assertion")
			mu.Lock()
			assertions = append(assertions, a)
			mu.Unlock()
			if tokenHits.Add(1) == 1 {
				// A refusal that echoes the assertion.
				w.WriteHeader(http.StatusUnauthorized)
				json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client", "error_description": "bad assertion " + a})
				return
			}
			fmt.Fprintf(w, `{"access_token":"hz-pkjwt-access-token-secret-%d","token_type":"Bearer","expires_in":3600}`, tokenHits.Load())
			return
		}
		switch r.URL.Path {
		case "/api/v1/authenticators/echo":
			// An error that echoes the request's Authorization header.
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]any{"errorCode": "E0000001", "errorSummary": "Api validation failed",
				"errorCauses": []map[string]string{{"errorSummary": "header was " + r.Header.Get("Authorization")}}})
		case "/api/v1/authenticators/html":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "<html><body>upstream saw %s</body></html>", r.Header.Get("Authorization"))
		default:
			w.Write([]byte(authenticatorFixtures[KeyOktaEmail]))
		}
	}))
	t.Cleanup(srv.Close)
	var logs hzLog
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opt := WithPrivateKeyJWT("0oaHzPK", hzKey(), "hz-kid", hzScopes...)
	c, err := New(srv.URL, opt, WithHTTPClient(srv.Client()), WithLogger(logger),
		WithRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	var outputs []string
	record := func(err error) {
		if err != nil {
			outputs = append(outputs, hzFormats(err)...)
		}
	}
	ctx := t.Context()
	_, err = c.GetAuthenticator(ctx, "first") // token endpoint refuses, echoing the assertion
	if err == nil {
		t.Fatal("want a token endpoint refusal")
	}
	record(err)
	_, err = c.GetAuthenticator(ctx, "ok")
	if err != nil {
		t.Fatalf("second call: %v", err)
	}
	_, err = c.GetAuthenticator(ctx, "echo")
	record(err)
	_, err = c.GetAuthenticator(ctx, "html")
	record(err)
	func() {
		defer func() {
			if p := recover(); p != nil {
				outputs = append(outputs, fmt.Sprint(p))
			}
		}()
		var nilKey *rsa.PrivateKey
		_, err := New(srv.URL, WithPrivateKeyJWT("0oaHzPK", nilKey, "kid"))
		record(err)
		_, err = New(srv.URL, opt, WithAPIToken("hz-second-credential"))
		record(err)
	}()
	outputs = append(outputs, hzFormats(c)...)
	outputs = append(outputs, hzFormats(opt)...)
	var cfg config
	opt(&cfg)
	outputs = append(outputs, hzFormats(cfg)...)
	outputs = append(outputs, hzFormats(&cfg)...)
	outputs = append(outputs, logs.String())
	if !strings.Contains(logs.String(), "attempt") {
		t.Fatal("debug log is empty; the check would be vacuous")
	}

	secrets := hzKeySecrets()
	mu.Lock()
	for _, a := range assertions {
		secrets = append(secrets, a)
		if parts := strings.Split(a, "."); len(parts) == 3 {
			secrets = append(secrets, parts[1], parts[2])
		}
	}
	mu.Unlock()
	for i := 1; i <= int(tokenHits.Load()); i++ {
		secrets = append(secrets, fmt.Sprintf("hz-pkjwt-access-token-secret-%d", i))
	}
	if len(assertions) == 0 {
		t.Fatal("no client assertion was sent; the check would be vacuous")
	}
	// The echoing API error bodies are the server's words, kept in *Error;
	// an access token in them is the server's leak, not one the client may
	// add. What the client must never add is checked on the rest.
	var own []string
	for _, o := range outputs {
		if !strings.Contains(o, "header was Bearer") && !strings.Contains(o, "upstream saw Bearer") {
			own = append(own, o)
		}
	}
	hzCheckNoSecrets(t, secrets, own...)
	// The key and the assertions must not appear even in those.
	hzCheckNoSecrets(t, append(hzKeySecrets(), assertions...), outputs...)
	c.CloseIdleConnections()
	srv.Close()
	goleak.VerifyNone(t, leakOpt)
}

// TestHardeningLoad: 16 goroutines share one client (OAuth, private_key_jwt)
// and make 3 calls each (24 getAuthenticator, 24 listFactors) against a fake
// whose budget is 8 calls per window per operation. The fake's clock is
// frozen, so its windows never roll over however slowly the calls run: for
// each operation exactly 8 calls succeed and the other 16 get a 429 whose
// reset (1 s away on the fake's clock) is beyond the client's
// MaxRateLimitWait, so the client gives up at once with a typed rate-limit
// error instead of sleeping (waiting for a reset is covered by the rate-limit
// tests). The token endpoint, whose tokens live 2 s (fresh for 1 s, as the
// client refreshes at half-life), is hit about once per token lifetime, not
// once per caller.
func TestHardeningLoad(t *testing.T) {
	leakOpt := goleak.IgnoreCurrent()
	te := newHzTokenEndpoint(t, 2*time.Second)
	const budget = 8
	// A whole second far from the real clock: the client then measures the
	// reset against the fake's Date header, so every 429 asks for exactly 1 s.
	frozen := time.Date(2030, time.January, 2, 3, 4, 5, 0, time.UTC)
	opts := []oktatest.Option{
		oktatest.WithT(t),
		oktatest.WithClock(func() time.Time { return frozen }),
		oktatest.WithRateLimit(oktatest.AllOperations, budget, time.Second),
	}
	for i := range hzTokenPool {
		opts = append(opts, oktatest.WithBearerToken(hzAccessToken(i), hzScopes...))
	}
	srv := oktatest.NewServer(opts...)
	src, err := wrappers.PrivateKeyJWTTokenSource(context.Background(), te.URL+"/oauth2/v1/token", "0oaHzLoad", hzKey(), "", hzScopes, te.Client())
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(srv.URL, WithTokenSource(src), WithHTTPClient(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}),
		WithRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond, MaxRateLimitWait: 100 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	emailID, _ := srv.AuthenticatorID("okta_email")
	const workers, calls = 16, 3
	ops := [2]string{oktatest.OpGetAuthenticator, oktatest.OpListFactors}
	var ok, limited [2]atomic.Int32
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range calls {
				op := (w + i) % 2
				var err error
				if op == 0 {
					_, err = c.GetAuthenticator(t.Context(), emailID)
				} else {
					_, err = c.ListFactors(t.Context(), oktatest.SeedUserGrace)
				}
				var e *Error
				switch {
				case err == nil:
					ok[op].Add(1)
				case errors.Is(err, ErrRateLimited) && errors.As(err, &e) && e.Status == http.StatusTooManyRequests:
					limited[op].Add(1)
				default:
					t.Errorf("worker %d call %d (%s): %v", w, i, ops[op], err)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	perOp := workers * calls / 2
	for i, op := range ops {
		if o, l := int(ok[i].Load()), int(limited[i].Load()); o != budget || l != perOp-budget {
			t.Errorf("%s: ok %d, rate limited %d; want exactly %d ok (the budget) and %d rate limited", op, o, l, budget, perOp-budget)
		}
		// One request per call: a 429 whose reset is too far away is not retried.
		if n := srv.CallCount(op); n != perOp {
			t.Errorf("%s: fake served %d requests for %d calls; want one each", op, n, perOp)
		}
	}
	// Fresh for 1 s: at most one fetch per started second, plus the first.
	hits := int(te.hits.Load())
	if maxHits := int(elapsed/time.Second) + 2; hits < 1 || hits > maxHits || hits >= workers {
		t.Errorf("token endpoint hit %d times in %s by %d callers; want 1..%d", hits, elapsed.Round(time.Millisecond), workers, maxHits)
	}
	t.Logf("%s: ok %d+%d, rate limited %d+%d, token fetches %d", elapsed.Round(time.Millisecond),
		ok[0].Load(), ok[1].Load(), limited[0].Load(), limited[1].Load(), hits)
	c.CloseIdleConnections()
	srv.Close()
	te.Close()
	goleak.VerifyNone(t, leakOpt)
}

// TestHardeningFirstPageSelfLink: a first page whose next link is its own
// URL must end the list with a paging-loop error at once, without fetching
// that page again and without yielding its items twice.
//
// FAILS until oktaclient/paging.go reports each page's own URL to
// wrappers.Paginate (new field wrappers.Page.URL, added for issue 7):
// lister.fetch should return wrappers.Page[T]{Items: items, Next: nextURL,
// URL: resp.Request.URL}, and collect's wrapper should pass p.URL on.
func TestHardeningFirstPageSelfLink(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Link", `<`+"http://"+r.Host+r.URL.RequestURI()+`>; rel="next"`)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(jsonArray(factorFixtures[FactorEmail])))
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, WithAPIToken("hz-ssws-token-secret"), WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	n := 0
	var last error
	for _, err := range c.ListFactorsIter(t.Context(), "00u1") {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if !errors.Is(last, wrappers.ErrPagingLoop) {
		t.Fatalf("err = %v, want ErrPagingLoop", last)
	}
	if n != 1 || hits.Load() != 1 {
		t.Errorf("yielded %d factors from %d requests; want the first page's 1 factor from 1 request", n, hits.Load())
	}
	hits.Store(0)
	if _, err := c.ListFactors(t.Context(), "00u1"); !errors.Is(err, wrappers.ErrPagingLoop) || hits.Load() != 1 {
		t.Errorf("ListFactors: %v after %d requests; want ErrPagingLoop after 1", err, hits.Load())
	}
}

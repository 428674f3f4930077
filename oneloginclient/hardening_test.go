package oneloginclient

// Fault injection, security and load tests for the OneLogin client (issue
// 7), run through the stateful fake in onelogintest, which validates every
// request and response against api/onelogin.yaml and counts the calls each
// operation receives. docs/reliability.md lists what each test shows.
//
// Helpers here carry an hz prefix so that they cannot collide with the
// client owner's test helpers in this package.

import (
	"bytes"
	"context"
	"encoding/json"
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

	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
	"github.com/mfakit/mfakit/wrappers"
)

const hzOTP = "246810"

// hzOp is one operation of the client, as the fault table drives it.
type hzOp struct {
	name       string
	class      string // read, lifecycle POST, delete (OneLogin MFA v1 has no PUT)
	opID       string // the fake's operation id, for Inject and CallCount
	idempotent bool
	// run calls the operation; it returns the value (a non-nil marker for
	// operations without one) and the error.
	run func(ctx context.Context, c *Client) (any, error)
}

func hzVal[T any](v *T, err error) (any, error) {
	if v == nil {
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
	{"ListEnrolledFactors", "read", onelogintest.OpGetEnrolledFactors, true, func(ctx context.Context, c *Client) (any, error) {
		return hzSlice(c.ListEnrolledFactors(ctx, onelogintest.SeedUserAda))
	}},
	{"ListAvailableFactors", "read", onelogintest.OpGetMFAFactors, true, func(ctx context.Context, c *Client) (any, error) {
		return hzSlice(c.ListAvailableFactors(ctx, onelogintest.SeedUserAda))
	}},
	{"EnrollFactor", "lifecycle POST", onelogintest.OpEnrollMfaFactor, false, func(ctx context.Context, c *Client) (any, error) {
		return hzVal(c.EnrollFactor(ctx, onelogintest.SeedUserAlan, EnrollRequest{
			FactorID: onelogintest.SeedFactorSMS, DisplayName: "hz phone", Number: "+15555550199"}))
	}},
	{"ActivateFactor", "lifecycle POST", onelogintest.OpActivateMfaFactors, false, func(ctx context.Context, c *Client) (any, error) {
		return hzVal(c.ActivateFactor(ctx, onelogintest.SeedUserAda, onelogintest.SeedDeviceAdaSMS, ActivateRequest{}))
	}},
	{"VerifyFactor", "lifecycle POST", onelogintest.OpVerifyMfaFactor, false, func(ctx context.Context, c *Client) (any, error) {
		return hzNoValue(c.VerifyFactor(ctx, onelogintest.SeedUserGrace, onelogintest.SeedDeviceGraceAuthenticator, VerifyRequest{OTP: hzOTP}))
	}},
	{"GenerateMFAToken", "lifecycle POST", onelogintest.OpGenerateMFAtoken, false, func(ctx context.Context, c *Client) (any, error) {
		return hzVal(c.GenerateMFAToken(ctx, onelogintest.SeedUserAda, MFATokenRequest{}))
	}},
	{"RemoveFactor", "delete", onelogintest.OpRemoveMfaFactors, true, func(ctx context.Context, c *Client) (any, error) {
		return hzNoValue(c.RemoveFactor(ctx, onelogintest.SeedUserAda, onelogintest.SeedDeviceAdaSMS))
	}},
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

// hzEnv is a fake, a client on it, and what the test observed.
type hzEnv struct {
	srv    *onelogintest.Server
	c      *Client
	waits  *hzWaits
	log    *hzLog
	tokens *hzTokens
}

// hzTokens collects every access token the fake hands out.
type hzTokens struct {
	mu  sync.Mutex
	all []string
}

func (tk *hzTokens) hook(op string, status int, _ http.Header, body []byte) []byte {
	if op == onelogintest.OpGenerateToken && status == http.StatusOK {
		var v struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
		}
		if json.Unmarshal(body, &v) == nil {
			tk.mu.Lock()
			tk.all = append(tk.all, v.AccessToken, v.RefreshToken)
			tk.mu.Unlock()
		}
	}
	return body
}

func (tk *hzTokens) get() []string {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	return append([]string(nil), tk.all...)
}

func hzSetup(t *testing.T, srvOpts []onelogintest.Option, opts ...Option) *hzEnv {
	t.Helper()
	env := &hzEnv{waits: &hzWaits{}, log: &hzLog{}, tokens: &hzTokens{}}
	env.srv = onelogintest.NewServer(append([]onelogintest.Option{
		onelogintest.WithT(t), onelogintest.WithFixedOTP(hzOTP), onelogintest.WithResponseHook(env.tokens.hook),
	}, srvOpts...)...)
	logger := slog.New(slog.NewTextHandler(env.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := New(env.srv.URL, append([]Option{
		WithClientCredentials(env.srv.ClientID(), env.srv.ClientSecret()),
		WithHTTPClient(env.srv.Client()),
		WithRetry(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}),
		WithLogger(logger),
		withSleep(env.waits.sleep),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	env.c = c
	t.Cleanup(c.CloseIdleConnections)
	return env
}

// secrets returns every secret the environment has seen.
func (env *hzEnv) secrets() []string {
	return append([]string{env.srv.ClientSecret()}, env.tokens.get()...)
}

// hzCheckNoSecrets fails when any output contains any secret.
func hzCheckNoSecrets(t *testing.T, secrets []string, outputs ...string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, out := range outputs {
			if strings.Contains(out, s) {
				t.Errorf("secret %.6q… appears in output: %.300s", s, out)
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

// hzFault is one fault case of the table.
type hzFault struct {
	name string
	// srvOpts configure the fake (e.g. a short rate-limit window).
	srvOpts []onelogintest.Option
	// arrange injects the fault; it runs after a warm-up call that fetched
	// the access token.
	arrange func(env *hzEnv, op hzOp)
	// timeout, if set, bounds the call's context.
	timeout time.Duration
	// check judges the outcome: err, the server hits for the operation,
	// the token endpoint hits after the warm-up, and the waits.
	check func(t *testing.T, op hzOp, err error, hits, tokenHits int, waits []time.Duration)
}

func hzWantError(t *testing.T, err error, sentinel error, status int) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, sentinel) || e.StatusCode != status {
		t.Fatalf("err = %v; want an *Error with status %d matching %v", err, status, sentinel)
	}
}

func hzWantHits(t *testing.T, hits, want int) {
	t.Helper()
	if hits != want {
		t.Errorf("operation reached the server %d times, want %d", hits, want)
	}
}

var hzFaults = []hzFault{
	{
		name:    "429 storm with reset header gives up after bounded waits",
		srvOpts: []onelogintest.Option{onelogintest.WithRateLimit(5000, 2*time.Second)},
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(onelogintest.Fault{Status: http.StatusTooManyRequests, Times: 100, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, _ int, waits []time.Duration) {
			hzWantError(t, err, ErrRateLimited, http.StatusTooManyRequests)
			hzWantHits(t, hits, 3) // a 429 was not processed: retried for every method
			if len(waits) != 2 {
				t.Fatalf("waits %v, want 2", waits)
			}
			for _, w := range waits {
				if w <= 0 || w > 2*time.Second {
					t.Errorf("wait %s, want the fake's reset (0, 2s]", w)
				}
			}
		},
	},
	{
		name:    "429 twice then success",
		srvOpts: []onelogintest.Option{onelogintest.WithRateLimit(5000, 2*time.Second)},
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(onelogintest.Fault{Status: http.StatusTooManyRequests, Times: 2, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, _ int, waits []time.Duration) {
			if err != nil {
				t.Fatalf("err = %v, want success after two waits", err)
			}
			hzWantHits(t, hits, 3)
			if len(waits) != 2 {
				t.Errorf("waits %v, want 2", waits)
			}
		},
	},
	{
		name: "429 with reset an hour away fails at once",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(onelogintest.Fault{Status: http.StatusTooManyRequests, Times: 100, OperationID: op.opID})
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
			env.srv.Inject(onelogintest.Fault{Status: 500, Times: 100, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, _ int, _ []time.Duration) {
			hzWantError(t, err, ErrServer, 500)
			hzWantHits(t, hits, 1)
		},
	},
	hzTransientStorm(502), hzTransientStorm(503), hzTransientStorm(504),
	{
		name: "503 once",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(onelogintest.Fault{Status: 503, OperationID: op.opID})
		},
		check: func(t *testing.T, op hzOp, err error, hits, _ int, _ []time.Duration) {
			if op.idempotent {
				if err != nil {
					t.Fatalf("err = %v, want success after one retry", err)
				}
				hzWantHits(t, hits, 2)
				return
			}
			hzWantError(t, err, ErrServer, 503)
			hzWantHits(t, hits, 1)
		},
	},
	{
		name: "HTML 502 page from a proxy",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(onelogintest.Fault{Kind: onelogintest.FaultHTML, Status: 502, OperationID: op.opID})
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
			if !bytes.Contains(e.Body, []byte("<html>")) || !strings.Contains(err.Error(), "Bad Gateway") {
				t.Errorf("HTML body lost: %v (body %q)", err, e.Body)
			}
			hzWantHits(t, hits, 1)
		},
	},
	{
		name: "truncated 200 body (connection closed mid-body)",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(onelogintest.Fault{Kind: onelogintest.FaultTruncated, OperationID: op.opID})
		},
		check: hzTransportFault,
	},
	{
		name: "connection dropped before the answer",
		arrange: func(env *hzEnv, op hzOp) {
			// Times 2: net/http itself replays an idempotent request once
			// on a reused connection closed without an answer.
			env.srv.Inject(onelogintest.Fault{Kind: onelogintest.FaultDrop, Times: 2, OperationID: op.opID})
		},
		check: hzTransportFault,
	},
	{
		name: "server hangs until the caller's deadline",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(onelogintest.Fault{Kind: onelogintest.FaultDelay, Delay: time.Minute, Times: 100, OperationID: op.opID})
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
			env.srv.ExpireTokens()
		},
		check: func(t *testing.T, op hzOp, err error, hits, tokenHits int, _ []time.Duration) {
			if err != nil {
				t.Fatalf("err = %v, want success with a fresh token", err)
			}
			hzWantHits(t, hits, 2) // the 401 (not processed), then the call
			if tokenHits != 1 {
				t.Errorf("token endpoint hit %d times after expiry, want 1", tokenHits)
			}
		},
	},
	{
		name: "access token revoked mid-run: refetched once, then a typed error",
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(onelogintest.Fault{Status: http.StatusUnauthorized, Times: 100, OperationID: op.opID})
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

func hzTransientStorm(status int) hzFault {
	return hzFault{
		name: fmt.Sprintf("%d storm", status),
		arrange: func(env *hzEnv, op hzOp) {
			env.srv.Inject(onelogintest.Fault{Status: status, Times: 100, OperationID: op.opID})
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
			// The server may have processed a POST: never resent.
			hzWantHits(t, hits, 1)
		},
	}
}

// hzTransportFault checks a failure to read a response: an idempotent call
// is retried and succeeds; a POST is sent once and fails with an error
// naming the operation, and no value.
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
	if !strings.Contains(err.Error(), op.name) || !(errors.As(err, &ue) || strings.Contains(err.Error(), "EOF")) {
		t.Errorf("err = %v, want a transport error naming %s", err, op.name)
	}
	hzWantHits(t, hits, 1)
}

// TestHardeningFaults drives every operation (read, lifecycle POST, delete)
// through every fault: each returns a typed error or succeeds after bounded
// retries, a POST is never resent after the server may have processed it,
// no value comes with an error, nothing leaks a secret, and no goroutine
// outlives the test.
func TestHardeningFaults(t *testing.T) {
	leakOpt := goleak.IgnoreCurrent()
	for _, f := range hzFaults {
		t.Run(f.name, func(t *testing.T) {
			for _, op := range hzOps {
				t.Run(op.class+"/"+op.name, func(t *testing.T) {
					env := hzSetup(t, f.srvOpts)
					ctx := context.Background()
					// Warm-up: fetch the access token.
					if _, err := env.c.ListAvailableFactors(ctx, onelogintest.SeedUserAda); err != nil {
						t.Fatalf("warm-up: %v", err)
					}
					tokenBefore := env.srv.CallCount(onelogintest.OpGenerateToken)
					hitsBefore := env.srv.CallCount(op.opID)
					f.arrange(env, op)
					if f.timeout > 0 {
						var cancel context.CancelFunc
						ctx, cancel = context.WithTimeout(ctx, f.timeout)
						defer cancel()
					}
					start := time.Now()
					val, err := op.run(ctx, env.c)
					if el := time.Since(start); el > 5*time.Second {
						t.Errorf("call took %s", el)
					}
					if (val == nil) == (err == nil) {
						t.Fatalf("value %v with error %v: want exactly one", val, err)
					}
					f.check(t, op, err, env.srv.CallCount(op.opID)-hitsBefore,
						env.srv.CallCount(onelogintest.OpGenerateToken)-tokenBefore, env.waits.get())
					outputs := []string{env.log.String()}
					if err != nil {
						outputs = append(outputs, err.Error())
						outputs = append(outputs, hzFormats(err)...)
					}
					outputs = append(outputs, hzFormats(env.c)...)
					hzCheckNoSecrets(t, env.secrets(), outputs...)
				})
			}
		})
	}
	goleak.VerifyNone(t, leakOpt)
}

// TestHardeningResetMidBody: the server sends headers and half a body, then
// resets the TCP connection (RST, not a clean close). A GET is retried and
// succeeds; a POST is sent once and fails.
func TestHardeningResetMidBody(t *testing.T) {
	leakOpt := goleak.IgnoreCurrent()
	for _, tc := range []struct {
		name       string
		idempotent bool
		run        func(ctx context.Context, c *Client) (any, error)
	}{
		{"read", true, func(ctx context.Context, c *Client) (any, error) { return hzSlice(c.ListEnrolledFactors(ctx, 1)) }},
		{"delete", true, func(ctx context.Context, c *Client) (any, error) { return hzNoValue(c.RemoveFactor(ctx, 1, 2)) }},
		{"lifecycle POST", false, func(ctx context.Context, c *Client) (any, error) {
			return hzVal(c.ActivateFactor(ctx, 1, 2, ActivateRequest{}))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int32
			good := `{"status":{"error":false,"code":200,"type":"success","message":"Success"},"data":{"otp_devices":[]}}`
			if tc.name == "lifecycle POST" {
				good = `{"status":{"error":false,"code":200,"type":"success","message":"Success"},"data":[{"id":1,"device_id":2,"active":true,"state_token":"st"}]}`
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == TokenPath {
					w.Header().Set("Content-Type", "application/json")
					w.Write([]byte(`{"access_token":"hz-reset-token","token_type":"bearer","expires_in":36000}`))
					return
				}
				if hits.Add(1) == 1 {
					hzResetMidBody(t, w, good)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(good))
			}))
			t.Cleanup(srv.Close)
			c, err := New(srv.URL, WithClientCredentials("id", "hz-secret"), WithHTTPClient(srv.Client()),
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

// hzResetMidBody writes the headers and half of body, then resets the
// connection.
func hzResetMidBody(t *testing.T, w http.ResponseWriter, body string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:len(body)/2])
	buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // close sends RST
	}
	conn.Close()
}

// TestHardeningRedirects: a v1 answer that redirects is followed only on the
// configured origin. Same host: followed, with the token. Another host, or
// https to http: refused before anything is sent there.
func TestHardeningRedirects(t *testing.T) {
	var foreignAuth atomic.Value
	foreignAuth.Store("")
	var foreignHits atomic.Int32
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignHits.Add(1)
		foreignAuth.Store(r.Header.Get("Authorization"))
		w.Write([]byte(`{"status":{"error":false,"code":200},"data":{"otp_devices":[]}}`))
	}))
	t.Cleanup(foreign.Close)
	for _, tc := range []struct {
		name    string
		tls     bool
		target  func(self string) string
		wantErr bool
	}{
		{"same host", false, func(self string) string { return self + "/moved" }, false},
		{"cross host", false, func(string) string { return foreign.URL + "/steal" }, true},
		{"https to http", true, func(string) string { return foreign.URL + "/steal" }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			foreignHits.Store(0)
			var movedAuth atomic.Value
			movedAuth.Store("")
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.URL.Path == TokenPath:
					w.Header().Set("Content-Type", "application/json")
					w.Write([]byte(`{"access_token":"hz-redirect-token","token_type":"bearer","expires_in":36000}`))
				case r.URL.Path == "/moved":
					movedAuth.Store(r.Header.Get("Authorization"))
					w.Write([]byte(`{"status":{"error":false,"code":200},"data":{"otp_devices":[]}}`))
				default:
					self := "http://" + r.Host
					if r.TLS != nil {
						self = "https://" + r.Host
					}
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
			c, err := New(srv.URL, WithClientCredentials("id", "hz-secret"), WithHTTPClient(srv.Client()))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(c.CloseIdleConnections)
			_, err = c.ListEnrolledFactors(context.Background(), 1)
			if tc.wantErr {
				if !errors.Is(err, wrappers.ErrForeignOrigin) {
					t.Errorf("err = %v, want ErrForeignOrigin", err)
				}
				if foreignHits.Load() != 0 {
					t.Errorf("redirect followed to another origin (Authorization %q)", foreignAuth.Load())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := movedAuth.Load().(string); got != "Bearer hz-redirect-token" {
				t.Errorf("same-host redirect carried Authorization %q", got)
			}
		})
	}
}

// TestHardeningLoad: 16 goroutines share one client and make 4 calls each,
// in two waves of 2, against a fake whose v1 budget is 8 calls per window.
// The fake's clock is frozen and moved on by exactly one window between the
// waves, so no window rolls over during a wave however slowly the calls run.
// A 429's reset (1 s on the fake's clock) is beyond the client's
// MaxRateLimitWait, so the client gives up at once with a typed rate-limit
// error instead of sleeping (waiting for a reset is covered by
// ratelimit_test.go). Every call succeeds or fails with a typed rate-limit
// error; in the first wave exactly the budget succeeds. The token endpoint
// is hit once for the token's lifetime, and once more (not once per caller)
// after the fake expires the token between the waves.
func TestHardeningLoad(t *testing.T) {
	leakOpt := goleak.IgnoreCurrent()
	const budget, window = 8, time.Second
	var clock atomic.Int64
	clock.Store(time.Date(2030, time.January, 2, 3, 4, 5, 0, time.UTC).UnixNano())
	srv := onelogintest.NewServer(onelogintest.WithT(t), onelogintest.WithRateLimit(budget, window),
		onelogintest.WithClock(func() time.Time { return time.Unix(0, clock.Load()) }))
	c, err := New(srv.URL, WithClientCredentials(srv.ClientID(), srv.ClientSecret()), WithHTTPClient(srv.Client()),
		WithRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond, MaxRateLimitWait: 100 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	const workers, calls = 16, 4
	const perWave = workers * calls / 2
	v1Requests := func() int {
		return srv.CallCount(onelogintest.OpGetEnrolledFactors) + srv.CallCount(onelogintest.OpGetMFAFactors)
	}
	// wave runs n calls per worker and returns how many succeeded and how
	// many were rate limited.
	wave := func(n int) (ok, limited int) {
		var okN, limitedN atomic.Int32
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := range n {
					var err error
					if (w+i)%2 == 0 {
						_, err = c.ListEnrolledFactors(t.Context(), onelogintest.SeedUserAda)
					} else {
						_, err = c.ListAvailableFactors(t.Context(), onelogintest.SeedUserGrace)
					}
					var e *Error
					switch {
					case err == nil:
						okN.Add(1)
					case errors.Is(err, ErrRateLimited) && errors.As(err, &e) && e.StatusCode == http.StatusTooManyRequests:
						limitedN.Add(1)
					default:
						t.Errorf("worker %d call %d: %v", w, i, err)
					}
				}
			})
		}
		wg.Wait()
		return int(okN.Load()), int(limitedN.Load())
	}

	ok1, limited1 := wave(calls / 2)
	if ok1 != budget || limited1 != perWave-budget {
		t.Errorf("first wave: ok %d, rate limited %d; want exactly %d ok (the budget) and %d rate limited", ok1, limited1, budget, perWave-budget)
	}
	// One request per call: a 429 whose reset is too far away is not retried.
	if n := v1Requests(); n != perWave {
		t.Errorf("first wave: fake served %d v1 requests for %d calls; want one each", n, perWave)
	}
	if n := srv.CallCount(onelogintest.OpGenerateToken); n != 1 {
		t.Errorf("token endpoint hit %d times by %d callers, want 1", n, workers)
	}

	clock.Add(int64(window)) // a fresh budget for the second wave
	srv.ExpireTokens()
	ok2, limited2 := wave(calls / 2)
	if n := srv.CallCount(onelogintest.OpGenerateToken); n != 2 {
		t.Errorf("token endpoint hit %d times over two token lifetimes, want 2", n)
	}
	if ok2+limited2 != perWave {
		t.Errorf("second wave: %d of %d calls accounted for", ok2+limited2, perWave)
	}
	// The fake spends budget before it checks the token, so the budget goes
	// to calls that succeed and to calls refused with the expired token
	// (each of which is retried once with the new one): retried401 + ok2 is
	// the budget, whichever calls raced ahead.
	retried401 := v1Requests() - 2*perWave
	if retried401 < 1 || ok2+retried401 != budget {
		t.Errorf("second wave: ok %d, %d calls retried after a 401; want at least one retry and %d together (the budget)", ok2, retried401, budget)
	}
	t.Logf("ok %d+%d, rate limited %d+%d, 401 retries %d", ok1, ok2, limited1, limited2, retried401)
	c.CloseIdleConnections()
	srv.Close()
	goleak.VerifyNone(t, leakOpt)
}

// TestHardeningTokenEndpointFaults: the token endpoint itself fails when the
// client needs a new token (after the fake expired the old one). A refusal,
// a 5xx or an HTML page gives a typed *Error marked TokenEndpoint, without
// the client secret; a token endpoint that hangs gives up at the caller's
// deadline; nothing is sent to the v1 operation without a token.
func TestHardeningTokenEndpointFaults(t *testing.T) {
	leakOpt := goleak.IgnoreCurrent()
	for _, tc := range []struct {
		name  string
		fault onelogintest.Fault
		check func(t *testing.T, err error)
	}{
		{"401 refusal", onelogintest.Fault{Status: http.StatusUnauthorized}, func(t *testing.T, err error) {
			hzWantTokenError(t, err, http.StatusUnauthorized, ErrUnauthorized)
		}},
		{"503", onelogintest.Fault{Status: http.StatusServiceUnavailable}, func(t *testing.T, err error) {
			hzWantTokenError(t, err, http.StatusServiceUnavailable, ErrServer)
		}},
		{"HTML 502", onelogintest.Fault{Kind: onelogintest.FaultHTML, Status: http.StatusBadGateway}, func(t *testing.T, err error) {
			hzWantTokenError(t, err, http.StatusBadGateway, ErrServer)
		}},
		{"hang", onelogintest.Fault{Kind: onelogintest.FaultDelay, Delay: time.Minute}, func(t *testing.T, err error) {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want context.DeadlineExceeded", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := hzSetup(t, nil)
			ctx := context.Background()
			if _, err := env.c.ListEnrolledFactors(ctx, onelogintest.SeedUserAda); err != nil {
				t.Fatalf("warm-up: %v", err)
			}
			env.srv.ExpireTokens()
			before := env.srv.CallCount(onelogintest.OpGetEnrolledFactors)
			f := tc.fault
			f.OperationID = onelogintest.OpGenerateToken
			f.Times = 10
			env.srv.Inject(f)
			ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			devs, err := env.c.ListEnrolledFactors(ctx, onelogintest.SeedUserAda)
			if devs != nil || err == nil {
				t.Fatalf("ListEnrolledFactors = %v, %v; want an error", devs, err)
			}
			if el := time.Since(start); el > 2*time.Second {
				t.Errorf("took %s", el)
			}
			tc.check(t, err)
			// One v1 call with the expired token (401), then none without a token.
			if n := env.srv.CallCount(onelogintest.OpGetEnrolledFactors) - before; n != 1 {
				t.Errorf("v1 operation reached %d times, want 1", n)
			}
			hzCheckNoSecrets(t, env.secrets(), append(hzFormats(err), env.log.String())...)
		})
	}
	goleak.VerifyNone(t, leakOpt)
}

func hzWantTokenError(t *testing.T, err error, status int, sentinel error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || !e.TokenEndpoint || e.StatusCode != status || !errors.Is(err, sentinel) {
		t.Fatalf("err = %v; want a token endpoint *Error %d matching %v", err, status, sentinel)
	}
	if len(e.Body) != 0 {
		t.Errorf("token endpoint body kept: %q", e.Body)
	}
}

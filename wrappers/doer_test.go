package wrappers

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"golang.org/x/oauth2"
)

func mustRequest(t *testing.T, ctx context.Context, method, u string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNewDoerValidatesBaseURL(t *testing.T) {
	tests := []struct {
		name string
		raw  string
	}{
		{"plain http to a real host", "http://example.okta.com"},
		{"ftp", "ftp://example.com"},
		{"relative", "/api/v1"},
		{"user info", "https://user:pw@example.com"},
		{"query", "https://example.com/?x=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := url.Parse(tt.raw)
			_, err := NewDoer(DoerConfig{BaseURL: u})
			if !errors.Is(err, ErrInvalidBaseURL) {
				t.Fatalf("NewDoer(%q) error = %v, want ErrInvalidBaseURL", tt.raw, err)
			}
			if strings.Contains(tt.raw, "pw@") && err != nil && strings.Contains(err.Error(), "pw") {
				t.Errorf("error repeats user info: %v", err)
			}
		})
	}
	if _, err := NewDoer(DoerConfig{}); !errors.Is(err, ErrInvalidBaseURL) {
		t.Errorf("NewDoer without BaseURL: %v, want ErrInvalidBaseURL", err)
	}
}

// countingAuth counts Authorize calls and sets a fixed header.
type countingAuth struct{ n atomic.Int32 }

func (a *countingAuth) Authorize(r *http.Request) error {
	a.n.Add(1)
	r.Header.Set("Authorization", "SSWS secret-token")
	return nil
}

func TestDoerRefusesForeignOrigin(t *testing.T) {
	home := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	foreign := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	auth := &countingAuth{}
	d, _ := newTestDoer(t, home, func(c *DoerConfig) { c.Auth = auth })
	hu := home.BaseURL(t)
	tests := []struct {
		name string
		url  string
	}{
		{"other port", foreign.URL + "/api/v1/users"},
		{"other host", "http://localhost:" + hu.Port() + "/api/v1/users"},
		{"other scheme", "https://" + hu.Host + "/api/v1/users"},
		{"no host", "/api/v1/users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := mustRequest(t, t.Context(), http.MethodGet, tt.url, nil)
			resp, err := d.Do(req)
			var fe *ForeignOriginError
			if resp != nil || !errors.As(err, &fe) || !errors.Is(err, ErrForeignOrigin) {
				t.Fatalf("Do(%s) = %v, %v; want *ForeignOriginError", tt.url, resp, err)
			}
			if fe.Op != "request" || fe.Want != Origin(hu) {
				t.Errorf("error = %+v", fe)
			}
		})
	}
	if foreign.Hits() != 0 || home.Hits() != 0 {
		t.Errorf("hits: foreign %d, home %d; want 0, 0", foreign.Hits(), home.Hits())
	}
	if auth.n.Load() != 0 {
		t.Errorf("Authorize called %d times for refused requests", auth.n.Load())
	}
}

func TestDoerRateLimitWaits(t *testing.T) {
	serverDate := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	localNow := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) // badly skewed local clock
	tests := []struct {
		name    string
		method  string
		headers map[string]string
		noDate  bool
		wait    RateLimitWaitFunc
		want    time.Duration
	}{
		{
			name:    "epoch reset against server Date",
			method:  http.MethodGet,
			headers: map[string]string{"X-Rate-Limit-Reset": strconv.FormatInt(serverDate.Unix()+7, 10), "Date": serverDate.Format(http.TimeFormat)},
			wait:    EpochResetWait("X-Rate-Limit-Reset"),
			want:    7 * time.Second,
		},
		{
			name:    "epoch reset without Date uses local clock",
			method:  http.MethodPost,
			headers: map[string]string{"X-Rate-Limit-Reset": strconv.FormatInt(localNow.Unix()+5, 10)},
			noDate:  true,
			wait:    EpochResetWait("X-Rate-Limit-Reset"),
			want:    5 * time.Second,
		},
		{
			name:    "delta seconds: 2 means two seconds",
			method:  http.MethodPost,
			headers: map[string]string{"X-RateLimit-Reset": "2"},
			wait:    DeltaResetWait("X-RateLimit-Reset"),
			want:    2 * time.Second,
		},
		{
			name:    "Retry-After when the provider func finds nothing",
			method:  http.MethodDelete,
			headers: map[string]string{"Retry-After": "3"},
			wait:    EpochResetWait("X-Rate-Limit-Reset"),
			want:    3 * time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var bodies []string
			var mu sync.Mutex
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				bodies = append(bodies, string(b))
				n := len(bodies)
				mu.Unlock()
				if n == 1 {
					for k, v := range tt.headers {
						w.Header().Set(k, v)
					}
					if tt.noDate {
						w.Header()["Date"] = nil
					}
					w.WriteHeader(http.StatusTooManyRequests)
					io.WriteString(w, `{"errorCode":"E0000047"}`)
					return
				}
				io.WriteString(w, `{"ok":true}`)
			})
			d, fs := newTestDoer(t, s, func(c *DoerConfig) {
				c.RateLimitWait = tt.wait
				c.Now = func() time.Time { return localNow }
			})
			resp, err := d.Do(mustRequest(t, t.Context(), tt.method, s.URL+"/api/v1/x", strings.NewReader(`{"a":1}`)))
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			if got := readAll(t, resp); got != `{"ok":true}` {
				t.Errorf("body = %q", got)
			}
			if got := fs.Waits(); len(got) != 1 || got[0] != tt.want {
				t.Errorf("waits = %v, want [%v]", got, tt.want)
			}
			if s.Hits() != 2 {
				t.Errorf("hits = %d, want 2", s.Hits())
			}
			if tt.method != http.MethodDelete && (len(bodies) != 2 || bodies[0] != `{"a":1}` || bodies[1] != bodies[0]) {
				t.Errorf("server saw bodies %q, want the same body twice", bodies)
			}
		})
	}
}

func TestDoerRateLimitResetTooFarGivesUp(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Reset", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	d, fs := newTestDoer(t, s, func(c *DoerConfig) {
		c.RateLimitWait = DeltaResetWait("X-RateLimit-Reset")
		c.Retry.MaxRateLimitWait = time.Minute
	})
	_, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL, nil))
	var ae *apiError
	if !errors.As(err, &ae) || ae.Status != 429 {
		t.Fatalf("err = %v, want *apiError 429", err)
	}
	if s.Hits() != 1 || len(fs.Waits()) != 0 {
		t.Errorf("hits %d, waits %v; want 1 hit and no wait", s.Hits(), fs.Waits())
	}
}

func TestDoerRateLimitExhausted(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Reset", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, "slow down "+strconv.Itoa(int(r.ContentLength)))
	})
	d, fs := newTestDoer(t, s, func(c *DoerConfig) { c.RateLimitWait = DeltaResetWait("X-RateLimit-Reset") })
	_, err := d.Do(mustRequest(t, t.Context(), http.MethodPost, s.URL, strings.NewReader("x")))
	var ae *apiError
	if !errors.As(err, &ae) || ae.Status != 429 || StatusCode(err) != 429 {
		t.Fatalf("err = %v, want the last *apiError 429", err)
	}
	if s.Hits() != 3 || len(fs.Waits()) != 2 {
		t.Errorf("hits %d, waits %v; want 3 hits, 2 waits", s.Hits(), fs.Waits())
	}
}

func TestDoerContextStopsWait(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Reset", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	t.Run("cancel", func(t *testing.T) {
		d, _ := newTestDoer(t, s, func(c *DoerConfig) {
			c.RateLimitWait = DeltaResetWait("X-RateLimit-Reset")
			c.Sleep = nil // the real timer
		})
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(30*time.Millisecond, cancel)
		start := time.Now()
		_, err := d.Do(mustRequest(t, ctx, http.MethodGet, s.URL, nil))
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("Do took %v after cancel", el)
		}
		var ae *apiError
		if !errors.Is(err, context.Canceled) || !errors.As(err, &ae) || ae.Status != 429 {
			t.Fatalf("err = %v, want context.Canceled joined with the 429", err)
		}
	})
	t.Run("deadline before reset", func(t *testing.T) {
		d, fs := newTestDoer(t, s, func(c *DoerConfig) { c.RateLimitWait = DeltaResetWait("X-RateLimit-Reset") })
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		_, err := d.Do(mustRequest(t, ctx, http.MethodGet, s.URL, nil))
		if !errors.Is(err, context.DeadlineExceeded) || StatusCode(err) != 429 {
			t.Fatalf("err = %v, want DeadlineExceeded joined with the 429", err)
		}
		if len(fs.Waits()) != 0 {
			t.Errorf("waited %v although the deadline was too close", fs.Waits())
		}
	})
}

func TestDoerTransientStatusRetriedOnlyWhenIdempotent(t *testing.T) {
	tests := []struct {
		method   string
		status   int
		header   string
		wantHits int
	}{
		{http.MethodGet, 503, "", 3},
		{http.MethodGet, 502, "", 3},
		{http.MethodPut, 504, "", 3},
		{http.MethodDelete, 503, "", 3},
		{http.MethodHead, 503, "", 3},
		{http.MethodPost, 503, "", 1},
		{http.MethodPost, 502, "", 1},
		{http.MethodPatch, 503, "", 1},
		{http.MethodPost, 503, "Idempotency-Key", 3},
		{http.MethodGet, 500, "", 1},
		{http.MethodGet, 404, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+strconv.Itoa(tt.status)+" "+tt.header, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
			})
			d, fs := newTestDoer(t, s, nil)
			req := mustRequest(t, t.Context(), tt.method, s.URL+"/x", nil)
			if tt.header != "" {
				req.Header.Set(tt.header, "k1")
			}
			resp, err := d.Do(req)
			if resp != nil || StatusCode(err) != tt.status {
				t.Fatalf("Do = %v, %v; want nil and status %d", resp, err, tt.status)
			}
			if s.Hits() != tt.wantHits {
				t.Errorf("hits = %d, want %d", s.Hits(), tt.wantHits)
			}
			waits := fs.Waits()
			if len(waits) != tt.wantHits-1 {
				t.Fatalf("waits = %v, want %d", waits, tt.wantHits-1)
			}
			for i, w := range waits { // base 100ms doubling, jittered to [d/2, d]
				full := 100 * time.Millisecond << i
				if w < full/2 || w > full {
					t.Errorf("wait %d = %v, want in [%v, %v]", i, w, full/2, full)
				}
			}
		})
	}
}

func TestDoerTransientStatusThenSuccess(t *testing.T) {
	var n atomic.Int32
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "done")
	})
	d, _ := newTestDoer(t, s, nil)
	resp, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL, nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, resp); got != "done" {
		t.Errorf("body %q", got)
	}
}

// breakConn hijacks the connection and breaks it: before any response, or
// after part of a 200 body, with a TCP reset.
func breakConn(t *testing.T, w http.ResponseWriter, midBody bool) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	if midBody {
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"id\":")
		buf.Flush()
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // RST instead of FIN
	}
	conn.Close()
}

func TestDoerTransportFailures(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		midBody  bool
		wantHits int
		wantOK   bool
	}{
		{"GET reset before response", http.MethodGet, false, 3, true},
		{"GET reset mid-body", http.MethodGet, true, 3, true},
		{"PUT reset mid-body", http.MethodPut, true, 3, true},
		{"POST reset before response", http.MethodPost, false, 1, false},
		{"POST reset mid-body", http.MethodPost, true, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				io.ReadAll(r.Body)
				if n.Add(1) < 3 {
					breakConn(t, w, tt.midBody)
					return
				}
				io.WriteString(w, `[{"id":1}]`)
			})
			d, _ := newTestDoer(t, s, nil)
			resp, err := d.Do(mustRequest(t, t.Context(), tt.method, s.URL, strings.NewReader("{}")))
			if tt.wantOK {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				if got := readAll(t, resp); got != `[{"id":1}]` {
					t.Errorf("body %q", got)
				}
			} else if err == nil || resp != nil {
				t.Fatalf("Do = %v, %v; want an error", resp, err)
			}
			if s.Hits() != tt.wantHits {
				t.Errorf("hits = %d, want %d", s.Hits(), tt.wantHits)
			}
		})
	}
}

func TestDoerRetriesDialFailureForPOST(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: every dial is refused
	base, _ := url.Parse("http://" + addr)
	fs := &fakeSleep{}
	d, err := NewDoer(DoerConfig{BaseURL: base, Sleep: fs.Sleep, Retry: RetryPolicy{MaxAttempts: 3}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.CloseIdleConnections)
	_, err = d.Do(mustRequest(t, t.Context(), http.MethodPost, base.String()+"/x?q=query-secret", strings.NewReader("{}")))
	var op *net.OpError
	if !errors.As(err, &op) {
		t.Fatalf("err = %v, want a dial error", err)
	}
	if msg := err.Error(); strings.Contains(msg, "query-secret") || !strings.Contains(msg, "/x") {
		t.Errorf("error = %q, want the path without the query", msg)
	}
	if len(fs.Waits()) != 2 {
		t.Errorf("waits = %v, want 2 (a refused dial sends nothing, so POST is retried)", fs.Waits())
	}
}

// onlyReader hides bytes.Reader's type so http.NewRequest sets no GetBody.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestDoerRebuildsBodyWithoutGetBody(t *testing.T) {
	var bodies []string
	var mu sync.Mutex
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		n := len(bodies)
		mu.Unlock()
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	d, _ := newTestDoer(t, s, nil)
	req := mustRequest(t, t.Context(), http.MethodPut, s.URL, onlyReader{strings.NewReader(`{"name":"x"}`)})
	if req.GetBody != nil {
		t.Fatal("test setup: GetBody is set")
	}
	if _, err := d.Do(req); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 2 || bodies[0] != `{"name":"x"}` || bodies[1] != bodies[0] {
		t.Errorf("bodies = %q", bodies)
	}
}

func TestDoerErrorBodies(t *testing.T) {
	const html = "<html><body><h1>502 Bad Gateway</h1>\r\n<hr>nginx</body></html>"
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, html)
	})
	t.Run("DecodeError gets status and body", func(t *testing.T) {
		var gotStatus int
		var gotBody, gotRespBody string
		d, _ := newTestDoer(t, s, func(c *DoerConfig) {
			c.DecodeError = func(resp *http.Response, body []byte) error {
				gotStatus, gotBody = resp.StatusCode, string(body)
				b, _ := io.ReadAll(resp.Body)
				gotRespBody = string(b)
				return &apiError{Status: resp.StatusCode, Body: string(body)}
			}
		})
		resp, err := d.Do(mustRequest(t, t.Context(), http.MethodPost, s.URL, strings.NewReader("{}")))
		var ae *apiError
		if resp != nil || !errors.As(err, &ae) {
			t.Fatalf("Do = %v, %v; want nil, *apiError", resp, err)
		}
		if gotStatus != 502 || gotBody != html || gotRespBody != html {
			t.Errorf("DecodeError saw %d %q (resp.Body %q)", gotStatus, gotBody, gotRespBody)
		}
	})
	t.Run("default HTTPError", func(t *testing.T) {
		d, _ := newTestDoer(t, s, func(c *DoerConfig) { c.DecodeError = nil })
		_, err := d.Do(mustRequest(t, t.Context(), http.MethodPost, s.URL, nil))
		var he *HTTPError
		if !errors.As(err, &he) || he.StatusCode != 502 || he.HTTPStatusCode() != 502 {
			t.Fatalf("err = %v, want *HTTPError 502", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "502 Bad Gateway") || strings.ContainsAny(msg, "\r\n") {
			t.Errorf("Error() = %q", msg)
		}
	})
	t.Run("DecodeError returning nil", func(t *testing.T) {
		d, _ := newTestDoer(t, s, func(c *DoerConfig) {
			c.DecodeError = func(*http.Response, []byte) error { return nil }
		})
		resp, err := d.Do(mustRequest(t, t.Context(), http.MethodPost, s.URL, nil))
		if resp != nil || StatusCode(err) != 502 {
			t.Fatalf("Do = %v, %v; want nil and a 502 error", resp, err)
		}
	})
}

// tokenSeq hands out tok-1, tok-2, ... and counts fetches.
type tokenSeq struct{ n atomic.Int32 }

func (s *tokenSeq) Token() (*oauth2.Token, error) {
	n := s.n.Add(1)
	return &oauth2.Token{AccessToken: "tok-" + strconv.Itoa(int(n)), TokenType: "bearer", Expiry: time.Now().Add(time.Hour)}, nil
}

func TestDoer401RefetchesOnce(t *testing.T) {
	tests := []struct {
		name      string
		accept    string // the only token the server accepts
		method    string
		wantErr   bool
		wantHits  int
		wantFetch int32
	}{
		{"expired token replaced", "Bearer tok-2", http.MethodPost, false, 2, 2},
		{"still rejected", "Bearer nope", http.MethodGet, true, 2, 2},
		{"first token fine", "Bearer tok-1", http.MethodGet, false, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var bodies []string
			var mu sync.Mutex
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				bodies = append(bodies, string(b))
				mu.Unlock()
				if r.Header.Get("Authorization") != tt.accept {
					w.WriteHeader(http.StatusUnauthorized)
					io.WriteString(w, `{"status":{"error":true,"code":401,"message":"Unauthorized"}}`)
					return
				}
				io.WriteString(w, "ok")
			})
			src := &tokenSeq{}
			d, fs := newTestDoer(t, s, func(c *DoerConfig) {
				c.Auth = TokenSourceAuth(NewCachingTokenSource(src, time.Minute))
			})
			var body io.Reader
			if tt.method == http.MethodPost {
				body = strings.NewReader(`{"factor_id":1}`)
			}
			_, err := d.Do(mustRequest(t, t.Context(), tt.method, s.URL, body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.wantErr && StatusCode(err) != 401 {
				t.Errorf("err = %v, want a 401 error", err)
			}
			if s.Hits() != tt.wantHits || src.n.Load() != tt.wantFetch {
				t.Errorf("hits %d fetches %d; want %d, %d", s.Hits(), src.n.Load(), tt.wantHits, tt.wantFetch)
			}
			if len(fs.Waits()) != 0 {
				t.Errorf("waited %v before a credential retry", fs.Waits())
			}
			if tt.method == http.MethodPost && (len(bodies) != 2 || bodies[1] != bodies[0]) {
				t.Errorf("bodies %q", bodies)
			}
		})
	}
	t.Run("not an Invalidator: no retry", func(t *testing.T) {
		s := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) })
		d, _ := newTestDoer(t, s, func(c *DoerConfig) { c.Auth = HeaderAuth("SSWS", "tok") })
		if _, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL, nil)); StatusCode(err) != 401 || s.Hits() != 1 {
			t.Errorf("err %v, hits %d; want 401 after 1 hit", err, s.Hits())
		}
	})
}

// TestDoerRetryUnauthorizedHook: the hook sees each 401 with its decoded
// error and the attempt's request (and context), and only a 401 it agrees to
// costs a token refetch and a resend.
func TestDoerRetryUnauthorizedHook(t *testing.T) {
	type ctxKey struct{}
	tests := []struct {
		name      string
		message   string // the 401 body for tok-1
		wantErr   bool
		wantHits  int
		wantFetch int32
	}{
		{"credential refused: refetched and resent", "token expired", false, 2, 2},
		{"wrong code: no refetch, no resend", "wrong code", true, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer tok-2" {
					w.WriteHeader(http.StatusUnauthorized)
					io.WriteString(w, tt.message)
				}
			})
			src := &tokenSeq{}
			var calls atomic.Int32
			d, _ := newTestDoer(t, s, func(c *DoerConfig) {
				c.Auth = TokenSourceAuth(NewCachingTokenSource(src, time.Minute))
				c.RetryUnauthorized = func(resp *http.Response, decoded error) bool {
					calls.Add(1)
					var ae *apiError
					if resp.StatusCode != 401 || !errors.As(decoded, &ae) || resp.Request.Context().Value(ctxKey{}) != "verify" {
						t.Errorf("hook got status %d, error %v, request context without the caller's value", resp.StatusCode, decoded)
					}
					return ae.Body != "wrong code"
				}
			})
			ctx := context.WithValue(t.Context(), ctxKey{}, "verify")
			_, err := d.Do(mustRequest(t, ctx, http.MethodPost, s.URL, strings.NewReader(`{"otp":"1"}`)))
			if (err != nil) != tt.wantErr || tt.wantErr && StatusCode(err) != 401 {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if s.Hits() != tt.wantHits || src.n.Load() != tt.wantFetch || calls.Load() != 1 {
				t.Errorf("hits %d, fetches %d, hook calls %d; want %d, %d, 1", s.Hits(), src.n.Load(), calls.Load(), tt.wantHits, tt.wantFetch)
			}
		})
	}
	t.Run("nil hook: every 401 retried once", func(t *testing.T) {
		s := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) })
		src := &tokenSeq{}
		d, _ := newTestDoer(t, s, func(c *DoerConfig) { c.Auth = TokenSourceAuth(NewCachingTokenSource(src, time.Minute)) })
		if _, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL, nil)); StatusCode(err) != 401 || s.Hits() != 2 || src.n.Load() != 2 {
			t.Errorf("err %v, hits %d, fetches %d; want 401 after 2 hits and 2 fetches", err, s.Hits(), src.n.Load())
		}
	})
}

func TestDoer401ConcurrentRefetchOnce(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-2" {
			w.WriteHeader(http.StatusUnauthorized)
		}
	})
	src := &tokenSeq{}
	d, _ := newTestDoer(t, s, func(c *DoerConfig) { c.Auth = TokenSourceAuth(NewCachingTokenSource(src, 0)) })
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Go(func() {
			_, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL, nil))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := src.n.Load(); got != 2 {
		t.Errorf("token fetched %d times for 50 concurrent 401s, want 2", got)
	}
}

func TestDoerRedirects(t *testing.T) {
	t.Run("same origin keeps working and keeps Authorization", func(t *testing.T) {
		var gotAuth string
		s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/old" {
				http.Redirect(w, r, "/new", http.StatusTemporaryRedirect)
				return
			}
			gotAuth = r.Header.Get("Authorization")
			io.WriteString(w, "moved")
		})
		d, _ := newTestDoer(t, s, func(c *DoerConfig) { c.Auth = HeaderAuth("SSWS", "tok-same") })
		resp, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL+"/old", nil))
		if err != nil {
			t.Fatal(err)
		}
		if readAll(t, resp) != "moved" || gotAuth != "SSWS tok-same" {
			t.Errorf("auth at /new = %q", gotAuth)
		}
	})
	t.Run("cross host", func(t *testing.T) {
		var leaked atomic.Value
		other := newServer(t, func(w http.ResponseWriter, r *http.Request) { leaked.Store(r.Header.Get("Authorization")) })
		s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
		})
		d, _ := newTestDoer(t, s, func(c *DoerConfig) { c.Auth = HeaderAuth("SSWS", "tok-cross") })
		_, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL+"/x", nil))
		var fe *ForeignOriginError
		if !errors.As(err, &fe) || fe.Op != "redirect" {
			t.Fatalf("err = %v, want a redirect *ForeignOriginError", err)
		}
		if other.Hits() != 0 || leaked.Load() != nil {
			t.Errorf("the other server got %d requests (Authorization %v)", other.Hits(), leaked.Load())
		}
		if s.Hits() != 1 {
			t.Errorf("origin hits = %d, want 1 (a refused redirect is not retried)", s.Hits())
		}
	})
	t.Run("https to http", func(t *testing.T) {
		plain := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
		secure := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://"+plain.Listener.Addr().String()+"/x", http.StatusFound)
		})
		d, _ := newTestDoer(t, secure, func(c *DoerConfig) { c.Auth = HeaderAuth("Bearer", "tok-tls") })
		_, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, secure.URL+"/x", nil))
		if !errors.Is(err, ErrForeignOrigin) {
			t.Fatalf("err = %v, want ErrForeignOrigin", err)
		}
		if plain.Hits() != 0 {
			t.Errorf("plain-http server got %d requests", plain.Hits())
		}
	})
	t.Run("caller's client untouched and its CheckRedirect consulted", func(t *testing.T) {
		s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/old" {
				http.Redirect(w, r, "/new", http.StatusFound)
			}
		})
		stop := errors.New("caller says stop")
		base := s.Client()
		base.CheckRedirect = func(*http.Request, []*http.Request) error { return stop }
		orig := base.CheckRedirect
		d, _ := newTestDoer(t, s, func(c *DoerConfig) { c.HTTPClient = base })
		if _, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL+"/old", nil)); !errors.Is(err, stop) {
			t.Errorf("err = %v, want the caller's CheckRedirect error", err)
		}
		if got := base.CheckRedirect(nil, nil); got != stop || orig == nil {
			t.Error("caller's client was modified")
		}
	})
}

func TestDoerBodyCap(t *testing.T) {
	big := strings.Repeat("x", 2048)
	tests := []struct {
		name     string
		body     string
		chunked  bool
		wantErr  bool
		wantSize int64
	}{
		{"announced length over cap", big, false, true, 2048},
		{"chunked over cap", big, true, true, -1},
		{"exactly the cap", big[:1024], false, false, 0},
		{"chunked under cap", big[:1000], true, false, 0},
		{"announced under cap", big[:700], false, false, 0},
		{"chunked exactly the cap", big[:1024], true, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if !tt.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(tt.body)))
				}
				for i := 0; i < len(tt.body); i += 256 {
					io.WriteString(w, tt.body[i:min(i+256, len(tt.body))])
					if tt.chunked {
						w.(http.Flusher).Flush()
					}
				}
			})
			d, _ := newTestDoer(t, s, func(c *DoerConfig) { c.MaxBodyBytes = 1024 })
			resp, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL, nil))
			if !tt.wantErr {
				if err != nil {
					t.Fatal(err)
				}
				b, ok := ResponseBytes(resp)
				if !ok || string(b) != tt.body {
					t.Errorf("ResponseBytes = %d bytes, %v; want the %d-byte body", len(b), ok, len(tt.body))
				}
				if !tt.chunked && cap(b) != len(tt.body)+1 {
					t.Errorf("cap = %d for an announced %d bytes: the read was not sized from Content-Length", cap(b), len(tt.body))
				}
				if got := readAll(t, resp); got != tt.body {
					t.Errorf("body of %d bytes, want %d", len(got), len(tt.body))
				}
				return
			}
			var be *BodyTooLargeError
			if resp != nil || !errors.As(err, &be) || !errors.Is(err, ErrBodyTooLarge) {
				t.Fatalf("Do = %v, %v; want *BodyTooLargeError", resp, err)
			}
			if be.Limit != 1024 || be.Size != tt.wantSize {
				t.Errorf("error = %+v", be)
			}
			if s.Hits() != 1 {
				t.Errorf("hits = %d; an oversized body must not be retried", s.Hits())
			}
		})
	}
}

func TestDoerLogsWithoutSecrets(t *testing.T) {
	const token = "super-secret-api-token"
	var n atomic.Int32
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Set-Cookie", "session=cookie-secret")
		io.WriteString(w, "ok")
	})
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	auth := HeaderAuth("SSWS", token)
	d, _ := newTestDoer(t, s, func(c *DoerConfig) {
		c.Auth = auth
		c.Logger = logger
		c.UserAgent = "mfakit-test/1"
	})
	req := mustRequest(t, t.Context(), http.MethodGet, s.URL+"/api/v1/users/00u1/factors?q=query-secret", nil)
	if _, err := d.Do(req); err != nil {
		t.Fatal(err)
	}
	logger.Info("config", "auth", auth, "doer", d, "secret", Secret(token))
	out := buf.String()
	for _, bad := range []string{token, "query-secret", "cookie-secret", "Authorization"} {
		if strings.Contains(out, bad) {
			t.Errorf("log contains %q:\n%s", bad, out)
		}
	}
	for _, want := range []string{`"path":"/api/v1/users/00u1/factors"`, `"attempt":2`, `"status":503`, `"reason":"transient status"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	if req.Header.Get("Authorization") != "" || req.Header.Get("User-Agent") != "" {
		t.Error("Do modified the caller's request headers")
	}
}

func TestDoerSetsUserAgentAndAuthPerAttempt(t *testing.T) {
	var got []string
	var mu sync.Mutex
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("User-Agent")+"|"+r.Header.Get("Authorization"))
		mu.Unlock()
	})
	auth := &countingAuth{}
	d, _ := newTestDoer(t, s, func(c *DoerConfig) { c.Auth = auth; c.UserAgent = "mfakit/0.1" })
	for range 2 {
		if _, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL, nil)); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 || got[0] != "mfakit/0.1|SSWS secret-token" || auth.n.Load() != 2 {
		t.Errorf("server saw %q, Authorize calls %d", got, auth.n.Load())
	}
}

func TestDoerAuthorizeErrorStopsRequest(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	d, _ := newTestDoer(t, s, func(c *DoerConfig) { c.Auth = HeaderAuth("SSWS", "") })
	_, err := d.Do(mustRequest(t, t.Context(), http.MethodGet, s.URL+"/api/x?q=secret-query", nil))
	if !errors.Is(err, ErrNoCredential) || s.Hits() != 0 {
		t.Errorf("err %v, hits %d; want ErrNoCredential and nothing sent", err, s.Hits())
	}
	var ae *AuthorizeError
	if !errors.As(err, &ae) || ae.Method != http.MethodGet || ae.Path != "/api/x" || !errors.Is(ae.Err, ErrNoCredential) {
		t.Fatalf("err = %#v, want an *AuthorizeError for GET /api/x", err)
	}
	if strings.Contains(err.Error(), "secret-query") {
		t.Errorf("Error() shows the query: %q", err.Error())
	}
}

func TestRetryPolicyBackoff(t *testing.T) {
	p := RetryPolicy{BaseDelay: time.Second, MaxDelay: 5 * time.Second}.withDefaults()
	for n, full := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 5 * time.Second, 60: 5 * time.Second} {
		for range 50 {
			if got := p.backoff(n); got < full/2 || got > full {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", n, got, full/2, full)
			}
		}
	}
	if d := (RetryPolicy{}).withDefaults(); d.MaxAttempts != DefaultMaxAttempts || d.MaxRateLimitWait != DefaultMaxRateLimitWait {
		t.Errorf("defaults = %+v", d)
	}
}

// TestReadAllSized: the announced length sizes the buffer, but the bytes
// that arrive decide: fewer or more than announced are read as they are, and
// the limit holds either way.
func TestReadAllSized(t *testing.T) {
	body := strings.Repeat("x", 100)
	for _, tt := range []struct {
		name        string
		size, limit int64
		want        int
	}{
		{"as announced", 100, 1000, 100},
		{"fewer than announced", 150, 1000, 100},
		{"more than announced", 10, 1000, 100},
		{"unknown length", -1, 1000, 100},
		{"over the limit, announced", 100, 51, 51},
		{"over the limit, announced small", 10, 51, 51},
		{"over the limit, unknown", -1, 51, 51},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAllSized(iotest.OneByteReader(strings.NewReader(body)), tt.size, tt.limit)
			if err != nil || len(got) != tt.want || string(got) != body[:tt.want] {
				t.Errorf("readAllSized = %d bytes, %v; want %d", len(got), err, tt.want)
			}
		})
	}
	if _, err := readAllSized(iotest.ErrReader(io.ErrUnexpectedEOF), 10, 100); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("read error = %v", err)
	}
	if b, ok := ResponseBytes(&http.Response{Body: io.NopCloser(strings.NewReader("x"))}); ok || b != nil {
		t.Errorf("ResponseBytes of a plain body = %q, %v", b, ok)
	}
	if _, ok := ResponseBytes(nil); ok {
		t.Error("ResponseBytes(nil) ok")
	}
}

func TestRetryPolicyValidate(t *testing.T) {
	if err := (RetryPolicy{}).Validate(); err != nil {
		t.Fatalf("zero policy: %v", err)
	}
	for _, p := range []RetryPolicy{{MaxAttempts: -1}, {BaseDelay: -1}, {MaxDelay: -1}, {MaxRateLimitWait: -1}, {MaxElapsed: -1}} {
		if err := p.Validate(); err == nil {
			t.Errorf("%+v: no error for a negative bound", p)
		}
	}
}

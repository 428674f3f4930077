package oktatest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	okta "github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/internal/fakeserver"
)

// maxBody caps the request bodies the fake reads.
const maxBody = 1 << 20

// Server is a fake Okta org on a loopback address, in the manner of
// net/http/httptest.Server. It serves the 34 operations of api/okta.yaml from in-memory
// state and validates every request it receives and every response it sends against
// that document.
//
// A Server is safe for concurrent use. Close it when done (WithT does so automatically).
type Server struct {
	// URL is the base URL of the fake, "http://127.0.0.1:port", without a trailing slash.
	// Pass it to a client as the Okta org URL.
	URL string

	cfg    config
	hs     *httptest.Server
	spec   *fakeserver.Spec
	mux    http.Handler // the generated std-http-server routes, dispatching to api
	done   chan struct{}
	once   sync.Once
	faults fakeserver.FaultQueue[Fault]
	calls  fakeserver.Calls

	mu      sync.Mutex // guards everything below, and st
	st      *state
	rl      map[string]*fakeserver.Window
	secrets map[string]bool // API tokens

	apps       map[string]*serviceApp  // WithServiceApp, by client id; read-only after NewServer
	issued     map[string]*issuedToken // access tokens the token endpoint issued
	tokenOrder []string                // issued tokens, in the order issued
	jtis       map[string]time.Time    // client id + jti of accepted assertions, until they expire
}

// NewServer starts a fake Okta org, seeded with a realistic set of authenticators, users,
// factors and enrollments unless WithoutSeed is given. Like httptest.NewServer it panics
// if it cannot listen (or if the embedded api/okta.yaml is broken, which the tests of
// package api catch first).
func NewServer(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if len(cfg.apiTokens) == 0 {
		cfg.apiTokens = []string{DefaultAPIToken}
	}
	sp, err := loadSpec()
	if err != nil {
		panic("oktatest: " + err.Error())
	}
	apps, err := newServiceApps(cfg.serviceApps)
	if err != nil {
		panic("oktatest: " + err.Error())
	}
	s := &Server{
		cfg:     cfg,
		spec:    sp,
		done:    make(chan struct{}),
		rl:      map[string]*fakeserver.Window{},
		secrets: map[string]bool{},
		apps:    apps,
		issued:  map[string]*issuedToken{},
		jtis:    map[string]time.Time{},
	}
	for _, tok := range cfg.apiTokens {
		s.secrets[tok] = true
	}
	s.mux = okta.HandlerWithOptions(apiHandlers{s}, okta.StdHTTPServerOptions{
		BaseRouter: http.NewServeMux(),
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			// Reached only for parameters request validation let through.
			badRequest(w, "parameters", err.Error())
		},
	})
	s.hs = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.hs.Start()
	s.URL = s.hs.URL
	s.st = newState(s.URL, cfg.now(), cfg.fixedCode)
	if cfg.seed {
		s.st.seed()
	}
	if cfg.t != nil {
		cfg.t.Cleanup(s.Close)
	}
	return s
}

// Close shuts the server down, ends pending delays and blocks until all outstanding
// requests have completed. It is safe to call more than once.
func (s *Server) Close() {
	s.once.Do(func() { close(s.done) })
	s.hs.Close()
}

// Client returns an HTTP client for the server that sends "Authorization: SSWS
// <APIToken()>" on every request to the server that carries no Authorization header of
// its own, and nothing to any other host.
func (s *Server) Client() *http.Client {
	base := s.hs.Client()
	return &http.Client{Transport: &tokenTransport{base: base.Transport, host: s.hs.Listener.Addr().String(), token: s.APIToken()}}
}

// APIToken returns an API token the server accepts: DefaultAPIToken, or the first token
// given to WithAPIToken.
func (s *Server) APIToken() string { return s.cfg.apiTokens[0] }

// CallCount returns how many requests for operationID (an Op constant) reached the
// server, including rejected ones; AllOperations counts every request.
func (s *Server) CallCount(operationID string) int {
	if operationID == AllOperations {
		return s.calls.Total()
	}
	return s.calls.Count(operationID)
}

type tokenTransport struct {
	base  http.RoundTripper
	host  string
	token string
}

func (t *tokenTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == t.host && r.Header.Get("Authorization") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "SSWS "+t.token)
	}
	return t.base.RoundTrip(r)
}

func (s *Server) now() time.Time { return s.cfg.now() }

// report makes a spec violation loud: t.Errorf under WithT, else an error log (on
// slog.Default() when no logger was set, so that it is never silent).
func (s *Server) report(what string, args ...any) {
	rep := fakeserver.Reporter{T: s.cfg.t, Prefix: "oktatest"}
	if s.cfg.loggerSet {
		rep.Logger = s.cfg.logger
	}
	rep.Report(fmt.Sprintf(what, args...))
}

// sleep waits d, or until the request is abandoned or the server closed; it reports
// whether the full wait elapsed.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	return fakeserver.Sleep(ctx, s.done, d)
}

// serveHTTP is the pipeline every request goes through: common headers, routing,
// faults, rate limit, authentication, request validation, the generated server and
// handlers, the response hook and response validation. The OAuth 2.0 token endpoint
// (token.go), which api/okta.yaml does not describe, shares the headers, faults named
// OpToken and rate limiting, and skips routing, validation and the hook.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	h := w.Header()
	h.Set("X-Okta-Request-Id", randomID(27))
	h.Set("Date", now.UTC().Format(http.TimeFormat))

	isToken := r.URL.Path == tokenPath
	var (
		route      *routers.Route
		pathParams map[string]string
		routeErr   error
		opID       string
	)
	if isToken {
		opID = OpToken
	} else if route, pathParams, routeErr = s.spec.Router.FindRoute(r); routeErr == nil {
		opID = route.Operation.OperationID
	}

	s.calls.Add(opID)
	delay := s.faults.Delay()
	fault := s.takeFault(opID)

	if !s.sleep(r.Context(), delay) {
		// The client gave up or the server is closing: end the connection unanswered.
		panic(http.ErrAbortHandler)
	}
	truncate := false
	if fault != nil {
		if !s.sleep(r.Context(), fault.Delay) {
			panic(http.ErrAbortHandler)
		}
		if fault.Kind == FaultTruncated {
			truncate = true
		} else if s.applyFault(w, opID, fault, now) {
			return
		}
	}

	rec := fakeserver.NewRecorder()
	for k, v := range h {
		rec.Header()[k] = v
	}
	allowed := s.rateLimit(rec.Header(), opID, now)

	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	_ = r.Body.Close()

	var reqInput *openapi3filter.RequestValidationInput
	switch {
	case routeErr != nil:
		s.answerNoRoute(rec, r, routeErr)
	case !allowed:
		writeError(rec, http.StatusTooManyRequests, rateLimitedError())
	case readErr != nil:
		malformed(rec, "the request body could not be read")
	case len(body) > maxBody:
		badRequest(rec, "request body", "the request body is larger than 1 MiB")
	case isToken:
		s.serveToken(rec, r, body)
	default:
		reqInput = &openapi3filter.RequestValidationInput{Request: r, PathParams: pathParams, Route: route, Options: filterOptions()}
		s.handle(rec, r, route, reqInput, body)
	}

	out := rec.Body.Bytes()
	if s.cfg.hook != nil && reqInput != nil {
		out = s.cfg.hook(opID, rec.Status, rec.Header(), out)
	}
	status := rec.Status
	if reqInput != nil {
		if err := fakeserver.ValidateResponse(context.Background(), reqInput, status, rec.Header(), out); err != nil {
			s.report("response to %s %s (%s, HTTP %d) does not match api/okta.yaml: %v", r.Method, r.URL.Path, opID, status, err)
			status = http.StatusInternalServerError
			b, _ := json.Marshal(internalError("oktatest: the fake's response did not match api/okta.yaml"))
			out = b
			rec.Header().Set("Content-Type", "application/json")
		}
	}

	for k, v := range rec.Header() {
		h[k] = v
	}
	if truncate && len(out) > 1 {
		fakeserver.WriteTruncated(w, status, out)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// handle authenticates, validates the request and dispatches it to the handlers.
func (s *Server) handle(w http.ResponseWriter, r *http.Request, route *routers.Route, in *openapi3filter.RequestValidationInput, body []byte) {
	if ok := s.authorize(w, r, route); !ok {
		return
	}
	if len(body) > 0 && !json.Valid(body) {
		if !s.cfg.lenient {
			s.report("request %s %s (%s): body is not JSON", r.Method, r.URL.Path, route.Operation.OperationID)
		}
		malformed(w, "the request body is not valid JSON")
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		causes := fakeserver.Causes(err)
		if !s.cfg.lenient {
			s.report("request %s %s (%s) does not match api/okta.yaml: %s", r.Method, r.URL.Path, route.Operation.OperationID, strings.Join(causes, "; "))
		}
		badRequest(w, route.Operation.OperationID, causes...)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	s.mux.ServeHTTP(w, r)
}

func (s *Server) answerNoRoute(w http.ResponseWriter, r *http.Request, err error) {
	if !s.cfg.lenient {
		s.report("request %s %s matches no operation of api/okta.yaml: %v", r.Method, r.URL.Path, err)
	}
	if re, ok := err.(*routers.RouteError); ok && re.Reason == routers.ErrMethodNotAllowed.Error() {
		writeError(w, http.StatusMethodNotAllowed, newOktaError(codeMethod, "The endpoint does not support the provided HTTP method"))
		return
	}
	notFound(w, r.URL.Path, "Path")
}

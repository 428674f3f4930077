package onelogintest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/mfakit/mfakit/api"
	gen "github.com/mfakit/mfakit/gen/onelogin"
	"github.com/mfakit/mfakit/internal/fakeserver"
)

// Operation ids of api/onelogin.yaml, for Fault.OperationID and Server.CallCount.
const (
	OpGenerateToken      = "generateToken"
	OpRevokeTokens       = "revokeTokens"
	OpGetMFAFactors      = "getMFAFactors"
	OpGetEnrolledFactors = "getEnrolledFactors"
	OpEnrollMfaFactor    = "enrollMfaFactor"
	OpGenerateMFAtoken   = "generateMFAtoken"
	OpRemoveMfaFactors   = "removeMfaFactors"
	OpVerifyMfaFactor    = "verifyMfaFactor"
	OpActivateMfaFactors = "activateMfaFactors"
)

// Server is a fake OneLogin account on a loopback address, in the manner of
// net/http/httptest.Server. It serves the MFA v1 operations and the OAuth token and revoke
// endpoints of api/onelogin.yaml from in-memory state, and validates every request it
// receives and every response it sends against that document.
//
// A Server is safe for concurrent use. Close it when done (WithT does so automatically).
type Server struct {
	// URL is the base URL of the fake, "http://127.0.0.1:port", without a trailing slash.
	URL string

	cfg    config
	hs     *httptest.Server
	router routers.Router
	api    http.Handler // the generated std-http-server routes, dispatching to handlers
	opts   *openapi3filter.Options

	faults fakeserver.FaultQueue[Fault]
	calls  fakeserver.Calls

	mu     sync.Mutex // guards everything below
	st     *state
	tokens tokenStore
	rl     fakeserver.Window // OneLogin's one v1 budget
}

// spec loads, validates (examples too) and routes the embedded document once per process.
var spec = sync.OnceValues(func() (*fakeserver.Spec, error) {
	return fakeserver.LoadSpec("api/onelogin.yaml", api.OneLogin, openapi3.EnableExamplesValidation())
})

// NewServer starts a fake OneLogin server. Like httptest.NewServer it panics if it cannot
// listen (or if the embedded api/onelogin.yaml is broken, which tests in package api catch).
func NewServer(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	sp, err := spec()
	if err != nil {
		panic("onelogintest: " + err.Error())
	}
	s := &Server{
		cfg:    cfg,
		router: sp.Router,
		st:     newState(cfg.seed, cfg.fixedOTP),
		tokens: tokenStore{all: map[string]*accessToken{}},
		rl:     fakeserver.Window{Limit: cfg.rateLimit, Length: cfg.rateWindow},
		opts:   fakeserver.FilterOptions(),
	}
	s.api = gen.HandlerWithOptions(handlers{s}, gen.StdHTTPServerOptions{
		BaseRouter: http.NewServeMux(),
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			// Unreachable in practice: request validation rejects bad parameters first.
			writeStatus(w, http.StatusBadRequest, textMessage(err.Error()))
		},
	})
	s.hs = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.hs.URL
	if cfg.t != nil {
		cfg.t.Cleanup(s.Close)
	}
	return s
}

// Close shuts the server down and blocks until all outstanding requests have completed.
// It is safe to call more than once.
func (s *Server) Close() { s.hs.Close() }

// Client returns an HTTP client configured for the server (like httptest.Server.Client).
func (s *Server) Client() *http.Client { return s.hs.Client() }

// ClientID returns the API client id the token endpoint accepts.
func (s *Server) ClientID() string { return s.cfg.clientID }

// ClientSecret returns the API client secret the token endpoint accepts.
func (s *Server) ClientSecret() string { return s.cfg.clientSecret }

// AccountID returns the account_id reported with access tokens.
func (s *Server) AccountID() int { return s.cfg.accountID }

// String describes the server without its credentials.
func (s *Server) String() string { return "onelogintest.Server(" + s.URL + ")" }

// GoString is String, so that %#v does not print the client secret or tokens either.
func (s *Server) GoString() string { return s.String() }

// CallCount returns how many requests for the operation the server has received, including
// rejected ones ("" counts every request, also those for unknown paths).
func (s *Server) CallCount(operationID string) int {
	if operationID == "" {
		return s.calls.Total()
	}
	return s.calls.Count(operationID)
}

func (s *Server) now() time.Time { return s.cfg.now() }

func isOAuthOp(op string) bool { return op == OpGenerateToken || op == OpRevokeTokens }

// serveHTTP is the pipeline every request goes through: route and validate the request,
// apply an injected fault, enforce the rate limit and the bearer token, run the generated
// handler into a buffer, validate the response, and send it.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	route, params, err := s.router.FindRoute(r)
	if err != nil {
		s.calls.Add("")
		s.reportRequest(r, "", err)
		rec := fakeserver.NewRecorder()
		s.rateHeaders(rec.Header())
		writeStatus(rec, http.StatusNotFound, textMessage("No Route Exists"))
		rec.Send(w)
		return
	}
	s.calls.Add(route.Operation.OperationID)
	op := route.Operation.OperationID
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: s.opts}
	rec := fakeserver.NewRecorder()
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		s.reportRequest(r, op, err)
		s.rateHeaders(rec.Header())
		s.writeError(rec, op, http.StatusBadRequest, s.redact(requestProblem(err)))
	} else {
		if f, ok := s.faults.Take(op, true); ok {
			if s.applyFault(w, r, op, f) {
				return
			}
		}
		s.handle(rec, r, op)
	}
	body := rec.Body.Bytes()
	if s.cfg.hook != nil {
		body = s.cfg.hook(op, rec.Status, rec.Header(), bytes.Clone(body))
		rec.Body.Reset()
		rec.Body.Write(body)
		rec.Header().Del("Content-Length")
	}
	if err := fakeserver.ValidateResponse(r.Context(), in, rec.Status, rec.Header(), body); err != nil {
		msg := s.report("response", r, op, err)
		out := fakeserver.NewRecorder()
		s.rateHeaders(out.Header())
		writeStatus(out, http.StatusInternalServerError, textMessage(msg))
		out.Send(w)
		return
	}
	rec.Send(w)
}

// handle enforces the rate limit and authentication, then runs the operation's handler.
func (s *Server) handle(w http.ResponseWriter, r *http.Request, op string) {
	now := s.now()
	s.mu.Lock()
	allowed := true
	if !isOAuthOp(op) {
		allowed = s.rl.Take(now)
	}
	s.setRateHeaders(w.Header(), now)
	authorized := isOAuthOp(op) || s.tokens.valid(bearer(r), now)
	s.mu.Unlock()
	switch {
	case !allowed:
		writeStatus(w, http.StatusTooManyRequests, textMessage("Rate limit exceeded"))
	case !authorized:
		writeStatus(w, http.StatusUnauthorized, textMessage("Authentication Failure"))
	default:
		s.api.ServeHTTP(w, r)
	}
}

// writeError answers with the error body the operation uses: v2 style for the OAuth
// endpoints, the v1 status envelope elsewhere.
func (s *Server) writeError(w http.ResponseWriter, op string, status int, msg string) {
	if isOAuthOp(op) {
		writeOAuthError(w, status, msg)
		return
	}
	writeStatus(w, status, textMessage(msg))
}

// requestProblem shortens a kin-openapi request error to what OneLogin would say.
func requestProblem(err error) string {
	return "Invalid request: " + err.Error()
}

// reportRequest reports a request that does not match the document, unless the server was
// created WithLenientRequests.
func (s *Server) reportRequest(r *http.Request, op string, err error) {
	if s.cfg.lenient {
		s.cfg.logger.Info("onelogintest: rejected request", "method", r.Method, "path", r.URL.Path, "operation", op)
		return
	}
	s.report("request", r, op, err)
}

// report makes a mismatch with api/onelogin.yaml loud: t.Errorf under WithT, otherwise an
// error log (to slog.Default when no logger was configured, since a drifting fake must not
// pass silently). It returns the message, prefixed "onelogintest: ".
func (s *Server) report(what string, r *http.Request, op string, err error) string {
	msg := s.redact(fmt.Sprintf("%s for %s %s (operation %q) does not match api/onelogin.yaml: %v",
		what, r.Method, r.URL.Path, op, err))
	rep := fakeserver.Reporter{T: s.cfg.t, Prefix: "onelogintest"}
	if s.cfg.loggerSet {
		rep.Logger = s.cfg.logger
	}
	rep.Report(msg)
	return "onelogintest: " + msg
}

// redact removes the client secret and every access token from a message.
func (s *Server) redact(msg string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.clientSecret != "" {
		msg = strings.ReplaceAll(msg, s.cfg.clientSecret, "REDACTED")
	}
	for tok := range s.tokens.all {
		msg = strings.ReplaceAll(msg, tok, "REDACTED")
	}
	return msg
}

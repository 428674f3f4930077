// Package server is the one loopback HTTP server every benchmark talks to.
// It speaks just enough of Okta's management API and OneLogin's MFA v1 API
// to answer the calls measured, from the fixed fixtures, with the headers
// the real services send (Content-Type, Content-Length, request id,
// rate-limit headers).
//
// Which data a request sees is chosen by its credential, the way one tenant
// differs from another: each Okta API token (or Bearer token) names a
// tenant, so one server serves the 15-authenticator org, the 1,000-
// authenticator org, paged tenants and a rate-limited tenant at once,
// without shared mutable state between benchmarks.
//
// The handler is written to cost little (no router, precomputed header
// values), because its cost is part of every Call measurement and the same
// for every implementation.
package server

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mfakit/mfakit/bench/internal/fixtures"
)

// Credentials of the built-in tenants.
const (
	// TokenOrg15 is the API token of the org with Authenticators15.
	TokenOrg15 = "bench-token-org15"
	// TokenOrg17 is the API token of the org with Authenticators17.
	TokenOrg17 = "bench-token-org17"
	// TokenOrg1000 is the API token of the org with Authenticators1000.
	TokenOrg1000 = "bench-token-org1000"

	// OneLoginClientID and OneLoginClientSecret are the OneLogin API
	// credentials the token endpoint accepts.
	OneLoginClientID     = "bench-onelogin-client-id"
	OneLoginClientSecret = "bench-onelogin-client-secret"
	// OneLoginAccessToken is the access token the token endpoint issues.
	OneLoginAccessToken = "bench-onelogin-access-token"

	// FactorsUserID is the Okta user whose factors are Factors.
	FactorsUserID = fixtures.FactorsUserID
	// OneLoginUserID is the OneLogin user whose devices are
	// OneLoginOTPDevices (any id works).
	OneLoginUserID int64 = 61234567
)

// response is a precomputed body with its Content-Length value.
type response struct {
	body []byte
	clen []string
}

func newResponse(b []byte) response {
	return response{body: b, clen: []string{strconv.Itoa(len(b))}}
}

// tenant is one Okta org.
type tenant struct {
	authenticators response
	byID           map[string]response
	methods        response
	factors        response

	// paged, when not nil, makes ListFactors answer in pages.
	paged *paging
	// limited, when not nil, rate-limits the tenant and answers ListFactors
	// per user.
	limited *rateLimit
}

// Server is the loopback server. Its exported counters are safe to read
// while it runs.
type Server struct {
	*httptest.Server

	mu      sync.RWMutex
	tenants map[string]*tenant

	// Requests counts every request answered; Rejected counts 429s.
	Requests atomic.Int64
	Rejected atomic.Int64

	oneloginDevices response
	oneloginToken   response
}

var (
	hdrJSON      = []string{"application/json"}
	hdrRequestID = []string{"XkRwbmVuY2gtcmVxdWVzdC1pZA"}
	hdrLimit     = []string{"600"}
	hdrRemaining = []string{"599"}
	hdrOLLimit   = []string{"5000"}
	hdrOLRemain  = []string{"4999"}
	hdrOLReset   = []string{"1200"}
)

// New starts a server with the built-in tenants. Close it when done.
func New() *Server {
	s := &Server{tenants: map[string]*tenant{}}
	s.tenants[TokenOrg15] = newTenant(fixtures.Authenticators15)
	s.tenants[TokenOrg17] = newTenant(fixtures.Authenticators17)
	s.tenants[TokenOrg1000] = newTenant(fixtures.Authenticators1000)
	s.oneloginDevices = newResponse(fixtures.OneLoginOTPDevices)
	tok, _ := json.Marshal(map[string]any{
		"access_token": OneLoginAccessToken, "created_at": "2026-01-01T00:00:00.000Z",
		"expires_in": 36000, "refresh_token": "", "token_type": "bearer", "account_id": 555555,
	})
	s.oneloginToken = newResponse(tok)
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

func newTenant(authenticators []byte) *tenant {
	t := &tenant{
		authenticators: newResponse(authenticators),
		byID:           map[string]response{},
		methods:        newResponse(fixtures.Methods),
		factors:        newResponse(fixtures.Factors),
	}
	var items []json.RawMessage
	if err := json.Unmarshal(authenticators, &items); err != nil {
		panic("server: bad authenticators fixture: " + err.Error())
	}
	for _, it := range items {
		var a struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(it, &a); err != nil {
			panic("server: bad authenticator: " + err.Error())
		}
		t.byID[a.ID] = newResponse(it)
	}
	return t
}

// AuthenticatorID returns the id of the authenticator of the given key in
// the org of token (the first one, in a large org), or "".
func (s *Server) AuthenticatorID(token, key string) string {
	s.mu.RLock()
	t := s.tenants[token]
	s.mu.RUnlock()
	if t == nil {
		return ""
	}
	var items []struct {
		ID  string `json:"id"`
		Key string `json:"key"`
	}
	_ = json.Unmarshal(t.authenticators.body, &items)
	for _, it := range items {
		if it.Key == key {
			return it.ID
		}
	}
	return ""
}

// AuthenticatorBody returns the exact bytes GetAuthenticator answers for id
// in the org of token, or nil.
func (s *Server) AuthenticatorBody(token, id string) []byte {
	s.mu.RLock()
	t := s.tenants[token]
	s.mu.RUnlock()
	if t == nil {
		return nil
	}
	return t.byID[id].body
}

func (s *Server) tenant(r *http.Request) *tenant {
	auth := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(auth, " ")
	if !ok || !(strings.EqualFold(scheme, "SSWS") || strings.EqualFold(scheme, "Bearer")) {
		return nil
	}
	s.mu.RLock()
	t := s.tenants[tok]
	s.mu.RUnlock()
	return t
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.Requests.Add(1)
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/api/v1/"):
		s.serveOkta(w, r, path[len("/api/v1/"):])
	case strings.HasPrefix(path, "/api/1/"):
		s.serveOneLogin(w, r, path[len("/api/1/"):])
	case path == "/auth/oauth2/v2/token":
		s.serveOneLoginToken(w, r)
	default:
		oktaError(w, http.StatusNotFound, "E0000022", "The endpoint does not support the provided HTTP method")
	}
}

func writeJSON(w http.ResponseWriter, h http.Header, resp response) {
	h["Content-Type"] = hdrJSON
	h["Content-Length"] = resp.clen
	w.WriteHeader(http.StatusOK)
	w.Write(resp.body)
}

func oktaError(w http.ResponseWriter, status int, code, summary string) {
	b, _ := json.Marshal(map[string]any{
		"errorCode": code, "errorSummary": summary, "errorLink": code,
		"errorId": "oaeBenchErrorId0000000", "errorCauses": []any{},
	})
	h := w.Header()
	h["Content-Type"] = hdrJSON
	h["X-Okta-Request-Id"] = hdrRequestID
	w.WriteHeader(status)
	w.Write(b)
}

// serveOkta answers /api/v1/{rest}.
func (s *Server) serveOkta(w http.ResponseWriter, r *http.Request, rest string) {
	t := s.tenant(r)
	if t == nil {
		oktaError(w, http.StatusUnauthorized, "E0000011", "Invalid token provided")
		return
	}
	if r.Method != http.MethodGet {
		oktaError(w, http.StatusMethodNotAllowed, "E0000022", "The endpoint does not support the provided HTTP method")
		return
	}
	h := w.Header()
	h["X-Okta-Request-Id"] = hdrRequestID
	if t.limited != nil {
		if !t.limited.admit(w, h) {
			s.Rejected.Add(1)
			return
		}
	} else {
		h["X-Rate-Limit-Limit"] = hdrLimit
		h["X-Rate-Limit-Remaining"] = hdrRemaining
		h["X-Rate-Limit-Reset"] = resetInAMinute()
	}
	switch {
	case rest == "authenticators":
		writeJSON(w, h, t.authenticators)
	case strings.HasPrefix(rest, "authenticators/"):
		id, sub, _ := strings.Cut(rest[len("authenticators/"):], "/")
		a, ok := t.byID[id]
		switch {
		case sub == "" && ok:
			writeJSON(w, h, a)
		case sub == "methods":
			writeJSON(w, h, t.methods)
		default:
			oktaError(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+id+" (Authenticator)")
		}
	case strings.HasPrefix(rest, "users/"):
		uid, sub, _ := strings.Cut(rest[len("users/"):], "/")
		if sub != "factors" {
			oktaError(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+sub)
			return
		}
		switch {
		case t.paged != nil:
			t.paged.serve(w, r, h, uid)
		case t.limited != nil:
			t.limited.serveFactors(w, h, uid)
		default:
			writeJSON(w, h, t.factors)
		}
	default:
		oktaError(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+rest)
	}
}

// resetEntry caches the X-Rate-Limit-Reset value of one second.
type resetEntry struct {
	sec int64
	v   []string
}

var resetCache atomic.Pointer[resetEntry]

// resetInAMinute is an X-Rate-Limit-Reset value a minute from now (Unix
// seconds), as an unthrottled org reports it; computed once a second.
func resetInAMinute() []string {
	sec := time.Now().Unix()
	if e := resetCache.Load(); e != nil && e.sec == sec {
		return e.v
	}
	e := &resetEntry{sec: sec, v: []string{strconv.FormatInt(sec+60, 10)}}
	resetCache.Store(e)
	return e.v
}

// serveOneLogin answers /api/1/{rest}; only users/{id}/otp_devices.
func (s *Server) serveOneLogin(w http.ResponseWriter, r *http.Request, rest string) {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "bearer") || tok != OneLoginAccessToken {
		oneLoginError(w, http.StatusUnauthorized, "Unauthorized", "Authentication Failure")
		return
	}
	uid, sub, _ := strings.Cut(strings.TrimPrefix(rest, "users/"), "/")
	if _, err := strconv.ParseInt(uid, 10, 64); err != nil || sub != "otp_devices" || r.Method != http.MethodGet {
		oneLoginError(w, http.StatusNotFound, "Not Found", "Not Found")
		return
	}
	h := w.Header()
	h["X-Ratelimit-Limit"] = hdrOLLimit
	h["X-Ratelimit-Remaining"] = hdrOLRemain
	h["X-Ratelimit-Reset"] = hdrOLReset
	writeJSON(w, h, s.oneloginDevices)
}

func oneLoginError(w http.ResponseWriter, status int, typ, msg string) {
	b, _ := json.Marshal(map[string]any{"status": map[string]any{"error": true, "code": status, "type": typ, "message": msg}})
	w.Header()["Content-Type"] = hdrJSON
	w.WriteHeader(status)
	w.Write(b)
}

// serveOneLoginToken answers the client-credentials token request, with the
// credentials in HTTP Basic or in the form.
func (s *Server) serveOneLoginToken(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		if err := r.ParseForm(); err == nil {
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
	}
	if r.Method != http.MethodPost || id != OneLoginClientID || secret != OneLoginClientSecret {
		b, _ := json.Marshal(map[string]any{"statusCode": 401, "name": "Unauthorized", "message": "Authentication Failure"})
		w.Header()["Content-Type"] = hdrJSON
		w.WriteHeader(http.StatusUnauthorized)
		w.Write(b)
		return
	}
	writeJSON(w, w.Header(), s.oneloginToken)
}

// BasicAuth returns the value of an HTTP Basic Authorization header for the
// OneLogin credentials, for clients that need it spelled out.
func BasicAuth() string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(OneLoginClientID+":"+OneLoginClientSecret))
}

// addTenant registers t under token; it panics on a duplicate.
func (s *Server) addTenant(token string, t *tenant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.tenants[token]; dup {
		panic(fmt.Sprintf("server: tenant %q already exists", token))
	}
	s.tenants[token] = t
}

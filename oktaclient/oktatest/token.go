package oktatest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// The org authorization server's token endpoint.
//
// It is not one of the 34 operations of api/okta.yaml: it belongs to Okta's OAuth 2.0
// org authorization server, not to the MFA administration API the document describes.
// So the fake serves it beside the spec-validated router rather than through it: a
// request to tokenPath gets the same Date, X-Okta-Request-Id and rate-limit headers
// (its own budget, under OpToken), counts in CallCount(OpToken) and can be given faults
// named OpToken, but is neither routed nor validated against the document, and its
// answers are RFC 6749 JSON, not Okta's error bodies.
const tokenPath = "/oauth2/v1/token"

// OpToken names the OAuth 2.0 token endpoint (POST /oauth2/v1/token) in CallCount,
// WithRateLimit and Fault.OperationID. It is not an operation of api/okta.yaml; a
// Fault with OperationID "" or AllOperations does not affect it, only one naming
// OpToken does.
const OpToken = "token"

// Defaults of the token endpoint.
const (
	// DefaultTokenLifetime is how long an access token issued by the token endpoint is
	// valid, as Okta's org authorization server issues them (expires_in 3600).
	DefaultTokenLifetime = time.Hour
	// MaxAssertionLifetime is how far in the future a client assertion's exp may be:
	// Okta refuses assertions valid for more than an hour.
	MaxAssertionLifetime = time.Hour
	// clientAssertionType is the only client_assertion_type the endpoint accepts
	// (RFC 7523 section 2.2).
	clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	// assertionLeeway is the clock skew tolerated for an assertion's nbf and iat; exp is
	// checked strictly.
	assertionLeeway = time.Minute
)

// assertionAlgs are the JWS algorithms accepted for client assertions. go-jose also
// checks that the algorithm fits the registered key's type.
var assertionAlgs = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512,
	jose.ES256, jose.ES384, jose.ES512,
	jose.EdDSA,
}

// serviceApp is an OAuth 2.0 service app registered WithServiceApp.
type serviceApp struct {
	key    any    // *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey
	keyID  string // required "kid" of assertions, when the key was given as a JWK with one
	scopes []string
}

// issuedToken is an access token the token endpoint issued.
type issuedToken struct {
	clientID string
	scopes   []string
	expires  time.Time
}

// IssuedToken describes an access token the token endpoint issued, for tests that
// check what their code asked for. It never holds the token itself.
type IssuedToken struct {
	// ClientID is the service app the token was issued to.
	ClientID string
	// Scopes are the scopes the token grants: those requested that the app is allowed,
	// in the order requested.
	Scopes []string
	// Expires is when the token stops being accepted, on the server's clock.
	Expires time.Time
}

// WithServiceApp registers an OAuth 2.0 service app that gets access tokens from POST
// /oauth2/v1/token with the client credentials grant and a private_key_jwt client
// assertion, as Okta's org authorization server issues them for Okta's APIs. publicKey
// verifies the assertions: an *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey (a
// private key of those types is accepted for its public half), or a jose.JSONWebKey
// holding one, in which case a non-empty KeyID must also be the assertions' "kid".
// scopes are the Okta scopes the app was granted; a token grants those requested that
// are among them, and is accepted as "Authorization: Bearer <token>" like a token of
// WithBearerToken. NewServer panics when publicKey is not a usable key.
//
// The endpoint checks an assertion as Okta does: its signature, iss and sub equal to
// the client id, aud equal to the token URL (Server.URL + "/oauth2/v1/token"), exp in
// the future but at most an hour ahead, and a jti not seen before (jti itself is
// optional, as in Okta). Times are judged by the server's clock (WithClock), so a
// client that signs with the real clock needs a server clock near it.
func WithServiceApp(clientID string, publicKey crypto.PublicKey, scopes ...string) Option {
	return func(c *config) {
		if c.serviceApps == nil {
			c.serviceApps = map[string]serviceAppConfig{}
		}
		c.serviceApps[clientID] = serviceAppConfig{key: publicKey, scopes: append([]string(nil), scopes...)}
	}
}

// WithTokenLifetime sets how long access tokens from the token endpoint are valid
// (default DefaultTokenLifetime). They expire on the server's clock (WithClock), after
// which they are refused with 401 E0000011, as an expired Okta token is.
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.tokenLifetime = d
		}
	}
}

// serviceAppConfig is WithServiceApp's input, checked by NewServer.
type serviceAppConfig struct {
	key    crypto.PublicKey
	scopes []string
}

// newServiceApps checks the keys given to WithServiceApp.
func newServiceApps(in map[string]serviceAppConfig) (map[string]*serviceApp, error) {
	out := make(map[string]*serviceApp, len(in))
	for id, a := range in {
		if strings.TrimSpace(id) == "" {
			return nil, errors.New("WithServiceApp: empty client id")
		}
		key, kid := a.key, ""
		switch k := key.(type) {
		case jose.JSONWebKey:
			key, kid = k.Key, k.KeyID
		case *jose.JSONWebKey:
			if k == nil {
				return nil, fmt.Errorf("WithServiceApp(%q): nil key", id)
			}
			key, kid = k.Key, k.KeyID
		}
		if s, ok := key.(crypto.Signer); ok {
			key = s.Public()
		}
		switch k := key.(type) {
		case *rsa.PublicKey:
			if k == nil {
				return nil, fmt.Errorf("WithServiceApp(%q): nil key", id)
			}
		case *ecdsa.PublicKey:
			if k == nil {
				return nil, fmt.Errorf("WithServiceApp(%q): nil key", id)
			}
		case ed25519.PublicKey:
			if len(k) != ed25519.PublicKeySize {
				return nil, fmt.Errorf("WithServiceApp(%q): malformed Ed25519 key", id)
			}
		default:
			return nil, fmt.Errorf("WithServiceApp(%q): unsupported public key type %T", id, key)
		}
		out[id] = &serviceApp{key: key, keyID: kid, scopes: a.scopes}
	}
	return out, nil
}

// TokenRequests returns how many requests reached the token endpoint, including
// refused ones; the same as CallCount(OpToken).
func (s *Server) TokenRequests() int { return s.CallCount(OpToken) }

// IssuedTokens returns the access tokens the token endpoint has issued, in the order
// issued, expired ones included.
func (s *Server) IssuedTokens() []IssuedToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]IssuedToken, 0, len(s.tokenOrder))
	for _, tok := range s.tokenOrder {
		it := s.issued[tok]
		out = append(out, IssuedToken{ClientID: it.clientID, Scopes: slices.Clone(it.scopes), Expires: it.expires})
	}
	return out
}

// oauthError is an RFC 6749 section 5.2 error body, which Okta's token endpoint answers
// with instead of its API error body.
type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, status, oauthError{Error: code, ErrorDescription: description})
}

// invalidClient answers 401 invalid_client, Okta's answer to any failed client
// authentication.
func invalidClient(w http.ResponseWriter, description string) {
	writeOAuthError(w, http.StatusUnauthorized, "invalid_client", description)
}

// serveToken is POST /oauth2/v1/token: the client credentials grant with a
// private_key_jwt client assertion. body is the request body, already read.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, newOktaError(codeMethod, "The endpoint does not support the provided HTTP method"))
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The request must be application/x-www-form-urlencoded.")
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The request body is not a valid form.")
		return
	}
	switch g := form.Get("grant_type"); g {
	case "client_credentials":
	case "":
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The 'grant_type' parameter is required.")
		return
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "The grant type is not supported by this endpoint: only client_credentials is.")
		return
	}
	if form.Get("client_secret") != "" || r.Header.Get("Authorization") != "" {
		invalidClient(w, "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.")
		return
	}
	if form.Get("client_assertion_type") != clientAssertionType || form.Get("client_assertion") == "" {
		invalidClient(w, "Client authentication failed: a client_assertion of type "+clientAssertionType+" is required.")
		return
	}
	app, clientID, expires, jti, desc := s.checkAssertion(form.Get("client_assertion"), form.Get("client_id"))
	if desc != "" {
		invalidClient(w, desc)
		return
	}
	requested := strings.Fields(form.Get("scope"))
	if len(requested) == 0 {
		writeOAuthError(w, http.StatusBadRequest, "invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.")
		return
	}
	var granted []string
	for _, sc := range requested {
		if slices.Contains(app.scopes, sc) && !slices.Contains(granted, sc) {
			granted = append(granted, sc)
		}
	}
	if len(granted) == 0 {
		writeOAuthError(w, http.StatusBadRequest, "invalid_scope", "The following scopes are not allowed: "+strings.Join(requested, " "))
		return
	}

	now := s.now()
	token := randomID(64)
	s.mu.Lock()
	if jti != "" {
		key := clientID + "\x00" + jti
		if _, seen := s.jtis[key]; seen {
			s.mu.Unlock()
			invalidClient(w, "The client_assertion token has already been used (jti replayed).")
			return
		}
		// Forget jtis of assertions that can no longer be used anyway.
		for k, exp := range s.jtis {
			if now.After(exp) {
				delete(s.jtis, k)
			}
		}
		s.jtis[key] = expires
	}
	s.issued[token] = &issuedToken{clientID: clientID, scopes: granted, expires: now.Add(s.cfg.tokenLifetime)}
	s.tokenOrder = append(s.tokenOrder, token)
	s.mu.Unlock()

	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":   "Bearer",
		"expires_in":   int64(s.cfg.tokenLifetime / time.Second),
		"access_token": token,
		"scope":        strings.Join(granted, " "),
	})
}

// checkAssertion verifies a client assertion and returns its app, client id, expiry
// and jti, or a description of why it is refused. formClientID is the optional
// client_id parameter, which must then name the same client.
func (s *Server) checkAssertion(assertion, formClientID string) (app *serviceApp, clientID string, expires time.Time, jti, refusal string) {
	tok, err := jwt.ParseSigned(assertion, assertionAlgs)
	if err != nil {
		return nil, "", time.Time{}, "", "The client_assertion is not a signed JWT with a supported algorithm."
	}
	// Find the app by the unverified issuer, then verify with its key.
	var unverified jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return nil, "", time.Time{}, "", "The client_assertion claims are malformed."
	}
	clientID = unverified.Issuer
	if formClientID != "" && formClientID != clientID {
		return nil, "", time.Time{}, "", "The client_id parameter does not match the client_assertion's iss."
	}
	app = s.apps[clientID]
	if app == nil {
		return nil, "", time.Time{}, "", "Invalid value for 'client_id' parameter."
	}
	if app.keyID != "" && (len(tok.Headers) != 1 || tok.Headers[0].KeyID != app.keyID) {
		return nil, "", time.Time{}, "", "The client_assertion 'kid' does not match a key of the client."
	}
	var claims jwt.Claims
	if err := tok.Claims(app.key, &claims); err != nil {
		return nil, "", time.Time{}, "", "The client_assertion signature is invalid."
	}
	now := s.now()
	if claims.Issuer != clientID || claims.Subject != clientID {
		return nil, "", time.Time{}, "", "The client_assertion 'iss' and 'sub' claims must both be the client_id."
	}
	if claims.Expiry == nil {
		return nil, "", time.Time{}, "", "The client_assertion has no 'exp' claim."
	}
	expires = claims.Expiry.Time()
	err = claims.ValidateWithLeeway(jwt.Expected{
		Issuer:      clientID,
		Subject:     clientID,
		AnyAudience: jwt.Audience{s.URL + tokenPath},
		Time:        now,
	}, assertionLeeway)
	switch {
	case errors.Is(err, jwt.ErrInvalidAudience):
		return nil, "", time.Time{}, "", "The client_assertion 'aud' claim must be the token endpoint " + s.URL + tokenPath + "."
	case err != nil && !errors.Is(err, jwt.ErrExpired):
		return nil, "", time.Time{}, "", "The client_assertion is not valid yet (nbf or iat in the future)."
	case !now.Before(expires):
		return nil, "", time.Time{}, "", "The client_assertion token is expired."
	case expires.After(now.Add(MaxAssertionLifetime)):
		return nil, "", time.Time{}, "", "The client_assertion token has an expiration too far into the future (more than an hour)."
	}
	return app, clientID, expires, claims.ID, ""
}

// issuedScopes looks up an access token the token endpoint issued: its scopes, whether
// it is known, and whether it has expired on the server's clock.
func (s *Server) issuedScopes(token string) (scopes []string, known, expired bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.issued[token]
	if it == nil {
		return nil, false, false
	}
	return it.scopes, true, !s.now().Before(it.expires)
}

// tokenFault answers an injected status fault on the token endpoint with an RFC 6749
// error body, as the endpoint's real refusals have.
func tokenFault(w http.ResponseWriter, status int) {
	code := "server_error"
	switch status {
	case http.StatusBadRequest:
		code = "invalid_request"
	case http.StatusUnauthorized:
		code = "invalid_client"
	case http.StatusTooManyRequests:
		writeError(w, status, rateLimitedError())
		return
	}
	b, _ := json.Marshal(oauthError{Error: code, ErrorDescription: fmt.Sprintf("injected fault: HTTP %d", status)})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

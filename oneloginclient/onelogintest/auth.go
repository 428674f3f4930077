package onelogintest

import (
	"crypto/subtle"
	"encoding/json"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	gen "github.com/mfakit/mfakit/gen/onelogin"
)

// accessToken is one issued bearer token.
type accessToken struct {
	value   string
	created time.Time
	expires time.Time
	revoked bool
}

// tokenStore holds every token the server issued, so that an expired or revoked token is
// told apart from garbage only in the fake's state, never in its answers (all get 401).
type tokenStore struct {
	current *accessToken // the token the credential pair gets until it expires or is revoked
	all     map[string]*accessToken
}

func (ts *tokenStore) issue(now time.Time, lifetime time.Duration) *accessToken {
	if c := ts.current; c != nil && !c.revoked && now.Before(c.expires) {
		return c
	}
	t := &accessToken{value: newSecret(32), created: now, expires: now.Add(lifetime)}
	ts.current = t
	ts.all[t.value] = t
	return t
}

func (ts *tokenStore) valid(value string, now time.Time) bool {
	t := ts.all[value]
	return value != "" && t != nil && !t.revoked && now.Before(t.expires)
}

// bearer returns the token of an "Authorization: Bearer …" header, or "".
func bearer(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// credentialsMatch compares in constant time. A client may percent-encode HTTP Basic
// credentials (RFC 6749 section 2.3.1, as golang.org/x/oauth2 does), so the decoded form is
// accepted too.
func (s *Server) credentialsMatch(id, secret string) bool {
	eq := func(got, want string) bool {
		if subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1 {
			return true
		}
		dec, err := url.QueryUnescape(got)
		return err == nil && subtle.ConstantTimeCompare([]byte(dec), []byte(want)) == 1
	}
	return id != "" && eq(id, s.cfg.clientID) && eq(secret, s.cfg.clientSecret)
}

// Token returns a valid access token for the configured credential pair, issuing one if
// needed, exactly as the token endpoint would. It saves tests a round trip.
func (s *Server) Token() string {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens.issue(now, s.cfg.tokenLifetime).value
}

// ExpireTokens makes every access token issued so far expire now; the next token request
// gets a new token.
func (s *Server) ExpireTokens() {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens.all {
		if now.Before(t.expires) {
			t.expires = now
		}
	}
	s.tokens.current = nil
}

// RevokeTokens revokes every access token issued so far, as POST /auth/oauth2/revoke does for one.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens.all {
		t.revoked = true
	}
	s.tokens.current = nil
}

// GenerateToken implements POST /auth/oauth2/v2/token: client credentials by HTTP Basic with
// a JSON or form body, or as client_id and client_secret in a form body. A scope is refused.
func (h handlers) GenerateToken(w http.ResponseWriter, r *http.Request) {
	s := h.s
	id, secret, basic := r.BasicAuth()
	var grant string
	var scope bool
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			writeOAuthError(w, http.StatusBadRequest, "Invalid form body")
			return
		}
		grant = r.PostForm.Get("grant_type")
		scope = r.PostForm.Has("scope")
		if !basic {
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
	default:
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeOAuthError(w, http.StatusBadRequest, "Invalid JSON body")
			return
		}
		grant, _ = body["grant_type"].(string)
		_, scope = body["scope"]
		if !basic {
			id, secret = "", ""
		}
	}
	switch {
	case grant != "client_credentials":
		writeOAuthError(w, http.StatusBadRequest, "grant_type is incorrect/absent")
		return
	case scope:
		writeOAuthError(w, http.StatusBadRequest, "scope is not supported: a credential pair's access is fixed")
		return
	case !s.credentialsMatch(id, secret):
		writeOAuthError(w, http.StatusUnauthorized, "Authentication Failure")
		return
	}
	now := s.now()
	s.mu.Lock()
	t := s.tokens.issue(now, s.cfg.tokenLifetime)
	s.mu.Unlock()
	refresh := "deprecated"
	writeJSON(w, http.StatusOK, gen.OAuthToken{
		AccessToken:  t.value,
		AccountId:    s.cfg.accountID,
		CreatedAt:    timestamp(t.created),
		ExpiresIn:    int(math.Ceil(t.expires.Sub(now).Seconds())),
		RefreshToken: &refresh,
		TokenType:    "bearer",
	})
}

// RevokeTokens implements POST /auth/oauth2/revoke: the credential pair by HTTP Basic, the
// token in a JSON body. Revoking an unknown or already invalid token succeeds too.
func (h handlers) RevokeTokens(w http.ResponseWriter, r *http.Request) {
	s := h.s
	id, secret, ok := r.BasicAuth()
	if !ok || !s.credentialsMatch(id, secret) {
		writeOAuthError(w, http.StatusUnauthorized, "Authentication Failure")
		return
	}
	var body gen.RevokeTokenRequest
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.AccessToken == "" {
		writeOAuthError(w, http.StatusBadRequest, "access_token is required")
		return
	}
	s.mu.Lock()
	if t := s.tokens.all[body.AccessToken]; t != nil {
		t.revoked = true
		if s.tokens.current == t {
			s.tokens.current = nil
		}
	}
	s.mu.Unlock()
	writeStatus(w, http.StatusOK, textMessage("Success"))
}

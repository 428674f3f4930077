package oktatest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/routers"
)

// Security scheme names of api/okta.yaml.
const (
	schemeAPIToken = "apiToken"
	schemeOAuth2   = "oauth2"
)

// authorize checks the request's credentials against the security requirements the
// document gives the operation, and answers 401 or 403 as Okta does when they fall short.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, route *routers.Route) bool {
	reqs := securityOf(route)
	if len(reqs) == 0 {
		return true // e.g. the well-known endpoint: security: []
	}
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	switch {
	case scheme == "SSWS" && token != "" && s.secrets[token]:
		for _, req := range reqs {
			if _, ok := req[schemeAPIToken]; ok {
				return true
			}
		}
		forbidden(w)
		return false
	case scheme == "Bearer" && token != "":
		granted, ok := s.cfg.bearer[token]
		if !ok {
			var expired bool
			granted, ok, expired = s.issuedScopes(token)
			if expired {
				s.challenge(w, "invalid_token", "The token has expired.")
				invalidToken(w)
				return false
			}
		}
		if !ok {
			s.challenge(w, "invalid_token", "The access token is invalid.")
			invalidToken(w)
			return false
		}
		for _, req := range reqs {
			needed, ok := req[schemeOAuth2]
			if ok && coversScopes(granted, needed) {
				return true
			}
		}
		s.challenge(w, "insufficient_scope", "The access token provided does not contain the required scopes.")
		forbidden(w)
		return false
	default:
		invalidToken(w)
		return false
	}
}

// challenge sets the WWW-Authenticate header Okta sends when it refuses an access token.
func (s *Server) challenge(w http.ResponseWriter, code, description string) {
	w.Header().Set("WWW-Authenticate", fmt.Sprintf(
		`Bearer authorization_uri="%s/oauth2/v1/authorize", realm="%s", scope="", error="%s", error_description="%s"`,
		s.URL, s.URL, code, description))
}

// coversScopes reports whether granted includes every scope in needed, counting
// okta.<resource>.manage as also granting okta.<resource>.read.
func coversScopes(granted, needed []string) bool {
	for _, n := range needed {
		if slices.Contains(granted, n) {
			continue
		}
		if res, ok := strings.CutSuffix(n, ".read"); ok && slices.Contains(granted, res+".manage") {
			continue
		}
		return false
	}
	return true
}

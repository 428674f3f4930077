package wrappers

import (
	"errors"
	"regexp"
	"strings"

	"golang.org/x/oauth2"
)

// redactor removes the credentials a token request sent (a client secret, a
// client assertion) from the token endpoint's refusal before it is scrubbed
// into a *TokenError. [ScrubTokenError] keeps error, error_description and
// error_uri (and a v2 body's name and message); a careless or hostile
// endpoint can echo a credential in any of them, and an excerpt of an echoed
// assertion is as good as the whole for a replay within its lifetime.
// Found by the issue 7 security tests (TestTokenEndpointEchoInDescriptionScrubbed).
// [Doer] uses its secret list the same way for the Authorization value an
// API error body or header echoes (redactCredential).
type redactor struct {
	secrets []string
}

// newRedactor returns a redactor for secrets. A secret with dots (a JWS) is
// also redacted segment by segment, so that a partial echo is caught.
func newRedactor(secrets ...string) redactor {
	var r redactor
	for _, s := range secrets {
		if s == "" {
			continue
		}
		r.secrets = append(r.secrets, s)
		if strings.Contains(s, ".") {
			for _, seg := range strings.Split(s, ".") {
				if len(seg) >= 16 {
					r.secrets = append(r.secrets, seg)
				}
			}
		}
	}
	return r
}

// jwsLike matches compact JWS/JWT serialisations (and long base64url runs
// that look like their segments), which never belong in an error message.
var jwsLike = regexp.MustCompile(`[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(\.[A-Za-z0-9_-]*)?`)

func (r redactor) text(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, Redacted)
	}
	return jwsLike.ReplaceAllString(s, Redacted)
}

// apply redacts the fields of an *oauth2.RetrieveError in err; it has the
// shape of a token fetch's result so that it can wrap one.
func (r redactor) apply(tok *oauth2.Token, err error) (*oauth2.Token, error) {
	var re *oauth2.RetrieveError
	if err == nil || !errors.As(err, &re) {
		return tok, err
	}
	re.ErrorCode = r.text(re.ErrorCode)
	re.ErrorDescription = r.text(re.ErrorDescription)
	re.ErrorURI = r.text(re.ErrorURI)
	re.Body = []byte(r.text(string(re.Body)))
	return tok, err
}

package oktaclient

import (
	"net/http"
	"testing"

	"github.com/mfakit/mfakit/gen/okta"
)

// TestNewGETMatchesGenerated: the hot GETs' request builder gives exactly
// the URL of the generated builder it replaces, for ids that need escaping
// and for both a default-port and a loopback org URL.
func TestNewGETMatchesGenerated(t *testing.T) {
	t.Parallel()
	ids := []string{"aut1", "a/b", "%2F", "?x=1", "#frag", "a b", "ü-é", "...", ".a", "a;b=c", "a+b", "@:", "a%", "\x7f"}
	for _, org := range []string{"https://example.okta.com", "http://127.0.0.1:8080/"} {
		c, err := New(org, WithAPIToken("t"))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			for _, tc := range []struct {
				name string
				got  func() (*http.Request, error)
				want func() (*http.Request, error)
			}{
				{"GetAuthenticator", func() (*http.Request, error) { return c.newGET("api/v1/authenticators/", id) },
					func() (*http.Request, error) { return okta.NewGetAuthenticatorRequest(c.server, id) }},
				{"ListAuthenticators", func() (*http.Request, error) { return c.newGET("api/v1/authenticators") },
					func() (*http.Request, error) { return okta.NewListAuthenticatorsRequest(c.server) }},
				{"ListAuthenticatorMethods", func() (*http.Request, error) { return c.newGET("api/v1/authenticators/", id, "/methods") },
					func() (*http.Request, error) { return okta.NewListAuthenticatorMethodsRequest(c.server, id) }},
				{"ListFactors", func() (*http.Request, error) { return c.newGET("api/v1/users/", id, "/factors") },
					func() (*http.Request, error) { return okta.NewListFactorsRequest(c.server, id) }},
				{"GetFactor", func() (*http.Request, error) { return c.newGET("api/v1/users/", id, "/factors/", id+"x") },
					func() (*http.Request, error) { return okta.NewGetFactorRequest(c.server, id, id+"x") }},
			} {
				got, gerr := tc.got()
				want, werr := tc.want()
				if (gerr == nil) != (werr == nil) {
					t.Fatalf("%s(%q) on %s: err %v, generated %v", tc.name, id, org, gerr, werr)
				}
				if gerr != nil {
					continue
				}
				if got.Method != want.Method || got.URL.String() != want.URL.String() || got.URL.Path != want.URL.Path ||
					got.URL.RawPath != want.URL.RawPath || got.Host != want.Host {
					t.Errorf("%s(%q) on %s: %s %s (path %q raw %q), generated %s %s (path %q raw %q)", tc.name, id, org,
						got.Method, got.URL, got.URL.Path, got.URL.RawPath, want.Method, want.URL, want.URL.Path, want.URL.RawPath)
				}
			}
		}
	}
}

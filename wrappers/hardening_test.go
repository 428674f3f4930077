package wrappers

// Regression tests for bugs found by the fuzz targets in fuzz_test.go
// (issue 7). See docs/reliability.md.

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// TestPaginateFirstPageLinkingToItself: found by FuzzPaginate. A first page
// whose next link names the first page's own URL used to be fetched a second
// time (its items yielded twice) before the loop was noticed, because the
// first page's URL is built by the face and was not known to Paginate. With
// Page.URL set, the loop is reported at once and nothing is duplicated.
func TestPaginateFirstPageLinkingToItself(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<`+r.URL.String()+`>; rel="next"`)
		w.Write([]byte(`[1,2]`))
	})
	fetch := fetchInts(s.Client(), s.URL+"/items?limit=2")
	withSelf := func(ctx context.Context, next *url.URL) (Page[int], error) {
		p, err := fetch(ctx, next)
		u := s.URL + "/items?limit=2"
		if next != nil {
			u = next.String()
		}
		p.URL, _ = url.Parse(u)
		return p, err
	}
	got, err := CollectAll(Paginate(t.Context(), s.BaseURL(t), withSelf))
	var le *PagingLoopError
	if !errors.As(err, &le) || le.Page != 1 {
		t.Fatalf("err = %v, want a *PagingLoopError on page 1", err)
	}
	if len(got) != 2 || s.Hits() != 1 {
		t.Errorf("got %v from %d hits; want page 1's two items from one hit", got, s.Hits())
	}
}

// TestTokenEndpointEchoInDescriptionScrubbed: a token endpoint that echoes
// the client assertion or the client secret inside error_description (the
// one body field a *TokenError keeps) must not get it into the error.
func TestTokenEndpointEchoInDescriptionScrubbed(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	const secret = "client-secret-value-echoed"
	var form url.Values
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		form = r.PostForm
		// RFC 6749 fields only, each echoing a credential.
		desc := "rejected assertion " + r.PostForm.Get("client_assertion") + " / secret " + r.PostForm.Get("client_secret")
		b, _ := json.Marshal(map[string]string{"error": "invalid_client " + r.PostForm.Get("client_secret"), "error_description": desc})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write(b)
	})
	jwtSrc, err := PrivateKeyJWTTokenSource(t.Context(), s.URL, "c1", rsaKey, "", nil, s.Client())
	if err != nil {
		t.Fatal(err)
	}
	secSrc, err := ClientSecretTokenSource(t.Context(), s.URL, "c1", secret, nil, oauth2.AuthStyleInParams, s.Client())
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []oauth2.TokenSource{jwtSrc, secSrc, NewCachingTokenSource(jwtSrc, 0)} {
		_, err := src.Token()
		var te *TokenError
		if !errors.As(err, &te) || te.StatusCode != http.StatusUnauthorized {
			t.Fatalf("err = %#v, want a 401 *TokenError", err)
		}
		msg := fmt.Sprintf("%v %+v %#v %s %s", err, err, err, te.ErrorCode, te.ErrorDescription)
		secrets := []string{secret}
		if a := form.Get("client_assertion"); a != "" {
			// Any long piece of the assertion is as good as the whole for
			// an attacker who can guess the rest (header, claims): check
			// its signature and its payload separately.
			parts := strings.Split(a, ".")
			if len(parts) != 3 {
				t.Fatalf("assertion %q is not a JWS", a)
			}
			secrets = append(secrets, parts[1], parts[2][:40])
		}
		assertNoSecrets(t, msg, secrets...)
		if !strings.Contains(te.ErrorDescription, "rejected assertion") {
			t.Errorf("description lost entirely: %q", te.ErrorDescription)
		}
	}
}

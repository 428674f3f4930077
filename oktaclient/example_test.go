package oktaclient_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/mfakit/mfakit/oktaclient"
	"golang.org/x/oauth2"
)

// fakeOrg is a tiny stand-in for an Okta org, enough for the examples: two
// authenticators (one of a kind this package does not know), a token
// endpoint, and Okta's 404 body for anything else.
func fakeOrg() *httptest.Server {
	var mu sync.Mutex
	verify := `{"id":"aut1","key":"okta_verify","type":"app","status":"ACTIVE","name":"Okta Verify",` +
		`"created":"2024-01-01T00:00:00.000Z","settings":{"userVerification":"PREFERRED","futureKnob":"on"}}`
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Okta-Request-Id", "req-1")
		switch {
		case r.URL.Path == "/oauth2/v1/token":
			io.WriteString(w, `{"access_token":"at","token_type":"Bearer","expires_in":3600}`)
		case r.URL.Path == "/api/v1/authenticators":
			io.WriteString(w, `[`+verify+`,{"id":"aut2","key":"quantum_token","status":"ACTIVE","name":"Quantum"}]`)
		case r.URL.Path == "/api/v1/authenticators/aut1" && r.Method == http.MethodGet:
			io.WriteString(w, verify)
		case r.URL.Path == "/api/v1/authenticators/aut1" && r.Method == http.MethodPut:
			b, _ := io.ReadAll(r.Body)
			verify = string(b)
			io.WriteString(w, verify)
		default:
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: `+
				strings.TrimPrefix(r.URL.Path, "/api/v1/authenticators/")+` (Authenticator)","errorLink":"E0000007","errorId":"oae1","errorCauses":[]}`)
		}
	}))
}

// Construct a client with an Okta API token (sent as "SSWS <token>").
func ExampleNew() {
	org := fakeOrg() // your org: "https://example.okta.com"
	defer org.Close()

	c, err := oktaclient.New(org.URL, oktaclient.WithAPIToken("00abc..."))
	if err != nil {
		log.Fatal(err)
	}
	auths, err := c.ListAuthenticators(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(auths), "authenticators")
	fmt.Printf("%v\n", strings.Contains(fmt.Sprint(c), "00abc")) // the token is never printed
	// Output:
	// 2 authenticators
	// false
}

// Construct a client for an Okta service app that authenticates with a
// private key (OAuth 2.0 client credentials with a private_key_jwt client
// assertion). Tokens are fetched from {org}/oauth2/v1/token, cached and
// refreshed before they expire.
func ExampleWithPrivateKeyJWT() {
	org := fakeOrg()
	defer org.Close()

	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader) // your registered key
	c, err := oktaclient.New(org.URL,
		oktaclient.WithPrivateKeyJWT("0oa1serviceapp", key, "my-key-id", "okta.authenticators.read"))
	if err != nil {
		log.Fatal(err)
	}
	auths, err := c.ListAuthenticators(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(auths), "authenticators")
	// Output: 2 authenticators
}

// Construct a client with OAuth 2.0 access tokens from any
// oauth2.TokenSource (sent as "Bearer <token>").
func ExampleWithTokenSource() {
	org := fakeOrg()
	defer org.Close()

	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "eyJ...", TokenType: "Bearer"})
	c, err := oktaclient.New(org.URL, oktaclient.WithTokenSource(ts))
	if err != nil {
		log.Fatal(err)
	}
	a, err := c.GetAuthenticator(context.Background(), "aut1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Key())
	// Output: okta_verify
}

// List the org's authenticators and switch on their concrete types. A kind
// this version does not know arrives as *UnknownAuthenticator, with its data
// intact, instead of failing the list.
func ExampleClient_ListAuthenticators() {
	org := fakeOrg()
	defer org.Close()
	c, _ := oktaclient.New(org.URL, oktaclient.WithAPIToken("00abc..."))

	auths, err := c.ListAuthenticators(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range auths {
		switch a := a.(type) {
		case *oktaclient.OktaVerifyAuthenticator:
			// Optional fields are pointers: Okta may leave them out.
			uv := oktaclient.UserVerificationEnum("unset")
			if a.Settings != nil && a.Settings.UserVerification != nil {
				uv = *a.Settings.UserVerification
			}
			fmt.Println("Okta Verify:", uv, a.Common().Status)
		case *oktaclient.PhoneAuthenticator:
			fmt.Println("Phone:", a.Common().Status)
		case *oktaclient.UnknownAuthenticator:
			fmt.Printf("unknown key %q: %s\n", a.Key(), a.Common().Name)
		default:
			fmt.Println(a.Key(), a.Common().Name)
		}
	}
	// Output:
	// Okta Verify: PREFERRED ACTIVE
	// unknown key "quantum_token": Quantum
}

// Read an authenticator, change one field, and replace it. Everything else
// goes back exactly as Okta sent it, including settings this version does
// not know about ("futureKnob") and the original timestamp format.
func ExampleClient_ReplaceAuthenticator() {
	org := fakeOrg()
	defer org.Close()
	c, _ := oktaclient.New(org.URL, oktaclient.WithAPIToken("00abc..."))
	ctx := context.Background()

	a, err := c.GetAuthenticator(ctx, "aut1")
	if err != nil {
		log.Fatal(err)
	}
	ov, ok := a.(*oktaclient.OktaVerifyAuthenticator)
	if !ok {
		log.Fatalf("aut1 is a %T", a)
	}
	// Settings is a pointer that Okta may leave out: check it before
	// changing a field. Set a new pointer (Ptr) rather than writing through
	// the old one, which may be nil.
	if ov.Settings == nil {
		log.Fatal("aut1 has no settings")
	}
	ov.Settings.UserVerification = oktaclient.Ptr[oktaclient.UserVerificationEnum]("REQUIRED")

	updated, err := c.ReplaceAuthenticator(ctx, "aut1", ov)
	if err != nil {
		log.Fatal(err)
	}
	out, _ := json.Marshal(updated)
	fmt.Println(string(out))
	// Output:
	// {"id":"aut1","key":"okta_verify","type":"app","status":"ACTIVE","name":"Okta Verify","created":"2024-01-01T00:00:00.000Z","settings":{"userVerification":"REQUIRED","futureKnob":"on"}}
}

// Handle Okta's errors: errors.Is for the kind, errors.As for the details.
func ExampleError() {
	org := fakeOrg()
	defer org.Close()
	c, _ := oktaclient.New(org.URL, oktaclient.WithAPIToken("00abc..."))

	_, err := c.GetAuthenticator(context.Background(), "xyz")
	if errors.Is(err, oktaclient.ErrNotFound) {
		fmt.Println("not found")
	}
	var oe *oktaclient.Error
	if errors.As(err, &oe) {
		fmt.Println(oe.Status, oe.ErrorCode, oe.RequestID)
	}
	fmt.Println(err)
	// Output:
	// not found
	// 404 E0000007 req-1
	// okta: 404 E0000007 Not found: Resource not found: xyz (Authenticator) (request id req-1)
}

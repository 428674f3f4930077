package oktatest_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	okta "github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/oktaclient"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

// The code under test only needs the org URL and a token; here it is plain net/http.
func Example() {
	srv := oktatest.NewServer() // in a test: oktatest.NewServer(oktatest.WithT(t))
	defer srv.Close()

	phone, _ := srv.AuthenticatorID("phone_number")
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/authenticators/"+phone+"/methods", nil)
	req.Header.Set("Authorization", "SSWS "+srv.APIToken())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var methods []struct{ Type, Status string }
	_ = json.NewDecoder(resp.Body).Decode(&methods)
	for _, m := range methods {
		fmt.Println(m.Type, m.Status)
	}
	fmt.Println("budget left:", resp.Header.Get("X-Rate-Limit-Remaining"))
	// Output:
	// sms ACTIVE
	// voice INACTIVE
	// budget left: 599
}

// Enroll a TOTP factor, read the shared secret from the answer, and activate the
// factor with a code computed from it.
func ExampleTOTPCode() {
	srv := oktatest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, _ := okta.NewClientWithResponses(srv.URL, okta.WithHTTPClient(srv.Client()))

	var body okta.UserFactor
	_ = body.FromUserFactorTokenSoftwareTOTP(okta.UserFactorTokenSoftwareTOTP{FactorType: "token:software:totp", Provider: ptr(okta.UserFactorTokenSoftwareTOTPProvider("OKTA"))})
	enrolled, _ := c.EnrollFactorWithResponse(ctx, oktatest.SeedUserMargaret, nil, body)
	// The activation is typed: UserFactorTokenSoftwareTOTP._embedded.activation.
	totp, _ := enrolled.JSON200.AsUserFactorTokenSoftwareTOTP()
	fmt.Println(*totp.Status)

	code, _ := oktatest.TOTPCode(*totp.UnderscoreEmbedded.Activation.SharedSecret, time.Now())
	activated, _ := c.ActivateFactorWithResponse(ctx, oktatest.SeedUserMargaret, *totp.Id, okta.UserFactorActivateRequest{PassCode: &code})
	totp, _ = activated.JSON200.AsUserFactorTokenSoftwareTOTP()
	fmt.Println(*totp.Status)
	// Output:
	// PENDING_ACTIVATION
	// ACTIVE
}

// A service app authenticating with a private key JWT: the fake verifies the client
// assertion against the registered public key and issues a Bearer token with the
// scopes asked for that the app was granted.
func ExampleWithServiceApp() {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	srv := oktatest.NewServer(oktatest.WithServiceApp("0oaMyServiceApp", &key.PublicKey, "okta.authenticators.read"))
	defer srv.Close()

	c, _ := oktaclient.New(srv.URL, oktaclient.WithPrivateKeyJWT("0oaMyServiceApp", key, "", "okta.authenticators.read"))
	auths, err := c.ListAuthenticators(context.Background())
	fmt.Println(len(auths) > 0, err)
	_, err = c.DeactivateAuthenticator(context.Background(), auths[0].Common().ID)
	fmt.Println(err != nil && errors.Is(err, oktaclient.ErrForbidden))
	fmt.Println("token requests:", srv.TokenRequests(), "scopes:", srv.IssuedTokens()[0].Scopes)
	// Output:
	// true <nil>
	// true
	// token requests: 1 scopes: [okta.authenticators.read]
}

package oktatest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	okta "github.com/mfakit/mfakit/gen/okta"
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

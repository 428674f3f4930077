package onelogintest_test

import (
	"context"
	"fmt"

	gen "github.com/mfakit/mfakit/gen/onelogin"
	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
)

// The fake serves the real wire format; here it is driven with the generated client: get a
// token with client credentials, trigger a push, approve it as the user, and poll.
func ExampleNewServer() {
	srv := onelogintest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	c, _ := gen.NewClientWithResponses(srv.URL)
	tok, _ := c.GenerateTokenWithResponse(ctx, gen.TokenRequest{GrantType: "client_credentials"},
		basicAuth(srv.ClientID(), srv.ClientSecret()))
	auth := bearerAuth(tok.JSON200.AccessToken)

	user, device := onelogintest.SeedUserAda, onelogintest.SeedDeviceAdaProtect
	act, _ := c.ActivateMfaFactorsWithResponse(ctx, user, device, gen.ActivateFactorRequest{}, auth)
	state := act.JSON200.Data[0].StateToken

	poll, _ := c.VerifyMfaFactorWithResponse(ctx, user, device, gen.VerifyFactorRequest{StateToken: &state}, auth)
	msg, _ := poll.JSON401.Status.Message.AsStatusMessage0()
	fmt.Println(poll.StatusCode(), msg)

	_ = srv.ApprovePush(user, device)
	poll, _ = c.VerifyMfaFactorWithResponse(ctx, user, device, gen.VerifyFactorRequest{StateToken: &state}, auth)
	fmt.Println(poll.StatusCode(), poll.JSON200.Status.Type)
	// Output:
	// 401 Authentication pending on OL Protect
	// 200 success
}

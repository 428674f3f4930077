package oneloginclient_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/mfakit/mfakit/oneloginclient"
	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
)

// Construct a client for a OneLogin account from its subdomain and an API
// credential pair. Nothing is sent until the first call.
func ExampleNewForSubdomain() {
	c, err := oneloginclient.NewForSubdomain("example",
		oneloginclient.WithClientCredentials("my-client-id", "my-client-secret"), // e.g. from os.Getenv
		oneloginclient.WithRetry(oneloginclient.RetryPolicy{MaxAttempts: 3, MaxRateLimitWait: time.Minute}),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.BaseURL())
	fmt.Println(c) // never prints a credential
	// Output:
	// https://example.onelogin.com
	// oneloginclient.Client{https://example.onelogin.com}
}

// New takes the full base URL, for the legacy hosts or a test server. Plain
// http is refused except on loopback.
func ExampleNew() {
	_, err := oneloginclient.New("http://api.us.onelogin.com",
		oneloginclient.WithClientCredentials("id", "secret"))
	fmt.Println(err)

	_, err = oneloginclient.New("https://api.us.onelogin.com")
	fmt.Println(err)
	// Output:
	// onelogin: base URL: wrappers: base URL uses plain http to non-loopback host "api.us.onelogin.com"; use https: invalid base URL (onelogin: invalid configuration)
	// onelogin: no credentials: use WithClientCredentials or WithTokenSource: onelogin: invalid configuration
}

// newExampleClient starts a fake OneLogin account and a client for it.
func newExampleClient() (*onelogintest.Server, *oneloginclient.Client) {
	srv := onelogintest.NewServer()
	c, err := oneloginclient.New(srv.URL,
		oneloginclient.WithClientCredentials(srv.ClientID(), srv.ClientSecret()))
	if err != nil {
		log.Fatal(err)
	}
	return srv, c
}

// List a user's enrolled devices. A OneLogin Protect device is listed twice,
// once for push and once for codes, with the same id.
func ExampleClient_ListEnrolledFactors() {
	srv, c := newExampleClient()
	defer srv.Close()

	devices, err := c.ListEnrolledFactors(context.Background(), onelogintest.SeedUserAda)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range devices {
		fmt.Printf("%d %s active=%t needs_trigger=%t\n", d.ID, d.TypeDisplayName, d.Active, d.NeedsTrigger)
	}
	// Output:
	// 525509 OneLogin Protect active=true needs_trigger=true
	// 525509 OneLogin Protect active=true needs_trigger=false
	// 525510 SMS active=true needs_trigger=true
}

// Enrol an SMS device, send the code, and check the code the user typed.
func ExampleClient_VerifyFactor() {
	srv, c := newExampleClient()
	defer srv.Close()
	ctx := context.Background()
	user := int64(onelogintest.SeedUserAlan)

	dev, err := c.EnrollFactor(ctx, user, oneloginclient.EnrollRequest{
		FactorID:    onelogintest.SeedFactorSMS,
		DisplayName: "Work phone",
		Number:      "+15555550100",
	})
	if err != nil {
		log.Fatal(err)
	}
	act, err := c.ActivateFactor(ctx, user, dev.ID, oneloginclient.ActivateRequest{NumericSMSOTP: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("code sent to device", act.DeviceID == dev.ID, "of user", act.UserID == user)

	// A typo first, then the code from the SMS (here read from the fake).
	code, ok := srv.OTP(int(user), int(dev.ID))
	if !ok {
		log.Fatal("no code was sent")
	}
	for _, typed := range []string{"000000", code} {
		err := c.VerifyFactor(ctx, user, dev.ID, oneloginclient.VerifyRequest{StateToken: act.StateToken, OTP: typed})
		switch {
		case err == nil:
			fmt.Println("verified")
		case errors.Is(err, oneloginclient.ErrInvalidCode):
			fmt.Println("wrong code, try again")
		case errors.Is(err, oneloginclient.ErrStateTokenExpired):
			fmt.Println("too late, send a new code")
		default:
			log.Fatal(err)
		}
	}
	// Output:
	// code sent to device true of user true
	// wrong code, try again
	// verified
}

// Send a OneLogin Protect push and wait for the user to approve it.
func ExampleClient_PollPush() {
	srv, c := newExampleClient()
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	user, device := int64(onelogintest.SeedUserAda), int64(onelogintest.SeedDeviceAdaProtect)

	act, err := c.ActivateFactor(ctx, user, device, oneloginclient.ActivateRequest{})
	if err != nil {
		log.Fatal(err)
	}
	go func() { // the user, a moment later
		time.Sleep(30 * time.Millisecond)
		srv.ApprovePush(int(user), int(device))
	}()
	err = c.PollPush(ctx, user, device, act.StateToken, oneloginclient.PollOptions{
		Interval:  10 * time.Millisecond, // use the default (2 s) against OneLogin
		ExpiresAt: act.StateTokenExpiresAt,
	})
	switch {
	case err == nil:
		fmt.Println("approved")
	case errors.Is(err, oneloginclient.ErrInvalidCode):
		fmt.Println("denied")
	case errors.Is(err, oneloginclient.ErrStateTokenExpired):
		fmt.Println("no answer in time")
	default:
		log.Fatal(err)
	}
	// Output:
	// approved
}

// Every failure the server reports is an *Error: classify it with
// errors.Is, or read its fields with errors.As. A validation message that
// OneLogin sends as an object becomes Message and Attribute.
func ExampleError() {
	srv, c := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	_, err := c.EnrollFactor(ctx, onelogintest.SeedUserAlan, oneloginclient.EnrollRequest{
		FactorID: onelogintest.SeedFactorSMS, DisplayName: "Work phone", Number: "555-0100",
	})
	fmt.Println(err)
	var e *oneloginclient.Error
	if errors.As(err, &e) {
		fmt.Println(e.StatusCode, e.Type, "|", e.Message, "|", e.Attribute)
	}
	fmt.Println(errors.Is(err, oneloginclient.ErrBadRequest))

	_, err = c.ListEnrolledFactors(ctx, 12345)
	fmt.Println(err, errors.Is(err, oneloginclient.ErrNotFound))
	// Output:
	// onelogin: EnrollFactor: 400 bad request: Invalid phone number (attribute number)
	// 400 bad request | Invalid phone number | number
	// true
	// onelogin: ListEnrolledFactors: 404 not found: User not found true
}

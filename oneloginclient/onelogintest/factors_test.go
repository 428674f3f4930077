package onelogintest_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	gen "github.com/mfakit/mfakit/gen/onelogin"
	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
)

func TestListAvailableFactors(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t))
	c, tok := newClient(t, srv)
	ctx := context.Background()

	res, err := c.GetMFAFactorsWithResponse(ctx, onelogintest.SeedUserAlan, bearerAuth(tok))
	if err != nil || res.JSON200 == nil {
		t.Fatalf("GetMFAFactors: %v %d %s", err, res.StatusCode(), res.Body)
	}
	if st := res.JSON200.Status; st.Error || st.Code != 200 || st.Type != "success" {
		t.Errorf("status = %+v", st)
	}
	got := map[int]string{}
	for _, f := range res.JSON200.Data.AuthFactors {
		got[f.FactorId] = f.Name
	}
	want := map[int]string{
		onelogintest.SeedFactorSMS:           "OneLogin SMS",
		onelogintest.SeedFactorVoice:         "OneLogin Voice",
		onelogintest.SeedFactorProtect:       "OneLogin Protect",
		onelogintest.SeedFactorAuthenticator: "Google Authenticator",
	}
	if len(got) != len(want) {
		t.Errorf("factors = %v, want %v", got, want)
	}
	for id, name := range want {
		if got[id] != name {
			t.Errorf("factor %d = %q, want %q", id, got[id], name)
		}
	}

	// A factor added by a test shows up.
	id, err := srv.AddFactor(onelogintest.Factor{Name: "Yubico YubiKey", Kind: onelogintest.FactorAuthenticator})
	if err != nil {
		t.Fatal(err)
	}
	res, _ = c.GetMFAFactorsWithResponse(ctx, onelogintest.SeedUserAlan, bearerAuth(tok))
	if n := len(res.JSON200.Data.AuthFactors); n != 5 || res.JSON200.Data.AuthFactors[4].FactorId != id {
		t.Errorf("after AddFactor: %d factors, last %+v", n, res.JSON200.Data.AuthFactors[n-1])
	}

	res, _ = c.GetMFAFactorsWithResponse(ctx, 999, bearerAuth(tok))
	if res.JSON404 == nil {
		t.Fatalf("unknown user: %d %s", res.StatusCode(), res.Body)
	}
	assertWrappedError(t, res.Body, 404, "User not found")
}

func TestListEnrolledFactors(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t))
	c, tok := newClient(t, srv)
	ctx := context.Background()

	res, err := c.GetEnrolledFactorsWithResponse(ctx, onelogintest.SeedUserAda, bearerAuth(tok))
	if err != nil || res.JSON200 == nil {
		t.Fatalf("GetEnrolledFactors: %v %d %s", err, res.StatusCode(), res.Body)
	}
	devs := res.JSON200.Data.OtpDevices
	type key struct {
		id      int
		trigger bool
	}
	seen := map[key]gen.OtpDevice{}
	for _, d := range devs {
		seen[key{d.Id, d.NeedsTrigger}] = d
	}
	if len(devs) != 3 || len(seen) != 3 {
		t.Fatalf("Ada's devices = %+v, want Protect twice (push and code) and SMS", devs)
	}
	push, okPush := seen[key{onelogintest.SeedDeviceAdaProtect, true}]
	_, okPull := seen[key{onelogintest.SeedDeviceAdaProtect, false}]
	sms, okSMS := seen[key{onelogintest.SeedDeviceAdaSMS, true}]
	if !okPush || !okPull || !okSMS {
		t.Fatalf("missing entries: push=%v pull=%v sms=%v", okPush, okPull, okSMS)
	}
	if !push.Active || !push.Default || push.AuthFactorName != "OneLogin Protect" || push.UserDisplayName != "Ada's iPhone" {
		t.Errorf("Protect entry = %+v", push)
	}
	if sms.PhoneNumber == nil || *sms.PhoneNumber != "+15555550101" || sms.Default {
		t.Errorf("SMS entry = %+v", sms)
	}

	res, _ = c.GetEnrolledFactorsWithResponse(ctx, onelogintest.SeedUserAlan, bearerAuth(tok))
	if res.JSON200 == nil || res.JSON200.Data.OtpDevices == nil || len(res.JSON200.Data.OtpDevices) != 0 {
		t.Errorf("Alan: %s, want an empty otp_devices list", res.Body)
	}
	res, _ = c.GetEnrolledFactorsWithResponse(ctx, 12345, bearerAuth(tok))
	if res.JSON404 == nil {
		t.Errorf("unknown user: %d", res.StatusCode())
	}
}

func TestSMSEnrollActivateVerify(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t))
	c, tok := newClient(t, srv)
	ctx := context.Background()
	auth := bearerAuth(tok)
	user := onelogintest.SeedUserAlan

	// Enrol: the device is inactive and a code is "sent".
	en, err := c.EnrollMfaFactorWithResponse(ctx, user, gen.EnrollFactorRequest{
		FactorId: onelogintest.SeedFactorSMS, DisplayName: "Alan's phone", Number: ptr("+15555550199"),
	}, auth)
	if err != nil || en.JSON200 == nil || len(en.JSON200.Data) != 1 {
		t.Fatalf("enroll: %v %d %s", err, en.StatusCode(), en.Body)
	}
	dev := en.JSON200.Data[0]
	if dev.Active || dev.StateToken == nil || dev.AuthFactorName != "OneLogin SMS" || !dev.Default {
		t.Fatalf("enrolled device = %+v", dev)
	}
	code, ok := srv.OTP(user, dev.Id)
	if !ok || !regexp.MustCompile(`^[A-Z0-9]{6}$`).MatchString(code) {
		t.Fatalf("OTP = %q, %v", code, ok)
	}

	verify := func(state, otp *string) *gen.VerifyMfaFactorResponse {
		t.Helper()
		res, err := c.VerifyMfaFactorWithResponse(ctx, user, dev.Id, gen.VerifyFactorRequest{StateToken: state, OtpToken: otp}, auth)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// Wrong code: the wrapped 401, and the state token stays usable.
	if res := verify(dev.StateToken, ptr("WRONG1")); res.JSON401 == nil {
		t.Fatalf("wrong code: %d %s", res.StatusCode(), res.Body)
	} else {
		assertWrappedError(t, res.Body, 401, "Failed authentication")
	}
	// Missing code: 400 whose message is an object.
	if res := verify(dev.StateToken, nil); res.JSON400 == nil {
		t.Fatalf("no code: %d %s", res.StatusCode(), res.Body)
	} else if d, err := res.JSON400.Status.Message.AsStatusMessageDetail(); err != nil || d.Attribute == nil || *d.Attribute != "otp_token" {
		t.Errorf("no code: message = %s", res.Body)
	}
	// SMS without a state token is refused.
	if res := verify(nil, &code); res.JSON400 == nil {
		t.Errorf("SMS without state token: %d", res.StatusCode())
	}
	if res := verify(dev.StateToken, &code); res.JSON200 == nil || res.JSON200.Status.Error {
		t.Fatalf("right code: %d %s", res.StatusCode(), res.Body)
	}
	if srv.Devices(user)[0].Active != true {
		t.Errorf("device not active after verify")
	}
	// The state token is used up.
	if res := verify(dev.StateToken, &code); res.JSON401 == nil {
		t.Errorf("reused state token: %d", res.StatusCode())
	}

	// Activate (trigger): id is the user, device_id the device; a numeric code is sent.
	act, err := c.ActivateMfaFactorsWithResponse(ctx, user, dev.Id, gen.ActivateFactorRequest{NumericSmsOtp: ptr(true), StateTokenExpiresIn: ptr(300)}, auth)
	if err != nil || act.JSON200 == nil || len(act.JSON200.Data) != 1 {
		t.Fatalf("activate: %v %d %s", err, act.StatusCode(), act.Body)
	}
	a := act.JSON200.Data[0]
	if a.Id != user || a.DeviceId != dev.Id || a.StateToken == "" || !a.Active || a.UserDisplayName != "Alan's phone" || a.TypeDisplayName != "SMS" {
		t.Errorf("activation = %+v", a)
	}
	if exp, err := time.Parse(time.RFC3339, *a.StateTokenExpiresAt); err != nil || time.Until(exp) < 250*time.Second {
		t.Errorf("state_token_expires_at = %q (%v), want ~300 s ahead", *a.StateTokenExpiresAt, err)
	}
	code2, _ := srv.OTP(user, dev.Id)
	if !regexp.MustCompile(`^[0-9]{6}$`).MatchString(code2) {
		t.Errorf("numeric_sms_otp code = %q", code2)
	}
	if res := verify(&a.StateToken, &code2); res.JSON200 == nil {
		t.Errorf("verify after trigger: %d %s", res.StatusCode(), res.Body)
	}
}

func TestEnrollRejects(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t))
	c, tok := newClient(t, srv)
	ctx := context.Background()
	tests := []struct {
		name       string
		user       int
		body       gen.EnrollFactorRequest
		wantStatus int
		wantAttr   string
	}{
		{"SMS without number", onelogintest.SeedUserAlan, gen.EnrollFactorRequest{FactorId: onelogintest.SeedFactorSMS, DisplayName: "p"}, 400, "number"},
		{"SMS with bad number", onelogintest.SeedUserAlan, gen.EnrollFactorRequest{FactorId: onelogintest.SeedFactorSMS, DisplayName: "p", Number: ptr("555-0199")}, 400, "number"},
		{"unknown factor", onelogintest.SeedUserAlan, gen.EnrollFactorRequest{FactorId: 1, DisplayName: "p"}, 400, "factor_id"},
		{"blank name", onelogintest.SeedUserAlan, gen.EnrollFactorRequest{FactorId: onelogintest.SeedFactorAuthenticator, DisplayName: " "}, 400, "display_name"},
		{"unknown user", 777, gen.EnrollFactorRequest{FactorId: onelogintest.SeedFactorAuthenticator, DisplayName: "p"}, 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.EnrollMfaFactorWithResponse(ctx, tc.user, tc.body, bearerAuth(tok))
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode() != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", res.StatusCode(), tc.wantStatus, res.Body)
			}
			st := wrappedStatus(t, res.Body)
			if !st.Error || st.Code != tc.wantStatus {
				t.Errorf("status = %+v", st)
			}
			if tc.wantAttr != "" {
				d, err := st.Message.AsStatusMessageDetail()
				if err != nil || d.Attribute == nil || *d.Attribute != tc.wantAttr {
					t.Errorf("message = %s, want an object naming %q", res.Body, tc.wantAttr)
				}
			}
		})
	}
	if n := len(srv.Devices(onelogintest.SeedUserAlan)); n != 0 {
		t.Errorf("rejected enrolments left %d devices", n)
	}
}

func TestAuthenticatorEnrollAndVerify(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t), onelogintest.WithFixedOTP("246810"))
	c, tok := newClient(t, srv)
	ctx := context.Background()
	auth := bearerAuth(tok)

	// A seeded active authenticator verifies with its code and no state token.
	code, ok := srv.OTP(onelogintest.SeedUserGrace, onelogintest.SeedDeviceGraceAuthenticator)
	if !ok || code != "246810" {
		t.Fatalf("OTP = %q %v", code, ok)
	}
	res, err := c.VerifyMfaFactorWithResponse(ctx, onelogintest.SeedUserGrace, onelogintest.SeedDeviceGraceAuthenticator,
		gen.VerifyFactorRequest{OtpToken: &code}, auth)
	if err != nil || res.JSON200 == nil {
		t.Fatalf("verify: %v %d %s", err, res.StatusCode(), res.Body)
	}
	res, _ = c.VerifyMfaFactorWithResponse(ctx, onelogintest.SeedUserGrace, onelogintest.SeedDeviceGraceAuthenticator,
		gen.VerifyFactorRequest{OtpToken: ptr("000000")}, auth)
	if res.JSON401 == nil {
		t.Errorf("wrong code: %d", res.StatusCode())
	}
	res, _ = c.VerifyMfaFactorWithResponse(ctx, onelogintest.SeedUserGrace, 4242, gen.VerifyFactorRequest{OtpToken: &code}, auth)
	if res.JSON404 == nil {
		t.Errorf("unknown device: %d", res.StatusCode())
	} else {
		assertWrappedError(t, res.Body, 404, "Device not found")
	}

	// Enrolling a new authenticator leaves it pending until its first code.
	en, err := c.EnrollMfaFactorWithResponse(ctx, onelogintest.SeedUserAlan,
		gen.EnrollFactorRequest{FactorId: onelogintest.SeedFactorAuthenticator, DisplayName: "Alan's token"}, auth)
	if err != nil || en.JSON200 == nil {
		t.Fatalf("enroll: %v %s", err, en.Body)
	}
	d := en.JSON200.Data[0]
	if d.Active || d.StateToken == nil || d.PhoneNumber != nil {
		t.Errorf("enrolled = %+v", d)
	}
	res, _ = c.VerifyMfaFactorWithResponse(ctx, onelogintest.SeedUserAlan, d.Id, gen.VerifyFactorRequest{StateToken: d.StateToken, OtpToken: ptr("246810")}, auth)
	if res.JSON200 == nil || !srv.Devices(onelogintest.SeedUserAlan)[0].Active {
		t.Errorf("verify enrolment: %d %s", res.StatusCode(), res.Body)
	}
}

func TestPushVerify(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t))
	c, tok := newClient(t, srv)
	ctx := context.Background()
	auth := bearerAuth(tok)
	user, dev := onelogintest.SeedUserAda, onelogintest.SeedDeviceAdaProtect

	trigger := func() string {
		t.Helper()
		act, err := c.ActivateMfaFactorsWithResponse(ctx, user, dev, gen.ActivateFactorRequest{}, auth)
		if err != nil || act.JSON200 == nil {
			t.Fatalf("trigger: %v %d %s", err, act.StatusCode(), act.Body)
		}
		a := act.JSON200.Data[0]
		if a.Id != user || a.DeviceId != dev {
			t.Fatalf("activation id/device = %d/%d, want %d/%d", a.Id, a.DeviceId, user, dev)
		}
		return a.StateToken
	}
	poll := func(state string) *gen.VerifyMfaFactorResponse {
		t.Helper()
		res, err := c.VerifyMfaFactorWithResponse(ctx, user, dev, gen.VerifyFactorRequest{StateToken: &state}, auth)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	state := trigger()
	if pending, ok := srv.PendingPush(user, dev); !ok || pending != state {
		t.Fatalf("PendingPush = %q %v", pending, ok)
	}
	for range 2 {
		res := poll(state)
		if res.JSON401 == nil {
			t.Fatalf("pending poll: %d %s", res.StatusCode(), res.Body)
		}
		assertWrappedError(t, res.Body, 401, "pending")
	}
	if err := srv.ApprovePush(user, dev); err != nil {
		t.Fatal(err)
	}
	if res := poll(state); res.JSON200 == nil {
		t.Fatalf("approved poll: %d %s", res.StatusCode(), res.Body)
	}
	if err := srv.ApprovePush(user, dev); err == nil {
		t.Errorf("ApprovePush with nothing pending succeeded")
	}

	// Denied.
	state = trigger()
	if err := srv.DenyPush(user, dev); err != nil {
		t.Fatal(err)
	}
	if res := poll(state); res.JSON401 == nil {
		t.Errorf("denied poll: %d", res.StatusCode())
	} else {
		assertWrappedError(t, res.Body, 401, "Failed authentication")
	}

	// The app's code also answers a push.
	state = trigger()
	code, _ := srv.OTP(user, dev)
	res, _ := c.VerifyMfaFactorWithResponse(ctx, user, dev, gen.VerifyFactorRequest{StateToken: &state, OtpToken: &code}, auth)
	if res.JSON200 == nil {
		t.Errorf("push answered with code: %d %s", res.StatusCode(), res.Body)
	}

	// A state token for another device is refused.
	state = trigger()
	res, _ = c.VerifyMfaFactorWithResponse(ctx, user, onelogintest.SeedDeviceAdaSMS, gen.VerifyFactorRequest{StateToken: &state, OtpToken: &code}, auth)
	if res.JSON401 == nil {
		t.Errorf("state token of another device: %d", res.StatusCode())
	}
}

func TestPushStateTokenExpires(t *testing.T) {
	clk := newClock()
	srv := onelogintest.NewServer(onelogintest.WithT(t), onelogintest.WithClock(clk.Now))
	c, tok := newClient(t, srv)
	ctx := context.Background()
	act, err := c.ActivateMfaFactorsWithResponse(ctx, onelogintest.SeedUserAda, onelogintest.SeedDeviceAdaProtect, gen.ActivateFactorRequest{}, bearerAuth(tok))
	if err != nil || act.JSON200 == nil {
		t.Fatal(err)
	}
	if want := "2025-03-14T15:11:26.000Z"; *act.JSON200.Data[0].StateTokenExpiresAt != want {
		t.Errorf("state_token_expires_at = %s, want %s (120 s)", *act.JSON200.Data[0].StateTokenExpiresAt, want)
	}
	clk.Advance(121 * time.Second)
	if _, ok := srv.PendingPush(onelogintest.SeedUserAda, onelogintest.SeedDeviceAdaProtect); ok {
		t.Errorf("expired push still pending")
	}
	res, _ := c.VerifyMfaFactorWithResponse(ctx, onelogintest.SeedUserAda, onelogintest.SeedDeviceAdaProtect,
		gen.VerifyFactorRequest{StateToken: &act.JSON200.Data[0].StateToken}, bearerAuth(tok))
	if res.JSON401 == nil {
		t.Fatalf("expired state token: %d", res.StatusCode())
	}
	assertWrappedError(t, res.Body, 401, "expired")
}

func TestRemoveFactor(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t))
	c, tok := newClient(t, srv)
	ctx := context.Background()
	res, err := c.RemoveMfaFactorsWithResponse(ctx, onelogintest.SeedUserGrace, onelogintest.SeedDeviceGraceSMS, bearerAuth(tok))
	if err != nil || res.JSON200 == nil || res.JSON200.Status.Error {
		t.Fatalf("remove: %v %d %s", err, res.StatusCode(), res.Body)
	}
	devs := srv.Devices(onelogintest.SeedUserGrace)
	if len(devs) != 1 || devs[0].ID != onelogintest.SeedDeviceGraceAuthenticator {
		t.Errorf("devices after remove = %+v", devs)
	}
	res, _ = c.RemoveMfaFactorsWithResponse(ctx, onelogintest.SeedUserGrace, onelogintest.SeedDeviceGraceSMS, bearerAuth(tok))
	if res.JSON404 == nil {
		t.Errorf("second remove: %d", res.StatusCode())
	}
	res, _ = c.RemoveMfaFactorsWithResponse(ctx, 31337, 1, bearerAuth(tok))
	if res.JSON404 == nil {
		t.Errorf("unknown user: %d", res.StatusCode())
	}
}

func TestGenerateMFAToken(t *testing.T) {
	clk := newClock()
	srv := onelogintest.NewServer(onelogintest.WithT(t), onelogintest.WithClock(clk.Now))
	c, tok := newClient(t, srv)
	ctx := context.Background()
	auth := bearerAuth(tok)
	user := onelogintest.SeedUserAlan

	verify := func(code string) int {
		t.Helper()
		res, err := c.VerifyMfaFactorWithResponse(ctx, user, 0, gen.VerifyFactorRequest{OtpToken: &code}, auth)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode()
	}
	tests := []struct {
		name         string
		body         gen.GenerateMFATokenRequest
		wantReusable bool
		wantExpires  string
		wantSecond   int
	}{
		{"defaults: single use, 72 h", gen.GenerateMFATokenRequest{}, false, "2025-03-17T15:09:26.000Z", 401},
		{"reusable, 5 min", gen.GenerateMFATokenRequest{Reusable: ptr(true), ExpiresIn: ptr(300)}, true, "2025-03-14T15:14:26.000Z", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.GenerateMFAtokenWithResponse(ctx, user, tc.body, auth)
			if err != nil || res.JSON200 == nil {
				t.Fatalf("generate: %v %d %s", err, res.StatusCode(), res.Body)
			}
			got := res.JSON200
			if got.Reusable != tc.wantReusable || got.ExpiresAt != tc.wantExpires || !regexp.MustCompile(`^[0-9]{8}$`).MatchString(got.MfaToken) {
				t.Errorf("token = %+v", *got)
			}
			if code := verify(got.MfaToken); code != 200 {
				t.Errorf("first use: %d", code)
			}
			if code := verify(got.MfaToken); code != tc.wantSecond {
				t.Errorf("second use: %d, want %d", code, tc.wantSecond)
			}
		})
	}
	if code := verify("12345678"); code != 401 {
		t.Errorf("unknown MFA token: %d", code)
	}
	res, _ := c.GenerateMFAtokenWithResponse(ctx, 4040, gen.GenerateMFATokenRequest{}, auth)
	if res.JSON404 == nil {
		t.Errorf("unknown user: %d", res.StatusCode())
	} else {
		assertWrappedError(t, res.Body, 404, "User not found")
	}
}

func TestStateHelpers(t *testing.T) {
	srv := onelogintest.NewServer(onelogintest.WithT(t), onelogintest.WithoutSeed())
	if len(srv.Users()) != 0 || len(srv.Factors()) != 0 {
		t.Fatalf("WithoutSeed: %d users, %d factors", len(srv.Users()), len(srv.Factors()))
	}
	uid, err := srv.AddUser(onelogintest.User{Username: "kat", Email: "kat@example.com"})
	if err != nil || uid <= 0 {
		t.Fatalf("AddUser: %d %v", uid, err)
	}
	if _, err := srv.AddUser(onelogintest.User{ID: uid}); err == nil {
		t.Errorf("duplicate user accepted")
	}
	fid, err := srv.AddFactor(onelogintest.Factor{Name: "SMS", Kind: onelogintest.FactorSMS})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddFactor(onelogintest.Factor{Name: "x"}); err == nil {
		t.Errorf("factor without kind accepted")
	}
	if _, err := srv.AddDevice(onelogintest.Device{UserID: uid, FactorID: fid}); err == nil {
		t.Errorf("SMS device without number accepted")
	}
	if _, err := srv.AddDevice(onelogintest.Device{UserID: 1, FactorID: fid, PhoneNumber: "+15555550100"}); err == nil {
		t.Errorf("device for unknown user accepted")
	}
	did, err := srv.AddDevice(onelogintest.Device{UserID: uid, FactorID: fid, PhoneNumber: "+15555550100", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.OTP(uid, did); ok {
		t.Errorf("OTP for an untriggered SMS device")
	}
	c, tok := newClient(t, srv)
	res, err := c.GetEnrolledFactorsWithResponse(context.Background(), uid, bearerAuth(tok))
	if err != nil || res.JSON200 == nil || len(res.JSON200.Data.OtpDevices) != 1 || res.JSON200.Data.OtpDevices[0].Id != did {
		t.Fatalf("list: %v %s", err, res.Body)
	}
}

package oktatest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	okta "github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

// factorFields reads the fields every factor has from a union value.
type factorFields struct {
	ID         string         `json:"id"`
	FactorType string         `json:"factorType"`
	Provider   string         `json:"provider"`
	Status     string         `json:"status"`
	Profile    map[string]any `json:"profile"`
	Embedded   map[string]any `json:"_embedded"`
	Links      map[string]any `json:"_links"`
}

func factorOf(t *testing.T, f *okta.UserFactor) factorFields {
	t.Helper()
	if f == nil {
		t.Fatal("no factor in the answer")
	}
	if _, err := f.ValueByDiscriminator(); err != nil {
		t.Fatalf("factor does not decode by its factorType: %v", err)
	}
	b, _ := json.Marshal(f)
	var out factorFields
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func enrollBody(t *testing.T, v map[string]any) okta.UserFactor {
	t.Helper()
	b, _ := json.Marshal(v)
	var f okta.UserFactor
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func factorIDOf(t *testing.T, srv *oktatest.Server, userID, factorType string) string {
	t.Helper()
	for _, f := range srv.Factors(userID) {
		if f.FactorType == factorType {
			return f.ID
		}
	}
	t.Fatalf("user %s has no %s factor", userID, factorType)
	return ""
}

func TestListFactorsCoversEveryFactorType(t *testing.T) {
	_, c := newFake(t)
	resp, err := c.ListFactorsWithResponse(context.Background(), oktatest.SeedUserAda)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "list", resp.HTTPResponse, resp.Body, http.StatusOK)
	var types []string
	for _, f := range *resp.JSON200 {
		ff := factorOf(t, &f)
		types = append(types, ff.FactorType)
		if ff.Status != "ACTIVE" || ff.Links["verify"] == nil {
			t.Errorf("%s: status %s links %v", ff.FactorType, ff.Status, ff.Links)
		}
	}
	sort.Strings(types)
	want := []string{"call", "email", "push", "question", "signed_nonce", "sms", "token", "token:hardware", "token:hotp", "token:software:totp", "u2f", "web", "webauthn"}
	if !slices.Equal(types, want) {
		t.Errorf("factor types = %v\nwant %v", types, want)
	}
	if strings.Contains(string(resp.Body), oktatest.SeedAnswer) || strings.Contains(string(resp.Body), `"answer"`) {
		t.Error("a question answer leaked")
	}
}

func TestTOTPRoundTrip(t *testing.T) {
	clk := newClock()
	srv, c := newFake(t, oktatest.WithClock(clk.Now))
	ctx := context.Background()
	user := oktatest.SeedUserMargaret

	enr, err := c.EnrollFactorWithResponse(ctx, user, nil, enrollBody(t, map[string]any{"factorType": "token:software:totp", "provider": "OKTA"}))
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "enroll", enr.HTTPResponse, enr.Body, http.StatusOK)
	f := factorOf(t, enr.JSON200)
	if f.Status != "PENDING_ACTIVATION" || f.Links["activate"] == nil {
		t.Fatalf("enrolled: %s", enr.Body)
	}
	// The activation decodes into the spec's typed UserFactorTotpActivation.
	totp, err := enr.JSON200.AsUserFactorTokenSoftwareTOTP()
	if err != nil {
		t.Fatal(err)
	}
	if totp.UnderscoreEmbedded == nil || totp.UnderscoreEmbedded.Activation == nil {
		t.Fatalf("no _embedded.activation: %s", enr.Body)
	}
	activation := totp.UnderscoreEmbedded.Activation
	secret := deref(activation.SharedSecret)
	if secret == "" || deref(activation.TimeStep) != 30 || deref(activation.Encoding) != "base32" || deref(activation.KeyLength) != len(secret) {
		t.Fatalf("activation data: %s", enr.Body)
	}
	if l := activation.UnderscoreLinks; l == nil || l.Qrcode == nil || !strings.HasPrefix(l.Qrcode.Href, srv.URL+"/api/v1/users/"+user+"/factors/"+f.ID+"/qr/") {
		t.Errorf("activation qrcode link: %s", enr.Body)
	}
	if s, _ := srv.TOTPSecret(user, f.ID); s != secret {
		t.Errorf("TOTPSecret = %q, answer said %q", s, secret)
	}

	// A wrong code is refused with E0000068.
	bad, err := c.ActivateFactorWithResponse(ctx, user, f.ID, okta.UserFactorActivateRequest{PassCode: ptr("000000")})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "wrong code", bad.HTTPResponse, bad.Body, http.StatusForbidden)
	wantOktaError(t, "wrong code", bad.JSON403, "E0000068")

	code, err := oktatest.TOTPCode(secret, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	act, err := c.ActivateFactorWithResponse(ctx, user, f.ID, okta.UserFactorActivateRequest{PassCode: &code})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "activate", act.HTTPResponse, act.Body, http.StatusOK)
	if af := factorOf(t, act.JSON200); af.Status != "ACTIVE" || af.Links["verify"] == nil || af.Links["activate"] != nil || af.Embedded != nil {
		t.Fatalf("activated: %s", act.Body)
	}

	// The code just used cannot be used again.
	replay, err := c.VerifyFactorWithResponse(ctx, user, f.ID, nil, okta.UserFactorVerifyRequest{PassCode: &code})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "replay", replay.HTTPResponse, replay.Body, http.StatusForbidden)
	wantOktaError(t, "replay", replay.JSON403, "E0000082")

	// The next step's code verifies; a code from two minutes ago does not.
	clk.Advance(30 * time.Second)
	old, _ := oktatest.TOTPCode(secret, clk.Now().Add(-2*time.Minute))
	stale, err := c.VerifyFactorWithResponse(ctx, user, f.ID, nil, okta.UserFactorVerifyRequest{PassCode: &old})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "stale", stale.HTTPResponse, stale.Body, http.StatusForbidden)
	next, _ := oktatest.TOTPCode(secret, clk.Now())
	ok, err := c.VerifyFactorWithResponse(ctx, user, f.ID, nil, okta.UserFactorVerifyRequest{PassCode: &next})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "verify", ok.HTTPResponse, ok.Body, http.StatusOK)
	if ok.JSON200.FactorResult != "SUCCESS" {
		t.Errorf("factorResult %s", ok.JSON200.FactorResult)
	}
}

func TestSeededTOTPVerifies(t *testing.T) {
	srv, c := newFake(t)
	id := factorIDOf(t, srv, oktatest.SeedUserAda, "token:software:totp")
	secret, _ := srv.TOTPSecret(oktatest.SeedUserAda, id)
	code, _ := oktatest.TOTPCode(secret, time.Now())
	resp, err := c.VerifyFactorWithResponse(context.Background(), oktatest.SeedUserAda, id, nil, okta.UserFactorVerifyRequest{PassCode: &code})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "verify", resp.HTTPResponse, resp.Body, http.StatusOK)
}

func TestSMSEnrollActivateVerify(t *testing.T) {
	clk := newClock()
	srv, c := newFake(t, oktatest.WithClock(clk.Now))
	ctx := context.Background()
	user := oktatest.SeedUserMargaret

	enr, err := c.EnrollFactorWithResponse(ctx, user, nil, enrollBody(t, map[string]any{"factorType": "sms", "provider": "OKTA", "profile": map[string]any{"phoneNumber": "+15554151337"}}))
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "enroll", enr.HTTPResponse, enr.Body, http.StatusOK)
	f := factorOf(t, enr.JSON200)
	if f.Status != "PENDING_ACTIVATION" || f.Links["resend"] == nil {
		t.Fatalf("enrolled: %s", enr.Body)
	}
	first, ok := srv.Passcode(user, f.ID)
	if !ok || len(first) != 6 {
		t.Fatalf("Passcode = %q, %v", first, ok)
	}

	// Resend within 30 seconds is refused; after, a new code replaces the old one.
	resendBody := okta.UserFactorResendRequest{FactorType: okta.UserFactorTypeSms, Provider: ptr(okta.UserFactorProviderOKTA)}
	early, err := c.ResendEnrollFactorWithResponse(ctx, user, f.ID, nil, resendBody)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "early resend", early.HTTPResponse, early.Body, http.StatusTooManyRequests)
	wantOktaError(t, "early resend", early.JSON429, "E0000109")
	clk.Advance(31 * time.Second)
	resent, err := c.ResendEnrollFactorWithResponse(ctx, user, f.ID, nil, resendBody)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "resend", resent.HTTPResponse, resent.Body, http.StatusOK)
	code, _ := srv.Passcode(user, f.ID)

	act, err := c.ActivateFactorWithResponse(ctx, user, f.ID, okta.UserFactorActivateRequest{PassCode: &code})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "activate", act.HTTPResponse, act.Body, http.StatusOK)
	if factorOf(t, act.JSON200).Status != "ACTIVE" {
		t.Fatalf("activated: %s", act.Body)
	}

	// Verify: a request without a passcode sends one (CHALLENGE); the right one succeeds.
	ch, err := c.VerifyFactorWithBodyWithResponse(ctx, user, f.ID, nil, "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "challenge", ch.HTTPResponse, ch.Body, http.StatusOK)
	if ch.JSON200.FactorResult != "CHALLENGE" || ch.JSON200.UnderscoreLinks == nil || ch.JSON200.UnderscoreLinks.Verify == nil {
		t.Fatalf("challenge: %s", ch.Body)
	}
	sent, _ := srv.Passcode(user, f.ID)
	wrong := "999999"
	if sent == wrong {
		wrong = "888888"
	}
	bad, err := c.VerifyFactorWithResponse(ctx, user, f.ID, nil, okta.UserFactorVerifyRequest{PassCode: &wrong})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "wrong", bad.HTTPResponse, bad.Body, http.StatusForbidden)
	wantOktaError(t, "wrong", bad.JSON403, "E0000068")
	good, err := c.VerifyFactorWithResponse(ctx, user, f.ID, nil, okta.UserFactorVerifyRequest{PassCode: &sent})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "verify", good.HTTPResponse, good.Body, http.StatusOK)
	if good.JSON200.FactorResult != "SUCCESS" {
		t.Errorf("factorResult %s", good.JSON200.FactorResult)
	}
	// A passcode works once, and expires.
	if _, ok := srv.Passcode(user, f.ID); ok {
		t.Error("the used passcode is still outstanding")
	}
	if _, err := c.VerifyFactorWithBodyWithResponse(ctx, user, f.ID, nil, "application/json", nil); err != nil {
		t.Fatal(err)
	}
	late, _ := srv.Passcode(user, f.ID)
	clk.Advance(oktatest.DefaultPasscodeLifetime)
	expired, err := c.VerifyFactorWithResponse(ctx, user, f.ID, nil, okta.UserFactorVerifyRequest{PassCode: &late})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "expired", expired.HTTPResponse, expired.Body, http.StatusForbidden)
}

func TestEnrollEveryEnrollableType(t *testing.T) {
	srv, c := newFake(t, oktatest.WithFixedPasscode("246810"))
	ctx := context.Background()
	// symantec_vip is seeded inactive; activate it so token/SYMANTEC can be enrolled.
	if r, err := c.ActivateAuthenticatorWithResponse(ctx, mustID(t, srv, "symantec_vip")); err != nil || r.StatusCode() != 200 {
		t.Fatalf("activate symantec_vip: %v", err)
	}
	cases := []struct {
		body        map[string]any
		params      *okta.EnrollFactorParams
		wantStatus  string
		wantEmbed   bool
		activate    *okta.UserFactorActivateRequest
		wantProfile string
	}{
		{map[string]any{"factorType": "call", "profile": map[string]any{"phoneNumber": "+15554151338"}}, nil, "PENDING_ACTIVATION", false, &okta.UserFactorActivateRequest{PassCode: ptr("246810")}, "phoneNumber"},
		{map[string]any{"factorType": "email", "profile": map[string]any{"email": "m@example.com"}}, nil, "PENDING_ACTIVATION", false, &okta.UserFactorActivateRequest{PassCode: ptr("246810")}, "email"},
		{map[string]any{"factorType": "sms", "profile": map[string]any{"phoneNumber": "+15554151339"}}, &okta.EnrollFactorParams{Activate: ptr(true)}, "ACTIVE", false, nil, "phoneNumber"},
		{map[string]any{"factorType": "question", "profile": map[string]any{"question": "first_award", "answer": "spelling bee"}}, nil, "ACTIVE", false, nil, "questionText"},
		{map[string]any{"factorType": "push", "provider": "OKTA"}, nil, "PENDING_ACTIVATION", true, &okta.UserFactorActivateRequest{}, "deviceType"},
		{map[string]any{"factorType": "token:software:totp", "provider": "GOOGLE"}, nil, "PENDING_ACTIVATION", true, nil, "credentialId"},
		{map[string]any{"factorType": "token", "provider": "RSA", "profile": map[string]any{"credentialId": "margaret"}, "verify": map[string]any{"passCode": "123456"}}, nil, "ACTIVE", false, nil, "credentialId"},
		{map[string]any{"factorType": "token", "provider": "SYMANTEC", "profile": map[string]any{"credentialId": "VSMT14393584"}, "verify": map[string]any{"passCode": "875498", "nextPassCode": "678195"}}, nil, "ACTIVE", false, nil, "credentialId"},
		{map[string]any{"factorType": "token:hardware", "provider": "YUBICO", "verify": map[string]any{"passCode": "cccccceukngdfgkukfctkcvfidnetljjiknckkcjulji"}}, nil, "ACTIVE", false, nil, "credentialId"},
		{map[string]any{"factorType": "token:hotp", "provider": "CUSTOM", "factorProfileId": "fpr1acmeTokens000g4a"}, nil, "PENDING_ACTIVATION", false, &okta.UserFactorActivateRequest{PassCode: ptr("246810")}, ""},
		{map[string]any{"factorType": "u2f", "provider": "FIDO"}, nil, "PENDING_ACTIVATION", true, &okta.UserFactorActivateRequest{RegistrationData: ptr("BQQ"), ClientData: ptr("eyJ")}, "credentialId"},
		{map[string]any{"factorType": "webauthn", "provider": "FIDO"}, nil, "PENDING_ACTIVATION", true, &okta.UserFactorActivateRequest{Attestation: ptr("o2N"), ClientData: ptr("eyJ")}, "credentialId"},
		{map[string]any{"factorType": "web", "provider": "DUO"}, nil, "PENDING_ACTIVATION", true, &okta.UserFactorActivateRequest{}, "credentialId"},
	}
	user := oktatest.SeedUserMargaret
	for _, tc := range cases {
		name := tc.body["factorType"].(string)
		if p, ok := tc.body["provider"].(string); ok {
			name += "/" + p
		}
		t.Run(name, func(t *testing.T) {
			resp, err := c.EnrollFactorWithResponse(ctx, user, tc.params, enrollBody(t, tc.body))
			if err != nil {
				t.Fatal(err)
			}
			wantStatus(t, "enroll", resp.HTTPResponse, resp.Body, http.StatusOK)
			f := factorOf(t, resp.JSON200)
			if f.Status != tc.wantStatus || (f.Embedded != nil) != tc.wantEmbed {
				t.Fatalf("enrolled: %s", resp.Body)
			}
			if tc.activate != nil {
				act, err := c.ActivateFactorWithResponse(ctx, user, f.ID, *tc.activate)
				if err != nil {
					t.Fatal(err)
				}
				wantStatus(t, "activate", act.HTTPResponse, act.Body, http.StatusOK)
				f = factorOf(t, act.JSON200)
				if f.Status != "ACTIVE" {
					t.Fatalf("activated: %s", act.Body)
				}
			}
			if _, ok := f.Profile[tc.wantProfile]; tc.wantProfile != "" && !ok {
				t.Errorf("profile %v lacks %s", f.Profile, tc.wantProfile)
			}
			got, err := c.GetFactorWithResponse(ctx, user, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			wantStatus(t, "get", got.HTTPResponse, got.Body, http.StatusOK)
		})
	}
	// FastPass cannot be enrolled through the API, and a type can be enrolled once.
	for name, body := range map[string]map[string]any{
		"signed_nonce": {"factorType": "signed_nonce", "provider": "OKTA"},
		"duplicate":    {"factorType": "call", "profile": map[string]any{"phoneNumber": "+15554151338"}},
		"bad phone":    {"factorType": "sms", "profile": map[string]any{"phoneNumber": "555-1234"}},
	} {
		u := user
		if name == "bad phone" {
			u = oktatest.SeedUserAlan
		}
		resp, err := c.EnrollFactorWithResponse(ctx, u, nil, enrollBody(t, body))
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, name, resp.HTTPResponse, resp.Body, http.StatusBadRequest)
		if _, causes := wantOktaError(t, name, resp.JSON400, "E0000001"); len(causes) == 0 {
			t.Errorf("%s: no errorCauses", name)
		}
	}
}

func TestVerifyOtherFactorTypes(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	ada := oktatest.SeedUserAda

	// question
	qid := factorIDOf(t, srv, ada, "question")
	for answer, want := range map[string]int{"wrong answer": 403, strings.ToUpper(oktatest.SeedAnswer): 200} {
		r, err := c.VerifyFactorWithResponse(ctx, ada, qid, nil, okta.UserFactorVerifyRequest{Answer: ptr(answer)})
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "question "+answer, r.HTTPResponse, r.Body, want)
	}

	// hardware and custom tokens: the code the device shows
	for _, ft := range []string{"token", "token:hardware", "token:hotp"} {
		id := factorIDOf(t, srv, ada, ft)
		code, ok := srv.Passcode(ada, id)
		if !ok {
			t.Fatalf("%s: no device code", ft)
		}
		r, err := c.VerifyFactorWithResponse(ctx, ada, id, nil, okta.UserFactorVerifyRequest{PassCode: &code})
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, ft, r.HTTPResponse, r.Body, http.StatusOK)
	}

	// u2f and webauthn: challenge, then an assertion
	for _, tc := range []struct {
		ft    string
		proof okta.UserFactorVerifyRequest
		field string
	}{
		{"u2f", okta.UserFactorVerifyRequest{ClientData: ptr("eyJ"), SignatureData: ptr("AQA")}, "nonce"},
		{"webauthn", okta.UserFactorVerifyRequest{AuthenticatorData: ptr("SZY"), ClientData: ptr("eyJ"), SignatureData: ptr("MEU")}, "challenge"},
	} {
		id := factorIDOf(t, srv, ada, tc.ft)
		ch, err := c.VerifyFactorWithResponse(ctx, ada, id, nil, okta.UserFactorVerifyRequest{})
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, tc.ft+" challenge", ch.HTTPResponse, ch.Body, http.StatusOK)
		if ch.JSON200.FactorResult != "CHALLENGE" || ch.JSON200.UnderscoreEmbedded == nil || !strings.Contains(string(ch.Body), `"`+tc.field+`"`) {
			t.Errorf("%s challenge: %s", tc.ft, ch.Body)
		}
		ok, err := c.VerifyFactorWithResponse(ctx, ada, id, nil, tc.proof)
		if err != nil {
			t.Fatal(err)
		}
		if ok.StatusCode() != 200 || ok.JSON200.FactorResult != "SUCCESS" {
			t.Errorf("%s assertion: %s", tc.ft, ok.Body)
		}
	}

	// FastPass cannot be verified through the API.
	sn, err := c.VerifyFactorWithResponse(ctx, ada, factorIDOf(t, srv, ada, "signed_nonce"), nil, okta.UserFactorVerifyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "signed_nonce", sn.HTTPResponse, sn.Body, http.StatusBadRequest)
}

func TestPushTransaction(t *testing.T) {
	clk := newClock()
	srv, c := newFake(t, oktatest.WithClock(clk.Now))
	ctx := context.Background()
	alan := oktatest.SeedUserAlan
	id := factorIDOf(t, srv, alan, "push")

	poll := func(txURL string) okta.UserFactorPushTransaction {
		t.Helper()
		txID := txURL[strings.LastIndex(txURL, "/")+1:]
		r, err := c.GetFactorTransactionStatusWithResponse(ctx, alan, id, txID)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "poll", r.HTTPResponse, r.Body, http.StatusOK)
		return *r.JSON200
	}
	challenge := func() string {
		t.Helper()
		r, err := c.VerifyFactorWithResponse(ctx, alan, id, nil, okta.UserFactorVerifyRequest{UseNumberMatchingChallenge: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "push", r.HTTPResponse, r.Body, http.StatusCreated)
		w := r.JSON201
		if w.FactorResult != "WAITING" || w.UnderscoreLinks == nil || w.UnderscoreLinks.Poll == nil {
			t.Fatalf("push challenge: %s", r.Body)
		}
		if w.UnderscoreEmbedded == nil || w.UnderscoreEmbedded.Challenge == nil || w.UnderscoreEmbedded.Challenge.CorrectAnswer == nil {
			t.Errorf("no number challenge: %s", r.Body)
		}
		return w.UnderscoreLinks.Poll.Href
	}

	for _, tc := range []struct {
		name   string
		answer func() error
		want   string
	}{
		{"approve", func() error { return srv.ApprovePush(alan, id) }, "SUCCESS"},
		{"reject", func() error { return srv.RejectPush(alan, id) }, "REJECTED"},
		{"timeout", func() error { clk.Advance(6 * time.Minute); return nil }, "TIMEOUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			href := challenge()
			if got := poll(href).FactorResult; got != "WAITING" {
				t.Fatalf("before answer: %s", got)
			}
			if err := tc.answer(); err != nil {
				t.Fatal(err)
			}
			if got := poll(href).FactorResult; string(got) != tc.want {
				t.Errorf("after answer: %s, want %s", got, tc.want)
			}
		})
	}
	if err := srv.ApprovePush(alan, id); err == nil {
		t.Error("ApprovePush with nothing waiting did not fail")
	}
	// An unknown transaction is 404.
	r, err := c.GetFactorTransactionStatusWithResponse(ctx, alan, id, "mstNOPE")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "unknown tx", r.HTTPResponse, r.Body, http.StatusNotFound)
	wantOktaError(t, "unknown tx", r.JSON404, "E0000007")
}

func TestUnenrollFactor(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	ada := oktatest.SeedUserAda
	smsID := factorIDOf(t, srv, ada, "sms")
	r, err := c.UnenrollFactorWithResponse(ctx, ada, smsID, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "unenroll", r.HTTPResponse, r.Body, http.StatusNoContent)
	g, err := c.GetFactorWithResponse(ctx, ada, smsID)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "get after unenroll", g.HTTPResponse, g.Body, http.StatusNotFound)
	wantOktaError(t, "get after unenroll", g.JSON404, "E0000007")

	// Unenrolling push takes the user's other Okta Verify factors with it.
	r, err = c.UnenrollFactorWithResponse(ctx, ada, factorIDOf(t, srv, ada, "push"), &okta.UnenrollFactorParams{RemoveRecoveryEnrollment: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "unenroll push", r.HTTPResponse, r.Body, http.StatusNoContent)
	for _, f := range srv.Factors(ada) {
		if f.FactorType == "push" || f.FactorType == "signed_nonce" || (f.FactorType == "token:software:totp" && f.Provider == "OKTA") {
			t.Errorf("%s survived unenrolling push", f.FactorType)
		}
	}
	if n := len(srv.Factors(ada)); n != 9 {
		t.Errorf("%d factors left, want 9", n)
	}
}

func TestCatalogAndQuestions(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()
	cat, err := c.ListSupportedFactorsWithResponse(ctx, oktatest.SeedUserGrace)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "catalog", cat.HTTPResponse, cat.Body, http.StatusOK)
	status := map[string]string{}
	for _, f := range *cat.JSON200 {
		status[string(*f.FactorType)+"/"+string(*f.Provider)] = string(*f.Status)
	}
	for k, want := range map[string]string{
		"email/OKTA": "ACTIVE", "sms/OKTA": "PENDING_ACTIVATION", "token:software:totp/GOOGLE": "ACTIVE",
		"call/OKTA": "NOT_SETUP", "webauthn/FIDO": "NOT_SETUP",
	} {
		if status[k] != want {
			t.Errorf("catalog %s = %q, want %s", k, status[k], want)
		}
	}
	if _, ok := status["token/SYMANTEC"]; ok {
		t.Error("catalog offers Symantec VIP while its authenticator is inactive")
	}

	q, err := c.ListSupportedSecurityQuestionsWithResponse(ctx, oktatest.SeedUserGrace)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "questions", q.HTTPResponse, q.Body, http.StatusOK)
	if n := len(*q.JSON200); n != 20 {
		t.Errorf("%d questions, want 20", n)
	}
}

func TestUnknownIDsGive404(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	phone := mustID(t, srv, "phone_number")
	cases := []struct {
		name string
		call func() (*okta.Error, int, error)
		want string // the id the summary names
	}{
		{"authenticator", func() (*okta.Error, int, error) {
			r, err := c.GetAuthenticatorWithResponse(ctx, "autNOPE")
			return rOr(r, err, func() *okta.Error { return r.JSON404 }, func() int { return r.StatusCode() })
		}, "autNOPE"},
		{"method", func() (*okta.Error, int, error) {
			r, err := c.ActivateAuthenticatorMethodWithResponse(ctx, phone, "totp")
			return rOr(r, err, func() *okta.Error { return r.JSON404 }, func() int { return r.StatusCode() })
		}, "totp"},
		{"user", func() (*okta.Error, int, error) {
			r, err := c.ListFactorsWithResponse(ctx, "00uNOPE")
			return rOr(r, err, func() *okta.Error { return r.JSON404 }, func() int { return r.StatusCode() })
		}, "00uNOPE"},
		{"factor", func() (*okta.Error, int, error) {
			r, err := c.ActivateFactorWithResponse(ctx, oktatest.SeedUserAda, "mblNOPE", okta.UserFactorActivateRequest{})
			return rOr(r, err, func() *okta.Error { return r.JSON404 }, func() int { return r.StatusCode() })
		}, "mblNOPE"},
		{"enrollment", func() (*okta.Error, int, error) {
			r, err := c.DeleteAuthenticatorEnrollmentWithResponse(ctx, oktatest.SeedUserAda, "eaeNOPE")
			return rOr(r, err, func() *okta.Error { return r.JSON404 }, func() int { return r.StatusCode() })
		}, "eaeNOPE"},
		{"aaguid", func() (*okta.Error, int, error) {
			r, err := c.GetCustomAAGUIDWithResponse(ctx, mustID(t, srv, "webauthn"), "nope")
			return rOr(r, err, func() *okta.Error { return r.JSON404 }, func() int { return r.StatusCode() })
		}, "nope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, status, err := tc.call()
			if err != nil {
				t.Fatal(err)
			}
			if status != http.StatusNotFound {
				t.Fatalf("HTTP %d, want 404", status)
			}
			summary, _ := wantOktaError(t, tc.name, e, "E0000007")
			if !strings.HasPrefix(summary, "Not found: Resource not found: "+tc.want+" (") {
				t.Errorf("summary %q", summary)
			}
		})
	}
}

func rOr[R any](r *R, err error, e func() *okta.Error, status func() int) (*okta.Error, int, error) {
	if err != nil {
		return nil, 0, err
	}
	return e(), status(), nil
}

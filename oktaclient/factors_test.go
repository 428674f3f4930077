package oktaclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

// totpEnrollment is an enrollment answer of a TOTP factor, as Okta documents
// it, with a field in the activation this version does not model.
const totpEnrollment = `{"id":"ostf1","factorType":"token:software:totp","provider":"GOOGLE","vendorName":"GOOGLE",
	"status":"PENDING_ACTIVATION",` + stamps + `,"profile":{"credentialId":"jane@example.com"},
	"_links":{"activate":{"href":"https://example.okta.com/api/v1/users/00u1/factors/ostf1/lifecycle/activate","hints":{"allow":["POST"]}}},
	"_embedded":{"activation":{"timeStep":30,"sharedSecret":"JBTWGV22G4ZGKV3N","encoding":"base32","keyLength":16,
		"futureField":"kept","_links":{"qrcode":{"href":"https://example.okta.com/api/v1/users/00u1/factors/ostf1/qr/abc","type":"image/png"}}}}}`

func TestTOTPFactorActivation(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantSecret string
		wantActive bool // whether Activation is non-nil
	}{
		{"pending enrollment", totpEnrollment, "JBTWGV22G4ZGKV3N", true},
		{"active factor", factorFixtures[FactorTokenSoftwareTOTP], "", false},
		{"embedded without activation", `{"factorType":"token:software:totp","_embedded":{}}`, "", false},
		{"activation without secret", `{"factorType":"token:software:totp","_embedded":{"activation":{"timeStep":30}}}`, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := UnmarshalUserFactor([]byte(tc.body))
			if err != nil {
				t.Fatalf("UnmarshalUserFactor: %v", err)
			}
			totp, ok := f.(*TOTPFactor)
			if !ok {
				t.Fatalf("decoded as %T, want *TOTPFactor", f)
			}
			if got := totp.SharedSecret(); got != tc.wantSecret {
				t.Errorf("SharedSecret() = %q, want %q", got, tc.wantSecret)
			}
			if got := totp.Activation() != nil; got != tc.wantActive {
				t.Errorf("Activation() != nil is %v, want %v", got, tc.wantActive)
			}
		})
	}

	t.Run("typed fields", func(t *testing.T) {
		f, err := UnmarshalUserFactor([]byte(totpEnrollment))
		if err != nil {
			t.Fatal(err)
		}
		a := f.(*TOTPFactor).Activation()
		if deref(a.TimeStep) != 30 || deref(a.Encoding) != "base32" || deref(a.KeyLength) != 16 {
			t.Errorf("activation = timeStep %v, encoding %v, keyLength %v", deref(a.TimeStep), deref(a.Encoding), deref(a.KeyLength))
		}
		if a.UnderscoreLinks == nil || a.UnderscoreLinks.Qrcode == nil || !strings.HasSuffix(a.UnderscoreLinks.Qrcode.Href, "/qr/abc") {
			t.Errorf("qrcode link missing: %+v", a.UnderscoreLinks)
		}
		// The typed activation still encodes back every field Okta sent.
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if !jsonEqual(t, b, []byte(totpEnrollment)) {
			t.Errorf("round trip lost data:\n got %s\nwant %s", b, compact(t, totpEnrollment))
		}
	})

	t.Run("nil receiver", func(t *testing.T) {
		var x *TOTPFactor
		if x.Activation() != nil || x.SharedSecret() != "" {
			t.Error("nil *TOTPFactor has activation data")
		}
	})

	t.Run("secret not in formatted output", func(t *testing.T) {
		f, _ := UnmarshalUserFactor([]byte(totpEnrollment))
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			if s := fmt.Sprintf(verb, f); strings.Contains(s, "JBTWGV22G4ZGKV3N") {
				t.Errorf("%s of the factor shows the shared secret: %s", verb, s)
			}
		}
	})

	t.Run("wrongly typed activation is an UnknownUserFactor", func(t *testing.T) {
		f, err := UnmarshalUserFactor([]byte(`{"factorType":"token:software:totp","_embedded":{"activation":{"timeStep":"thirty"}}}`))
		if err == nil {
			t.Fatal("no error for a string timeStep")
		}
		if u, ok := f.(*UnknownUserFactor); !ok || u.Err() == nil {
			t.Fatalf("got %T, want *UnknownUserFactor with Err", f)
		}
	})
}

func TestResendEnrollFactor(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		factorType FactorType
		opts       *ResendEnrollFactorOptions
		wantBody   string
		wantQuery  string
	}{
		{"sms", FactorSMS, nil, `{"factorType":"sms","provider":"OKTA"}`, ""},
		{"call with profile", FactorCall, &ResendEnrollFactorOptions{Profile: &FactorResendProfile{PhoneNumber: Ptr("+15554151337")}},
			`{"factorType":"call","provider":"OKTA","profile":{"phoneNumber":"+15554151337"}}`, ""},
		{"email with template", FactorEmail, &ResendEnrollFactorOptions{TemplateID: "cstk2"}, `{"factorType":"email","provider":"OKTA"}`, "templateId=cstk2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, rc, _ := serve(t, jsonAnswer(http.StatusOK, factorFixtures[FactorSMS]))
			f, err := c.ResendEnrollFactor(ctx, "00u1", "mbl1", tc.factorType, tc.opts)
			if err != nil {
				t.Fatalf("ResendEnrollFactor: %v", err)
			}
			if _, ok := f.(*SMSFactor); !ok {
				t.Errorf("answer decoded as %T", f)
			}
			req := rc.last(t)
			if req.Method != http.MethodPost || req.Path != "/api/v1/users/00u1/factors/mbl1/resend" || req.Query != tc.wantQuery {
				t.Errorf("request %s %s?%s", req.Method, req.Path, req.Query)
			}
			if !jsonEqual(t, req.Body, []byte(tc.wantBody)) {
				t.Errorf("body %s, want %s", req.Body, tc.wantBody)
			}
		})
	}

	for _, ft := range []FactorType{FactorPush, FactorTokenSoftwareTOTP, FactorQuestion, "", "SMS"} {
		t.Run("refuses "+string(ft), func(t *testing.T) {
			c, rc, _ := serve(t, jsonAnswer(http.StatusOK, factorFixtures[FactorSMS]))
			_, err := c.ResendEnrollFactor(ctx, "00u1", "mbl1", ft, nil)
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("err = %v, want ErrInvalidArgument", err)
			}
			if n := len(rc.requests()); n != 0 {
				t.Errorf("%d requests sent for a refused factorType", n)
			}
		})
	}
}

func TestFactorProofErrorCodes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		status int
		code   string
		call   func(c *Client) error
	}{
		{"verify wrong passcode", http.StatusForbidden, CodeInvalidPasscode, func(c *Client) error {
			return errOnly(c.VerifyFactor(ctx, "00u1", "ostf1", FactorVerifyRequest{PassCode: Ptr("000000")}, nil))
		}},
		{"activate replayed code", http.StatusForbidden, CodePasscodeReplayed, func(c *Client) error {
			return errOnly(c.ActivateFactor(ctx, "00u1", "ostf1", FactorActivateRequest{PassCode: Ptr("123456")}))
		}},
		{"resend too soon", http.StatusTooManyRequests, CodeOTPRecentlySent, func(c *Client) error {
			return errOnly(c.ResendEnrollFactor(ctx, "00u1", "mbl1", FactorSMS, nil))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _, _ := serve(t, jsonAnswer(tc.status, `{"errorCode":"`+tc.code+`","errorSummary":"refused"}`), WithRetry(RetryPolicy{MaxAttempts: 1}))
			err := tc.call(c)
			var e *Error
			if !errors.As(err, &e) || e.Status != tc.status || e.ErrorCode != tc.code {
				t.Fatalf("err = %v, want *Error %d %s", err, tc.status, tc.code)
			}
		})
	}
}

// TestFactorsAgainstFake runs the TOTP enrollment and an SMS resend through
// the client against oktatest, which validates every request and answer
// against api/okta.yaml.
func TestFactorsAgainstFake(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Date(2025, 3, 11, 9, 14, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := oktatest.NewServer(oktatest.WithT(t), oktatest.WithClock(clock))
	c, err := New(srv.URL, WithAPIToken(srv.APIToken()), WithRetry(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	user := oktatest.SeedUserMargaret

	t.Run("totp", func(t *testing.T) {
		f, err := c.EnrollFactor(ctx, user, &TOTPFactor{UserFactorTokenSoftwareTOTP: UserFactorTokenSoftwareTOTP{Provider: Ptr(UserFactorTokenSoftwareTOTPProvider("OKTA"))}}, nil)
		if err != nil {
			t.Fatalf("EnrollFactor: %v", err)
		}
		totp, ok := f.(*TOTPFactor)
		if !ok {
			t.Fatalf("EnrollFactor returned %T", f)
		}
		secret := totp.SharedSecret()
		if want, _ := srv.TOTPSecret(user, totp.Common().ID); secret == "" || secret != want {
			t.Fatalf("SharedSecret() = %q, fake's secret %q", secret, want)
		}
		code, err := oktatest.TOTPCode(secret, clock())
		if err != nil {
			t.Fatal(err)
		}
		act, err := c.ActivateFactor(ctx, user, totp.Common().ID, FactorActivateRequest{PassCode: &code})
		if err != nil {
			t.Fatalf("ActivateFactor: %v", err)
		}
		if act.Common().Status != "ACTIVE" || act.(*TOTPFactor).Activation() != nil {
			t.Errorf("activated factor: status %s, activation %v", act.Common().Status, act.(*TOTPFactor).Activation())
		}
		// The same code again is a replay (403 E0000082).
		_, err = c.VerifyFactor(ctx, user, totp.Common().ID, FactorVerifyRequest{PassCode: &code}, nil)
		var e *Error
		if !errors.As(err, &e) || e.Status != http.StatusForbidden || e.ErrorCode != CodePasscodeReplayed {
			t.Errorf("replayed code: err = %v, want 403 %s", err, CodePasscodeReplayed)
		}
	})

	t.Run("sms resend", func(t *testing.T) {
		f, err := c.EnrollFactor(ctx, user, &SMSFactor{UserFactorSMS: UserFactorSMS{Profile: &UserFactorSMSProfile{PhoneNumber: Ptr("+15554151337")}}}, nil)
		if err != nil {
			t.Fatalf("EnrollFactor: %v", err)
		}
		id := f.Common().ID
		_, err = c.ResendEnrollFactor(ctx, user, id, FactorSMS, nil)
		var e *Error
		if !errors.As(err, &e) || e.Status != http.StatusTooManyRequests || e.ErrorCode != CodeOTPRecentlySent {
			t.Fatalf("early resend: err = %v, want 429 %s", err, CodeOTPRecentlySent)
		}
		advance(31 * time.Second)
		resent, err := c.ResendEnrollFactor(ctx, user, id, FactorSMS, &ResendEnrollFactorOptions{Profile: &FactorResendProfile{PhoneNumber: Ptr("+15554151337")}})
		if err != nil {
			t.Fatalf("resend: %v", err)
		}
		if resent.Common().Status != "PENDING_ACTIVATION" {
			t.Errorf("resent factor status %s", resent.Common().Status)
		}
	})
}

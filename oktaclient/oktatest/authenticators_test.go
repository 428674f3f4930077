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

// authFields reads the fields every authenticator has from a union value.
type authFields struct {
	ID          string         `json:"id"`
	Key         string         `json:"key"`
	Type        string         `json:"type"`
	Name        string         `json:"name"`
	Status      string         `json:"status"`
	Created     time.Time      `json:"created"`
	LastUpdated time.Time      `json:"lastUpdated"`
	Settings    map[string]any `json:"settings"`
	Provider    map[string]any `json:"provider"`
	Links       map[string]any `json:"_links"`
}

func fieldsOf(t *testing.T, v any) authFields {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var f authFields
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// concrete decodes an authenticator union into its member type, proving the
// discriminator maps to a generated type.
func concrete(t *testing.T, a okta.Authenticator) any {
	t.Helper()
	v, err := a.ValueByDiscriminator()
	if err != nil {
		t.Fatalf("authenticator does not decode by its key: %v", err)
	}
	return v
}

func TestListAuthenticatorsCoversEveryKey(t *testing.T) {
	_, c := newFake(t)
	resp, err := c.ListAuthenticatorsWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "list", resp.HTTPResponse, resp.Body, http.StatusOK)
	var gotKeys []string
	for _, a := range *resp.JSON200 {
		concrete(t, a)
		f := fieldsOf(t, a)
		gotKeys = append(gotKeys, f.Key)
		if f.ID == "" || f.Type == "" || f.Name == "" || f.Created.IsZero() {
			t.Errorf("%s: incomplete authenticator %+v", f.Key, f)
		}
		if _, ok := f.Links["self"]; !ok {
			t.Errorf("%s: no self link", f.Key)
		}
	}
	sort.Strings(gotKeys)
	want := []string{"custom_app", "custom_otp", "duo", "external_idp", "google_otp", "okta_email", "okta_password", "okta_verify", "onprem_mfa", "phone_number", "security_key", "security_question", "smart_card_idp", "symantec_vip", "tac", "webauthn", "yubikey_token"}
	if !slices.Equal(gotKeys, want) {
		t.Errorf("keys = %v\nwant %v", gotKeys, want)
	}
	// Secrets of providers are never returned.
	if strings.Contains(string(resp.Body), "secretKey") || strings.Contains(string(resp.Body), "sharedSecret") {
		t.Errorf("a provider secret leaked into the list: %s", resp.Body)
	}
}

func TestMethodsCoverEveryType(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	seen := map[string]bool{}
	for _, a := range srv.Authenticators() {
		resp, err := c.ListAuthenticatorMethodsWithResponse(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "methods of "+a.Key, resp.HTTPResponse, resp.Body, http.StatusOK)
		for _, m := range *resp.JSON200 {
			typ, err := m.Discriminator()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.ValueByDiscriminator(); err != nil {
				t.Errorf("%s/%s does not decode: %v", a.Key, typ, err)
			}
			seen[typ] = true
		}
	}
	for _, typ := range []string{"cert", "duo", "email", "idp", "otp", "password", "push", "security_question", "signed_nonce", "sms", "tac", "totp", "voice", "webauthn"} {
		if !seen[typ] {
			t.Errorf("no seeded method of type %s", typ)
		}
	}
}

func TestAuthenticatorLifecycleChangesStatusAndLinks(t *testing.T) {
	clk := newClock()
	srv, c := newFake(t, oktatest.WithClock(clk.Now))
	ctx := context.Background()
	id, ok := srv.AuthenticatorID("phone_number")
	if !ok {
		t.Fatal("no phone authenticator")
	}
	before, err := c.GetAuthenticatorWithResponse(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "get", before.HTTPResponse, before.Body, http.StatusOK)

	clk.Advance(time.Hour)
	steps := []struct {
		name       string
		call       func() (*http.Response, []byte, *okta.Authenticator, error)
		wantStatus string
		wantLink   string
		noLink     string
	}{
		{"deactivate", func() (*http.Response, []byte, *okta.Authenticator, error) {
			r, err := c.DeactivateAuthenticatorWithResponse(ctx, id)
			if err != nil {
				return nil, nil, nil, err
			}
			return r.HTTPResponse, r.Body, r.JSON200, nil
		}, "INACTIVE", "activate", "deactivate"},
		{"activate", func() (*http.Response, []byte, *okta.Authenticator, error) {
			r, err := c.ActivateAuthenticatorWithResponse(ctx, id)
			if err != nil {
				return nil, nil, nil, err
			}
			return r.HTTPResponse, r.Body, r.JSON200, nil
		}, "ACTIVE", "deactivate", "activate"},
	}
	for _, s := range steps {
		hr, body, a, err := s.call()
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.name, hr, body, http.StatusOK)
		f := fieldsOf(t, a)
		if f.Status != s.wantStatus {
			t.Errorf("%s: status %s, want %s", s.name, f.Status, s.wantStatus)
		}
		if _, ok := f.Links[s.wantLink]; !ok {
			t.Errorf("%s: no %s link in %v", s.name, s.wantLink, f.Links)
		}
		if _, ok := f.Links[s.noLink]; ok {
			t.Errorf("%s: still has a %s link", s.name, s.noLink)
		}
		href := f.Links[s.wantLink].(map[string]any)["href"].(string)
		if want := srv.URL + "/api/v1/authenticators/" + id + "/lifecycle/" + s.wantLink; href != want {
			t.Errorf("%s link = %s, want %s", s.wantLink, href, want)
		}
		if !f.LastUpdated.Equal(clk.Now()) {
			t.Errorf("%s: lastUpdated %v, want %v", s.name, f.LastUpdated, clk.Now())
		}
	}
	// The state behind the API changed too.
	for _, a := range srv.Authenticators() {
		if a.ID == id && a.Status != "ACTIVE" {
			t.Errorf("Authenticators() says %s", a.Status)
		}
	}
	// Deactivating the phone authenticator takes sms and call out of the factor catalog.
	if _, err := c.DeactivateAuthenticatorWithResponse(ctx, id); err != nil {
		t.Fatal(err)
	}
	cat, err := c.ListSupportedFactorsWithResponse(ctx, oktatest.SeedUserMargaret)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range *cat.JSON200 {
		if ft := string(*f.FactorType); ft == "sms" || ft == "call" {
			t.Errorf("catalog offers %s with the phone authenticator inactive", ft)
		}
	}
}

func TestCreateAuthenticatorHonoursActivate(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	cases := []struct {
		name       string
		activate   *bool
		wantStatus string
		wantLink   string
	}{
		{"default activates", nil, "ACTIVE", "deactivate"},
		{"activate=true", ptr(true), "ACTIVE", "deactivate"},
		{"activate=false", ptr(false), "INACTIVE", "activate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body okta.Authenticator
			if err := body.FromAuthenticatorKeyCustomOtp(okta.AuthenticatorKeyCustomOtp{Key: "custom_otp", Name: ptr("Token " + tc.name)}); err != nil {
				t.Fatal(err)
			}
			resp, err := c.CreateAuthenticatorWithResponse(ctx, &okta.CreateAuthenticatorParams{Activate: tc.activate}, body)
			if err != nil {
				t.Fatal(err)
			}
			wantStatus(t, "create", resp.HTTPResponse, resp.Body, http.StatusOK)
			f := fieldsOf(t, resp.JSON200)
			if !strings.HasPrefix(f.ID, "aut") || len(f.ID) != 20 {
				t.Errorf("id %q is not Okta-shaped", f.ID)
			}
			if f.Status != tc.wantStatus || f.Links[tc.wantLink] == nil {
				t.Errorf("status %s links %v, want %s with %s", f.Status, f.Links, tc.wantStatus, tc.wantLink)
			}
			got, err := c.GetAuthenticatorWithResponse(ctx, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			wantStatus(t, "get created", got.HTTPResponse, got.Body, http.StatusOK)
			if g := fieldsOf(t, got.JSON200); g.Name != "Token "+tc.name || g.Key != "custom_otp" {
				t.Errorf("stored %+v", g)
			}
			methods, err := c.ListAuthenticatorMethodsWithResponse(ctx, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(*methods.JSON200); n != 1 {
				t.Errorf("new custom_otp has %d methods, want its otp method", n)
			}
		})
	}
	// A second authenticator of a single-instance key is refused.
	var dup okta.Authenticator
	if err := dup.FromAuthenticatorKeyPhone(okta.AuthenticatorKeyPhone{Key: "phone_number", Name: ptr("Phone 2")}); err != nil {
		t.Fatal(err)
	}
	resp, err := c.CreateAuthenticatorWithResponse(ctx, nil, dup)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "duplicate", resp.HTTPResponse, resp.Body, http.StatusBadRequest)
	if _, causes := wantOktaError(t, "duplicate", resp.JSON400, "E0000001"); len(causes) == 0 {
		t.Error("no errorCauses")
	}
	_ = srv
}

func TestReplaceAuthenticatorKeepsServerOwnedFields(t *testing.T) {
	clk := newClock()
	srv, c := newFake(t, oktatest.WithClock(clk.Now))
	ctx := context.Background()
	id, _ := srv.AuthenticatorID("duo")
	before, err := c.GetAuthenticatorWithResponse(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	old := fieldsOf(t, before.JSON200)

	// Get-modify-put, with made-up values for the fields Okta owns.
	duo, err := before.JSON200.AsAuthenticatorKeyDuo()
	if err != nil {
		t.Fatal(err)
	}
	duo.Name = ptr("Duo (renamed)")
	duo.Id = ptr("autFORGED00000000000")
	duo.Status = ptr(okta.LifecycleStatus("INACTIVE"))
	duo.Created = ptr(time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC))
	var body okta.Authenticator
	if err := body.FromAuthenticatorKeyDuo(duo); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	resp, err := c.ReplaceAuthenticatorWithResponse(ctx, id, body)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "replace", resp.HTTPResponse, resp.Body, http.StatusOK)
	got := fieldsOf(t, resp.JSON200)
	if got.Name != "Duo (renamed)" {
		t.Errorf("name %q not replaced", got.Name)
	}
	if got.ID != old.ID || got.Status != old.Status || !got.Created.Equal(old.Created) || got.Key != "duo" {
		t.Errorf("server-owned fields changed: %+v (was %+v)", got, old)
	}
	if !got.LastUpdated.Equal(clk.Now()) {
		t.Errorf("lastUpdated %v, want %v", got.LastUpdated, clk.Now())
	}
	if host := got.Provider["configuration"].(map[string]any)["host"]; host != "api-xxxxxxxx.duosecurity.com" {
		t.Errorf("provider host %v lost", host)
	}

	// Changing the key is refused; so is a blank name.
	for name, mutate := range map[string]func(m map[string]any){
		"key":  func(m map[string]any) { m["key"] = "okta_email" },
		"name": func(m map[string]any) { m["name"] = "" },
	} {
		b, _ := json.Marshal(duo)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		mutate(m)
		b, _ = json.Marshal(m)
		r, err := c.ReplaceAuthenticatorWithBodyWithResponse(ctx, id, "application/json", strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "replace "+name, r.HTTPResponse, r.Body, http.StatusBadRequest)
		wantOktaError(t, "replace "+name, r.JSON400, "E0000001")
	}
}

func TestAuthenticatorMethods(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	phone, _ := srv.AuthenticatorID("phone_number")

	got, err := c.GetAuthenticatorMethodWithResponse(ctx, phone, "voice")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "get voice", got.HTTPResponse, got.Body, http.StatusOK)
	voice, err := got.JSON200.AsAuthenticatorMethodVoice()
	if err != nil {
		t.Fatal(err)
	}
	if voice.Status == nil || *voice.Status != "INACTIVE" || voice.UnderscoreLinks.Activate == nil {
		t.Fatalf("seeded voice method: %s", got.Body)
	}

	act, err := c.ActivateAuthenticatorMethodWithResponse(ctx, phone, "voice")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "activate voice", act.HTTPResponse, act.Body, http.StatusOK)
	v, _ := act.JSON200.AsAuthenticatorMethodVoice()
	if *v.Status != "ACTIVE" || v.UnderscoreLinks.Deactivate == nil || v.UnderscoreLinks.Activate != nil {
		t.Errorf("after activate: %s", act.Body)
	}
	deact, err := c.DeactivateAuthenticatorMethodWithResponse(ctx, phone, "voice")
	if err != nil {
		t.Fatal(err)
	}
	v, _ = deact.JSON200.AsAuthenticatorMethodVoice()
	if *v.Status != "INACTIVE" || v.UnderscoreLinks.Activate == nil {
		t.Errorf("after deactivate: %s", deact.Body)
	}

	// A method type the authenticator does not have is 404.
	missing, err := c.GetAuthenticatorMethodWithResponse(ctx, phone, "push")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "phone push", missing.HTTPResponse, missing.Body, http.StatusNotFound)
	wantOktaError(t, "phone push", missing.JSON404, "E0000007")

	// Replace the Okta Verify push settings.
	ov, _ := srv.AuthenticatorID("okta_verify")
	var body okta.AuthenticatorMethod
	kp := okta.PushMethodKeyProtection("HARDWARE")
	if err := body.FromAuthenticatorMethodPush(okta.AuthenticatorMethodPush{Type: "push", Settings: &struct {
		Algorithms       *[]okta.AuthenticatorMethodAlgorithm       `json:"algorithms,omitempty"`
		KeyProtection    *okta.PushMethodKeyProtection              `json:"keyProtection,omitempty"`
		TransactionTypes *[]okta.AuthenticatorMethodTransactionType `json:"transactionTypes,omitempty"`
	}{KeyProtection: &kp, Algorithms: &[]okta.AuthenticatorMethodAlgorithm{"ES256"}}}); err != nil {
		t.Fatal(err)
	}
	rep, err := c.ReplaceAuthenticatorMethodWithResponse(ctx, ov, "push", body)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "replace push", rep.HTTPResponse, rep.Body, http.StatusOK)
	p, _ := rep.JSON200.AsAuthenticatorMethodPush()
	if p.Settings == nil || *p.Settings.KeyProtection != "HARDWARE" || *p.Status != "ACTIVE" {
		t.Errorf("replaced push: %s", rep.Body)
	}
	// The method type in the body must match the path.
	mismatch, err := c.ReplaceAuthenticatorMethodWithResponse(ctx, ov, "totp", body)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "mismatch", mismatch.HTTPResponse, mismatch.Body, http.StatusBadRequest)
	wantOktaError(t, "mismatch", mismatch.JSON400, "E0000001")
}

func TestVerifyRPIDDomain(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	wa, _ := srv.AuthenticatorID("webauthn")
	resp, err := c.VerifyRpIdDomainWithResponse(ctx, wa, "webauthn")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "verify", resp.HTTPResponse, resp.Body, http.StatusNoContent)
	m, err := c.GetAuthenticatorMethodWithResponse(ctx, wa, "webauthn")
	if err != nil {
		t.Fatal(err)
	}
	w, err := m.JSON200.AsAuthenticatorMethodWebAuthn()
	if err != nil {
		t.Fatal(err)
	}
	dom := w.Settings.RpId.Domain
	if dom == nil || dom.ValidationStatus == nil || *dom.ValidationStatus != "VERIFIED" || dom.DnsRecord != nil {
		t.Errorf("after verify: %s", m.Body)
	}
	if w.UnderscoreLinks == nil || w.UnderscoreLinks.VerifyRpIdDomain == nil {
		t.Error("webauthn method lacks its verify-rp-id-domain link")
	}
	// Only the webauthn method of a webauthn authenticator has an RP ID.
	phone, _ := srv.AuthenticatorID("phone_number")
	bad, err := c.VerifyRpIdDomainWithResponse(ctx, phone, "webauthn")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "phone", bad.HTTPResponse, bad.Body, http.StatusNotFound)
	wantOktaError(t, "phone", bad.JSON404, "E0000007")
}

func TestWellKnownNeedsNoCredentials(t *testing.T) {
	srv, _ := newFake(t)
	anon := clientWith(t, srv, "")
	resp, err := anon.GetWellKnownAppAuthenticatorConfigurationWithResponse(context.Background(),
		&okta.GetWellKnownAppAuthenticatorConfigurationParams{OauthClientId: oktatest.SeedOAuthClientID})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "well-known", resp.HTTPResponse, resp.Body, http.StatusOK)
	cfgs := *resp.JSON200
	if len(cfgs) != 1 {
		t.Fatalf("%d configurations, want the custom_app one: %s", len(cfgs), resp.Body)
	}
	id, _ := srv.AuthenticatorID("custom_app")
	if c := cfgs[0]; *c.AuthenticatorId != id || *c.Key != "custom_app" || c.SupportedMethods == nil || len(*c.SupportedMethods) != 1 {
		t.Errorf("configuration: %s", resp.Body)
	}
	other, err := anon.GetWellKnownAppAuthenticatorConfigurationWithResponse(context.Background(),
		&okta.GetWellKnownAppAuthenticatorConfigurationParams{OauthClientId: "0oaSomeoneElse"})
	if err != nil {
		t.Fatal(err)
	}
	if len(*other.JSON200) != 0 {
		t.Errorf("unrelated client id got %s", other.Body)
	}
}

package oktaclient_test

// End-to-end tests of oktaclient.Client against the fake org of package
// oktatest: every one of the 34 Okta operations goes through the real client
// (request building, auth, retries, decoding into the union types) and the
// fake (state, spec validation of every request and answer, WithT), and each
// step checks what came back, not only that there was no error.

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mfakit/mfakit/api"
	"github.com/mfakit/mfakit/oktaclient"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

// e2eClock is the fake's clock: fixed until a test advances it, so TOTP steps,
// passcode lifetimes and the resend back-off are deterministic.
type e2eClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *e2eClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *e2eClock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// e2eEnv is one fake org and a real client for it.
type e2eEnv struct {
	ctx   context.Context
	srv   *oktatest.Server
	c     *oktaclient.Client
	clock *e2eClock
}

// e2eRetry keeps retries fast: 1 ms backoff, and any rate-limit wait longer
// than 1 ms makes the client give up at once (the fake's windows are a
// minute), so no test ever sleeps on a reset.
var e2eRetry = oktaclient.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRateLimitWait: time.Millisecond}

func newE2E(t *testing.T, opts ...oktatest.Option) *e2eEnv {
	t.Helper()
	clk := &e2eClock{now: time.Date(2025, time.March, 11, 9, 14, 0, 0, time.UTC)}
	srv := oktatest.NewServer(append([]oktatest.Option{oktatest.WithT(t), oktatest.WithClock(clk.Now)}, opts...)...)
	c, err := oktaclient.New(srv.URL, oktaclient.WithAPIToken(srv.APIToken()), oktaclient.WithRetry(e2eRetry))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return &e2eEnv{ctx: context.Background(), srv: srv, c: c, clock: clk}
}

func (e *e2eEnv) authID(t *testing.T, key string) string {
	t.Helper()
	id, ok := e.srv.AuthenticatorID(key)
	if !ok {
		t.Fatalf("fake has no %s authenticator", key)
	}
	return id
}

func (e *e2eEnv) factorID(t *testing.T, userID, factorType string) string {
	t.Helper()
	for _, f := range e.srv.Factors(userID) {
		if f.FactorType == factorType {
			return f.ID
		}
	}
	t.Fatalf("fake user %s has no %s factor", userID, factorType)
	return ""
}

// must fails the test at once on err, naming the call.
func must[T any](t *testing.T, what string) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

// wantOktaError checks that err is an *oktaclient.Error with status and, when
// not empty, Okta's errorCode, and that it matches sentinel.
func wantOktaError(t *testing.T, what string, err error, status int, code string, sentinel error) *oktaclient.Error {
	t.Helper()
	var e *oktaclient.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: err = %v (%T), want *oktaclient.Error %d", what, err, err, status)
	}
	if e.Status != status || (code != "" && e.ErrorCode != code) {
		t.Errorf("%s: *Error status %d code %q, want %d %q", what, e.Status, e.ErrorCode, status, code)
	}
	if sentinel != nil && !errors.Is(err, sentinel) {
		t.Errorf("%s: errors.Is(err, %v) = false", what, sentinel)
	}
	return e
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func authIDs(as []oktaclient.Authenticator) []string {
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.Common().ID
	}
	return ids
}

func factorIDs(fs []oktaclient.UserFactor) []string {
	ids := make([]string, len(fs))
	for i, f := range fs {
		ids[i] = f.Common().ID
	}
	return ids
}

func enrollmentIDs(es []oktaclient.AuthenticatorEnrollment) []string {
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = deref(e.Id)
	}
	return ids
}

// lifecycleLinks reports which lifecycle links a resource's _links carry.
func lifecycleLinks(t *testing.T, activate, deactivate *oktaclient.HrefObject) string {
	t.Helper()
	switch {
	case activate != nil && deactivate == nil:
		return "activate"
	case activate == nil && deactivate != nil:
		return "deactivate"
	}
	return "activate and deactivate both " + map[bool]string{true: "present", false: "absent"}[activate != nil]
}

// e2eScenario runs some operations through the client against a fresh fake.
// covers names the operations (operationIds) it exercises; the test checks
// that each of them really reached the fake, and TestFakeE2ECoversEveryOperation
// that together they are all of api.Operations' Okta operations.
type e2eScenario struct {
	name   string
	covers []string
	run    func(t *testing.T, e *e2eEnv)
}

var e2eScenarios = []e2eScenario{
	{
		name: "authenticator lifecycle",
		covers: []string{oktatest.OpListAuthenticators, oktatest.OpCreateAuthenticator, oktatest.OpGetAuthenticator,
			oktatest.OpReplaceAuthenticator, oktatest.OpActivateAuthenticator, oktatest.OpDeactivateAuthenticator},
		run: func(t *testing.T, e *e2eEnv) {
			seeded := must[[]oktaclient.Authenticator](t, "ListAuthenticators")(e.c.ListAuthenticators(e.ctx))
			if len(seeded) != 17 {
				t.Errorf("ListAuthenticators: %d authenticators, want the 17 seeded", len(seeded))
			}
			for _, a := range seeded {
				if u, ok := a.(*oktaclient.UnknownAuthenticator); ok {
					t.Errorf("seeded %q decoded as UnknownAuthenticator (err %v)", a.Key(), u.Err())
				}
			}

			// Create, inactive: an id, the fields sent, INACTIVE with an activate link.
			in := &oktaclient.CustomOTPAuthenticator{AuthenticatorKeyCustomOtp: oktaclient.AuthenticatorKeyCustomOtp{Name: oktaclient.Ptr("Spare Tokens")}}
			created := must[oktaclient.Authenticator](t, "CreateAuthenticator")(e.c.CreateAuthenticator(e.ctx, in, &oktaclient.CreateAuthenticatorOptions{Inactive: true}))
			cc := created.Common()
			if _, ok := created.(*oktaclient.CustomOTPAuthenticator); !ok || created.Key() != oktaclient.KeyCustomOTP {
				t.Errorf("CreateAuthenticator returned %T key %q", created, created.Key())
			}
			if !strings.HasPrefix(cc.ID, "aut") || cc.Name != "Spare Tokens" || cc.Status != oktaclient.LifecycleStatusInactive || cc.Created.IsZero() {
				t.Errorf("created: %+v, want an aut… id, name Spare Tokens, INACTIVE, a created time", cc)
			}
			links := must[*oktaclient.AuthenticatorLinks](t, "created.Links")(created.Links())
			if got := lifecycleLinks(t, links.Activate, links.Deactivate); got != "activate" {
				t.Errorf("inactive authenticator's links: %s, want only activate", got)
			}
			// Without options Okta activates it.
			active := must[oktaclient.Authenticator](t, "CreateAuthenticator(nil opts)")(e.c.CreateAuthenticator(e.ctx,
				&oktaclient.CustomOTPAuthenticator{AuthenticatorKeyCustomOtp: oktaclient.AuthenticatorKeyCustomOtp{Name: oktaclient.Ptr("More Tokens")}}, nil))
			if active.Common().Status != oktaclient.LifecycleStatusActive || active.Common().ID == cc.ID {
				t.Errorf("second create: %+v, want ACTIVE with a new id", active.Common())
			}

			// Both appear in a later list and a get.
			after := authIDs(must[[]oktaclient.Authenticator](t, "ListAuthenticators")(e.c.ListAuthenticators(e.ctx)))
			if len(after) != 19 || !slices.Contains(after, cc.ID) || !slices.Contains(after, active.Common().ID) {
				t.Errorf("list after create: %d ids %v, want 19 including %s and %s", len(after), after, cc.ID, active.Common().ID)
			}
			got := must[oktaclient.Authenticator](t, "GetAuthenticator")(e.c.GetAuthenticator(e.ctx, cc.ID))
			if got.Common().ID != cc.ID || got.Common().Name != "Spare Tokens" || got.Key() != oktaclient.KeyCustomOTP {
				t.Errorf("GetAuthenticator(%s) = %+v key %s", cc.ID, got.Common(), got.Key())
			}

			// Activate and deactivate flip status and the lifecycle links.
			for _, step := range []struct {
				name   string
				call   func(context.Context, string) (oktaclient.Authenticator, error)
				status oktaclient.LifecycleStatus
				link   string
			}{
				{"ActivateAuthenticator", e.c.ActivateAuthenticator, oktaclient.LifecycleStatusActive, "deactivate"},
				{"DeactivateAuthenticator", e.c.DeactivateAuthenticator, oktaclient.LifecycleStatusInactive, "activate"},
				{"ActivateAuthenticator again", e.c.ActivateAuthenticator, oktaclient.LifecycleStatusActive, "deactivate"},
			} {
				a := must[oktaclient.Authenticator](t, step.name)(step.call(e.ctx, cc.ID))
				l := must[*oktaclient.AuthenticatorLinks](t, step.name+" links")(a.Links())
				if a.Common().Status != step.status || lifecycleLinks(t, l.Activate, l.Deactivate) != step.link {
					t.Errorf("%s: status %s, links %s; want %s with only %s", step.name, a.Common().Status, lifecycleLinks(t, l.Activate, l.Deactivate), step.status, step.link)
				}
				if g := must[oktaclient.Authenticator](t, "GetAuthenticator")(e.c.GetAuthenticator(e.ctx, cc.ID)); g.Common().Status != step.status {
					t.Errorf("after %s, GetAuthenticator says %s", step.name, g.Common().Status)
				}
			}
			phone := e.authID(t, "phone_number")
			if a := must[oktaclient.Authenticator](t, "DeactivateAuthenticator(phone)")(e.c.DeactivateAuthenticator(e.ctx, phone)); a.Common().Status != oktaclient.LifecycleStatusInactive {
				t.Errorf("phone after deactivate: %s", a.Common().Status)
			}
			for _, a := range e.srv.Authenticators() {
				if a.ID == phone && a.Status != "INACTIVE" {
					t.Errorf("fake's phone authenticator is %s after DeactivateAuthenticator", a.Status)
				}
			}

			// Replace: a changed name goes through, settings the caller did not touch
			// and server-owned fields stay.
			emailID := e.authID(t, "okta_email")
			before := must[oktaclient.Authenticator](t, "GetAuthenticator(email)")(e.c.GetAuthenticator(e.ctx, emailID))
			email, ok := before.(*oktaclient.EmailAuthenticator)
			if !ok {
				t.Fatalf("GetAuthenticator(okta_email) = %T", before)
			}
			email.Name = oktaclient.Ptr("Work email")
			replaced := must[oktaclient.Authenticator](t, "ReplaceAuthenticator")(e.c.ReplaceAuthenticator(e.ctx, emailID, email))
			re, ok := replaced.(*oktaclient.EmailAuthenticator)
			if !ok {
				t.Fatalf("ReplaceAuthenticator returned %T", replaced)
			}
			rc, bc := re.Common(), before.Common()
			if rc.Name != "Work email" || rc.ID != bc.ID || rc.Status != bc.Status || !rc.Created.Equal(bc.Created) {
				t.Errorf("replaced: %+v, want name Work email and id/status/created of %+v", rc, bc)
			}
			if re.Settings == nil || deref(re.Settings.TokenLifetimeInMinutes) != 5 || deref(re.Settings.AllowedFor) != "any" {
				t.Errorf("replaced settings %+v, want the seeded tokenLifetimeInMinutes 5 and allowedFor any kept", deref(re.Settings))
			}
			if g := must[oktaclient.Authenticator](t, "GetAuthenticator(email)")(e.c.GetAuthenticator(e.ctx, emailID)); g.Common().Name != "Work email" {
				t.Errorf("GetAuthenticator after replace: name %q", g.Common().Name)
			}

			// An unknown id is Okta's 404.
			_, err := e.c.GetAuthenticator(e.ctx, "aut1doesNotExist0g4")
			wantOktaError(t, "GetAuthenticator(unknown)", err, http.StatusNotFound, "E0000007", oktaclient.ErrNotFound)
		},
	},
	{
		name: "authenticator methods",
		covers: []string{oktatest.OpListAuthenticatorMethods, oktatest.OpGetAuthenticatorMethod, oktatest.OpReplaceAuthenticatorMethod,
			oktatest.OpActivateAuthenticatorMethod, oktatest.OpDeactivateAuthenticatorMethod, oktatest.OpVerifyRpIDDomain},
		run: func(t *testing.T, e *e2eEnv) {
			phone, wa := e.authID(t, "phone_number"), e.authID(t, "webauthn")
			ms := must[[]oktaclient.AuthenticatorMethod](t, "ListAuthenticatorMethods")(e.c.ListAuthenticatorMethods(e.ctx, phone))
			if len(ms) != 2 {
				t.Fatalf("phone methods: %d, want sms and voice", len(ms))
			}
			if _, ok := ms[0].(*oktaclient.SMSMethod); !ok || ms[0].Common().Status != oktaclient.LifecycleStatusActive {
				t.Errorf("methods[0] = %T %s, want *SMSMethod ACTIVE", ms[0], ms[0].Common().Status)
			}
			if _, ok := ms[1].(*oktaclient.VoiceMethod); !ok || ms[1].Common().Status != oktaclient.LifecycleStatusInactive {
				t.Errorf("methods[1] = %T %s, want *VoiceMethod INACTIVE", ms[1], ms[1].Common().Status)
			}

			// Activate and deactivate flip the voice method's status and links.
			for _, step := range []struct {
				name   string
				call   func(context.Context, string, oktaclient.AuthenticatorMethodType) (oktaclient.AuthenticatorMethod, error)
				status oktaclient.LifecycleStatus
				link   string
			}{
				{"ActivateAuthenticatorMethod", e.c.ActivateAuthenticatorMethod, oktaclient.LifecycleStatusActive, "deactivate"},
				{"DeactivateAuthenticatorMethod", e.c.DeactivateAuthenticatorMethod, oktaclient.LifecycleStatusInactive, "activate"},
			} {
				m := must[oktaclient.AuthenticatorMethod](t, step.name)(step.call(e.ctx, phone, oktaclient.MethodVoice))
				l := must[*oktaclient.AuthenticatorMethodLinks](t, step.name+" links")(m.Links())
				if m.Type() != oktaclient.MethodVoice || m.Common().Status != step.status || lifecycleLinks(t, l.Activate, l.Deactivate) != step.link {
					t.Errorf("%s: %s %s, links %s; want voice %s with only %s", step.name, m.Type(), m.Common().Status, lifecycleLinks(t, l.Activate, l.Deactivate), step.status, step.link)
				}
				g := must[oktaclient.AuthenticatorMethod](t, "GetAuthenticatorMethod")(e.c.GetAuthenticatorMethod(e.ctx, phone, oktaclient.MethodVoice))
				if _, ok := g.(*oktaclient.VoiceMethod); !ok || g.Common().Status != step.status {
					t.Errorf("after %s, GetAuthenticatorMethod = %T %s", step.name, g, g.Common().Status)
				}
			}

			// Replace one passkey setting; the others (which the client sends back as
			// it got them) stay.
			getWA := func(what string) *oktaclient.WebAuthnMethod {
				t.Helper()
				m := must[oktaclient.AuthenticatorMethod](t, what)(e.c.GetAuthenticatorMethod(e.ctx, wa, oktaclient.MethodWebAuthn))
				w, ok := m.(*oktaclient.WebAuthnMethod)
				if !ok || w.Settings == nil || w.Settings.UserVerification == nil || w.Settings.RpId == nil || w.Settings.RpId.Domain == nil {
					t.Fatalf("%s = %T %s, want *WebAuthnMethod with settings, rpId and userVerification", what, m, m.Raw())
				}
				return w
			}
			w := getWA("GetAuthenticatorMethod(webauthn)")
			if got := string(*w.Settings.UserVerification); got != "PREFERRED" {
				t.Fatalf("seeded userVerification %s, want PREFERRED", got)
			}
			*w.Settings.UserVerification = "REQUIRED"
			rm := must[oktaclient.AuthenticatorMethod](t, "ReplaceAuthenticatorMethod")(e.c.ReplaceAuthenticatorMethod(e.ctx, wa, oktaclient.MethodWebAuthn, w))
			checkWA := func(what string, m oktaclient.AuthenticatorMethod, wantValidation string) {
				t.Helper()
				r, ok := m.(*oktaclient.WebAuthnMethod)
				if !ok || r.Settings == nil {
					t.Fatalf("%s = %T, want *WebAuthnMethod with settings", what, m)
				}
				s := r.Settings
				if got := string(deref(s.UserVerification)); got != "REQUIRED" {
					t.Errorf("%s: userVerification %s, want REQUIRED", what, got)
				}
				if string(deref(s.Attachment)) != "ANY" || string(deref(s.ResidentKeyRequirement)) != "REQUIRED" || string(deref(s.UserVerificationForVerify)) != "PREFERRED" {
					t.Errorf("%s: attachment %v residentKey %v uvForVerify %v, want the seeded ANY, REQUIRED, PREFERRED kept", what, deref(s.Attachment), deref(s.ResidentKeyRequirement), deref(s.UserVerificationForVerify))
				}
				if s.AaguidGroups == nil || len(*s.AaguidGroups) != 1 || len(deref((*s.AaguidGroups)[0].Aaguids)) != 2 {
					t.Errorf("%s: aaguidGroups %+v, want the seeded group of 2", what, s.AaguidGroups)
				}
				if s.RpId == nil || s.RpId.Domain == nil || deref(s.RpId.Domain.Name) != "login.example.com" || string(deref(s.RpId.Domain.ValidationStatus)) != wantValidation {
					t.Errorf("%s: rpId %+v, want domain login.example.com %s", what, s.RpId, wantValidation)
				}
			}
			checkWA("ReplaceAuthenticatorMethod", rm, "NOT_STARTED")
			checkWA("GetAuthenticatorMethod after replace", getWA("GetAuthenticatorMethod(webauthn)"), "NOT_STARTED")

			// Verifying the RP ID domain marks it VERIFIED and drops the DNS record.
			if err := e.c.VerifyRPIDDomain(e.ctx, wa, oktaclient.MethodWebAuthn); err != nil {
				t.Fatalf("VerifyRPIDDomain: %v", err)
			}
			verified := getWA("GetAuthenticatorMethod after verify")
			checkWA("GetAuthenticatorMethod after verify", verified, "VERIFIED")
			if verified.Settings.RpId.Domain.DnsRecord != nil {
				t.Errorf("verified domain still has a DNS record: %+v", verified.Settings.RpId.Domain.DnsRecord)
			}
			// The phone authenticator has no webauthn method.
			err := e.c.VerifyRPIDDomain(e.ctx, phone, oktaclient.MethodWebAuthn)
			wantOktaError(t, "VerifyRPIDDomain(phone)", err, http.StatusNotFound, "E0000007", oktaclient.ErrNotFound)
		},
	},
	{
		name: "custom AAGUIDs",
		covers: []string{oktatest.OpListAllCustomAAGUIDs, oktatest.OpCreateCustomAAGUID, oktatest.OpGetCustomAAGUID,
			oktatest.OpUpdateCustomAAGUID, oktatest.OpReplaceCustomAAGUID, oktatest.OpDeleteCustomAAGUID},
		run: func(t *testing.T, e *e2eEnv) {
			wa := e.authID(t, "webauthn")
			const id = "6d44ba9b-f6ec-2e49-b930-0c8fe920cb73"
			list := func() []string {
				t.Helper()
				gs := must[[]oktaclient.CustomAAGUID](t, "ListAllCustomAAGUIDs")(e.c.ListAllCustomAAGUIDs(e.ctx, wa))
				ids := make([]string, len(gs))
				for i, g := range gs {
					ids[i] = deref(g.Aaguid)
				}
				return ids
			}
			if ids := list(); len(ids) != 2 || !slices.Contains(ids, oktatest.SeedAAGUID) {
				t.Errorf("seeded AAGUIDs %v, want 2 including %s", ids, oktatest.SeedAAGUID)
			}
			seed := must[*oktaclient.CustomAAGUID](t, "GetCustomAAGUID(seed)")(e.c.GetCustomAAGUID(e.ctx, wa, oktatest.SeedAAGUID))
			if deref(seed.Name) != "Acme Security Key" || seed.AttestationRootCertificates == nil || len(*seed.AttestationRootCertificates) != 1 ||
				deref((*seed.AttestationRootCertificates)[0].X5tS256) == "" {
				t.Errorf("seeded AAGUID: name %q certs %+v, want Acme Security Key with one thumbprinted root", deref(seed.Name), seed.AttestationRootCertificates)
			}

			chars := &oktaclient.AAGUIDAuthenticatorCharacteristics{PlatformAttached: oktaclient.Ptr(false), HardwareProtected: oktaclient.Ptr(true), FipsCompliant: oktaclient.Ptr(true)}
			created := must[*oktaclient.CustomAAGUID](t, "CreateCustomAAGUID")(e.c.CreateCustomAAGUID(e.ctx, wa, oktaclient.CustomAAGUIDCreateRequest{
				Aaguid: oktaclient.Ptr(id), Name: oktaclient.Ptr("Sweep Key"), AuthenticatorCharacteristics: chars,
			}))
			if deref(created.Aaguid) != id || deref(created.Name) != "Sweep Key" || created.AuthenticatorCharacteristics == nil ||
				!deref(created.AuthenticatorCharacteristics.HardwareProtected) {
				t.Errorf("created %+v", created)
			}
			got := must[*oktaclient.CustomAAGUID](t, "GetCustomAAGUID")(e.c.GetCustomAAGUID(e.ctx, wa, id))
			if deref(got.Aaguid) != id || deref(got.Name) != "Sweep Key" {
				t.Errorf("GetCustomAAGUID = %+v", got)
			}

			// PATCH changes the name only; the characteristics stay.
			patched := must[*oktaclient.CustomAAGUID](t, "UpdateCustomAAGUID")(e.c.UpdateCustomAAGUID(e.ctx, wa, id, oktaclient.CustomAAGUIDUpdateRequest{Name: oktaclient.Ptr("Sweep Key 2")}))
			if deref(patched.Name) != "Sweep Key 2" || patched.AuthenticatorCharacteristics == nil || !deref(patched.AuthenticatorCharacteristics.FipsCompliant) {
				t.Errorf("patched: name %q characteristics %+v, want Sweep Key 2 with the characteristics kept", deref(patched.Name), patched.AuthenticatorCharacteristics)
			}
			// PUT replaces everything: characteristics not sent are gone.
			put := must[*oktaclient.CustomAAGUID](t, "ReplaceCustomAAGUID")(e.c.ReplaceCustomAAGUID(e.ctx, wa, id, oktaclient.CustomAAGUIDUpdateRequest{Name: oktaclient.Ptr("Sweep Key 3")}))
			if deref(put.Aaguid) != id || deref(put.Name) != "Sweep Key 3" || put.AuthenticatorCharacteristics != nil {
				t.Errorf("replaced: %+v, want name Sweep Key 3 and no characteristics", put)
			}
			if g := must[*oktaclient.CustomAAGUID](t, "GetCustomAAGUID")(e.c.GetCustomAAGUID(e.ctx, wa, id)); deref(g.Name) != "Sweep Key 3" {
				t.Errorf("GetCustomAAGUID after replace: name %q", deref(g.Name))
			}
			if ids := list(); len(ids) != 3 || !slices.Contains(ids, id) {
				t.Errorf("AAGUIDs after create %v, want 3 including %s", ids, id)
			}

			if err := e.c.DeleteCustomAAGUID(e.ctx, wa, id); err != nil {
				t.Fatalf("DeleteCustomAAGUID: %v", err)
			}
			if ids := list(); len(ids) != 2 || slices.Contains(ids, id) {
				t.Errorf("AAGUIDs after delete %v, want the 2 seeded", ids)
			}
			_, err := e.c.GetCustomAAGUID(e.ctx, wa, id)
			wantOktaError(t, "GetCustomAAGUID(deleted)", err, http.StatusNotFound, "E0000007", oktaclient.ErrNotFound)
		},
	},
	{
		name:   "totp factor round trip",
		covers: []string{oktatest.OpEnrollFactor, oktatest.OpActivateFactor, oktatest.OpGetFactor, oktatest.OpVerifyFactor, oktatest.OpListFactors, oktatest.OpUnenrollFactor},
		run: func(t *testing.T, e *e2eEnv) {
			user := oktatest.SeedUserMargaret
			if fs := must[[]oktaclient.UserFactor](t, "ListFactors")(e.c.ListFactors(e.ctx, user)); len(fs) != 0 {
				t.Fatalf("Margaret starts with %d factors, want 0", len(fs))
			}
			enrolled := must[oktaclient.UserFactor](t, "EnrollFactor")(e.c.EnrollFactor(e.ctx, user, &oktaclient.TOTPFactor{
				UserFactorTokenSoftwareTOTP: oktaclient.UserFactorTokenSoftwareTOTP{Provider: oktaclient.Ptr(oktaclient.UserFactorTokenSoftwareTOTPProvider("OKTA"))},
			}, nil))
			totp, ok := enrolled.(*oktaclient.TOTPFactor)
			if !ok {
				t.Fatalf("EnrollFactor returned %T", enrolled)
			}
			id := totp.Common().ID
			if id == "" || totp.Common().Status != "PENDING_ACTIVATION" || totp.Common().Provider != "OKTA" {
				t.Errorf("enrolled: %+v, want an id, PENDING_ACTIVATION, OKTA", totp.Common())
			}
			secret := totp.SharedSecret()
			if want, _ := e.srv.TOTPSecret(user, id); secret == "" || secret != want {
				t.Fatalf("SharedSecret() = %q, the fake's secret is %q", secret, want)
			}
			if a := totp.Activation(); a == nil || deref(a.TimeStep) != 30 || deref(a.Encoding) != "base32" {
				t.Errorf("activation %+v, want timeStep 30, base32", a)
			}

			// A wrong code is refused; the right one activates.
			code := must[string](t, "TOTPCode")(oktatest.TOTPCode(secret, e.clock.Now()))
			wrong := "000000"
			if code == wrong {
				wrong = "111111"
			}
			_, err := e.c.ActivateFactor(e.ctx, user, id, oktaclient.FactorActivateRequest{PassCode: &wrong})
			wantOktaError(t, "ActivateFactor(wrong code)", err, http.StatusForbidden, oktaclient.CodeInvalidPasscode, oktaclient.ErrForbidden)
			act := must[oktaclient.UserFactor](t, "ActivateFactor")(e.c.ActivateFactor(e.ctx, user, id, oktaclient.FactorActivateRequest{PassCode: &code}))
			if act.Common().Status != "ACTIVE" || act.(*oktaclient.TOTPFactor).SharedSecret() != "" {
				t.Errorf("activated: status %s secret shown %v, want ACTIVE without the secret", act.Common().Status, act.(*oktaclient.TOTPFactor).SharedSecret() != "")
			}
			got := must[oktaclient.UserFactor](t, "GetFactor")(e.c.GetFactor(e.ctx, user, id))
			if _, ok := got.(*oktaclient.TOTPFactor); !ok || got.Common().ID != id || got.Common().Status != "ACTIVE" {
				t.Errorf("GetFactor = %T %+v, want the ACTIVE TOTP factor", got, got.Common())
			}

			// The activation's code is used up; the next step's code verifies, once.
			_, err = e.c.VerifyFactor(e.ctx, user, id, oktaclient.FactorVerifyRequest{PassCode: &code}, nil)
			wantOktaError(t, "VerifyFactor(activation code)", err, http.StatusForbidden, oktaclient.CodePasscodeReplayed, oktaclient.ErrForbidden)
			e.clock.Advance(30 * time.Second)
			next := must[string](t, "TOTPCode")(oktatest.TOTPCode(secret, e.clock.Now()))
			res := must[*oktaclient.FactorVerifyResponse](t, "VerifyFactor")(e.c.VerifyFactor(e.ctx, user, id, oktaclient.FactorVerifyRequest{PassCode: &next}, nil))
			if res.FactorResult != "SUCCESS" {
				t.Errorf("VerifyFactor: %s, want SUCCESS", res.FactorResult)
			}
			_, err = e.c.VerifyFactor(e.ctx, user, id, oktaclient.FactorVerifyRequest{PassCode: &next}, nil)
			wantOktaError(t, "VerifyFactor(replayed)", err, http.StatusForbidden, oktaclient.CodePasscodeReplayed, oktaclient.ErrForbidden)

			if ids := factorIDs(must[[]oktaclient.UserFactor](t, "ListFactors")(e.c.ListFactors(e.ctx, user))); !slices.Equal(ids, []string{id}) {
				t.Errorf("ListFactors = %v, want [%s]", ids, id)
			}
			if err := e.c.UnenrollFactor(e.ctx, user, id, nil); err != nil {
				t.Fatalf("UnenrollFactor: %v", err)
			}
			if ids := factorIDs(must[[]oktaclient.UserFactor](t, "ListFactors")(e.c.ListFactors(e.ctx, user))); len(ids) != 0 {
				t.Errorf("ListFactors after unenroll = %v, want none", ids)
			}
			_, err = e.c.GetFactor(e.ctx, user, id)
			wantOktaError(t, "GetFactor(unenrolled)", err, http.StatusNotFound, "E0000007", oktaclient.ErrNotFound)
		},
	},
	{
		name:   "sms enroll resend activate verify",
		covers: []string{oktatest.OpEnrollFactor, oktatest.OpResendEnrollFactor, oktatest.OpActivateFactor, oktatest.OpVerifyFactor},
		run: func(t *testing.T, e *e2eEnv) {
			user := oktatest.SeedUserMargaret
			const number = "+15554151337"
			f := must[oktaclient.UserFactor](t, "EnrollFactor(sms)")(e.c.EnrollFactor(e.ctx, user, &oktaclient.SMSFactor{
				UserFactorSMS: oktaclient.UserFactorSMS{Profile: &oktaclient.UserFactorSMSProfile{PhoneNumber: oktaclient.Ptr(number)}},
			}, nil))
			sms, ok := f.(*oktaclient.SMSFactor)
			if !ok || sms.Common().Status != "PENDING_ACTIVATION" || sms.Profile == nil || deref(sms.Profile.PhoneNumber) != number {
				t.Fatalf("EnrollFactor(sms) = %T %+v", f, f.Common())
			}
			id := sms.Common().ID
			if _, ok := e.srv.Passcode(user, id); !ok {
				t.Fatal("no passcode outstanding after the sms enrollment")
			}
			// Within 30 s a resend is refused with E0000109; the client's short
			// MaxRateLimitWait makes it return that 429 rather than wait.
			_, err := e.c.ResendEnrollFactor(e.ctx, user, id, oktaclient.FactorSMS, nil)
			wantOktaError(t, "ResendEnrollFactor(too soon)", err, http.StatusTooManyRequests, oktaclient.CodeOTPRecentlySent, oktaclient.ErrRateLimited)
			e.clock.Advance(31 * time.Second)
			resent := must[oktaclient.UserFactor](t, "ResendEnrollFactor")(e.c.ResendEnrollFactor(e.ctx, user, id, oktaclient.FactorSMS,
				&oktaclient.ResendEnrollFactorOptions{Profile: &oktaclient.FactorResendProfile{PhoneNumber: oktaclient.Ptr(number)}}))
			if resent.Common().ID != id || resent.Common().Status != "PENDING_ACTIVATION" {
				t.Errorf("resent: %+v, want %s still PENDING_ACTIVATION", resent.Common(), id)
			}
			code, ok := e.srv.Passcode(user, id)
			if !ok {
				t.Fatal("no passcode outstanding after the resend")
			}
			if a := must[oktaclient.UserFactor](t, "ActivateFactor(sms)")(e.c.ActivateFactor(e.ctx, user, id, oktaclient.FactorActivateRequest{PassCode: &code})); a.Common().Status != "ACTIVE" {
				t.Errorf("sms after activation: %s", a.Common().Status)
			}
			// Verify without a code sends one (CHALLENGE); with it, SUCCESS.
			ch := must[*oktaclient.FactorVerifyResponse](t, "VerifyFactor(send)")(e.c.VerifyFactor(e.ctx, user, id, oktaclient.FactorVerifyRequest{}, nil))
			if ch.FactorResult != "CHALLENGE" {
				t.Errorf("VerifyFactor without a code: %s, want CHALLENGE", ch.FactorResult)
			}
			code, ok = e.srv.Passcode(user, id)
			if !ok {
				t.Fatal("no passcode outstanding after the challenge")
			}
			if r := must[*oktaclient.FactorVerifyResponse](t, "VerifyFactor(code)")(e.c.VerifyFactor(e.ctx, user, id, oktaclient.FactorVerifyRequest{PassCode: &code}, nil)); r.FactorResult != "SUCCESS" {
				t.Errorf("VerifyFactor with the code: %s, want SUCCESS", r.FactorResult)
			}
		},
	},
	{
		name:   "push verify and transaction",
		covers: []string{oktatest.OpVerifyFactor, oktatest.OpGetFactorTransactionStatus},
		run: func(t *testing.T, e *e2eEnv) {
			user := oktatest.SeedUserAlan
			push := e.factorID(t, user, "push")
			poll := func(txID string, want string) {
				t.Helper()
				tx := must[*oktaclient.FactorTransaction](t, "GetFactorTransactionStatus")(e.c.GetFactorTransactionStatus(e.ctx, user, push, txID))
				if string(tx.FactorResult) != want {
					t.Errorf("transaction %s: %s, want %s", txID, tx.FactorResult, want)
				}
			}
			start := func() string {
				t.Helper()
				res := must[*oktaclient.FactorVerifyResponse](t, "VerifyFactor(push)")(e.c.VerifyFactor(e.ctx, user, push, oktaclient.FactorVerifyRequest{},
					&oktaclient.VerifyFactorOptions{UserAgent: "Mozilla/5.0 (e2e)", XForwardedFor: "203.0.113.7"}))
				if res.FactorResult != "WAITING" || res.UnderscoreLinks == nil || res.UnderscoreLinks.Poll == nil {
					t.Fatalf("VerifyFactor(push) = %s with links %+v, want WAITING with a poll link", res.FactorResult, res.UnderscoreLinks)
				}
				href := res.UnderscoreLinks.Poll.Href
				if !strings.HasPrefix(href, e.srv.URL+"/api/v1/users/"+user+"/factors/"+push+"/transactions/") {
					t.Fatalf("poll link %s", href)
				}
				return href[strings.LastIndex(href, "/")+1:]
			}
			tx := start()
			poll(tx, "WAITING")
			if err := e.srv.ApprovePush(user, push); err != nil {
				t.Fatal(err)
			}
			poll(tx, "SUCCESS")

			tx2 := start()
			if tx2 == tx {
				t.Errorf("second push reused transaction %s", tx)
			}
			if err := e.srv.RejectPush(user, push); err != nil {
				t.Fatal(err)
			}
			poll(tx2, "REJECTED")
			poll(tx, "SUCCESS")

			_, err := e.c.GetFactorTransactionStatus(e.ctx, user, push, "mst1doesNotExist0g4a")
			wantOktaError(t, "GetFactorTransactionStatus(unknown)", err, http.StatusNotFound, "E0000007", oktaclient.ErrNotFound)
		},
	},
	{
		name:   "question factor and catalogs",
		covers: []string{oktatest.OpListSupportedFactors, oktatest.OpListSupportedSecurityQuestions, oktatest.OpVerifyFactor, oktatest.OpListFactors},
		run: func(t *testing.T, e *e2eEnv) {
			sf := must[[]oktaclient.SupportedFactor](t, "ListSupportedFactors")(e.c.ListSupportedFactors(e.ctx, oktatest.SeedUserMargaret))
			if len(sf) == 0 {
				t.Fatal("ListSupportedFactors: empty")
			}
			var totpOkta, question bool
			for _, s := range sf {
				ft, p, st := string(deref(s.FactorType)), string(deref(s.Provider)), string(deref(s.Status))
				if ft == "" || p == "" {
					t.Errorf("supported factor without type or provider: %+v", s)
				}
				if st != "NOT_SETUP" {
					t.Errorf("Margaret has no factors, but %s/%s is %s", ft, p, st)
				}
				totpOkta = totpOkta || (ft == "token:software:totp" && p == "OKTA")
				question = question || ft == "question"
			}
			if !totpOkta || !question {
				t.Errorf("catalog lacks token:software:totp/OKTA (%v) or question (%v)", totpOkta, question)
			}
			// Ada's enrolled sms shows as ACTIVE in her catalog.
			var adaSMS string
			for _, s := range must[[]oktaclient.SupportedFactor](t, "ListSupportedFactors(ada)")(e.c.ListSupportedFactors(e.ctx, oktatest.SeedUserAda)) {
				if deref(s.FactorType) == oktaclient.FactorSMS {
					adaSMS = string(deref(s.Status))
				}
			}
			if adaSMS != "ACTIVE" {
				t.Errorf("Ada's catalog entry for sms: %q, want ACTIVE", adaSMS)
			}

			qs := must[[]oktaclient.SecurityQuestion](t, "ListSupportedSecurityQuestions")(e.c.ListSupportedSecurityQuestions(e.ctx, oktatest.SeedUserAlan))
			var found bool
			for _, q := range qs {
				if deref(q.Question) == "" || deref(q.QuestionText) == "" {
					t.Errorf("question without key or text: %+v", q)
				}
				found = found || (deref(q.Question) == "disliked_food" && strings.Contains(deref(q.QuestionText), "food"))
			}
			if len(qs) < 10 || !found {
				t.Errorf("%d questions (disliked_food found: %v), want Okta's list", len(qs), found)
			}

			// Alan's question factor: the seeded answer verifies, a wrong one is refused.
			var qid string
			for _, f := range must[[]oktaclient.UserFactor](t, "ListFactors(alan)")(e.c.ListFactors(e.ctx, oktatest.SeedUserAlan)) {
				if q, ok := f.(*oktaclient.SecurityQuestionFactor); ok {
					qid = q.Common().ID
				}
			}
			if qid == "" {
				t.Fatal("Alan has no SecurityQuestionFactor")
			}
			r := must[*oktaclient.FactorVerifyResponse](t, "VerifyFactor(question)")(e.c.VerifyFactor(e.ctx, oktatest.SeedUserAlan, qid,
				oktaclient.FactorVerifyRequest{Answer: oktaclient.Ptr(oktatest.SeedAnswer)}, nil))
			if r.FactorResult != "SUCCESS" {
				t.Errorf("right answer: %s", r.FactorResult)
			}
			_, err := e.c.VerifyFactor(e.ctx, oktatest.SeedUserAlan, qid, oktaclient.FactorVerifyRequest{Answer: oktaclient.Ptr("marmite")}, nil)
			wantOktaError(t, "VerifyFactor(wrong answer)", err, http.StatusForbidden, oktaclient.CodeInvalidPasscode, oktaclient.ErrForbidden)
		},
	},
	{
		name: "phone and TAC enrollments",
		covers: []string{oktatest.OpListAuthenticatorEnrollments, oktatest.OpCreateAuthenticatorEnrollment, oktatest.OpCreateTacAuthenticatorEnrollment,
			oktatest.OpGetAuthenticatorEnrollment, oktatest.OpDeleteAuthenticatorEnrollment},
		run: func(t *testing.T, e *e2eEnv) {
			user := oktatest.SeedUserMargaret
			list := func() []oktaclient.AuthenticatorEnrollment {
				t.Helper()
				return must[[]oktaclient.AuthenticatorEnrollment](t, "ListAuthenticatorEnrollments")(e.c.ListAuthenticatorEnrollments(e.ctx, user, nil))
			}
			initial := enrollmentIDs(list())
			if len(initial) != 1 {
				t.Fatalf("Margaret starts with enrollments %v, want only her password", initial)
			}

			// Ada's phone is masked unless disclosed.
			for _, tc := range []struct {
				opts *oktaclient.ListAuthenticatorEnrollmentsOptions
				want string
			}{
				{nil, "+1 XXX-XXX-0101"},
				{&oktaclient.ListAuthenticatorEnrollmentsOptions{DiscloseIdentifiers: []string{"phone"}}, "+14155550101"},
			} {
				es := must[[]oktaclient.AuthenticatorEnrollment](t, "ListAuthenticatorEnrollments(ada)")(e.c.ListAuthenticatorEnrollments(e.ctx, oktatest.SeedUserAda, tc.opts))
				var phone string
				for _, en := range es {
					if deref(en.Key) == "phone_number" && en.Profile != nil {
						phone = deref(en.Profile.PhoneNumber)
					}
				}
				if len(es) != 5 || phone != tc.want {
					t.Errorf("Ada's enrollments (opts %+v): %d, phone %q; want 5, %q", tc.opts, len(es), phone, tc.want)
				}
			}

			// Phone: create → get → list → delete.
			const number = "+14086673418"
			pe := must[*oktaclient.AuthenticatorEnrollment](t, "CreateAuthenticatorEnrollment")(e.c.CreateAuthenticatorEnrollment(e.ctx, user, oktaclient.AuthenticatorEnrollmentCreateRequest{
				AuthenticatorId: e.authID(t, "phone_number"), Profile: oktaclient.AuthenticatorEnrollmentPhoneProfile{PhoneNumber: number},
			}))
			pid := deref(pe.Id)
			if pid == "" || deref(pe.Key) != "phone_number" || deref(pe.Status) != "ACTIVE" {
				t.Errorf("phone enrollment %+v, want an id, phone_number, ACTIVE", pe)
			}
			pg := must[*oktaclient.AuthenticatorEnrollment](t, "GetAuthenticatorEnrollment")(e.c.GetAuthenticatorEnrollment(e.ctx, user, pid,
				&oktaclient.GetAuthenticatorEnrollmentOptions{DiscloseIdentifiers: []string{"phone"}}))
			if deref(pg.Id) != pid || pg.Profile == nil || deref(pg.Profile.PhoneNumber) != number {
				t.Errorf("GetAuthenticatorEnrollment = %+v, want %s with %s", pg, pid, number)
			}

			// TAC: create (the code comes only now) → get (no code) → list.
			te := must[*oktaclient.TACAuthenticatorEnrollment](t, "CreateTACAuthenticatorEnrollment")(e.c.CreateTACAuthenticatorEnrollment(e.ctx, user, oktaclient.TACAuthenticatorEnrollmentCreateRequest{
				AuthenticatorId: e.authID(t, "tac"),
			}))
			tid := deref(te.Id)
			if tid == "" || deref(te.Key) != "tac" || te.Profile == nil || len(deref(te.Profile.Tac)) != 16 || deref(te.Profile.ExpiresAt) == "" {
				t.Errorf("TAC enrollment %+v (profile %+v), want an id, key tac, a 16-character code and an expiry", te, deref(te.Profile))
			}
			tg := must[*oktaclient.AuthenticatorEnrollment](t, "GetAuthenticatorEnrollment(tac)")(e.c.GetAuthenticatorEnrollment(e.ctx, user, tid, nil))
			if deref(tg.Id) != tid || deref(tg.Key) != "tac" {
				t.Errorf("GetAuthenticatorEnrollment(tac) = %+v", tg)
			}
			if ids := enrollmentIDs(list()); len(ids) != 3 || !slices.Contains(ids, pid) || !slices.Contains(ids, tid) {
				t.Errorf("enrollments after create %v, want 3 including %s and %s", ids, pid, tid)
			}

			for _, id := range []string{pid, tid} {
				if err := e.c.DeleteAuthenticatorEnrollment(e.ctx, user, id); err != nil {
					t.Fatalf("DeleteAuthenticatorEnrollment(%s): %v", id, err)
				}
				_, err := e.c.GetAuthenticatorEnrollment(e.ctx, user, id, nil)
				wantOktaError(t, "GetAuthenticatorEnrollment(deleted)", err, http.StatusNotFound, "E0000007", oktaclient.ErrNotFound)
			}
			if ids := enrollmentIDs(list()); !slices.Equal(ids, initial) {
				t.Errorf("enrollments after delete %v, want %v", ids, initial)
			}
		},
	},
	{
		name:   "well-known app authenticator configuration",
		covers: []string{oktatest.OpGetWellKnownAppAuthenticatorConfiguration},
		run: func(t *testing.T, e *e2eEnv) {
			app := e.authID(t, "custom_app")
			cfgs := must[[]oktaclient.AppAuthenticatorConfiguration](t, "GetWellKnownAppAuthenticatorConfiguration")(e.c.GetWellKnownAppAuthenticatorConfiguration(e.ctx, oktatest.SeedOAuthClientID))
			if len(cfgs) != 1 {
				t.Fatalf("%d configurations for %s, want 1", len(cfgs), oktatest.SeedOAuthClientID)
			}
			c := cfgs[0]
			if deref(c.AuthenticatorId) != app || string(deref(c.Key)) != "custom_app" || deref(c.Name) != "Acme Push" || deref(c.AppAuthenticatorEnrollEndpoint) == "" {
				t.Errorf("configuration %+v, want the seeded custom_app %s", c, app)
			}
			if c.SupportedMethods == nil || len(*c.SupportedMethods) != 1 || string(deref((*c.SupportedMethods)[0].Type)) != "push" {
				t.Errorf("supportedMethods %+v, want push", c.SupportedMethods)
			}
			if other := must[[]oktaclient.AppAuthenticatorConfiguration](t, "GetWellKnownAppAuthenticatorConfiguration(other)")(e.c.GetWellKnownAppAuthenticatorConfiguration(e.ctx, "0oa1someOtherApp00g4")); len(other) != 0 {
				t.Errorf("%d configurations for an unknown client id, want 0", len(other))
			}
			// It needs no credentials: a client with a bad token still gets it, and
			// is refused elsewhere.
			bad, err := oktaclient.New(e.srv.URL, oktaclient.WithAPIToken("00not-the-right-token"), oktaclient.WithRetry(e2eRetry))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(bad.CloseIdleConnections)
			if cfgs := must[[]oktaclient.AppAuthenticatorConfiguration](t, "well-known with a bad token")(bad.GetWellKnownAppAuthenticatorConfiguration(e.ctx, oktatest.SeedOAuthClientID)); len(cfgs) != 1 {
				t.Errorf("with a bad token: %d configurations, want 1", len(cfgs))
			}
			_, err = bad.ListAuthenticators(e.ctx)
			wantOktaError(t, "ListAuthenticators with a bad token", err, http.StatusUnauthorized, "E0000011", oktaclient.ErrUnauthorized)
		},
	},
}

// TestFakeE2E runs every scenario against its own fake org.
func TestFakeE2E(t *testing.T) {
	for _, sc := range e2eScenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			e := newE2E(t)
			sc.run(t, e)
			for _, op := range sc.covers {
				if n := e.srv.CallCount(op); n == 0 {
					t.Errorf("scenario claims %s but never reached its handler", op)
				}
			}
		})
	}
}

// TestFakeE2ECoversEveryOperation keeps the scenarios in step with
// api.Operations: every Okta operation is exercised by some scenario (and is
// a method of *oktaclient.Client), and no scenario names an unknown one.
func TestFakeE2ECoversEveryOperation(t *testing.T) {
	covered := map[string]bool{}
	for _, sc := range e2eScenarios {
		for _, op := range sc.covers {
			covered[op] = true
		}
	}
	client := reflect.TypeFor[*oktaclient.Client]()
	n := 0
	for _, op := range api.Operations {
		if op.Provider != api.ProviderOkta {
			continue
		}
		n++
		if !covered[op.OperationID] {
			t.Errorf("no scenario covers %s (Client.%s)", op.OperationID, op.GoMethod)
		}
		if _, ok := client.MethodByName(op.GoMethod); !ok {
			t.Errorf("*oktaclient.Client has no method %s for %s", op.GoMethod, op.OperationID)
		}
		delete(covered, op.OperationID)
	}
	for op := range covered {
		t.Errorf("a scenario covers %q, which is not an Okta operation of api.Operations", op)
	}
	if n != 34 {
		t.Errorf("api.Operations has %d Okta operations, want 34", n)
	}
}

// TestFakeE2ERateLimit spends a one-request budget: the second call gets the
// fake's 429 E0000047. The window is a minute and the client may wait at most
// 1 ms, so it gives up at once, deterministically, with a typed error.
// (The client's sleep cannot be injected from outside the package, so the
// wait-and-succeed path is covered by the package's internal tests.)
func TestFakeE2ERateLimit(t *testing.T) {
	e := newE2E(t, oktatest.WithRateLimit(oktatest.OpGetAuthenticator, 1, time.Minute))
	id := e.authID(t, "okta_verify")
	if a := must[oktaclient.Authenticator](t, "first GetAuthenticator")(e.c.GetAuthenticator(e.ctx, id)); a.Key() != oktaclient.KeyOktaVerify {
		t.Errorf("first call: key %s", a.Key())
	}
	_, err := e.c.GetAuthenticator(e.ctx, id)
	re := wantOktaError(t, "second GetAuthenticator", err, http.StatusTooManyRequests, "E0000047", oktaclient.ErrRateLimited)
	if re.RateLimit.Limit != 1 || re.RateLimit.Remaining != 0 || re.RateLimit.Reset.IsZero() {
		t.Errorf("RateLimit %+v, want limit 1, remaining 0 and a reset", re.RateLimit)
	}
	if re.RetryAfter < 50*time.Second || re.RetryAfter > time.Minute {
		t.Errorf("RetryAfter %v, want about the minute left in the window", re.RetryAfter)
	}
	if re.Method != http.MethodGet || re.Path != "/api/v1/authenticators/"+id {
		t.Errorf("error names %s %s", re.Method, re.Path)
	}
	if n := e.srv.CallCount(oktatest.OpGetAuthenticator); n != 2 {
		t.Errorf("CallCount = %d, want 2 (the 429 was not retried)", n)
	}
	// Other operations have their own budget.
	if as := must[[]oktaclient.Authenticator](t, "ListAuthenticators")(e.c.ListAuthenticators(e.ctx)); len(as) != 17 {
		t.Errorf("ListAuthenticators: %d", len(as))
	}
	// Once the window has passed, the budget is back.
	e.clock.Advance(time.Minute + time.Second)
	must[oktaclient.Authenticator](t, "GetAuthenticator after the window")(e.c.GetAuthenticator(e.ctx, id))
}

// TestFakeE2EFaults injects failures and checks the client's retry policy
// against the fake: transient statuses are retried for idempotent requests
// only, and a proxy's HTML page is a typed error.
func TestFakeE2EFaults(t *testing.T) {
	t.Run("503 on a GET is retried", func(t *testing.T) {
		e := newE2E(t)
		e.srv.FailNext(1, http.StatusServiceUnavailable)
		as := must[[]oktaclient.Authenticator](t, "ListAuthenticators")(e.c.ListAuthenticators(e.ctx))
		if len(as) != 17 {
			t.Errorf("ListAuthenticators after a 503: %d authenticators, want 17", len(as))
		}
		if n := e.srv.CallCount(oktatest.OpListAuthenticators); n != 2 {
			t.Errorf("CallCount = %d, want 2 (the 503, then the retry)", n)
		}
	})
	t.Run("503s past the attempt budget", func(t *testing.T) {
		e := newE2E(t)
		e.srv.FailNext(10, http.StatusServiceUnavailable)
		_, err := e.c.GetFactor(e.ctx, oktatest.SeedUserAda, e.factorID(t, oktatest.SeedUserAda, "sms"))
		wantOktaError(t, "GetFactor through 503s", err, http.StatusServiceUnavailable, "E0000009", oktaclient.ErrServer)
		if n := e.srv.CallCount(oktatest.OpGetFactor); n != 4 {
			t.Errorf("CallCount = %d, want the default 4 attempts", n)
		}
		e.srv.ClearFaults()
	})
	t.Run("HTML 502 on a POST is not retried", func(t *testing.T) {
		e := newE2E(t)
		phone := e.authID(t, "phone_number")
		e.srv.HTMLNext(http.StatusBadGateway)
		_, err := e.c.DeactivateAuthenticator(e.ctx, phone)
		he := wantOktaError(t, "DeactivateAuthenticator behind a 502 page", err, http.StatusBadGateway, "", oktaclient.ErrServer)
		if he.ErrorCode != "" || he.Body == "" || !strings.Contains(strings.ToLower(he.Body), "html") {
			t.Errorf("HTML error: code %q body %q, want no code and an excerpt of the page", he.ErrorCode, he.Body)
		}
		if he.Method != http.MethodPost {
			t.Errorf("error method %s", he.Method)
		}
		if n := e.srv.CallCount(oktatest.OpDeactivateAuthenticator); n != 1 {
			t.Errorf("CallCount = %d, want 1 (a POST is not retried)", n)
		}
		// The fault answered in Okta's place: nothing changed.
		a := must[oktaclient.Authenticator](t, "GetAuthenticator")(e.c.GetAuthenticator(e.ctx, phone))
		if a.Common().Status != oktaclient.LifecycleStatusActive {
			t.Errorf("phone is %s after the failed deactivate, want ACTIVE", a.Common().Status)
		}
	})
	t.Run("503 on a POST is not retried", func(t *testing.T) {
		e := newE2E(t)
		e.srv.FailNext(1, http.StatusServiceUnavailable)
		_, err := e.c.VerifyFactor(e.ctx, oktatest.SeedUserAlan, e.factorID(t, oktatest.SeedUserAlan, "question"),
			oktaclient.FactorVerifyRequest{Answer: oktaclient.Ptr(oktatest.SeedAnswer)}, nil)
		wantOktaError(t, "VerifyFactor behind a 503", err, http.StatusServiceUnavailable, "E0000009", oktaclient.ErrServer)
		if n := e.srv.CallCount(oktatest.OpVerifyFactor); n != 1 {
			t.Errorf("CallCount = %d, want 1", n)
		}
	})
}

package oktatest_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	okta "github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

func TestAuthenticatorEnrollments(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	ada := oktatest.SeedUserAda

	list, err := c.ListAuthenticatorEnrollmentsWithResponse(ctx, ada, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "list", list.HTTPResponse, list.Body, http.StatusOK)
	var phoneID string
	keys := map[string]bool{}
	for _, e := range *list.JSON200 {
		keys[*e.Key] = true
		if *e.Key == "phone_number" {
			phoneID = *e.Id
			if got := *e.Profile.PhoneNumber; got != "+1 XXX-XXX-0101" {
				t.Errorf("masked phone = %q", got)
			}
		}
	}
	for _, k := range []string{"okta_password", "okta_email", "phone_number", "okta_verify", "webauthn"} {
		if !keys[k] {
			t.Errorf("no %s enrollment", k)
		}
	}
	// discloseIdentifiers=phone shows the number.
	got, err := c.GetAuthenticatorEnrollmentWithResponse(ctx, ada, phoneID, &okta.GetAuthenticatorEnrollmentParams{DiscloseIdentifiers: &[]string{"phone"}})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "get disclosed", got.HTTPResponse, got.Body, http.StatusOK)
	if p := *got.JSON200.Profile.PhoneNumber; p != "+14155550101" {
		t.Errorf("disclosed phone = %q", p)
	}
	disclosed, err := c.ListAuthenticatorEnrollmentsWithResponse(ctx, ada, &okta.ListAuthenticatorEnrollmentsParams{DiscloseIdentifiers: &[]string{"phone"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(disclosed.Body), "+14155550101") {
		t.Errorf("list with discloseIdentifiers=phone: %s", disclosed.Body)
	}

	// Create a phone enrollment for a fresh user; it is active at once.
	m := oktatest.SeedUserMargaret
	phoneAuth := mustID(t, srv, "phone_number")
	cr, err := c.CreateAuthenticatorEnrollmentWithResponse(ctx, m, okta.AuthenticatorEnrollmentCreateRequest{
		AuthenticatorId: phoneAuth, Profile: okta.AuthenticatorEnrollmentPhoneProfile{PhoneNumber: "+14086673418"},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "create phone", cr.HTTPResponse, cr.Body, http.StatusOK)
	if e := cr.JSON200; *e.Status != "ACTIVE" || *e.Key != "phone_number" || e.UnderscoreLinks.Authenticator.Href != srv.URL+"/api/v1/authenticators/"+phoneAuth {
		t.Errorf("created: %s", cr.Body)
	}
	// A bad number, and the wrong authenticator, are 400 with causes.
	for name, req := range map[string]okta.AuthenticatorEnrollmentCreateRequest{
		"bad number":   {AuthenticatorId: phoneAuth, Profile: okta.AuthenticatorEnrollmentPhoneProfile{PhoneNumber: "408-667"}},
		"not phone":    {AuthenticatorId: mustID(t, srv, "okta_email"), Profile: okta.AuthenticatorEnrollmentPhoneProfile{PhoneNumber: "+14086673419"}},
		"already used": {AuthenticatorId: phoneAuth, Profile: okta.AuthenticatorEnrollmentPhoneProfile{PhoneNumber: "+14086673418"}},
	} {
		r, err := c.CreateAuthenticatorEnrollmentWithResponse(ctx, m, req)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, name, r.HTTPResponse, r.Body, http.StatusBadRequest)
		if _, causes := wantOktaError(t, name, r.JSON400, "E0000001"); len(causes) != 1 {
			t.Errorf("%s: causes %q", name, causes)
		}
	}

	// Delete it again.
	del, err := c.DeleteAuthenticatorEnrollmentWithResponse(ctx, m, *cr.JSON200.Id)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "delete", del.HTTPResponse, del.Body, http.StatusNoContent)
	if n := len(srv.Enrollments(m)); n != 1 {
		t.Errorf("%d enrollments after delete, want the password one", n)
	}
}

func TestTACEnrollment(t *testing.T) {
	clk := newClock()
	srv, c := newFake(t, oktatest.WithClock(clk.Now))
	ctx := context.Background()
	tac := mustID(t, srv, "tac")
	m := oktatest.SeedUserMargaret

	issue := func(ttl string, multi bool) *okta.CreateTacAuthenticatorEnrollmentResponse {
		t.Helper()
		r, err := c.CreateTacAuthenticatorEnrollmentWithResponse(ctx, m, okta.AuthenticatorEnrollmentCreateRequestTac{
			AuthenticatorId: tac, Profile: &okta.AuthenticatorEnrollmentTacProfileRequest{Ttl: &ttl, MultiUse: &multi},
		})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := issue("60", false)
	wantStatus(t, "tac", r.HTTPResponse, r.Body, http.StatusOK)
	p := r.JSON200.Profile
	if p == nil || p.Tac == nil || len(*p.Tac) != 16 || *p.ExpiresAt != clk.Now().Add(time.Hour).Format("2006-01-02T15:04:05") {
		t.Fatalf("tac: %s", r.Body)
	}
	// The code is shown once: reading the enrollment back does not show it.
	g, err := c.GetAuthenticatorEnrollmentWithResponse(ctx, m, *r.JSON200.Id, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "get tac", g.HTTPResponse, g.Body, http.StatusOK)
	if strings.Contains(string(g.Body), *p.Tac) {
		t.Error("the TAC is returned after creation")
	}
	// A new code replaces the old enrollment.
	r2 := issue("120", true)
	wantStatus(t, "second tac", r2.HTTPResponse, r2.Body, http.StatusOK)
	n := 0
	for _, e := range srv.Enrollments(m) {
		if e.Key == "tac" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d TAC enrollments, want 1", n)
	}
	bad := issue("5", false)
	wantStatus(t, "ttl too short", bad.HTTPResponse, bad.Body, http.StatusBadRequest)
	wantOktaError(t, "ttl too short", bad.JSON400, "E0000001")
}

func selfSignedX5C(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Test Root"},
		NotBefore: time.Now(), NotAfter: time.Now().AddDate(1, 0, 0), IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(der)
}

func TestCustomAAGUIDs(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	wa := mustID(t, srv, "webauthn")

	list, err := c.ListAllCustomAAGUIDsWithResponse(ctx, wa)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "list", list.HTTPResponse, list.Body, http.StatusOK)
	if n := len(*list.JSON200); n != 2 {
		t.Fatalf("%d seeded AAGUIDs, want 2", n)
	}
	seeded, err := c.GetCustomAAGUIDWithResponse(ctx, wa, oktatest.SeedAAGUID)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "get", seeded.HTTPResponse, seeded.Body, http.StatusOK)
	certs := *seeded.JSON200.AttestationRootCertificates
	if len(certs) != 1 || certs[0].X5tS256 == nil || certs[0].Iss == nil || !strings.Contains(*certs[0].Iss, "oktatest") {
		t.Errorf("seeded certificate: %s", seeded.Body)
	}

	const id = "9c835346-796b-4c27-8898-d6032f515cc5"
	x5c := selfSignedX5C(t)
	cr, err := c.CreateCustomAAGUIDWithResponse(ctx, wa, okta.CustomAAGUIDCreateRequestObject{
		Aaguid: ptr(id), Name: ptr("Test Key"),
		AttestationRootCertificates:  &okta.AttestationRootCertificatesRequest{{X5c: &x5c}},
		AuthenticatorCharacteristics: &okta.AAGUIDAuthenticatorCharacteristics{FipsCompliant: ptr(false), HardwareProtected: ptr(true), PlatformAttached: ptr(false)},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "create", cr.HTTPResponse, cr.Body, http.StatusOK)
	if *cr.JSON200.Aaguid != id || *(*cr.JSON200.AttestationRootCertificates)[0].Iss != "CN=Test Root" {
		t.Errorf("created: %s", cr.Body)
	}
	// A certificate that is not one is refused, as is a duplicate.
	for name, req := range map[string]okta.CustomAAGUIDCreateRequestObject{
		"bad certificate": {Aaguid: ptr("00000000-0000-0000-0000-000000000001"), AttestationRootCertificates: &okta.AttestationRootCertificatesRequest{{X5c: ptr("MIIDHjCCAgagAwIBAgIEG0BT9zANBgkqhkiG9w0BAQsFADAu")}}},
		"duplicate":       {Aaguid: ptr(id)},
	} {
		r, err := c.CreateCustomAAGUIDWithResponse(ctx, wa, req)
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, name, r.HTTPResponse, r.Body, http.StatusBadRequest)
		wantOktaError(t, name, r.JSON400, "E0000001")
	}

	// PATCH changes only what it names (JSON merge patch).
	pr, err := c.UpdateCustomAAGUIDWithApplicationMergePatchPlusJSONBodyWithResponse(ctx, wa, id, okta.CustomAAGUIDUpdateRequestObject{
		AuthenticatorCharacteristics: &okta.AAGUIDAuthenticatorCharacteristics{FipsCompliant: ptr(true)},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "patch", pr.HTTPResponse, pr.Body, http.StatusOK)
	ch := pr.JSON200.AuthenticatorCharacteristics
	if *pr.JSON200.Name != "Test Key" || !*ch.FipsCompliant || !*ch.HardwareProtected || pr.JSON200.AttestationRootCertificates == nil {
		t.Errorf("patched: %s", pr.Body)
	}
	// PUT replaces everything.
	rr, err := c.ReplaceCustomAAGUIDWithResponse(ctx, wa, id, okta.CustomAAGUIDUpdateRequestObject{Name: ptr("Renamed Key")})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "put", rr.HTTPResponse, rr.Body, http.StatusOK)
	if *rr.JSON200.Name != "Renamed Key" || rr.JSON200.AttestationRootCertificates != nil || rr.JSON200.AuthenticatorCharacteristics != nil {
		t.Errorf("replaced: %s", rr.Body)
	}
	del, err := c.DeleteCustomAAGUIDWithResponse(ctx, wa, id)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "delete", del.HTTPResponse, del.Body, http.StatusNoContent)
	again, err := c.GetCustomAAGUIDWithResponse(ctx, wa, id)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "get deleted", again.HTTPResponse, again.Body, http.StatusNotFound)

	// Only a webauthn authenticator has custom AAGUIDs.
	other, err := c.ListAllCustomAAGUIDsWithResponse(ctx, mustID(t, srv, "okta_email"))
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "email aaguids", other.HTTPResponse, other.Body, http.StatusNotFound)
}

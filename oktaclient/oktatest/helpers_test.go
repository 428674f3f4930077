package oktatest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

func TestWithoutSeedStartsEmpty(t *testing.T) {
	srv, c := newFake(t, oktatest.WithoutSeed())
	r, err := c.ListAuthenticatorsWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "list", r.HTTPResponse, r.Body, http.StatusOK)
	if len(*r.JSON200) != 0 || len(srv.Users()) != 0 {
		t.Errorf("unseeded server has %d authenticators, %d users", len(*r.JSON200), len(srv.Users()))
	}
}

func TestStateHelpers(t *testing.T) {
	srv, c := newFake(t, oktatest.WithoutSeed())
	ctx := context.Background()

	uid, err := srv.AddUser(oktatest.User{Login: "kay@example.com", FirstName: "Kay"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddUser(oktatest.User{Login: "kay@example.com"}); !errors.Is(err, oktatest.ErrInvalid) {
		t.Errorf("duplicate login: %v", err)
	}
	if u := srv.Users(); len(u) != 1 || u[0].Email != "kay@example.com" {
		t.Errorf("Users() = %+v", u)
	}

	aid, err := srv.AddAuthenticator(oktatest.Authenticator{Key: "phone_number", Settings: map[string]any{"allowedFor": "recovery"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddAuthenticator(oktatest.Authenticator{Key: "phone_number"}); !errors.Is(err, oktatest.ErrInvalid) {
		t.Errorf("second phone authenticator: %v", err)
	}
	if _, err := srv.AddAuthenticator(oktatest.Authenticator{Key: "carrier_pigeon"}); !errors.Is(err, oktatest.ErrInvalid) {
		t.Errorf("unknown key: %v", err)
	}
	got, err := c.GetAuthenticatorWithResponse(ctx, aid)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "get added", got.HTTPResponse, got.Body, http.StatusOK)
	p, err := got.JSON200.AsAuthenticatorKeyPhone()
	if err != nil {
		t.Fatal(err)
	}
	if *p.Name != "Phone" || string(*p.Settings.AllowedFor) != "recovery" {
		t.Errorf("added authenticator: %s", got.Body)
	}
	methods, err := c.ListAuthenticatorMethodsWithResponse(ctx, aid)
	if err != nil {
		t.Fatal(err)
	}
	if len(*methods.JSON200) != 2 {
		t.Errorf("default phone methods: %s", methods.Body)
	}

	if _, err := srv.AddFactor("00uNOPE", oktatest.Factor{FactorType: "sms"}); !errors.Is(err, oktatest.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
	if _, err := srv.AddFactor(uid, oktatest.Factor{FactorType: "question", Profile: map[string]any{"question": "disliked_food"}}); !errors.Is(err, oktatest.ErrInvalid) {
		t.Errorf("question without answer: %v", err)
	}
	fid, err := srv.AddFactor(uid, oktatest.Factor{FactorType: "token:software:totp", Status: "PENDING_ACTIVATION"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.GetFactorWithResponse(ctx, uid, fid)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "get factor", f.HTTPResponse, f.Body, http.StatusOK)
	secret, _ := srv.TOTPSecret(uid, fid)
	if ff := factorOf(t, f.JSON200); ff.Status != "PENDING_ACTIVATION" || ff.Embedded["activation"].(map[string]any)["sharedSecret"] != secret {
		t.Errorf("added factor: %s", f.Body)
	}
	if fs := srv.Factors(uid); len(fs) != 1 || fs[0].SharedSecret != secret || fs[0].UserID != uid {
		t.Errorf("Factors() = %+v", fs)
	}

	eid, err := srv.AddEnrollment(uid, oktatest.Enrollment{Key: "phone_number", PhoneNumber: "+447700900123", Nickname: "work"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddEnrollment(uid, oktatest.Enrollment{Key: "phone_number", PhoneNumber: "07700 900123"}); !errors.Is(err, oktatest.ErrInvalid) {
		t.Errorf("bad number: %v", err)
	}
	e, err := c.GetAuthenticatorEnrollmentWithResponse(ctx, uid, eid, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "get enrollment", e.HTTPResponse, e.Body, http.StatusOK)
	if *e.JSON200.Nickname != "work" || *e.JSON200.Profile.PhoneNumber != "+XXXXXXXX0123" || *e.JSON200.Type != "phone" {
		t.Errorf("added enrollment: %s", e.Body)
	}
}

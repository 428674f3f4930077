package oneloginclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfakit/mfakit/wrappers"
)

// TestOperationsWire checks that every operation sends the right method,
// path, headers and body, and decodes the real wire format (numbers as
// strings included). The base URL is given with a trailing slash, which New
// accepts (any other path it refuses), so a doubled slash would fail.
func TestOperationsWire(t *testing.T) {
	const prefix = ""
	type reply struct {
		status int
		body   string
	}
	routes := map[string]reply{
		"GET " + prefix + "/api/1/users/42/auth_factors": {200, okEnvelope(`{"auth_factors":[{"name":"OneLogin SMS","factor_id":16282},{"name":"Google Authenticator","factor_id":"16285"}]}`)},
		"GET " + prefix + "/api/1/users/42/otp_devices": {200, okEnvelope(`{"otp_devices":[
			{"id":525509,"active":true,"default":true,"needs_trigger":true,"auth_factor_name":"OneLogin","type_display_name":"OneLogin Protect","user_display_name":"Ada's phone"},
			{"id":"525509","active":true,"default":false,"needs_trigger":false,"auth_factor_name":"OneLogin","type_display_name":"OneLogin Protect","user_display_name":"Ada's phone"},
			{"id":525510,"active":false,"default":false,"needs_trigger":true,"state_token":"st-1","auth_factor_name":"OneLogin SMS","phone_number":"+15555550100","type_display_name":"SMS","user_display_name":"Work phone"}]}`)},
		"POST " + prefix + "/api/1/users/42/otp_devices":                {200, okEnvelope(`[{"id":"525520","active":false,"default":false,"needs_trigger":true,"state_token":"st-enrol","auth_factor_name":"OneLogin SMS","phone_number":"+15555550100","type_display_name":"SMS","user_display_name":"Work phone"}]`)},
		"POST " + prefix + "/api/1/users/42/otp_devices/525520/trigger": {200, okEnvelope(`[{"id":"42","device_id":525520,"user_display_name":"Work phone","active":false,"state_token":"st-act","auth_factor_name":"OneLogin SMS","type_display_name":"SMS","state_token_expires_at":"2030-01-02T03:04:05.000Z"}]`)},
		"POST " + prefix + "/api/1/users/42/otp_devices/525520/verify":  {200, okEnvelope("")},
		"DELETE " + prefix + "/api/1/users/42/otp_devices/525520":       {200, okEnvelope("")},
		"POST " + prefix + "/api/1/users/42/mfa_token":                  {200, `{"mfa_token":"55647655","reusable":true,"expires_at":"2019-01-16T22:16:38.000Z"}`},
	}
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		rep, ok := routes[r.Method+" "+r.URL.Path]
		if !ok {
			writeJSON(w, 404, `{"status":{"error":true,"code":404,"type":"not found","message":"No Route Exists"}}`)
			return
		}
		writeJSON(w, rep.status, rep.body)
	})
	fs := &fakeSleep{}
	c, err := New(s.URL+prefix+"/", WithClientCredentials(testClientID, testClientSecret), withSleep(fs.Sleep), WithUserAgent("ua-test/1"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()

	factors, err := c.ListAvailableFactors(ctx, 42)
	if err != nil {
		t.Fatalf("ListAvailableFactors: %v", err)
	}
	if want := []AvailableFactor{{16282, "OneLogin SMS"}, {16285, "Google Authenticator"}}; !reflect.DeepEqual(factors, want) {
		t.Errorf("ListAvailableFactors = %+v, want %+v", factors, want)
	}

	devs, err := c.ListEnrolledFactors(ctx, 42)
	if err != nil {
		t.Fatalf("ListEnrolledFactors: %v", err)
	}
	if len(devs) != 3 || devs[0].ID != 525509 || devs[1].ID != 525509 || devs[2].ID != 525510 {
		t.Fatalf("ListEnrolledFactors = %+v, want both 525509 entries and 525510, in order", devs)
	}
	if !devs[0].NeedsTrigger || devs[1].NeedsTrigger {
		t.Errorf("the push and code entries of 525509 were merged or swapped: %+v", devs[:2])
	}
	if want := (Device{ID: 525510, NeedsTrigger: true, StateToken: "st-1", AuthFactorName: "OneLogin SMS",
		PhoneNumber: "+15555550100", TypeDisplayName: "SMS", UserDisplayName: "Work phone"}); devs[2] != want {
		t.Errorf("device = %+v, want %+v", devs[2], want)
	}

	dev, err := c.EnrollFactor(ctx, 42, EnrollRequest{FactorID: 16282, DisplayName: "Work phone", Number: "+15555550100"})
	if err != nil {
		t.Fatalf("EnrollFactor: %v", err)
	}
	if dev.ID != 525520 || dev.StateToken != "st-enrol" || dev.Active {
		t.Errorf("EnrollFactor = %+v", dev)
	}

	act, err := c.ActivateFactor(ctx, 42, 525520, ActivateRequest{StateTokenExpiresIn: 300 * time.Second, NumericSMSOTP: true, SMSMessage: "code {{otp_code}}"})
	if err != nil {
		t.Fatalf("ActivateFactor: %v", err)
	}
	wantAct := ActivationResult{UserID: 42, DeviceID: 525520, StateToken: "st-act", AuthFactorName: "OneLogin SMS",
		TypeDisplayName: "SMS", UserDisplayName: "Work phone", StateTokenExpiresAt: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	if !reflect.DeepEqual(*act, wantAct) {
		t.Errorf("ActivateFactor = %+v, want %+v", *act, wantAct)
	}

	if err := c.VerifyFactor(ctx, 42, 525520, VerifyRequest{StateToken: "st-act", OTP: "123456"}); err != nil {
		t.Errorf("VerifyFactor: %v", err)
	}
	tok, err := c.GenerateMFAToken(ctx, 42, MFATokenRequest{ExpiresIn: time.Hour, Reusable: true})
	if err != nil {
		t.Fatalf("GenerateMFAToken: %v", err)
	}
	if tok.Token.Reveal() != "55647655" || !tok.Reusable || !tok.ExpiresAt.Equal(time.Date(2019, 1, 16, 22, 16, 38, 0, time.UTC)) {
		t.Errorf("GenerateMFAToken = %+v (token %q)", tok, tok.Token.Reveal())
	}
	if err := c.RemoveFactor(ctx, 42, 525520); err != nil {
		t.Errorf("RemoveFactor: %v", err)
	}

	reqs := s.Requests()
	want := []struct{ method, path, body string }{
		{"GET", "/api/1/users/42/auth_factors", ""},
		{"GET", "/api/1/users/42/otp_devices", ""},
		{"POST", "/api/1/users/42/otp_devices", `{"display_name":"Work phone","factor_id":16282,"number":"+15555550100"}`},
		{"POST", "/api/1/users/42/otp_devices/525520/trigger", `{"numeric_sms_otp":true,"sms_message":"code {{otp_code}}","state_token_expires_in":300}`},
		{"POST", "/api/1/users/42/otp_devices/525520/verify", `{"otp_token":"123456","state_token":"st-act"}`},
		{"POST", "/api/1/users/42/mfa_token", `{"expires_in":3600,"reusable":true}`},
		{"DELETE", "/api/1/users/42/otp_devices/525520", ""},
	}
	if len(reqs) != len(want) {
		t.Fatalf("got %d requests, want %d: %+v", len(reqs), len(want), reqs)
	}
	for i, w := range want {
		r := reqs[i]
		if r.Method != w.method || r.Path != prefix+w.path || r.Query != "" {
			t.Errorf("request %d = %s %s?%s, want %s %s", i, r.Method, r.Path, r.Query, w.method, prefix+w.path)
		}
		if r.Auth != "Bearer "+testTokenPrefix+"1" {
			t.Errorf("request %d Authorization = %q, want the bearer token", i, r.Auth)
		}
		if w.body == "" {
			if r.Body != "" {
				t.Errorf("request %d body = %q, want none", i, r.Body)
			}
			continue
		}
		if !strings.HasPrefix(r.ContentType, "application/json") {
			t.Errorf("request %d Content-Type = %q", i, r.ContentType)
		}
		if !jsonEqual(t, r.Body, w.body) {
			t.Errorf("request %d body = %s, want %s", i, r.Body, w.body)
		}
	}
	if tr := s.TokenRequests(); len(tr) != 1 || tr[0].Path != prefix+TokenPath {
		t.Errorf("token requests = %+v, want one to %s", tr, prefix+TokenPath)
	}
}

func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Errorf("not JSON: %s", a)
		return false
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	return reflect.DeepEqual(x, y)
}

// TestTokenRequestShape: the token request is one of the two forms OneLogin
// documents: a form-encoded POST of grant_type=client_credentials with
// client_id and client_secret in the body, no Authorization header (not
// HTTP Basic with a form body, which is neither form) and no scope.
func TestTokenRequestShape(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, okEnvelope(`{"otp_devices":[]}`)) })
	c, _ := s.client(t)
	devs, err := c.ListEnrolledFactors(context.Background(), 1)
	if err != nil || devs == nil || len(devs) != 0 {
		t.Fatalf("ListEnrolledFactors = %v, %v; want an empty, non-nil list", devs, err)
	}
	tr := s.TokenRequests()
	if len(tr) != 1 {
		t.Fatalf("token requests = %d, want 1", len(tr))
	}
	r := tr[0]
	if r.Method != http.MethodPost || r.Auth != "" {
		t.Errorf("token request %s with Authorization %q, want POST without Authorization", r.Method, r.Auth)
	}
	form, err := url.ParseQuery(r.Body)
	if err != nil {
		t.Fatalf("token request body %q: %v", r.Body, err)
	}
	want := url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {testClientSecret}}
	if !reflect.DeepEqual(form, want) {
		t.Errorf("token request form = %v, want exactly grant_type, client_id and client_secret (no scope)", form)
	}
	if !strings.HasPrefix(r.ContentType, "application/x-www-form-urlencoded") {
		t.Errorf("token request Content-Type = %q", r.ContentType)
	}
}

func TestArgumentValidation(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent: %s %s", r.Method, r.URL.Path) })
	c, _ := s.client(t)
	ctx := context.Background()
	var nilCtx context.Context
	tests := []struct {
		name string
		call func() error
	}{
		{"nil context", func() error { _, err := c.ListEnrolledFactors(nilCtx, 1); return err }},
		{"zero user", func() error { _, err := c.ListAvailableFactors(ctx, 0); return err }},
		{"negative user", func() error { _, err := c.ListEnrolledFactors(ctx, -5); return err }},
		{"enroll without factor", func() error { _, err := c.EnrollFactor(ctx, 1, EnrollRequest{DisplayName: "x"}); return err }},
		{"enroll without name", func() error { _, err := c.EnrollFactor(ctx, 1, EnrollRequest{FactorID: 3}); return err }},
		{"activate device 0", func() error { _, err := c.ActivateFactor(ctx, 1, 0, ActivateRequest{}); return err }},
		{"activate short lifetime", func() error {
			_, err := c.ActivateFactor(ctx, 1, 2, ActivateRequest{StateTokenExpiresIn: time.Minute})
			return err
		}},
		{"activate long lifetime", func() error {
			_, err := c.ActivateFactor(ctx, 1, 2, ActivateRequest{StateTokenExpiresIn: time.Hour})
			return err
		}},
		{"activate fractional lifetime", func() error {
			_, err := c.ActivateFactor(ctx, 1, 2, ActivateRequest{StateTokenExpiresIn: 150*time.Second + time.Millisecond})
			return err
		}},
		{"verify nothing", func() error { return c.VerifyFactor(ctx, 1, 2, VerifyRequest{}) }},
		{"verify device 0 without otp", func() error { return c.VerifyFactor(ctx, 1, 0, VerifyRequest{StateToken: "x"}) }},
		{"verify negative device", func() error { return c.VerifyFactor(ctx, 1, -1, VerifyRequest{OTP: "1"}) }},
		{"remove device 0", func() error { return c.RemoveFactor(ctx, 1, 0) }},
		{"mfa token too short", func() error {
			_, err := c.GenerateMFAToken(ctx, 1, MFATokenRequest{ExpiresIn: time.Second})
			return err
		}},
		{"mfa token too long", func() error {
			_, err := c.GenerateMFAToken(ctx, 1, MFATokenRequest{ExpiresIn: 73 * time.Hour})
			return err
		}},
		{"poll without state token", func() error { return c.PollPush(ctx, 1, 2, "", PollOptions{}) }},
		{"poll negative interval", func() error { return c.PollPush(ctx, 1, 2, "st", PollOptions{Interval: -time.Second}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("err = %v, want ErrInvalidArgument", err)
			}
		})
	}
	if n := len(s.Requests()) + len(s.TokenRequests()); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

// TestBodyCap: a success body over WithMaxBodyBytes is refused with an error
// matching wrappers.ErrBodyTooLarge, naming the operation.
func TestBodyCap(t *testing.T) {
	big := okEnvelope(`{"otp_devices":[` + strings.Repeat(`{"id":1,"active":true,"default":false,"needs_trigger":false,"auth_factor_name":"a","type_display_name":"b","user_display_name":"c"},`, 100) + `{"id":2}]}`)
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, big) })
	c, _ := s.client(t, WithMaxBodyBytes(1024))
	devs, err := c.ListEnrolledFactors(context.Background(), 1)
	if !errors.Is(err, wrappers.ErrBodyTooLarge) || devs != nil || !strings.Contains(err.Error(), "ListEnrolledFactors") {
		t.Errorf("ListEnrolledFactors = %d devices, %v; want ErrBodyTooLarge", len(devs), err)
	}
}

// TestRedirectOffOriginRefused: a v1 answer redirecting to another host is
// not followed, so the bearer token never reaches it.
func TestRedirectOffOriginRefused(t *testing.T) {
	var leaked atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Add(1)
		writeJSON(w, 200, okEnvelope(`{"otp_devices":[]}`))
	}))
	t.Cleanup(other.Close)
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	})
	c, _ := s.client(t)
	_, err := c.ListEnrolledFactors(context.Background(), 1)
	if !errors.Is(err, wrappers.ErrForeignOrigin) {
		t.Errorf("err = %v, want ErrForeignOrigin", err)
	}
	if leaked.Load() != 0 {
		t.Error("the redirect was followed to another host")
	}
}

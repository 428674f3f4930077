package oneloginclient

import (
	"errors"
	"strings"
	"testing"
)

// TestDecodeEnrolledFactors: the exported decoder gives what
// ListEnrolledFactors gives, and a typed *Error for every bad body.
func TestDecodeEnrolledFactors(t *testing.T) {
	t.Parallel()
	body := okEnvelope(`{"otp_devices":[{"id":"7","active":true,"default":"true","needs_trigger":false,"auth_factor_name":"SMS","phone_number":"+1555","type_display_name":"SMS","user_display_name":"phone"},{"id":8,"auth_factor_name":"Google Authenticator"}]}`)
	got, err := DecodeEnrolledFactors([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != 7 || !got[0].Active || !got[0].Default || got[0].PhoneNumber != "+1555" || got[1].ID != 8 || got[1].AuthFactorName != "Google Authenticator" {
		t.Errorf("got %+v", got)
	}
	for _, tc := range []struct {
		name, body string
		inMessage  string
	}{
		{"not JSON", `{`, "not a OneLogin v1 envelope"},
		{"no status", `{"data":{"otp_devices":[]}}`, "no \"status\" member"},
		{"no otp_devices", okEnvelope(`{}`), "data.otp_devices"},
		{"no data", okEnvelope(``), "no \"data\" member"},
		{"device without id", okEnvelope(`{"otp_devices":[{"active":true}]}`), "has no id"},
		// One bad element fails the whole list: nothing silently dropped.
		{"number element", okEnvelope(`{"otp_devices":[{"id":1},7]}`), "otp_devices[1] is a number, not an object"},
		{"string element", okEnvelope(`{"otp_devices":["x",{"id":1}]}`), "otp_devices[0] is a string, not an object"},
		{"null element", okEnvelope(`{"otp_devices":[{"id":1},null]}`), "otp_devices[1] is null, not an object"},
		{"list element", okEnvelope(`{"otp_devices":[[{"id":1}]]}`), "otp_devices[0] is a list, not an object"},
		{"null otp_devices", okEnvelope(`{"otp_devices":null}`), `"data.otp_devices" is null, not a list`},
		{"object otp_devices", okEnvelope(`{"otp_devices":{"id":1}}`), `"data.otp_devices" is an object, not a list`},
		{"status error", `{"status":{"error":true,"code":400,"type":"bad request","message":"nope"}}`, "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeEnrolledFactors([]byte(tc.body))
			var e *Error
			if !errors.As(err, &e) || e.StatusCode != 200 {
				t.Fatalf("err = %v, want an *Error with status 200", err)
			}
			if !errors.Is(err, ErrMalformedResponse) || !strings.Contains(err.Error(), tc.inMessage) {
				t.Errorf("err = %v, want ErrMalformedResponse saying %q", err, tc.inMessage)
			}
		})
	}
}

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

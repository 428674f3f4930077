package oneloginclient

import (
	"encoding/json"
	"testing"
	"time"
)

func TestFlexInt(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		set     bool
		wantErr bool
	}{
		{`525509`, 525509, true, false},
		{`"525509"`, 525509, true, false},
		{`" 42 "`, 42, true, false},
		{`525509.0`, 525509, true, false},
		{`"5.25509e5"`, 525509, true, false},
		{`0`, 0, true, false},
		{`-3`, -3, true, false},
		{`null`, 0, false, false},
		{`""`, 0, false, false},
		{`9223372036854775807`, 9223372036854775807, true, false},
		{`1.5`, 0, false, true},
		{`"abc"`, 0, false, true},
		{`true`, 0, false, true},
		{`{}`, 0, false, true},
		{`1e300`, 0, false, true},
		{`"NaN"`, 0, false, true},
	}
	for _, tt := range tests {
		var f struct {
			N flexInt `json:"n"`
		}
		err := json.Unmarshal([]byte(`{"n":`+tt.in+`}`), &f)
		if (err != nil) != tt.wantErr || f.N.v != tt.want || f.N.set != tt.set {
			t.Errorf("%s: got (%d, %v, %v), want (%d, %v, err %v)", tt.in, f.N.v, f.N.set, err, tt.want, tt.set, tt.wantErr)
		}
	}
}

func TestDecodeMFAToken(t *testing.T) {
	exp := time.Date(2019, 1, 16, 22, 16, 38, 0, time.UTC)
	tests := []struct {
		name     string
		body     string
		reusable bool
		wantErr  bool
	}{
		{"unwrapped", `{"mfa_token":"556","reusable":true,"expires_at":"2019-01-16T22:16:38.000Z"}`, true, false},
		{"unwrapped false", `{"mfa_token":"556","reusable":false,"expires_at":"2019-01-16T22:16:38Z"}`, false, false},
		{"string bool", `{"mfa_token":"556","reusable":"true","expires_at":"2019-01-16 22:16:38 UTC"}`, true, false},
		{"wrapped object", okEnvelope(`{"mfa_token":"556","reusable":true,"expires_at":"2019-01-16T22:16:38.000Z"}`), true, false},
		{"wrapped array", okEnvelope(`[{"mfa_token":"556","reusable":true,"expires_at":"2019-01-16T22:16:38.000Z"}]`), true, false},
		{"misspelt resuable is not reusable", `{"mfa_token":"556","resuable":true,"expires_at":"2019-01-16T22:16:38.000Z"}`, false, false},
		{"no token", `{"reusable":true}`, false, true},
		{"bad expiry", `{"mfa_token":"556","expires_at":"tomorrow"}`, false, true},
		{"two tokens", okEnvelope(`[{"mfa_token":"1"},{"mfa_token":"2"}]`), false, true},
		{"not json", `<html>`, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := decodeMFAToken([]byte(tt.body))
			if tt.wantErr {
				if err == nil || tok != nil {
					t.Fatalf("got %+v, %v; want an error and no token", tok, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tok.Token.Reveal() != "556" || tok.Reusable != tt.reusable || !tok.ExpiresAt.Equal(exp) {
				t.Errorf("got %+v (token %q)", tok, tok.Token.Reveal())
			}
		})
	}
}

func TestDecodeActivationAndEnrolment(t *testing.T) {
	// Two entries for the same device (push and code) count as one.
	a, err := decodeActivation(json.RawMessage(`[{"id":7,"device_id":9,"state_token":"s"},{"id":"7","device_id":"9","state_token":"s"}]`))
	if err != nil || a.UserID != 7 || a.DeviceID != 9 {
		t.Errorf("duplicate activation = %+v, %v", a, err)
	}
	for _, bad := range []string{`[]`, `[{"id":7}]`, `[{"device_id":9}]`, `[{"id":7,"device_id":9},{"id":7,"device_id":10}]`,
		`[{"id":7,"device_id":9,"state_token_expires_at":"soon"}]`, `"x"`} {
		if a, err := decodeActivation(json.RawMessage(bad)); err == nil {
			t.Errorf("decodeActivation(%s) = %+v, want an error", bad, a)
		}
	}
	d, err := decodeEnrolledDevice(json.RawMessage(`{"id":"12","active":"false","default":false,"needs_trigger":true}`))
	if err != nil || d.ID != 12 || d.Active || !d.NeedsTrigger {
		t.Errorf("single-object enrolment = %+v, %v", d, err)
	}
	for _, bad := range []string{`[]`, `[{"active":true}]`, `[{"id":1},{"id":2}]`, `[{"id":1,"active":"yes"}]`} {
		if d, err := decodeEnrolledDevice(json.RawMessage(bad)); err == nil {
			t.Errorf("decodeEnrolledDevice(%s) = %+v, want an error", bad, d)
		}
	}
}

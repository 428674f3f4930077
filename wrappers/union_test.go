package wrappers

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func TestPeekString(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		want      string
		wantFound bool
		wantErr   bool
	}{
		{"top level", `{"key":"okta_verify","id":"a1"}`, "okta_verify", true, false},
		{"after nested object with the same field", `{"settings":{"key":"nested"},"key":"webauthn"}`, "webauthn", true, false},
		{"only nested", `{"settings":{"key":"nested"},"arr":[{"key":"x"}]}`, "", false, false},
		{"name inside a string value", `{"name":"\"key\":\"fake\"","key":"phone_number"}`, "phone_number", true, false},
		{"escaped key", `{"k\u0065y":"email"}`, "email", true, false},
		{"escaped value", `{"key":"a\"b\u00e9"}`, "a\"bé", true, false},
		{"absent", `{"id":"x"}`, "", false, false},
		{"null", `{"key":null}`, "", false, false},
		{"duplicate: last wins", `{"key":"first","key":"second"}`, "second", true, false},
		{"case matters", `{"Key":"upper"}`, "", false, false},
		{"whitespace", " \n{ \"key\" : \"x\" } \n", "x", true, false},
		{"number", `{"key":1}`, "", false, true},
		{"object", `{"key":{}}`, "", false, true},
		{"bool", `{"key":true}`, "", false, true},
		{"array input", `[{"key":"x"}]`, "", false, true},
		{"string input", `"key"`, "", false, true},
		{"truncated", `{"key":"x","id":`, "", false, true},
		{"invalid after field", `{"key":"x","id":tru}`, "", false, true},
		{"trailing data", `{"key":"x"}{}`, "", false, true},
		{"empty", ``, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found, err := PeekString([]byte(tt.data), "key")
			if (err != nil) != tt.wantErr || got != tt.want || found != tt.wantFound {
				t.Errorf("PeekString(%s) = %q, %v, %v; want %q, %v, err %v", tt.data, got, found, err, tt.want, tt.wantFound, tt.wantErr)
			}
		})
	}
	var ute *json.UnmarshalTypeError
	if _, _, err := PeekString([]byte(`{"key":1}`), "key"); !errors.As(err, &ute) || ute.Field != "key" {
		t.Errorf("number: %v, want *json.UnmarshalTypeError", err)
	}
	if _, _, err := PeekString([]byte(`[1]`), "key"); !errors.Is(err, ErrNotObject) {
		t.Errorf("array: %v, want ErrNotObject", err)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return reflect.DeepEqual(x, y)
}

func TestMergeObjects(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		known   string
		want    string
		wantErr bool
	}{
		{"unknown top-level field kept", `{"id":"a","name":"old","newTop":1}`, `{"id":"a","name":"new"}`, `{"id":"a","name":"new","newTop":1}`, false},
		{"unknown nested field kept", `{"settings":{"a":1,"newKnob":{"deep":[1,2]}}}`, `{"settings":{"a":2}}`, `{"settings":{"a":2,"newKnob":{"deep":[1,2]}}}`, false},
		{"three levels", `{"a":{"b":{"c":1,"u":2}}}`, `{"a":{"b":{"c":3}}}`, `{"a":{"b":{"c":3,"u":2}}}`, false},
		{"arrays replaced whole", `{"list":[{"id":1,"x":1},{"id":2}]}`, `{"list":[{"id":1}]}`, `{"list":[{"id":1}]}`, false},
		{"known null replaces", `{"a":{"x":1}}`, `{"a":null}`, `{"a":null}`, false},
		{"absent from known keeps raw", `{"a":1,"b":2}`, `{"a":3}`, `{"a":3,"b":2}`, false},
		{"kind change: known wins", `{"a":{"x":1}}`, `{"a":"flat"}`, `{"a":"flat"}`, false},
		{"object replaces scalar", `{"a":5}`, `{"a":{"x":1}}`, `{"a":{"x":1}}`, false},
		{"new known field appended", `{"a":1}`, `{"b":2}`, `{"a":1,"b":2}`, false},
		{"empty raw", ``, `{"a":1}`, `{"a":1}`, false},
		{"top-level array known", `{"a":1}`, `[1]`, `[1]`, false},
		{"duplicate raw keys: last wins", `{"a":1,"a":2,"b":3}`, `{"b":4}`, `{"a":2,"b":4}`, false},
		{"empty-string key", `{"":1,"a":2}`, `{"a":3}`, `{"":1,"a":3}`, false},
		{"invalid raw", `{"a":`, `{"a":1}`, ``, true},
		{"invalid known", `{"a":1}`, `{"a"`, ``, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MergeObjects([]byte(tt.raw), []byte(tt.known))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("MergeObjects = %s, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, got, []byte(tt.want)) {
				t.Errorf("MergeObjects = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestMergeObjectsKeepsOrderAndBytes(t *testing.T) {
	raw := `{"z":1,"settings":{"newKnob":  {"x" : 1.50},"a":1},"a":"x"}`
	got, err := MergeObjects([]byte(raw), []byte(`{"a":"y","settings":{"a":2}}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"z":1,"settings":{"newKnob":{"x" : 1.50},"a":2},"a":"y"}`; string(got) != want {
		t.Errorf("MergeObjects = %s, want %s (raw order, raw bytes of unknown values)", got, want)
	}
}

// authenticator is a face-style lossless type: known fields plus the raw JSON.
type authenticator struct {
	ID       string   `json:"id"`
	Key      string   `json:"key"`
	Status   string   `json:"status"`
	Settings settings `json:"settings"`
	raw      json.RawMessage
}

type settings struct {
	AllowedFor string `json:"allowedFor,omitempty"`
}

func (a *authenticator) UnmarshalJSON(b []byte) error {
	type plain authenticator
	if err := json.Unmarshal(b, (*plain)(a)); err != nil {
		return err
	}
	a.raw = append(json.RawMessage(nil), b...)
	return nil
}

func (a authenticator) MarshalJSON() ([]byte, error) {
	type plain authenticator
	return MarshalMerged(a.raw, plain(a))
}

func TestLosslessReadModifyWrite(t *testing.T) {
	in := `{"id":"aut1","key":"okta_verify","status":"ACTIVE","_links":{"self":{"href":"https://x/1"}},
		"settings":{"allowedFor":"any","newKnob":{"level":3},"compliance":{"fips":"OPTIONAL"}},"futureList":[1,2]}`
	var a authenticator
	if err := json.Unmarshal([]byte(in), &a); err != nil {
		t.Fatal(err)
	}
	a.Status = "INACTIVE"
	a.Settings.AllowedFor = "recovery"
	out, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"aut1","key":"okta_verify","status":"INACTIVE","_links":{"self":{"href":"https://x/1"}},
		"settings":{"allowedFor":"recovery","newKnob":{"level":3},"compliance":{"fips":"OPTIONAL"}},"futureList":[1,2]}`
	if !jsonEqual(t, out, []byte(want)) {
		t.Errorf("round trip = %s\nwant %s", out, want)
	}
	// A value built from scratch (no raw) marshals as its known fields.
	fresh, err := json.Marshal(authenticator{ID: "n", Key: "email"})
	if err != nil || !jsonEqual(t, fresh, []byte(`{"id":"n","key":"email","status":"","settings":{}}`)) {
		t.Errorf("fresh = %s, %v", fresh, err)
	}
}

package wrappers

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
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

// typicalAuthenticator is shaped like an Okta authenticator as the API sends
// it (HAL links, millisecond timestamps), with the key after a few members.
const typicalAuthenticator = `{"type":"app","id":"aut8","key":"okta_verify","status":"ACTIVE","name":"Okta Verify","created":"2020-07-26T21:05:23.000Z","lastUpdated":"2020-07-26T21:05:23.000Z",
	"settings":{"channelBinding":{"style":"NUMBER_CHALLENGE","required":"ALWAYS"},"compliance":{"fips":"OPTIONAL"},"userVerification":"PREFERRED"},
	"_links":{"self":{"href":"https://example.okta.com/api/v1/authenticators/aut1","hints":{"allow":["GET","PUT"]}},"methods":{"href":"https://example.okta.com/api/v1/authenticators/aut1/methods","hints":{"allow":["GET"]}},"deactivate":{"href":"https://example.okta.com/api/v1/authenticators/aut1/lifecycle/deactivate","hints":{"allow":["POST"]}}}}`

// TestPeekFastPathAgreesWithTokens: PeekString and PeekBytes answer exactly
// as the json.Decoder walk (peekTokens) for valid JSON, including inputs
// where the byte scanner must defer to it; for invalid JSON PeekString
// fails, and PeekBytes never answers a different value for a valid prefix.
func TestPeekFastPathAgreesWithTokens(t *testing.T) {
	cases := []string{
		typicalAuthenticator,
		`{"key":"okta_verify"}`,
		` { "a" : 1 , "key" : "duo" } `,
		`{"settings":{"key":"nested"},"key":"top"}`,
		`{"name":"has \"key\": inside","key":"k"}`,
		`{"key":"first","key":"last"}`,
		`{"key":"first","key":null}`,
		`{"key":null}`,
		`{}`,
		`{"a":[1,{"key":"x"},"]"],"key":"y"}`,
		`{"k\u0065y":"escaped-key"}`,
		`{"key":"esc\"aped"}`,
		`{"key":"caf\u00e9"}`,
		`{"key":"café"}`,
		"{\"key\":\"\xff\"}",
		"{\"k\xffy\":\"x\",\"key\":\"y\"}",
		`{"key":5}`,
		`{"key":true}`,
		`{"key":{"a":1}}`,
		`{"key":["a"]}`,
		`[1,2]`,
		`"str"`,
		`null`,
		`{"key":"x"} trailing`,
		`{"key":"x"} {}`,
		`{"key":"x"`,
		`{"key":"x",}`,
		`{"a":1 "key":"x"}`,
		``,
		`{"a":true,"b":false,"c":null,"d":-1.5e3,"key":"lit"}`,
	}
	for _, in := range cases {
		t.Run(in, func(t *testing.T) {
			wantV, wantF, wantErr := peekTokens([]byte(in), "key")
			gotV, gotF, gotErr := PeekString([]byte(in), "key")
			if gotV != wantV || gotF != wantF || (gotErr == nil) != (wantErr == nil) {
				t.Errorf("PeekString = %q, %v, %v; tokens = %q, %v, %v", gotV, gotF, gotErr, wantV, wantF, wantErr)
			}
			if wantErr != nil && !errors.Is(gotErr, ErrNotObject) && errors.Is(wantErr, ErrNotObject) {
				t.Errorf("PeekString error %v lost ErrNotObject", gotErr)
			}
			bv, bf, berr := PeekBytes([]byte(in), "key")
			if json.Valid([]byte(in)) {
				if string(bv) != wantV || bf != wantF || (berr == nil) != (wantErr == nil) {
					t.Errorf("PeekBytes = %q, %v, %v; tokens = %q, %v, %v", bv, bf, berr, wantV, wantF, wantErr)
				}
			} else if berr == nil && bf && wantErr == nil {
				t.Errorf("PeekBytes answered %q for invalid JSON the decoder reads differently", bv)
			}
		})
	}
}

func TestPeekAllocations(t *testing.T) {
	data := []byte(typicalAuthenticator)
	if n := testing.AllocsPerRun(100, func() {
		if v, ok, err := PeekBytes(data, "key"); err != nil || !ok || string(v) != "okta_verify" {
			t.Fatal(v, ok, err)
		}
	}); n != 0 {
		t.Errorf("PeekBytes allocates %v times, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		if v, ok, err := PeekString(data, "key"); err != nil || !ok || v != "okta_verify" {
			t.Fatal(v, ok, err)
		}
	}); n > 3 {
		// The string, plus json.Valid's pooled scanner, which the race
		// detector's sync.Pool sometimes drops; the token walk costs ~320.
		t.Errorf("PeekString allocates %v times, want at most 3", n)
	}
	// The value is a sub-slice of data, capacity capped.
	v, _, _ := PeekBytes(data, "key")
	if cap(v) != len(v) || &v[0] != &data[strings.Index(typicalAuthenticator, "okta_verify")] {
		t.Error("PeekBytes did not return a capped sub-slice of data")
	}
}

// BenchmarkPeekString peeks at the key of a typical authenticator: the
// byte scanner (PeekString validates with json.Valid first, PeekBytes does
// not) against the json.Decoder token walk PeekString used to be.
func BenchmarkPeekString(b *testing.B) {
	data := []byte(typicalAuthenticator)
	for _, bm := range []struct {
		name string
		peek func([]byte, string) (string, bool, error)
	}{
		{"PeekString", PeekString},
		{"PeekBytes", func(d []byte, f string) (string, bool, error) {
			v, ok, err := PeekBytes(d, f)
			if string(v) != "okta_verify" { // no allocation for the comparison
				return "", false, errors.New("wrong value")
			}
			return "okta_verify", ok, err
		}},
		{"tokens(before)", peekTokens},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if v, ok, err := bm.peek(data, "key"); err != nil || !ok || v != "okta_verify" {
					b.Fatal(v, ok, err)
				}
			}
		})
	}
}

func TestSplitArray(t *testing.T) {
	cases := []struct {
		in      string
		want    []string
		wantErr error // nil: any error when fail is set
		fail    bool
	}{
		{`[]`, []string{}, nil, false},
		{` [ ] `, []string{}, nil, false},
		{`null`, nil, nil, false},
		{` null `, nil, nil, false},
		{`[1, "a,]", {"b":[1,2]} ,null]`, []string{`1`, `"a,]"`, `{"b":[1,2]}`, `null`}, nil, false},
		{`[{"x":"}"}]`, []string{`{"x":"}"}`}, nil, false},
		{`[[],[[]],"\"]"]`, []string{`[]`, `[[]]`, `"\"]"`}, nil, false},
		{`{"a":1}`, nil, ErrNotArray, true},
		{`"[1]"`, nil, ErrNotArray, true},
		{`[1,2`, nil, nil, true},
		{`[1,]`, nil, nil, true},
		{`<html>`, nil, nil, true},
		{``, nil, nil, true},
		{`[]]`, nil, nil, true},
		{`[] x`, nil, nil, true},
		{`[1 2]`, nil, nil, true},
		{`[,1]`, nil, nil, true},
		{`[1,,2]`, nil, nil, true},
		{`null x`, nil, nil, true},
		{`nul`, nil, nil, true},
		{`{"a":`, nil, nil, true},
	}
	for _, split := range []struct {
		name string
		fn   func([]byte) ([][]byte, error)
	}{{"SplitArray", SplitArray}, {"ScanArray", ScanArray}} {
		t.Run(split.name, func(t *testing.T) { testSplit(t, split.fn, cases) })
	}
	// ScanArray leaves the elements to the caller; SplitArray does not.
	for _, in := range []string{`[tru]`, `[{"a":}]`, `[1,{"a":[}]]`, `["\x"]`} {
		if _, err := SplitArray([]byte(in)); err == nil {
			t.Errorf("SplitArray(%q): no error", in)
		}
		got, err := ScanArray([]byte(in))
		if err != nil || len(got) == 0 {
			t.Errorf("ScanArray(%q) = %q, %v; want the elements, unvalidated", in, got, err)
		}
		if err := ArraySyntaxError([]byte(in)); err == nil {
			t.Errorf("ArraySyntaxError(%q) = nil", in)
		}
	}
	if err := ArraySyntaxError([]byte(`[1]`)); err != nil {
		t.Errorf("ArraySyntaxError of a valid array = %v", err)
	}
}

func testSplit(t *testing.T, split func([]byte) ([][]byte, error), cases []struct {
	in      string
	want    []string
	wantErr error
	fail    bool
}) {
	for _, tc := range cases {
		got, err := split([]byte(tc.in))
		if (err != nil) != tc.fail || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
			t.Errorf("SplitArray(%q) error = %v, want failure %v (%v)", tc.in, err, tc.fail, tc.wantErr)
			continue
		}
		if tc.fail {
			continue
		}
		gs := make([]string, len(got))
		for i, g := range got {
			gs[i] = string(g)
			if cap(g) != len(g) {
				t.Errorf("SplitArray(%q)[%d] has spare capacity: appending would overwrite the next element", tc.in, i)
			}
		}
		if tc.want == nil && got != nil || tc.want != nil && (got == nil || !reflect.DeepEqual(gs, tc.want)) {
			t.Errorf("SplitArray(%q) = %q, want %q", tc.in, gs, tc.want)
		}
	}
}

// losslessModel stands in for a generated model embedded in a union member.
type losslessModel struct {
	Key      string          `json:"key"`
	Status   *string         `json:"status,omitempty"`
	Created  *time.Time      `json:"created,omitempty"`
	Count    *float32        `json:"count,omitempty"`
	Settings *losslessNested `json:"settings,omitempty"`
}

type losslessNested struct {
	AllowedFor *string `json:"allowedFor,omitempty"`
}

func TestMarshalLossless(t *testing.T) {
	const raw = `{"key":"okta_verify", "status":"ACTIVE","created":"2024-05-01T10:00:00.000Z","count":16777217,
		"settings":{"allowedFor":"any","newKnob":{"level":3}},"_links":{"self":{"href":"https://x/1"}}}`
	decode := func(t *testing.T) losslessModel {
		t.Helper()
		var m losslessModel
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	setKey := func(m *losslessModel) { m.Key = "okta_verify" }
	str := func(s string) *string { return &s }
	tests := []struct {
		name   string
		change func(*losslessModel)
		fix    func(*losslessModel)
		want   string // exact bytes
	}{
		{"unchanged: raw as it was", func(*losslessModel) {}, setKey, raw},
		{"discriminator cleared by the caller: fix restores it, raw as it was", func(m *losslessModel) { m.Key = "" }, setKey, raw},
		{"one change overlaid, every other byte kept",
			func(m *losslessModel) { m.Status = str("INACTIVE") }, setKey,
			`{"key":"okta_verify","status":"INACTIVE","created":"2024-05-01T10:00:00.000Z","count":16777217,"settings":{"allowedFor":"any","newKnob":{"level":3}},"_links":{"self":{"href":"https://x/1"}}}`},
		{"nested change keeps the unknown sibling",
			func(m *losslessModel) { m.Settings.AllowedFor = str("recovery") }, nil,
			`{"key":"okta_verify","status":"ACTIVE","created":"2024-05-01T10:00:00.000Z","count":16777217,"settings":{"allowedFor":"recovery","newKnob":{"level":3}},"_links":{"self":{"href":"https://x/1"}}}`},
		// Read-modify-write must be able to clear a field: a modelled member
		// the caller set to nil is left out of the PUT body (it used to
		// silently resend the server's value); unknown members stay.
		{"a field set to nil is left out",
			func(m *losslessModel) { m.Status = nil }, nil,
			`{"key":"okta_verify","created":"2024-05-01T10:00:00.000Z","count":16777217,"settings":{"allowedFor":"any","newKnob":{"level":3}},"_links":{"self":{"href":"https://x/1"}}}`},
		{"a nested field set to nil is left out, its unknown sibling kept",
			func(m *losslessModel) { m.Settings.AllowedFor = nil }, nil,
			`{"key":"okta_verify","status":"ACTIVE","created":"2024-05-01T10:00:00.000Z","count":16777217,"settings":{"newKnob":{"level":3}},"_links":{"self":{"href":"https://x/1"}}}`},
		{"a cleared object is left out whole",
			func(m *losslessModel) { m.Settings = nil }, nil,
			`{"key":"okta_verify","status":"ACTIVE","created":"2024-05-01T10:00:00.000Z","count":16777217,"_links":{"self":{"href":"https://x/1"}}}`},
		{"a clear and a change together",
			func(m *losslessModel) { m.Created = nil; m.Settings.AllowedFor = str("recovery") }, nil,
			`{"key":"okta_verify","status":"ACTIVE","count":16777217,"settings":{"allowedFor":"recovery","newKnob":{"level":3}},"_links":{"self":{"href":"https://x/1"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := decode(t)
			tt.change(&m)
			got, err := MarshalLossless(json.RawMessage(raw), m, tt.fix)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("MarshalLossless =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	t.Run("without raw: json.Marshal with fix", func(t *testing.T) {
		got, err := MarshalLossless(nil, losslessModel{Status: str("ACTIVE")}, setKey)
		if err != nil || string(got) != `{"key":"okta_verify","status":"ACTIVE"}` {
			t.Errorf("MarshalLossless = %s, %v", got, err)
		}
	})
	t.Run("result does not alias raw", func(t *testing.T) {
		r := json.RawMessage(raw)
		got, _ := MarshalLossless(r, decode(t), nil)
		got[0] = ' '
		if r[0] != '{' {
			t.Error("the result shares raw's bytes")
		}
	})
}

// rmwModel mimics a face's model: a nested settings object, and HAL links
// that the face decodes lazily (left nil in the value it hands out).
type rmwModel struct {
	Key      string       `json:"key"`
	Name     *string      `json:"name,omitempty"`
	Created  *time.Time   `json:"created,omitempty"`
	Settings *rmwSettings `json:"settings,omitempty"`
	Links    *struct {
		Self *struct {
			Href string `json:"href"`
		} `json:"self,omitempty"`
	} `json:"_links,omitempty"`
}

type rmwSettings struct {
	ChannelBinding *struct {
		Style    *string `json:"style,omitempty"`
		Required *string `json:"required,omitempty"`
	} `json:"channelBinding,omitempty"`
	UserVerification *string `json:"userVerification,omitempty"`
}

// TestMarshalLosslessClearsFields: read-modify-write can clear a modelled
// field, top-level or nested (B3): the member is left out, so a PUT clears
// it; unknown members (top-level and nested) and the bytes of unchanged
// members are kept, and lazily decoded HAL links are not mistaken for
// cleared ones.
func TestMarshalLosslessClearsFields(t *testing.T) {
	const raw = `{"key":"okta_verify","name":"Okta Verify","created":"2020-07-26T21:05:23.000Z","brandNew":{"a":[1,{"b":null}]},` +
		`"settings":{"channelBinding":{"style":"NUMBER_CHALLENGE","required":"ALWAYS","futureFlag":true},"userVerification":"PREFERRED","newKnob":{"level":11}},` +
		`"_links":{"self":{"href":"https://x/1"}}}`
	decode := func(t *testing.T) rmwModel {
		t.Helper()
		var m rmwModel
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatal(err)
		}
		m.Links = nil // as a face's lazy decoding leaves it
		return m
	}
	tests := []struct {
		name   string
		change func(*rmwModel)
		want   string
	}{
		{"nothing changed: raw byte for byte", func(*rmwModel) {}, raw},
		{"top-level field cleared",
			func(m *rmwModel) { m.Name = nil },
			`{"key":"okta_verify","created":"2020-07-26T21:05:23.000Z","brandNew":{"a":[1,{"b":null}]},` +
				`"settings":{"channelBinding":{"style":"NUMBER_CHALLENGE","required":"ALWAYS","futureFlag":true},"userVerification":"PREFERRED","newKnob":{"level":11}},` +
				`"_links":{"self":{"href":"https://x/1"}}}`},
		{"nested settings.channelBinding cleared",
			func(m *rmwModel) { m.Settings.ChannelBinding = nil },
			`{"key":"okta_verify","name":"Okta Verify","created":"2020-07-26T21:05:23.000Z","brandNew":{"a":[1,{"b":null}]},` +
				`"settings":{"userVerification":"PREFERRED","newKnob":{"level":11}},` +
				`"_links":{"self":{"href":"https://x/1"}}}`},
		{"field inside channelBinding cleared, its unknown sibling kept",
			func(m *rmwModel) { m.Settings.ChannelBinding.Required = nil },
			`{"key":"okta_verify","name":"Okta Verify","created":"2020-07-26T21:05:23.000Z","brandNew":{"a":[1,{"b":null}]},` +
				`"settings":{"channelBinding":{"style":"NUMBER_CHALLENGE","futureFlag":true},"userVerification":"PREFERRED","newKnob":{"level":11}},` +
				`"_links":{"self":{"href":"https://x/1"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := decode(t)
			tt.change(&m)
			got, err := MarshalLossless(json.RawMessage(raw), m, nil)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("MarshalLossless =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// FuzzPeekBytes: for valid JSON, PeekBytes (the byte scanner) answers as the
// json.Decoder walk does.
func FuzzPeekBytes(f *testing.F) {
	for _, s := range []string{typicalAuthenticator, `{"key":"a","key":"b"}`, `{"k\u0065y":"x"}`, "{\"key\":\"\xff\"}", `{"a":[{"key":1}],"key":"é"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		v, found, err := PeekBytes(data, "key")
		wv, wfound, werr := peekTokens(data, "key")
		if (err == nil) != (werr == nil) || string(v) != wv || found != wfound {
			t.Fatalf("PeekBytes = %q %v %v; tokens = %q %v %v", v, found, err, wv, wfound, werr)
		}
	})
}

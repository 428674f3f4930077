package oktaclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/wrappers"
)

func TestPeekDiscriminatorMatchesPeekString(t *testing.T) {
	t.Parallel()
	cases := []string{
		`{"key":"okta_verify"}`,
		` { "a" : 1 , "key" : "duo" } `,
		`{"settings":{"key":"nested"},"key":"top"}`,
		`{"name":"has \"key\": inside","key":"k"}`,
		`{"key":"first","key":"last"}`,
		`{"key":null}`,
		`{}`,
		`{"a":[1,{"key":"x"},"]"],"key":"y"}`,
		`{"k\u0065y":"escaped-key"}`,
		`{"key":"esc\"aped"}`,
		`{"key":5}`,
		`{"key":{"a":1}}`,
		`[1,2]`,
		`"str"`,
		`{"key":"x"} trailing`,
		`{"key":"x"`,
		``,
		`{"a":true,"b":false,"c":null,"d":-1.5e3,"key":"lit"}`,
	}
	for _, in := range cases {
		t.Run(in, func(t *testing.T) {
			gotV, gotF, gotErr := peekDiscriminator([]byte(in), "key")
			wantV, wantF, wantErr := wrappers.PeekString([]byte(in), "key")
			if string(gotV) != wantV || gotF != wantF || (gotErr == nil) != (wantErr == nil) {
				t.Errorf("peekDiscriminator = %q, %v, %v; PeekString = %q, %v, %v", gotV, gotF, gotErr, wantV, wantF, wantErr)
			}
		})
	}
}

// TestUnionFixturesCoverEveryValue keeps the fixtures, the generated
// members and the spec's enums in step.
func TestUnionFixturesCoverEveryValue(t *testing.T) {
	t.Parallel()
	if len(authenticatorFixtures) != len(knownAuthenticatorValues) || len(knownAuthenticatorValues) != 17 {
		t.Errorf("%d authenticator fixtures, %d known keys, want 17", len(authenticatorFixtures), len(knownAuthenticatorValues))
	}
	for _, k := range knownAuthenticatorValues {
		if !okta.AuthenticatorKeyEnum(k).Valid() {
			t.Errorf("key %q is not in the spec's AuthenticatorKeyEnum", k)
		}
	}
	if len(methodFixtures) != len(knownAuthenticatorMethodValues) || len(knownAuthenticatorMethodValues) != 14 {
		t.Errorf("%d method fixtures, %d known types, want 14", len(methodFixtures), len(knownAuthenticatorMethodValues))
	}
	for _, k := range knownAuthenticatorMethodValues {
		if !okta.AuthenticatorMethodType(k).Valid() {
			t.Errorf("method type %q is not in the spec", k)
		}
	}
	if len(factorFixtures) != len(knownUserFactorValues) || len(knownUserFactorValues) != 13 {
		t.Errorf("%d factor fixtures, %d known types, want 13", len(factorFixtures), len(knownUserFactorValues))
	}
	for _, k := range knownUserFactorValues {
		if !okta.UserFactorType(k).Valid() {
			t.Errorf("factor type %q is not in the spec", k)
		}
	}
}

// The generated concrete types must decode exactly like the generated
// union's own accessor does (the spec's mapping).
func TestAuthenticatorsDecodeToConcreteTypes(t *testing.T) {
	t.Parallel()
	for key, fx := range authenticatorFixtures {
		t.Run(string(key), func(t *testing.T) {
			a, err := UnmarshalAuthenticator([]byte(fx))
			if err != nil {
				t.Fatalf("UnmarshalAuthenticator: %v", err)
			}
			if _, unknown := a.(*UnknownAuthenticator); unknown {
				t.Fatalf("decoded as UnknownAuthenticator")
			}
			if a.Key() != key {
				t.Errorf("Key() = %q, want %q", a.Key(), key)
			}
			var gu okta.Authenticator
			if err := json.Unmarshal([]byte(fx), &gu); err != nil {
				t.Fatal(err)
			}
			want, err := gu.ValueByDiscriminator()
			if err != nil {
				t.Fatal(err)
			}
			// The concrete type embeds exactly the generated member.
			got := eagerModel(t, a)
			if reflect.TypeOf(got) != reflect.TypeOf(want) || !reflect.DeepEqual(got, want) {
				t.Errorf("embedded %T = %+v, want %T %+v", got, got, want, want)
			}
			c := a.Common()
			if c.ID == "" || c.Name == "" || c.Status == "" || c.Type == "" || c.Created.IsZero() || c.LastUpdated.IsZero() {
				t.Errorf("Common() = %+v, want every field set", c)
			}
			out, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != compact(t, fx) {
				t.Errorf("round trip changed the bytes:\n got %s\nwant %s", out, compact(t, fx))
			}
		})
	}
}

func TestMethodsDecodeToConcreteTypes(t *testing.T) {
	t.Parallel()
	for typ, fx := range methodFixtures {
		t.Run(string(typ), func(t *testing.T) {
			m, err := UnmarshalAuthenticatorMethod([]byte(fx))
			if err != nil {
				t.Fatalf("UnmarshalAuthenticatorMethod: %v", err)
			}
			if _, unknown := m.(*UnknownAuthenticatorMethod); unknown {
				t.Fatalf("decoded as UnknownAuthenticatorMethod")
			}
			if m.Type() != typ {
				t.Errorf("Type() = %q, want %q", m.Type(), typ)
			}
			var gu okta.AuthenticatorMethod
			if err := json.Unmarshal([]byte(fx), &gu); err != nil {
				t.Fatal(err)
			}
			want, err := gu.ValueByDiscriminator()
			if err != nil {
				t.Fatal(err)
			}
			got := eagerModel(t, m)
			if reflect.TypeOf(got) != reflect.TypeOf(want) || !reflect.DeepEqual(got, want) {
				t.Errorf("embedded %T, want %T", got, want)
			}
			if m.Common().Status == "" {
				t.Errorf("Common().Status is empty")
			}
			out, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != compact(t, fx) {
				t.Errorf("round trip changed the bytes:\n got %s\nwant %s", out, compact(t, fx))
			}
		})
	}
}

func TestFactorsDecodeToConcreteTypes(t *testing.T) {
	t.Parallel()
	for typ, fx := range factorFixtures {
		t.Run(string(typ), func(t *testing.T) {
			f, err := UnmarshalUserFactor([]byte(fx))
			if err != nil {
				t.Fatalf("UnmarshalUserFactor: %v", err)
			}
			if _, unknown := f.(*UnknownUserFactor); unknown {
				t.Fatalf("decoded as UnknownUserFactor")
			}
			if f.FactorType() != typ {
				t.Errorf("FactorType() = %q, want %q", f.FactorType(), typ)
			}
			var gu okta.UserFactor
			if err := json.Unmarshal([]byte(fx), &gu); err != nil {
				t.Fatal(err)
			}
			want, err := gu.ValueByDiscriminator()
			if err != nil {
				t.Fatal(err)
			}
			got := eagerModel(t, f)
			if reflect.TypeOf(got) != reflect.TypeOf(want) || !reflect.DeepEqual(got, want) {
				t.Errorf("embedded %T, want %T", got, want)
			}
			c := f.Common()
			if c.ID == "" || c.Status == "" || c.Provider == "" || c.VendorName == "" || c.Created.IsZero() {
				t.Errorf("Common() = %+v, want every field set", c)
			}
			out, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != compact(t, fx) {
				t.Errorf("round trip changed the bytes:\n got %s\nwant %s", out, compact(t, fx))
			}
		})
	}
}

func TestUnknownAndBadElements(t *testing.T) {
	t.Parallel()
	t.Run("unknown key", func(t *testing.T) {
		in := `{"id":"autX","key":"quantum_token","name":"Quantum","status":"ACTIVE","settings":{"qubits":3}}`
		a, err := UnmarshalAuthenticator([]byte(in))
		if err != nil {
			t.Fatalf("err = %v, want nil for an unknown key", err)
		}
		u, ok := a.(*UnknownAuthenticator)
		if !ok {
			t.Fatalf("got %T, want *UnknownAuthenticator", a)
		}
		if u.Key() != "quantum_token" || u.Common().Name != "Quantum" || u.Err() != nil {
			t.Errorf("Key %q, Name %q, Err %v", u.Key(), u.Common().Name, u.Err())
		}
		out, _ := json.Marshal(a)
		if string(out) != in {
			t.Errorf("round trip = %s", out)
		}
	})
	t.Run("known key that does not decode", func(t *testing.T) {
		in := `{"id":"aut1","key":"okta_email","name":"Email","settings":{"tokenLifetimeInMinutes":"five"}}`
		a, err := UnmarshalAuthenticator([]byte(in))
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			t.Fatalf("err = %v, want a *json.UnmarshalTypeError", err)
		}
		u, ok := a.(*UnknownAuthenticator)
		if !ok || u.Err() == nil || u.Key() != KeyOktaEmail || string(u.Raw()) != in {
			t.Fatalf("got %T %+v", a, a)
		}
		out, _ := json.Marshal(a)
		if string(out) != in {
			t.Errorf("round trip = %s", out)
		}
	})
	t.Run("not an object", func(t *testing.T) {
		for _, in := range []string{`5`, `null`, `"x"`, `[1]`, `{"key":7}`, `{`} {
			a, err := UnmarshalAuthenticator([]byte(in))
			if err == nil {
				t.Errorf("%s: no error", in)
			}
			if u, ok := a.(*UnknownAuthenticator); !ok || u.Err() == nil {
				t.Errorf("%s: got %T, want *UnknownAuthenticator with Err", in, a)
			}
		}
	})
	t.Run("unknown method and factor", func(t *testing.T) {
		m, err := UnmarshalAuthenticatorMethod([]byte(`{"type":"telepathy","status":"ACTIVE"}`))
		if um, ok := m.(*UnknownAuthenticatorMethod); err != nil || !ok || um.Type() != "telepathy" || um.Common().Status != LifecycleStatusActive {
			t.Errorf("method: %T %v", m, err)
		}
		f, err := UnmarshalUserFactor([]byte(`{"id":"x1","factorType":"token:quantum","provider":"ACME","status":"ACTIVE"}`))
		if uf, ok := f.(*UnknownUserFactor); err != nil || !ok || uf.FactorType() != "token:quantum" || uf.Common().Provider != "ACME" || uf.Common().ID != "x1" {
			t.Errorf("factor: %T %v %+v", f, err, f.Common())
		}
	})
}

func TestDecodeListKeepsSiblings(t *testing.T) {
	t.Parallel()
	body := jsonArray(
		authenticatorFixtures[KeyOktaVerify],
		`{"id":"autQ","key":"quantum_token","name":"Quantum"}`,
		`{"id":"autB","key":"okta_email","settings":{"tokenLifetimeInMinutes":"bad"}}`,
		`17`,
		authenticatorFixtures[KeyPhoneNumber],
	)
	got, err := decodeList([]byte(body), UnmarshalAuthenticator)
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := []string{"*oktaclient.OktaVerifyAuthenticator", "*oktaclient.UnknownAuthenticator", "*oktaclient.UnknownAuthenticator", "*oktaclient.UnknownAuthenticator", "*oktaclient.PhoneAuthenticator"}
	if len(got) != len(wantTypes) {
		t.Fatalf("got %d items, want %d", len(got), len(wantTypes))
	}
	for i, a := range got {
		if typ := fmt.Sprintf("%T", a); typ != wantTypes[i] {
			t.Errorf("item %d is %s, want %s", i, typ, wantTypes[i])
		}
	}
	if got[1].(*UnknownAuthenticator).Err() != nil {
		t.Errorf("unknown key should carry no error")
	}
	for _, i := range []int{2, 3} {
		if got[i].(*UnknownAuthenticator).Err() == nil {
			t.Errorf("item %d should carry its decode error", i)
		}
	}
}

// TestReadModifyWritePreservesUnknownFields is the heart of the lossless
// promise: change one known field, and everything else (unknown fields at
// the top and nested, and the exact bytes of known fields) goes back as it
// came.
func TestReadModifyWritePreservesUnknownFields(t *testing.T) {
	t.Parallel()
	in := `{"type":"app","id":"aut8","key":"okta_verify","status":"ACTIVE","name":"Okta Verify",` + stamps + `,
		"brandNewTopLevel":{"a":[1,2,{"b":null}]},
		"settings":{"channelBinding":{"style":"NUMBER_CHALLENGE","required":"ALWAYS","futureFlag":true},
			"compliance":{"fips":"OPTIONAL"},"userVerification":"PREFERRED","newKnob":{"level":11}},
		"bigNumber":12345678901234567890,` + links + `}`
	a, err := UnmarshalAuthenticator([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	ov := a.(*OktaVerifyAuthenticator)
	ov.Name = Ptr("Okta Verify (corp)")
	ov.Settings.UserVerification = Ptr(okta.UserVerificationEnum("REQUIRED"))
	out, err := json.Marshal(ov)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(strings.Replace(in, `"name":"Okta Verify"`, `"name":"Okta Verify (corp)"`, 1),
		`"userVerification":"PREFERRED"`, `"userVerification":"REQUIRED"`, 1)
	if !jsonEqual(t, out, []byte(want)) {
		t.Errorf("read-modify-write lost or changed data:\n got %s\nwant %s", out, compact(t, want))
	}
	// The timestamps are not reformatted, and the big number is intact.
	for _, s := range []string{`"created":"2020-07-26T21:05:23.000Z"`, `12345678901234567890`, `"newKnob":{"level":11}`} {
		if !strings.Contains(string(out), s) {
			t.Errorf("output lacks %s", s)
		}
	}
	// A value built in Go encodes plainly, with its key.
	fresh, err := json.Marshal(&EmailAuthenticator{AuthenticatorKeyEmail: AuthenticatorKeyEmail{Name: Ptr("Email")}})
	if err != nil {
		t.Fatal(err)
	}
	if string(fresh) != `{"key":"okta_email","name":"Email"}` {
		t.Errorf("fresh value = %s", fresh)
	}
	// Setting a field to nil clears it: the member is left out, so that a
	// replace clears it on the server; the links and unknown fields stay.
	ov.Settings = nil
	out, _ = json.Marshal(ov)
	if strings.Contains(string(out), `"settings"`) || !strings.Contains(string(out), `"brandNewTopLevel"`) || !strings.Contains(string(out), `"_links"`) {
		t.Errorf("nil Settings: want settings left out, unknown fields and links kept: %s", out)
	}
}

func TestUnmarshalJSONMethodsCopy(t *testing.T) {
	t.Parallel()
	buf := []byte(jsonArray(factorFixtures[FactorSMS]))
	var fs []*SMSFactor
	if err := json.Unmarshal(buf, &fs); err != nil {
		t.Fatal(err)
	}
	for i := range buf {
		buf[i] = ' '
	}
	out, err := json.Marshal(fs[0])
	if err != nil {
		t.Fatalf("Marshal after the input was overwritten: %v", err)
	}
	if string(out) != compact(t, factorFixtures[FactorSMS]) {
		t.Errorf("got %s", out)
	}
}

// TestGeneratedUnionsUpToDate fails when the generated member files differ
// from what internal/unionsgen writes now.
func TestGeneratedUnionsUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	t.Parallel()
	dir := t.TempDir()
	cmd := exec.Command("go", "run", "./internal/unionsgen", "-dir", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, out)
	}
	for _, f := range []string{"authenticators_gen.go", "methods_gen.go", "factors_gen.go"} {
		want, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is stale: run go generate ./oktaclient", f)
		}
	}
}

// TestListsKeepUnknownSiblings goes through HTTP for all three unions.
func TestListsKeepUnknownSiblings(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"/api/v1/authenticators":              jsonArray(authenticatorFixtures[KeyDuo], `{"key":"brand_new","id":"autN"}`, authenticatorFixtures[KeyTAC]),
		"/api/v1/authenticators/aut1/methods": jsonArray(methodFixtures[MethodSMS], `{"type":"brain_wave","status":"ACTIVE"}`, methodFixtures[MethodVoice]),
		"/api/v1/users/00u1/factors":          jsonArray(factorFixtures[FactorEmail], `{"factorType":"token:quantum","id":"q1"}`, `{"factorType":"sms","profile":"not an object"}`, factorFixtures[FactorWebAuthn]),
	}
	c, _, _ := serve(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		jsonAnswer(200, bodies[r.URL.Path])(w, r, nil)
	})
	as, err := c.ListAuthenticators(t.Context())
	if err != nil || len(as) != 3 {
		t.Fatalf("authenticators: %d, %v", len(as), err)
	}
	if _, ok := as[0].(*DuoAuthenticator); !ok {
		t.Errorf("as[0] is %T", as[0])
	}
	if u, ok := as[1].(*UnknownAuthenticator); !ok || u.Key() != "brand_new" {
		t.Errorf("as[1] is %T", as[1])
	}
	if _, ok := as[2].(*TACAuthenticator); !ok {
		t.Errorf("as[2] is %T", as[2])
	}
	ms, err := c.ListAuthenticatorMethods(t.Context(), "aut1")
	if err != nil || len(ms) != 3 {
		t.Fatalf("methods: %d, %v", len(ms), err)
	}
	if _, ok := ms[0].(*SMSMethod); !ok {
		t.Errorf("ms[0] is %T", ms[0])
	}
	if u, ok := ms[1].(*UnknownAuthenticatorMethod); !ok || u.Type() != "brain_wave" {
		t.Errorf("ms[1] is %T", ms[1])
	}
	if _, ok := ms[2].(*VoiceMethod); !ok {
		t.Errorf("ms[2] is %T", ms[2])
	}
	fs, err := c.ListFactors(t.Context(), "00u1")
	if err != nil || len(fs) != 4 {
		t.Fatalf("factors: %d, %v", len(fs), err)
	}
	if _, ok := fs[0].(*EmailFactor); !ok {
		t.Errorf("fs[0] is %T", fs[0])
	}
	if u, ok := fs[1].(*UnknownUserFactor); !ok || u.FactorType() != "token:quantum" || u.Err() != nil {
		t.Errorf("fs[1] is %T", fs[1])
	}
	if u, ok := fs[2].(*UnknownUserFactor); !ok || u.FactorType() != FactorSMS || u.Err() == nil {
		t.Errorf("fs[2] is %T, want an UnknownUserFactor with Err", fs[2])
	}
	if _, ok := fs[3].(*WebAuthnFactor); !ok {
		t.Errorf("fs[3] is %T", fs[3])
	}
}

// TestReplaceSendsEverythingBack: GetAuthenticator → change one field →
// ReplaceAuthenticator puts on the wire exactly what came, but that field.
func TestReplaceSendsEverythingBack(t *testing.T) {
	t.Parallel()
	got := `{"type":"email","id":"aut6","key":"okta_email","status":"ACTIVE","name":"Email",` + stamps + `,
		"topLevelUnknown":[{"x":1}],"settings":{"allowedFor":"any","tokenLifetimeInMinutes":5,"newKnob":{"deep":[true]}},` + links + `}`
	c, rc, _ := serve(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.Method == http.MethodPut {
			jsonAnswer(200, string(body))(w, r, nil)
			return
		}
		jsonAnswer(200, got)(w, r, nil)
	})
	a, err := c.GetAuthenticator(t.Context(), "aut6")
	if err != nil {
		t.Fatal(err)
	}
	e := a.(*EmailAuthenticator)
	e.Settings.TokenLifetimeInMinutes = Ptr(10)
	back, err := c.ReplaceAuthenticator(t.Context(), "aut6", e)
	if err != nil {
		t.Fatal(err)
	}
	put := rc.last(t)
	want := strings.Replace(got, `"tokenLifetimeInMinutes":5`, `"tokenLifetimeInMinutes":10`, 1)
	if put.Method != http.MethodPut || !jsonEqual(t, put.Body, []byte(want)) {
		t.Errorf("PUT body:\n got %s\nwant %s", put.Body, compact(t, want))
	}
	if put.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", put.Header.Get("Content-Type"))
	}
	if b, ok := back.(*EmailAuthenticator); !ok || *b.Settings.TokenLifetimeInMinutes != 10 {
		t.Errorf("result %T", back)
	}
}

// eagerModel returns a copy of the generated model embedded in v (a union
// member) with the members decoding leaves out (_links, and a factor's
// free-form _embedded) filled in from its Links and Embedded accessors: what
// decoding into the generated model directly gives. It fails the test when
// an accessor fails.
func eagerModel(t testing.TB, v any) any {
	t.Helper()
	rv := reflect.ValueOf(v)
	m := reflect.New(rv.Elem().Field(0).Type()).Elem()
	m.Set(rv.Elem().Field(0))
	for _, acc := range []struct{ method, field string }{{"Links", "UnderscoreLinks"}, {"Embedded", "UnderscoreEmbedded"}} {
		meth := rv.MethodByName(acc.method)
		if !meth.IsValid() {
			continue
		}
		out := meth.Call(nil)
		if err, _ := out[1].Interface().(error); err != nil {
			t.Fatalf("%T.%s: %v", v, acc.method, err)
		}
		f := m.FieldByName(acc.field)
		switch r := out[0]; {
		case r.IsNil():
		case r.Kind() == reflect.Map:
			p := reflect.New(r.Type())
			p.Elem().Set(r)
			f.Set(p)
		default:
			f.Set(r)
		}
	}
	return m.Interface()
}

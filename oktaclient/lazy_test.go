package oktaclient

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestLinksDecodedOnDemand: decoding leaves the HAL members out of the
// model; Links and Embedded decode them from the raw JSON; a value whose
// fields were set in Go answers with them; and encoding stays lossless
// either way.
func TestLinksDecodedOnDemand(t *testing.T) {
	t.Parallel()
	a, err := UnmarshalAuthenticator([]byte(authenticatorFixtures[KeyOktaVerify]))
	if err != nil {
		t.Fatal(err)
	}
	ov := a.(*OktaVerifyAuthenticator)
	if ov.UnderscoreLinks != nil {
		t.Errorf("UnderscoreLinks decoded eagerly: %+v", ov.UnderscoreLinks)
	}
	l, err := ov.Links()
	if err != nil || l == nil || l.Self == nil || !strings.Contains(l.Self.Href, "/api/v1/authenticators/") {
		t.Fatalf("Links() = %+v, %v; want the self link", l, err)
	}
	// Each call decodes afresh: changing the result changes nothing.
	l.Self.Href = "changed"
	if l2, _ := ov.Links(); l2.Self.Href == "changed" {
		t.Error("Links() returned shared state")
	}
	if out, _ := json.Marshal(ov); string(out) != compact(t, authenticatorFixtures[KeyOktaVerify]) {
		t.Errorf("round trip changed the bytes: %s", out)
	}
	// Set in Go: Links returns it and encoding overlays it.
	ov.UnderscoreLinks = &AuthenticatorLinks{Self: l.Self}
	if got, _ := ov.Links(); got != ov.UnderscoreLinks {
		t.Errorf("Links() = %p, want the field %p", got, ov.UnderscoreLinks)
	}
	out, err := json.Marshal(ov)
	if err != nil || !strings.Contains(string(out), `"href":"changed"`) {
		t.Errorf("encoding after setting UnderscoreLinks = %s, %v", out, err)
	}

	// A factor's free-form _embedded is left out too; TOTP's typed one is not.
	for ft, fx := range factorFixtures {
		f, err := UnmarshalUserFactor([]byte(fx))
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(fx), &raw); err != nil {
			t.Fatal(err)
		}
		if l, err := f.Links(); err != nil || (l != nil) != (raw["_links"] != nil) {
			t.Errorf("%s: Links() = %+v, %v; fixture has _links: %v", ft, l, err, raw["_links"] != nil)
		}
		e, ok := f.(interface {
			Embedded() (map[string]any, error)
		})
		if ft == FactorTokenSoftwareTOTP {
			if ok {
				t.Errorf("%s has Embedded(); its _embedded is decoded eagerly", ft)
			}
			continue
		}
		if !ok {
			t.Fatalf("%T has no Embedded()", f)
		}
		m, err := e.Embedded()
		if err != nil || (m != nil) != (raw["_embedded"] != nil) {
			t.Errorf("%s: Embedded() = %v, %v; fixture has _embedded: %v", ft, m, err, raw["_embedded"] != nil)
		}
	}
}

// TestBadLinks: a _links that is not an object still makes the element
// undecodable (as decoding it into the model did); one that is an object of
// the wrong shape is reported by Links.
func TestBadLinks(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"id":"a","key":"okta_email","_links":5}`,
		`{"id":"a","key":"okta_email","_links":"x"}`,
		`{"id":"a","key":"okta_email","_links":[1]}`,
	} {
		a, err := UnmarshalAuthenticator([]byte(in))
		if !errors.Is(err, errHALNotObject) {
			t.Errorf("%s: err = %v, want errHALNotObject", in, err)
		}
		if u, ok := a.(*UnknownAuthenticator); !ok || u.Err() == nil {
			t.Errorf("%s: got %T, want *UnknownAuthenticator with Err", in, a)
		}
	}
	a, err := UnmarshalAuthenticator([]byte(`{"id":"a","key":"okta_email","_links":{"self":{"href":5}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if l, err := a.Links(); err == nil {
		t.Errorf("Links() = %+v, nil; want the type error", l)
	}
	if a, _ := UnmarshalAuthenticator([]byte(`{"id":"a","key":"okta_email","_links":null}`)); a.(*EmailAuthenticator) == nil {
		t.Error("null _links refused")
	} else if l, err := a.Links(); l != nil || err != nil {
		t.Errorf("Links() of null = %+v, %v", l, err)
	}
}

// TestPublicDecoders: the exported list decoders give what the clients give,
// and refuse every malformed body with a *DecodeError, including ones the
// splitter alone would pass (an invalid element).
func TestPublicDecoders(t *testing.T) {
	t.Parallel()
	body := []byte(jsonArray(authenticatorFixtures[KeyOktaVerify], `{"id":"q","key":"quantum"}`))
	as, err := DecodeAuthenticators(body)
	if err != nil || len(as) != 2 || as[0].Key() != KeyOktaVerify || as[1].Key() != "quantum" {
		t.Fatalf("DecodeAuthenticators = %v, %v", as, err)
	}
	ms, err := DecodeAuthenticatorMethods([]byte(`[{"type":"push","status":"ACTIVE"}]`))
	if err != nil || len(ms) != 1 || ms[0].Type() != MethodPush {
		t.Fatalf("DecodeAuthenticatorMethods = %v, %v", ms, err)
	}
	fs, err := DecodeUserFactors([]byte(`[{"id":"f","factorType":"sms","provider":"OKTA","status":"ACTIVE"}]`))
	if err != nil || len(fs) != 1 || fs[0].FactorType() != FactorSMS {
		t.Fatalf("DecodeUserFactors = %v, %v", fs, err)
	}
	if got, err := DecodeAuthenticators([]byte(` null `)); err != nil || got == nil || len(got) != 0 {
		t.Errorf("null: %v, %v; want an empty list", got, err)
	}
	for _, in := range []string{
		``, `{}`, `[`, `[,]`, `[1,]`, `[1 2]`, `[{"key":"okta_email"}]]`, `[] x`, `nul`, `null x`,
		`[{"key":"okta_email","x":tru}]`,
		`[{"key":"quantum","x":[}]`,
		`[{"key":"okta_email"},{"key":]`,
		`[{"key":"okta_email" "id":"a"}]`,
		`[{"key":"okta_email","_links":{"self":}}]`,
		`["\x"]`,
	} {
		_, err := DecodeAuthenticators([]byte(in))
		var de *DecodeError
		if !errors.As(err, &de) || de.Op != "DecodeAuthenticators" {
			t.Errorf("%q: err = %v, want a *DecodeError", in, err)
		}
		if in != `{}` && json.Valid([]byte(in)) {
			t.Errorf("%q is valid JSON: fix the test", in)
		}
	}
}

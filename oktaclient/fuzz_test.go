package oktaclient

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/mfakit/mfakit/wrappers"
)

// FuzzPeekDiscriminator checks the fast peek against wrappers.PeekString,
// its reference.
func FuzzPeekDiscriminator(f *testing.F) {
	for _, fx := range authenticatorFixtures {
		f.Add([]byte(fx))
	}
	f.Add([]byte(`{"key":"a","key":"b"}`))
	f.Add([]byte(`{"k\u0065y":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, found, err := peekDiscriminator(data, "key")
		wv, wfound, werr := wrappers.PeekString(data, "key")
		if (err == nil) != (werr == nil) {
			// The fast path skips what it does not need without validating
			// it; it may only accept more, never answer differently, and
			// json.Unmarshal always follows it.
			if err == nil && !json.Valid(data) {
				return
			}
			t.Fatalf("err %v, reference err %v", err, werr)
		}
		if err == nil && (string(v) != wv || found != wfound) {
			t.Fatalf("got %q %v, reference %q %v", v, found, wv, wfound)
		}
	})
}

// FuzzUnmarshalAuthenticator: no panic; a decoded value re-encodes to JSON
// that decodes to the same value; a failure always comes with an error.
func FuzzUnmarshalAuthenticator(f *testing.F) {
	for _, fx := range authenticatorFixtures {
		f.Add([]byte(fx))
	}
	f.Add([]byte(`{"key":"quantum","x":[1,{"y":2}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := UnmarshalAuthenticator(bytes.Clone(data))
		if a == nil {
			t.Fatal("nil value")
		}
		if err != nil {
			if u, ok := a.(*UnknownAuthenticator); !ok || u.Err() == nil {
				t.Fatalf("error %v without an Unknown carrying it", err)
			}
			return
		}
		out, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		b, err := UnmarshalAuthenticator(out)
		if err != nil {
			t.Fatalf("re-decode of %s: %v", out, err)
		}
		if reflect.TypeOf(a) != reflect.TypeOf(b) || a.Key() != b.Key() {
			t.Fatalf("type changed: %T %q → %T %q", a, a.Key(), b, b.Key())
		}
		ea := eagerModel(t, a)
		eb := eagerModel(t, b)
		if !reflect.DeepEqual(ea, eb) {
			t.Fatalf("value changed:\n%+v\n%+v", ea, eb)
		}
		var x, y any
		if json.Unmarshal(data, &x) == nil && json.Unmarshal(out, &y) == nil && !reflect.DeepEqual(x, y) {
			t.Fatalf("JSON changed:\n%s\n%s", data, out)
		}
	})
}

func FuzzUnmarshalUserFactor(f *testing.F) {
	for _, fx := range factorFixtures {
		f.Add([]byte(fx))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := UnmarshalUserFactor(bytes.Clone(data))
		if err != nil {
			if u, ok := v.(*UnknownUserFactor); !ok || u.Err() == nil {
				t.Fatalf("error %v without an Unknown carrying it", err)
			}
			return
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		var x, y any
		if json.Unmarshal(data, &x) == nil && json.Unmarshal(out, &y) == nil && !reflect.DeepEqual(x, y) {
			t.Fatalf("JSON changed:\n%s\n%s", data, out)
		}
	})
}

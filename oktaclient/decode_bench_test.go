package oktaclient

import (
	"encoding/json"
	"testing"

	"github.com/mfakit/mfakit/gen/okta"
)

func orgBody() []byte {
	var items []string
	for _, k := range knownAuthenticatorValues {
		items = append(items, authenticatorFixtures[k])
	}
	return []byte(jsonArray(items...))
}

// BenchmarkDecodeAuthenticators decodes a 17-authenticator org with every
// key, as ListAuthenticators does.
func BenchmarkDecodeAuthenticators(b *testing.B) {
	body := orgBody()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		list, err := decodeList(body, UnmarshalAuthenticator)
		if err != nil || len(list) != 17 {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeAuthenticatorsFloor is the plain encoding/json floor:
// []json.RawMessage, a struct peek at the key, one Unmarshal into the
// generated member, raw bytes kept.
func BenchmarkDecodeAuthenticatorsFloor(b *testing.B) {
	body := orgBody()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	type item struct {
		v   any
		raw json.RawMessage
	}
	for b.Loop() {
		var raws []json.RawMessage
		if err := json.Unmarshal(body, &raws); err != nil {
			b.Fatal(err)
		}
		out := make([]item, 0, len(raws))
		for _, raw := range raws {
			var peek struct {
				Key string `json:"key"`
			}
			if err := json.Unmarshal(raw, &peek); err != nil {
				b.Fatal(err)
			}
			var v any
			switch peek.Key {
			case "okta_verify":
				v = new(okta.AuthenticatorKeyOktaVerify)
			case "okta_email":
				v = new(okta.AuthenticatorKeyEmail)
			case "phone_number":
				v = new(okta.AuthenticatorKeyPhone)
			case "custom_app":
				v = new(okta.AuthenticatorKeyCustomApp)
			case "tac":
				v = new(okta.AuthenticatorKeyTac)
			case "duo":
				v = new(okta.AuthenticatorKeyDuo)
			case "onprem_mfa":
				v = new(okta.AuthenticatorKeyOnprem)
			case "external_idp":
				v = new(okta.AuthenticatorKeyExternalIdp)
			default:
				v = new(okta.AuthenticatorBase)
			}
			if err := json.Unmarshal(raw, v); err != nil {
				b.Fatal(err)
			}
			out = append(out, item{v, raw})
		}
		if len(out) != 17 {
			b.Fatal(len(out))
		}
	}
}

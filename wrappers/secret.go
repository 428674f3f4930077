package wrappers

import (
	"fmt"
	"log/slog"
)

// Redacted is the text every secret-holding type in this package prints
// instead of its secret.
const Redacted = "[REDACTED]"

// Secret is a string that must not be printed: a token, client secret or
// client assertion. fmt (every verb, including %v, %+v, %#v, %s, %q, %x), slog
// and encoding/json all see [Redacted]; only an explicit [Secret.Reveal] (or
// a string conversion) gives the value back.
//
// One gap fmt leaves: it cannot call methods on an unexported struct field,
// so a struct holding a Secret in an unexported field prints that field raw
// with %v, %+v and %#v, unless the struct has its own Format method (or
// String and GoString, for the verbs they cover). Give such a struct a
// Format method, as this package's types do, or hold the field as a *Secret,
// which fmt prints as an address.
type Secret string

// Reveal returns the secret's value. Call it only where the value is sent.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer.
func (s Secret) String() string { return Redacted }

// GoString implements fmt.GoStringer.
func (s Secret) GoString() string { return "wrappers.Secret{" + Redacted + "}" }

// Format implements fmt.Formatter, so that no verb prints the value.
func (s Secret) Format(f fmt.State, verb rune) { formatRedacted(f, verb, "wrappers.Secret", "") }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }

// MarshalJSON implements json.Marshaler; it encodes [Redacted].
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText implements encoding.TextMarshaler; it encodes [Redacted].
func (s Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// formatRedacted writes the redacted form of a secret-holding value of type
// typeName: "[REDACTED]" for %v/%s/%q and the like, typeName{…} for %#v.
// detail, if not empty, is non-secret text shown inside the braces.
func formatRedacted(f fmt.State, verb rune, typeName, detail string) {
	inner := Redacted
	if detail != "" {
		inner = detail + ", " + Redacted
	}
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprintf(f, "%s{%s}", typeName, inner)
	case verb == 'q':
		fmt.Fprintf(f, "%q", inner)
	case detail != "":
		fmt.Fprintf(f, "%s{%s}", typeName, inner)
	default:
		fmt.Fprint(f, Redacted)
	}
}

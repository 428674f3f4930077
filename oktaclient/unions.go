package oktaclient

import (
	"encoding/json"

	"github.com/mfakit/mfakit/wrappers"
)

// This file holds how the three unions (Authenticator, AuthenticatorMethod,
// UserFactor) use the provider-neutral union helpers of wrappers: the
// discriminator peek (wrappers.PeekBytes), the list split
// (wrappers.SplitArray) and the lossless encoder (wrappers.MarshalLossless,
// called by the generated members' MarshalJSON).
//
// Decoding a list body costs one validation pass (json.Valid), one split
// pass over the bytes, and per element one discriminator peek plus one
// json.Unmarshal into the concrete type. Each element keeps its own bytes as
// a sub-slice of the body, never copied.

// peekDiscriminator returns the raw bytes of the top-level string member
// field of the JSON object in data (found false when it is absent or null).
// It is wrappers.PeekBytes, which allocates nothing for a plain value and
// skips the validation pass: the json.Unmarshal of data that always follows
// validates it.
func peekDiscriminator(data []byte, field string) (value []byte, found bool, err error) {
	return wrappers.PeekBytes(data, field)
}

// decodeList decodes a list body with dec, one element at a time. An element
// dec cannot decode does not fail the list: dec returns the union's Unknown
// value for it, carrying the error. Only a body that is not a JSON array is
// an error.
func decodeList[T any](body []byte, dec func([]byte) (T, error)) ([]T, error) {
	elems, err := wrappers.SplitArray(body)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(elems))
	for i, raw := range elems {
		out[i], _ = dec(raw)
	}
	return out, nil
}

// decodePlainList decodes a list body of a non-union type.
func decodePlainList[T any](body []byte) ([]T, error) {
	var out []T
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, err
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}

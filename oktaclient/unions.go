package oktaclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/mfakit/mfakit/wrappers"
)

// This file holds how the three unions (Authenticator, AuthenticatorMethod,
// UserFactor) use the provider-neutral union helpers of wrappers: the
// discriminator peek (wrappers.PeekBytes), the list split
// (wrappers.SplitArray) and the lossless encoder (wrappers.MarshalLossless,
// called by the generated members' MarshalJSON).
//
// Decoding a list body costs one split pass over the bytes
// (wrappers.ScanArray), and per element one discriminator peek plus one
// json.Unmarshal into the concrete type, which validates it. Each element keeps its own bytes as
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
// value for it, carrying the error. Only a body that is not a JSON array, or
// not valid JSON, is an error.
//
// The body is not validated up front: wrappers.ScanArray checks the array's
// own syntax and each element is validated by the json.Unmarshal that
// decodes it (dec always unmarshals the element, as its concrete type or as
// the Unknown value's base). Only an element dec fails on is checked again,
// so that invalid JSON fails the whole list as before, with
// encoding/json's error for the body.
func decodeList[T any](body []byte, dec func([]byte) (T, error)) ([]T, error) {
	elems, err := wrappers.ScanArray(body)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(elems))
	for i, raw := range elems {
		var err error
		if out[i], err = dec(raw); err != nil && !json.Valid(raw) {
			if serr := wrappers.ArraySyntaxError(body); serr != nil {
				err = serr
			}
			return nil, err
		}
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

// DecodeAuthenticators decodes a List Authenticators response body (a JSON
// array of authenticators), exactly as [Client.ListAuthenticators] decodes
// each page: an element with a key this version does not know, or one that
// does not decode, is an [*UnknownAuthenticator] in its place. Only a body
// that is not a JSON array (or not valid JSON) is an error, a
// [*DecodeError] (Status 200, as if the server had sent body). Each value keeps its part of body without copying it: do
// not modify body afterwards.
func DecodeAuthenticators(body []byte) ([]Authenticator, error) {
	out, err := decodeList(body, UnmarshalAuthenticator)
	if err != nil {
		return nil, &DecodeError{Op: "DecodeAuthenticators", Status: http.StatusOK, Err: err}
	}
	return out, nil
}

// DecodeAuthenticatorMethods decodes a List Authenticator Methods response
// body as [Client.ListAuthenticatorMethods] does; see [DecodeAuthenticators].
func DecodeAuthenticatorMethods(body []byte) ([]AuthenticatorMethod, error) {
	out, err := decodeList(body, UnmarshalAuthenticatorMethod)
	if err != nil {
		return nil, &DecodeError{Op: "DecodeAuthenticatorMethods", Status: http.StatusOK, Err: err}
	}
	return out, nil
}

// DecodeUserFactors decodes a List Factors response body as
// [Client.ListFactors] does; see [DecodeAuthenticators].
func DecodeUserFactors(body []byte) ([]UserFactor, error) {
	out, err := decodeList(body, UnmarshalUserFactor)
	if err != nil {
		return nil, &DecodeError{Op: "DecodeUserFactors", Status: http.StatusOK, Err: err}
	}
	return out, nil
}

// lazyObject stands in for a member decoding skips (_links, _embedded):
// it keeps nothing (the value's raw JSON has it) and only checks that the
// member is a JSON object or null, as decoding it into the model would.
type lazyObject struct{}

// errHALNotObject is the decoding error of a _links or _embedded member that
// is not a JSON object.
var errHALNotObject = errors.New("oktaclient: _links or _embedded is not a JSON object")

func (*lazyObject) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && (b[0] == '{' || string(b) == "null") {
		return nil
	}
	return errHALNotObject
}

// lazyLinks returns cur, or when it is nil the _links member of raw decoded
// into a new T.
func lazyLinks[T any](cur *T, raw json.RawMessage) (*T, error) {
	if cur != nil || len(raw) == 0 {
		return cur, nil
	}
	var v struct {
		L *T `json:"_links"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("oktaclient: decoding _links: %w", err)
	}
	return v.L, nil
}

// lazyEmbedded is lazyLinks for a free-form _embedded member.
func lazyEmbedded(cur *map[string]any, raw json.RawMessage) (map[string]any, error) {
	if cur != nil {
		return *cur, nil
	}
	if len(raw) == 0 {
		return nil, nil
	}
	var v struct {
		E map[string]any `json:"_embedded"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("oktaclient: decoding _embedded: %w", err)
	}
	return v.E, nil
}

package wrappers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
)

// ErrNotObject is matched (errors.Is) by errors of [PeekString] and
// [MergeObjects] for JSON that is valid but not an object where one is
// needed.
var ErrNotObject = errors.New("JSON value is not an object")

// PeekString reads the top-level string field named field from the JSON
// object in data without decoding anything into Go values, for choosing the
// concrete type of a discriminated union before decoding it once. The field
// name must match exactly (after unescaping); a name inside a nested object or
// inside a string value is never mistaken for it. If the field occurs more
// than once, the last occurrence wins, as in encoding/json.
//
// It returns (value, true, nil) when the field holds a string, ("", false,
// nil) when it is absent or null, and an error when data is not a single valid
// JSON object (wrapping [ErrNotObject] if it is valid JSON of another kind) or
// the field holds another kind of value (a *json.UnmarshalTypeError).
func PeekString(data []byte, field string) (string, bool, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := expectObject(dec); err != nil {
		return "", false, fmt.Errorf("wrappers: peeking at %q: %w", field, err)
	}
	var val string
	found := false
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return "", false, fmt.Errorf("wrappers: peeking at %q: %w", field, err)
		}
		key, _ := kt.(string)
		if key != field {
			if err := skipValue(dec); err != nil {
				return "", false, fmt.Errorf("wrappers: peeking at %q: %w", field, err)
			}
			continue
		}
		vt, err := dec.Token()
		if err != nil {
			return "", false, fmt.Errorf("wrappers: peeking at %q: %w", field, err)
		}
		switch v := vt.(type) {
		case string:
			val, found = v, true
		case nil:
			val, found = "", false
		default:
			kind := "bool"
			switch v.(type) {
			case float64, json.Number:
				kind = "number"
			case json.Delim:
				kind = "object or array"
			}
			return "", false, &json.UnmarshalTypeError{Value: kind, Type: reflect.TypeFor[string](), Offset: dec.InputOffset(), Field: field}
		}
	}
	if err := expectEnd(dec); err != nil {
		return "", false, fmt.Errorf("wrappers: peeking at %q: %w", field, err)
	}
	return val, found, nil
}

// MergeObjects overlays known onto raw and returns the merged JSON. It is
// how a face re-encodes a value decoded from raw without losing the fields its
// struct does not model: raw is the JSON the server sent, known is
// json.Marshal of the (possibly changed) struct.
//
// Semantics, applied recursively:
//   - if raw and known are both objects: every member of raw is kept, in raw's
//     order; a member also present in known takes known's value, merged
//     recursively when both values are objects; members only in known are
//     appended in known's order;
//   - otherwise (arrays, scalars, null, or kinds that differ) known's value
//     replaces raw's whole: arrays are never merged element by element;
//   - empty raw (no bytes or only whitespace) gives known unchanged.
//
// A member absent from known (a field with omitempty left empty) therefore
// keeps raw's value, while a known null replaces it. Duplicate keys in raw are
// reduced to their last occurrence, as encoding/json reads them. Values taken
// from raw are copied verbatim. Invalid JSON in either input is an error.
func MergeObjects(raw, known []byte) ([]byte, error) {
	if !json.Valid(known) {
		return nil, errors.New("wrappers: merging JSON: known value is not valid JSON")
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return bytes.Clone(known), nil
	}
	if !json.Valid(raw) {
		return nil, errors.New("wrappers: merging JSON: raw value is not valid JSON")
	}
	var buf bytes.Buffer
	if err := mergeValue(&buf, raw, known); err != nil {
		return nil, fmt.Errorf("wrappers: merging JSON: %w", err)
	}
	return buf.Bytes(), nil
}

// MarshalMerged is json.Marshal(known) overlaid on raw with [MergeObjects]:
// the MarshalJSON of a lossless type is typically
//
//	type plain T // drops T's methods, so this does not recurse
//	return wrappers.MarshalMerged(t.raw, plain(t))
func MarshalMerged(raw []byte, known any) ([]byte, error) {
	b, err := json.Marshal(known)
	if err != nil {
		return nil, err
	}
	return MergeObjects(raw, b)
}

type member struct {
	key   string
	value json.RawMessage
}

func mergeValue(buf *bytes.Buffer, raw, known []byte) error {
	rm, rok, err := objectMembers(raw)
	if err != nil {
		return err
	}
	km, kok, err := objectMembers(known)
	if err != nil {
		return err
	}
	if !rok || !kok {
		buf.Write(known)
		return nil
	}
	kidx := make(map[string]int, len(km))
	for i, m := range km {
		kidx[m.key] = i
	}
	used := make([]bool, len(km))
	buf.WriteByte('{')
	first := true
	writeKey := func(k string) error {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		kb, err := json.Marshal(k)
		if err != nil {
			return err
		}
		buf.Write(kb)
		buf.WriteByte(':')
		return nil
	}
	for _, m := range rm {
		if err := writeKey(m.key); err != nil {
			return err
		}
		if i, ok := kidx[m.key]; ok {
			used[i] = true
			if err := mergeValue(buf, m.value, km[i].value); err != nil {
				return err
			}
			continue
		}
		buf.Write(m.value)
	}
	for i, m := range km {
		if used[i] {
			continue
		}
		if err := writeKey(m.key); err != nil {
			return err
		}
		buf.Write(m.value)
	}
	buf.WriteByte('}')
	return nil
}

// objectMembers returns the members of data if it is a JSON object (ok
// true), with duplicate keys reduced to the last occurrence at its position.
// For other valid JSON it returns ok false.
func objectMembers(data []byte) ([]member, bool, error) {
	t := bytes.TrimLeft(data, " \t\r\n")
	if len(t) == 0 || t[0] != '{' {
		return nil, false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := expectObject(dec); err != nil {
		return nil, false, err
	}
	var ms []member
	pos := map[string]int{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, false, err
		}
		key, _ := kt.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false, err
		}
		pos[key] = len(ms)
		ms = append(ms, member{key: key, value: v})
	}
	if err := expectEnd(dec); err != nil {
		return nil, false, err
	}
	if len(pos) != len(ms) {
		out := ms[:0]
		for i, m := range ms {
			if pos[m.key] == i {
				out = append(out, m)
			}
		}
		ms = out
	}
	return ms, true, nil
}

func expectObject(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		// Make sure it is at least valid JSON before calling it "not an object".
		if d, ok := tok.(json.Delim); ok && d == '[' {
			if err := skipRest(dec, 1); err != nil {
				return err
			}
		}
		if err := expectEOF(dec); err != nil {
			return err
		}
		return ErrNotObject
	}
	return nil
}

// expectEnd reads the closing '}' of an object and checks nothing follows.
func expectEnd(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '}' {
		return fmt.Errorf("unexpected %v at offset %d", tok, dec.InputOffset())
	}
	return expectEOF(dec)
}

func expectEOF(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return fmt.Errorf("trailing data after the JSON value at offset %d", dec.InputOffset())
		}
		return err
	}
	return nil
}

// skipValue skips the next value, however deeply nested.
func skipValue(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') {
		return skipRest(dec, 1)
	}
	return nil
}

func skipRest(dec *json.Decoder, depth int) error {
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			default:
				depth--
			}
		}
	}
	return nil
}

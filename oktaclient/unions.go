package oktaclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/mfakit/mfakit/wrappers"
)

// This file holds what the three unions (Authenticator, AuthenticatorMethod,
// UserFactor) share: finding the discriminator, splitting a list body into
// its elements, and encoding a decoded value without losing what the server
// sent.
//
// Decoding a list body costs one validation pass (json.Valid), one split
// pass over the bytes, and per element one discriminator peek plus one
// json.Unmarshal into the concrete type. Each element keeps its own bytes as
// a sub-slice of the body, never copied.

// errNotArray is returned for a list body that is valid JSON but not an
// array.
var errNotArray = errors.New("JSON value is not an array")

// peekDiscriminator returns the raw bytes of the top-level string member
// field of the JSON object in data (found false when it is absent or null).
//
// It is hand-written on purpose: wrappers.PeekString walks json.Decoder
// tokens and costs about four times a full decode of a typical
// authenticator (350 allocations against 9), which would dominate list
// decoding. This byte scanner handles the common case without allocating;
// whenever it meets anything unusual (an escaped key or value, a non-string
// discriminator, malformed input) it defers to wrappers.PeekString, which
// gives the exact answer or error. Like encoding/json, the last occurrence
// of a repeated member wins. It does not validate the parts it skips; the
// json.Unmarshal that always follows does.
func peekDiscriminator(data []byte, field string) (value []byte, found bool, err error) {
	if v, f, ok := fastPeek(data, field); ok {
		return v, f, nil
	}
	s, f, err := wrappers.PeekString(data, field)
	return []byte(s), f, err
}

func fastPeek(b []byte, field string) (value []byte, found, ok bool) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false, false
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil, false, skipWS(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return nil, false, false
		}
		j, esc := skipString(b, i)
		if j < 0 || esc {
			return nil, false, false
		}
		key := b[i+1 : j-1]
		i = skipWS(b, j)
		if i >= len(b) || b[i] != ':' {
			return nil, false, false
		}
		i = skipWS(b, i+1)
		if string(key) == field {
			switch {
			case i < len(b) && b[i] == '"':
				k, esc := skipString(b, i)
				if k < 0 || esc {
					return nil, false, false
				}
				value, found = b[i+1:k-1], true
				i = k
			case bytes.HasPrefix(b[i:], []byte("null")):
				value, found = nil, false
				i += 4
			default:
				return nil, false, false
			}
		} else if i = skipValue(b, i); i < 0 {
			return nil, false, false
		}
		i = skipWS(b, i)
		if i >= len(b) {
			return nil, false, false
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case '}':
			return value, found, skipWS(b, i+1) == len(b)
		default:
			return nil, false, false
		}
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString skips the string starting at b[i] == '"'. It returns the index
// just past the closing quote (-1 if there is none) and whether the string
// holds an escape.
func skipString(b []byte, i int) (int, bool) {
	esc := false
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return j + 1, esc
		}
	}
	return -1, esc
}

// skipValue skips the value starting at b[i] and returns the index just past
// it, or -1. Brackets are only counted, not matched: callers rely on
// validation elsewhere.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		j, _ := skipString(b, i)
		return j
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				k, _ := skipString(b, j)
				if k < 0 {
					return -1
				}
				j = k - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	default:
		j := i
		for j < len(b) {
			switch b[j] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				if j == i {
					return -1
				}
				return j
			}
			j++
		}
		if j == i {
			return -1
		}
		return j
	}
}

// splitArray returns the elements of the JSON array in body as sub-slices of
// body (capacity capped, so appending to one cannot overwrite the next).
// "null" is an empty list. Invalid JSON, or JSON that is not an array, is an
// error.
func splitArray(body []byte) ([][]byte, error) {
	if !json.Valid(body) {
		// Let encoding/json describe the problem.
		var v []json.RawMessage
		if err := json.Unmarshal(body, &v); err != nil {
			return nil, err
		}
		return nil, io.ErrUnexpectedEOF
	}
	i := skipWS(body, 0)
	if bytes.HasPrefix(body[i:], []byte("null")) {
		return nil, nil
	}
	if body[i] != '[' {
		return nil, errNotArray
	}
	var out [][]byte
	i = skipWS(body, i+1)
	if body[i] == ']' {
		return [][]byte{}, nil
	}
	for {
		j := skipValue(body, i)
		if j < 0 {
			return nil, io.ErrUnexpectedEOF // unreachable for valid JSON
		}
		out = append(out, body[i:j:j])
		i = skipWS(body, j)
		if body[i] == ']' {
			return out, nil
		}
		i = skipWS(body, i+1) // the ','
	}
}

// decodeList decodes a list body with dec, one element at a time. An element
// dec cannot decode does not fail the list: dec returns the union's Unknown
// value for it, carrying the error. Only a body that is not a JSON array is
// an error.
func decodeList[T any](body []byte, dec func([]byte) (T, error)) ([]T, error) {
	elems, err := splitArray(body)
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

// marshalLossless encodes the generated struct *cur of a value decoded from
// raw so that the server's JSON survives: fields this package does not model
// (at any depth) are kept, and so are the exact bytes of every modelled
// field the caller did not change (a "2024-05-01T10:00:00.000Z" timestamp
// is not rewritten as "2024-05-01T10:00:00Z", a large number does not go
// through float32). Only the members whose encoding differs from what raw
// decodes to are overlaid on raw, with wrappers.MergeObjects. A field set
// to nil (absent from the encoding) keeps the server's value. fix, if not
// nil, is applied to both the current and the original value before
// comparing (it sets the discriminator).
//
// Without raw (a value built by the caller) it is plain json.Marshal.
func marshalLossless[T any](raw json.RawMessage, cur T, fix func(*T)) ([]byte, error) {
	if fix != nil {
		fix(&cur)
	}
	now, err := json.Marshal(&cur)
	if err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return now, nil
	}
	var orig T
	// A type mismatch leaves orig decoded as far as it goes, exactly as the
	// value itself was when it was decoded; the error adds nothing here.
	_ = json.Unmarshal(raw, &orig)
	if fix != nil {
		fix(&orig)
	}
	was, err := json.Marshal(&orig)
	if err != nil {
		return nil, err
	}
	changed, err := diffJSON(was, now)
	if err != nil {
		return nil, err
	}
	if changed == nil {
		return bytes.Clone(raw), nil
	}
	return wrappers.MergeObjects(raw, changed)
}

// diffJSON returns what of cur differs from old: nil when nothing does; for
// two objects, an object of the members of cur that are new or changed
// (recursively); otherwise cur itself.
func diffJSON(old, cur []byte) (json.RawMessage, error) {
	if bytes.Equal(old, cur) {
		return nil, nil
	}
	om, ook, err := members(old)
	if err != nil {
		return nil, err
	}
	cm, cok, err := members(cur)
	if err != nil {
		return nil, err
	}
	if !ook || !cok {
		return cur, nil
	}
	prev := make(map[string]json.RawMessage, len(om))
	for _, m := range om {
		prev[m.key] = m.value
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	n := 0
	for _, m := range cm {
		v := json.RawMessage(m.value)
		if p, ok := prev[m.key]; ok {
			if v, err = diffJSON(p, m.value); err != nil {
				return nil, err
			}
			if v == nil {
				continue
			}
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		k, _ := json.Marshal(m.key)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	if n == 0 {
		return nil, nil
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

type member struct {
	key   string
	value json.RawMessage
}

// members returns the members of the JSON object data in order (ok false
// for valid JSON of another kind). It is used only when encoding, on output
// of json.Marshal, so it favours simplicity over speed.
func members(data []byte) ([]member, bool, error) {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return nil, false, err
	}
	var out []member
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, false, err
		}
		key, ok := kt.(string)
		if !ok {
			return nil, false, fmt.Errorf("object key is %T", kt)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false, err
		}
		out = append(out, member{key: key, value: v})
	}
	return out, true, nil
}

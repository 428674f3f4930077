package wrappers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"unicode/utf8"
)

// ErrNotObject is matched (errors.Is) by errors of [PeekString] and
// [MergeObjects] for JSON that is valid but not an object where one is
// needed.
var ErrNotObject = errors.New("JSON value is not an object")

// ErrNotArray is matched (errors.Is) by the error of [SplitArray] for JSON
// that is valid but neither an array nor null.
var ErrNotArray = errors.New("JSON value is not an array")

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
//
// It checks data with json.Valid and then scans the bytes itself, allocating
// only the returned string; for anything unusual (an escape or non-UTF-8 byte
// in the field's name or value, a value that is not a string, invalid JSON)
// it walks json.Decoder tokens instead, which gives the exact answer or error
// but costs hundreds of allocations for a typical object.
func PeekString(data []byte, field string) (string, bool, error) {
	if json.Valid(data) {
		if v, found, ok := scanPeek(data, field); ok {
			return string(v), found, nil
		}
	}
	return peekTokens(data, field)
}

// PeekBytes is [PeekString] returning the value's bytes, without allocating
// in the common case: a value without escapes is a sub-slice of data (do not
// modify it), other values are a fresh copy. It does not validate the parts
// of data it skips, so for invalid JSON it may return a value where
// PeekString fails; for valid JSON it answers exactly as PeekString. Use it
// where data is decoded right afterwards (json.Unmarshal validates), as a
// union's discriminator peek is; that saves a validation pass.
func PeekBytes(data []byte, field string) ([]byte, bool, error) {
	if v, found, ok := scanPeek(data, field); ok {
		return v, found, nil
	}
	s, found, err := peekTokens(data, field)
	if err != nil || !found {
		return nil, found, err
	}
	return []byte(s), true, nil
}

// scanPeek is the byte scanner behind PeekString and PeekBytes. ok false
// means it could not answer (something unusual, or malformed input) and the
// caller must ask peekTokens. It counts brackets without matching them, so
// its answer is exact only for valid JSON.
func scanPeek(b []byte, field string) (value []byte, found, ok bool) {
	i := scanWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false, false
	}
	i = scanWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil, false, scanWS(b, i+1) == len(b)
	}
	for {
		key, j := plainString(b, i)
		if j < 0 {
			return nil, false, false
		}
		i = scanWS(b, j)
		if i >= len(b) || b[i] != ':' {
			return nil, false, false
		}
		i = scanWS(b, i+1)
		if string(key) == field {
			switch {
			case i < len(b) && b[i] == '"':
				if value, i = plainString(b, i); i < 0 {
					return nil, false, false
				}
				found = true
			case bytes.HasPrefix(b[i:], []byte("null")):
				value, found = nil, false
				i += 4
			default:
				return nil, false, false
			}
		} else if i = scanValue(b, i); i < 0 {
			return nil, false, false
		}
		i = scanWS(b, i)
		if i >= len(b) {
			return nil, false, false
		}
		switch b[i] {
		case ',':
			i = scanWS(b, i+1)
		case '}':
			return value, found, scanWS(b, i+1) == len(b)
		default:
			return nil, false, false
		}
	}
}

// plainString returns the contents of the string starting at b[i] and the
// index just past it, if it reads the same raw as decoded: no escape, valid
// UTF-8 (encoding/json replaces invalid bytes). Otherwise the index is -1.
func plainString(b []byte, i int) ([]byte, int) {
	if i >= len(b) || b[i] != '"' {
		return nil, -1
	}
	j, esc := scanString(b, i)
	if j < 0 || esc {
		return nil, -1
	}
	s := b[i+1 : j-1 : j-1]
	if !utf8.Valid(s) {
		return nil, -1
	}
	return s, j
}

func scanWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString skips the string starting at b[i] == '"'. It returns the index
// just past the closing quote (-1 if there is none) and whether the string
// holds an escape.
func scanString(b []byte, i int) (int, bool) {
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

// scanValue skips the value starting at b[i] and returns the index just past
// it, or -1. Brackets are only counted, not matched.
func scanValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		j, _ := scanString(b, i)
		return j
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				k, _ := scanString(b, j)
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

// peekTokens is PeekString done with json.Decoder tokens: exact for every
// input, but slow.
func peekTokens(data []byte, field string) (string, bool, error) {
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

// SplitArray returns the elements of the JSON array in body as sub-slices of
// body, in order and without copying (each with its capacity capped, so that
// appending to one cannot overwrite the next). "null" gives a nil slice, "[]"
// an empty one. Invalid JSON is encoding/json's error; valid JSON of another
// kind an error matching [ErrNotArray]. It is [ScanArray] after a validation
// pass over the whole body.
func SplitArray(body []byte) ([][]byte, error) {
	if !json.Valid(body) {
		return nil, arraySyntaxError(body)
	}
	return ScanArray(body)
}

// ScanArray is [SplitArray] without the validation pass over the elements,
// for a caller that decodes every element right away (json.Unmarshal
// validates what it decodes, so validating the body first would do that work
// twice): the array's own syntax is checked (the brackets, the commas
// between elements, nothing but white space after it), each element only as
// far as finding where it ends. A body that passes may therefore hold an
// element that is not valid JSON; the caller must reject it, and can describe
// the problem with [ArraySyntaxError].
func ScanArray(body []byte) ([][]byte, error) {
	i := scanWS(body, 0)
	if i+4 <= len(body) && string(body[i:i+4]) == "null" && scanWS(body, i+4) == len(body) {
		return nil, nil
	}
	if i >= len(body) || body[i] != '[' {
		if json.Valid(body) {
			return nil, ErrNotArray
		}
		return nil, arraySyntaxError(body)
	}
	out := [][]byte{}
	i = scanWS(body, i+1)
	if i < len(body) && body[i] == ']' {
		if scanWS(body, i+1) != len(body) {
			return nil, arraySyntaxError(body)
		}
		return out, nil
	}
	for {
		j := scanValue(body, i)
		if j < 0 {
			return nil, arraySyntaxError(body)
		}
		out = append(out, body[i:j:j])
		i = scanWS(body, j)
		if i >= len(body) {
			return nil, arraySyntaxError(body)
		}
		switch body[i] {
		case ']':
			if scanWS(body, i+1) != len(body) {
				return nil, arraySyntaxError(body)
			}
			return out, nil
		case ',':
			i = scanWS(body, i+1)
		default:
			return nil, arraySyntaxError(body)
		}
	}
}

// ArraySyntaxError returns encoding/json's description of what is wrong with
// body as a JSON array (a *json.SyntaxError for invalid JSON), for a caller
// of [ScanArray] that found an invalid element. For a valid array it returns
// nil.
func ArraySyntaxError(body []byte) error {
	var v []json.RawMessage
	return json.Unmarshal(body, &v)
}

// arraySyntaxError is ArraySyntaxError for a body already known to be
// malformed: never nil.
func arraySyntaxError(body []byte) error {
	if err := ArraySyntaxError(body); err != nil {
		return err
	}
	return io.ErrUnexpectedEOF // unreachable: the scanners accept all valid JSON
}

// MarshalLossless encodes cur, a value decoded from raw (typically a
// generated struct embedded in a union member that keeps raw), so that the
// server's JSON survives a read-modify-write: members the struct does not
// model (at any depth) are kept, and so are the exact bytes of every
// modelled member the caller did not change (a "2024-05-01T10:00:00.000Z"
// timestamp is not rewritten as "2024-05-01T10:00:00Z", a large number does
// not go through float32). It compares json.Marshal of cur ("now") with
// json.Marshal of raw decoded afresh into a T ("was"); nothing changed gives
// raw back. Otherwise, recursively through objects present in all three:
//   - a member of raw that is in now takes now's value where it differs
//     from was (objects overlaid as by [MergeObjects]), and keeps raw's bytes
//     where it does not;
//   - a member of raw that is in was but not in now was cleared by the
//     caller (a field set to nil, or to the empty value of an omitempty
//     field) and is left out, so that a PUT of the result clears it on the
//     server; except HAL's server-owned "_links" and "_embedded", which a
//     face may decode lazily and so leave empty in cur, and which are kept;
//   - a member of raw in neither was nor now (one T does not model) is kept;
//   - members of now that raw lacks are appended when new or changed.
//
// Keys are compared exactly. fix, if not nil, is applied to both values
// before encoding (a union member sets its discriminator with it).
//
// Without raw (a value built by the caller) it is json.Marshal of cur.
func MarshalLossless[T any](raw json.RawMessage, cur T, fix func(*T)) ([]byte, error) {
	if fix != nil {
		fix(&cur)
	}
	now, err := json.Marshal(&cur)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
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
	if bytes.Equal(was, now) {
		return bytes.Clone(raw), nil
	}
	if !json.Valid(raw) {
		return nil, errors.New("wrappers: lossless encoding: raw value is not valid JSON")
	}
	var buf bytes.Buffer
	if err := losslessValue(&buf, raw, was, now); err != nil {
		return nil, fmt.Errorf("wrappers: lossless encoding: %w", err)
	}
	return buf.Bytes(), nil
}

// keptWhenAbsent names the members that an absence from now never deletes:
// HAL's hypermedia, owned by the server and decoded lazily by the faces
// (their models' UnderscoreLinks and UnderscoreEmbedded stay nil until
// asked for), so absent from now although the caller never cleared them.
func keptWhenAbsent(key string) bool { return key == "_links" || key == "_embedded" }

// losslessValue writes raw with what changed from was to now applied, as
// described at MarshalLossless.
func losslessValue(buf *bytes.Buffer, raw, was, now []byte) error {
	if bytes.Equal(was, now) {
		buf.Write(raw)
		return nil
	}
	rm, rok, err := objectMembers(raw)
	if err != nil {
		return err
	}
	wm, wok, err := objectMembers(was)
	if err != nil {
		return err
	}
	nm, nok, err := objectMembers(now)
	if err != nil {
		return err
	}
	if !rok || !wok || !nok {
		return mergeValue(buf, raw, now)
	}
	prev := make(map[string]json.RawMessage, len(wm))
	for _, m := range wm {
		prev[m.key] = m.value
	}
	cur := make(map[string]json.RawMessage, len(nm))
	for _, m := range nm {
		cur[m.key] = m.value
	}
	inRaw := make(map[string]bool, len(rm))
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
		inRaw[m.key] = true
		nv, inNow := cur[m.key]
		wv, inWas := prev[m.key]
		switch {
		case inNow && inWas:
			if err := writeKey(m.key); err != nil {
				return err
			}
			if err := losslessValue(buf, m.value, wv, nv); err != nil {
				return err
			}
		case inNow:
			if err := writeKey(m.key); err != nil {
				return err
			}
			if err := mergeValue(buf, m.value, nv); err != nil {
				return err
			}
		case inWas && !keptWhenAbsent(m.key):
			// Cleared by the caller: left out.
		default:
			if err := writeKey(m.key); err != nil {
				return err
			}
			buf.Write(m.value)
		}
	}
	for _, m := range nm {
		if inRaw[m.key] {
			continue
		}
		if wv, ok := prev[m.key]; ok && bytes.Equal(wv, m.value) {
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

package wrappers

// Fuzz targets for the hand-written parsers in this package (issue 7): the
// Link header parser, the paging loop that follows it, the discriminator peek
// and the lossless JSON merge. Each checks properties, not just "no panic",
// against an independent reference (encoding/json, net/url) where there is
// one. Seeds are in-line; crashers found later go under testdata/fuzz/FuzzXxx.
// scripts/fuzz.sh lists these targets for `make fuzz` and .ci/run.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

var linkSeeds = []string{
	`<https://x.okta.com/api/v1/users?after=00u2&limit=2>; rel="next"`,
	`<https://x.okta.com/api/v1/users?limit=2>; rel="self", <https://x.okta.com/api/v1/users?after=00u2&limit=2>; rel="next"`,
	`<https://a/1>; title="a, b; <c>"; rel="prev", <https://a/2>; rel="next"`,
	`<https://a/2>; title="say \"hi\""; rel="next last"`,
	`</api/v1/users?after=x>; REL=NEXT`,
	` , <https://a/2>; rel="next" ,, `,
	`<https://a/2>; rel="next", <https://a/3>; rel="next"`,
	`<https://a/%zz>; rel=next`,
	`<https://a/2>; rel="next`,
	`<https://a/2>; rel="prev"; rel="next"`,
	`<//evil.example/steal>; rel="next"`,
	`<http://x.okta.com/api/v1/users>; rel="next"`,
	`<https://x.okta.com:8443/api/v1/users>; rel="next"`,
	`<https://X.OKTA.COM./api/v1/users?after=1#frag>; rel="next"`,
	`<https://user:pw@evil.example@x.okta.com/>; rel="next"`,
	`<>; rel="next"`,
	"<https://a/\x00>; rel=next",
	``,
}

// FuzzParseLinkNext: no panic; an error is always a *LinkHeaderError and
// comes with a nil URL; the found target survives a round trip through a
// canonical header; an unrelated extra link changes nothing; headers that
// parse one by one parse the same when joined into one value.
func FuzzParseLinkNext(f *testing.F) {
	for _, s := range linkSeeds {
		f.Add(s, "")
		f.Add(`<https://x.okta.com/api/v1/users?limit=2>; rel="self"`, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		h := http.Header{}
		h.Add("Link", a)
		if b != "" {
			h.Add("Link", b)
		}
		u, err := ParseLinkNext(h)
		if err != nil {
			var le *LinkHeaderError
			if u != nil || !errors.As(err, &le) || !errors.Is(err, ErrMalformedLink) {
				t.Fatalf("ParseLinkNext = %v, %#v; want nil and a *LinkHeaderError", u, err)
			}
			if strings.ContainsAny(le.Error(), "\r\n") {
				t.Fatalf("error message spans lines: %q", le.Error())
			}
			return
		}
		if u == nil {
			if containsFold(a, "next") || containsFold(b, "next") {
				// Could be a title or another relation; nothing to check.
				return
			}
			return
		}
		if !containsFold(a, "next") && !containsFold(b, "next") {
			t.Fatalf("found next link %v in headers that never say next: %q %q", u, a, b)
		}

		// Round trip: the target re-emitted in a canonical header parses to
		// the same URL.
		canon := http.Header{"Link": {"<" + u.String() + `>; rel="next"`}}
		if strings.Contains(u.String(), ">") {
			t.Fatalf("target %q contains '>', which cannot come from between <>", u)
		}
		u2, err := ParseLinkNext(canon)
		if err != nil || u2 == nil || u2.String() != u.String() {
			t.Fatalf("round trip of %q: %v, %v", u, u2, err)
		}

		// An unrelated link in its own header changes nothing.
		h.Add("Link", `<https://unrelated.example/>; rel="self"`)
		u3, err := ParseLinkNext(h)
		if err != nil || u3 == nil || u3.String() != u.String() {
			t.Fatalf("with an extra self link: %v, %v; want %v", u3, err, u)
		}

		// Two headers mean the same as one comma-joined header.
		if b != "" {
			joined := http.Header{"Link": {a + ", " + b}}
			u4, err := ParseLinkNext(joined)
			if err != nil || u4 == nil || u4.String() != u.String() {
				t.Fatalf("joined %q: %v, %v; want %v", joined.Get("Link"), u4, err, u)
			}
		}
	})
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// FuzzPaginate drives Paginate with a server that answers page i with the
// fuzzed Link header line i (lines separated by '\n'; no header after the
// last line). Properties: no panic; it terminates; fetch is only ever asked
// for a URL on the configured origin (so credentials never leave it); no
// URL is fetched twice; items arrive in order, none lost before an error;
// an error is yielded at most once, last, and is a *LinkHeaderError,
// *ForeignOriginError or *PagingLoopError that matches what the header said.
func FuzzPaginate(f *testing.F) {
	f.Add("</api/v1/users?after=1>; rel=next\n</api/v1/users?after=2>; rel=next")
	f.Add("<https://org.example.com/api/v1/users?after=1>; rel=\"next\"\n")
	f.Add("<https://evil.example/api/v1/users?after=1>; rel=\"next\"")
	f.Add("<http://org.example.com/api/v1/users?after=1>; rel=\"next\"")
	f.Add("<//evil.example/x>; rel=next")
	f.Add("<?after=1>; rel=next\n<?after=1#x>; rel=next")
	f.Add("<?after=1>; rel=next\n<?after=2>; rel=next\n<?after=1>; rel=next")
	f.Add("<>; rel=next\n<>; rel=next")
	f.Add("<https://ORG.example.com:443/a>; rel=next\n<https://org.example.com./a>; rel=next")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, script string) {
		origin := &url.URL{Scheme: "https", Host: "org.example.com", Path: "/"}
		first := "https://org.example.com/api/v1/users?limit=2"
		lines := strings.Split(script, "\n")
		if len(lines) > 16 {
			lines = lines[:16]
		}
		fetched := map[string]bool{}
		var lastNext *url.URL // what the last page announced, resolved
		calls, delivered := 0, 0
		fetch := func(ctx context.Context, next *url.URL) (Page[int], error) {
			target := first
			if next != nil {
				if !SameOrigin(origin, next) {
					t.Fatalf("asked to fetch %v, off origin %v", next, origin)
				}
				target = next.String()
			}
			key := strings.SplitN(target, "#", 2)[0]
			if fetched[key] {
				t.Fatalf("fetched %q twice", key)
			}
			fetched[key] = true
			calls++
			if calls > len(lines)+1 {
				t.Fatalf("fetched %d pages for %d header lines", calls, len(lines))
			}
			i := calls - 1
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
			if err != nil {
				return Page[int]{}, err
			}
			resp := &http.Response{Request: req, Header: http.Header{}}
			if i < len(lines) {
				resp.Header.Set("Link", lines[i])
			}
			n, err := NextLink(resp)
			if err != nil {
				return Page[int]{}, err
			}
			lastNext = n
			delivered++
			return Page[int]{Items: []int{2 * i, 2*i + 1}, Next: n, URL: req.URL}, nil
		}
		want := 0
		gotErr := false
		for v, err := range Paginate(t.Context(), origin, fetch) {
			if gotErr {
				t.Fatalf("yielded (%v, %v) after an error", v, err)
			}
			if err != nil {
				gotErr = true
				if v != 0 {
					t.Fatalf("error came with a value %v", v)
				}
				if want != 2*delivered {
					t.Fatalf("error after %d items of %d pages: items lost", want, delivered)
				}
				var le *LinkHeaderError
				var fe *ForeignOriginError
				var pe *PagingLoopError
				switch {
				case errors.As(err, &le):
				case errors.As(err, &fe):
					if lastNext == nil || SameOrigin(origin, lastNext) {
						t.Fatalf("ForeignOriginError %v for next link %v", err, lastNext)
					}
				case errors.As(err, &pe):
					if lastNext == nil || !fetched[strings.SplitN(lastNext.String(), "#", 2)[0]] {
						t.Fatalf("PagingLoopError %v for a new link %v", err, lastNext)
					}
				default:
					t.Fatalf("unexpected error type %T: %v", err, err)
				}
				continue
			}
			if v != want {
				t.Fatalf("item %d, want %d", v, want)
			}
			want++
		}
		if !gotErr {
			if want != 2*calls {
				t.Fatalf("%d items from %d pages", want, calls)
			}
			if lastNext != nil {
				t.Fatalf("stopped without error although the last page links to %v", lastNext)
			}
		}
	})
}

// FuzzPeekString compares PeekString with encoding/json as a reference:
// a found string is what json.Unmarshal reads for the field; "absent" means
// the field is absent or null; errors match what is wrong with the input.
func FuzzPeekString(f *testing.F) {
	for _, s := range []string{
		`{"key":"webauthn","name":"x"}`,
		`{"settings":{"key":"nested"},"key":"top"}`,
		`{"name":"key","key":null}`,
		`{"key":"a","key":"b"}`,
		`{"k\u0065y":"esc"}`,
		`{"key":1}`,
		`{"key":{"a":[1,2,{"key":"x"}]}}`,
		`[{"key":"x"}]`,
		`"key"`,
		`{"key":"x"} {}`,
		`{"key":"x"`,
		`{"key":"\ud800"}`,
		"{\"key\":\"\xff\"}",
		``,
	} {
		f.Add([]byte(s), "key")
	}
	f.Fuzz(func(t *testing.T, data []byte, field string) {
		got, found, err := PeekString(bytes.Clone(data), field)
		if err != nil && (got != "" || found) {
			t.Fatalf("error %v with a value %q/%v", err, got, found)
		}
		if !json.Valid(data) {
			if err == nil {
				t.Fatalf("no error for invalid JSON %q", data)
			}
			return
		}
		occ, isObj := topLevelValues(data, field)
		if !isObj {
			if !errors.Is(err, ErrNotObject) {
				t.Fatalf("valid non-object %q: err %v, want ErrNotObject", data, err)
			}
			return
		}
		wantTypeErr := false
		var last any
		for _, o := range occ {
			var v any
			if json.Unmarshal(o, &v) != nil {
				t.Fatalf("reference could not decode %q", o)
			}
			switch v.(type) {
			case string, nil:
			default:
				wantTypeErr = true
			}
			last = v
		}
		if wantTypeErr {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				t.Fatalf("field holds a non-string in %q: err %v, want *json.UnmarshalTypeError", data, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid object %q: unexpected error %v", data, err)
		}
		if s, ok := last.(string); ok {
			if !found || got != s {
				t.Fatalf("PeekString = %q/%v, reference reads %q", got, found, s)
			}
		} else if found {
			t.Fatalf("PeekString = %q, reference reads %v", got, last)
		}
	})
}

// topLevelValues is the reference for FuzzPeekString: the raw values of
// every top-level member named field, in order, read with json.Decoder's
// Decode (not Token-skipping, as PeekString does); isObj is false for valid
// JSON that is not an object. data must be valid JSON.
func topLevelValues(data []byte, field string) (vals []json.RawMessage, isObj bool) {
	var probe any
	if json.Unmarshal(data, &probe) != nil {
		return nil, false
	}
	if _, ok := probe.(map[string]any); !ok {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.Token() // '{'
	for dec.More() {
		kt, _ := dec.Token()
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return nil, false
		}
		if kt == field {
			vals = append(vals, v)
		}
	}
	return vals, true
}

// FuzzMergeObjects checks MergeObjects' documented semantics: valid inputs
// never fail and give valid JSON; a non-object on either side gives known;
// for two objects every key of either is present, known's scalars and
// arrays win, raw-only members are kept verbatim; merging is idempotent
// (merging known again changes no value); merging a value onto
// itself gives it back.
func FuzzMergeObjects(f *testing.F) {
	seeds := [][2]string{
		{`{"id":"a","name":"x","settings":{"newKnob":1,"keep":"y"}}`, `{"id":"a","name":"changed","settings":{"keep":"z"}}`},
		{`{"a":[1,2,3]}`, `{"a":[4]}`},
		{`{"a":{"b":{"c":1}}}`, `{"a":{"b":null}}`},
		{`{"a":1,"a":2}`, `{"b":3}`},
		{`[1,2]`, `{"a":1}`},
		{`{"a":1}`, `[1]`},
		{``, `{"a":1}`},
		{`  `, `null`},
		{`{"<":"\u003c","k\u00e9":1}`, `{"é":2}`},
		{`{"a":1}`, `{"a":1`},
		{`{"a":1`, `{"a":1}`},
	}
	for _, s := range seeds {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, raw, known []byte) {
		out, err := MergeObjects(bytes.Clone(raw), bytes.Clone(known))
		rawEmpty := len(bytes.TrimSpace(raw)) == 0
		valid := json.Valid(known) && (rawEmpty || json.Valid(raw))
		if !valid {
			if err == nil {
				t.Fatalf("no error for invalid input raw=%q known=%q", raw, known)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid inputs raw=%q known=%q: %v", raw, known, err)
		}
		if !json.Valid(out) {
			t.Fatalf("invalid output %q from raw=%q known=%q", out, raw, known)
		}
		rv, kv, ov := decodeExact(t, raw), decodeExact(t, known), decodeExact(t, out)
		rm, rIsObj := rv.(map[string]any)
		km, kIsObj := kv.(map[string]any)
		if rawEmpty || !rIsObj || !kIsObj {
			if !reflect.DeepEqual(ov, kv) {
				t.Fatalf("non-object merge gave %s, want known %s", out, known)
			}
		} else {
			om, ok := ov.(map[string]any)
			if !ok {
				t.Fatalf("object merge gave a non-object %s", out)
			}
			for k, v := range km {
				_, vIsObj := v.(map[string]any)
				_, rIsObj := rm[k].(map[string]any)
				if !(vIsObj && rIsObj) && !reflect.DeepEqual(om[k], v) {
					t.Fatalf("key %q: got %v, known has %v", k, om[k], v)
				}
			}
			for k, v := range rm {
				if _, inKnown := km[k]; !inKnown && !reflect.DeepEqual(om[k], v) {
					t.Fatalf("raw-only key %q: got %v, raw has %v", k, om[k], v)
				}
			}
			if len(om) != len(unionKeys(rm, km)) {
				t.Fatalf("output has %d keys, inputs %d distinct", len(om), len(unionKeys(rm, km)))
			}
		}

		// Idempotence: overlaying the same known value again is a no-op.
		// It holds for values, not bytes: a value taken whole from known is
		// copied verbatim ("{ }"), and merging it again re-encodes it as an
		// object ("{}"); testdata/fuzz/FuzzMergeObjects keeps that case.
		again, err := MergeObjects(out, known)
		if err != nil {
			t.Fatalf("second merge: %v", err)
		}
		if !reflect.DeepEqual(decodeExact(t, again), ov) {
			t.Fatalf("not idempotent:\n%s\n%s", out, again)
		}

		// A value merged onto itself is itself.
		if !rawEmpty {
			self, err := MergeObjects(raw, raw)
			if err != nil || !reflect.DeepEqual(decodeExact(t, self), rv) {
				t.Fatalf("merge of %q onto itself: %s, %v", raw, self, err)
			}
		}
	})
}

// decodeExact decodes JSON keeping numbers as written; empty input is nil.
func decodeExact(t *testing.T, b []byte) any {
	t.Helper()
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %q: %v", b, err)
	}
	return normalizeNumbers(v)
}

// normalizeNumbers replaces json.Number by its canonical text, so that 1.0
// and 1.00 (the same number written twice) do not compare unequal; the merge
// copies number text verbatim, so exact text would also do, but duplicates
// resolved differently by two decoders must not cause false alarms.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeNumbers(e)
		}
	case json.Number:
		return fmt.Sprint(x)
	}
	return v
}

func unionKeys(a, b map[string]any) map[string]bool {
	u := map[string]bool{}
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

// FuzzScanArray: ScanArray, which does not validate the elements, agrees
// with SplitArray on every body SplitArray accepts; when it accepts a body
// SplitArray refuses, some element is invalid JSON (its caller's decode
// refuses it), so the pair never lets a malformed body through.
func FuzzScanArray(f *testing.F) {
	for _, s := range []string{
		`[]`, ` null `, `[1,"a,]",{"b":[1,2]},null]`, `[{"x":"}"}]`, `[[],[[]],"\"]"]`,
		`[`, `]`, `[,]`, `[1,]`, `[,1]`, `[1 2]`, `[1,,2]`, `[]]`, `[] x`, `null x`, `nul`,
		`[tru]`, `[{"a":}]`, `[1,{"a":[}]]`, `["\x"]`, `[{"a":1]`, `[01]`, `[1e]`, "[1\x00]",
		`{"a":[1]}`, `"[1]"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		want, werr := SplitArray(bytes.Clone(body))
		got, err := ScanArray(bytes.Clone(body))
		if werr == nil {
			if err != nil {
				t.Fatalf("ScanArray(%q) = %v; SplitArray accepts it", body, err)
			}
			if (got == nil) != (want == nil) || len(got) != len(want) {
				t.Fatalf("ScanArray(%q) = %q, SplitArray %q", body, got, want)
			}
			for i := range got {
				if !bytes.Equal(got[i], want[i]) || cap(got[i]) != len(got[i]) {
					t.Fatalf("ScanArray(%q)[%d] = %q, SplitArray %q", body, i, got[i], want[i])
				}
			}
			return
		}
		if errors.Is(werr, ErrNotArray) && !errors.Is(err, ErrNotArray) {
			t.Fatalf("ScanArray(%q) = %v, want ErrNotArray", body, err)
		}
		if err != nil {
			return
		}
		for _, e := range got {
			if !json.Valid(e) {
				return
			}
		}
		t.Fatalf("ScanArray(%q) accepted a malformed body with valid elements %q (SplitArray: %v)", body, got, werr)
	})
}

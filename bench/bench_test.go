package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"testing"
)

// TestImplementationsAgree checks, for every operation and implementation,
// that the full call and the in-memory decode both give the items of the
// fixture, in order, with the right discriminators. It checks correctness
// only; speed is for the benchmarks.
func TestImplementationsAgree(t *testing.T) {
	e := theEnv
	ctx := context.Background()
	for _, name := range testOps {
		want, err := expectedKinds(name, e.body(name))
		if err != nil {
			t.Fatalf("%s: reading the fixture: %v", name, err)
		}
		if len(want) == 0 {
			t.Fatalf("%s: empty fixture", name)
		}
		for _, im := range e.impls {
			o, ok := im.ops[name]
			if !ok || o.kinds == nil {
				continue
			}
			t.Run(name+"/"+im.name, func(t *testing.T) {
				want := want
				if im.name == "peer" {
					// The peer returns an empty element where it does not
					// know the discriminator.
					want = slices.Clone(want)
					for i, k := range want {
						if peerDrops[name][k] {
							want[i] = ""
						}
					}
				}
				got, err := o.kinds(ctx)
				if err != nil {
					t.Fatalf("call: %v", err)
				}
				if !slices.Equal(got, want) {
					t.Errorf("call: got %d items %v,\nwant %d items %v", len(got), got, len(want), want)
				}
				if o.decodeKinds == nil {
					return
				}
				got, err = o.decodeKinds(e.body(name))
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				if !slices.Equal(got, want) {
					t.Errorf("decode: got %d items %v,\nwant %d items %v", len(got), got, len(want), want)
				}
			})
		}
	}
}

// knownGaps are the rows an implementation cannot have, and why.
var knownGaps = map[string]string{
	"peer/" + opOneLog + "/call":   "okta-sdk-golang has no OneLogin API",
	"peer/" + opOneLog + "/decode": "okta-sdk-golang has no OneLogin API",
}

// TestEveryImplementationHasEveryOp guards the tables: a missing op would
// silently drop a row.
func TestEveryImplementationHasEveryOp(t *testing.T) {
	for _, im := range theEnv.impls {
		for _, name := range benchOps {
			o := im.ops[name]
			if o.call == nil && knownGaps[im.name+"/"+name+"/call"] == "" {
				t.Errorf("%s has no %s call", im.name, name)
			}
			if im.name != "getonly" && o.decode == nil && knownGaps[im.name+"/"+name+"/decode"] == "" {
				t.Errorf("%s has no %s decode", im.name, name)
			}
		}
	}
}

// BenchmarkCall measures a full client call through HTTP against the
// loopback server. Every implementation is warmed up (connection open,
// tokens fetched) before the timer starts. B/op and allocs/op include the
// server's share, the same for every implementation (see the getonly rows).
func BenchmarkCall(b *testing.B) {
	ctx := context.Background()
	for _, name := range benchOps {
		b.Run(name, func(b *testing.B) {
			for _, im := range theEnv.impls {
				o, ok := im.ops[name]
				if !ok || o.call == nil {
					continue
				}
				b.Run("impl="+im.name, func(b *testing.B) {
					if _, err := o.call(ctx); err != nil {
						b.Fatal(err)
					}
					b.ReportAllocs()
					for b.Loop() {
						n, err := o.call(ctx)
						if err != nil {
							b.Fatal(err)
						}
						sink += n
					}
				})
			}
		})
	}
}

// BenchmarkDecode measures decoding the bytes a call receives, in memory.
func BenchmarkDecode(b *testing.B) {
	for _, name := range benchOps {
		body := theEnv.body(name)
		b.Run(name, func(b *testing.B) {
			for _, im := range theEnv.impls {
				o, ok := im.ops[name]
				if !ok || o.decode == nil {
					continue
				}
				b.Run("impl="+im.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						n, err := o.decode(body)
						if err != nil {
							b.Fatal(err)
						}
						sink += n
					}
				})
			}
		})
	}
}

// stripLinks returns body with the `_links` and `_embedded` members of each
// item (or of the one object) removed, for BenchmarkDecodeNoLinks.
func stripLinks(body []byte) ([]byte, error) {
	strip := func(m map[string]json.RawMessage) {
		delete(m, "_links")
		delete(m, "_embedded")
	}
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '{' {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, err
		}
		strip(m)
		return json.Marshal(m)
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, err
	}
	for _, m := range items {
		strip(m)
	}
	return json.Marshal(items)
}

// BenchmarkDecodeNoLinks is BenchmarkDecode on the Okta fixtures with every
// item's `_links` and `_embedded` removed: what decoding costs when those
// members (which callers rarely read) are not decoded. It is a diagnostic
// for the allocation rows of BenchmarkDecode, not a target.
func BenchmarkDecodeNoLinks(b *testing.B) {
	for _, name := range benchOps {
		if name == opOneLog {
			continue
		}
		body, err := stripLinks(theEnv.body(name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for _, im := range theEnv.impls {
				o, ok := im.ops[name]
				if !ok || o.decode == nil || im.name == "peer" {
					continue
				}
				b.Run("impl="+im.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						n, err := o.decode(body)
						if err != nil {
							b.Fatal(err)
						}
						sink += n
					}
				})
			}
		})
	}
}

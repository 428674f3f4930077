package main

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkCall/ListFactors/impl=floor-2   	 100	 1000 ns/op	 500 B/op	 10 allocs/op
BenchmarkCall/ListFactors/impl=mfakit-2  	 100	 1050 ns/op	 550 B/op	 12 allocs/op
BenchmarkCall/ListFactors/impl=peer-2    	 100	 5000 ns/op	 9000 B/op	 200 allocs/op
BenchmarkCall/ListFactors/impl=floor-2   	 100	 3000 ns/op	 500 B/op	 10 allocs/op
BenchmarkCall/ListFactors/impl=mfakit-2  	 100	 1150 ns/op	 550 B/op	 12 allocs/op
BenchmarkCall/ListFactors/impl=peer-2    	 100	 5200 ns/op	 9000 B/op	 200 allocs/op
BenchmarkCall/ListFactors/impl=floor-2   	 100	 1100 ns/op	 500 B/op	 10 allocs/op
BenchmarkCall/ListFactors/impl=mfakit-2  	 100	 9999 ns/op	 550 B/op	 16 allocs/op
BenchmarkCall/ListFactors/impl=peer-2    	 100	 5100 ns/op	 9000 B/op	 200 allocs/op
BenchmarkCall/GetAuthenticator/impl=floor-2 	 100	 100 ns/op	 50 B/op	 2 allocs/op
BenchmarkCall/GetAuthenticator/impl=mfakit-2	 100	 200 ns/op	 60 B/op	 4 allocs/op
BenchmarkPaging/pages=10-2	 1	 5 ns/op	 1234 peak-live-B	 7 pages
PASS
`

func TestParseAndReport(t *testing.T) {
	s, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		k    key
		unit string
		want float64
	}{
		{key{"Call", "ListFactors", "floor"}, "ns/op", 1100},  // median of 1000, 3000, 1100
		{key{"Call", "ListFactors", "mfakit"}, "ns/op", 1150}, // the 9999 outlier does not move it
		{key{"Call", "ListFactors", "mfakit"}, "allocs/op", 12},
		{key{Kind: "Paging/pages=10"}, "peak-live-B", 1234},
	}
	for _, c := range cases {
		got, ok := s.median(c.k, c.unit)
		if !ok || got != c.want {
			t.Errorf("median %v %s = %v, %v; want %v", c.k, c.unit, got, ok, c.want)
		}
	}

	var out bytes.Buffer
	report(&out, s)
	text := out.String()
	for _, want := range []string{
		"| ListFactors | 1.05 ✓ | 1.10 | 1.20 ✓ | 4.43 ✓ | 16.36 | 16.67 ✓ |",
		"| GetAuthenticator | 2.00 ✗ | 1.20 | 2.00 ✗ | – | – | – |",
		"| Paging/pages=10 | peak-live-B | 1 | 1234 |",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

func TestSplitName(t *testing.T) {
	cases := map[string]key{
		"BenchmarkDecode/ListAuthenticators15/impl=peer-2": {"Decode", "ListAuthenticators15", "peer"},
		"BenchmarkCall/GetAuthenticator/impl=mfakit":       {"Call", "GetAuthenticator", "mfakit"},
		"BenchmarkBulk-8":              {Kind: "Bulk"},
		"BenchmarkPaging/pages=1000-2": {Kind: "Paging/pages=1000"},
	}
	for in, want := range cases {
		if got := splitName(in); got != want {
			t.Errorf("splitName(%q) = %+v, want %+v", in, got, want)
		}
	}
}

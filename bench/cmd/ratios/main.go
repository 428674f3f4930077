// Command ratios reads `go test -bench -benchmem` output of the bench
// module (any number of rounds, in any order, from files or stdin) and
// prints, as Markdown, the median of every measurement per implementation
// and the ratios mfakit/floor and peer/mfakit for time, bytes and
// allocations, each checked against the targets of issue 6:
//
//	mfakit/floor ≤ 1.10 (time) and ≤ 1.25 (allocs) on every Call and Decode row;
//	peer/mfakit ≥ 3 (time) and ≥ 8 (allocs) on the list calls.
//
// Benchmarks named Benchmark<Kind>/<Op>/impl=<impl> form the ratio tables;
// any other benchmark's custom metrics (b.ReportMetric) are listed with their
// medians. Usage:
//
//	go run ./cmd/ratios results/raw.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: ratios [file ...]   (reads stdin when no file is given)")
		flag.PrintDefaults()
	}
	flag.Parse()
	var rs []io.Reader
	for _, name := range flag.Args() {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ratios:", err)
			os.Exit(1)
		}
		defer f.Close()
		rs = append(rs, f)
	}
	if len(rs) == 0 {
		rs = append(rs, os.Stdin)
	}
	set, err := parse(io.MultiReader(rs...))
	if err != nil {
		fmt.Fprintln(os.Stderr, "ratios:", err)
		os.Exit(1)
	}
	if len(set.samples) == 0 {
		fmt.Fprintln(os.Stderr, "ratios: no benchmark results in the input")
		os.Exit(1)
	}
	report(os.Stdout, set)
}

// key identifies one benchmark: Benchmark<Kind>/<Op>/impl=<Impl>, or for
// other benchmarks Kind is the whole name and Op, Impl are empty.
type key struct{ Kind, Op, Impl string }

// set holds every sample of every metric of every benchmark, and the order
// in which kinds, ops and impls first appeared.
type set struct {
	samples map[key]map[string][]float64
	kinds   []string
	ops     map[string][]string
	impls   []string
	other   []key
}

// parse reads benchmark result lines; everything else is ignored.
func parse(r io.Reader) (*set, error) {
	s := &set{samples: map[key]map[string][]float64{}, ops: map[string][]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
			continue // a benchmark name printed alone, or a log line
		}
		k := splitName(f[0])
		m := s.samples[k]
		if m == nil {
			m = map[string][]float64{}
			s.samples[k] = m
			s.note(k)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("bad value %q in %q", f[i], sc.Text())
			}
			m[f[i+1]] = append(m[f[i+1]], v)
		}
	}
	return s, sc.Err()
}

func (s *set) note(k key) {
	if k.Impl == "" {
		s.other = append(s.other, k)
		return
	}
	if !slices.Contains(s.kinds, k.Kind) {
		s.kinds = append(s.kinds, k.Kind)
	}
	if !slices.Contains(s.ops[k.Kind], k.Op) {
		s.ops[k.Kind] = append(s.ops[k.Kind], k.Op)
	}
	if !slices.Contains(s.impls, k.Impl) {
		s.impls = append(s.impls, k.Impl)
	}
}

// splitName turns "BenchmarkCall/ListFactors/impl=floor-2" into
// {Call, ListFactors, floor}; other names keep their full form (without the
// GOMAXPROCS suffix) as Kind.
func splitName(name string) key {
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i]
		}
	}
	parts := strings.Split(name, "/")
	if len(parts) == 3 && strings.HasPrefix(parts[2], "impl=") {
		return key{Kind: strings.TrimPrefix(parts[0], "Benchmark"), Op: parts[1], Impl: strings.TrimPrefix(parts[2], "impl=")}
	}
	return key{Kind: strings.TrimPrefix(name, "Benchmark")}
}

// median returns the median of xs (the mean of the middle two for an even
// count), or NaN-free 0 with ok false for none.
func median(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	ys := slices.Clone(xs)
	sort.Float64s(ys)
	n := len(ys)
	if n%2 == 1 {
		return ys[n/2], true
	}
	return (ys[n/2-1] + ys[n/2]) / 2, true
}

func (s *set) median(k key, unit string) (float64, bool) {
	return median(s.samples[k][unit])
}

// implOrder puts the known implementations first, in table order.
func (s *set) implOrder() []string {
	order := []string{"floor", "mfakit", "peer", "getonly"}
	var out []string
	for _, o := range order {
		if slices.Contains(s.impls, o) {
			out = append(out, o)
		}
	}
	for _, i := range s.impls {
		if !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	return out
}

var units = []struct{ unit, label string }{{"ns/op", "time"}, {"B/op", "bytes"}, {"allocs/op", "allocs"}}

// Targets of issue 6.
const (
	maxTimeVsFloor   = 1.10
	maxAllocsVsFloor = 1.25
	minTimeVsPeer    = 3
	minAllocsVsPeer  = 8
)

// isList reports whether op is a list call, where the peer targets apply.
func isList(op string) bool {
	return strings.HasPrefix(op, "List") && !strings.HasPrefix(op, "OneLogin")
}

func report(w io.Writer, s *set) {
	impls := s.implOrder()
	for _, kind := range s.kinds {
		fmt.Fprintf(w, "### %s: medians\n\n", kind)
		fmt.Fprint(w, "| op | impl | n | ns/op | B/op | allocs/op |\n|---|---|--:|--:|--:|--:|\n")
		for _, op := range s.ops[kind] {
			for _, impl := range impls {
				k := key{kind, op, impl}
				if _, ok := s.samples[k]; !ok {
					continue
				}
				fmt.Fprintf(w, "| %s | %s | %d |", op, impl, len(s.samples[k]["ns/op"]))
				for _, u := range units {
					if v, ok := s.median(k, u.unit); ok {
						fmt.Fprintf(w, " %s |", num(v))
					} else {
						fmt.Fprint(w, " – |")
					}
				}
				fmt.Fprintln(w)
			}
		}
		fmt.Fprintln(w)

		fmt.Fprintf(w, "### %s: ratios (✓ meets the target, ✗ misses it)\n\n", kind)
		fmt.Fprint(w, "| op | mfakit/floor time | mfakit/floor bytes | mfakit/floor allocs | peer/mfakit time | peer/mfakit bytes | peer/mfakit allocs |\n")
		fmt.Fprint(w, "|---|--:|--:|--:|--:|--:|--:|\n")
		for _, op := range s.ops[kind] {
			fmt.Fprintf(w, "| %s |", op)
			for _, u := range units {
				r, ok := s.ratio(key{kind, op, "mfakit"}, key{kind, op, "floor"}, u.unit)
				limit := 0.0
				switch u.unit {
				case "ns/op":
					limit = maxTimeVsFloor
				case "allocs/op":
					limit = maxAllocsVsFloor
				}
				fmt.Fprintf(w, " %s |", cell(r, ok, limit, false))
			}
			for _, u := range units {
				r, ok := s.ratio(key{kind, op, "peer"}, key{kind, op, "mfakit"}, u.unit)
				limit := 0.0
				if isList(op) {
					switch u.unit {
					case "ns/op":
						limit = minTimeVsPeer
					case "allocs/op":
						limit = minAllocsVsPeer
					}
				}
				fmt.Fprintf(w, " %s |", cell(r, ok, limit, true))
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w)
	}
	if len(s.other) > 0 {
		fmt.Fprint(w, "### Other benchmarks: medians of their metrics\n\n| benchmark | metric | n | median |\n|---|---|--:|--:|\n")
		for _, k := range s.other {
			us := make([]string, 0, len(s.samples[k]))
			for u := range s.samples[k] {
				us = append(us, u)
			}
			sort.Strings(us)
			for _, u := range us {
				v, _ := s.median(k, u)
				fmt.Fprintf(w, "| %s | %s | %d | %s |\n", k.Kind, u, len(s.samples[k][u]), num(v))
			}
		}
		fmt.Fprintln(w)
	}
}

func (s *set) ratio(a, b key, unit string) (float64, bool) {
	x, ok1 := s.median(a, unit)
	y, ok2 := s.median(b, unit)
	if !ok1 || !ok2 || y == 0 {
		return 0, false
	}
	return x / y, true
}

// cell formats a ratio with its verdict: at most limit (atLeast false) or at
// least limit (atLeast true); limit 0 means no target.
func cell(r float64, ok bool, limit float64, atLeast bool) string {
	if !ok {
		return "–"
	}
	s := fmt.Sprintf("%.2f", r)
	if limit == 0 {
		return s
	}
	if atLeast && r >= limit || !atLeast && r <= limit {
		return s + " ✓"
	}
	return s + " ✗"
}

// num formats a median: integers as integers, small values with decimals.
func num(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

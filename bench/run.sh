#!/usr/bin/env bash
# Runs the bench module's benchmarks the way BENCHMARKS.md reports them: one
# compiled test binary; the implementations interleaved over several rounds
# (in each round, for each op, floor, getonly, peer and mfakit run one after
# the other, each in its own process, starting from a different one each
# round, so that load drift on a shared machine hits them all alike; each
# run covers BenchmarkCall, BenchmarkDecode and the diagnostic
# BenchmarkDecodeNoLinks of that op); then the paging and bulk benchmarks
# once; then the medians and ratio tables (cmd/ratios) and, if installed,
# benchstat.
#
# Usage: ./run.sh            (from anywhere; needs only Go)
# Environment:
#   ROUNDS=6          rounds of Call and Decode benchmarks
#   BENCHTIME=500ms   -test.benchtime of each Call/Decode benchmark
#   FILTER=.          regexp of the ops to run (e.g. 'ListFactors|GetAuthenticator')
#                     out of: ListAuthenticators15 ListAuthenticators1000
#                     GetAuthenticator ListAuthenticatorMethods ListFactors
#                     OneLoginListEnrolledFactors
#   SKIP_BULK=1       skip BenchmarkPaging and BenchmarkBulk (~45 s)
#   OUT=dir           where to write results (default results/<timestamp>)
set -euo pipefail
cd "$(dirname "$0")"

ROUNDS=${ROUNDS:-6}
BENCHTIME=${BENCHTIME:-500ms}
FILTER=${FILTER:-.}
OUT=${OUT:-results/$(date -u +%Y%m%dT%H%M%SZ)}
IMPLS=(floor getonly peer mfakit)
ALL_OPS=(ListAuthenticators15 ListAuthenticators1000 GetAuthenticator ListAuthenticatorMethods ListFactors OneLoginListEnrolledFactors)

mkdir -p "$OUT"
{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "go: $(go version)"
	echo "nproc: $(nproc 2>/dev/null || echo '?')"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //' || echo '?')"
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
	echo "rounds: $ROUNDS, benchtime: $BENCHTIME"
} | tee "$OUT/machine.txt"

echo "building the test binary..."
go test -c -o "$OUT/bench.test" .
go build -o "$OUT/ratios" ./cmd/ratios

: >"$OUT/raw.txt"
OPS=()
for op in "${ALL_OPS[@]}"; do
	[[ $op =~ $FILTER ]] && OPS+=("$op")
done
for ((r = 0; r < ROUNDS; r++)); do
	echo "round $((r + 1))/$ROUNDS"
	for op in "${OPS[@]}"; do
		for ((i = 0; i < ${#IMPLS[@]}; i++)); do
			impl=${IMPLS[$(((r + i) % ${#IMPLS[@]}))]}
			if ! "$OUT/bench.test" -test.run '^$' \
				-test.bench "^Benchmark(Call|Decode|DecodeNoLinks)\$/^${op}\$/^impl=${impl}\$" \
				-test.benchmem -test.count 1 -test.benchtime "$BENCHTIME" >"$OUT/last.txt" 2>&1; then
				cat "$OUT/last.txt"
				echo "run.sh: $op/$impl failed" >&2
				exit 1
			fi
			grep -E '^(Benchmark|goos|goarch|pkg|cpu)' "$OUT/last.txt" >>"$OUT/raw.txt" || true
		done
	done
done

rm -f "$OUT/last.txt"

if [[ -z ${SKIP_BULK:-} ]]; then
	echo "paging and bulk (once)..."
	"$OUT/bench.test" -test.run '^$' -test.bench '^Benchmark(Paging|Bulk)$' \
		-test.benchmem -test.benchtime 1x >"$OUT/paging-bulk.txt" 2>&1 ||
		{ cat "$OUT/paging-bulk.txt"; echo "run.sh: paging/bulk failed" >&2; exit 1; }
	grep -E '^Benchmark' "$OUT/paging-bulk.txt"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')" | tee -a "$OUT/machine.txt"

echo
inputs=("$OUT/raw.txt")
[[ -f $OUT/paging-bulk.txt ]] && inputs+=("$OUT/paging-bulk.txt")
"$OUT/ratios" "${inputs[@]}" | tee "$OUT/ratios.md"

if command -v benchstat >/dev/null 2>&1; then
	benchstat -col '/impl@(floor mfakit peer getonly)' "$OUT/raw.txt" >"$OUT/benchstat.txt" 2>&1 || true
	echo "benchstat tables: $OUT/benchstat.txt"
else
	echo "(benchstat not installed: go install golang.org/x/perf/cmd/benchstat@latest)"
fi
echo "results: $OUT"

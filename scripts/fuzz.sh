#!/usr/bin/env bash
# Runs every Go fuzz target of the packages below, each for a bounded time.
#
#   scripts/fuzz.sh [FUZZTIME]     # FUZZTIME as for go test -fuzztime: 100000x (default), 5000x, 30s
#
# Prefer a count (Nx) to a duration: with a duration, Go's fuzz coordinator up
# to go1.26 can fail a target with a bare "context deadline exceeded" when the
# deadline races a busy worker (golang/go#75804, fixed in go1.27); a count has
# no deadline to race.
#
# `go test -fuzz` takes one target per invocation, so the targets are listed
# with `go test -list` and run one by one: a new Fuzz function in one of these
# packages is picked up without editing this file. `make fuzz` (FUZZTIME ?=
# 30s) and .ci/run (a few seconds each) both call this script. A failure
# stops the run; Go writes the failing input under the package's
# testdata/fuzz/FuzzXxx/, where it becomes a regression seed that plain
# `go test` replays from then on.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME="${1:-${FUZZTIME:-100000x}}"
# The packages with fuzz targets (issue 7). Add a package here when it gets one.
PACKAGES=(./wrappers ./oktaclient ./oneloginclient)

total=0
for pkg in "${PACKAGES[@]}"; do
  targets=$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
  if [ -z "$targets" ]; then
    echo "fuzz.sh: no fuzz targets in $pkg" >&2
    exit 1
  fi
  for target in $targets; do
    echo "== $pkg $target ($FUZZTIME)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg"
    total=$((total + 1))
  done
done
echo "fuzz.sh: $total targets passed ($FUZZTIME each)"

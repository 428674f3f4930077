# mfakit developer tasks. `make test` is the test command CI runs (.ci/run).
GO ?= go

.PHONY: all generate check-generated test vet drift fuzz bench bench-check demo

all: test

## generate: rebuild gen/ from the curated documents in api/
generate:
	$(GO) generate ./...

## vet: gofmt and go vet
vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## check-generated: fail when gen/ is not byte for byte what `go generate ./...` makes from api/ today
check-generated:
	$(GO) test -count=1 -run '^TestGenerated$$' ./gen/

## drift: compare api/*.yaml with the vendors' published documents in ../shared/reference (verbose report)
drift:
	$(GO) test -count=1 -v -run '^TestUpstreamDrift$$' ./api/

## test: vet, the generated-code check, and every test with the race detector
test: vet check-generated
	$(GO) test -race -count=1 ./...

FUZZTIME ?= 100000x

## fuzz: run every fuzz target for FUZZTIME each (go test -fuzz takes one target per run)
fuzz:
	./scripts/fuzz.sh $(FUZZTIME)

## bench: the benchmark module in bench/ (own go.mod; okta-sdk-golang as the peer):
## interleaved rounds, then the median and ratio tables; see bench/BENCHMARKS.md.
## `make bench ROUNDS=3 BENCHTIME=200ms SKIP_BULK=1` for a quick look.
## bench-check: vet and the bench module's fast agreement tests
ROUNDS ?= 6
BENCHTIME ?= 500ms

bench:
	cd bench && ROUNDS=$(ROUNDS) BENCHTIME=$(BENCHTIME) SKIP_BULK=$(SKIP_BULK) ./run.sh

bench-check:
	cd bench && $(GO) vet ./... && $(GO) test -count=1 ./...

## demo: the README's first command
demo:
	$(GO) run ./cmd/mfakit demo

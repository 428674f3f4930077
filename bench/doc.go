// Package bench compares mfakit's clients with Okta's own Go SDK
// (github.com/okta/okta-sdk-golang/v5, "peer") and with a hand-written
// net/http + encoding/json client ("floor", see internal/floor), on the same
// fixed fixtures served by one loopback server (internal/server).
//
// It is its own module so that users of mfakit never download the peer SDK.
// Everything lives in the tests:
//
//   - BenchmarkCall/<op>/<impl>: a full client call through HTTP.
//   - BenchmarkDecode/<op>/<impl>: decoding the same bytes in memory.
//   - BenchmarkPaging and BenchmarkBulk: streaming memory and rate-limited
//     throughput of mfakit, reported with b.ReportMetric.
//   - TestImplementationsAgree: every implementation decodes every fixture
//     to the same number of items with the same discriminators (where the
//     peer cannot, the test pins down exactly what it drops).
//
// run.sh builds one test binary, runs the implementations interleaved over
// several rounds and prints medians and ratios (cmd/ratios). See
// BENCHMARKS.md.
package bench

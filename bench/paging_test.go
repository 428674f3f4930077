package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfakit/mfakit/oktaclient"
	"github.com/mfakit/mfakit/oktaclient/oktatest"

	"github.com/mfakit/mfakit/bench/internal/server"
)

var (
	pagingPerPage = flag.Int("paging.perpage", 100, "factors per page in BenchmarkPaging")
	bulkUsers     = flag.Int("bulk.users", 2000, "users BenchmarkBulk lists the factors of")
	bulkLimit     = flag.Int("bulk.limit", 100, "requests per one-second window the bench server's rate-limited tenant allows")
	bulkWorkers   = flag.Int("bulk.workers", 8, "concurrent callers in BenchmarkBulk")
	fakeLimit     = flag.Int("bulk.fakelimit", 500, "listFactors budget per window of the oktatest fake in BenchmarkBulk")
	fakeWindow    = flag.Duration("bulk.fakewindow", 5*time.Second, "rate-limit window of the oktatest fake in BenchmarkBulk")
)

var tenantSeq atomic.Int64

// newTenantToken returns a token no tenant has yet.
func newTenantToken(kind string) string {
	return fmt.Sprintf("bench-token-%s-%d", kind, tenantSeq.Add(1))
}

// liveHeap runs a full GC and returns the bytes of live heap objects.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// streamResult is what one streaming run over a paged tenant saw.
type streamResult struct {
	items, pages int
	base, peak   uint64 // live heap before the run, and its maximum at page ends
}

// stream lists every factor of a tenant of pages pages through mfakit's
// iterator, measuring the live heap (after a forced GC) at the end of every
// page: a streaming consumer should hold one page at a time, whatever the
// number of pages.
func stream(ctx context.Context, e *env, pages, perPage int) (streamResult, error) {
	tok := newTenantToken("paged")
	e.srv.AddPagedTenant(tok, pages, perPage)
	c, err := newOkta(e, tok)
	if err != nil {
		return streamResult{}, err
	}
	defer c.CloseIdleConnections()
	r := streamResult{base: liveHeap()}
	r.peak = r.base
	for f, err := range c.ListFactorsIter(ctx, server.FactorsUserID) {
		if err != nil {
			return r, err
		}
		if f == nil {
			return r, errors.New("nil factor")
		}
		r.items++
		if r.items%perPage == 0 {
			r.pages++
			r.peak = max(r.peak, liveHeap())
		}
	}
	if want := pages * perPage; r.items != want {
		return r, fmt.Errorf("streamed %d factors, want %d", r.items, want)
	}
	if got := e.srv.PagesServed(tok); got != int64(pages) {
		return r, fmt.Errorf("server served %d pages, want %d", got, pages)
	}
	return r, nil
}

// BenchmarkPaging streams 10 pages and then 1,000 pages (100,000 factors by
// default) through oktaclient's ListFactorsIter from a loopback server that
// links pages with Link: rel="next", and reports the peak live heap of each
// run. The target is peak(1,000 pages) ≤ 2 × peak(10 pages): memory stays
// flat. peak-over-base-B is what the run itself held at its worst (peak
// minus the live heap before it). Run it with -benchtime=1x.
func BenchmarkPaging(b *testing.B) {
	ctx := context.Background()
	per := *pagingPerPage
	for b.Loop() {
		small, err := stream(ctx, theEnv, 10, per)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		large, err := stream(ctx, theEnv, 1000, per)
		if err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		b.ReportMetric(float64(small.peak), "peak10-B")
		b.ReportMetric(float64(large.peak), "peak1000-B")
		b.ReportMetric(float64(small.peak-small.base), "peak-over-base10-B")
		b.ReportMetric(float64(large.peak-large.base), "peak-over-base1000-B")
		b.ReportMetric(float64(large.peak)/float64(small.peak), "peak1000/peak10")
		b.ReportMetric(float64(large.items), "items1000")
		b.ReportMetric(float64(large.items)/elapsed.Seconds(), "items/s")
	}
}

// bulkResult is what one bulk run saw.
type bulkResult struct {
	users, items, lost int
	errs               []error
	elapsed            time.Duration
}

// runBulk lists the factors of users users with workers concurrent callers
// sharing the client c; want(i) is how many factors user i has.
func runBulk(ctx context.Context, c *oktaclient.Client, users, workers int, userID func(int) string, want func(int) int) bulkResult {
	var (
		next  atomic.Int64
		mu    sync.Mutex
		res   = bulkResult{users: users}
		wg    sync.WaitGroup
		start = time.Now()
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= users {
					return
				}
				fs, err := c.ListFactors(ctx, userID(i))
				mu.Lock()
				res.items += len(fs)
				res.lost += want(i) - len(fs)
				if err != nil {
					res.errs = append(res.errs, fmt.Errorf("user %d: %w", i, err))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

func (r bulkResult) report(b *testing.B) {
	for i, e := range r.errs {
		if i == 3 {
			b.Logf("... and %d more errors", len(r.errs)-3)
			break
		}
		b.Log(e)
	}
	b.ReportMetric(float64(len(r.errs)), "errors")
	b.ReportMetric(float64(r.lost), "items-lost")
	b.ReportMetric(float64(r.items), "items")
}

// BenchmarkBulk lists the factors of 2,000 users (by default) with 8
// concurrent callers sharing one mfakit client against a rate-limited
// server, and reports the achieved request rate as a fraction of the allowed
// one (target ≥ 0.90), the errors surfaced and the items lost (both must be
// 0), and the 429s the client absorbed. Run it with -benchtime=1x.
//
// server=bench is the bench server's tenant that allows 100 requests per
// wall-clock second and answers 429 beyond that, with X-Rate-Limit-Reset at
// the next whole second; its windows start on whole seconds as Okta's do on
// whole minutes, so the count of windows used is exact. rate-fraction is
// admitted requests / (limit × windows used); window-start-lag-ms is how late
// into a window the first request arrived, on average: budget left unused
// while the client was still waiting out a 429.
//
// server=oktatest is the oktatest fake with a listFactors budget of 500 per
// 5 s (by default); its window starts at the first request after the last
// one ended, and its Reset is rounded up to the second. rate-fraction there
// is requests / (limit × ⌈elapsed / window⌉): a started window's whole
// budget counts as allowed.
func BenchmarkBulk(b *testing.B) {
	ctx := context.Background()
	b.Run("server=bench", func(b *testing.B) {
		for b.Loop() {
			tok := newTenantToken("limited")
			theEnv.srv.AddRateLimitedTenant(tok, *bulkLimit)
			c, err := newOkta(theEnv, tok)
			if err != nil {
				b.Fatal(err)
			}
			// Start on a window boundary, so that every window the run
			// uses is whole and the count of windows is exact.
			time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
			r := runBulk(ctx, c, *bulkUsers, *bulkWorkers, server.BulkUserID, server.BulkFactorCount)
			c.CloseIdleConnections()
			st := theEnv.srv.RateLimitStats(tok)
			r.report(b)
			b.ReportMetric(float64(st.Admitted)/float64(st.Limit*st.Windows), "rate-fraction")
			b.ReportMetric(float64(st.Admitted)/r.elapsed.Seconds()/float64(st.Limit), "time-fraction")
			b.ReportMetric(float64(st.Admitted)/r.elapsed.Seconds(), "req/s")
			b.ReportMetric(float64(st.Limit), "allowed-req/s")
			b.ReportMetric(float64(st.Windows), "windows")
			b.ReportMetric(float64(st.MeanStartLag.Milliseconds()), "window-start-lag-ms")
			b.ReportMetric(float64(st.Rejected), "429s")
		}
	})
	b.Run("server=oktatest", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			srv, ids, want, err := newBulkFake(*bulkUsers, *fakeLimit, *fakeWindow)
			if err != nil {
				b.Fatal(err)
			}
			c, err := oktaclient.New(srv.URL, oktaclient.WithAPIToken(srv.APIToken()), oktaclient.WithHTTPClient(theEnv.client()))
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			r := runBulk(ctx, c, len(ids), *bulkWorkers, func(i int) string { return ids[i] }, func(i int) int { return want[i] })
			b.StopTimer()
			c.CloseIdleConnections()
			calls := srv.CallCount(oktatest.OpListFactors)
			srv.Close()
			r.report(b)
			allowed := float64(*fakeLimit) / fakeWindow.Seconds()
			achieved := float64(len(ids)) / r.elapsed.Seconds()
			windows := math.Ceil(r.elapsed.Seconds() / fakeWindow.Seconds())
			b.ReportMetric(float64(len(ids))/(float64(*fakeLimit)*windows), "rate-fraction")
			b.ReportMetric(achieved/allowed, "time-fraction")
			b.ReportMetric(windows, "windows")
			b.ReportMetric(achieved, "req/s")
			b.ReportMetric(allowed, "allowed-req/s")
			b.ReportMetric(float64(calls-len(ids)), "429s")
			b.StartTimer()
		}
	})
}

// bulkFactorTypes are the factors a bulk user of the fake may have, in
// order; user i has the first 3 + i%5 of them.
var bulkFactorTypes = []oktatest.Factor{
	{FactorType: "email"},
	{FactorType: "token:software:totp"},
	{FactorType: "sms", Profile: map[string]any{"phoneNumber": "+15555550100"}},
	{FactorType: "call", Profile: map[string]any{"phoneNumber": "+15555550101"}},
	{FactorType: "webauthn"},
	{FactorType: "u2f"},
	{FactorType: "token:hardware"},
}

// newBulkFake starts an oktatest fake with users users, each with 3 to 7
// factors, whose listFactors allows limit requests per window.
func newBulkFake(users, limit int, window time.Duration) (*oktatest.Server, []string, []int, error) {
	srv := oktatest.NewServer(oktatest.WithoutSeed(), oktatest.WithRateLimit(oktatest.OpListFactors, limit, window))
	ids := make([]string, users)
	want := make([]int, users)
	for i := range users {
		id, err := srv.AddUser(oktatest.User{Login: fmt.Sprintf("bulk%d@acme.example", i)})
		if err != nil {
			srv.Close()
			return nil, nil, nil, err
		}
		ids[i], want[i] = id, server.BulkFactorCount(i)
		for _, f := range bulkFactorTypes[:want[i]] {
			if _, err := srv.AddFactor(id, f); err != nil {
				srv.Close()
				return nil, nil, nil, fmt.Errorf("user %d: %w", i, err)
			}
		}
	}
	return srv, ids, want, nil
}

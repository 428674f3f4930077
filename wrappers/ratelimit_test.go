package wrappers

import (
	"math"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestRateLimitParsing(t *testing.T) {
	now := time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)
	server := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	epoch := EpochRateLimit("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset")
	delta := DeltaRateLimit("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
	tests := []struct {
		name   string
		fn     RateLimitFunc
		h      http.Header
		want   RateLimit
		wantOK bool
	}{
		{"Okta with Date", epoch, http.Header{
			"X-Rate-Limit-Limit": {"600"}, "X-Rate-Limit-Remaining": {"0"},
			"X-Rate-Limit-Reset": {strconv.FormatInt(server.Unix()+42, 10)}, "Date": {server.Format(http.TimeFormat)},
		}, RateLimit{600, 0, now.Add(42 * time.Second)}, true},
		{"Okta without Date", epoch, http.Header{"X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()+10, 10)}},
			RateLimit{-1, -1, now.Add(10 * time.Second)}, true},
		{"Okta reset in the past", epoch, http.Header{"X-Rate-Limit-Reset": {"2"}}, RateLimit{-1, -1, now}, true},
		{"OneLogin delta", delta, http.Header{"X-Ratelimit-Limit": {"5000"}, "X-Ratelimit-Remaining": {"4999"}, "X-Ratelimit-Reset": {"2"}},
			RateLimit{5000, 4999, now.Add(2 * time.Second)}, true},
		{"counts only", delta, http.Header{"X-Ratelimit-Remaining": {"7"}}, RateLimit{-1, 7, time.Time{}}, true},
		{"nothing", delta, http.Header{}, RateLimit{-1, -1, time.Time{}}, false},
		{"garbage", delta, http.Header{"X-Ratelimit-Limit": {"many"}, "X-Ratelimit-Reset": {"-5"}}, RateLimit{-1, -1, time.Time{}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.fn(tt.h, now)
			if ok != tt.wantOK || got.Limit != tt.want.Limit || got.Remaining != tt.want.Remaining || !got.Reset.Equal(tt.want.Reset) {
				t.Errorf("got %+v, %v; want %+v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestWaitFuncs(t *testing.T) {
	now := time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		fn     RateLimitWaitFunc
		h      http.Header
		want   time.Duration
		wantOK bool
	}{
		{"delta 2 is two seconds", DeltaResetWait("X-RateLimit-Reset"), http.Header{"X-Ratelimit-Reset": {"2"}}, 2 * time.Second, true},
		{"delta 0", DeltaResetWait("X-RateLimit-Reset"), http.Header{"X-Ratelimit-Reset": {"0"}}, 0, true},
		// A reset beyond any sane wait is a hint that it is too far away
		// (clamped, so Duration cannot overflow), never "no hint".
		{"delta absurd: clamped, too far", DeltaResetWait("X-RateLimit-Reset"), http.Header{"X-Ratelimit-Reset": {"99999999999999"}}, maxDeltaSeconds * time.Second, true},
		{"delta beyond int64: clamped, too far", DeltaResetWait("X-RateLimit-Reset"), http.Header{"X-Ratelimit-Reset": {"99999999999999999999999"}}, maxDeltaSeconds * time.Second, true},
		{"delta negative: no hint", DeltaResetWait("X-RateLimit-Reset"), http.Header{"X-Ratelimit-Reset": {"-5"}}, 0, false},
		{"delta negative beyond int64: no hint", DeltaResetWait("X-RateLimit-Reset"), http.Header{"X-Ratelimit-Reset": {"-99999999999999999999999"}}, 0, false},
		{"Retry-After absurd: clamped, too far", RetryAfterWait, http.Header{"Retry-After": {"99999999999999"}}, maxDeltaSeconds * time.Second, true},
		{"Retry-After beyond int64: clamped, too far", RetryAfterWait, http.Header{"Retry-After": {"99999999999999999999999"}}, maxDeltaSeconds * time.Second, true},
		{"epoch beyond int64: far future", EpochResetWait("X-Rate-Limit-Reset"), http.Header{"X-Rate-Limit-Reset": {"99999999999999999999999"}}, time.Duration(math.MaxInt64), true},
		{"delta fraction", DeltaResetWait("X-RateLimit-Reset"), http.Header{"X-Ratelimit-Reset": {"1.5"}}, 0, false},
		{"epoch is not read as delta", EpochResetWait("X-Rate-Limit-Reset"), http.Header{"X-Rate-Limit-Reset": {"2"}}, 0, true},
		{"epoch far future", EpochResetWait("X-Rate-Limit-Reset"), http.Header{"X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()+3600, 10)}}, time.Hour, true},
		{"epoch with bad Date falls back", EpochResetWait("X-Rate-Limit-Reset"), http.Header{"X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()+9, 10)}, "Date": {"yesterday"}}, 9 * time.Second, true},
		// Date has one-second resolution: 0.7 s into the second, a server
		// whose clock agrees with ours sends the truncated second. The wait
		// is measured from now, not rounded up to whole seconds.
		{"epoch, clocks agree: sub-second wait from now", EpochResetWait("X-Rate-Limit-Reset"), http.Header{
			"X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()+3, 10)}, "Date": {now.Add(-700 * time.Millisecond).Format(http.TimeFormat)},
		}, 3 * time.Second, true},
		{"epoch, Date a whole second behind still agrees", EpochResetWait("X-Rate-Limit-Reset"), http.Header{
			"X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()+3, 10)}, "Date": {now.Add(-time.Second).Format(http.TimeFormat)},
		}, 3 * time.Second, true},
		{"epoch, local clock 5 s fast: server Date", EpochResetWait("X-Rate-Limit-Reset"), http.Header{
			"X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()+3, 10)}, "Date": {now.Add(-5 * time.Second).Format(http.TimeFormat)},
		}, 8 * time.Second, true},
		{"epoch, local clock 5 s slow: server Date", EpochResetWait("X-Rate-Limit-Reset"), http.Header{
			"X-Rate-Limit-Reset": {strconv.FormatInt(now.Unix()+3, 10)}, "Date": {now.Add(5 * time.Second).Format(http.TimeFormat)},
		}, 0, true},
		{"Retry-After seconds", RetryAfterWait, http.Header{"Retry-After": {"120"}}, 2 * time.Minute, true},
		{"Retry-After date", RetryAfterWait, http.Header{"Retry-After": {now.Add(30 * time.Second).Format(http.TimeFormat)}}, 30 * time.Second, true},
		{"Retry-After date vs server Date", RetryAfterWait, http.Header{
			"Retry-After": {"Wed, 01 May 2024 12:00:20 GMT"}, "Date": {"Wed, 01 May 2024 12:00:00 GMT"},
		}, 20 * time.Second, true},
		{"Retry-After junk", RetryAfterWait, http.Header{"Retry-After": {"soon"}}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.fn(tt.h, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("got %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

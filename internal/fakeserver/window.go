package fakeserver

import "time"

// Window is a fixed rate-limit window: Limit calls per Length. A window begins with the
// first call after the previous one ended (or the first call ever). How a fake reports
// it (header names, reset as epoch seconds or as seconds remaining) is the provider's.
//
// A Window is not safe for concurrent use; a fake guards it with its own lock. A copy
// is an independent snapshot.
type Window struct {
	// Limit is the number of calls a window allows.
	Limit int
	// Length is how long a window lasts.
	Length time.Duration

	start time.Time
	used  int
	begun bool
}

// Roll begins a new window at now when none has begun or the current one has ended.
// The other methods roll first; a fake calls Roll to begin the window at a call that
// spends nothing.
func (w *Window) Roll(now time.Time) {
	if !w.begun || !now.Before(w.start.Add(w.Length)) {
		w.start, w.used, w.begun = now, 0, true
	}
}

// Take spends one call at now and reports whether it was within the budget.
func (w *Window) Take(now time.Time) bool {
	w.Roll(now)
	if w.used >= w.Limit {
		return false
	}
	w.used++
	return true
}

// Remaining returns the calls left in the window current at now.
func (w *Window) Remaining(now time.Time) int {
	w.Roll(now)
	return max(w.Limit-w.used, 0)
}

// ResetAt returns when the window current at now ends.
func (w *Window) ResetAt(now time.Time) time.Time {
	w.Roll(now)
	return w.start.Add(w.Length)
}

// SetRemaining sets the calls left in the window current at now, clamped to
// [0, Limit].
func (w *Window) SetRemaining(now time.Time, n int) {
	w.Roll(now)
	w.used = w.Limit - max(0, min(n, w.Limit))
}

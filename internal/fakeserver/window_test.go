package fakeserver

import (
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	w := Window{Limit: 2, Length: time.Minute}
	if !w.Take(t0) || !w.Take(t0.Add(time.Second)) {
		t.Fatal("the budget refused a call within it")
	}
	if w.Take(t0.Add(2 * time.Second)) {
		t.Error("a third call in the window was allowed")
	}
	if got := w.Remaining(t0.Add(3 * time.Second)); got != 0 {
		t.Errorf("Remaining = %d, want 0", got)
	}
	// The window began at the first call, not at the last one.
	if got := w.ResetAt(t0.Add(30 * time.Second)); !got.Equal(t0.Add(time.Minute)) {
		t.Errorf("ResetAt = %v, want %v", got, t0.Add(time.Minute))
	}
	// At its end a new window begins with the first call.
	t1 := t0.Add(90 * time.Second)
	if !w.Take(t1) {
		t.Error("the budget did not renew")
	}
	if got := w.Remaining(t1); got != 1 {
		t.Errorf("Remaining after renewal = %d, want 1", got)
	}
	if got := w.ResetAt(t1); !got.Equal(t1.Add(time.Minute)) {
		t.Errorf("ResetAt after renewal = %v, want %v", got, t1.Add(time.Minute))
	}
}

func TestWindowSetRemainingAndSnapshot(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		set, want int
	}{{-1, 0}, {0, 0}, {2, 2}, {9, 3}}
	for _, tc := range tests {
		w := Window{Limit: 3, Length: time.Hour}
		w.SetRemaining(now, tc.set)
		if got := w.Remaining(now); got != tc.want {
			t.Errorf("SetRemaining(%d): Remaining = %d, want %d", tc.set, got, tc.want)
		}
		if allowed := w.Take(now); allowed != (tc.want > 0) {
			t.Errorf("SetRemaining(%d): Take = %v", tc.set, allowed)
		}
	}
	// A copy is a snapshot: spending it leaves the original alone.
	w := Window{Limit: 3, Length: time.Hour}
	w.Roll(now)
	c := w
	c.SetRemaining(now, 0)
	if got := w.Remaining(now); got != 3 {
		t.Errorf("original Remaining = %d after changing a copy", got)
	}
}

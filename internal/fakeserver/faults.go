package fakeserver

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FaultQueue holds the faults injected into a fake and its standing delay. F is the
// fake's own public Fault type, whose kinds and documentation are the provider's; the
// queue only matches faults to operations and counts their uses. It is safe for
// concurrent use; the zero value is ready.
type FaultQueue[F any] struct {
	mu    sync.Mutex
	queue []*queued[F]
	delay time.Duration
}

type queued[F any] struct {
	fault F
	op    string // "" matches every operation a wildcard may affect
	left  int
}

// Push queues f for the next times calls (at least one) to operationID, or to any
// operation when operationID is "".
func (q *FaultQueue[F]) Push(f F, operationID string, times int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue = append(q.queue, &queued[F]{fault: f, op: operationID, left: max(times, 1)})
}

// Take dequeues one use of the first fault matching operationID: one naming it, or,
// when wildcard is true, one naming no operation. It reports whether there was one.
func (q *FaultQueue[F]) Take(operationID string, wildcard bool) (F, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, e := range q.queue {
		if e.op == "" && !wildcard || e.op != "" && e.op != operationID {
			continue
		}
		e.left--
		if e.left <= 0 {
			q.queue = append(q.queue[:i:i], q.queue[i+1:]...)
		}
		return e.fault, true
	}
	var zero F
	return zero, false
}

// SetDelay sets the delay before every response (negative means none).
func (q *FaultQueue[F]) SetDelay(d time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.delay = max(d, 0)
}

// Delay returns the delay before every response.
func (q *FaultQueue[F]) Delay() time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.delay
}

// Clear drops every queued fault and the delay.
func (q *FaultQueue[F]) Clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue, q.delay = nil, 0
}

// Sleep waits d, or until ctx ends or done (which may be nil) is closed; it reports
// whether the full wait elapsed.
func Sleep(ctx context.Context, done <-chan struct{}, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-done:
		return false
	}
}

// WriteHTML answers status (0 means 502 Bad Gateway) with an HTML error page, as a proxy
// or load balancer in front of the API would.
func WriteHTML(w http.ResponseWriter, status int) {
	if status == 0 {
		status = http.StatusBadGateway
	}
	text := http.StatusText(status)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n<body><h1>%d %s</h1><p>The server is temporarily unable to service your request.</p></body></html>\n", status, text, status, text)
}

// WriteTruncated answers status, declaring the full Content-Length of body but sending
// only its first half: net/http then closes the connection short and the client sees an
// unexpected EOF mid-body. The caller sets the other headers first.
func WriteTruncated(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body[:len(body)/2])
}

// Drop closes the connection without answering. Where the connection cannot be taken
// over (HTTP/2), it aborts the handler, which resets the stream instead.
func Drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

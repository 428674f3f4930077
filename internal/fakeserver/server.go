package fakeserver

import (
	"bytes"
	"log/slog"
	"net/http"
	"sync"
	"testing"
)

// Recorder buffers a handler's response so that it can be validated (and, by a response
// hook, rewritten) before it is sent.
type Recorder struct {
	// Status is the status the handler wrote: its first WriteHeader before any Write,
	// else 200.
	Status int
	// Body is what the handler wrote.
	Body bytes.Buffer

	header http.Header
	wrote  bool
}

// NewRecorder returns an empty Recorder with status 200.
func NewRecorder() *Recorder { return &Recorder{header: http.Header{}, Status: http.StatusOK} }

// Header returns the response headers to be sent.
func (r *Recorder) Header() http.Header { return r.header }

// WriteHeader records status, unless a status or body was already written.
func (r *Recorder) WriteHeader(status int) {
	if !r.wrote {
		r.Status, r.wrote = status, true
	}
}

// Write appends b to the body.
func (r *Recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.Body.Write(b)
}

// Send copies the recorded headers, status and body to w.
func (r *Recorder) Send(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	w.WriteHeader(r.Status)
	_, _ = w.Write(r.Body.Bytes())
}

// Reporter makes a fake's mismatch with its document loud, so that the fake can never
// drift from the document silently.
type Reporter struct {
	// T, when set (a fake's WithT), receives every report as a test error.
	T testing.TB
	// Logger receives reports when T is nil; nil means slog.Default() at the time of
	// the report.
	Logger *slog.Logger
	// Prefix starts every report, such as "oktatest".
	Prefix string
}

// Report reports msg: as "<Prefix>: <msg>" with T.Errorf, or else as an error log
// "<Prefix>: spec violation" with msg in its "problem" attribute.
func (r Reporter) Report(msg string) {
	if r.T != nil {
		r.T.Helper()
		r.T.Errorf("%s: %s", r.Prefix, msg)
		return
	}
	l := r.Logger
	if l == nil {
		l = slog.Default()
	}
	l.Error(r.Prefix+": spec violation", slog.String("problem", msg))
}

// Calls counts the requests a fake receives, by operation id. It is safe for concurrent
// use; the zero value is ready.
type Calls struct {
	mu sync.Mutex
	n  map[string]int
}

// Add counts one request for operationID ("" for a request that matches no operation).
func (c *Calls) Add(operationID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[operationID]++
}

// Count returns the requests counted for operationID.
func (c *Calls) Count(operationID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[operationID]
}

// Total returns every request counted.
func (c *Calls) Total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, x := range c.n {
		n += x
	}
	return n
}

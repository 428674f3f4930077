package oktatest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/mfakit/mfakit/internal/fakeserver"
)

// FaultKind selects what an injected Fault does.
type FaultKind int

// The kinds of fault the server can inject.
const (
	// FaultStatus answers with Fault.Status (default 500) and the Okta error body for it
	// (E0000047 for 429, with X-Rate-Limit-Remaining 0; E0000009 for 5xx). The request is
	// not processed.
	FaultStatus FaultKind = iota
	// FaultDelay waits Fault.Delay and then handles the call normally.
	FaultDelay
	// FaultHTML answers with Fault.Status (default 502) and an HTML page, as a proxy or
	// load balancer in front of Okta would. The request is not processed.
	FaultHTML
	// FaultTruncated processes the call normally, then sends the full Content-Length but
	// only half of the body and closes the connection, so the client sees an unexpected
	// EOF although the server's state changed.
	FaultTruncated
	// FaultDrop closes the connection without answering. The request is not processed.
	//
	// Go's http.Transport silently retries an idempotent request (GET, HEAD, OPTIONS) once
	// when a reused keep-alive connection is closed before any answer, so use Times of 2
	// or more to make such a call fail.
	FaultDrop
)

// String returns the kind's name, such as "FaultDrop".
func (k FaultKind) String() string {
	switch k {
	case FaultStatus:
		return "FaultStatus"
	case FaultDelay:
		return "FaultDelay"
	case FaultHTML:
		return "FaultHTML"
	case FaultTruncated:
		return "FaultTruncated"
	case FaultDrop:
		return "FaultDrop"
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is a failure to inject into upcoming calls.
type Fault struct {
	// Kind is what happens; the zero value is FaultStatus.
	Kind FaultKind
	// Status is the HTTP status for FaultStatus and FaultHTML.
	Status int
	// Delay is waited before the fault acts, for every kind (or before normal handling for
	// FaultDelay). A request whose context ends first is abandoned.
	Delay time.Duration
	// Times is how many calls the fault affects; 0 means 1.
	Times int
	// OperationID limits the fault to one operation (an Op constant); "" or AllOperations
	// matches every call, including calls to paths the document does not have, except
	// calls to the token endpoint, which only a fault naming OpToken affects.
	OperationID string
}

// Inject queues a fault. Queued faults apply in the order injected, each to the next
// matching calls, before rate limiting, authentication and validation; their answers are
// not validated against the document (they are off-spec on purpose) and do not spend
// rate-limit budget.
func (s *Server) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	op := f.OperationID
	if op == AllOperations {
		op = ""
	}
	s.faults.Push(f, op, f.Times)
}

// FailNext makes the next n calls answer status with Okta's error body for it.
func (s *Server) FailNext(n, status int) {
	s.Inject(Fault{Kind: FaultStatus, Status: status, Times: n})
}

// HTMLNext makes the next call answer status with an HTML error page.
func (s *Server) HTMLNext(status int) { s.Inject(Fault{Kind: FaultHTML, Status: status}) }

// TruncateNext makes the next call's response stop half-way through its body.
func (s *Server) TruncateNext() { s.Inject(Fault{Kind: FaultTruncated}) }

// DropNext makes the next call's connection close without an answer. See FaultDrop for
// the transport's retry of idempotent requests.
func (s *Server) DropNext() { s.Inject(Fault{Kind: FaultDrop}) }

// Delay delays every response by d from now on; Delay(0) stops it. A delayed request
// whose context ends, or whose server closes, is abandoned.
func (s *Server) Delay(d time.Duration) { s.faults.SetDelay(d) }

// ClearFaults drops every queued fault and the delay.
func (s *Server) ClearFaults() { s.faults.Clear() }

// takeFault dequeues one use of the first fault matching opID. A fault for every
// operation does not affect the token endpoint.
func (s *Server) takeFault(opID string) *Fault {
	f, ok := s.faults.Take(opID, opID != OpToken)
	if !ok {
		return nil
	}
	return &f
}

// applyFault acts out f on w and reports whether the call is finished.
func (s *Server) applyFault(w http.ResponseWriter, opID string, f *Fault, now time.Time) bool {
	switch f.Kind {
	case FaultDelay, FaultTruncated:
		return false
	case FaultDrop:
		fakeserver.Drop(w)
		return true
	case FaultHTML:
		fakeserver.WriteHTML(w, f.Status)
		return true
	default:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		s.mu.Lock()
		b := *s.bucketLocked(opID, now)
		s.mu.Unlock()
		if status == http.StatusTooManyRequests {
			b.SetRemaining(now, 0)
		}
		setRateHeaders(w.Header(), &b, now)
		if opID == OpToken {
			tokenFault(w, status)
			return true
		}
		writeError(w, status, errorForStatus(status))
		return true
	}
}

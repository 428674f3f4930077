package onelogintest

import (
	"net/http"
	"time"

	"github.com/mfakit/mfakit/internal/fakeserver"
)

// FaultKind selects what an injected Fault does.
type FaultKind int

// The kinds of fault the server can inject.
const (
	// FaultStatus answers with Fault.Status (default 500) and the operation's usual error body:
	// the v1 status envelope, or the v2 error body for the token and revoke endpoints. A 429
	// carries rate-limit headers with Remaining 0.
	FaultStatus FaultKind = iota
	// FaultDelay waits Fault.Delay and then handles the call normally.
	FaultDelay
	// FaultHTML answers with Fault.Status (default 502) and an HTML page, as a proxy would.
	FaultHTML
	// FaultTruncated starts a 200 JSON answer and closes the connection part-way through the body.
	FaultTruncated
	// FaultDrop closes the connection without answering.
	//
	// Go's http.Transport silently retries an idempotent request (GET, DELETE) once when a
	// reused keep-alive connection is closed before any answer, so use Times of 2 or more to
	// make such a call fail.
	FaultDrop
	// FaultBody answers with Fault.Status (default 200) and Fault.Body verbatim, for quirks
	// a client must survive that the document does not describe (a number sent as a string,
	// a v2 error from a v1 path). Rate-limit headers are added.
	FaultBody
)

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
	// Body is the answer for FaultBody.
	Body []byte
	// ContentType is the Content-Type for FaultBody; "" means application/json.
	ContentType string
	// OperationID limits the fault to one operation (Op… constants); "" matches every call,
	// including token requests.
	OperationID string
}

// Inject queues a fault. Faults apply in the order injected, after request validation and
// before rate limiting and authentication; injected answers are not validated against the
// document (they are off-spec on purpose) and do not spend rate-limit budget.
func (s *Server) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults.Push(f, f.OperationID, f.Times)
}

// FailNext makes the next n calls answer status with the operation's error body.
func (s *Server) FailNext(n, status int) {
	s.Inject(Fault{Kind: FaultStatus, Status: status, Times: n})
}

// ClearFaults drops every fault not yet used.
func (s *Server) ClearFaults() { s.faults.Clear() }

// truncatedBody is the 200 answer FaultTruncated starts and cuts half-way.
var truncatedBody = []byte(`{"status":{"error":false,"code":200,"type":"success","message":"Success"},"data":{"otp_devices":[]}}`)

// applyFault acts out f and reports whether it answered the request itself.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, op string, f Fault) bool {
	if !fakeserver.Sleep(r.Context(), nil, f.Delay) {
		return true
	}
	switch f.Kind {
	case FaultDelay:
		return false
	case FaultHTML:
		fakeserver.WriteHTML(w, f.Status)
	case FaultTruncated:
		s.rateHeaders(w.Header())
		w.Header().Set("Content-Type", "application/json")
		fakeserver.WriteTruncated(w, http.StatusOK, truncatedBody)
	case FaultBody:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		ct := f.ContentType
		if ct == "" {
			ct = "application/json"
		}
		s.rateHeaders(w.Header())
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		_, _ = w.Write(f.Body)
	case FaultDrop:
		fakeserver.Drop(w)
	default:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		s.rateHeaders(w.Header())
		if status == http.StatusTooManyRequests {
			w.Header().Set("X-RateLimit-Remaining", "0")
		}
		s.writeError(w, op, status, http.StatusText(status))
	}
	return true
}

package oktatest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Okta error codes the fake answers with.
const (
	codeValidation      = "E0000001" // Api validation failed
	codeMalformed       = "E0000003" // The request body was not well-formed
	codeForbidden       = "E0000006" // You do not have permission
	codeNotFound        = "E0000007" // Not found
	codeInternal        = "E0000009" // Internal Server Error
	codeInvalidToken    = "E0000011" // Invalid token provided
	codeMethod          = "E0000022" // The endpoint does not support the provided HTTP method
	codeRateLimit       = "E0000047" // API call exceeded rate limit
	codeInvalidCode     = "E0000068" // Invalid Passcode/Answer
	codeCodeReplayed    = "E0000082" // Each code can only be used once
	codeOTPRecentlySent = "E0000109" // An SMS message was recently sent
)

// oktaError is Okta's error body (components/schemas/Error).
type oktaError struct {
	ErrorCode    string       `json:"errorCode"`
	ErrorSummary string       `json:"errorSummary"`
	ErrorLink    string       `json:"errorLink"`
	ErrorID      string       `json:"errorId"`
	ErrorCauses  []errorCause `json:"errorCauses"`
}

type errorCause struct {
	ErrorSummary string `json:"errorSummary"`
}

func newOktaError(code, summary string, causes ...string) oktaError {
	e := oktaError{
		ErrorCode:    code,
		ErrorSummary: summary,
		ErrorLink:    code,
		ErrorID:      "oae" + randomID(22),
		ErrorCauses:  []errorCause{},
	}
	for _, c := range causes {
		e.ErrorCauses = append(e.ErrorCauses, errorCause{ErrorSummary: c})
	}
	return e
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only maps, slices and strings built by the fake are marshalled; this is a bug.
		b, _ = json.Marshal(newOktaError(codeInternal, "Internal Server Error", "oktatest: "+err.Error()))
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, e oktaError) { writeJSON(w, status, e) }

// notFound answers 404 E0000007 as Okta does: "Not found: Resource not found: <id> (<Type>)".
func notFound(w http.ResponseWriter, id, typ string) {
	writeError(w, http.StatusNotFound, newOktaError(codeNotFound,
		fmt.Sprintf("Not found: Resource not found: %s (%s)", id, typ)))
}

// badRequest answers 400 E0000001 with one errorCause per cause.
func badRequest(w http.ResponseWriter, what string, causes ...string) {
	writeError(w, http.StatusBadRequest, newOktaError(codeValidation, "Api validation failed: "+what, causes...))
}

func malformed(w http.ResponseWriter, cause string) {
	writeError(w, http.StatusBadRequest, newOktaError(codeMalformed, "The request body was not well-formed.", cause))
}

func invalidToken(w http.ResponseWriter) {
	writeError(w, http.StatusUnauthorized, newOktaError(codeInvalidToken, "Invalid token provided"))
}

func forbidden(w http.ResponseWriter) {
	writeError(w, http.StatusForbidden, newOktaError(codeForbidden, "You do not have permission to perform the requested action"))
}

func invalidPasscode(w http.ResponseWriter, cause string) {
	writeError(w, http.StatusForbidden, newOktaError(codeInvalidCode, "Invalid Passcode/Answer", cause))
}

func rateLimitedError() oktaError {
	return newOktaError(codeRateLimit, "API call exceeded rate limit due to too many requests.")
}

func internalError(cause string) oktaError {
	return newOktaError(codeInternal, "Internal Server Error", cause)
}

// errorForStatus is the Okta error body a fault with an arbitrary status answers with.
func errorForStatus(status int) oktaError {
	switch status {
	case http.StatusBadRequest:
		return newOktaError(codeValidation, "Api validation failed")
	case http.StatusUnauthorized:
		return newOktaError(codeInvalidToken, "Invalid token provided")
	case http.StatusForbidden:
		return newOktaError(codeForbidden, "You do not have permission to perform the requested action")
	case http.StatusNotFound:
		return newOktaError(codeNotFound, "Not found: Resource not found")
	case http.StatusTooManyRequests:
		return rateLimitedError()
	default:
		return internalError(fmt.Sprintf("injected fault: HTTP %d", status))
	}
}

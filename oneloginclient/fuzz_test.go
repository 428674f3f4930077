package oneloginclient

// Fuzz targets for OneLogin's wire decoders (issue 7): the error decoder, the
// v1 envelope and the decoders of each operation's data, and the whole
// response path of every operation through a real Client. Properties: no
// panic; a value or an error, never both and never neither; every error is
// an *Error; whatever decodes re-encodes to JSON that decodes to the same
// value. Seeds come from api/testdata/examples/onelogin; crashers found later
// go under testdata/fuzz/FuzzXxx. scripts/fuzz.sh lists these targets.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/mfakit/mfakit/wrappers"
)

// fuzzExamples returns the example payloads whose file names contain one of
// the given parts ("" for all).
func fuzzExamples(f *testing.F, parts ...string) [][]byte {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("..", "api", "testdata", "examples", "onelogin", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no example payloads: %v", err)
	}
	var out [][]byte
	for _, name := range files {
		match := len(parts) == 0
		for _, p := range parts {
			match = match || strings.Contains(filepath.Base(name), p)
		}
		if !match {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

var fuzzExtraBodies = []string{
	``,
	`null`,
	`[]`,
	`<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>`,
	`{"status":{"error":true,"code":"400","type":"bad request","message":{"description":"x","attribute":"number"}}}`,
	`{"status":{"error":"true","code":400.0,"type":"","message":["a",{"description":"b","attribute":"c"}]}}`,
	`{"error":true,"code":400,"type":"bad request","message":"flat v1"}`,
	`{"statusCode":401,"name":"InvalidCredentials","message":"v2"}`,
	`{"error":"invalid_client","error_description":"rfc 6749"}`,
	`{"status":{"error":false,"code":200},"data":{"otp_devices":[{"id":"525509","active":"true"}]}}`,
	`{"status":{"error":false,"code":200},"data":[{"id":1,"device_id":"2","state_token_expires_at":"2025-06-02 14:06:55 UTC"}]}`,
	`{"status":{"error":false,"code":200},"data":{"otp_devices":[{"id":1},{"active":true}]}}`,
	`{"status":null,"data":{"otp_devices":[]}}`,
	`{"status":{"error":false},"data":{"otp_devices":[{"id":1e3}]}}`,
	`{"status":{"error":false},"data":{"auth_factors":[{"name":"x","factor_id":9.5}]}}`,
	`{"mfa_token":"1","reusable":"true","expires_at":"2025-06-05T14:01:55Z"}`,
	`{"status":{"error":false},"data":[{"mfa_token":"1"},{"mfa_token":"2"}]}`,
	`{"status":{"error":false,"code":200},"data":{"otp_devices":[` + strings.Repeat(`{"id":1},`, 20) + `{"id":2}]}}`,
	"{\"status\":{\"error\":true,\"message\":\"line1\\nline2\\u2028\\u202e\"}}",
}

// FuzzOneLoginErrorDecode: whatever a non-2xx body holds, newResponseError
// returns an *Error that keeps the status, reads a well-formed v1 envelope's
// code, type and message exactly, prints on one line, keeps at most 8 KiB of
// body, and matches exactly the sentinel of its status class.
func FuzzOneLoginErrorDecode(f *testing.F) {
	for _, b := range fuzzExamples(f, ".4", ".5") {
		f.Add(uint16(400), b)
		f.Add(uint16(502), b)
	}
	for _, b := range fuzzExtraBodies {
		f.Add(uint16(401), []byte(b))
	}
	f.Add(uint16(429), bytes.Repeat([]byte("x"), 9000))
	f.Fuzz(func(t *testing.T, rawStatus uint16, body []byte) {
		status := 400 + int(rawStatus)%200
		h := http.Header{"X-Ratelimit-Reset": {"2"}}
		e := newResponseError(status, h, bytes.Clone(body), time.Unix(1000, 0))
		if e == nil {
			t.Fatal("nil *Error")
		}
		if e.StatusCode != status {
			t.Fatalf("StatusCode %d, want %d", e.StatusCode, status)
		}
		if len(e.Body) > maxErrorBody {
			t.Fatalf("kept %d bytes of body", len(e.Body))
		}
		if e.Code < 0 || e.Code >= 1000 {
			t.Fatalf("Code %d out of range", e.Code)
		}
		msg := e.Error()
		if strings.ContainsAny(msg, "\r\n\u2028\u2029\u202e") {
			t.Fatalf("Error() spans lines or carries bidi controls: %q", msg)
		}
		sentinels := map[error]bool{
			ErrBadRequest:        status == 400,
			ErrUnauthorized:      status == 401,
			ErrForbidden:         status == 403,
			ErrNotFound:          status == 404,
			ErrRateLimited:       status == 429,
			ErrServer:            status >= 500,
			ErrMalformedResponse: false,
		}
		for s, want := range sentinels {
			if errors.Is(e, s) != want {
				t.Fatalf("errors.Is(%d, %v) = %v", status, s, !want)
			}
		}
		if e.RateLimit.Reset.IsZero() {
			t.Fatal("rate-limit reset lost")
		}

		// A well-formed v1 envelope is read exactly.
		var top map[string]json.RawMessage
		if json.Unmarshal(body, &top) != nil {
			return
		}
		var st map[string]json.RawMessage
		if json.Unmarshal(top["status"], &st) != nil {
			return
		}
		var code int
		var typ, m string
		if json.Unmarshal(st["code"], &code) != nil || json.Unmarshal(st["type"], &typ) != nil ||
			json.Unmarshal(st["message"], &m) != nil || code < 0 || code >= 1000 ||
			strings.TrimSpace(typ) == "" || strings.TrimSpace(m) == "" {
			return
		}
		if e.Code != code || e.Type != wrappers.Excerpt([]byte(typ), 100) || e.Message != wrappers.Excerpt([]byte(m), 1000) {
			t.Fatalf("envelope %s read as code %d type %q message %q", body, e.Code, e.Type, e.Message)
		}
	})
}

// FuzzOneLoginEnvelope: decodeEnvelope returns data only without an error;
// each operation's decoder returns a value or an error, never both, never a
// partial list; and what decodes re-encodes to JSON that decodes to the same
// value.
func FuzzOneLoginEnvelope(f *testing.F) {
	for _, b := range fuzzExamples(f) {
		f.Add(b)
	}
	for _, b := range fuzzExtraBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		data, st, err := decodeEnvelope(bytes.Clone(body))
		if err != nil {
			if data != nil {
				t.Fatalf("data %s with error %v", data, err)
			}
			if err == errStatusError && (st == nil || !bool(st.Error)) {
				t.Fatal("errStatusError without status.error")
			}
		} else if st == nil || bool(st.Error) || !json.Valid(body) {
			t.Fatalf("no error for %q (status %+v)", body, st)
		}
		if data == nil {
			return
		}

		if devs, err := decodeEnrolled(data); err != nil {
			if devs != nil {
				t.Fatalf("partial list %v with error %v", devs, err)
			}
		} else {
			out, _ := json.Marshal(map[string]any{"otp_devices": devs})
			again, err := decodeEnrolled(out)
			if err != nil || !reflect.DeepEqual(nonNil(again), nonNil(devs)) {
				t.Fatalf("enrolled round trip:\n%+v\n%+v (%v)", devs, again, err)
			}
		}

		if fs, err := decodeAvailable(data); err != nil {
			if fs != nil {
				t.Fatalf("partial list %v with error %v", fs, err)
			}
		} else {
			out, _ := json.Marshal(map[string]any{"auth_factors": fs})
			again, err := decodeAvailable(out)
			if err != nil || !reflect.DeepEqual(nonNil(again), nonNil(fs)) {
				t.Fatalf("available round trip:\n%+v\n%+v (%v)", fs, again, err)
			}
		}

		if d, err := decodeEnrolledDevice(data); (d == nil) == (err == nil) {
			t.Fatalf("enrolled device %v, error %v", d, err)
		} else if d != nil {
			out, _ := json.Marshal([]Device{*d})
			again, err := decodeEnrolledDevice(out)
			if err != nil || *again != *d {
				t.Fatalf("device round trip:\n%+v\n%+v (%v)", d, again, err)
			}
		}

		if a, err := decodeActivation(data); (a == nil) == (err == nil) {
			t.Fatalf("activation %v, error %v", a, err)
		} else if a != nil {
			out, err := json.Marshal(a)
			if err != nil {
				t.Fatalf("Marshal(%+v): %v", a, err)
			}
			var again ActivationResult
			if err := json.Unmarshal(out, &again); err != nil {
				t.Fatalf("re-decode %s: %v", out, err)
			}
			if !again.StateTokenExpiresAt.Equal(a.StateTokenExpiresAt) {
				t.Fatalf("expiry %v became %v", a.StateTokenExpiresAt, again.StateTokenExpiresAt)
			}
			again.StateTokenExpiresAt = a.StateTokenExpiresAt
			if again != *a {
				t.Fatalf("activation round trip:\n%+v\n%+v", a, again)
			}
		}
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// FuzzOneLoginMFAToken: decodeMFAToken returns a token or an error; a
// decoded token has a value, and re-encodes (the token itself redacted, by
// design) to JSON that decodes to the same Reusable and ExpiresAt.
func FuzzOneLoginMFAToken(f *testing.F) {
	for _, b := range fuzzExamples(f, "MFAtoken") {
		f.Add(b)
	}
	for _, b := range fuzzExtraBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		tok, err := decodeMFAToken(bytes.Clone(body))
		if (tok == nil) == (err == nil) {
			t.Fatalf("token %v, error %v", tok, err)
		}
		if tok == nil {
			return
		}
		if tok.Token.Reveal() == "" {
			t.Fatal("empty token without an error")
		}
		out, err := json.Marshal(tok)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		if !bytes.Contains(out, []byte(`"mfa_token":"`+wrappers.Redacted+`"`)) {
			t.Fatalf("token not redacted in %s", out)
		}
		again, err := decodeMFAToken(out)
		if err != nil || again.Reusable != tok.Reusable || !again.ExpiresAt.Equal(tok.ExpiresAt) {
			t.Fatalf("round trip %+v → %s → %+v (%v)", tok, out, again, err)
		}
	})
}

// fuzzTransport answers every request with one canned response, without a
// network, and counts the requests.
type fuzzTransport struct {
	status int
	body   []byte
	calls  int
}

func (ft *fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	ft.calls++
	return &http.Response{
		StatusCode: ft.status,
		Status:     http.StatusText(ft.status),
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(ft.body)),
		Request:    r,
	}, nil
}

// FuzzOneLoginResponses sends each of the seven operations through a real
// Client whose transport answers with the fuzzed status and body. The result
// is always either a value (or nil error for operations without one) or an
// error that is an *Error; never both, never neither.
func FuzzOneLoginResponses(f *testing.F) {
	statuses := []int{200, 201, 204, 400, 401, 403, 404, 429, 500, 502}
	for i, b := range fuzzExamples(f) {
		f.Add(uint8(i), uint8(0), b)
		f.Add(uint8(i), uint8(i), b)
	}
	for i, b := range fuzzExtraBodies {
		f.Add(uint8(i), uint8(i), []byte(b))
	}
	f.Fuzz(func(t *testing.T, opIdx, statusIdx uint8, body []byte) {
		ft := &fuzzTransport{status: statuses[int(statusIdx)%len(statuses)], body: body}
		c, err := New("https://fuzz.onelogin.com",
			WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "fuzz-token"})),
			WithHTTPClient(&http.Client{Transport: ft}),
			WithRetry(RetryPolicy{MaxAttempts: 1}),
			withSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		var val any
		switch opIdx % 7 {
		case 0:
			v, e := c.ListEnrolledFactors(ctx, 1)
			val, err = v, e
			if v == nil {
				val = nil
			}
		case 1:
			v, e := c.ListAvailableFactors(ctx, 1)
			val, err = v, e
			if v == nil {
				val = nil
			}
		case 2:
			v, e := c.EnrollFactor(ctx, 1, EnrollRequest{FactorID: 2, DisplayName: "x", Number: "+15555550123"})
			val, err = v, e
			if v == nil {
				val = nil
			}
		case 3:
			v, e := c.ActivateFactor(ctx, 1, 2, ActivateRequest{})
			val, err = v, e
			if v == nil {
				val = nil
			}
		case 4:
			v, e := c.GenerateMFAToken(ctx, 1, MFATokenRequest{})
			val, err = v, e
			if v == nil {
				val = nil
			}
		case 5:
			err = c.VerifyFactor(ctx, 1, 2, VerifyRequest{OTP: "123456"})
			val = struct{}{}
		case 6:
			err = c.RemoveFactor(ctx, 1, 2)
			val = struct{}{}
		}
		if err == nil {
			if val == nil {
				t.Fatalf("op %d, %d %q: nil value and nil error", opIdx%7, ft.status, body)
			}
			if ft.status >= 300 {
				t.Fatalf("op %d: success from a %d", opIdx%7, ft.status)
			}
			return
		}
		if val != nil && opIdx%7 < 5 {
			t.Fatalf("op %d: value %v with error %v", opIdx%7, val, err)
		}
		var oe *Error
		if !errors.As(err, &oe) {
			t.Fatalf("op %d, %d %q: error %T %v is not an *Error", opIdx%7, ft.status, body, err, err)
		}
		if ft.status < 300 && !errors.Is(err, ErrMalformedResponse) {
			t.Fatalf("op %d: 2xx failure %v does not match ErrMalformedResponse", opIdx%7, err)
		}
		if ft.status >= 300 && oe.StatusCode != ft.status {
			t.Fatalf("op %d: StatusCode %d from a %d", opIdx%7, oe.StatusCode, ft.status)
		}
		// A POST is never sent twice on a 5xx; a 401 is re-sent once.
		if max := map[bool]int{true: 2, false: 1}[ft.status == 401]; ft.calls > max {
			t.Fatalf("op %d: %d requests for one %d", opIdx%7, ft.calls, ft.status)
		}
	})
}

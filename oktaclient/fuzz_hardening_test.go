package oktaclient

// Fuzz targets added for issue 7, beside the client owner's fuzz_test.go
// (FuzzPeekDiscriminator, FuzzUnmarshalAuthenticator,
// FuzzUnmarshalUserFactor): the AuthenticatorMethod union, the three union
// list decoders, the error decoder, and the whole response path of
// operations of every class (paging included) through a real Client.
// Seeds come from api/testdata/examples/okta and the owner's fixtures;
// crashers found later go under testdata/fuzz/FuzzXxx. scripts/fuzz.sh lists
// these targets.

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

	"github.com/mfakit/mfakit/wrappers"
)

func hzExamples(f *testing.F) [][]byte {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("..", "api", "testdata", "examples", "okta", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no example payloads: %v", err)
	}
	var out [][]byte
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// hzSameJSON reports whether a and b decode to the same value (numbers
// compared as written).
func hzSameJSON(a, b []byte) bool {
	dec := func(x []byte) (any, bool) {
		d := json.NewDecoder(bytes.NewReader(x))
		d.UseNumber()
		var v any
		return v, d.Decode(&v) == nil
	}
	va, oka := dec(a)
	vb, okb := dec(b)
	return oka && okb && reflect.DeepEqual(va, vb)
}

// FuzzUnmarshalAuthenticatorMethod: no panic; a value always comes back;
// an error only with an UnknownAuthenticatorMethod carrying it; a decoded
// value re-encodes to JSON that decodes to the same value, of the same type,
// and to the same JSON as the input.
func FuzzUnmarshalAuthenticatorMethod(f *testing.F) {
	for _, fx := range methodFixtures {
		f.Add([]byte(fx))
	}
	for _, b := range hzExamples(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"type":"quantum","status":"ACTIVE","settings":{"newKnob":[1,{"x":null}]}}`))
	f.Add([]byte(`{"type":"sms","status":7}`))
	f.Add([]byte(`{"type":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := UnmarshalAuthenticatorMethod(bytes.Clone(data))
		if m == nil {
			t.Fatal("nil value")
		}
		if err != nil {
			if u, ok := m.(*UnknownAuthenticatorMethod); !ok || u.Err() == nil {
				t.Fatalf("error %v without an Unknown carrying it (%T)", err, m)
			}
			return
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		again, err := UnmarshalAuthenticatorMethod(out)
		if err != nil {
			t.Fatalf("re-decode of %s: %v", out, err)
		}
		if reflect.TypeOf(again) != reflect.TypeOf(m) || again.Type() != m.Type() {
			t.Fatalf("type changed: %T %q → %T %q", m, m.Type(), again, again.Type())
		}
		out2, err := json.Marshal(again)
		if err != nil || !hzSameJSON(out, out2) {
			t.Fatalf("second round trip changed the JSON:\n%s\n%s", out, out2)
		}
		if json.Valid(data) && !hzSameJSON(data, out) {
			t.Fatalf("JSON changed:\n%s\n%s", data, out)
		}
	})
}

// FuzzDecodeUnionLists: a list body decodes to one element per array
// element for each of the three unions (one bad or unknown element never
// fails or empties the list), and the re-encoded list is the same JSON.
func FuzzDecodeUnionLists(f *testing.F) {
	var auths, methods, factors []string
	for _, s := range authenticatorFixtures {
		auths = append(auths, s)
	}
	for _, s := range methodFixtures {
		methods = append(methods, s)
	}
	for _, s := range factorFixtures {
		factors = append(factors, s)
	}
	f.Add([]byte(jsonArray(auths...)))
	f.Add([]byte(jsonArray(methods...)))
	f.Add([]byte(jsonArray(factors...)))
	f.Add([]byte(`[{"key":"webauthn"},{"key":1},{"factorType":"push"},7,null,"x",[]]`))
	// Malformed arrays: the list decoder does not validate the body up front
	// (wrappers.ScanArray checks only the array's own syntax), so each of
	// these must still be refused, by the splitter or by an element's decode.
	for _, s := range []string{
		`[`, `]`, `[,]`, `[1,]`, `[,1]`, `[1 2]`, `[1,,2]`, `[]]`, `[] x`, `null x`, `nul`, `[nul]`,
		`[{"key":"okta_email","x":tru}]`, `[{"key":"quantum","x":[}]`, `[{"key":"okta_email"},{"key":]`,
		`[{"key":"okta_email" "id":"a"}]`, `[{"key":"okta_email","_links":{"self":}}]`, `["\x"]`,
		`[{"factorType":"sms","_embedded":{]}]`, `[{"type":"push"}}`, `[{"type":"push"]`, `[1e]`, `[-]`, `[01]`,
		`[{"key":"tac"},{]`, "[{\"key\":\"tac\"}\x00]", `[{"key":"tac",}]`,
	} {
		f.Add([]byte(s))
	}
	for _, b := range hzExamples(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var elems []json.RawMessage
		isArray := json.Unmarshal(body, &elems) == nil && bytes.HasPrefix(bytes.TrimSpace(body), []byte("["))
		check := func(name string, n int, err error, encode func() ([]byte, error)) {
			if !isArray {
				// Only a JSON null is not an error (an empty list).
				if err == nil && strings.Trim(string(body), " \t\r\n") != "null" {
					t.Fatalf("%s: no error for a non-array body %q", name, body)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: array body %q failed: %v", name, body, err)
			}
			if n != len(elems) {
				t.Fatalf("%s: %d elements for %d in the array", name, n, len(elems))
			}
			out, err := encode()
			if err != nil {
				t.Fatalf("%s: Marshal: %v", name, err)
			}
			// Elements that are not objects (7, null) are kept as Unknown
			// values; compare objects only.
			var got []json.RawMessage
			if json.Unmarshal(out, &got) != nil || len(got) != len(elems) {
				t.Fatalf("%s: re-encoded %s", name, out)
			}
			for i := range elems {
				if bytes.HasPrefix(bytes.TrimSpace(elems[i]), []byte("{")) && !hzSameJSON(elems[i], got[i]) {
					t.Fatalf("%s: element %d changed:\n%s\n%s", name, i, elems[i], got[i])
				}
			}
		}
		as, err := decodeList(bytes.Clone(body), UnmarshalAuthenticator)
		check("authenticators", len(as), err, func() ([]byte, error) { return json.Marshal(as) })
		ms, err := decodeList(bytes.Clone(body), UnmarshalAuthenticatorMethod)
		check("methods", len(ms), err, func() ([]byte, error) { return json.Marshal(ms) })
		fs, err := decodeList(bytes.Clone(body), UnmarshalUserFactor)
		check("factors", len(fs), err, func() ([]byte, error) { return json.Marshal(fs) })
	})
}

// FuzzOktaErrorDecode: whatever a non-2xx body holds, newError keeps the
// status, reads Okta's errorCode and errorSummary exactly when they are
// strings, keeps an excerpt otherwise, prints on one line, and matches
// exactly the sentinel of its status.
func FuzzOktaErrorDecode(f *testing.F) {
	for _, b := range hzExamples(f) {
		f.Add(uint16(404), b, "req-1", "1700000060")
	}
	f.Add(uint16(502), []byte("<html><body>Bad Gateway</body></html>"), "", "")
	f.Add(uint16(400), []byte(`{"errorCode":"E0000001","errorSummary":"x\ny","errorCauses":[{"errorSummary":"a"},7,{"errorSummary":1}]}`), "r\nx", "nan")
	f.Add(uint16(401), []byte(`{"error":"invalid_client","error_description":"bad"}`), "", "-1")
	f.Add(uint16(429), []byte(`{"errorCode":"E0000047"`), "", "99999999999999999999")
	f.Fuzz(func(t *testing.T, rawStatus uint16, body []byte, reqID, reset string) {
		status := 400 + int(rawStatus)%200
		req, _ := http.NewRequest(http.MethodGet, "https://x.okta.com/api/v1/authenticators/aut1?q=secret", nil)
		h := http.Header{"Date": {"Tue, 14 Nov 2023 22:13:20 GMT"}}
		h.Set("X-Okta-Request-Id", reqID)
		h.Set("X-Rate-Limit-Reset", reset)
		resp := &http.Response{StatusCode: status, Header: h, Request: req}
		e := newError(resp, bytes.Clone(body), time.Unix(1700000000, 0))
		if e == nil || e.Status != status || e.Path != "/api/v1/authenticators/aut1" {
			t.Fatalf("newError = %+v", e)
		}
		msg := e.Error()
		if strings.ContainsAny(msg, "\r\n\u2028\u2029") || strings.Contains(msg, "q=secret") {
			t.Fatalf("Error() = %q", msg)
		}
		if len(e.ErrorCauses) > maxCauses || e.RetryAfter < 0 {
			t.Fatalf("causes %d, retry after %s", len(e.ErrorCauses), e.RetryAfter)
		}
		for s, want := range map[error]bool{
			ErrBadRequest: status == 400, ErrUnauthorized: status == 401, ErrForbidden: status == 403,
			ErrNotFound: status == 404, ErrConflict: status == 409, ErrRateLimited: status == 429, ErrServer: status >= 500,
		} {
			if errors.Is(e, s) != want {
				t.Fatalf("errors.Is(%d, %v) = %v", status, s, !want)
			}
		}
		var wire map[string]json.RawMessage
		if json.Unmarshal(body, &wire) != nil {
			// An excerpt of only control characters is empty (seed
			// testdata/fuzz/FuzzOktaErrorDecode/16dda2c528d3cae2).
			if wrappers.Excerpt(body, wrappers.DefaultExcerptBytes) != "" && e.Body == "" {
				t.Fatalf("non-JSON body %q left no excerpt", body)
			}
			return
		}
		var code, summary string
		if json.Unmarshal(wire["errorCode"], &code) == nil && json.Unmarshal(wire["errorSummary"], &summary) == nil &&
			(code != "" || summary != "") {
			if e.ErrorCode != wrappers.Excerpt([]byte(code), maxFieldBytes) || e.ErrorSummary != wrappers.Excerpt([]byte(summary), maxFieldBytes) {
				t.Fatalf("read %q/%q as %q/%q", code, summary, e.ErrorCode, e.ErrorSummary)
			}
		}
	})
}

// hzFuzzTransport answers each request with one canned response and counts
// the requests (no network).
type hzFuzzTransport struct {
	status int
	body   []byte
	link   string
	calls  int
}

func (ft *hzFuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	ft.calls++
	h := http.Header{"Content-Type": {"application/json"}}
	if ft.link != "" && ft.calls == 1 {
		h.Set("Link", ft.link)
	}
	return &http.Response{StatusCode: ft.status, Status: http.StatusText(ft.status), Header: h,
		Body: io.NopCloser(bytes.NewReader(ft.body)), ContentLength: int64(len(ft.body)), Request: r}, nil
}

// FuzzOktaResponses sends operations of every class through a real Client
// whose transport answers the fuzzed status, body and (on the first page)
// Link header. Always a value or an error, never both, never neither; the
// error is typed (*Error, *DecodeError, or a paging error from wrappers);
// a POST is never resent after a 5xx or a decode failure.
func FuzzOktaResponses(f *testing.F) {
	statuses := []int{200, 201, 204, 400, 401, 404, 429, 500, 502}
	for i, b := range hzExamples(f) {
		f.Add(uint8(i), uint8(0), b, "")
	}
	f.Add(uint8(1), uint8(0), []byte(`[{"key":"webauthn"},{"key":1}]`), `</api/v1/authenticators?after=2>; rel="next"`)
	f.Add(uint8(1), uint8(0), []byte(`[]`), `<https://evil.example/x>; rel="next"`)
	f.Add(uint8(1), uint8(0), []byte(`[]`), `<https://org.okta.com/api/v1/authenticators>; rel="next"`)
	f.Add(uint8(1), uint8(0), []byte(`[]`), `<junk`)
	f.Add(uint8(2), uint8(3), []byte(`<html>502</html>`), "")
	f.Fuzz(func(t *testing.T, opIdx, statusIdx uint8, body []byte, link string) {
		ft := &hzFuzzTransport{status: statuses[int(statusIdx)%len(statuses)], body: body, link: link}
		c, err := New("https://org.okta.com", WithAPIToken("fuzz-token"),
			WithHTTPClient(&http.Client{Transport: ft}),
			WithRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}),
			func(c *config) error {
				c.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		var val any
		post := false
		switch opIdx % 6 {
		case 0:
			val, err = hzIface(c.GetAuthenticator(ctx, "aut1"))
		case 1:
			val, err = hzSlice(c.ListAuthenticators(ctx))
		case 2:
			val, err = hzSlice(c.ListFactors(ctx, "00u1"))
		case 3:
			val, err = hzIface(c.GetAuthenticatorMethod(ctx, "aut1", "sms"))
		case 4:
			post = true
			val, err = hzIface(c.VerifyFactor(ctx, "00u1", "f1", FactorVerifyRequest{PassCode: Ptr("123456")}, nil))
		case 5:
			val, err = hzNoValue(c.DeleteCustomAAGUID(ctx, "aut1", "cb69"))
		}
		if (val == nil) == (err == nil) {
			t.Fatalf("op %d, %d %q: value %v, error %v", opIdx%6, ft.status, body, val, err)
		}
		if err == nil {
			if ft.status >= 300 {
				t.Fatalf("op %d: success from a %d", opIdx%6, ft.status)
			}
			return
		}
		var oe *Error
		var de *DecodeError
		switch {
		case errors.As(err, &oe):
			if oe.Status != ft.status {
				t.Fatalf("op %d: *Error status %d from a %d", opIdx%6, oe.Status, ft.status)
			}
		case errors.As(err, &de), errors.Is(err, wrappers.ErrMalformedLink),
			errors.Is(err, wrappers.ErrForeignOrigin), errors.Is(err, wrappers.ErrPagingLoop):
		default:
			t.Fatalf("op %d, %d %q: untyped error %T %v", opIdx%6, ft.status, body, err, err)
		}
		if post && ft.status != 429 && ft.calls > 1 {
			t.Fatalf("POST sent %d times after a %d", ft.calls, ft.status)
		}
	})
}

package wrappers_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/mfakit/mfakit/wrappers"
)

// providerError is what a face's typed error might look like.
type providerError struct {
	Status int
	Code   string `json:"errorCode"`
}

func (e *providerError) Error() string       { return fmt.Sprintf("provider: %d %s", e.Status, e.Code) }
func (e *providerError) HTTPStatusCode() int { return e.Status }

func ExampleNewDoer() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/users/00u1" {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"errorCode":"E0000007"}`)
			return
		}
		fmt.Fprintf(w, `{"id":"00u1","auth":%q}`, r.Header.Get("Authorization"))
	}))
	defer srv.Close()

	base, err := wrappers.ParseBaseURL(srv.URL)
	if err != nil {
		panic(err)
	}
	doer, err := wrappers.NewDoer(wrappers.DoerConfig{
		BaseURL:       base,
		HTTPClient:    srv.Client(),
		Auth:          wrappers.HeaderAuth("SSWS", "00-example-token"),
		RateLimitWait: wrappers.EpochResetWait("X-Rate-Limit-Reset"),
		UserAgent:     "mfakit-example/1.0",
		DecodeError: func(resp *http.Response, body []byte) error {
			e := &providerError{Status: resp.StatusCode}
			_ = json.Unmarshal(body, e) // a non-JSON body still gives the status
			return e
		},
	})
	if err != nil {
		panic(err)
	}
	defer doer.CloseIdleConnections()

	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/api/v1/users/00u1", nil)
	resp, err := doer.Do(req) // a generated client calls this for you
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))

	req, _ = http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/api/v1/users/nope", nil)
	_, err = doer.Do(req)
	var pe *providerError
	fmt.Println(errors.As(err, &pe), pe.Code, wrappers.StatusCode(err))

	req, _ = http.NewRequestWithContext(context.Background(), http.MethodGet, "https://evil.example/steal", nil)
	_, err = doer.Do(req)
	fmt.Println(errors.Is(err, wrappers.ErrForeignOrigin))
	// Output:
	// 200 {"id":"00u1","auth":"SSWS 00-example-token"}
	// true E0000007 404
	// true
}

func ExamplePaginate() {
	origin, _ := url.Parse("https://example.okta.com")
	pages := map[string]wrappers.Page[string]{
		"":                  {Items: []string{"a", "b"}, Next: mustURL("https://example.okta.com/api/v1/x?after=b")},
		"/api/v1/x?after=b": {Items: []string{"c"}, Next: mustURL("/api/v1/x?after=c")},
		"/api/v1/x?after=c": {Items: []string{"d"}, Next: mustURL("https://attacker.example/api/v1/x")},
	}
	fetch := func(ctx context.Context, next *url.URL) (wrappers.Page[string], error) {
		key := ""
		if next != nil {
			key = next.RequestURI()
		}
		return pages[key], nil
	}
	for item, err := range wrappers.Paginate(context.Background(), origin, fetch) {
		if err != nil {
			fmt.Println("error:", errors.Is(err, wrappers.ErrForeignOrigin))
			break
		}
		fmt.Println(item)
	}
	// Output:
	// a
	// b
	// c
	// d
	// error: true
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func ExamplePeekString() {
	data := []byte(`{"settings":{"key":"nested"},"key":"okta_verify","id":"aut1"}`)
	key, ok, err := wrappers.PeekString(data, "key")
	fmt.Println(key, ok, err)
	// Output: okta_verify true <nil>
}

func ExampleMergeObjects() {
	raw := []byte(`{"id":"aut1","status":"ACTIVE","settings":{"allowedFor":"any","newKnob":7}}`)
	known := []byte(`{"id":"aut1","status":"INACTIVE","settings":{"allowedFor":"recovery"}}`)
	merged, err := wrappers.MergeObjects(raw, known)
	fmt.Println(string(merged), err)
	// Output: {"id":"aut1","status":"INACTIVE","settings":{"allowedFor":"recovery","newKnob":7}} <nil>
}

func ExampleSecret() {
	s := wrappers.Secret("client-secret")
	fmt.Printf("%v %+v %#v %q\n", s, s, s, s)
	b, _ := json.Marshal(map[string]any{"secret": s})
	fmt.Println(string(b))
	fmt.Println(s.Reveal())
	// Output:
	// [REDACTED] [REDACTED] wrappers.Secret{[REDACTED]} "[REDACTED]"
	// {"secret":"[REDACTED]"}
	// client-secret
}

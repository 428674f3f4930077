package fakeserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Spec is an OpenAPI document, loaded, validated and routed.
type Spec struct {
	// Doc is the document, with its servers removed.
	Doc *openapi3.T
	// Router finds the operation of a request by method and path alone.
	Router routers.Router
}

// LoadSpec loads the document data (named name, such as "api/okta.yaml", in errors),
// validates it with schema format and pattern validation plus opts, and builds its
// router. The document names the vendor's hosts; a fake serves the API at the root of a
// loopback URL, so the servers are dropped and routing is by path alone. That lets one
// router, built once per process, serve every fake server. Callers memoize the result
// (sync.OnceValues).
func LoadSpec(name string, data []byte, opts ...openapi3.ValidationOption) (*Spec, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	opts = append([]openapi3.ValidationOption{
		openapi3.EnableSchemaFormatValidation(),
		openapi3.EnableSchemaPatternValidation(),
	}, opts...)
	if err := doc.Validate(context.Background(), opts...); err != nil {
		return nil, fmt.Errorf("validate %s: %w", name, err)
	}
	doc.Servers = nil
	r, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route %s: %w", name, err)
	}
	return &Spec{Doc: doc, Router: r}, nil
}

// FilterOptions returns the openapi3filter options both fakes validate with; a fake may
// set more on the result.
func FilterOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		// The fakes check credentials themselves and answer as their vendor does.
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		// Hand the handlers the body the client sent, not one with defaults filled in.
		SkipSettingDefaults: true,
		// A status the document does not list for the operation is drift.
		IncludeResponseStatus: true,
	}
}

// ValidateResponse validates a buffered response to the request in against the
// document, with the request's options.
func ValidateResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) error {
	return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                in.Options,
	})
}

// Causes flattens a kin-openapi validation error (with MultiError set, possibly many)
// into one line per problem: "path.to.field: reason" for a schema problem, the first
// line of the error otherwise. It never returns an empty slice.
func Causes(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		var me openapi3.MultiError
		if errors.As(e, &me) {
			for _, x := range me {
				walk(x)
			}
			return
		}
		var re *openapi3filter.RequestError
		if errors.As(e, &re) {
			var inner openapi3.MultiError
			if errors.As(re.Err, &inner) {
				walk(inner)
				return
			}
			var se *openapi3.SchemaError
			if errors.As(re.Err, &se) {
				out = append(out, schemaCause(se))
				return
			}
			out = append(out, re.Error())
			return
		}
		var se *openapi3.SchemaError
		if errors.As(e, &se) {
			out = append(out, schemaCause(se))
			return
		}
		out = append(out, firstLine(e.Error()))
	}
	walk(err)
	if len(out) == 0 {
		out = []string{firstLine(err.Error())}
	}
	return out
}

func schemaCause(se *openapi3.SchemaError) string {
	path := strings.Join(se.JSONPointer(), ".")
	if path == "" {
		return se.Reason
	}
	return path + ": " + se.Reason
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

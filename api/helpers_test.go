package api_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mfakit/mfakit/api"
)

// curated describes one of the two curated documents.
type curated struct {
	provider string // api.ProviderOkta or api.ProviderOneLogin
	file     string // the document's path in the repository, for messages
	data     []byte // the embedded document
}

var curatedDocs = []curated{
	{provider: api.ProviderOkta, file: "api/okta.yaml", data: api.Okta},
	{provider: api.ProviderOneLogin, file: "api/onelogin.yaml", data: api.OneLogin},
}

func curatedFor(t testing.TB, provider string) curated {
	t.Helper()
	for _, c := range curatedDocs {
		if c.provider == provider {
			return c
		}
	}
	t.Fatalf("no curated document for provider %q", provider)
	return curated{}
}

type loaded struct {
	once sync.Once
	doc  *openapi3.T
	err  error
}

var curatedLoaded = map[string]*loaded{
	api.ProviderOkta:     {},
	api.ProviderOneLogin: {},
}

// loadCurated returns the curated document of provider, loaded (not
// validated) once per test binary. Callers must not modify it.
func loadCurated(t testing.TB, provider string) (*openapi3.T, curated) {
	t.Helper()
	c := curatedFor(t, provider)
	l := curatedLoaded[provider]
	l.once.Do(func() {
		loader := openapi3.NewLoader()
		l.doc, l.err = loader.LoadFromData(c.data)
	})
	if l.err != nil {
		t.Fatalf("%s does not load: %v", c.file, l.err)
	}
	return l.doc, c
}

// sharedDir returns ../shared relative to the repository root (the test runs
// in api/), or "" when it is absent.
func sharedDir() string {
	dir := filepath.Join("..", "..", "shared")
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return dir
	}
	return ""
}

// validationOptions are the kin-openapi options every document must pass with.
func validationOptions() []openapi3.ValidationOption {
	return []openapi3.ValidationOption{
		openapi3.EnableSchemaFormatValidation(),
		openapi3.EnableSchemaPatternValidation(),
		openapi3.EnableExamplesValidation(),
	}
}

// docOperation is one operation found in a document.
type docOperation struct {
	method, path string
	op           *openapi3.Operation
	item         *openapi3.PathItem
}

// operationsOf lists every operation of doc.
func operationsOf(doc *openapi3.T) []docOperation {
	var out []docOperation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			out = append(out, docOperation{method: method, path: path, op: op, item: item})
		}
	}
	return out
}

func findOperation(doc *openapi3.T, method, path string) *openapi3.Operation {
	item := doc.Paths.Value(path)
	if item == nil {
		return nil
	}
	return item.GetOperation(method)
}

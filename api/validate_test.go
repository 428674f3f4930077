package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestDocumentsValidate loads each curated document afresh and validates it
// with kin-openapi, with format, pattern and example validation on.
func TestDocumentsValidate(t *testing.T) {
	for _, c := range curatedDocs {
		t.Run(c.provider, func(t *testing.T) {
			loader := openapi3.NewLoader()
			doc, err := loader.LoadFromData(c.data)
			if err != nil {
				t.Fatalf("%s does not load: %v", c.file, err)
			}
			if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
				t.Errorf("%s: openapi is %q, want 3.0.x (oapi-codegen v2 reads 3.0)", c.file, doc.OpenAPI)
			}
			if err := doc.Validate(context.Background(), validationOptions()...); err != nil {
				t.Errorf("%s does not pass kin-openapi validation (format, pattern and example validation on): %v", c.file, err)
			}
		})
	}
}

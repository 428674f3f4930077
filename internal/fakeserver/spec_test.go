package fakeserver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
)

const petsYAML = `openapi: 3.0.3
info: {title: pets, version: "1"}
servers: [{url: "https://api.example.com/v1"}]
paths:
  /pets/{id}:
    put:
      operationId: replacePet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: "^p[0-9]+$"}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
      responses:
        "200":
          description: the pet
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        age: {type: integer, minimum: 0}
`

func loadPets(t *testing.T) *Spec {
	t.Helper()
	sp, err := LoadSpec("pets.yaml", []byte(petsYAML))
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func TestLoadSpecRoutesByPathAlone(t *testing.T) {
	sp := loadPets(t)
	// The document's server has a host and a base path; the fake serves at the root.
	r := httptest.NewRequest(http.MethodPut, "http://127.0.0.1:1234/pets/p1", nil)
	route, params, err := sp.Router.FindRoute(r)
	if err != nil {
		t.Fatal(err)
	}
	if route.Operation.OperationID != "replacePet" || params["id"] != "p1" {
		t.Errorf("routed to %s %v", route.Operation.OperationID, params)
	}
	if _, _, err := sp.Router.FindRoute(httptest.NewRequest(http.MethodGet, "/nope", nil)); err == nil {
		t.Error("an unknown path was routed")
	}
}

func TestLoadSpecErrorsNameTheDocument(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not YAML", "{", "load bad.yaml"},
		{"invalid document", "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {}\n", "validate bad.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadSpec("bad.yaml", []byte(tc.doc))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err = %v, want prefix %q", err, tc.want)
			}
		})
	}
}

func validationInput(t *testing.T, sp *Spec, path, body string, multi bool) *openapi3filter.RequestValidationInput {
	t.Helper()
	r := httptest.NewRequest(http.MethodPut, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	route, params, err := sp.Router.FindRoute(r)
	if err != nil {
		t.Fatal(err)
	}
	o := FilterOptions()
	o.MultiError = multi
	return &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: o}
}

func TestCauses(t *testing.T) {
	sp := loadPets(t)
	tests := []struct {
		name, path, body string
		multi            bool
		want             []string // substrings, one per cause, in any order
	}{
		{"one schema problem", "/pets/p1", `{"name":"x","age":-1}`, false, []string{"age: number must be at least 0"}},
		{"every problem with MultiError", "/pets/q1", `{"age":"old"}`, true, []string{"regular expression", `name: property "name" is missing`, "age: value must be an integer"}},
		{"not JSON", "/pets/p1", `{`, false, []string{"request body"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validationInput(t, sp, tc.path, tc.body, tc.multi)
			err := openapi3filter.ValidateRequest(context.Background(), in)
			if err == nil {
				t.Fatal("the request was valid")
			}
			got := Causes(err)
			if len(got) != len(tc.want) {
				t.Fatalf("causes = %q, want %d like %q", got, len(tc.want), tc.want)
			}
			for _, c := range got {
				if strings.Contains(c, "\n") {
					t.Errorf("cause %q has more than one line", c)
				}
			}
			for _, w := range tc.want {
				if !slices.ContainsFunc(got, func(c string) bool { return strings.Contains(c, w) }) {
					t.Errorf("causes = %q, want one containing %q", got, w)
				}
			}
		})
	}
	if got := Causes(errString("first\nsecond")); !slices.Equal(got, []string{"first"}) {
		t.Errorf("plain error: %q", got)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestValidateResponse(t *testing.T) {
	sp := loadPets(t)
	in := validationInput(t, sp, "/pets/p1", `{"name":"x"}`, false)
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	json := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name   string
		status int
		body   string
		ok     bool
	}{
		{"matches", 200, `{"name":"x","age":3}`, true},
		{"off-spec field", 200, `{"name":"x","age":-3}`, false},
		{"undocumented status", 404, `{"name":"x"}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateResponse(context.Background(), in, tc.status, json, []byte(tc.body))
			if (err == nil) != tc.ok {
				t.Errorf("err = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

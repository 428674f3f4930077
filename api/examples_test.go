package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/mfakit/mfakit/api"
)

// The example corpus lives in testdata/examples/<provider>/ as
// <operationId>.<status>[.<label>].json: a realistic response body of that
// operation with that status. Every file is validated as that response, and
// the corpus must cover every discriminator value of every union.
const examplesDir = "testdata/examples"

// example is one corpus file.
type example struct {
	provider, file string // file relative to examplesDir, for messages
	operationID    string
	status         int
	body           []byte
}

var examplesOnce struct {
	sync.Once
	examples []example
	err      error
}

var exampleName = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9]*)\.([1-5][0-9][0-9])(\.[A-Za-z0-9_.-]+)?\.json$`)

// loadExamples reads the corpus once.
func loadExamples(t testing.TB) []example {
	t.Helper()
	examplesOnce.Do(func() {
		for _, c := range curatedDocs {
			dir := filepath.Join(examplesDir, c.provider)
			entries, err := os.ReadDir(dir)
			if err != nil {
				examplesOnce.err = err
				return
			}
			for _, e := range entries {
				name := filepath.ToSlash(filepath.Join(c.provider, e.Name()))
				m := exampleName.FindStringSubmatch(e.Name())
				if m == nil {
					examplesOnce.err = fmt.Errorf("%s/%s: name is not <operationId>.<status>[.<label>].json", examplesDir, name)
					return
				}
				body, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					examplesOnce.err = err
					return
				}
				status, _ := strconv.Atoi(m[2])
				examplesOnce.examples = append(examplesOnce.examples, example{provider: c.provider, file: name, operationID: m[1], status: status, body: body})
			}
		}
	})
	if examplesOnce.err != nil {
		t.Fatalf("example corpus: %v", examplesOnce.err)
	}
	return examplesOnce.examples
}

// responseValidator validates response bodies of one document.
type responseValidator struct {
	doc    *openapi3.T
	router routers.Router
	file   string
}

func newResponseValidator(t testing.TB, provider string) *responseValidator {
	t.Helper()
	doc, c := loadCurated(t, provider)
	// The router validates the document; its examples are
	// TestDocumentsValidate's concern, so that a bad example there does not
	// fail every corpus check here too.
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		t.Fatalf("%s: building a router: %v", c.file, err)
	}
	return &responseValidator{doc: doc, router: router, file: c.file}
}

// validate checks body as the response with status of operationID, routing a
// request to the operation through the document's first server as a client
// would.
func (v *responseValidator) validate(operationID string, status int, body []byte) error {
	var method, path string
	for _, d := range operationsOf(v.doc) {
		if d.op.OperationID == operationID {
			method, path = d.method, d.path
		}
	}
	if method == "" {
		return fmt.Errorf("%s has no operation %q", v.file, operationID)
	}
	req, err := http.NewRequest(method, serverURL(v.doc)+samplePath(path), nil)
	if err != nil {
		return err
	}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("routing %s %s: %w", method, req.URL, err)
	}
	if route.Operation.OperationID != operationID {
		return fmt.Errorf("%s %s routes to %q, want %q", method, req.URL, route.Operation.OperationID, operationID)
	}
	contentType := "application/json"
	if r := route.Operation.Responses.Status(status); r != nil && r.Value != nil && r.Value.Content != nil && r.Value.Content.Get(contentType) == nil {
		for ct := range r.Value.Content {
			contentType = ct
		}
	}
	header := http.Header{"Content-Type": {contentType}}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
}

// serverURL is the document's first server with its variables at their defaults.
func serverURL(doc *openapi3.T) string {
	if len(doc.Servers) == 0 {
		return "https://mfakit.test"
	}
	s := doc.Servers[0]
	u := s.URL
	for name, v := range s.Variables {
		u = strings.ReplaceAll(u, "{"+name+"}", v.Default)
	}
	return strings.TrimSuffix(u, "/")
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// samplePath fills a path template's parameters with sample values.
func samplePath(path string) string {
	return pathParam.ReplaceAllStringFunc(path, func(p string) string {
		name := strings.Trim(p, "{}")
		if strings.Contains(strings.ToLower(name), "type") {
			return "webauthn"
		}
		return "1234"
	})
}

// TestExamplesValidate validates every corpus file as the response it names.
func TestExamplesValidate(t *testing.T) {
	examples := loadExamples(t)
	for _, c := range curatedDocs {
		t.Run(c.provider, func(t *testing.T) {
			v := newResponseValidator(t, c.provider)
			n := 0
			for _, ex := range examples {
				if ex.provider != c.provider {
					continue
				}
				n++
				if err := v.validate(ex.operationID, ex.status, ex.body); err != nil {
					t.Errorf("%s/%s is not a valid %s %d response of %s:\n%v", examplesDir, ex.file, ex.operationID, ex.status, c.file, err)
				}
			}
			if n == 0 {
				t.Errorf("%s/%s holds no examples", examplesDir, c.provider)
			}
		})
	}
}

// unionUses says where the unions must be used: the operations whose 200
// response is the union (or, for lists, an array of it) and those whose
// request body is the union.
var unionUses = []struct {
	schema           string
	listOp, getOp    string
	single, requests []string
}{
	{
		schema: "Authenticator", listOp: "listAuthenticators", getOp: "getAuthenticator",
		single:   []string{"getAuthenticator", "createAuthenticator", "replaceAuthenticator", "activateAuthenticator", "deactivateAuthenticator"},
		requests: []string{"createAuthenticator", "replaceAuthenticator"},
	},
	{
		schema: "AuthenticatorMethod", listOp: "listAuthenticatorMethods", getOp: "getAuthenticatorMethod",
		single:   []string{"getAuthenticatorMethod", "replaceAuthenticatorMethod", "activateAuthenticatorMethod", "deactivateAuthenticatorMethod"},
		requests: []string{"replaceAuthenticatorMethod"},
	},
	{
		schema: "UserFactor", listOp: "listFactors", getOp: "getFactor",
		single:   []string{"getFactor", "enrollFactor", "activateFactor", "resendEnrollFactor"},
		requests: []string{"enrollFactor"},
	},
}

// TestUnionsUsedConsistently checks that every operation that returns or
// takes an authenticator, method or factor uses the union schema.
func TestUnionsUsedConsistently(t *testing.T) {
	doc, c := loadCurated(t, api.ProviderOkta)
	byID := map[string]*openapi3.Operation{}
	for _, d := range operationsOf(doc) {
		byID[d.op.OperationID] = d.op
	}
	ref := func(s *openapi3.SchemaRef) string {
		switch {
		case s == nil:
			return "no schema"
		case s.Ref != "":
			return s.Ref
		case s.Value != nil && s.Value.Type.Is("array") && s.Value.Items != nil && s.Value.Items.Ref != "":
			return "array of " + s.Value.Items.Ref
		}
		return "an inline schema"
	}
	response := func(op *openapi3.Operation) string {
		r := op.Responses.Status(200)
		if r == nil || r.Value == nil || r.Value.Content.Get("application/json") == nil {
			return "no application/json 200 response"
		}
		return ref(r.Value.Content.Get("application/json").Schema)
	}
	for _, u := range unionUses {
		want := schemaRefPrefix + u.schema
		check := func(opID, what, got, want string) {
			if got != want {
				t.Errorf("%s: %s %s is %s, want %s", c.file, opID, what, got, want)
			}
		}
		for _, opID := range append([]string{u.listOp}, u.single...) {
			op := byID[opID]
			if op == nil {
				t.Errorf("%s has no operation %s", c.file, opID)
				continue
			}
			w := want
			if opID == u.listOp {
				w = "array of " + want
			}
			check(opID, "200 response", response(op), w)
		}
		for _, opID := range u.requests {
			op := byID[opID]
			if op == nil {
				continue
			}
			got := "no request body"
			if op.RequestBody != nil && op.RequestBody.Value != nil && op.RequestBody.Value.Content.Get("application/json") != nil {
				got = ref(op.RequestBody.Value.Content.Get("application/json").Schema)
			}
			check(opID, "request body", got, want)
		}
	}
}

// TestExamplesCoverUnions requires every discriminator value of every union
// in the corpus, both in list responses and as single objects. Every element
// of a list example is also validated as the single-object response of the
// union's get operation.
func TestExamplesCoverUnions(t *testing.T) {
	examples := loadExamples(t)
	v := newResponseValidator(t, api.ProviderOkta)
	for _, u := range unionUses {
		var union struct {
			property string
			values   []string
		}
		for _, e := range expectedUnions {
			if e.schema == u.schema {
				union.property, union.values = e.property, e.values
			}
		}
		t.Run(u.schema, func(t *testing.T) {
			inLists, single := map[string]bool{}, map[string]bool{}
			for _, ex := range examples {
				if ex.provider != api.ProviderOkta || ex.status != 200 {
					continue
				}
				switch {
				case ex.operationID == u.listOp:
					var items []map[string]any
					if err := json.Unmarshal(ex.body, &items); err != nil {
						t.Errorf("%s/%s: %v", examplesDir, ex.file, err)
						continue
					}
					for i, item := range items {
						value := fmt.Sprint(item[union.property])
						inLists[value] = true
						b, _ := json.Marshal(item)
						if err := v.validate(u.getOp, 200, b); err != nil {
							t.Errorf("%s/%s: element %d (%s %q) is not a valid %s 200 response: %v", examplesDir, ex.file, i, union.property, value, u.getOp, err)
						} else {
							single[value] = true
						}
					}
				case slices.Contains(u.single, ex.operationID):
					var item map[string]any
					if err := json.Unmarshal(ex.body, &item); err != nil {
						t.Errorf("%s/%s: %v", examplesDir, ex.file, err)
						continue
					}
					single[fmt.Sprint(item[union.property])] = true
				}
			}
			for _, value := range union.values {
				if !inLists[value] {
					t.Errorf("no %s example (%s.200*.json) holds a %s with %s %q", u.listOp, u.listOp, u.schema, union.property, value)
				}
				if !single[value] {
					t.Errorf("no single %s with %s %q validates", u.schema, union.property, value)
				}
			}
		})
	}
}

// requiredExamples are corpus files the issue asks for, each with what makes
// it the example it is.
var requiredExamples = []struct {
	file, what string
	check      func(body any) bool
}{
	{"okta/createAuthenticator.400.json", "an Okta 400 error with errorCauses", func(b any) bool {
		return at(b, "errorCode") == "E0000001" && len(asList(at(b, "errorCauses"))) > 0
	}},
	{"okta/getAuthenticator.404.json", "an Okta 404 error", func(b any) bool { return at(b, "errorCode") == "E0000007" }},
	{"okta/listFactors.429.json", "an Okta 429 rate-limit error", func(b any) bool { return at(b, "errorCode") == "E0000047" }},
	{"onelogin/getEnrolledFactors.200.json", "a OneLogin envelope of enrolled devices", func(b any) bool {
		return at(b, "status", "error") == false && len(asList(at(b, "data", "otp_devices"))) > 0
	}},
	{"onelogin/getMFAFactors.200.json", "a OneLogin envelope of available factors", func(b any) bool {
		return len(asList(at(b, "data", "auth_factors"))) > 0
	}},
	{"onelogin/enrollMfaFactor.200.json", "a OneLogin enroll envelope whose data is an array", func(b any) bool {
		return len(asList(at(b, "data"))) == 1
	}},
	{"onelogin/activateMfaFactors.200.json", "a OneLogin activate envelope whose id is the user, not the device", func(b any) bool {
		d := asList(at(b, "data"))
		return len(d) == 1 && at(d[0], "id") != nil && at(d[0], "device_id") != nil && at(d[0], "id") != at(d[0], "device_id")
	}},
	{"onelogin/verifyMfaFactor.200.json", "a OneLogin verify success (status only)", func(b any) bool {
		return at(b, "status", "error") == false && at(b, "data") == nil
	}},
	{"onelogin/enrollMfaFactor.400.json", "a wrapped OneLogin 4xx whose message is an object", func(b any) bool {
		_, isObject := at(b, "status", "message").(map[string]any)
		return at(b, "status", "error") == true && isObject
	}},
	{"onelogin/generateMFAtoken.200.json", "an unwrapped MFA token with reusable", func(b any) bool {
		return at(b, "status") == nil && at(b, "reusable") != nil && at(b, "mfa_token") != nil
	}},
	{"onelogin/generateToken.401.json", "a v2-style token endpoint error", func(b any) bool {
		return at(b, "statusCode") == 401.0 && at(b, "status") == nil
	}},
}

// at walks JSON objects by keys; nil when absent.
func at(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func TestRequiredExamples(t *testing.T) {
	byFile := map[string]example{}
	for _, ex := range loadExamples(t) {
		byFile[ex.file] = ex
	}
	for _, r := range requiredExamples {
		ex, ok := byFile[r.file]
		if !ok {
			t.Errorf("%s/%s is missing: the corpus needs %s", examplesDir, r.file, r.what)
			continue
		}
		var body any
		if err := json.Unmarshal(ex.body, &body); err != nil {
			t.Errorf("%s/%s: %v", examplesDir, r.file, err)
			continue
		}
		if !r.check(body) {
			t.Errorf("%s/%s is not %s", examplesDir, r.file, r.what)
		}
	}
}

// TestExamplesRejectWrongPayloads shows that validation has teeth: payloads
// derived from valid corpus files with a wrong discriminator value or a wrong
// type are rejected, each for the expected reason.
func TestExamplesRejectWrongPayloads(t *testing.T) {
	byFile := map[string]example{}
	for _, ex := range loadExamples(t) {
		byFile[ex.file] = ex
	}
	for _, tc := range []struct {
		name, file string
		mutate     func(body any) any
		want       string // in the validation error
	}{
		{"unknown authenticator key", "okta/getAuthenticator.200.okta_verify.json", func(b any) any {
			b.(map[string]any)["key"] = "carrier_pigeon"
			return b
		}, "carrier_pigeon"},
		{"unknown key inside a list", "okta/listAuthenticators.200.json", func(b any) any {
			asList(b)[3].(map[string]any)["key"] = "google_totp"
			return b
		}, "google_totp"},
		{"unknown method type", "okta/getAuthenticatorMethod.200.webauthn.json", func(b any) any {
			b.(map[string]any)["type"] = "passkey"
			return b
		}, "passkey"},
		{"unknown factorType", "okta/getFactor.200.sms.json", func(b any) any {
			b.(map[string]any)["factorType"] = "smoke_signal"
			return b
		}, "smoke_signal"},
		{"missing discriminator", "okta/getFactor.200.sms.json", func(b any) any {
			delete(b.(map[string]any), "factorType")
			return b
		}, "factorType"},
		{"settings of another variant with a wrong type", "okta/getAuthenticator.200.okta_verify.json", func(b any) any {
			b.(map[string]any)["settings"].(map[string]any)["channelBinding"] = "NUMBER_CHALLENGE"
			return b
		}, "channelBinding"},
		{"status outside its enum", "okta/listFactors.200.json", func(b any) any {
			asList(b)[0].(map[string]any)["status"] = "SUSPENDED"
			return b
		}, "SUSPENDED"},
		{"Okta error with a numeric errorCode", "okta/getAuthenticator.404.json", func(b any) any {
			b.(map[string]any)["errorCode"] = 7
			return b
		}, "errorCode"},
		{"OneLogin device id as a word", "onelogin/activateMfaFactors.200.json", func(b any) any {
			asList(at(b, "data"))[0].(map[string]any)["device_id"] = "five"
			return b
		}, "device_id"},
		{"OneLogin envelope without status", "onelogin/getEnrolledFactors.200.json", func(b any) any {
			delete(b.(map[string]any), "status")
			return b
		}, "status"},
		{"OneLogin MFA token with the published misspelling", "onelogin/generateMFAtoken.200.json", func(b any) any {
			m := b.(map[string]any)
			m["resuable"] = m["reusable"]
			delete(m, "reusable")
			return b
		}, "reusable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex, ok := byFile[tc.file]
			if !ok {
				t.Fatalf("%s/%s is missing", examplesDir, tc.file)
			}
			v := newResponseValidator(t, ex.provider)
			if err := v.validate(ex.operationID, ex.status, ex.body); err != nil {
				t.Fatalf("the unmodified %s is already invalid: %v", tc.file, err)
			}
			var body any
			if err := json.Unmarshal(ex.body, &body); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(tc.mutate(body))
			err := v.validate(ex.operationID, ex.status, b)
			var re *openapi3filter.ResponseError
			switch {
			case err == nil:
				t.Fatalf("%s (%s) validates, want it rejected", tc.file, tc.name)
			case !errors.As(err, &re):
				t.Fatalf("%s: want a response validation error, got %v", tc.file, err)
			case !strings.Contains(err.Error(), tc.want):
				t.Errorf("%s: the error does not mention %q: %v", tc.file, tc.want, err)
			default:
				t.Logf("rejected as expected: %v", err)
			}
		})
	}
}

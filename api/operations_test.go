package api_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mfakit/mfakit/api"
)

// authOperations are operations a document has besides the ones in
// api.Operations: OneLogin's OAuth 2.0 endpoints, which the client calls for
// itself. The token endpoint is required; revoke is optional.
var authOperations = []struct {
	provider, method, path string
	required               bool
}{
	{api.ProviderOneLogin, "POST", "/auth/oauth2/v2/token", true},
	{api.ProviderOneLogin, "POST", "/auth/oauth2/revoke", false},
}

func TestOperationsTableIsConsistent(t *testing.T) {
	if got, want := len(api.Operations), 41; got != want {
		t.Errorf("api.Operations has %d entries, want %d", got, want)
	}
	counts := map[string]int{}
	seen := map[string]string{}
	for i, op := range api.Operations {
		counts[op.Provider]++
		where := fmt.Sprintf("api.Operations[%d] (%s %s)", i, op.Provider, op.OperationID)
		if op.Provider != api.ProviderOkta && op.Provider != api.ProviderOneLogin {
			t.Errorf("%s: unknown provider %q", where, op.Provider)
		}
		if op.API == "" || op.GoMethod == "" || op.Method == "" || op.Path == "" || op.OperationID == "" {
			t.Errorf("%s: every field must be set: %+v", where, op)
		}
		if op.Method != strings.ToUpper(op.Method) {
			t.Errorf("%s: method %q is not upper case", where, op.Method)
		}
		for _, key := range []string{
			"operationId " + op.OperationID,
			"Go method " + op.GoMethod,
			"route " + op.Method + " " + op.Path,
		} {
			k := op.Provider + " " + key
			if prev, dup := seen[k]; dup {
				t.Errorf("%s: duplicate %s (also %s)", where, key, prev)
			}
			seen[k] = where
		}
		got, ok := api.LookupOperation(op.Provider, op.OperationID)
		if !ok || got != op {
			t.Errorf("LookupOperation(%q, %q) = %+v, %v; want %+v, true", op.Provider, op.OperationID, got, ok, op)
		}
	}
	if counts[api.ProviderOkta] != 34 || counts[api.ProviderOneLogin] != 7 {
		t.Errorf("api.Operations has %d okta and %d onelogin operations, want 34 and 7", counts[api.ProviderOkta], counts[api.ProviderOneLogin])
	}
	if _, ok := api.LookupOperation(api.ProviderOkta, "noSuchOperation"); ok {
		t.Error("LookupOperation found an operation that does not exist")
	}
}

// TestOperationsMatchDocuments checks api.Operations against the curated
// documents both ways: every entry is in its document with the same method,
// path and operationId, and every operation of a document is an entry.
func TestOperationsMatchDocuments(t *testing.T) {
	for _, c := range curatedDocs {
		t.Run(c.provider, func(t *testing.T) {
			doc, _ := loadCurated(t, c.provider)
			for _, msg := range compareOperations(c, operationsOf(doc)) {
				t.Error(msg)
			}
		})
	}
}

// compareOperations returns one message per disagreement between
// api.Operations and the operations found in c's document.
func compareOperations(c curated, found []docOperation) []string {
	var msgs []string
	byRoute := map[string]docOperation{}
	byID := map[string]docOperation{}
	for _, d := range found {
		byRoute[d.method+" "+d.path] = d
		if d.op.OperationID != "" {
			byID[d.op.OperationID] = d
		}
	}
	inTable := map[string]bool{}
	for _, op := range api.Operations {
		if op.Provider != c.provider {
			continue
		}
		route := op.Method + " " + op.Path
		inTable[route] = true
		d, ok := byRoute[route]
		switch {
		case ok && d.op.OperationID != op.OperationID:
			msgs = append(msgs, fmt.Sprintf("%s: %s has operationId %q, api.Operations says %q", c.file, route, d.op.OperationID, op.OperationID))
		case !ok:
			if other, moved := byID[op.OperationID]; moved {
				msgs = append(msgs, fmt.Sprintf("%s: operation %s is at %s %s, api.Operations says %s", c.file, op.OperationID, other.method, other.path, route))
				inTable[other.method+" "+other.path] = true
			} else {
				msgs = append(msgs, fmt.Sprintf("%s: operation %s (%s, %s.%s) is missing from the document", c.file, op.OperationID, route, op.API, op.GoMethod))
			}
		}
	}
	for _, a := range authOperations {
		if a.provider != c.provider {
			continue
		}
		route := a.method + " " + a.path
		inTable[route] = true
		if _, ok := byRoute[route]; !ok && a.required {
			msgs = append(msgs, fmt.Sprintf("%s: the token endpoint %s is missing from the document", c.file, route))
		}
	}
	var extra []string
	for route, d := range byRoute {
		if !inTable[route] {
			extra = append(extra, fmt.Sprintf("%s: operation %q (%s) is not in api.Operations: add it to api/operations.go or remove it from the document", c.file, d.op.OperationID, route))
		}
	}
	sort.Strings(extra)
	return append(msgs, extra...)
}

// TestCompareOperationsReportsDrift shows that compareOperations names an
// operation that disappeared from a document, one that changed its
// operationId, and one that is not in the table. It works on a synthetic
// document so that it does not depend on the state of the real one.
func TestCompareOperationsReportsDrift(t *testing.T) {
	c := curatedFor(t, api.ProviderOkta)
	// A document that agrees with the table, built from the table itself.
	var found []docOperation
	for _, op := range api.Operations {
		if op.Provider == c.provider {
			found = append(found, docOperation{method: op.Method, path: op.Path, op: &openapi3.Operation{OperationID: op.OperationID}})
		}
	}
	if msgs := compareOperations(c, found); len(msgs) != 0 {
		t.Fatalf("compareOperations on the table itself = %q, want none", msgs)
	}
	var without, renamed []docOperation
	for _, d := range found {
		if d.op.OperationID != "listAuthenticators" {
			without = append(without, d)
		}
		if d.op.OperationID == "getFactor" {
			d.op = &openapi3.Operation{OperationID: "getUserFactor"}
		}
		renamed = append(renamed, d)
	}
	extra := append(found[:len(found):len(found)], docOperation{method: "GET", path: "/api/v1/users/{userId}/factors/extra", op: &openapi3.Operation{OperationID: "extraOperation"}})

	for _, tc := range []struct {
		name  string
		found []docOperation
		want  string
	}{
		{"deleted", without, "api/okta.yaml: operation listAuthenticators (GET /api/v1/authenticators, AuthenticatorApi.ListAuthenticators) is missing from the document"},
		{"renamed", renamed, `api/okta.yaml: GET /api/v1/users/{userId}/factors/{factorId} has operationId "getUserFactor", api.Operations says "getFactor"`},
		{"extra", extra, `api/okta.yaml: operation "extraOperation" (GET /api/v1/users/{userId}/factors/extra) is not in api.Operations`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msgs := compareOperations(c, tc.found)
			if len(msgs) != 1 || !strings.HasPrefix(msgs[0], tc.want) {
				t.Errorf("compareOperations = %q, want one message starting %q", msgs, tc.want)
			}
		})
	}
}

// TestOperationsMatchSharedTable compares api.Operations with
// ../shared/operations.tsv, the list of operations the project was asked for.
func TestOperationsMatchSharedTable(t *testing.T) {
	shared := sharedDir()
	if shared == "" {
		t.Skip("../shared not found: comparison with ../shared/operations.tsv skipped")
	}
	f, err := os.Open(filepath.Join(shared, "operations.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("../shared/operations.tsv: %v", err)
	}
	if len(records) == 0 {
		t.Fatal("../shared/operations.tsv is empty")
	}
	col := map[string]int{}
	for i, name := range records[0] {
		col[name] = i
	}
	for _, name := range []string{"provider", "api", "go_method", "http_method", "path"} {
		if _, ok := col[name]; !ok {
			t.Fatalf("../shared/operations.tsv has no column %q (header %q)", name, records[0])
		}
	}
	key := func(provider, method, path string) string { return provider + " " + method + " " + path }
	want := map[string][]string{}
	for _, rec := range records[1:] {
		want[key(rec[col["provider"]], rec[col["http_method"]], rec[col["path"]])] = rec
	}
	have := map[string]bool{}
	for _, op := range api.Operations {
		k := key(op.Provider, op.Method, op.Path)
		have[k] = true
		rec, ok := want[k]
		if !ok {
			t.Errorf("api.Operations has %s (%s), which ../shared/operations.tsv does not list", k, op.OperationID)
			continue
		}
		if rec[col["api"]] != op.API || rec[col["go_method"]] != op.GoMethod {
			t.Errorf("%s: api.Operations says %s.%s, ../shared/operations.tsv says %s.%s", k, op.API, op.GoMethod, rec[col["api"]], rec[col["go_method"]])
		}
	}
	for k := range want {
		if !have[k] {
			t.Errorf("../shared/operations.tsv lists %s, which api.Operations lacks", k)
		}
	}
}

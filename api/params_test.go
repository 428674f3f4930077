package api_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mfakit/mfakit/api"
)

// paramContract is what the seeds (../shared/seeds, the vendors' SDK docs)
// say about one parameter, as parameterAttributes spells it: "" means the
// attribute must be absent (no default, no format).
type paramContract struct {
	provider, operationID string
	key                   string // <in>.<name>
	want                  map[string]string
}

// paramContracts pins the parameter types and defaults the seeds document,
// independently of the upstream comparison, so that a changed default or type
// fails also where ../shared is absent.
var paramContracts = []paramContract{
	// okta-AuthenticatorApi.md: activate (default to True).
	{api.ProviderOkta, "createAuthenticator", "query.activate", map[string]string{"type": "boolean", "default": "true", "required": "false"}},
	// okta-UserFactorApi.md enroll_factor: update_phone False, token_lifetime_seconds 300 (an int), activate False.
	{api.ProviderOkta, "enrollFactor", "query.updatePhone", map[string]string{"type": "boolean", "default": "false", "required": "false"}},
	{api.ProviderOkta, "enrollFactor", "query.tokenLifetimeSeconds", map[string]string{"type": "integer", "format": "", "default": "300", "required": "false"}},
	{api.ProviderOkta, "enrollFactor", "query.activate", map[string]string{"type": "boolean", "default": "false", "required": "false"}},
	// verify_factor: token_lifetime_seconds 300.
	{api.ProviderOkta, "verifyFactor", "query.tokenLifetimeSeconds", map[string]string{"type": "integer", "format": "", "default": "300", "required": "false"}},
	// unenroll_factor: remove_recovery_enrollment False.
	{api.ProviderOkta, "unenrollFactor", "query.removeRecoveryEnrollment", map[string]string{"type": "boolean", "default": "false", "required": "false"}},
	// okta-UserAuthenticatorEnrollmentsApi.md: disclose_identifiers List[str], sent as repeated values.
	{api.ProviderOkta, "listAuthenticatorEnrollments", "query.discloseIdentifiers", map[string]string{"type": "array", "items.type": "string", "default": "", "style": "form", "explode": "true", "required": "false"}},
	{api.ProviderOkta, "getAuthenticatorEnrollment", "query.discloseIdentifiers", map[string]string{"type": "array", "items.type": "string", "default": "", "style": "form", "explode": "true", "required": "false"}},
	// onelogin-MultiFactorAuthenticationV1Api.md: user_id int; device_id is an
	// integer on the wire (the seed's str is one of the faults the curation fixes).
	{api.ProviderOneLogin, "getMFAFactors", "path.user_id", oneLoginID},
	{api.ProviderOneLogin, "getEnrolledFactors", "path.user_id", oneLoginID},
	{api.ProviderOneLogin, "enrollMfaFactor", "path.user_id", oneLoginID},
	{api.ProviderOneLogin, "generateMFAtoken", "path.user_id", oneLoginID},
	{api.ProviderOneLogin, "removeMfaFactors", "path.user_id", oneLoginID},
	{api.ProviderOneLogin, "removeMfaFactors", "path.device_id", oneLoginID},
	{api.ProviderOneLogin, "verifyMfaFactor", "path.user_id", oneLoginID},
	{api.ProviderOneLogin, "verifyMfaFactor", "path.device_id", oneLoginID},
	{api.ProviderOneLogin, "activateMfaFactors", "path.user_id", oneLoginID},
	{api.ProviderOneLogin, "activateMfaFactors", "path.device_id", oneLoginID},
}

var oneLoginID = map[string]string{"type": "integer", "format": "", "required": "true"}

// TestParameterContract checks paramContracts against the curated documents.
func TestParameterContract(t *testing.T) {
	for _, pc := range paramContracts {
		locator := pc.provider + ":" + pc.operationID + ":param." + pc.key
		t.Run(locator, func(t *testing.T) {
			doc, c := loadCurated(t, pc.provider)
			op, ok := api.LookupOperation(pc.provider, pc.operationID)
			if !ok {
				t.Fatalf("%s: no operation %s in api.Operations", locator, pc.operationID)
			}
			o := findOperation(doc, op.Method, op.Path)
			if o == nil {
				t.Fatalf("%s: %s has no %s %s", locator, c.file, op.Method, op.Path)
			}
			p := parameters(docOperation{method: op.Method, path: op.Path, op: o, item: doc.Paths.Value(op.Path)})[pc.key]
			if p == nil {
				t.Fatalf("%s: %s lacks the parameter", locator, c.file)
			}
			got := parameterAttributes(p)
			for _, attr := range slices.Sorted(maps.Keys(pc.want)) {
				if want := pc.want[attr]; got[attr] != want {
					t.Errorf("%s.%s is %s in %s, want %s (as the seeds document it)", locator, attr, orNone(got[attr]), c.file, orNone(want))
				}
			}
		})
	}
}

// TestCompareParametersReportsDrift runs the upstream comparison with our
// own Okta document standing in for upstream after changing what several
// parameters mean; each change is reported at its param.<in>.<name>.<attr>
// locator, from either side, and nothing else is.
func TestCompareParametersReportsDrift(t *testing.T) {
	ours := loadFresh(t, api.ProviderOkta)
	upstream := loadFresh(t, api.ProviderOkta)
	param := func(operationID, key string) *openapi3.Parameter {
		t.Helper()
		op, ok := api.LookupOperation(api.ProviderOkta, operationID)
		if !ok {
			t.Fatalf("no operation %s in api.Operations", operationID)
		}
		o := findOperation(upstream, op.Method, op.Path)
		if o == nil {
			t.Fatalf("api/okta.yaml lacks %s; TestOperationsMatchDocuments names what is missing", operationID)
		}
		p := parameters(docOperation{method: op.Method, path: op.Path, op: o, item: upstream.Paths.Value(op.Path)})[key]
		if p == nil || p.Schema == nil || p.Schema.Value == nil {
			t.Fatalf("api/okta.yaml: %s has no parameter %s with a schema", operationID, key)
		}
		return p
	}
	// Every parameter changed below is declared inline, so each change
	// touches one operation.
	activate := param("createAuthenticator", "query.activate").Schema.Value
	was, ok := activate.Default.(bool)
	if !ok {
		t.Fatalf("createAuthenticator activate has default %#v, want a boolean (TestParameterContract says which)", activate.Default)
	}
	activate.Default = !was
	param("enrollFactor", "query.tokenLifetimeSeconds").Schema.Value.Format = "int32"
	param("verifyFactor", "query.tokenLifetimeSeconds").Schema.Value.Type = &openapi3.Types{"string"}
	param("unenrollFactor", "query.removeRecoveryEnrollment").Required = true
	disclose := param("listAuthenticatorEnrollments", "query.discloseIdentifiers")
	disclose.Explode = openapi3.Ptr(false)
	disclose.Schema.Value.Items.Value.Enum = append(disclose.Schema.Value.Items.Value.Enum, "email")

	want := map[string]string{
		"okta:createAuthenticator:param.query.activate.default":                             fmt.Sprintf(`createAuthenticator: query parameter "activate": upstream's default is %t, ours %t`, !was, was),
		"okta:enrollFactor:param.query.tokenLifetimeSeconds.format":                         `enrollFactor: query parameter "tokenLifetimeSeconds": upstream's format is int32, ours (none)`,
		"okta:verifyFactor:param.query.tokenLifetimeSeconds.type":                           `verifyFactor: query parameter "tokenLifetimeSeconds": upstream's type is string, ours integer`,
		"okta:unenrollFactor:param.query.removeRecoveryEnrollment.required":                 `unenrollFactor: query parameter "removeRecoveryEnrollment": upstream's required is true, ours false`,
		"okta:listAuthenticatorEnrollments:param.query.discloseIdentifiers.explode":         `listAuthenticatorEnrollments: query parameter "discloseIdentifiers": upstream's explode is false, ours true`,
		"okta:listAuthenticatorEnrollments:param.query.discloseIdentifiers.items.enum":      `listAuthenticatorEnrollments: query parameter "discloseIdentifiers": upstream's items.enum is ["email" "phone"], ours ["phone"]`,
		"okta:listAuthenticatorEnrollments:parameter.query.discloseIdentifiers.items=email": `listAuthenticatorEnrollments: upstream allows "email" at parameter.query.discloseIdentifiers.items, ours does not`,
	}
	got := map[string]string{}
	for _, d := range compareWithUpstream(api.ProviderOkta, ours, upstream) {
		if !strings.HasSuffix(d.At, ":operation") { // TestOperationsMatchDocuments' concern
			got[d.At] = d.Msg
		}
	}
	if !maps.Equal(got, want) {
		for _, at := range slices.Sorted(maps.Keys(want)) {
			if got[at] != want[at] {
				t.Errorf("at %s: got %q, want %q", at, got[at], want[at])
			}
		}
		for _, at := range slices.Sorted(maps.Keys(got)) {
			if _, ok := want[at]; !ok {
				t.Errorf("unexpected difference %s: %s", at, got[at])
			}
		}
	}

	// From the other side every attribute difference is still reported
	// (only the enum value ours lacks is one-way).
	var rev []string
	for _, d := range compareWithUpstream(api.ProviderOkta, upstream, ours) {
		if !strings.HasSuffix(d.At, ":operation") {
			rev = append(rev, d.At)
		}
	}
	var wantRev []string
	for at := range want {
		if strings.Contains(at, ":param.") {
			wantRev = append(wantRev, at)
		}
	}
	slices.Sort(rev)
	slices.Sort(wantRev)
	if !slices.Equal(rev, wantRev) {
		t.Errorf("reverse comparison reports\n%s\nwant\n%s", strings.Join(rev, "\n"), strings.Join(wantRev, "\n"))
	}
}

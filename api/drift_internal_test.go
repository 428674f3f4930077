package api_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mfakit/mfakit/api"
)

// loadFresh loads a private copy of a curated document, for tests that
// modify it.
func loadFresh(t *testing.T, provider string) *openapi3.T {
	t.Helper()
	c := curatedFor(t, provider)
	doc, err := openapi3.NewLoader().LoadFromData(c.data)
	if err != nil {
		t.Fatalf("%s does not load: %v", c.file, err)
	}
	return doc
}

// TestCompareWithUpstreamReportsDrift runs the drift comparison with our own
// Okta document standing in for upstream, so that it runs without
// ../shared/reference. Compared with itself the document has no
// differences; after upstream gains a property, an enum value, a
// discriminator value, a parameter and a status, each is reported with a
// precise locator and nothing else is.
func TestCompareWithUpstreamReportsDrift(t *testing.T) {
	ours := loadFresh(t, api.ProviderOkta)
	upstream := loadFresh(t, api.ProviderOkta)
	// An operation missing from the document (reported by
	// TestOperationsMatchDocuments) is no concern of this test.
	compareWithUpstream := func(provider string, ours, upstream *openapi3.T) []difference {
		return slices.DeleteFunc(compareWithUpstream(provider, ours, upstream), func(d difference) bool {
			return strings.HasSuffix(d.At, ":operation")
		})
	}
	if diffs := compareWithUpstream(api.ProviderOkta, ours, upstream); len(diffs) != 0 {
		t.Fatalf("the document compared with itself has %d differences, want none; first: %s (%s)", len(diffs), diffs[0].At, diffs[0].Msg)
	}

	schema := func(name string) *openapi3.Schema {
		t.Helper()
		s := upstream.Components.Schemas[name]
		if s == nil || s.Value == nil {
			t.Fatalf("api/okta.yaml has no schema %s", name)
		}
		return s.Value
	}
	// A new property in Okta Verify's settings.
	settings := propertySchemas(schema("AuthenticatorKeyOktaVerify"), "settings")
	if len(settings) == 0 {
		t.Fatal("AuthenticatorKeyOktaVerify has no settings")
	}
	settings[0].Properties["pinLength"] = openapi3.NewIntegerSchema().NewRef()
	// A new value of the factor status enum.
	status := schema("UserFactorStatus")
	status.Enum = append(status.Enum, "SUSPENDED")
	// A new authenticator method type.
	methods := schema("AuthenticatorMethod").Discriminator
	methods.Mapping["magic_link"] = openapi3.MappingRef{Ref: schemaRefPrefix + "AuthenticatorMethodEmail", Value: schema("AuthenticatorMethodEmail")}
	// A new query parameter and a new status.
	listFactors := findOperation(upstream, "GET", "/api/v1/users/{userId}/factors")
	createAuthenticator := findOperation(upstream, "POST", "/api/v1/authenticators")
	if listFactors == nil || createAuthenticator == nil {
		t.Fatal("api/okta.yaml lacks listFactors or createAuthenticator; TestOperationsMatchDocuments names what is missing")
	}
	listFactors.Parameters = append(listFactors.Parameters, &openapi3.ParameterRef{Value: openapi3.NewQueryParameter("expand").WithSchema(openapi3.NewStringSchema())})
	createAuthenticator.Responses.Set("409", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("conflict")})

	diffs := compareWithUpstream(api.ProviderOkta, ours, upstream)
	var locators []string
	for _, d := range diffs {
		locators = append(locators, d.At)
	}
	for _, want := range []string{
		"okta:listAuthenticators:response.200.items[key=okta_verify].settings.pinLength",
		"okta:getAuthenticator:response.200[key=okta_verify].settings.pinLength",
		"okta:createAuthenticator:request[key=okta_verify].settings.pinLength",
		"okta:listFactors:response.200.items[factorType=sms].status=SUSPENDED",
		"okta:getFactor:response.200[factorType=signed_nonce].status=SUSPENDED",
		"okta:listAuthenticatorMethods:response.200.items[type=magic_link]",
		"okta:replaceAuthenticatorMethod:request[type=magic_link]",
		"okta:listFactors:parameter.query.expand",
		"okta:createAuthenticator:response.409",
	} {
		if !slices.Contains(locators, want) {
			t.Errorf("no difference reported at %s; got %d differences: %s", want, len(locators), strings.Join(locators, "\n"))
		}
	}
	for _, d := range diffs {
		if !strings.Contains(d.At, "pinLength") && !strings.Contains(d.At, "=SUSPENDED") && !strings.Contains(d.At, "magic_link") &&
			!strings.HasSuffix(d.At, ".expand") && !strings.HasSuffix(d.At, ".409") {
			t.Errorf("unexpected difference %s: %s", d.At, d.Msg)
		}
		if !strings.HasPrefix(d.Msg, strings.Split(d.At, ":")[1]+": ") {
			t.Errorf("message %q does not start with the operation of %s", d.Msg, d.At)
		}
	}
	for _, d := range diffs {
		if d.At == "okta:getAuthenticator:response.200[key=okta_verify].settings.pinLength" {
			if want := `getAuthenticator: upstream has property "pinLength" at response.200[key=okta_verify].settings, ours lacks it`; d.Msg != want {
				t.Errorf("message = %q, want %q", d.Msg, want)
			}
		}
	}

	// Seen from the other side, ours has more than upstream: extra
	// properties, enum values and variants are fine, an extra parameter is
	// reported as added.
	rev := compareWithUpstream(api.ProviderOkta, upstream, ours)
	if len(rev) != 1 || rev[0].At != "okta:listFactors:added-parameter.query.expand" {
		t.Errorf("reverse comparison = %v, want only okta:listFactors:added-parameter.query.expand", rev)
	}
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"okta:a:b", "okta:a:b", true},
		{"okta:a:b", "okta:a:bc", false},
		{"okta:*:response.200", "okta:listFactors:response.200", true},
		{"okta:*:response.200", "okta:listFactors:response.2000", false},
		{"onelogin:*:response.4*.code", "onelogin:getMFAFactors:response.404.code", true},
		{"onelogin:*:response.4*.code", "onelogin:getMFAFactors:response.200.code", false},
		{"okta:x:[type=otp].*", "okta:x:[type=otp].a.b", true},
		{"okta:x:[type=otp].*", "okta:x:[type=otp]", false},
		{"*", "anything", true},
		{"a*a", "a", false},
		{"a*a", "aa", true},
	} {
		if got := globMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

// TestAllowlistEntries checks the parser's rules and that explain reports
// unexplained differences and stale entries.
func TestAllowlistEntries(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, wantErr string
	}{
		{"ok", "- at: okta:a:b\n  reason: because\n", ""},
		{"empty", "", ""},
		{"no reason", "- at: okta:a:b\n", "has no reason"},
		{"blank reason", "- at: okta:a:b\n  reason: '  '\n", "has no reason"},
		{"unknown provider", "- at: auth0:a:b\n  reason: x\n", "<provider>:<operationId>:<what>"},
		{"no what", "- at: okta:a\n  reason: x\n", "<provider>:<operationId>:<what>"},
		{"duplicate", "- at: okta:a:b\n  reason: x\n- at: okta:a:b\n  reason: y\n", "listed twice"},
		{"misspelt field", "- at: okta:a:b\n  reasons: x\n", "field reasons not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := parseAllowlist([]byte(tc.yaml))
			switch {
			case tc.wantErr == "" && len(errs) > 0:
				t.Errorf("parseAllowlist: %v, want no error", errs)
			case tc.wantErr != "" && (len(errs) == 0 || !strings.Contains(errs[0].Error(), tc.wantErr)):
				t.Errorf("parseAllowlist: %v, want an error containing %q", errs, tc.wantErr)
			}
		})
	}

	entries := []allowEntry{
		{At: "okta:listFactors:response.200.items[factorType=sms].status=SUSPENDED", Reason: "x"},
		{At: "okta:*:response.409", Reason: "x"},
		{At: "okta:getFactor:response.200.gone", Reason: "x"},
	}
	diffs := []difference{
		{At: "okta:listFactors:response.200.items[factorType=sms].status=SUSPENDED"},
		{At: "okta:createAuthenticator:response.409"},
		{At: "okta:replaceAuthenticator:response.409"},
		{At: "okta:listFactors:parameter.query.expand"},
	}
	unexplained, matches := explain(diffs, entries)
	if len(unexplained) != 1 || unexplained[0].At != "okta:listFactors:parameter.query.expand" {
		t.Errorf("unexplained = %v, want only okta:listFactors:parameter.query.expand", unexplained)
	}
	if want := []int{1, 2, 0}; !slices.Equal(matches, want) {
		t.Errorf("matches = %v, want %v (the last entry is stale)", matches, want)
	}
}

// TestAllowlistFileParses checks api/drift-allowlist.yaml itself, also where
// ../shared/reference is absent.
func TestAllowlistFileParses(t *testing.T) {
	entries := loadAllowlist(t)
	if len(entries) == 0 {
		t.Error("api/drift-allowlist.yaml has no entries; if there really are no differences from upstream, delete this check")
	}
}

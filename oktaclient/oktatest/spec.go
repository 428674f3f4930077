package oktatest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/mfakit/mfakit/api"
)

// Operation ids of api/okta.yaml, for WithRateLimit, Fault.OperationID and
// Server.CallCount.
const (
	OpGetWellKnownAppAuthenticatorConfiguration = "getWellKnownAppAuthenticatorConfiguration"
	OpListAuthenticators                        = "listAuthenticators"
	OpCreateAuthenticator                       = "createAuthenticator"
	OpGetAuthenticator                          = "getAuthenticator"
	OpReplaceAuthenticator                      = "replaceAuthenticator"
	OpActivateAuthenticator                     = "activateAuthenticator"
	OpDeactivateAuthenticator                   = "deactivateAuthenticator"
	OpListAuthenticatorMethods                  = "listAuthenticatorMethods"
	OpGetAuthenticatorMethod                    = "getAuthenticatorMethod"
	OpReplaceAuthenticatorMethod                = "replaceAuthenticatorMethod"
	OpActivateAuthenticatorMethod               = "activateAuthenticatorMethod"
	OpDeactivateAuthenticatorMethod             = "deactivateAuthenticatorMethod"
	OpVerifyRpIDDomain                          = "verifyRpIdDomain"
	OpListAllCustomAAGUIDs                      = "listAllCustomAAGUIDs"
	OpCreateCustomAAGUID                        = "createCustomAAGUID"
	OpGetCustomAAGUID                           = "getCustomAAGUID"
	OpReplaceCustomAAGUID                       = "replaceCustomAAGUID"
	OpUpdateCustomAAGUID                        = "updateCustomAAGUID"
	OpDeleteCustomAAGUID                        = "deleteCustomAAGUID"
	OpListFactors                               = "listFactors"
	OpEnrollFactor                              = "enrollFactor"
	OpListSupportedFactors                      = "listSupportedFactors"
	OpListSupportedSecurityQuestions            = "listSupportedSecurityQuestions"
	OpGetFactor                                 = "getFactor"
	OpUnenrollFactor                            = "unenrollFactor"
	OpActivateFactor                            = "activateFactor"
	OpResendEnrollFactor                        = "resendEnrollFactor"
	OpGetFactorTransactionStatus                = "getFactorTransactionStatus"
	OpVerifyFactor                              = "verifyFactor"
	OpListAuthenticatorEnrollments              = "listAuthenticatorEnrollments"
	OpCreateAuthenticatorEnrollment             = "createAuthenticatorEnrollment"
	OpCreateTacAuthenticatorEnrollment          = "createTacAuthenticatorEnrollment"
	OpGetAuthenticatorEnrollment                = "getAuthenticatorEnrollment"
	OpDeleteAuthenticatorEnrollment             = "deleteAuthenticatorEnrollment"
)

// compiledSpec is api/okta.yaml loaded, validated and routed once per process.
type compiledSpec struct {
	doc    *openapi3.T
	router routers.Router
}

var loadSpec = sync.OnceValues(func() (*compiledSpec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.Okta)
	if err != nil {
		return nil, fmt.Errorf("load api/okta.yaml: %w", err)
	}
	if err := doc.Validate(context.Background(),
		openapi3.EnableSchemaFormatValidation(),
		openapi3.EnableSchemaPatternValidation(),
	); err != nil {
		return nil, fmt.Errorf("validate api/okta.yaml: %w", err)
	}
	// The document names Okta's hosts (https://{yourOktaDomain}); the fake serves the API
	// at the root of a loopback URL, so it routes by path alone. That lets one router,
	// built once, serve every Server.
	doc.Servers = nil
	r, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route api/okta.yaml: %w", err)
	}
	return &compiledSpec{doc: doc, router: r}, nil
})

// filterOptions are the openapi3filter options the fake validates with.
func filterOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		// The fake checks credentials itself and answers as Okta does.
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		// Okta ignores the read-only fields of a resource sent back to it
		// (get-modify-put), so sending them is not a client error.
		ExcludeReadOnlyValidations: true,
		// Hand the handlers the body the client sent, not one with defaults filled in.
		SkipSettingDefaults: true,
		// A status the document does not list for the operation is drift.
		IncludeResponseStatus: true,
		MultiError:            true,
	}
}

// securityOf returns the security requirements of route: its own, or the document's.
func securityOf(route *routers.Route) openapi3.SecurityRequirements {
	if route.Operation.Security != nil {
		return *route.Operation.Security
	}
	return route.Spec.Security
}

// validationCauses flattens a kin-openapi validation error into one line per problem,
// for Okta's errorCauses.
func validationCauses(err error) []string {
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

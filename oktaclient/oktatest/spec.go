package oktatest

import (
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/mfakit/mfakit/api"
	"github.com/mfakit/mfakit/internal/fakeserver"
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

// loadSpec loads, validates and routes api/okta.yaml once per process.
var loadSpec = sync.OnceValues(func() (*fakeserver.Spec, error) {
	return fakeserver.LoadSpec("api/okta.yaml", api.Okta)
})

// filterOptions are the openapi3filter options the fake validates with.
func filterOptions() *openapi3filter.Options {
	o := fakeserver.FilterOptions()
	// Okta ignores the read-only fields of a resource sent back to it
	// (get-modify-put), so sending them is not a client error.
	o.ExcludeReadOnlyValidations = true
	// Report every problem, one errorCause each.
	o.MultiError = true
	return o
}

// securityOf returns the security requirements of route: its own, or the document's.
func securityOf(route *routers.Route) openapi3.SecurityRequirements {
	if route.Operation.Security != nil {
		return *route.Operation.Security
	}
	return route.Spec.Security
}

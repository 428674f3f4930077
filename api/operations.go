package api

import "net/http"

// Provider names used in [Operation.Provider].
const (
	// ProviderOkta names the Okta document, [Okta].
	ProviderOkta = "okta"
	// ProviderOneLogin names the OneLogin document, [OneLogin].
	ProviderOneLogin = "onelogin"
)

// Operation is one API operation mfakit covers: where it lives in the curated
// documents and what the provider client calls it.
type Operation struct {
	// Provider is ProviderOkta or ProviderOneLogin.
	Provider string
	// API is the vendor SDK's API group the operation comes from, such as "AuthenticatorApi".
	API string
	// GoMethod is the name of the method on the provider client.
	GoMethod string
	// Method is the HTTP method, as in net/http ("GET", "POST", ...).
	Method string
	// Path is the path template, as written in the document's paths.
	Path string
	// OperationID is the operationId, as the vendor's published document names it.
	OperationID string
}

// Operations lists the 41 operations mfakit covers (34 Okta, 7 OneLogin), in
// the order of ../shared/operations.tsv. Tests in this package keep it and the
// documents in step: every entry is in its document with this method, path and
// operationId, and every operation in a document is here (apart from
// OneLogin's token endpoints, which the client uses internally).
var Operations = []Operation{
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "ActivateAuthenticator", Method: http.MethodPost, Path: "/api/v1/authenticators/{authenticatorId}/lifecycle/activate", OperationID: "activateAuthenticator"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "ActivateAuthenticatorMethod", Method: http.MethodPost, Path: "/api/v1/authenticators/{authenticatorId}/methods/{methodType}/lifecycle/activate", OperationID: "activateAuthenticatorMethod"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "CreateAuthenticator", Method: http.MethodPost, Path: "/api/v1/authenticators", OperationID: "createAuthenticator"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "CreateCustomAAGUID", Method: http.MethodPost, Path: "/api/v1/authenticators/{authenticatorId}/aaguids", OperationID: "createCustomAAGUID"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "DeactivateAuthenticator", Method: http.MethodPost, Path: "/api/v1/authenticators/{authenticatorId}/lifecycle/deactivate", OperationID: "deactivateAuthenticator"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "DeactivateAuthenticatorMethod", Method: http.MethodPost, Path: "/api/v1/authenticators/{authenticatorId}/methods/{methodType}/lifecycle/deactivate", OperationID: "deactivateAuthenticatorMethod"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "DeleteCustomAAGUID", Method: http.MethodDelete, Path: "/api/v1/authenticators/{authenticatorId}/aaguids/{aaguid}", OperationID: "deleteCustomAAGUID"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "GetAuthenticator", Method: http.MethodGet, Path: "/api/v1/authenticators/{authenticatorId}", OperationID: "getAuthenticator"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "GetAuthenticatorMethod", Method: http.MethodGet, Path: "/api/v1/authenticators/{authenticatorId}/methods/{methodType}", OperationID: "getAuthenticatorMethod"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "GetCustomAAGUID", Method: http.MethodGet, Path: "/api/v1/authenticators/{authenticatorId}/aaguids/{aaguid}", OperationID: "getCustomAAGUID"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "GetWellKnownAppAuthenticatorConfiguration", Method: http.MethodGet, Path: "/.well-known/app-authenticator-configuration", OperationID: "getWellKnownAppAuthenticatorConfiguration"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "ListAllCustomAAGUIDs", Method: http.MethodGet, Path: "/api/v1/authenticators/{authenticatorId}/aaguids", OperationID: "listAllCustomAAGUIDs"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "ListAuthenticatorMethods", Method: http.MethodGet, Path: "/api/v1/authenticators/{authenticatorId}/methods", OperationID: "listAuthenticatorMethods"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "ListAuthenticators", Method: http.MethodGet, Path: "/api/v1/authenticators", OperationID: "listAuthenticators"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "ReplaceAuthenticator", Method: http.MethodPut, Path: "/api/v1/authenticators/{authenticatorId}", OperationID: "replaceAuthenticator"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "ReplaceAuthenticatorMethod", Method: http.MethodPut, Path: "/api/v1/authenticators/{authenticatorId}/methods/{methodType}", OperationID: "replaceAuthenticatorMethod"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "ReplaceCustomAAGUID", Method: http.MethodPut, Path: "/api/v1/authenticators/{authenticatorId}/aaguids/{aaguid}", OperationID: "replaceCustomAAGUID"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "UpdateCustomAAGUID", Method: http.MethodPatch, Path: "/api/v1/authenticators/{authenticatorId}/aaguids/{aaguid}", OperationID: "updateCustomAAGUID"},
	{Provider: ProviderOkta, API: "AuthenticatorApi", GoMethod: "VerifyRPIDDomain", Method: http.MethodPost, Path: "/api/v1/authenticators/{authenticatorId}/methods/{webAuthnMethodType}/verify-rp-id-domain", OperationID: "verifyRpIdDomain"},
	{Provider: ProviderOkta, API: "UserFactorApi", GoMethod: "ActivateFactor", Method: http.MethodPost, Path: "/api/v1/users/{userId}/factors/{factorId}/lifecycle/activate", OperationID: "activateFactor"},
	{Provider: ProviderOkta, API: "UserFactorApi", GoMethod: "EnrollFactor", Method: http.MethodPost, Path: "/api/v1/users/{userId}/factors", OperationID: "enrollFactor"},
	{Provider: ProviderOkta, API: "UserFactorApi", GoMethod: "GetFactor", Method: http.MethodGet, Path: "/api/v1/users/{userId}/factors/{factorId}", OperationID: "getFactor"},
	{Provider: ProviderOkta, API: "UserFactorApi", GoMethod: "GetFactorTransactionStatus", Method: http.MethodGet, Path: "/api/v1/users/{userId}/factors/{factorId}/transactions/{transactionId}", OperationID: "getFactorTransactionStatus"},
	{Provider: ProviderOkta, API: "UserFactorApi", GoMethod: "ListFactors", Method: http.MethodGet, Path: "/api/v1/users/{userId}/factors", OperationID: "listFactors"},
	{Provider: ProviderOkta, API: "UserFactorApi", GoMethod: "ListSupportedFactors", Method: http.MethodGet, Path: "/api/v1/users/{userId}/factors/catalog", OperationID: "listSupportedFactors"},
	{Provider: ProviderOkta, API: "UserFactorApi", GoMethod: "ListSupportedSecurityQuestions", Method: http.MethodGet, Path: "/api/v1/users/{userId}/factors/questions", OperationID: "listSupportedSecurityQuestions"},
	{Provider: ProviderOkta, API: "UserFactorApi", GoMethod: "ResendEnrollFactor", Method: http.MethodPost, Path: "/api/v1/users/{userId}/factors/{factorId}/resend", OperationID: "resendEnrollFactor"},
	{Provider: ProviderOkta, API: "UserFactorApi", GoMethod: "UnenrollFactor", Method: http.MethodDelete, Path: "/api/v1/users/{userId}/factors/{factorId}", OperationID: "unenrollFactor"},
	{Provider: ProviderOkta, API: "UserFactorApi", GoMethod: "VerifyFactor", Method: http.MethodPost, Path: "/api/v1/users/{userId}/factors/{factorId}/verify", OperationID: "verifyFactor"},
	{Provider: ProviderOkta, API: "UserAuthenticatorEnrollmentsApi", GoMethod: "CreateAuthenticatorEnrollment", Method: http.MethodPost, Path: "/api/v1/users/{userId}/authenticator-enrollments/phone", OperationID: "createAuthenticatorEnrollment"},
	{Provider: ProviderOkta, API: "UserAuthenticatorEnrollmentsApi", GoMethod: "CreateTACAuthenticatorEnrollment", Method: http.MethodPost, Path: "/api/v1/users/{userId}/authenticator-enrollments/tac", OperationID: "createTacAuthenticatorEnrollment"},
	{Provider: ProviderOkta, API: "UserAuthenticatorEnrollmentsApi", GoMethod: "DeleteAuthenticatorEnrollment", Method: http.MethodDelete, Path: "/api/v1/users/{userId}/authenticator-enrollments/{enrollmentId}", OperationID: "deleteAuthenticatorEnrollment"},
	{Provider: ProviderOkta, API: "UserAuthenticatorEnrollmentsApi", GoMethod: "GetAuthenticatorEnrollment", Method: http.MethodGet, Path: "/api/v1/users/{userId}/authenticator-enrollments/{enrollmentId}", OperationID: "getAuthenticatorEnrollment"},
	{Provider: ProviderOkta, API: "UserAuthenticatorEnrollmentsApi", GoMethod: "ListAuthenticatorEnrollments", Method: http.MethodGet, Path: "/api/v1/users/{userId}/authenticator-enrollments", OperationID: "listAuthenticatorEnrollments"},
	{Provider: ProviderOneLogin, API: "MultiFactorAuthenticationV1Api", GoMethod: "ActivateFactor", Method: http.MethodPost, Path: "/api/1/users/{user_id}/otp_devices/{device_id}/trigger", OperationID: "activateMfaFactors"},
	{Provider: ProviderOneLogin, API: "MultiFactorAuthenticationV1Api", GoMethod: "EnrollFactor", Method: http.MethodPost, Path: "/api/1/users/{user_id}/otp_devices", OperationID: "enrollMfaFactor"},
	{Provider: ProviderOneLogin, API: "MultiFactorAuthenticationV1Api", GoMethod: "GenerateMFAToken", Method: http.MethodPost, Path: "/api/1/users/{user_id}/mfa_token", OperationID: "generateMFAtoken"},
	{Provider: ProviderOneLogin, API: "MultiFactorAuthenticationV1Api", GoMethod: "ListEnrolledFactors", Method: http.MethodGet, Path: "/api/1/users/{user_id}/otp_devices", OperationID: "getEnrolledFactors"},
	{Provider: ProviderOneLogin, API: "MultiFactorAuthenticationV1Api", GoMethod: "ListAvailableFactors", Method: http.MethodGet, Path: "/api/1/users/{user_id}/auth_factors", OperationID: "getMFAFactors"},
	{Provider: ProviderOneLogin, API: "MultiFactorAuthenticationV1Api", GoMethod: "RemoveFactor", Method: http.MethodDelete, Path: "/api/1/users/{user_id}/otp_devices/{device_id}", OperationID: "removeMfaFactors"},
	{Provider: ProviderOneLogin, API: "MultiFactorAuthenticationV1Api", GoMethod: "VerifyFactor", Method: http.MethodPost, Path: "/api/1/users/{user_id}/otp_devices/{device_id}/verify", OperationID: "verifyMfaFactor"},
}

// LookupOperation returns the operation of provider whose operationId is
// operationID, and whether there is one.
func LookupOperation(provider, operationID string) (Operation, bool) {
	for _, op := range Operations {
		if op.Provider == provider && op.OperationID == operationID {
			return op, true
		}
	}
	return Operation{}, false
}

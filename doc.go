// Package mfakit is the root of the mfakit module, a Go SDK for administering
// multi-factor authentication in Okta and OneLogin.
//
// Import the provider clients, not this package:
//
//	github.com/mfakit/mfakit/oktaclient      // Okta authenticators, methods, factors, enrollments
//	github.com/mfakit/mfakit/oneloginclient  // OneLogin MFA v1
//
// and their in-memory fakes for tests, oktaclient/oktatest and
// oneloginclient/onelogintest. The data flows from the curated OpenAPI
// documents in api/ through the generated code in gen/ and the shared
// plumbing in wrappers/ to those clients. Run `go generate ./...` to rebuild
// gen/ after changing a document in api/.
package mfakit

// Package api embeds the hand-curated OpenAPI documents that gen/ is generated
// from, so that tests and the fake servers load the very same bytes.
package api

import _ "embed"

// Okta is api/okta.yaml, the curated Okta MFA administration API.
//
//go:embed okta.yaml
var Okta []byte

// OneLogin is api/onelogin.yaml, the curated OneLogin MFA v1 API and its token endpoint.
//
//go:embed onelogin.yaml
var OneLogin []byte

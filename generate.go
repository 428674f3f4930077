package mfakit

// The generated packages are rebuilt from the curated documents in api/ with the
// oapi-codegen version pinned in go.mod (see tools.go). Each package's generator
// configuration lives next to its output.
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/okta/oapi-codegen.yaml api/okta.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/onelogin/oapi-codegen.yaml api/onelogin.yaml

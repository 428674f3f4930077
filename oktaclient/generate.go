package oktaclient

// The concrete member types of the three unions are generated (see
// internal/unionsgen), then the aliases of every gen/okta type the exported
// API reaches (see internal/aliasgen), which reads the union files.
//go:generate go run ./internal/unionsgen -dir .
//go:generate go run ./internal/aliasgen -dir .

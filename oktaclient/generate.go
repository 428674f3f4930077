package oktaclient

// The concrete member types of the three unions are generated; see
// internal/unionsgen.
//go:generate go run ./internal/unionsgen -dir .

// Package fakeserver holds the provider-neutral plumbing of the fake servers
// oktaclient/oktatest and oneloginclient/onelogintest: loading an embedded OpenAPI
// document and routing by it, validating requests and responses with kin-openapi's
// openapi3filter and reporting a mismatch loudly, buffering a response so it can be
// validated before it is sent, queueing injected faults and acting out the
// provider-neutral ones (delays, HTML pages, truncated bodies, dropped connections),
// counting calls, and fixed rate-limit windows.
//
// What a provider's server says stays in its fake: error bodies and codes, header
// names and formats, authentication rules, state and handlers, and the public Fault
// and option types, whose documentation describes that provider's behaviour.
package fakeserver

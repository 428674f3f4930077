// Package peer sets up Okta's own Go SDK, github.com/okta/okta-sdk-golang/v5,
// against a loopback server, and exposes its decoding of the same bytes.
//
// The SDK is configured as its README recommends (org URL, API token), with
// its response cache off (okta.WithCache(false): a cache would answer from
// memory and measure nothing), no retries needed, and the loopback server's
// HTTP client. Two things the SDK does not let an option do:
//
//   - okta.NewConfiguration keeps only the host name of the org URL
//     (url.Hostname(), dropping the port) as Configuration.Host, which every
//     request's URL is rewritten to; we set Configuration.Host back to
//     host:port after NewConfiguration. WithTestingDisableHttpsCheck(true)
//     is set as the SDK's tests do, though v5 no longer reads it.
//   - There is no decode entry point: the SDK decodes a list response with
//     json.Unmarshal into its slice type (APIClient.decode), so Decode*
//     below do exactly that.
package peer

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/okta/okta-sdk-golang/v5/okta"
)

// New returns an SDK client for the org at orgURL (http on loopback is
// fine) authenticating with the API token, sending through hc.
func New(orgURL, token string, hc *http.Client) (*okta.APIClient, error) {
	u, err := url.Parse(orgURL)
	if err != nil {
		return nil, fmt.Errorf("peer: bad org URL: %w", err)
	}
	cfg, err := okta.NewConfiguration(
		okta.WithOrgUrl(orgURL),
		okta.WithToken(token),
		okta.WithCache(false),
		okta.WithHttpClientPtr(hc),
		okta.WithTestingDisableHttpsCheck(true),
		okta.WithRateLimitMaxRetries(2),
		okta.WithRateLimitMaxBackOff(30),
		okta.WithRequestTimeout(0),
	)
	if err != nil {
		return nil, fmt.Errorf("peer: configuring the SDK: %w", err)
	}
	// NewConfiguration sets Host to u.Hostname(); keep the port.
	cfg.Host = u.Host
	return okta.NewAPIClient(cfg), nil
}

// DecodeAuthenticators decodes a list of authenticators as the SDK does.
func DecodeAuthenticators(b []byte) ([]okta.ListAuthenticators200ResponseInner, error) {
	var v []okta.ListAuthenticators200ResponseInner
	err := json.Unmarshal(b, &v)
	return v, err
}

// DecodeAuthenticator decodes one authenticator as GetAuthenticator does
// (the SDK returns the non-union AuthenticatorBase there).
func DecodeAuthenticator(b []byte) (*okta.AuthenticatorBase, error) {
	var v okta.AuthenticatorBase
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// DecodeMethods decodes a list of authenticator methods as the SDK does.
func DecodeMethods(b []byte) ([]okta.ListAuthenticatorMethods200ResponseInner, error) {
	var v []okta.ListAuthenticatorMethods200ResponseInner
	err := json.Unmarshal(b, &v)
	return v, err
}

// DecodeFactors decodes a list of user factors as the SDK does.
func DecodeFactors(b []byte) ([]okta.ListFactors200ResponseInner, error) {
	var v []okta.ListFactors200ResponseInner
	err := json.Unmarshal(b, &v)
	return v, err
}

// Discriminator returns the value of field in the JSON of the member a
// union holds, or "" when the union holds nothing (the SDK leaves an
// element empty when it does not know its discriminator). It is for tests;
// it re-encodes the value.
func Discriminator(u interface{ GetActualInstance() interface{} }, field string) (string, error) {
	inst := u.GetActualInstance()
	if inst == nil {
		return "", nil
	}
	b, err := json.Marshal(inst)
	if err != nil {
		return "", err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return "", err
	}
	s, _ := m[field].(string)
	return s, nil
}

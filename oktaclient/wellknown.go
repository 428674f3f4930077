package oktaclient

import (
	"context"
	"fmt"

	"github.com/mfakit/mfakit/gen/okta"
)

// AppAuthenticatorConfiguration is the public configuration of one custom
// app authenticator ([Client.GetWellKnownAppAuthenticatorConfiguration]).
type AppAuthenticatorConfiguration = okta.WellKnownAppAuthenticatorConfiguration

// GetWellKnownAppAuthenticatorConfiguration returns the public configuration
// of the org's custom app authenticators bound to the OAuth 2.0 client
// oauthClientID: settings, supported methods and the enrollment endpoint.
func (c *Client) GetWellKnownAppAuthenticatorConfiguration(ctx context.Context, oauthClientID string) ([]AppAuthenticatorConfiguration, error) {
	const op = "GetWellKnownAppAuthenticatorConfiguration"
	if oauthClientID == "" {
		return nil, fmt.Errorf("oktaclient: %s: empty oauthClientID: %w", op, ErrInvalidArgument)
	}
	params := &okta.GetWellKnownAppAuthenticatorConfigurationParams{OauthClientId: oauthClientID}
	return collect(ctx, c, lister[AppAuthenticatorConfiguration]{
		op: op,
		first: func() (*httpRequest, error) {
			return okta.NewGetWellKnownAppAuthenticatorConfigurationRequest(c.server, params)
		},
		decode: decodePlainList[AppAuthenticatorConfiguration],
	})
}

package oktaclient

import (
	"context"
	"iter"

	"github.com/mfakit/mfakit/gen/okta"
)

// Re-exported generated types of the custom AAGUID operations.
type (
	// CustomAAGUID is a custom AAGUID (an authenticator model an admin
	// allowed) of a passkey (WebAuthn) authenticator.
	CustomAAGUID = okta.CustomAAGUIDResponseObject
	// CustomAAGUIDCreateRequest is a custom AAGUID to add
	// ([Client.CreateCustomAAGUID]).
	CustomAAGUIDCreateRequest = okta.CustomAAGUIDCreateRequestObject
	// CustomAAGUIDUpdateRequest holds new values for a custom AAGUID: all of
	// them for [Client.ReplaceCustomAAGUID], the changed ones for
	// [Client.UpdateCustomAAGUID].
	CustomAAGUIDUpdateRequest = okta.CustomAAGUIDUpdateRequestObject
	// AAGUIDAuthenticatorCharacteristics says what an authenticator model is.
	AAGUIDAuthenticatorCharacteristics = okta.AAGUIDAuthenticatorCharacteristics
	// AttestationRootCertificatesRequest are the root certificates an
	// authenticator model's attestation must chain to.
	AttestationRootCertificatesRequest = okta.AttestationRootCertificatesRequest
)

// ListAllCustomAAGUIDs returns the custom AAGUIDs of the passkey (WebAuthn)
// authenticator with the given id.
func (c *Client) ListAllCustomAAGUIDs(ctx context.Context, authenticatorID string) ([]CustomAAGUID, error) {
	l, err := c.listAllCustomAAGUIDsPages(authenticatorID)
	if err != nil {
		return nil, err
	}
	return collect(ctx, c, l)
}

// ListAllCustomAAGUIDsIter is [Client.ListAllCustomAAGUIDs] as an iterator.
func (c *Client) ListAllCustomAAGUIDsIter(ctx context.Context, authenticatorID string) iter.Seq2[CustomAAGUID, error] {
	l, err := c.listAllCustomAAGUIDsPages(authenticatorID)
	if err != nil {
		return failed[CustomAAGUID](err)
	}
	return iterate(ctx, c, l)
}

func (c *Client) listAllCustomAAGUIDsPages(authenticatorID string) (lister[CustomAAGUID], error) {
	const op = "ListAllCustomAAGUIDs"
	if err := checkID(op, "authenticatorID", authenticatorID); err != nil {
		return lister[CustomAAGUID]{}, err
	}
	return lister[CustomAAGUID]{
		op:     op,
		first:  func() (*httpRequest, error) { return okta.NewListAllCustomAAGUIDsRequest(c.server, authenticatorID) },
		decode: decodePlainList[CustomAAGUID],
	}, nil
}

// CreateCustomAAGUID adds the custom AAGUID req to the passkey authenticator
// with the given id and returns it.
func (c *Client) CreateCustomAAGUID(ctx context.Context, authenticatorID string, req CustomAAGUIDCreateRequest) (*CustomAAGUID, error) {
	const op = "CreateCustomAAGUID"
	if err := checkID(op, "authenticatorID", authenticatorID); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewCreateCustomAAGUIDRequest(c.server, authenticatorID, req)
	}, decodeJSON[CustomAAGUID])
}

// GetCustomAAGUID returns the custom AAGUID aaguid of the passkey
// authenticator with the given id.
func (c *Client) GetCustomAAGUID(ctx context.Context, authenticatorID, aaguid string) (*CustomAAGUID, error) {
	const op = "GetCustomAAGUID"
	if err := checkIDs(op, "authenticatorID", authenticatorID, "aaguid", aaguid); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewGetCustomAAGUIDRequest(c.server, authenticatorID, aaguid)
	}, decodeJSON[CustomAAGUID])
}

// ReplaceCustomAAGUID replaces the name, characteristics and root
// certificates of the custom AAGUID aaguid with those of req and returns it.
func (c *Client) ReplaceCustomAAGUID(ctx context.Context, authenticatorID, aaguid string, req CustomAAGUIDUpdateRequest) (*CustomAAGUID, error) {
	const op = "ReplaceCustomAAGUID"
	if err := checkIDs(op, "authenticatorID", authenticatorID, "aaguid", aaguid); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewReplaceCustomAAGUIDRequest(c.server, authenticatorID, aaguid, req)
	}, decodeJSON[CustomAAGUID])
}

// UpdateCustomAAGUID changes only the properties set in req (a JSON merge
// patch, RFC 7396) of the custom AAGUID aaguid and returns it.
func (c *Client) UpdateCustomAAGUID(ctx context.Context, authenticatorID, aaguid string, req CustomAAGUIDUpdateRequest) (*CustomAAGUID, error) {
	const op = "UpdateCustomAAGUID"
	if err := checkIDs(op, "authenticatorID", authenticatorID, "aaguid", aaguid); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewUpdateCustomAAGUIDRequestWithApplicationMergePatchPlusJSONBody(c.server, authenticatorID, aaguid, req)
	}, decodeJSON[CustomAAGUID])
}

// DeleteCustomAAGUID removes the custom AAGUID aaguid from the passkey
// authenticator with the given id.
func (c *Client) DeleteCustomAAGUID(ctx context.Context, authenticatorID, aaguid string) error {
	const op = "DeleteCustomAAGUID"
	if err := checkIDs(op, "authenticatorID", authenticatorID, "aaguid", aaguid); err != nil {
		return err
	}
	return callNoContent(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewDeleteCustomAAGUIDRequest(c.server, authenticatorID, aaguid)
	})
}

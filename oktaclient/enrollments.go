package oktaclient

import (
	"context"
	"iter"

	"github.com/mfakit/mfakit/gen/okta"
)

// Re-exported generated types of the authenticator enrollment operations
// (Identity Engine).
type (
	// AuthenticatorEnrollment is one of a user's authenticator enrollments.
	AuthenticatorEnrollment = okta.AuthenticatorEnrollment
	// AuthenticatorEnrollmentProfile holds the authenticator-specific fields
	// of an enrollment (phoneNumber, email).
	AuthenticatorEnrollmentProfile = okta.AuthenticatorEnrollmentProfile
	// AuthenticatorEnrollmentCreateRequest is a phone enrollment to create
	// ([Client.CreateAuthenticatorEnrollment]).
	AuthenticatorEnrollmentCreateRequest = okta.AuthenticatorEnrollmentCreateRequest
	// AuthenticatorEnrollmentPhoneProfile is the phone number of a phone
	// enrollment to create.
	AuthenticatorEnrollmentPhoneProfile = okta.AuthenticatorEnrollmentPhoneProfile
	// TACAuthenticatorEnrollmentCreateRequest is a temporary access code
	// enrollment to create ([Client.CreateTACAuthenticatorEnrollment]).
	TACAuthenticatorEnrollmentCreateRequest = okta.AuthenticatorEnrollmentCreateRequestTac
	// TACAuthenticatorEnrollmentProfileRequest holds the lifetime and
	// multi-use flag of a temporary access code to create.
	TACAuthenticatorEnrollmentProfileRequest = okta.AuthenticatorEnrollmentTacProfileRequest
	// TACAuthenticatorEnrollment is a new temporary access code enrollment,
	// with the code (a secret, returned only once).
	TACAuthenticatorEnrollment = okta.TacAuthenticatorEnrollment
)

// ListAuthenticatorEnrollmentsOptions are the optional parameters of
// [Client.ListAuthenticatorEnrollments].
type ListAuthenticatorEnrollmentsOptions struct {
	// DiscloseIdentifiers names identifiers to show in clear instead of
	// masked, such as "phone".
	DiscloseIdentifiers []string
}

// GetAuthenticatorEnrollmentOptions are the optional parameters of
// [Client.GetAuthenticatorEnrollment].
type GetAuthenticatorEnrollmentOptions struct {
	// DiscloseIdentifiers names identifiers to show in clear instead of
	// masked, such as "phone".
	DiscloseIdentifiers []string
}

// ListAuthenticatorEnrollments returns the authenticator enrollments of the
// user with the given id. opts may be nil.
func (c *Client) ListAuthenticatorEnrollments(ctx context.Context, userID string, opts *ListAuthenticatorEnrollmentsOptions) ([]AuthenticatorEnrollment, error) {
	l, err := c.listAuthenticatorEnrollmentsPages(userID, opts)
	if err != nil {
		return nil, err
	}
	return collect(ctx, c, l)
}

// ListAuthenticatorEnrollmentsIter is [Client.ListAuthenticatorEnrollments]
// as an iterator.
func (c *Client) ListAuthenticatorEnrollmentsIter(ctx context.Context, userID string, opts *ListAuthenticatorEnrollmentsOptions) iter.Seq2[AuthenticatorEnrollment, error] {
	l, err := c.listAuthenticatorEnrollmentsPages(userID, opts)
	if err != nil {
		return failed[AuthenticatorEnrollment](err)
	}
	return iterate(ctx, c, l)
}

func (c *Client) listAuthenticatorEnrollmentsPages(userID string, opts *ListAuthenticatorEnrollmentsOptions) (lister[AuthenticatorEnrollment], error) {
	const op = "ListAuthenticatorEnrollments"
	if err := checkID(op, "userID", userID); err != nil {
		return lister[AuthenticatorEnrollment]{}, err
	}
	var params *okta.ListAuthenticatorEnrollmentsParams
	if opts != nil && len(opts.DiscloseIdentifiers) > 0 {
		params = &okta.ListAuthenticatorEnrollmentsParams{DiscloseIdentifiers: Ptr(append([]string(nil), opts.DiscloseIdentifiers...))}
	}
	return lister[AuthenticatorEnrollment]{
		op: op,
		first: func() (*httpRequest, error) {
			return okta.NewListAuthenticatorEnrollmentsRequest(c.server, userID, params)
		},
		decode: decodePlainList[AuthenticatorEnrollment],
	}, nil
}

// GetAuthenticatorEnrollment returns the authenticator enrollment with the
// given id of the user with the given id. opts may be nil.
func (c *Client) GetAuthenticatorEnrollment(ctx context.Context, userID, enrollmentID string, opts *GetAuthenticatorEnrollmentOptions) (*AuthenticatorEnrollment, error) {
	const op = "GetAuthenticatorEnrollment"
	if err := checkIDs(op, "userID", userID, "enrollmentID", enrollmentID); err != nil {
		return nil, err
	}
	var params *okta.GetAuthenticatorEnrollmentParams
	if opts != nil && len(opts.DiscloseIdentifiers) > 0 {
		params = &okta.GetAuthenticatorEnrollmentParams{DiscloseIdentifiers: Ptr(append([]string(nil), opts.DiscloseIdentifiers...))}
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewGetAuthenticatorEnrollmentRequest(c.server, userID, enrollmentID, params)
	}, decodeJSON[AuthenticatorEnrollment])
}

// CreateAuthenticatorEnrollment enrolls the phone authenticator for the
// user with the given id with the phone number in req, and returns the
// enrollment.
func (c *Client) CreateAuthenticatorEnrollment(ctx context.Context, userID string, req AuthenticatorEnrollmentCreateRequest) (*AuthenticatorEnrollment, error) {
	const op = "CreateAuthenticatorEnrollment"
	if err := checkID(op, "userID", userID); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewCreateAuthenticatorEnrollmentRequest(c.server, userID, req)
	}, decodeJSON[AuthenticatorEnrollment])
}

// CreateTACAuthenticatorEnrollment creates a temporary access code for the
// user with the given id and returns the enrollment with the code (a
// secret: Okta returns it only this once).
func (c *Client) CreateTACAuthenticatorEnrollment(ctx context.Context, userID string, req TACAuthenticatorEnrollmentCreateRequest) (*TACAuthenticatorEnrollment, error) {
	const op = "CreateTACAuthenticatorEnrollment"
	if err := checkID(op, "userID", userID); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewCreateTacAuthenticatorEnrollmentRequest(c.server, userID, req)
	}, decodeJSON[TACAuthenticatorEnrollment])
}

// DeleteAuthenticatorEnrollment removes the authenticator enrollment with
// the given id from the user with the given id.
func (c *Client) DeleteAuthenticatorEnrollment(ctx context.Context, userID, enrollmentID string) error {
	const op = "DeleteAuthenticatorEnrollment"
	if err := checkIDs(op, "userID", userID, "enrollmentID", enrollmentID); err != nil {
		return err
	}
	return callNoContent(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewDeleteAuthenticatorEnrollmentRequest(c.server, userID, enrollmentID)
	})
}

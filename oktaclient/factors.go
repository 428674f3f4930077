package oktaclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/wrappers"
)

// UserFactor is a factor a user has enrolled (or is enrolling): one of the
// concrete types generated for each factorType Okta documents
// ([*SMSFactor], [*PushFactor], [*TOTPFactor], …), or [*UnknownUserFactor]
// for a factorType this version does not know. Values decoded from Okta
// encode back without loss, like [Authenticator]. The interface is sealed.
type UserFactor interface {
	// FactorType returns the factor's type, such as FactorSMS.
	FactorType() FactorType
	// Common returns the fields every factor has, as plain values.
	Common() UserFactorCommon
	// Raw returns the JSON the value was decoded from (nil for a value built
	// in Go). It must not be modified.
	Raw() json.RawMessage
	// MarshalJSON encodes the factor without loss.
	MarshalJSON() ([]byte, error)
	// Links returns the HAL links (_links). Decoding does not fill the
	// model's UnderscoreLinks field (most callers never read the links):
	// Links decodes them from Raw on each call, or returns UnderscoreLinks
	// when it has been set. nil when there are none.
	Links() (*UserFactorLinks, error)

	isUserFactor()
}

// FactorType is the type of a user factor, such as "sms" ([FactorSMS]) or
// "token:software:totp" ([FactorTokenSoftwareTOTP]).
type FactorType = okta.UserFactorType

// UserFactorStatus is the status of a factor, such as ACTIVE or
// PENDING_ACTIVATION.
type UserFactorStatus = okta.UserFactorStatus

// UserFactorProvider is the provider of a factor, such as OKTA or GOOGLE.
type UserFactorProvider = okta.UserFactorProvider

// UserFactorBase is the generated model of the fields every factor has;
// [UnknownUserFactor] embeds it.
type UserFactorBase = okta.UserFactorBase

// UserFactorLinks are the HAL links of a factor or factor transaction.
type UserFactorLinks = okta.UserFactorLinks

// Re-exported generated types of the factor operations.
type (
	// SupportedFactor is a factor the user may enroll
	// ([Client.ListSupportedFactors]).
	SupportedFactor = okta.UserFactorSupported
	// SecurityQuestion is a security question a user may choose
	// ([Client.ListSupportedSecurityQuestions]).
	SecurityQuestion = okta.UserFactorSecurityQuestionProfile
	// FactorActivateRequest is the proof that completes a factor's
	// activation ([Client.ActivateFactor]).
	FactorActivateRequest = okta.UserFactorActivateRequest
	// FactorVerifyRequest is the proof for a factor verification
	// ([Client.VerifyFactor]).
	FactorVerifyRequest = okta.UserFactorVerifyRequest
	// FactorVerifyResponse is the result of a verification, or the
	// challenge that was issued ([Client.VerifyFactor]); FactorResult is
	// WAITING for a push challenge that was sent.
	FactorVerifyResponse = okta.UserFactorVerifyResponse
	// FactorVerifyResult is the result of a factor verification, such as
	// SUCCESS, CHALLENGE or WAITING.
	FactorVerifyResult = okta.UserFactorVerifyResult
	// FactorVerifyEmbedded holds the challenge of a verification answer.
	FactorVerifyEmbedded = okta.UserFactorVerifyEmbedded
	// FactorVerifyChallenge is the challenge that was issued.
	FactorVerifyChallenge = okta.UserFactorVerifyChallenge
	// FactorTransaction is the state of a push verification transaction
	// ([Client.GetFactorTransactionStatus]).
	FactorTransaction = okta.UserFactorPushTransaction
	// FactorResendProfile is the optional profile sent with
	// [Client.ResendEnrollFactor] (see [ResendEnrollFactorOptions]).
	FactorResendProfile = okta.UserFactorResendProfile
)

// Activation returns what an authenticator app needs to finish the
// enrollment (_embedded.activation: the shared secret, its encoding, time
// step and key length, and a QR code link), or nil when Okta sent none.
// Okta sends it only while the factor is PENDING_ACTIVATION, typically in
// the answer of [Client.EnrollFactor].
func (x *TOTPFactor) Activation() *UserFactorTotpActivation {
	if x == nil || x.UnderscoreEmbedded == nil {
		return nil
	}
	return x.UnderscoreEmbedded.Activation
}

// SharedSecret returns the TOTP shared secret of a factor awaiting
// activation (_embedded.activation.sharedSecret, base32 as Okta sends it),
// or "" when Okta sent none. It is a secret: do not log it.
func (x *TOTPFactor) SharedSecret() string {
	if a := x.Activation(); a != nil {
		return deref(a.SharedSecret)
	}
	return ""
}

// UserFactorCommon holds the fields every factor has, as plain values (zero
// when Okta did not send them). It is a copy: to change a field, set it on
// the concrete type.
type UserFactorCommon struct {
	// ID is the factor's id, such as "mbl1nz9JHJGHWRKMTLHP".
	ID string
	// Status is the factor's status, such as ACTIVE or PENDING_ACTIVATION.
	Status UserFactorStatus
	// Provider is the factor's provider, such as OKTA or GOOGLE.
	Provider UserFactorProvider
	// VendorName is the factor's vendor, such as "OKTA" or "YUBICO".
	VendorName string
	// Created is when the factor was enrolled.
	Created time.Time
	// LastUpdated is when the factor was last changed.
	LastUpdated time.Time
}

func userFactorCommon(id *string, status *UserFactorStatus, provider UserFactorProvider, vendor *string, created, updated *time.Time) UserFactorCommon {
	return UserFactorCommon{
		ID:          deref(id),
		Status:      deref(status),
		Provider:    provider,
		VendorName:  deref(vendor),
		Created:     deref(created),
		LastUpdated: deref(updated),
	}
}

func provider[P ~string](p *P) UserFactorProvider {
	if p == nil {
		return ""
	}
	return UserFactorProvider(*p)
}

type userFactorMember interface {
	UserFactor
	decode(raw json.RawMessage) error
}

// UnknownUserFactor is a factor whose factorType this version does not
// know, or one that could not be decoded as the type it names (then Err says
// why). Everything is kept in Raw and encoded back without loss.
type UnknownUserFactor struct {
	UserFactorBase
	factorType string
	raw        json.RawMessage
	err        error
}

func (*UnknownUserFactor) isUserFactor() {}

// FactorType returns the factorType Okta sent ("" if there was none).
func (x *UnknownUserFactor) FactorType() FactorType { return FactorType(x.factorType) }

// Common returns the fields every factor has.
func (x *UnknownUserFactor) Common() UserFactorCommon {
	m := &x.UserFactorBase
	var p UserFactorProvider
	if v, ok, err := peekDiscriminator(x.raw, "provider"); ok && err == nil {
		p = UserFactorProvider(v)
	}
	return userFactorCommon(m.Id, m.Status, p, m.VendorName, m.Created, m.LastUpdated)
}

// Raw returns the JSON the value was decoded from. It must not be modified.
func (x *UnknownUserFactor) Raw() json.RawMessage { return x.raw }

// Err returns why the value could not be decoded as a known type, or nil
// when its factorType is simply unknown.
func (x *UnknownUserFactor) Err() error { return x.err }

// Links returns the value's HAL links (_links), decoded with its common
// fields, or nil when there are none.
func (x *UnknownUserFactor) Links() (*UserFactorLinks, error) {
	return lazyLinks(x.UnderscoreLinks, x.raw)
}

// MarshalJSON encodes the value without loss.
func (x UnknownUserFactor) MarshalJSON() ([]byte, error) {
	return wrappers.MarshalLossless(x.raw, x.UserFactorBase, nil)
}

// UnmarshalJSON decodes data into the value and keeps a copy of it.
func (x *UnknownUserFactor) UnmarshalJSON(data []byte) error {
	raw := bytes.Clone(data)
	ft, _, err := peekDiscriminator(raw, "factorType")
	*x = *newUnknownUserFactor(raw, string(ft), err)
	return x.err
}

func newUnknownUserFactor(raw json.RawMessage, factorType string, err error) *UnknownUserFactor {
	u := &UnknownUserFactor{factorType: factorType, raw: raw, err: err}
	if e := json.Unmarshal(raw, &u.UserFactorBase); e != nil && u.err == nil {
		u.err = e
	}
	return u
}

// UnmarshalUserFactor decodes one factor: it reads the factorType, then
// decodes data once into the concrete type for it. An unknown factorType
// gives an [*UnknownUserFactor] and no error; data that cannot be decoded
// gives one carrying it and the error (also returned). The value keeps data:
// do not modify data afterwards.
func UnmarshalUserFactor(data []byte) (UserFactor, error) {
	ft, _, err := peekDiscriminator(data, "factorType")
	if err == nil {
		if m := newUserFactorMember(ft); m != nil {
			if err = m.decode(data); err == nil {
				return m, nil
			}
		}
	}
	u := newUnknownUserFactor(data, string(ft), err)
	return u, u.err
}

func decodeFactorResult(body []byte) (UserFactor, error) {
	f, err := UnmarshalUserFactor(body)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// EnrollFactorOptions are the optional parameters of [Client.EnrollFactor].
type EnrollFactorOptions struct {
	// UpdatePhone replaces the phone number the user has registered
	// (ignored when it belongs to an active factor).
	UpdatePhone bool
	// TemplateID is the id of a custom SMS template (sms factors only).
	TemplateID string
	// TokenLifetime is how long the OTP that is sent stays valid (whole
	// seconds; 0 means Okta's default).
	TokenLifetime time.Duration
	// Activate activates the factor as part of the enrollment (sms, call,
	// email and token:hotp).
	Activate bool
	// AcceptLanguage is the ISO 639-1 language of the SMS message (sms
	// factors only).
	AcceptLanguage string
}

// ResendEnrollFactorOptions are the optional parameters of
// [Client.ResendEnrollFactor].
type ResendEnrollFactorOptions struct {
	// TemplateID is the id of a custom SMS template (sms factors only).
	TemplateID string
	// Profile is the factor's profile as it was enrolled (phone number or
	// email address). Okta identifies the factor by its id and does not
	// need it; nil sends none.
	Profile *FactorResendProfile
}

// resendableFactorTypes are the factor types whose enrollment OTP can be
// sent again.
var resendableFactorTypes = []FactorType{FactorSMS, FactorCall, FactorEmail}

// UnenrollFactorOptions are the optional parameters of
// [Client.UnenrollFactor].
type UnenrollFactorOptions struct {
	// RemoveRecoveryEnrollment also removes the phone number as a recovery
	// method (sms and call factors only).
	RemoveRecoveryEnrollment bool
}

// VerifyFactorOptions are the optional parameters of [Client.VerifyFactor].
type VerifyFactorOptions struct {
	// TemplateID is the id of a custom SMS template (sms factors only).
	TemplateID string
	// TokenLifetime is how long the OTP that is sent stays valid (whole
	// seconds; 0 means Okta's default).
	TokenLifetime time.Duration
	// XForwardedFor is the public IP address of the user's user agent.
	XForwardedFor string
	// UserAgent is the user's user agent; required to verify push factors.
	// It is sent as the User-Agent header instead of the client's own.
	UserAgent string
	// AcceptLanguage is the ISO 639-1 language of the SMS message (sms
	// factors only).
	AcceptLanguage string
}

// ListFactors returns the factors the user with the given id has enrolled.
// A factor of a type this version does not know, or one that does not
// decode, is an [*UnknownUserFactor] in its place.
func (c *Client) ListFactors(ctx context.Context, userID string) ([]UserFactor, error) {
	l, err := c.listFactorsPages(userID)
	if err != nil {
		return nil, err
	}
	return collect(ctx, c, l)
}

// ListFactorsIter is [Client.ListFactors] as an iterator that fetches pages
// as it goes and stops at the first error.
func (c *Client) ListFactorsIter(ctx context.Context, userID string) iter.Seq2[UserFactor, error] {
	l, err := c.listFactorsPages(userID)
	if err != nil {
		return failed[UserFactor](err)
	}
	return iterate(ctx, c, l)
}

func (c *Client) listFactorsPages(userID string) (lister[UserFactor], error) {
	const op = "ListFactors"
	if err := checkID(op, "userID", userID); err != nil {
		return lister[UserFactor]{}, err
	}
	return lister[UserFactor]{
		op:     op,
		first:  func() (*httpRequest, error) { return c.newGET("api/v1/users/", userID, "/factors") },
		decode: func(b []byte) ([]UserFactor, error) { return decodeList(b, UnmarshalUserFactor) },
	}, nil
}

// ListSupportedFactors returns the factors the user with the given id may
// enroll.
func (c *Client) ListSupportedFactors(ctx context.Context, userID string) ([]SupportedFactor, error) {
	l, err := c.listSupportedFactorsPages(userID)
	if err != nil {
		return nil, err
	}
	return collect(ctx, c, l)
}

// ListSupportedFactorsIter is [Client.ListSupportedFactors] as an iterator.
func (c *Client) ListSupportedFactorsIter(ctx context.Context, userID string) iter.Seq2[SupportedFactor, error] {
	l, err := c.listSupportedFactorsPages(userID)
	if err != nil {
		return failed[SupportedFactor](err)
	}
	return iterate(ctx, c, l)
}

func (c *Client) listSupportedFactorsPages(userID string) (lister[SupportedFactor], error) {
	const op = "ListSupportedFactors"
	if err := checkID(op, "userID", userID); err != nil {
		return lister[SupportedFactor]{}, err
	}
	return lister[SupportedFactor]{
		op:     op,
		first:  func() (*httpRequest, error) { return okta.NewListSupportedFactorsRequest(c.server, userID) },
		decode: decodePlainList[SupportedFactor],
	}, nil
}

// ListSupportedSecurityQuestions returns the security questions the user
// with the given id may choose from.
func (c *Client) ListSupportedSecurityQuestions(ctx context.Context, userID string) ([]SecurityQuestion, error) {
	l, err := c.listSupportedSecurityQuestionsPages(userID)
	if err != nil {
		return nil, err
	}
	return collect(ctx, c, l)
}

// ListSupportedSecurityQuestionsIter is
// [Client.ListSupportedSecurityQuestions] as an iterator.
func (c *Client) ListSupportedSecurityQuestionsIter(ctx context.Context, userID string) iter.Seq2[SecurityQuestion, error] {
	l, err := c.listSupportedSecurityQuestionsPages(userID)
	if err != nil {
		return failed[SecurityQuestion](err)
	}
	return iterate(ctx, c, l)
}

func (c *Client) listSupportedSecurityQuestionsPages(userID string) (lister[SecurityQuestion], error) {
	const op = "ListSupportedSecurityQuestions"
	if err := checkID(op, "userID", userID); err != nil {
		return lister[SecurityQuestion]{}, err
	}
	return lister[SecurityQuestion]{
		op:     op,
		first:  func() (*httpRequest, error) { return okta.NewListSupportedSecurityQuestionsRequest(c.server, userID) },
		decode: decodePlainList[SecurityQuestion],
	}, nil
}

// GetFactor returns the factor with the given id of the user with the given
// id.
func (c *Client) GetFactor(ctx context.Context, userID, factorID string) (UserFactor, error) {
	const op = "GetFactor"
	if err := checkIDs(op, "userID", userID, "factorID", factorID); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return c.newGET("api/v1/users/", userID, "/factors/", factorID)
	}, decodeFactorResult)
}

// EnrollFactor enrolls factor f (its factorType, provider and profile) for
// the user with the given id and returns the new factor, usually
// PENDING_ACTIVATION with what the user needs to activate it in
// _embedded.activation (typed for TOTP: [TOTPFactor.SharedSecret],
// [TOTPFactor.Activation]). opts may be nil.
func (c *Client) EnrollFactor(ctx context.Context, userID string, f UserFactor, opts *EnrollFactorOptions) (UserFactor, error) {
	const op = "EnrollFactor"
	if err := checkID(op, "userID", userID); err != nil {
		return nil, err
	}
	body, err := encodeBody(op, "factor", f)
	if err != nil {
		return nil, err
	}
	var params *okta.EnrollFactorParams
	if opts != nil {
		if err := checkHeaderValues(op, opts.AcceptLanguage); err != nil {
			return nil, err
		}
		params = &okta.EnrollFactorParams{
			UpdatePhone:          ptrIf(opts.UpdatePhone, true),
			TemplateId:           ptrIf(opts.TemplateID != "", opts.TemplateID),
			TokenLifetimeSeconds: ptrIf(opts.TokenLifetime > 0, int(opts.TokenLifetime/time.Second)),
			Activate:             ptrIf(opts.Activate, true),
			AcceptLanguage:       ptrIf(opts.AcceptLanguage != "", opts.AcceptLanguage),
		}
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewEnrollFactorRequestWithBody(c.server, userID, params, jsonContentType, bytes.NewReader(body))
	}, decodeFactorResult)
}

// ActivateFactor completes the activation of the factor with the given id
// of the user with the given id with the proof in req (a passCode for call,
// email, sms and token:software:totp; nothing for push) and returns the
// factor. A refused passcode is an *Error with Status 403 and ErrorCode
// [CodeInvalidPasscode] (wrong) or [CodePasscodeReplayed] (a TOTP code
// already used).
func (c *Client) ActivateFactor(ctx context.Context, userID, factorID string, req FactorActivateRequest) (UserFactor, error) {
	const op = "ActivateFactor"
	if err := checkIDs(op, "userID", userID, "factorID", factorID); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewActivateFactorRequest(c.server, userID, factorID, req)
	}, decodeFactorResult)
}

// ResendEnrollFactor sends the enrollment OTP of the factor with the given
// id of the user with the given id again and returns the factor, still
// PENDING_ACTIVATION. factorType is the factor's type: only [FactorSMS],
// [FactorCall] and [FactorEmail] enrollments can be resent; another type is
// refused with [ErrInvalidArgument] before anything is sent. Okta sends at
// most one OTP per device every 30 seconds: sooner, it answers 429
// E0000109. opts may be nil.
func (c *Client) ResendEnrollFactor(ctx context.Context, userID, factorID string, factorType FactorType, opts *ResendEnrollFactorOptions) (UserFactor, error) {
	const op = "ResendEnrollFactor"
	if err := checkIDs(op, "userID", userID, "factorID", factorID); err != nil {
		return nil, err
	}
	if !slices.Contains(resendableFactorTypes, factorType) {
		return nil, fmt.Errorf("oktaclient: %s: factorType %q cannot be resent (only sms, call and email): %w", op, factorType, ErrInvalidArgument)
	}
	req := okta.UserFactorResendRequest{FactorType: factorType, Provider: Ptr(okta.UserFactorProviderOKTA)}
	var params *okta.ResendEnrollFactorParams
	if opts != nil {
		req.Profile = opts.Profile
		if opts.TemplateID != "" {
			params = &okta.ResendEnrollFactorParams{TemplateId: Ptr(opts.TemplateID)}
		}
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewResendEnrollFactorRequest(c.server, userID, factorID, params, req)
	}, decodeFactorResult)
}

// UnenrollFactor removes the factor with the given id from the user with
// the given id. opts may be nil.
func (c *Client) UnenrollFactor(ctx context.Context, userID, factorID string, opts *UnenrollFactorOptions) error {
	const op = "UnenrollFactor"
	if err := checkIDs(op, "userID", userID, "factorID", factorID); err != nil {
		return err
	}
	var params *okta.UnenrollFactorParams
	if opts != nil && opts.RemoveRecoveryEnrollment {
		params = &okta.UnenrollFactorParams{RemoveRecoveryEnrollment: Ptr(true)}
	}
	return callNoContent(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewUnenrollFactorRequest(c.server, userID, factorID, params)
	})
}

// VerifyFactor verifies the factor with the given id of the user with the
// given id with the proof in req (a passCode, an answer, or nothing to have
// an OTP or push sent) and returns the result: FactorResult SUCCESS,
// CHALLENGE (an OTP or challenge was sent), WAITING (a push was sent; poll
// GetFactorTransactionStatus), or a failure such as REJECTED. A refused
// proof is an *Error with Status 403: ErrorCode [CodeInvalidPasscode] for a
// wrong passcode or answer, [CodePasscodeReplayed] for a TOTP code already
// used. opts may be nil.
func (c *Client) VerifyFactor(ctx context.Context, userID, factorID string, req FactorVerifyRequest, opts *VerifyFactorOptions) (*FactorVerifyResponse, error) {
	const op = "VerifyFactor"
	if err := checkIDs(op, "userID", userID, "factorID", factorID); err != nil {
		return nil, err
	}
	var params *okta.VerifyFactorParams
	if opts != nil {
		if err := checkHeaderValues(op, opts.XForwardedFor, opts.UserAgent, opts.AcceptLanguage); err != nil {
			return nil, err
		}
		params = &okta.VerifyFactorParams{
			TemplateId:           ptrIf(opts.TemplateID != "", opts.TemplateID),
			TokenLifetimeSeconds: ptrIf(opts.TokenLifetime > 0, int(opts.TokenLifetime/time.Second)),
			XForwardedFor:        ptrIf(opts.XForwardedFor != "", opts.XForwardedFor),
			UserAgent:            ptrIf(opts.UserAgent != "", opts.UserAgent),
			AcceptLanguage:       ptrIf(opts.AcceptLanguage != "", opts.AcceptLanguage),
		}
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewVerifyFactorRequest(c.server, userID, factorID, params, req)
	}, decodeJSON[FactorVerifyResponse])
}

// GetFactorTransactionStatus returns the state of the push verification
// transaction with the given id (from the poll link of a WAITING
// VerifyFactor answer): WAITING, SUCCESS, REJECTED or TIMEOUT.
func (c *Client) GetFactorTransactionStatus(ctx context.Context, userID, factorID, transactionID string) (*FactorTransaction, error) {
	const op = "GetFactorTransactionStatus"
	if err := checkIDs(op, "userID", userID, "factorID", factorID, "transactionID", transactionID); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewGetFactorTransactionStatusRequest(c.server, userID, factorID, transactionID)
	}, decodeJSON[FactorTransaction])
}

// errNoObject is the decoding error of a single-object result whose body
// is empty or JSON null: json.Unmarshal would accept null and leave a zero
// value, which a caller could not tell from a real (empty) object.
var errNoObject = errors.New("oktaclient: the body is empty or null, not a JSON object")

// decodeJSON decodes a body into a new T, refusing an empty or null body
// (errNoObject).
func decodeJSON[T any](body []byte) (*T, error) {
	if b := bytes.TrimSpace(body); len(b) == 0 || string(b) == "null" {
		return nil, errNoObject
	}
	v := new(T)
	if err := json.Unmarshal(body, v); err != nil {
		return nil, err
	}
	return v, nil
}

// ptrIf returns &v when cond holds, else nil.
func ptrIf[T any](cond bool, v T) *T {
	if !cond {
		return nil
	}
	return &v
}

// checkHeaderValues refuses header values that would break the header.
func checkHeaderValues(op string, values ...string) error {
	for _, v := range values {
		if strings.ContainsAny(v, "\r\n\x00") {
			return fmt.Errorf("oktaclient: %s: header value with a control character: %w", op, ErrInvalidArgument)
		}
	}
	return nil
}

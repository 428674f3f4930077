package oktaclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/wrappers"
)

// Authenticator is an org-wide authenticator: one of the concrete types
// generated for each key Okta documents ([*OktaVerifyAuthenticator],
// [*PhoneAuthenticator], [*WebAuthnAuthenticator], …), or
// [*UnknownAuthenticator] for a key this version does not know. Use a type
// switch to reach a member's own fields (settings, provider), and Common for
// the fields they all share.
//
// Every value decoded from Okta keeps the JSON it came from: json.Marshal of
// it gives back every field Okta sent, known or not, at any depth, with only
// the fields changed since overlaid. That is what makes
// GetAuthenticator → change a field → ReplaceAuthenticator safe.
//
// The interface is sealed: only this package's types implement it.
type Authenticator interface {
	// Key returns the authenticator's key, such as KeyOktaVerify.
	Key() AuthenticatorKey
	// Common returns the fields every authenticator has, as plain values.
	Common() AuthenticatorCommon
	// Raw returns the JSON the value was decoded from (nil for a value built
	// in Go). It must not be modified.
	Raw() json.RawMessage
	// MarshalJSON encodes the authenticator without loss.
	MarshalJSON() ([]byte, error)
	// Links returns the HAL links (_links). Decoding does not fill the
	// model's UnderscoreLinks field (most callers never read the links):
	// Links decodes them from Raw on each call, or returns UnderscoreLinks
	// when it has been set. nil when there are none.
	Links() (*AuthenticatorLinks, error)

	isAuthenticator()
}

// AuthenticatorKey names the kind of an authenticator, such as
// "okta_verify" ([KeyOktaVerify]).
type AuthenticatorKey = okta.AuthenticatorKeyEnum

// LifecycleStatus is ACTIVE or INACTIVE ([LifecycleStatusActive],
// [LifecycleStatusInactive]).
type LifecycleStatus = okta.LifecycleStatus

// The lifecycle statuses of authenticators and their methods.
const (
	LifecycleStatusActive   LifecycleStatus = okta.LifecycleStatusACTIVE
	LifecycleStatusInactive LifecycleStatus = okta.LifecycleStatusINACTIVE
)

// AuthenticatorType is the broad type of an authenticator, such as "app",
// "phone" or "security_key".
type AuthenticatorType = okta.AuthenticatorType

// AuthenticatorBase is the generated model of the fields every authenticator
// has; [UnknownAuthenticator] embeds it.
type AuthenticatorBase = okta.AuthenticatorBase

// AuthenticatorLinks are the HAL links of an authenticator.
type AuthenticatorLinks = okta.AuthenticatorLinks

// HrefObject is a HAL link.
type HrefObject = okta.HrefObject

// AuthenticatorCommon holds the fields every authenticator has, as plain
// values (zero when Okta did not send them). It is a copy: to change a
// field, set it on the concrete type.
type AuthenticatorCommon struct {
	// ID is the authenticator's id, such as "aut1nd8PQhGcQtSxB0g4".
	ID string
	// Name is the display name, such as "Okta Verify".
	Name string
	// Description is the admin's description, if any.
	Description string
	// Status is ACTIVE or INACTIVE.
	Status LifecycleStatus
	// Type is the broad type, such as "app", "phone" or "security_key".
	Type AuthenticatorType
	// Created is when the authenticator was created.
	Created time.Time
	// LastUpdated is when the authenticator was last changed.
	LastUpdated time.Time
}

func authenticatorCommon(id, name, desc *string, status *LifecycleStatus, typ *AuthenticatorType, created, updated *time.Time) AuthenticatorCommon {
	return AuthenticatorCommon{
		ID:          deref(id),
		Name:        deref(name),
		Description: deref(desc),
		Status:      deref(status),
		Type:        deref(typ),
		Created:     deref(created),
		LastUpdated: deref(updated),
	}
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// authenticatorMember is implemented by the generated concrete types.
type authenticatorMember interface {
	Authenticator
	decode(raw json.RawMessage) error
}

// UnknownAuthenticator is an authenticator whose key this version does not
// know, or one that could not be decoded as the type its key names (then
// Err says why). Its common fields are decoded into the embedded
// [AuthenticatorBase]; everything is kept in Raw and encoded back without
// loss.
type UnknownAuthenticator struct {
	AuthenticatorBase
	key string
	raw json.RawMessage
	err error
}

func (*UnknownAuthenticator) isAuthenticator() {}

// Key returns the key Okta sent ("" if there was none).
func (x *UnknownAuthenticator) Key() AuthenticatorKey { return AuthenticatorKey(x.key) }

// Common returns the fields every authenticator has.
func (x *UnknownAuthenticator) Common() AuthenticatorCommon {
	m := &x.AuthenticatorBase
	return authenticatorCommon(m.Id, m.Name, m.Description, m.Status, m.Type, m.Created, m.LastUpdated)
}

// Raw returns the JSON the value was decoded from. It must not be modified.
func (x *UnknownAuthenticator) Raw() json.RawMessage { return x.raw }

// Err returns why the value could not be decoded as a known type, or nil
// when its key is simply unknown.
func (x *UnknownAuthenticator) Err() error { return x.err }

// Links returns the value's HAL links (_links), decoded with its common
// fields, or nil when there are none.
func (x *UnknownAuthenticator) Links() (*AuthenticatorLinks, error) {
	return lazyLinks(x.UnderscoreLinks, x.raw)
}

// MarshalJSON encodes the value without loss.
func (x UnknownAuthenticator) MarshalJSON() ([]byte, error) {
	return wrappers.MarshalLossless(x.raw, x.AuthenticatorBase, nil)
}

// UnmarshalJSON decodes data (any authenticator) into the value and keeps a
// copy of it.
func (x *UnknownAuthenticator) UnmarshalJSON(data []byte) error {
	raw := bytes.Clone(data)
	key, _, err := peekDiscriminator(raw, "key")
	*x = *newUnknownAuthenticator(raw, string(key), err)
	return x.err
}

func newUnknownAuthenticator(raw json.RawMessage, key string, err error) *UnknownAuthenticator {
	u := &UnknownAuthenticator{key: key, raw: raw, err: err}
	if e := json.Unmarshal(raw, &u.AuthenticatorBase); e != nil && u.err == nil {
		u.err = e
	}
	return u
}

// UnmarshalAuthenticator decodes one authenticator: it reads the key, then
// decodes data once into the concrete type for it. An unknown key gives an
// [*UnknownAuthenticator] and no error. Data that cannot be decoded gives an
// *UnknownAuthenticator carrying it and the error (also returned). The value
// keeps data without copying it: do not modify data afterwards.
func UnmarshalAuthenticator(data []byte) (Authenticator, error) {
	key, _, err := peekDiscriminator(data, "key")
	if err == nil {
		if m := newAuthenticatorMember(key); m != nil {
			if err = m.decode(data); err == nil {
				return m, nil
			}
		}
	}
	u := newUnknownAuthenticator(data, string(key), err)
	return u, u.err
}

func decodeAuthenticatorResult(body []byte) (Authenticator, error) {
	a, err := UnmarshalAuthenticator(body)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// CreateAuthenticatorOptions are the optional parameters of
// [Client.CreateAuthenticator].
type CreateAuthenticatorOptions struct {
	// Inactive creates the authenticator without activating it (Okta
	// activates new authenticators by default); sends activate=false.
	Inactive bool
}

// ListAuthenticators returns every authenticator of the org. An authenticator
// with a key this version does not know, or one that does not decode, is an
// [*UnknownAuthenticator] in its place; it never fails or empties the list.
func (c *Client) ListAuthenticators(ctx context.Context) ([]Authenticator, error) {
	return collect(ctx, c, c.listAuthenticatorsPages())
}

// ListAuthenticatorsIter is [Client.ListAuthenticators] as an iterator that
// fetches pages as it goes and stops at the first error.
func (c *Client) ListAuthenticatorsIter(ctx context.Context) iter.Seq2[Authenticator, error] {
	return iterate(ctx, c, c.listAuthenticatorsPages())
}

func (c *Client) listAuthenticatorsPages() lister[Authenticator] {
	return lister[Authenticator]{
		op:     "ListAuthenticators",
		first:  func() (*httpRequest, error) { return c.newGET("api/v1/authenticators") },
		decode: func(b []byte) ([]Authenticator, error) { return decodeList(b, UnmarshalAuthenticator) },
	}
}

// GetAuthenticator returns the authenticator with the given id.
func (c *Client) GetAuthenticator(ctx context.Context, authenticatorID string) (Authenticator, error) {
	const op = "GetAuthenticator"
	if err := checkID(op, "authenticatorID", authenticatorID); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return c.newGET("api/v1/authenticators/", authenticatorID)
	}, decodeAuthenticatorResult)
}

// CreateAuthenticator adds authenticator a to the org (activated unless
// opts.Inactive) and returns it as Okta stored it. opts may be nil.
func (c *Client) CreateAuthenticator(ctx context.Context, a Authenticator, opts *CreateAuthenticatorOptions) (Authenticator, error) {
	const op = "CreateAuthenticator"
	body, err := encodeBody(op, "authenticator", a)
	if err != nil {
		return nil, err
	}
	var params *okta.CreateAuthenticatorParams
	if opts != nil && opts.Inactive {
		params = &okta.CreateAuthenticatorParams{Activate: Ptr(false)}
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewCreateAuthenticatorRequestWithBody(c.server, params, jsonContentType, bytes.NewReader(body))
	}, decodeAuthenticatorResult)
}

// ReplaceAuthenticator replaces the writable properties (name, settings,
// provider) of the authenticator with the given id with those of a, and
// returns the result. Pass a value from GetAuthenticator or
// ListAuthenticators with the fields you want changed: everything else is
// sent back exactly as Okta sent it, including fields this version does not
// know.
func (c *Client) ReplaceAuthenticator(ctx context.Context, authenticatorID string, a Authenticator) (Authenticator, error) {
	const op = "ReplaceAuthenticator"
	if err := checkID(op, "authenticatorID", authenticatorID); err != nil {
		return nil, err
	}
	body, err := encodeBody(op, "authenticator", a)
	if err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewReplaceAuthenticatorRequestWithBody(c.server, authenticatorID, jsonContentType, bytes.NewReader(body))
	}, decodeAuthenticatorResult)
}

// ActivateAuthenticator activates the authenticator with the given id and
// returns it.
func (c *Client) ActivateAuthenticator(ctx context.Context, authenticatorID string) (Authenticator, error) {
	const op = "ActivateAuthenticator"
	if err := checkID(op, "authenticatorID", authenticatorID); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewActivateAuthenticatorRequest(c.server, authenticatorID)
	}, decodeAuthenticatorResult)
}

// DeactivateAuthenticator deactivates the authenticator with the given id
// and returns it.
func (c *Client) DeactivateAuthenticator(ctx context.Context, authenticatorID string) (Authenticator, error) {
	const op = "DeactivateAuthenticator"
	if err := checkID(op, "authenticatorID", authenticatorID); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewDeactivateAuthenticatorRequest(c.server, authenticatorID)
	}, decodeAuthenticatorResult)
}

// encodeBody encodes a request body, refusing a nil one.
func encodeBody(op, what string, v interface{ MarshalJSON() ([]byte, error) }) ([]byte, error) {
	if isNil(v) {
		return nil, fmt.Errorf("oktaclient: %s: nil %s: %w", op, what, ErrInvalidArgument)
	}
	b, err := v.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("oktaclient: %s: encoding the %s: %w", op, what, err)
	}
	return b, nil
}

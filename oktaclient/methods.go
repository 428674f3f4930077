package oktaclient

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"

	"github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/wrappers"
)

// AuthenticatorMethod is one method of an authenticator: one of the concrete
// types generated for each type Okta documents ([*PushMethod],
// [*SMSMethod], [*WebAuthnMethod], …), or [*UnknownAuthenticatorMethod] for
// a type this version does not know. Values decoded from Okta encode back
// without loss, like [Authenticator]. The interface is sealed.
type AuthenticatorMethod interface {
	// Type returns the method's type, such as MethodPush.
	Type() AuthenticatorMethodType
	// Common returns the fields every method has, as plain values.
	Common() AuthenticatorMethodCommon
	// Raw returns the JSON the value was decoded from (nil for a value built
	// in Go). It must not be modified.
	Raw() json.RawMessage
	// MarshalJSON encodes the method without loss.
	MarshalJSON() ([]byte, error)
	// Links returns the HAL links (_links). Decoding does not fill the
	// model's UnderscoreLinks field (most callers never read the links):
	// Links decodes them from Raw on each call, or returns UnderscoreLinks
	// when it has been set. nil when there are none.
	Links() (*AuthenticatorMethodLinks, error)

	isAuthenticatorMethod()
}

// AuthenticatorMethodType is the type of an authenticator method, such as
// "push" ([MethodPush]).
type AuthenticatorMethodType = okta.AuthenticatorMethodType

// AuthenticatorMethodBase is the generated model of the fields every
// authenticator method has; [UnknownAuthenticatorMethod] embeds it.
type AuthenticatorMethodBase = okta.AuthenticatorMethodBase

// AuthenticatorMethodCommon holds the fields every authenticator method has,
// as plain values. It is a copy: to change a field, set it on the concrete
// type.
type AuthenticatorMethodCommon struct {
	// Status is ACTIVE or INACTIVE.
	Status LifecycleStatus
}

func authenticatorMethodCommon(status *LifecycleStatus) AuthenticatorMethodCommon {
	return AuthenticatorMethodCommon{Status: deref(status)}
}

type authenticatorMethodMember interface {
	AuthenticatorMethod
	decode(raw json.RawMessage) error
}

// AuthenticatorMethodLinks are the HAL links of an authenticator method.
type AuthenticatorMethodLinks = okta.AuthenticatorMethodLinks

// UnknownAuthenticatorMethod is a method whose type this version does not
// know, or one that could not be decoded as the type it names (then Err
// says why). Everything is kept in Raw and encoded back without loss.
type UnknownAuthenticatorMethod struct {
	AuthenticatorMethodBase
	typ string
	raw json.RawMessage
	err error
}

func (*UnknownAuthenticatorMethod) isAuthenticatorMethod() {}

// Type returns the type Okta sent ("" if there was none).
func (x *UnknownAuthenticatorMethod) Type() AuthenticatorMethodType {
	return AuthenticatorMethodType(x.typ)
}

// Common returns the fields every method has.
func (x *UnknownAuthenticatorMethod) Common() AuthenticatorMethodCommon {
	return authenticatorMethodCommon(x.Status)
}

// Raw returns the JSON the value was decoded from. It must not be modified.
func (x *UnknownAuthenticatorMethod) Raw() json.RawMessage { return x.raw }

// Err returns why the value could not be decoded as a known type, or nil
// when its type is simply unknown.
func (x *UnknownAuthenticatorMethod) Err() error { return x.err }

// Links returns the value's HAL links (_links), decoded with its common
// fields, or nil when there are none.
func (x *UnknownAuthenticatorMethod) Links() (*AuthenticatorMethodLinks, error) {
	return lazyLinks(x.UnderscoreLinks, x.raw)
}

// MarshalJSON encodes the value without loss.
func (x UnknownAuthenticatorMethod) MarshalJSON() ([]byte, error) {
	return wrappers.MarshalLossless(x.raw, x.AuthenticatorMethodBase, nil)
}

// UnmarshalJSON decodes data into the value and keeps a copy of it.
func (x *UnknownAuthenticatorMethod) UnmarshalJSON(data []byte) error {
	raw := bytes.Clone(data)
	typ, _, err := peekDiscriminator(raw, "type")
	*x = *newUnknownAuthenticatorMethod(raw, string(typ), err)
	return x.err
}

func newUnknownAuthenticatorMethod(raw json.RawMessage, typ string, err error) *UnknownAuthenticatorMethod {
	u := &UnknownAuthenticatorMethod{typ: typ, raw: raw, err: err}
	if e := json.Unmarshal(raw, &u.AuthenticatorMethodBase); e != nil && u.err == nil {
		u.err = e
	}
	return u
}

// UnmarshalAuthenticatorMethod decodes one authenticator method: it reads
// the type, then decodes data once into the concrete type for it. An
// unknown type gives an [*UnknownAuthenticatorMethod] and no error; data
// that cannot be decoded gives one carrying it and the error (also
// returned). The value keeps data: do not modify data afterwards.
func UnmarshalAuthenticatorMethod(data []byte) (AuthenticatorMethod, error) {
	typ, _, err := peekDiscriminator(data, "type")
	if err == nil {
		if m := newAuthenticatorMethodMember(typ); m != nil {
			if err = m.decode(data); err == nil {
				return m, nil
			}
		}
	}
	u := newUnknownAuthenticatorMethod(data, string(typ), err)
	return u, u.err
}

func decodeMethodResult(body []byte) (AuthenticatorMethod, error) {
	m, err := UnmarshalAuthenticatorMethod(body)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ListAuthenticatorMethods returns the methods of the authenticator with the
// given id. A method of a type this version does not know, or one that does
// not decode, is an [*UnknownAuthenticatorMethod] in its place.
func (c *Client) ListAuthenticatorMethods(ctx context.Context, authenticatorID string) ([]AuthenticatorMethod, error) {
	l, err := c.listAuthenticatorMethodsPages(authenticatorID)
	if err != nil {
		return nil, err
	}
	return collect(ctx, c, l)
}

// ListAuthenticatorMethodsIter is [Client.ListAuthenticatorMethods] as an
// iterator that fetches pages as it goes and stops at the first error.
func (c *Client) ListAuthenticatorMethodsIter(ctx context.Context, authenticatorID string) iter.Seq2[AuthenticatorMethod, error] {
	l, err := c.listAuthenticatorMethodsPages(authenticatorID)
	if err != nil {
		return failed[AuthenticatorMethod](err)
	}
	return iterate(ctx, c, l)
}

func (c *Client) listAuthenticatorMethodsPages(authenticatorID string) (lister[AuthenticatorMethod], error) {
	const op = "ListAuthenticatorMethods"
	if err := checkID(op, "authenticatorID", authenticatorID); err != nil {
		return lister[AuthenticatorMethod]{}, err
	}
	return lister[AuthenticatorMethod]{
		op: op,
		first: func() (*httpRequest, error) {
			return c.newGET("api/v1/authenticators/", authenticatorID, "/methods")
		},
		decode: func(b []byte) ([]AuthenticatorMethod, error) { return decodeList(b, UnmarshalAuthenticatorMethod) },
	}, nil
}

// GetAuthenticatorMethod returns the method of the given type (such as
// "push", [MethodPush]) of the authenticator with the given id.
func (c *Client) GetAuthenticatorMethod(ctx context.Context, authenticatorID string, methodType AuthenticatorMethodType) (AuthenticatorMethod, error) {
	const op = "GetAuthenticatorMethod"
	if err := checkIDs(op, "authenticatorID", authenticatorID, "methodType", string(methodType)); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewGetAuthenticatorMethodRequest(c.server, authenticatorID, string(methodType))
	}, decodeMethodResult)
}

// ReplaceAuthenticatorMethod replaces the settings of the method of the
// given type of the authenticator with the given id with those of m, and
// returns the result. Pass a value from GetAuthenticatorMethod with the
// fields you want changed: everything else is sent back as Okta sent it.
func (c *Client) ReplaceAuthenticatorMethod(ctx context.Context, authenticatorID string, methodType AuthenticatorMethodType, m AuthenticatorMethod) (AuthenticatorMethod, error) {
	const op = "ReplaceAuthenticatorMethod"
	if err := checkIDs(op, "authenticatorID", authenticatorID, "methodType", string(methodType)); err != nil {
		return nil, err
	}
	body, err := encodeBody(op, "method", m)
	if err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewReplaceAuthenticatorMethodRequestWithBody(c.server, authenticatorID, string(methodType), jsonContentType, bytes.NewReader(body))
	}, decodeMethodResult)
}

// ActivateAuthenticatorMethod activates the method of the given type of the
// authenticator with the given id and returns it.
func (c *Client) ActivateAuthenticatorMethod(ctx context.Context, authenticatorID string, methodType AuthenticatorMethodType) (AuthenticatorMethod, error) {
	const op = "ActivateAuthenticatorMethod"
	if err := checkIDs(op, "authenticatorID", authenticatorID, "methodType", string(methodType)); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewActivateAuthenticatorMethodRequest(c.server, authenticatorID, string(methodType))
	}, decodeMethodResult)
}

// DeactivateAuthenticatorMethod deactivates the method of the given type of
// the authenticator with the given id and returns it.
func (c *Client) DeactivateAuthenticatorMethod(ctx context.Context, authenticatorID string, methodType AuthenticatorMethodType) (AuthenticatorMethod, error) {
	const op = "DeactivateAuthenticatorMethod"
	if err := checkIDs(op, "authenticatorID", authenticatorID, "methodType", string(methodType)); err != nil {
		return nil, err
	}
	return callDecode(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewDeactivateAuthenticatorMethodRequest(c.server, authenticatorID, string(methodType))
	}, decodeMethodResult)
}

// VerifyRPIDDomain asks Okta to check the DNS TXT record of the custom
// WebAuthn relying party id domain configured on the webauthn method of the
// passkey authenticator with the given id. webAuthnMethodType is "webauthn"
// ([MethodWebAuthn]). A nil error means the domain was verified.
func (c *Client) VerifyRPIDDomain(ctx context.Context, authenticatorID string, webAuthnMethodType AuthenticatorMethodType) error {
	const op = "VerifyRPIDDomain"
	if err := checkIDs(op, "authenticatorID", authenticatorID, "webAuthnMethodType", string(webAuthnMethodType)); err != nil {
		return err
	}
	return callNoContent(ctx, c, op, func() (*httpRequest, error) {
		return okta.NewVerifyRpIdDomainRequest(c.server, authenticatorID, string(webAuthnMethodType))
	})
}

// failed returns an iterator that yields err once.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

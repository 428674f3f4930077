package bench

import (
	"context"
	"encoding/json"

	"github.com/mfakit/mfakit/oktaclient"
	"github.com/mfakit/mfakit/oneloginclient"

	"github.com/mfakit/mfakit/bench/internal/server"
)

func init() { register("mfakit", 3, buildMfakit) }

// newOkta returns an mfakit Okta client for the org of token.
func newOkta(e *env, token string) (*oktaclient.Client, error) {
	return oktaclient.New(e.srv.URL, oktaclient.WithAPIToken(token), oktaclient.WithHTTPClient(e.client()))
}

// decodeEach is how a caller decodes a list body with oktaclient's public
// API: split the array with encoding/json (as the floor does), then decode
// each element with the union's Unmarshal function. oktaclient's own list
// calls use an internal splitter that is not exported; the Call rows measure
// that one.
func decodeEach[T any](b []byte, one func([]byte) (T, error)) ([]T, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return nil, err
	}
	out := make([]T, len(raws))
	for i, r := range raws {
		v, err := one(r)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func mfakitKey(a oktaclient.Authenticator) (string, error) { return string(a.Key()), nil }

func buildMfakit(e *env) (map[string]op, error) {
	clients := map[string]*oktaclient.Client{}
	for _, tok := range []string{server.TokenOrg15, server.TokenOrg17, server.TokenOrg1000} {
		c, err := newOkta(e, tok)
		if err != nil {
			return nil, err
		}
		clients[tok] = c
	}
	c := clients[server.TokenOrg15]
	ol, err := oneloginclient.New(e.srv.URL,
		oneloginclient.WithClientCredentials(server.OneLoginClientID, server.OneLoginClientSecret),
		oneloginclient.WithHTTPClient(e.client()))
	if err != nil {
		return nil, err
	}
	decodeAuthenticators := func(b []byte) ([]oktaclient.Authenticator, error) {
		return decodeEach(b, oktaclient.UnmarshalAuthenticator)
	}
	ops := map[string]op{
		opGet: oneOp(
			func(ctx context.Context) (oktaclient.Authenticator, error) { return c.GetAuthenticator(ctx, e.getID) },
			oktaclient.UnmarshalAuthenticator, mfakitKey),
		opMethods: listOp(
			func(ctx context.Context) ([]oktaclient.AuthenticatorMethod, error) {
				return c.ListAuthenticatorMethods(ctx, e.getID)
			},
			func(b []byte) ([]oktaclient.AuthenticatorMethod, error) {
				return decodeEach(b, oktaclient.UnmarshalAuthenticatorMethod)
			},
			func(m oktaclient.AuthenticatorMethod) (string, error) { return string(m.Type()), nil }),
		opFactors: listOp(
			func(ctx context.Context) ([]oktaclient.UserFactor, error) {
				return c.ListFactors(ctx, server.FactorsUserID)
			},
			func(b []byte) ([]oktaclient.UserFactor, error) { return decodeEach(b, oktaclient.UnmarshalUserFactor) },
			func(f oktaclient.UserFactor) (string, error) { return string(f.FactorType()), nil }),
		// oneloginclient exports no decode function, so there is no
		// OneLogin Decode row for mfakit.
		opOneLog: listOp(
			func(ctx context.Context) ([]oneloginclient.Device, error) {
				return ol.ListEnrolledFactors(ctx, server.OneLoginUserID)
			},
			nil,
			func(d oneloginclient.Device) (string, error) { return d.AuthFactorName, nil }),
	}
	for _, name := range []string{opList15, opList17, opList1k} {
		ops[name] = listOp(clients[tokenOf(name)].ListAuthenticators, decodeAuthenticators, mfakitKey)
	}
	return ops, nil
}

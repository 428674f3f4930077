package bench

import (
	"context"

	"github.com/mfakit/mfakit/oktaclient"
	"github.com/mfakit/mfakit/oneloginclient"

	"github.com/mfakit/mfakit/bench/internal/server"
)

func init() { register("mfakit", 3, buildMfakit) }

// newOkta returns an mfakit Okta client for the org of token.
func newOkta(e *env, token string) (*oktaclient.Client, error) {
	return oktaclient.New(e.srv.URL, oktaclient.WithAPIToken(token), oktaclient.WithHTTPClient(e.client()))
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
	ops := map[string]op{
		opGet: oneOp(
			func(ctx context.Context) (oktaclient.Authenticator, error) { return c.GetAuthenticator(ctx, e.getID) },
			oktaclient.UnmarshalAuthenticator, mfakitKey),
		opMethods: listOp(
			func(ctx context.Context) ([]oktaclient.AuthenticatorMethod, error) {
				return c.ListAuthenticatorMethods(ctx, e.getID)
			},
			oktaclient.DecodeAuthenticatorMethods,
			func(m oktaclient.AuthenticatorMethod) (string, error) { return string(m.Type()), nil }),
		opFactors: listOp(
			func(ctx context.Context) ([]oktaclient.UserFactor, error) {
				return c.ListFactors(ctx, server.FactorsUserID)
			},
			oktaclient.DecodeUserFactors,
			func(f oktaclient.UserFactor) (string, error) { return string(f.FactorType()), nil }),
		opOneLog: listOp(
			func(ctx context.Context) ([]oneloginclient.Device, error) {
				return ol.ListEnrolledFactors(ctx, server.OneLoginUserID)
			},
			oneloginclient.DecodeEnrolledFactors,
			func(d oneloginclient.Device) (string, error) { return d.AuthFactorName, nil }),
	}
	for _, name := range []string{opList15, opList17, opList1k} {
		ops[name] = listOp(clients[tokenOf(name)].ListAuthenticators, oktaclient.DecodeAuthenticators, mfakitKey)
	}
	return ops, nil
}

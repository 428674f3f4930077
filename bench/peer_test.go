package bench

import (
	"context"

	"github.com/okta/okta-sdk-golang/v5/okta"

	"github.com/mfakit/mfakit/bench/internal/peer"
	"github.com/mfakit/mfakit/bench/internal/server"
)

func init() { register("peer", 2, buildPeer) }

// buildPeer measures okta-sdk-golang v5. It has no OneLogin MFA v1 API, so
// it has no OneLogin op.
func buildPeer(e *env) (map[string]op, error) {
	clients := map[string]*okta.APIClient{}
	hc := e.client()
	for _, tok := range []string{server.TokenOrg15, server.TokenOrg17, server.TokenOrg1000} {
		c, err := peer.New(e.srv.URL, tok, hc)
		if err != nil {
			return nil, err
		}
		clients[tok] = c
	}
	c := clients[server.TokenOrg15]
	authKey := func(a okta.ListAuthenticators200ResponseInner) (string, error) {
		return peer.Discriminator(&a, "key")
	}
	ops := map[string]op{
		opGet: oneOp(
			func(ctx context.Context) (*okta.AuthenticatorBase, error) {
				a, _, err := c.AuthenticatorAPI.GetAuthenticator(ctx, e.getID).Execute()
				return a, err
			},
			peer.DecodeAuthenticator,
			func(a *okta.AuthenticatorBase) (string, error) { return a.GetKey(), nil }),
		opMethods: listOp(
			func(ctx context.Context) ([]okta.ListAuthenticatorMethods200ResponseInner, error) {
				m, _, err := c.AuthenticatorAPI.ListAuthenticatorMethods(ctx, e.getID).Execute()
				return m, err
			},
			peer.DecodeMethods,
			func(m okta.ListAuthenticatorMethods200ResponseInner) (string, error) {
				return peer.Discriminator(&m, "type")
			}),
		opFactors: listOp(
			func(ctx context.Context) ([]okta.ListFactors200ResponseInner, error) {
				f, _, err := c.UserFactorAPI.ListFactors(ctx, server.FactorsUserID).Execute()
				return f, err
			},
			peer.DecodeFactors,
			func(f okta.ListFactors200ResponseInner) (string, error) { return peer.Discriminator(&f, "factorType") }),
	}
	for _, name := range []string{opList15, opList17, opList1k} {
		c := clients[tokenOf(name)]
		ops[name] = listOp(
			func(ctx context.Context) ([]okta.ListAuthenticators200ResponseInner, error) {
				a, _, err := c.AuthenticatorAPI.ListAuthenticators(ctx).Execute()
				return a, err
			},
			peer.DecodeAuthenticators, authKey)
	}
	return ops, nil
}

// peerDrops are the discriminators okta-sdk-golang v5.0.2 does not know: it
// leaves such an element of a list empty (every member pointer nil), so the
// data is lost. TestImplementationsAgree checks that these, and only these,
// are lost.
var peerDrops = map[string]map[string]bool{
	opList17:  {"custom_otp": true, "tac": true},
	opMethods: {"tac": true},
	opFactors: {"signed_nonce": true},
}

package bench

import (
	"context"
	"net/url"
	"strconv"

	"github.com/mfakit/mfakit/bench/internal/floor"
	"github.com/mfakit/mfakit/bench/internal/server"
)

func init() {
	register("floor", 0, buildFloor)
	register("getonly", 1, buildGetOnly)
}

func floorKey(a floor.Authenticator) (string, error) { return a.Key(), nil }

func buildFloor(e *env) (map[string]op, error) {
	clients := map[string]*floor.Client{}
	for _, tok := range []string{server.TokenOrg15, server.TokenOrg17, server.TokenOrg1000} {
		clients[tok] = floor.New(e.srv.URL, "SSWS "+tok, e.client())
	}
	c := clients[server.TokenOrg15]
	ol := floor.New(e.srv.URL, "bearer "+server.OneLoginAccessToken, e.client())
	ops := map[string]op{
		opGet: oneOp(
			func(ctx context.Context) (floor.Authenticator, error) { return c.GetAuthenticator(ctx, e.getID) },
			floor.DecodeAuthenticator, floorKey),
		opMethods: listOp(
			func(ctx context.Context) ([]floor.Method, error) {
				return c.ListAuthenticatorMethods(ctx, e.getID)
			},
			floor.DecodeMethods, func(m floor.Method) (string, error) { return m.MethodType(), nil }),
		opFactors: listOp(
			func(ctx context.Context) ([]floor.Factor, error) { return c.ListFactors(ctx, server.FactorsUserID) },
			floor.DecodeFactors, func(f floor.Factor) (string, error) { return f.FactorType(), nil }),
		opOneLog: listOp(
			func(ctx context.Context) ([]floor.OTPDevice, error) {
				return ol.ListEnrolledFactors(ctx, server.OneLoginUserID)
			},
			floor.DecodeOTPDevices, func(d floor.OTPDevice) (string, error) { return d.AuthFactorName, nil }),
	}
	for _, name := range []string{opList15, opList17, opList1k} {
		c := clients[tokenOf(name)]
		ops[name] = listOp(c.ListAuthenticators, floor.DecodeAuthenticators, floorKey)
	}
	return ops, nil
}

// buildGetOnly is the floor's requests with the body thrown away unread: the
// transport's (and the loopback server's) share of every Call.
func buildGetOnly(e *env) (map[string]op, error) {
	hc := e.client()
	get := func(tok, path string) op {
		c := floor.New(e.srv.URL, tok, hc)
		return op{call: func(ctx context.Context) (int, error) {
			n, err := c.GetDiscard(ctx, path)
			return int(n), err
		}}
	}
	id := url.PathEscape(e.getID)
	return map[string]op{
		opList15:  get("SSWS "+server.TokenOrg15, "/api/v1/authenticators"),
		opList1k:  get("SSWS "+server.TokenOrg1000, "/api/v1/authenticators"),
		opGet:     get("SSWS "+server.TokenOrg15, "/api/v1/authenticators/"+id),
		opMethods: get("SSWS "+server.TokenOrg15, "/api/v1/authenticators/"+id+"/methods"),
		opFactors: get("SSWS "+server.TokenOrg15, "/api/v1/users/"+server.FactorsUserID+"/factors"),
		opOneLog: get("bearer "+server.OneLoginAccessToken,
			"/api/1/users/"+strconv.FormatInt(server.OneLoginUserID, 10)+"/otp_devices"),
	}, nil
}

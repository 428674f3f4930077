package oneloginclient

import (
	"context"
	"net/http"
	"time"

	gen "github.com/mfakit/mfakit/gen/onelogin"
	"github.com/mfakit/mfakit/wrappers"
)

// Bounds OneLogin puts on a temporary MFA token's lifetime.
const (
	MinMFATokenLifetime = 120 * time.Second
	MaxMFATokenLifetime = 72 * time.Hour
)

// MFATokenRequest holds the options of [Client.GenerateMFAToken]; the zero
// value means OneLogin's defaults (72 hours, single use).
type MFATokenRequest struct {
	// ExpiresIn is how long the token stays valid: 0 for the default (72
	// hours), otherwise 120 s to 72 h, in whole seconds.
	ExpiresIn time.Duration
	// Reusable lets the token be used more than once before it expires.
	Reusable bool
}

// MFAToken is a temporary MFA token a user can enter in place of a second
// factor (verify it with VerifyFactor and device id 0).
type MFAToken struct {
	// Token is the token itself. It is a wrappers.Secret, so fmt, slog and
	// encoding/json print "[REDACTED]"; call Token.Reveal() to hand it to
	// the user.
	Token wrappers.Secret `json:"mfa_token"`
	// Reusable is true when the token may be used more than once before it
	// expires (OneLogin's "reusable", which its published spec misspells).
	Reusable bool `json:"reusable"`
	// ExpiresAt is when the token expires, or the zero time when the server
	// did not say.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

// GenerateMFAToken creates a temporary MFA token for the user (POST
// /api/1/users/{user_id}/mfa_token). OneLogin sends this one result without
// the v1 envelope, but wraps its errors. It is not retried after a 5xx or a
// dropped connection, since a token may have been made.
func (c *Client) GenerateMFAToken(ctx context.Context, userID int64, req MFATokenRequest) (*MFAToken, error) {
	const op = "GenerateMFAToken"
	uid, err := checkArgs(ctx, op, userID)
	if err != nil {
		return nil, err
	}
	var body gen.GenerateMFATokenRequest
	if req.ExpiresIn != 0 {
		if req.ExpiresIn < MinMFATokenLifetime || req.ExpiresIn > MaxMFATokenLifetime || req.ExpiresIn%time.Second != 0 {
			return nil, argError(op, "ExpiresIn %s is not whole seconds between %s and %s",
				req.ExpiresIn, MinMFATokenLifetime, MaxMFATokenLifetime)
		}
		secs := int(req.ExpiresIn / time.Second)
		body.ExpiresIn = &secs
	}
	if req.Reusable {
		body.Reusable = &req.Reusable
	}
	resp, raw, err := call(ctx, func(ctx context.Context) (*http.Response, error) {
		return c.api.GenerateMFAtoken(ctx, uid, body)
	})
	if err != nil {
		return nil, opError(op, err)
	}
	tok, err := decodeMFAToken(raw)
	switch {
	case err == errStatusError:
		return nil, opError(op, envelopeError(resp.StatusCode, resp.Header, raw, c.now()))
	case err != nil:
		return nil, opError(op, malformed(resp.StatusCode, resp.Header, c.now(), err))
	}
	return tok, nil
}

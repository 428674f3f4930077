package oneloginclient

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	gen "github.com/mfakit/mfakit/gen/onelogin"
)

// Bounds OneLogin puts on a state token's lifetime.
const (
	MinStateTokenLifetime = 120 * time.Second
	MaxStateTokenLifetime = 900 * time.Second
)

// DefaultPollInterval is how often [Client.PollPush] asks by default.
const DefaultPollInterval = 2 * time.Second

// ActivateRequest holds the options of [Client.ActivateFactor]; the zero
// value means OneLogin's defaults.
type ActivateRequest struct {
	// StateTokenExpiresIn is how long the state token stays valid: 0 for
	// OneLogin's default (120 s), otherwise 120 s to 900 s, in whole seconds.
	StateTokenExpiresIn time.Duration
	// NumericSMSOTP asks for a six-digit numeric SMS code instead of an
	// alphanumeric one.
	NumericSMSOTP bool
	// SMSMessage is an SMS template; {{otp_code}} and {{expiration}} are
	// substituted.
	SMSMessage string
}

// ActivationResult is the result of [Client.ActivateFactor]: the trigger was
// sent and StateToken identifies the verification in progress.
type ActivationResult struct {
	// UserID is the user's id (OneLogin sends it as "id").
	UserID int64 `json:"user_id"`
	// DeviceID is the triggered device's id (OneLogin's "device_id").
	DeviceID int64 `json:"device_id"`
	// Active is whether the device is active.
	Active bool `json:"active"`
	// StateToken is what VerifyFactor and PollPush take.
	StateToken string `json:"state_token"`
	// StateTokenExpiresAt is when StateToken expires, or the zero time when
	// the server did not say.
	StateTokenExpiresAt time.Time `json:"state_token_expires_at,omitzero"`
	// AuthFactorName is the factor's name as administrators see it.
	AuthFactorName string `json:"auth_factor_name"`
	// TypeDisplayName is the factor's name as users see it.
	TypeDisplayName string `json:"type_display_name"`
	// UserDisplayName is the name the user gave the device.
	UserDisplayName string `json:"user_display_name"`
}

// VerifyRequest is what [Client.VerifyFactor] checks.
type VerifyRequest struct {
	// StateToken is the state token from ActivateFactor or EnrollFactor;
	// required for devices that need a trigger.
	StateToken string
	// OTP is the one-time code from the device or the SMS; leave it empty
	// to ask whether a push was approved.
	OTP string
}

// ActivateFactor triggers a device (POST
// /api/1/users/{user_id}/otp_devices/{device_id}/trigger): OneLogin sends the
// SMS or voice code, or shows the push, and returns the state token for
// VerifyFactor or PollPush. It is not retried after a 5xx or a dropped
// connection, since the user may already have been sent a code.
func (c *Client) ActivateFactor(ctx context.Context, userID, deviceID int64, req ActivateRequest) (*ActivationResult, error) {
	const op = "ActivateFactor"
	uid, err := checkArgs(ctx, op, userID)
	if err != nil {
		return nil, err
	}
	did, err := checkDeviceID(op, deviceID, false)
	if err != nil {
		return nil, err
	}
	var body gen.ActivateFactorRequest
	if req.StateTokenExpiresIn != 0 {
		if req.StateTokenExpiresIn < MinStateTokenLifetime || req.StateTokenExpiresIn > MaxStateTokenLifetime ||
			req.StateTokenExpiresIn%time.Second != 0 {
			return nil, argError(op, "StateTokenExpiresIn %s is not whole seconds between %s and %s",
				req.StateTokenExpiresIn, MinStateTokenLifetime, MaxStateTokenLifetime)
		}
		secs := int(req.StateTokenExpiresIn / time.Second)
		body.StateTokenExpiresIn = &secs
	}
	if req.NumericSMSOTP {
		body.NumericSmsOtp = &req.NumericSMSOTP
	}
	if req.SMSMessage != "" {
		body.SmsMessage = &req.SMSMessage
	}
	resp, raw, err := call(ctx, func(ctx context.Context) (*http.Response, error) {
		return c.api.ActivateMfaFactors(ctx, uid, did, body)
	})
	if err != nil {
		return nil, opError(op, err)
	}
	data, err := c.envelopeData(resp, raw)
	if err != nil {
		return nil, opError(op, err)
	}
	a, err := decodeActivation(data)
	if err != nil {
		return nil, opError(op, malformed(resp.StatusCode, resp.Header, c.now(), err))
	}
	return a, nil
}

// VerifyFactor checks a one-time code, or asks whether a push was approved
// (POST /api/1/users/{user_id}/otp_devices/{device_id}/verify). deviceID 0
// with req.OTP checks a temporary MFA token from GenerateMFAToken.
//
// It returns nil only when the factor is verified. Otherwise the error is an
// *Error that callers act on with errors.Is:
//
//   - ErrInvalidCode: the code was wrong, or the user denied the push;
//   - ErrPending: the push is still waiting for the user; ask again with the
//     same state token (PollPush does this);
//   - ErrStateTokenExpired: the state token is unknown or expired; trigger
//     the device again;
//   - ErrUnauthorized, ErrNotFound, ErrRateLimited, …: as for any call.
//
// Verify is never resent automatically after it may have been processed (a
// 5xx or a dropped connection), so a code is not submitted twice. A 401 about
// the access token itself is answered once with a fresh token.
func (c *Client) VerifyFactor(ctx context.Context, userID, deviceID int64, req VerifyRequest) error {
	const op = "VerifyFactor"
	uid, err := checkArgs(ctx, op, userID)
	if err != nil {
		return err
	}
	did, err := checkDeviceID(op, deviceID, true)
	if err != nil {
		return err
	}
	switch {
	case req.StateToken == "" && req.OTP == "":
		return argError(op, "neither StateToken nor OTP given")
	case deviceID == 0 && req.OTP == "":
		return argError(op, "device id 0 verifies an MFA token, given as OTP")
	}
	var body gen.VerifyFactorRequest
	if req.StateToken != "" {
		body.StateToken = &req.StateToken
	}
	if req.OTP != "" {
		body.OtpToken = &req.OTP
	}
	resp, raw, err := call(context.WithValue(ctx, verifyCall{}, true), func(ctx context.Context) (*http.Response, error) {
		return c.api.VerifyMfaFactor(ctx, uid, did, body)
	})
	if err != nil {
		return opError(op, err)
	}
	// Fail closed: only a decodable envelope without error is a success.
	_, err = c.envelopeData(resp, raw)
	return opError(op, err)
}

// PollOptions tunes [Client.PollPush].
type PollOptions struct {
	// Interval is the wait between polls (0 means DefaultPollInterval).
	Interval time.Duration
	// ExpiresAt is when the state token expires, e.g. from
	// ActivationResult.StateTokenExpiresAt. Polling stops then. When it is
	// zero, polling stops when the server says the state token expired, or
	// after MaxStateTokenLifetime.
	ExpiresAt time.Time
}

// PollPush waits for the user to answer a push sent by ActivateFactor. It
// calls VerifyFactor with stateToken (and no code) at once and then every
// opts.Interval while the answer is ErrPending, and returns:
//
//   - nil when the user approved the push;
//   - an *Error matching ErrInvalidCode when the user denied it;
//   - an error matching ErrStateTokenExpired when the state token expired
//     (by the server's word or opts.ExpiresAt) while still pending;
//   - an error matching ctx.Err() when ctx ended first;
//   - any other VerifyFactor error as it is.
func (c *Client) PollPush(ctx context.Context, userID, deviceID int64, stateToken string, opts PollOptions) error {
	const op = "PollPush"
	if ctx == nil {
		return argError(op, "nil context")
	}
	if stateToken == "" {
		return argError(op, "empty state token")
	}
	if opts.Interval < 0 {
		return argError(op, "negative Interval %s", opts.Interval)
	}
	interval := opts.Interval
	if interval == 0 {
		interval = DefaultPollInterval
	}
	deadline := opts.ExpiresAt
	if deadline.IsZero() {
		deadline = c.now().Add(MaxStateTokenLifetime)
	}
	for n := 1; ; n++ {
		err := c.VerifyFactor(ctx, userID, deviceID, VerifyRequest{StateToken: stateToken})
		if !errors.Is(err, ErrPending) {
			return err
		}
		left := deadline.Sub(c.now())
		if left <= 0 {
			return fmt.Errorf("onelogin: %s: state token expired at %s with the push still pending after %d polls: %w",
				op, deadline.UTC().Format(time.RFC3339), n, ErrStateTokenExpired)
		}
		wait := min(interval, left)
		c.log.LogAttrs(ctx, slog.LevelDebug, "oneloginclient: push pending",
			slog.Int("poll", n), slog.Duration("wait", wait))
		if err := c.sleep(ctx, wait); err != nil {
			return fmt.Errorf("onelogin: %s: stopped with the push still pending after %d polls: %w", op, n, err)
		}
	}
}

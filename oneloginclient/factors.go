package oneloginclient

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"time"

	gen "github.com/mfakit/mfakit/gen/onelogin"
)

// AvailableFactor is a factor the account offers a user, from
// [Client.ListAvailableFactors]. Its FactorID is what [EnrollRequest] takes.
type AvailableFactor struct {
	// FactorID identifies the factor in EnrollRequest.FactorID.
	FactorID int64 `json:"factor_id"`
	// Name is the factor's name as administrators see it, e.g. "OneLogin SMS".
	Name string `json:"name"`
}

// Device is an enrolled MFA device (OneLogin's "otp_device").
//
// The enrolled list may hold the same device twice (OneLogin Protect appears
// once for push and once for codes), so do not key devices by ID alone.
type Device struct {
	// ID is the device's id, what ActivateFactor, VerifyFactor and
	// RemoveFactor take.
	ID int64 `json:"id"`
	// Active is true once the device has been verified; false while its
	// enrolment is pending.
	Active bool `json:"active"`
	// Default is true for the user's default device.
	Default bool `json:"default"`
	// NeedsTrigger is true when the device must be triggered with
	// ActivateFactor (an SMS sent, a push shown) before it can be verified.
	NeedsTrigger bool `json:"needs_trigger"`
	// StateToken, when not empty, is a pending verification's state token
	// (Enroll returns one for a device that must be verified).
	StateToken string `json:"state_token,omitempty"`
	// AuthFactorName is the factor's name as administrators see it.
	AuthFactorName string `json:"auth_factor_name"`
	// PhoneNumber is the number codes go to, for SMS and voice factors.
	PhoneNumber string `json:"phone_number,omitempty"`
	// TypeDisplayName is the factor's name as users see it.
	TypeDisplayName string `json:"type_display_name"`
	// UserDisplayName is the name the user gave the device.
	UserDisplayName string `json:"user_display_name"`
}

// EnrollRequest describes a device to enrol with [Client.EnrollFactor].
type EnrollRequest struct {
	// FactorID is the factor to enrol with, from ListAvailableFactors
	// (required).
	FactorID int64
	// DisplayName names the device (required).
	DisplayName string
	// Number is the phone number in E.164 form, for SMS and voice factors.
	Number string
	// Verified marks the number as already known to be the user's, so the
	// device is active at once without a code.
	Verified bool
}

// ListAvailableFactors lists the factors the account makes available to the
// user (GET /api/1/users/{user_id}/auth_factors).
func (c *Client) ListAvailableFactors(ctx context.Context, userID int64) ([]AvailableFactor, error) {
	const op = "ListAvailableFactors"
	uid, err := checkArgs(ctx, op, userID)
	if err != nil {
		return nil, err
	}
	resp, body, err := call(ctx, func(ctx context.Context) (*http.Response, error) {
		return c.api.GetMFAFactors(ctx, uid)
	})
	if err != nil {
		return nil, opError(op, err)
	}
	data, err := c.envelopeData(resp, body)
	if err != nil {
		return nil, opError(op, err)
	}
	out, err := decodeAvailable(data)
	if err != nil {
		return nil, opError(op, malformed(resp.StatusCode, resp.Header, c.now(), err))
	}
	return out, nil
}

// ListEnrolledFactors lists the user's enrolled devices, in the server's
// order and with any duplicates it sends (GET
// /api/1/users/{user_id}/otp_devices). A user without devices gives an
// empty, non-nil list.
//
// The list is all or nothing: if any element of data.otp_devices is not a
// device object (a number, a string, null) or has no id, or if otp_devices
// is null or missing, no devices are returned and the error is an [*Error]
// matching [ErrMalformedResponse] that names the bad element. Returning the
// others would silently drop a device; returning an empty list for a null
// would tell the caller the user has no MFA. OneLogin sends [] for "none".
func (c *Client) ListEnrolledFactors(ctx context.Context, userID int64) ([]Device, error) {
	const op = "ListEnrolledFactors"
	uid, err := checkArgs(ctx, op, userID)
	if err != nil {
		return nil, err
	}
	resp, body, err := call(ctx, func(ctx context.Context) (*http.Response, error) {
		return c.api.GetEnrolledFactors(ctx, uid)
	})
	if err != nil {
		return nil, opError(op, err)
	}
	data, err := c.envelopeData(resp, body)
	if err != nil {
		return nil, opError(op, err)
	}
	out, err := decodeEnrolled(data)
	if err != nil {
		return nil, opError(op, malformed(resp.StatusCode, resp.Header, c.now(), err))
	}
	return out, nil
}

// EnrollFactor enrols a new device for the user (POST
// /api/1/users/{user_id}/otp_devices) and returns it. Unless req.Verified,
// the device stays inactive until verified: trigger it with ActivateFactor
// when it NeedsTrigger (SMS, voice, push), then call VerifyFactor.
//
// Enrol is not retried after a 5xx or a dropped connection, since the device
// may have been created.
func (c *Client) EnrollFactor(ctx context.Context, userID int64, req EnrollRequest) (*Device, error) {
	const op = "EnrollFactor"
	uid, err := checkArgs(ctx, op, userID)
	if err != nil {
		return nil, err
	}
	switch {
	case req.FactorID <= 0 || req.FactorID > math.MaxInt:
		return nil, argError(op, "FactorID %d is not a positive factor id", req.FactorID)
	case req.DisplayName == "":
		return nil, argError(op, "DisplayName is required")
	}
	body := gen.EnrollFactorRequest{FactorId: int(req.FactorID), DisplayName: req.DisplayName}
	if req.Number != "" {
		body.Number = &req.Number
	}
	if req.Verified {
		body.Verified = &req.Verified
	}
	resp, raw, err := call(ctx, func(ctx context.Context) (*http.Response, error) {
		return c.api.EnrollMfaFactor(ctx, uid, body)
	})
	if err != nil {
		return nil, opError(op, err)
	}
	data, err := c.envelopeData(resp, raw)
	if err != nil {
		return nil, opError(op, err)
	}
	d, err := decodeEnrolledDevice(data)
	if err != nil {
		return nil, opError(op, malformed(resp.StatusCode, resp.Header, c.now(), err))
	}
	return d, nil
}

// RemoveFactor removes an enrolled device (DELETE
// /api/1/users/{user_id}/otp_devices/{device_id}).
func (c *Client) RemoveFactor(ctx context.Context, userID, deviceID int64) error {
	const op = "RemoveFactor"
	uid, err := checkArgs(ctx, op, userID)
	if err != nil {
		return err
	}
	did, err := checkDeviceID(op, deviceID, false)
	if err != nil {
		return err
	}
	resp, body, err := call(ctx, func(ctx context.Context) (*http.Response, error) {
		return c.api.RemoveMfaFactors(ctx, uid, did)
	})
	if err != nil {
		return opError(op, err)
	}
	if len(body) == 0 {
		// Some deployments answer a bare 200/204; the status says it all.
		return nil
	}
	_, err = c.envelopeData(resp, body)
	return opError(op, err)
}

// envelopeData decodes a 2xx v1 envelope, returning its data member. A body
// that is not an envelope, or whose status says error, is an *Error.
func (c *Client) envelopeData(resp *http.Response, body []byte) (json.RawMessage, error) {
	data, _, err := decodeEnvelope(body)
	switch {
	case err == errStatusError:
		return nil, envelopeError(resp.StatusCode, resp.Header, body, c.now())
	case err != nil:
		return nil, malformed(resp.StatusCode, resp.Header, c.now(), err)
	}
	return data, nil
}

// checkArgs checks the context and a user id and converts the id to the
// generated client's int.
func checkArgs(ctx context.Context, op string, userID int64) (int, error) {
	if ctx == nil {
		return 0, argError(op, "nil context")
	}
	if userID <= 0 || userID > math.MaxInt {
		return 0, argError(op, "user id %d is not a positive id", userID)
	}
	return int(userID), nil
}

// checkDeviceID checks a device id; 0 is allowed only where it means
// "verify a temporary MFA token".
func checkDeviceID(op string, deviceID int64, allowZero bool) (int, error) {
	if deviceID < 0 || deviceID == 0 && !allowZero || deviceID > math.MaxInt {
		return 0, argError(op, "device id %d is not a positive id", deviceID)
	}
	return int(deviceID), nil
}

func argError(op, format string, args ...any) error {
	return fmt.Errorf("onelogin: %s: %s: %w", op, fmt.Sprintf(format, args...), ErrInvalidArgument)
}

// DecodeEnrolledFactors decodes a List Enrolled Factors response body (the
// v1 envelope whose data holds "otp_devices"), as [Client.ListEnrolledFactors]
// does after fetching it: for callers that fetch the body themselves, or that
// replay recorded responses. A body that is not such an envelope, or whose
// status says error, gives an [*Error] (StatusCode 200, as if the server had
// sent the body with it). Like ListEnrolledFactors it is all or nothing: a
// null otp_devices, or one element that is not a device object or has no
// id, fails the whole body with an *Error matching [ErrMalformedResponse].
func DecodeEnrolledFactors(body []byte) ([]Device, error) {
	const op = "DecodeEnrolledFactors"
	data, _, err := decodeEnvelope(body)
	switch {
	case err == errStatusError:
		return nil, opError(op, envelopeError(http.StatusOK, http.Header{}, body, time.Now()))
	case err != nil:
		return nil, opError(op, malformed(http.StatusOK, http.Header{}, time.Now(), err))
	}
	out, err := decodeEnrolled(data)
	if err != nil {
		return nil, opError(op, malformed(http.StatusOK, http.Header{}, time.Now(), err))
	}
	return out, nil
}

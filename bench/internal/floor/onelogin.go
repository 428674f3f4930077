package floor

import (
	"encoding/json"
	"fmt"
)

// OTPDevice is a OneLogin enrolled MFA device.
type OTPDevice struct {
	ID              int64  `json:"id"`
	Active          bool   `json:"active"`
	Default         bool   `json:"default"`
	NeedsTrigger    bool   `json:"needs_trigger"`
	StateToken      string `json:"state_token"`
	AuthFactorName  string `json:"auth_factor_name"`
	PhoneNumber     string `json:"phone_number"`
	TypeDisplayName string `json:"type_display_name"`
	UserDisplayName string `json:"user_display_name"`
	// Raw is the bytes the server sent for this device.
	Raw json.RawMessage `json:"-"`
}

// EnvelopeError is a v1 envelope whose status says error.
type EnvelopeError struct {
	Code    int
	Type    string
	Message json.RawMessage
}

func (e *EnvelopeError) Error() string {
	return fmt.Sprintf("floor: onelogin %d %s: %s", e.Code, e.Type, e.Message)
}

// DecodeOTPDevices decodes a v1 List Enrolled Factors envelope.
func DecodeOTPDevices(b []byte) ([]OTPDevice, error) {
	var env struct {
		Status struct {
			Error   bool            `json:"error"`
			Code    int             `json:"code"`
			Type    string          `json:"type"`
			Message json.RawMessage `json:"message"`
		} `json:"status"`
		Data struct {
			OTPDevices []json.RawMessage `json:"otp_devices"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, err
	}
	if env.Status.Error {
		return nil, &EnvelopeError{Code: env.Status.Code, Type: env.Status.Type, Message: env.Status.Message}
	}
	out := make([]OTPDevice, len(env.Data.OTPDevices))
	for i, r := range env.Data.OTPDevices {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			return nil, err
		}
		out[i].Raw = r
	}
	return out, nil
}

package oneloginclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/mfakit/mfakit/wrappers"
)

// This file decodes OneLogin's wire format by hand rather than through the
// generated models in gen/onelogin, for two reasons that are specific to this
// API: the real server sometimes sends a number as a numeric string
// ("525509"), which the generated int fields refuse, and a missing required
// field must be an error rather than a silent zero.

// flexInt is an integer that arrives as a JSON number or as a numeric string.
// set records whether the field was present (null and "" count as absent).
type flexInt struct {
	v   int64
	set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
	}
	n, err := parseInteger(s)
	if err != nil {
		return err
	}
	f.v, f.set = n, true
	return nil
}

// parseInteger parses a whole number, also written as 525509.0 or 5.25509e5.
func parseInteger(s string) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	fl, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(fl, 0) || math.IsNaN(fl) || fl != math.Trunc(fl) || fl < math.MinInt64 || fl >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is not an integer", wrappers.Excerpt([]byte(s), 40))
	}
	return int64(fl), nil
}

// flexBool is a boolean that arrives as a JSON boolean or as the string
// "true" or "false" (the same leniency as flexInt, for the same server).
type flexBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexBool) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "null":
		return nil
	case "true", `"true"`:
		*f = true
		return nil
	case "false", `"false"`:
		*f = false
		return nil
	}
	return fmt.Errorf("%s is not a boolean", wrappers.Excerpt(b, 40))
}

// wireStatus is the "status" member of every v1 envelope.
type wireStatus struct {
	Error   flexBool        `json:"error"`
	Code    flexInt         `json:"code"`
	Type    string          `json:"type"`
	Message json.RawMessage `json:"message"`
}

// envelope is a v1 response: {"status": {...}, "data": ...}.
type envelope struct {
	Status *wireStatus     `json:"status"`
	Data   json.RawMessage `json:"data"`
}

// decodeEnvelope decodes a 2xx v1 body and returns its data member (nil when
// absent or null). A body that is not an envelope, or whose status says
// error, is an error; the caller turns it into an *Error.
func decodeEnvelope(body []byte) (json.RawMessage, *wireStatus, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, nil, fmt.Errorf("not a OneLogin v1 envelope: %w", err)
	}
	if env.Status == nil {
		return nil, nil, errors.New(`not a OneLogin v1 envelope: no "status" member`)
	}
	if bool(env.Status.Error) {
		return nil, env.Status, errStatusError
	}
	if isNull(env.Data) {
		env.Data = nil
	}
	return env.Data, env.Status, nil
}

// errStatusError marks a 2xx envelope whose status.error is true.
var errStatusError = errors.New("status.error is true")

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

// wireDevice is an OtpDevice as sent in the enrolled list and by Enroll.
type wireDevice struct {
	ID              flexInt  `json:"id"`
	Active          flexBool `json:"active"`
	Default         flexBool `json:"default"`
	NeedsTrigger    flexBool `json:"needs_trigger"`
	StateToken      *string  `json:"state_token"`
	AuthFactorName  string   `json:"auth_factor_name"`
	PhoneNumber     *string  `json:"phone_number"`
	TypeDisplayName string   `json:"type_display_name"`
	UserDisplayName string   `json:"user_display_name"`
}

func (w wireDevice) device(i int) (Device, error) {
	if !w.ID.set {
		return Device{}, fmt.Errorf("device %d has no id", i)
	}
	return Device{
		ID:              w.ID.v,
		Active:          bool(w.Active),
		Default:         bool(w.Default),
		NeedsTrigger:    bool(w.NeedsTrigger),
		StateToken:      deref(w.StateToken),
		AuthFactorName:  w.AuthFactorName,
		PhoneNumber:     deref(w.PhoneNumber),
		TypeDisplayName: w.TypeDisplayName,
		UserDisplayName: w.UserDisplayName,
	}, nil
}

func decodeDevices(raw []wireDevice) ([]Device, error) {
	out := make([]Device, 0, len(raw))
	for i, w := range raw {
		d, err := w.device(i)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// decodeEnrolled decodes the data of List Enrolled Factors: {"otp_devices": [...]}.
// It is all or nothing: an element that is not an object (a number, a
// string, null) or has no id fails the whole list, and so does
// "otp_devices": null, since returning the rest (or an empty list) would
// silently drop devices. The error names the element by its index.
func decodeEnrolled(data json.RawMessage) ([]Device, error) {
	if data == nil {
		return nil, errors.New(`no "data" member`)
	}
	// The common case in one pass; only a body that fails it is walked again,
	// element by element, to say which element is wrong.
	var fast struct {
		OtpDevices *[]wireDevice `json:"otp_devices"`
	}
	if json.Unmarshal(data, &fast) == nil && fast.OtpDevices != nil {
		if out, err := decodeDevices(*fast.OtpDevices); err == nil {
			return out, nil
		}
	}
	return describeEnrolled(data)
}

// describeEnrolled is decodeEnrolled's slow path: it decodes element by
// element so that the error names the element at fault.
func describeEnrolled(data json.RawMessage) ([]Device, error) {
	var d struct {
		OtpDevices json.RawMessage `json:"otp_devices"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	switch t := bytes.TrimSpace(d.OtpDevices); {
	case len(t) == 0:
		return nil, errors.New(`no "data.otp_devices" member`)
	case t[0] == 'n':
		// Never seen from OneLogin, which sends [] for a user without
		// devices; a null may mean a failure behind the API, and an empty
		// list would tell the caller the user has no MFA.
		return nil, errors.New(`"data.otp_devices" is null, not a list`)
	case t[0] != '[':
		return nil, fmt.Errorf(`"data.otp_devices" is %s, not a list`, jsonKind(t))
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(d.OtpDevices, &elems); err != nil {
		return nil, fmt.Errorf(`"data.otp_devices": %w`, err)
	}
	out := make([]Device, 0, len(elems))
	for i, raw := range elems {
		if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
			return nil, fmt.Errorf("otp_devices[%d] is %s, not an object", i, jsonKind(t))
		}
		var w wireDevice
		if err := json.Unmarshal(raw, &w); err != nil {
			return nil, fmt.Errorf("otp_devices[%d]: %w", i, err)
		}
		dev, err := w.device(i)
		if err != nil {
			return nil, err
		}
		out = append(out, dev)
	}
	return out, nil
}

// jsonKind names the kind of a JSON value by its first byte, for errors.
func jsonKind(t []byte) string {
	if len(t) == 0 {
		return "empty"
	}
	switch t[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// decodeAvailable decodes the data of List Available Factors: {"auth_factors": [...]}.
func decodeAvailable(data json.RawMessage) ([]AvailableFactor, error) {
	if data == nil {
		return nil, errors.New(`no "data" member`)
	}
	var d struct {
		AuthFactors *[]struct {
			Name     string  `json:"name"`
			FactorID flexInt `json:"factor_id"`
		} `json:"auth_factors"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	if d.AuthFactors == nil {
		return nil, errors.New(`no "data.auth_factors" member`)
	}
	out := make([]AvailableFactor, 0, len(*d.AuthFactors))
	for i, f := range *d.AuthFactors {
		if !f.FactorID.set {
			return nil, fmt.Errorf("auth factor %d has no factor_id", i)
		}
		out = append(out, AvailableFactor{FactorID: f.FactorID.v, Name: f.Name})
	}
	return out, nil
}

// decodeEnrolledDevice decodes the data of Enroll a Factor: an array holding
// the new device. OneLogin may list one device twice (push and pull), so
// entries with the same id count as one; different ids are an error, since
// one would otherwise be dropped.
func decodeEnrolledDevice(data json.RawMessage) (*Device, error) {
	if data == nil {
		return nil, errors.New(`no "data" member`)
	}
	var raw []wireDevice
	if err := unmarshalOneOrMany(data, &raw); err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	devs, err := decodeDevices(raw)
	if err != nil {
		return nil, err
	}
	if len(devs) == 0 {
		return nil, errors.New("data holds no device")
	}
	for _, d := range devs[1:] {
		if d.ID != devs[0].ID {
			return nil, fmt.Errorf("data holds %d different devices, want one", len(devs))
		}
	}
	return &devs[0], nil
}

// wireActivation is a FactorActivation: note that id is the USER id.
type wireActivation struct {
	ID                  flexInt  `json:"id"`
	DeviceID            flexInt  `json:"device_id"`
	Active              flexBool `json:"active"`
	StateToken          string   `json:"state_token"`
	StateTokenExpiresAt *string  `json:"state_token_expires_at"`
	AuthFactorName      string   `json:"auth_factor_name"`
	TypeDisplayName     string   `json:"type_display_name"`
	UserDisplayName     string   `json:"user_display_name"`
}

// decodeActivation decodes the data of Activate a Factor: an array holding
// one activation (entries for the same device count as one).
func decodeActivation(data json.RawMessage) (*ActivationResult, error) {
	if data == nil {
		return nil, errors.New(`no "data" member`)
	}
	var raw []wireActivation
	if err := unmarshalOneOrMany(data, &raw); err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	if len(raw) == 0 {
		return nil, errors.New("data holds no activation")
	}
	out := make([]ActivationResult, 0, len(raw))
	for i, w := range raw {
		if !w.ID.set || !w.DeviceID.set {
			return nil, fmt.Errorf("activation %d lacks id (the user) or device_id", i)
		}
		a := ActivationResult{
			UserID:          w.ID.v,
			DeviceID:        w.DeviceID.v,
			Active:          bool(w.Active),
			StateToken:      w.StateToken,
			AuthFactorName:  w.AuthFactorName,
			TypeDisplayName: w.TypeDisplayName,
			UserDisplayName: w.UserDisplayName,
		}
		if s := deref(w.StateTokenExpiresAt); s != "" {
			t, err := parseTime(s)
			if err != nil {
				return nil, fmt.Errorf("activation %d: state_token_expires_at: %w", i, err)
			}
			a.StateTokenExpiresAt = t
		}
		if i > 0 && a.DeviceID != out[0].DeviceID {
			return nil, fmt.Errorf("data holds activations of %d different devices, want one", len(raw))
		}
		out = append(out, a)
	}
	return &out[0], nil
}

// decodeMFAToken decodes Generate MFA Token's body, which OneLogin sends
// unwrapped: {"mfa_token", "reusable", "expires_at"}. A body wrapped in a v1
// envelope is accepted too.
func decodeMFAToken(body []byte) (*MFAToken, error) {
	var probe struct {
		Status *wireStatus     `json:"status"`
		Data   json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	raw := json.RawMessage(body)
	if probe.Status != nil {
		if bool(probe.Status.Error) {
			return nil, errStatusError
		}
		if !isNull(probe.Data) {
			raw = probe.Data
		}
	}
	var ws []struct {
		MFAToken  *string  `json:"mfa_token"`
		Reusable  flexBool `json:"reusable"`
		ExpiresAt string   `json:"expires_at"`
	}
	if err := unmarshalOneOrMany(raw, &ws); err != nil {
		return nil, err
	}
	if len(ws) != 1 {
		return nil, fmt.Errorf("want one MFA token, got %d", len(ws))
	}
	w := ws[0]
	if w.MFAToken == nil || *w.MFAToken == "" {
		return nil, errors.New(`no "mfa_token" member`)
	}
	tok := &MFAToken{Token: wrappers.Secret(*w.MFAToken), Reusable: bool(w.Reusable)}
	if w.ExpiresAt != "" {
		t, err := parseTime(w.ExpiresAt)
		if err != nil {
			return nil, fmt.Errorf("expires_at: %w", err)
		}
		tok.ExpiresAt = t
	}
	return tok, nil
}

// unmarshalOneOrMany unmarshals a JSON array into *dst, or a single object as
// an array of one.
func unmarshalOneOrMany[T any](raw json.RawMessage, dst *[]T) error {
	t := bytes.TrimSpace(raw)
	if len(t) > 0 && t[0] == '{' {
		var one T
		if err := json.Unmarshal(t, &one); err != nil {
			return err
		}
		*dst = []T{one}
		return nil
	}
	return json.Unmarshal(t, dst)
}

// timeLayouts are the timestamp forms OneLogin has been seen to use.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.000Z0700",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a timestamp", wrappers.Excerpt([]byte(s), 60))
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

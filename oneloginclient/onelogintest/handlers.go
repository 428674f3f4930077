package onelogintest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	gen "github.com/mfakit/mfakit/gen/onelogin"
)

// handlers implements the generated server interface over the Server's state. It is a
// separate type so that the handler methods stay out of Server's exported API.
type handlers struct{ s *Server }

var _ gen.ServerInterface = handlers{}

// Messages the fake answers with, as OneLogin words them.
const (
	msgSuccess        = "Success"
	msgUserNotFound   = "User not found"
	msgDeviceNotFound = "Device not found"
	msgFailed         = "Failed authentication with this factor"
	msgPending        = "Authentication pending on OL Protect"
	msgBadStateToken  = "Invalid or expired state_token"
)

// timestamp formats a time the way OneLogin does (ISO 8601, UTC, milliseconds).
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only our own generated types are marshalled here
		panic("onelogintest: marshal response: " + err.Error())
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func textMessage(s string) gen.StatusMessage {
	var m gen.StatusMessage
	_ = m.FromStatusMessage0(s) // marshalling a string cannot fail
	return m
}

func detailMessage(description, attribute string) gen.StatusMessage {
	var m gen.StatusMessage
	_ = m.FromStatusMessageDetail(gen.StatusMessageDetail{Description: &description, Attribute: &attribute})
	return m
}

// v1Type is the status.type OneLogin sends with a code; its case really does vary.
func v1Type(code int) string {
	switch code {
	case http.StatusOK:
		return "success"
	case http.StatusBadRequest:
		return "bad request"
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusNotFound:
		return "not found"
	case http.StatusTooManyRequests:
		return "Too Many Requests"
	default:
		return http.StatusText(code)
	}
}

func v1Status(code int, msg gen.StatusMessage) gen.Status {
	return gen.Status{Error: code >= 400, Code: code, Type: v1Type(code), Message: msg}
}

func okStatus() gen.Status { return v1Status(http.StatusOK, textMessage(msgSuccess)) }

// writeStatus answers with a v1 envelope that has no data.
func writeStatus(w http.ResponseWriter, code int, msg gen.StatusMessage) {
	writeJSON(w, code, gen.StatusResponse{Status: v1Status(code, msg)})
}

func writeOAuthError(w http.ResponseWriter, code int, msg string) {
	name := strings.ReplaceAll(http.StatusText(code), " ", "")
	if name == "" {
		name = "Error"
	}
	writeJSON(w, code, gen.OAuthError{StatusCode: code, Name: name, Message: msg})
}

// decodeOptional decodes an optional JSON body; an empty body leaves v as it is.
func decodeOptional(r *http.Request, v any) error {
	err := json.NewDecoder(r.Body).Decode(v)
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

func (s *Server) deviceOut(d *device, f Factor, needsTrigger bool) gen.OtpDevice {
	out := gen.OtpDevice{
		Id:              d.ID,
		Active:          d.Active,
		Default:         d.Default,
		NeedsTrigger:    needsTrigger,
		AuthFactorName:  f.Name,
		TypeDisplayName: f.DisplayName,
		UserDisplayName: d.DisplayName,
	}
	if d.PhoneNumber != "" {
		p := d.PhoneNumber
		out.PhoneNumber = &p
	}
	return out
}

// GetMFAFactors implements GET /api/1/users/{user_id}/auth_factors.
func (h handlers) GetMFAFactors(w http.ResponseWriter, _ *http.Request, userID gen.UserID) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.users[userID] == nil {
		writeStatus(w, http.StatusNotFound, textMessage(msgUserNotFound))
		return
	}
	out := gen.AvailableFactorsResponse{Status: okStatus(), Data: gen.AvailableFactorsData{AuthFactors: []gen.AuthFactor{}}}
	for _, f := range s.st.factors {
		out.Data.AuthFactors = append(out.Data.AuthFactors, gen.AuthFactor{FactorId: f.ID, Name: f.Name})
	}
	writeJSON(w, http.StatusOK, out)
}

// GetEnrolledFactors implements GET /api/1/users/{user_id}/otp_devices. A OneLogin Protect
// device is listed twice with the same id: push (needs_trigger true) and code.
func (h handlers) GetEnrolledFactors(w http.ResponseWriter, _ *http.Request, userID gen.UserID) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.users[userID] == nil {
		writeStatus(w, http.StatusNotFound, textMessage(msgUserNotFound))
		return
	}
	out := gen.EnrolledFactorsResponse{Status: okStatus(), Data: gen.EnrolledFactorsData{OtpDevices: []gen.OtpDevice{}}}
	for _, d := range s.st.devices[userID] {
		f, _ := s.st.factor(d.FactorID)
		switch f.Kind {
		case FactorProtect:
			out.Data.OtpDevices = append(out.Data.OtpDevices, s.deviceOut(d, f, true), s.deviceOut(d, f, false))
		case FactorAuthenticator:
			out.Data.OtpDevices = append(out.Data.OtpDevices, s.deviceOut(d, f, false))
		default:
			out.Data.OtpDevices = append(out.Data.OtpDevices, s.deviceOut(d, f, true))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// EnrollMfaFactor implements POST /api/1/users/{user_id}/otp_devices. Unless verified is
// true the new device is inactive and a verification is started: an SMS or voice code is
// "sent" (read it with Server.OTP), and the answer carries the state token.
func (h handlers) EnrollMfaFactor(w http.ResponseWriter, r *http.Request, userID gen.UserID) {
	s := h.s
	var body gen.EnrollFactorRequest
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeStatus(w, http.StatusBadRequest, textMessage("Invalid JSON body"))
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	if st.users[userID] == nil {
		writeStatus(w, http.StatusNotFound, textMessage(msgUserNotFound))
		return
	}
	f, ok := st.factor(body.FactorId)
	if !ok {
		writeStatus(w, http.StatusBadRequest, detailMessage("Factor not available", "factor_id"))
		return
	}
	if strings.TrimSpace(body.DisplayName) == "" {
		writeStatus(w, http.StatusBadRequest, detailMessage("can't be blank", "display_name"))
		return
	}
	number := ""
	if f.Kind.needsPhone() {
		if body.Number == nil || !e164.MatchString(*body.Number) {
			writeStatus(w, http.StatusBadRequest, detailMessage("Invalid phone number", "number"))
			return
		}
		number = *body.Number
	}
	verified := body.Verified != nil && *body.Verified
	id, err := st.addDevice(Device{
		UserID:      userID,
		FactorID:    f.ID,
		DisplayName: body.DisplayName,
		PhoneNumber: number,
		Active:      verified,
		Default:     len(st.devices[userID]) == 0,
	})
	if err != nil {
		writeStatus(w, http.StatusBadRequest, textMessage(err.Error()))
		return
	}
	d, _ := st.device(userID, id)
	out := s.deviceOut(d, f, f.Kind != FactorAuthenticator)
	if !verified {
		code := d.otp
		if f.Kind.needsPhone() {
			code = st.newCode(f.Kind == FactorVoice)
		}
		v := st.startVerification(userID, id, false, code, now.Add(s.cfg.stateLifetime))
		out.StateToken = &v.token
		out.NeedsTrigger = false // the code has just been sent (or is shown by the app)
	}
	writeJSON(w, http.StatusOK, gen.EnrollFactorResponse{Status: okStatus(), Data: []gen.OtpDevice{out}})
}

// ActivateMfaFactors implements POST …/otp_devices/{device_id}/trigger: sends an SMS or
// voice code, or shows a OneLogin Protect push (approve it with Server.ApprovePush). The
// answer's id is the user's id.
func (h handlers) ActivateMfaFactors(w http.ResponseWriter, r *http.Request, userID gen.UserID, deviceID gen.DeviceID) {
	s := h.s
	var body gen.ActivateFactorRequest
	if err := decodeOptional(r, &body); err != nil {
		writeStatus(w, http.StatusBadRequest, textMessage("Invalid JSON body"))
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	if st.users[userID] == nil {
		writeStatus(w, http.StatusNotFound, textMessage(msgUserNotFound))
		return
	}
	d, ok := st.device(userID, deviceID)
	if !ok {
		writeStatus(w, http.StatusNotFound, textMessage(msgDeviceNotFound))
		return
	}
	f, _ := st.factor(d.FactorID)
	lifetime := s.cfg.stateLifetime
	if body.StateTokenExpiresIn != nil {
		lifetime = time.Duration(*body.StateTokenExpiresIn) * time.Second
	}
	var v *verification
	switch f.Kind {
	case FactorSMS:
		numeric := body.NumericSmsOtp != nil && *body.NumericSmsOtp
		v = st.startVerification(userID, deviceID, false, st.newCode(numeric), now.Add(lifetime))
	case FactorVoice:
		v = st.startVerification(userID, deviceID, false, st.newCode(true), now.Add(lifetime))
	case FactorProtect:
		v = st.startVerification(userID, deviceID, true, d.otp, now.Add(lifetime))
	default:
		v = st.startVerification(userID, deviceID, false, d.otp, now.Add(lifetime))
	}
	expires := timestamp(v.expires)
	writeJSON(w, http.StatusOK, gen.ActivateFactorResponse{Status: okStatus(), Data: []gen.FactorActivation{{
		Id:                  userID,
		DeviceId:            deviceID,
		Active:              d.Active,
		StateToken:          v.token,
		StateTokenExpiresAt: &expires,
		AuthFactorName:      f.Name,
		TypeDisplayName:     f.DisplayName,
		UserDisplayName:     d.DisplayName,
	}}})
}

// VerifyMfaFactor implements POST …/otp_devices/{device_id}/verify. A wrong code and a
// push not yet approved both answer 401, with different messages; device 0 checks a
// temporary MFA token.
func (h handlers) VerifyMfaFactor(w http.ResponseWriter, r *http.Request, userID gen.UserID, deviceID gen.DeviceID) {
	s := h.s
	var body gen.VerifyFactorRequest
	if err := decodeOptional(r, &body); err != nil {
		writeStatus(w, http.StatusBadRequest, textMessage("Invalid JSON body"))
		return
	}
	otp, stateToken := deref(body.OtpToken), deref(body.StateToken)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	if st.users[userID] == nil {
		writeStatus(w, http.StatusNotFound, textMessage(msgUserNotFound))
		return
	}
	if deviceID == 0 {
		s.verifyMFAToken(w, userID, otp, now)
		return
	}
	d, ok := st.device(userID, deviceID)
	if !ok {
		writeStatus(w, http.StatusNotFound, textMessage(msgDeviceNotFound))
		return
	}
	f, _ := st.factor(d.FactorID)
	succeed := func() {
		d.Active = true
		writeJSON(w, http.StatusOK, gen.StatusResponse{Status: okStatus()})
	}
	fail := func(msg string) { writeStatus(w, http.StatusUnauthorized, textMessage(msg)) }

	if stateToken != "" {
		v := st.verifs[stateToken]
		if v == nil || v.userID != userID || v.deviceID != deviceID || !now.Before(v.expires) {
			fail(msgBadStateToken)
			return
		}
		switch {
		case v.push && otp != "":
			if otp != d.otp {
				fail(msgFailed)
				return
			}
		case v.push && v.denied:
			delete(st.verifs, stateToken)
			fail(msgFailed)
			return
		case v.push && !v.approved:
			fail(msgPending)
			return
		case !v.push && otp == "":
			writeStatus(w, http.StatusBadRequest, detailMessage("otp_token is required", "otp_token"))
			return
		case !v.push && otp != v.code:
			fail(msgFailed)
			return
		}
		delete(st.verifs, stateToken)
		succeed()
		return
	}
	if f.Kind.needsPhone() {
		writeStatus(w, http.StatusBadRequest, detailMessage("state_token is required", "state_token"))
		return
	}
	if otp == "" {
		writeStatus(w, http.StatusBadRequest, detailMessage("otp_token is required", "otp_token"))
		return
	}
	if otp != d.otp {
		fail(msgFailed)
		return
	}
	succeed()
}

// verifyMFAToken checks a temporary MFA token given as the otp_token of device 0. s.mu is held.
func (s *Server) verifyMFAToken(w http.ResponseWriter, userID int, otp string, now time.Time) {
	for _, t := range s.st.mfaTokens {
		if t.userID == userID && t.token == otp && now.Before(t.expires) && (t.reusable || !t.used) {
			t.used = true
			writeJSON(w, http.StatusOK, gen.StatusResponse{Status: okStatus()})
			return
		}
	}
	writeStatus(w, http.StatusUnauthorized, textMessage(msgFailed))
}

// RemoveMfaFactors implements DELETE /api/1/users/{user_id}/otp_devices/{device_id}.
func (h handlers) RemoveMfaFactors(w http.ResponseWriter, _ *http.Request, userID gen.UserID, deviceID gen.DeviceID) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.users[userID] == nil {
		writeStatus(w, http.StatusNotFound, textMessage(msgUserNotFound))
		return
	}
	if !s.st.removeDevice(userID, deviceID) {
		writeStatus(w, http.StatusNotFound, textMessage(msgDeviceNotFound))
		return
	}
	writeJSON(w, http.StatusOK, gen.StatusResponse{Status: okStatus()})
}

// GenerateMFAtoken implements POST /api/1/users/{user_id}/mfa_token. Its success body is
// not wrapped; its errors are.
func (h handlers) GenerateMFAtoken(w http.ResponseWriter, r *http.Request, userID gen.UserID) {
	s := h.s
	var body gen.GenerateMFATokenRequest
	if err := decodeOptional(r, &body); err != nil {
		writeStatus(w, http.StatusBadRequest, textMessage("Invalid JSON body"))
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.users[userID] == nil {
		writeStatus(w, http.StatusNotFound, textMessage(msgUserNotFound))
		return
	}
	lifetime := 259200 * time.Second
	if body.ExpiresIn != nil {
		lifetime = time.Duration(*body.ExpiresIn) * time.Second
	}
	t := &mfaToken{
		userID:   userID,
		token:    fmt.Sprintf("%08d", s.st.rng.IntN(100_000_000)),
		reusable: body.Reusable != nil && *body.Reusable,
		expires:  now.Add(lifetime),
	}
	s.st.mfaTokens = append(s.st.mfaTokens, t)
	writeJSON(w, http.StatusOK, gen.MFAToken{MfaToken: t.token, Reusable: t.reusable, ExpiresAt: timestamp(t.expires)})
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

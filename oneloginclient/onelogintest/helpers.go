package onelogintest

import (
	"fmt"
	"slices"
)

// AddUser adds a user and returns its id (u.ID, or a new id when u.ID is 0).
func (s *Server) AddUser(u User) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.addUser(u)
}

// AddFactor makes a factor available to every user and returns its id (f.ID, or a new id
// when f.ID is 0).
func (s *Server) AddFactor(f Factor) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.addFactor(f)
}

// AddDevice enrols a device directly, without the Enroll/Verify round trip, and returns its
// id (d.ID, or a new id when d.ID is 0). SMS and voice devices need an E.164 PhoneNumber.
func (s *Server) AddDevice(d Device) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.addDevice(d)
}

// Users returns the users in the order they were added.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.st.userOrder))
	for _, id := range s.st.userOrder {
		out = append(out, *s.st.users[id])
	}
	return out
}

// Factors returns the factors the account offers.
func (s *Server) Factors() []Factor {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.factors)
}

// Devices returns the user's enrolled devices in enrolment order (each device once, even a
// OneLogin Protect device that the API lists twice).
func (s *Server) Devices(userID int) []Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Device
	for _, d := range s.st.devices[userID] {
		out = append(out, d.Device)
	}
	return out
}

// OTP returns the code that Verify a Factor accepts for the device right now: the code of
// the newest unexpired SMS, voice or enrolment verification, or else the current code of an
// authenticator app or OneLogin Protect. It reports false when there is none (an SMS device
// that has not been triggered, or an unknown device).
func (s *Server) OTP(userID, deviceID int) (string, bool) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.st.device(userID, deviceID)
	if !ok {
		return "", false
	}
	if v := s.st.latestVerification(userID, deviceID, now, false); v != nil {
		return v.code, true
	}
	if d.otp != "" {
		return d.otp, true
	}
	return "", false
}

// PendingPush returns the state token of the newest unexpired push for the device that the
// user has not answered yet.
func (s *Server) PendingPush(userID, deviceID int) (stateToken string, ok bool) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := s.st.latestVerification(userID, deviceID, now, true); v != nil && !v.approved && !v.denied {
		return v.token, true
	}
	return "", false
}

// ApprovePush answers the newest pending push for the device as the user accepting it; the
// next Verify a Factor poll with its state token succeeds.
func (s *Server) ApprovePush(userID, deviceID int) error { return s.answerPush(userID, deviceID, true) }

// DenyPush answers the newest pending push for the device as the user rejecting it; the next
// Verify a Factor poll with its state token fails.
func (s *Server) DenyPush(userID, deviceID int) error { return s.answerPush(userID, deviceID, false) }

func (s *Server) answerPush(userID, deviceID int, approve bool) error {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.st.latestVerification(userID, deviceID, now, true)
	if v == nil || v.approved || v.denied {
		return fmt.Errorf("%w for user %d device %d", ErrNoPendingPush, userID, deviceID)
	}
	v.approved, v.denied = approve, !approve
	return nil
}

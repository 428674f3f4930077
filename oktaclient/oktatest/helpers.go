package oktatest

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Errors of the state helpers, for errors.Is.
var (
	// ErrNotFound is returned for an unknown user, factor or authenticator.
	ErrNotFound = errors.New("oktatest: not found")
	// ErrInvalid is returned for a value the fake cannot add as given.
	ErrInvalid = errors.New("oktatest: invalid")
	// ErrNoPendingPush is returned by ApprovePush and RejectPush when no push challenge
	// of the factor is waiting for an answer.
	ErrNoPendingPush = errors.New("oktatest: no push challenge is waiting")
)

var methodTypes = []string{"cert", "duo", "email", "idp", "otp", "password", "push", "security_question", "signed_nonce", "sms", "tac", "totp", "voice", "webauthn"}

// AddUser adds a user to the org and returns its id. Login defaults to Email; one of
// them is required, and ids and logins must be unique.
func (s *Server) AddUser(u User) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.addUser(u)
}

func (st *state) addUser(u User) (string, error) {
	if u.Login == "" {
		u.Login = u.Email
	}
	if u.Login == "" {
		return "", fmt.Errorf("%w: user needs a Login or an Email", ErrInvalid)
	}
	if u.Email == "" {
		u.Email = u.Login
	}
	if u.ID == "" {
		u.ID = newID("00u")
	}
	for _, x := range st.users {
		if x.ID == u.ID || x.Login == u.Login {
			return "", fmt.Errorf("%w: a user with id %s or login %s exists", ErrInvalid, u.ID, u.Login)
		}
	}
	st.users[u.ID] = &u
	st.userOrder = append(st.userOrder, u.ID)
	return u.ID, nil
}

// Users returns the org's users, in the order they were added.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.st.userOrder))
	for _, id := range s.st.userOrder {
		out = append(out, *s.st.users[id])
	}
	return out
}

// AddAuthenticator adds an authenticator to the org and returns its id. Key is required;
// an org has at most one authenticator of most keys (custom_app, custom_otp,
// external_idp and smart_card_idp may repeat).
func (s *Server) AddAuthenticator(a Authenticator) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.addAuthenticator(a, s.now())
}

func (st *state) addAuthenticator(in Authenticator, now time.Time) (string, error) {
	info, ok := keys[in.Key]
	if !ok {
		return "", fmt.Errorf("%w: unknown authenticator key %q", ErrInvalid, in.Key)
	}
	if !info.multiple && st.authByKey(in.Key) != nil {
		return "", fmt.Errorf("%w: the org already has a %s authenticator", ErrInvalid, in.Key)
	}
	status, err := lifecycle(in.Status)
	if err != nil {
		return "", err
	}
	a := &authenticator{
		id: in.ID, key: in.Key, name: in.Name, description: in.Description, status: status,
		created: now, updated: now, settings: cloneMap(in.Settings), provider: cloneMap(in.Provider),
	}
	if a.id == "" {
		a.id = newID("aut")
	}
	if _, dup := st.auths[a.id]; dup {
		return "", fmt.Errorf("%w: an authenticator with id %s exists", ErrInvalid, a.id)
	}
	if a.name == "" {
		a.name = info.name
	}
	if in.Methods == nil {
		a.methods = defaultMethods(in.Key)
	}
	for _, m := range in.Methods {
		if !slices.Contains(methodTypes, m.Type) {
			return "", fmt.Errorf("%w: unknown method type %q", ErrInvalid, m.Type)
		}
		ms, err := lifecycle(m.Status)
		if err != nil {
			return "", err
		}
		a.methods = append(a.methods, &method{typ: m.Type, status: ms, settings: cloneMap(m.Settings), verifiable: slices.Clone(m.VerifiableProperties)})
	}
	st.auths[a.id] = a
	st.authOrder = append(st.authOrder, a.id)
	return a.id, nil
}

func lifecycle(status string) (string, error) {
	switch status {
	case "":
		return "ACTIVE", nil
	case "ACTIVE", "INACTIVE":
		return status, nil
	}
	return "", fmt.Errorf("%w: status %q is neither ACTIVE nor INACTIVE", ErrInvalid, status)
}

// defaultMethods are the methods of a new authenticator of key, all active.
func defaultMethods(key string) []*method {
	var out []*method
	for _, t := range keys[key].methods {
		out = append(out, &method{typ: t, status: "ACTIVE"})
	}
	return out
}

// Authenticators returns the org's authenticators, in list order.
func (s *Server) Authenticators() []Authenticator {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Authenticator, 0, len(s.st.authOrder))
	for _, id := range s.st.authOrder {
		a := s.st.auths[id]
		x := Authenticator{
			ID: a.id, Key: a.key, Name: a.name, Description: a.description, Status: a.status,
			Settings: cloneMap(a.settings), Provider: cloneMap(a.provider), Methods: []Method{},
		}
		for _, m := range a.methods {
			x.Methods = append(x.Methods, Method{Type: m.typ, Status: m.status, Settings: cloneMap(m.settings), VerifiableProperties: slices.Clone(m.verifiable)})
		}
		out = append(out, x)
	}
	return out
}

// AuthenticatorID returns the id of the org's first authenticator of key, such as
// "phone_number", and whether there is one.
func (s *Server) AuthenticatorID(key string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.st.authByKey(key); a != nil {
		return a.id, true
	}
	return "", false
}

// AddFactor adds a factor to a user and returns its id. A question factor needs
// Profile["question"] and an Answer of at least four characters; sms and call factors
// need Profile["phoneNumber"] in E.164 form. A factor in PENDING_ACTIVATION gets the
// activation data (and, for sms, call and email, a passcode) an enrollment would.
func (s *Server) AddFactor(userID string, f Factor) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.addFactor(userID, f, s.now())
}

func (st *state) addFactor(userID string, in Factor, now time.Time) (string, error) {
	u := st.users[userID]
	if u == nil {
		return "", fmt.Errorf("%w: user %s", ErrNotFound, userID)
	}
	info, ok := factorTypes[in.FactorType]
	if !ok {
		return "", fmt.Errorf("%w: unknown factor type %q", ErrInvalid, in.FactorType)
	}
	if in.Provider == "" {
		in.Provider = info.providers[0]
	}
	if !slices.Contains(info.providers, in.Provider) {
		return "", fmt.Errorf("%w: %s is not a provider of %s factors", ErrInvalid, in.Provider, in.FactorType)
	}
	if in.Status == "" {
		in.Status = "ACTIVE"
	}
	for _, x := range st.factors[userID] {
		if x.factorType == in.FactorType && x.provider == in.Provider {
			return "", fmt.Errorf("%w: user %s already has a %s (%s) factor", ErrInvalid, userID, in.FactorType, in.Provider)
		}
		if x.id == in.ID {
			return "", fmt.Errorf("%w: user %s already has a factor %s", ErrInvalid, userID, in.ID)
		}
	}
	f := &factor{
		id: in.ID, userID: userID, factorType: in.FactorType, provider: in.Provider, status: in.Status,
		profile: cloneMap(in.Profile), answer: in.Answer, secret: in.SharedSecret, created: now, updated: now,
	}
	if f.id == "" {
		f.id = newID(info.prefix)
	}
	if f.profile == nil {
		f.profile = map[string]any{}
	}
	switch f.factorType {
	case "question":
		if _, ok := questionText(str(f.profile, "question")); !ok || len(f.answer) < 4 {
			return "", fmt.Errorf("%w: a question factor needs a known Profile[\"question\"] and an Answer of 4 or more characters", ErrInvalid)
		}
	case "sms", "call":
		if !e164.MatchString(str(f.profile, "phoneNumber")) {
			return "", fmt.Errorf("%w: an %s factor needs Profile[\"phoneNumber\"] in E.164 form", ErrInvalid, f.factorType)
		}
	case "email":
		if str(f.profile, "email") == "" {
			f.profile["email"] = u.Email
		}
	case "token:software:totp":
		if f.secret == "" {
			f.secret = newTOTPSecret()
		}
		if _, err := decodeSecret(f.secret); err != nil {
			return "", fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		if str(f.profile, "credentialId") == "" {
			f.profile["credentialId"] = u.Login
		}
	}
	if f.status == "PENDING_ACTIVATION" {
		switch f.factorType {
		case "sms", "call", "email":
			st.issueCode(f, now, DefaultPasscodeLifetime)
		case "token:software:totp":
			f.totpActivation = totpActivation(f.secret, st.userURL(userID)+"/factors/"+f.id)
		}
	}
	st.factors[userID] = append(st.factors[userID], f)
	return f.id, nil
}

// Factors returns a user's factors, in enrollment order, secrets included (Answer,
// SharedSecret) so tests can use them.
func (s *Server) Factors(userID string) []Factor {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Factor{}
	for _, f := range s.st.factors[userID] {
		out = append(out, Factor{
			ID: f.id, UserID: f.userID, FactorType: f.factorType, Provider: f.provider, Status: f.status,
			Profile: cloneMap(f.profile), Answer: f.answer, SharedSecret: f.secret,
		})
	}
	return out
}

// AddEnrollment adds an authenticator enrollment to a user and returns its id. Key is
// required; a phone_number enrollment needs PhoneNumber in E.164 form, and an
// okta_email one takes the user's email when Email is empty.
func (s *Server) AddEnrollment(userID string, e Enrollment) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.addEnrollment(userID, e, s.now())
}

func (st *state) addEnrollment(userID string, in Enrollment, now time.Time) (string, error) {
	u := st.users[userID]
	if u == nil {
		return "", fmt.Errorf("%w: user %s", ErrNotFound, userID)
	}
	if _, ok := keys[in.Key]; !ok {
		return "", fmt.Errorf("%w: unknown authenticator key %q", ErrInvalid, in.Key)
	}
	e := &enrollment{id: in.ID, userID: userID, key: in.Key, status: in.Status, phone: in.PhoneNumber, email: in.Email, created: now, updated: now}
	if e.status == "" {
		e.status = "ACTIVE"
	}
	if in.Nickname != "" {
		nick := in.Nickname
		e.nickname = &nick
	}
	switch in.Key {
	case "phone_number":
		if !e164.MatchString(e.phone) {
			return "", fmt.Errorf("%w: a phone_number enrollment needs PhoneNumber in E.164 form", ErrInvalid)
		}
	case "okta_email":
		if e.email == "" {
			e.email = u.Email
		}
	}
	if e.id == "" {
		e.id = newID("eae")
	}
	for _, x := range st.enrolls[userID] {
		if x.id == e.id {
			return "", fmt.Errorf("%w: user %s already has an enrollment %s", ErrInvalid, userID, e.id)
		}
	}
	st.enrolls[userID] = append(st.enrolls[userID], e)
	return e.id, nil
}

// Enrollments returns a user's authenticator enrollments, in order.
func (s *Server) Enrollments(userID string) []Enrollment {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Enrollment{}
	for _, e := range s.st.enrolls[userID] {
		x := Enrollment{ID: e.id, UserID: e.userID, Key: e.key, Status: e.status, PhoneNumber: e.phone, Email: e.email}
		if e.nickname != nil {
			x.Nickname = *e.nickname
		}
		out = append(out, x)
	}
	return out
}

// Passcode returns the passcode a factor's user would have in hand: the last code sent
// to an sms, call or email factor (while it is valid and unused), or the code a token,
// token:hardware or token:hotp device shows now. ok is false for other factors, unknown
// ids, or an sms, call or email factor with no code outstanding.
func (s *Server) Passcode(userID, factorID string) (code string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.st.userFactor(userID, factorID)
	if f == nil {
		return "", false
	}
	switch f.factorType {
	case "sms", "call", "email":
		if f.code == "" || (!f.codeExpires.IsZero() && !s.now().Before(f.codeExpires)) {
			return "", false
		}
		return f.code, true
	case "token", "token:hardware", "token:hotp":
		return s.st.deviceCode(f), true
	}
	return "", false
}

// TOTPSecret returns the base32 shared secret of a token:software:totp factor, to compute
// codes with TOTPCode.
func (s *Server) TOTPSecret(userID, factorID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.st.userFactor(userID, factorID)
	if f == nil || f.factorType != "token:software:totp" {
		return "", false
	}
	return f.secret, true
}

// ApprovePush answers the factor's newest waiting push challenge as the user approving
// it: polling its transaction then gives SUCCESS.
func (s *Server) ApprovePush(userID, factorID string) error {
	return s.answerPush(userID, factorID, "SUCCESS")
}

// RejectPush answers the factor's newest waiting push challenge as the user rejecting it:
// polling its transaction then gives REJECTED.
func (s *Server) RejectPush(userID, factorID string) error {
	return s.answerPush(userID, factorID, "REJECTED")
}

func (s *Server) answerPush(userID, factorID, result string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var newest *pushTx
	for _, tx := range s.st.pushTxs {
		if tx.userID == userID && tx.factorID == factorID && tx.result == "WAITING" && now.Before(tx.expires) {
			if newest == nil || tx.expires.After(newest.expires) {
				newest = tx
			}
		}
	}
	if newest == nil {
		return fmt.Errorf("%w for user %s factor %s", ErrNoPendingPush, userID, factorID)
	}
	newest.result = result
	return nil
}

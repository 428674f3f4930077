package oktatest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"math/big"
	"time"

	okta "github.com/mfakit/mfakit/gen/okta"
)

// User is a user of the fake org. Okta's Users API is not part of mfakit; users exist so
// that factors and enrollments have owners.
type User struct {
	// ID is the user's id (00u…); AddUser assigns one when it is empty.
	ID string
	// Login is the user's sign-in name, usually an email address.
	Login string
	// Email is the user's primary email, used for email factors and enrollments.
	Email string
	// FirstName and LastName are the user's names.
	FirstName, LastName string
	// MobilePhone is the user's phone number in E.164 form, if any.
	MobilePhone string
}

// Authenticator is an org-wide authenticator, for AddAuthenticator and Authenticators.
type Authenticator struct {
	// ID is the authenticator's id (aut…); AddAuthenticator assigns one when it is empty.
	ID string
	// Key is the kind of authenticator, such as "okta_email" or "webauthn" (required).
	Key string
	// Name is the display name; AddAuthenticator uses Okta's default for Key when empty.
	Name string
	// Description is shown to users; only webauthn authenticators have one.
	Description string
	// Status is "ACTIVE" (the default) or "INACTIVE".
	Status string
	// Settings and Provider are the authenticator's settings and provider objects, as JSON
	// values. Secrets in a provider's configuration (secretKey, sharedSecret) are kept but
	// never returned by the API.
	Settings, Provider map[string]any
	// Methods are the authenticator's methods; nil gives the methods Okta gives the key.
	Methods []Method
}

// Method is one method of an authenticator.
type Method struct {
	// Type is the method type, such as "sms" or "webauthn".
	Type string
	// Status is "ACTIVE" (the default) or "INACTIVE".
	Status string
	// Settings is the method's settings object, if it has one.
	Settings map[string]any
	// VerifiableProperties are the assurance properties the method proves, if any.
	VerifiableProperties []string
}

// Factor is one of a user's factors (the classic factor API), for AddFactor and Factors.
type Factor struct {
	// ID is the factor's id; AddFactor assigns one when it is empty.
	ID string
	// UserID is the owner; Factors fills it in and AddFactor ignores it.
	UserID string
	// FactorType is one of the 13 factor types, such as "sms" or "token:software:totp".
	FactorType string
	// Provider is the factor's provider; AddFactor uses the usual one for FactorType when
	// empty (OKTA, or FIDO, DUO, YUBICO, RSA, CUSTOM).
	Provider string
	// Status is "ACTIVE" (the default), "PENDING_ACTIVATION" or another factor status.
	Status string
	// Profile is the factor's profile as a JSON object (phoneNumber, email, question, ...).
	Profile map[string]any
	// Answer is the answer to a question factor; it is never returned by the API.
	Answer string
	// SharedSecret is the base32 TOTP secret of a token:software:totp factor; AddFactor
	// generates one when it is empty.
	SharedSecret string
}

// Enrollment is one of a user's authenticator enrollments (Identity Engine), for
// AddEnrollment and Enrollments.
type Enrollment struct {
	// ID is the enrollment's id; AddEnrollment assigns one when it is empty.
	ID string
	// UserID is the owner; Enrollments fills it in and AddEnrollment ignores it.
	UserID string
	// Key is the key of the enrolled authenticator, such as "phone_number" (required).
	Key string
	// Status is "ACTIVE" (the default) or another status.
	Status string
	// Nickname is the name the user gave the enrollment, if any.
	Nickname string
	// PhoneNumber is the number of a phone enrollment, in E.164 form.
	PhoneNumber string
	// Email is the address of an email enrollment.
	Email string
}

type authenticator struct {
	id, key, name, description, status string
	created, updated                   time.Time
	settings, provider                 map[string]any
	extra                              map[string]any // other writable top-level fields
	methods                            []*method
	aaguids                            []*aaguid
}

type method struct {
	typ, status string
	settings    map[string]any
	verifiable  []string
}

type aaguid struct {
	id, name        string
	certs           []string // x5c, base64 DER
	characteristics map[string]any
}

type factor struct {
	id, userID, factorType, provider, status string
	factorProfileID                          string
	profile                                  map[string]any
	answer                                   string
	secret                                   string // base32 TOTP secret
	lastStep                                 int64  // last TOTP time step accepted
	code                                     string // outstanding passcode
	codeExpires, codeSent                    time.Time
	activation                               map[string]any                 // _embedded.activation while pending (not totp)
	totpActivation                           *okta.UserFactorTotpActivation // token:software:totp's, while pending
	created, updated                         time.Time
}

type enrollment struct {
	id, userID, key, status string
	nickname                *string
	phone, email            string
	profileTAC              map[string]any // the TAC profile without the code, for tac enrollments
	created, updated        time.Time
}

type pushTx struct {
	id, userID, factorID, result string
	expires                      time.Time
	answer                       int
}

// state is the fake org. Every method expects Server.mu to be held.
type state struct {
	base      string // the server URL, for _links
	fixedCode string
	created   time.Time

	users     map[string]*User
	userOrder []string
	auths     map[string]*authenticator
	authOrder []string
	factors   map[string][]*factor     // by user id, in enrollment order
	enrolls   map[string][]*enrollment // by user id
	pushTxs   map[string]*pushTx
}

func newState(base string, now time.Time, fixedCode string) *state {
	return &state{
		base:      base,
		fixedCode: fixedCode,
		created:   now,
		users:     map[string]*User{},
		auths:     map[string]*authenticator{},
		factors:   map[string][]*factor{},
		enrolls:   map[string][]*enrollment{},
		pushTxs:   map[string]*pushTx{},
	}
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// randomID returns n random base62 characters, the alphabet of Okta's ids.
func randomID(n int) string {
	b := make([]byte, n)
	limit := big.NewInt(int64(len(base62)))
	for i := range b {
		v, err := rand.Int(rand.Reader, limit)
		if err != nil {
			panic("oktatest: crypto/rand: " + err.Error())
		}
		b[i] = base62[v.Int64()]
	}
	return string(b)
}

// newID returns an Okta-shaped id: prefix and random base62 characters, 20 in all.
func newID(prefix string) string { return prefix + randomID(20-len(prefix)) }

// stableID returns an Okta-shaped id derived from name, so seeded ids do not change from
// run to run.
func stableID(prefix, name string) string {
	sum := sha256.Sum256([]byte(name))
	b := make([]byte, 20-len(prefix))
	for i := range b {
		b[i] = base62[int(sum[i])%len(base62)]
	}
	return prefix + string(b)
}

// randomDigits returns n random decimal digits.
func randomDigits(n int) string {
	b := make([]byte, n)
	for i := range b {
		v, err := rand.Int(rand.Reader, big.NewInt(10))
		if err != nil {
			panic("oktatest: crypto/rand: " + err.Error())
		}
		b[i] = byte('0' + v.Int64())
	}
	return string(b)
}

// newPasscode returns a passcode to send: the fixed one, or six random digits.
func (st *state) newPasscode() string {
	if st.fixedCode != "" {
		return st.fixedCode
	}
	return randomDigits(6)
}

// ts formats t the way Okta does: "2020-07-26T21:05:23.000Z".
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// cloneMap deep-copies a JSON object (nil stays nil).
func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic("oktatest: clone: " + err.Error())
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		panic("oktatest: clone: " + err.Error())
	}
	return out
}

// link is a HAL link with the methods it allows.
func link(href string, allow ...string) map[string]any {
	m := map[string]any{"href": href}
	if len(allow) > 0 {
		hints := make([]any, len(allow))
		for i, a := range allow {
			hints[i] = a
		}
		m["hints"] = map[string]any{"allow": hints}
	}
	return m
}

func (st *state) userFactor(userID, factorID string) *factor {
	for _, f := range st.factors[userID] {
		if f.id == factorID {
			return f
		}
	}
	return nil
}

func (st *state) authByKey(key string) *authenticator {
	for _, id := range st.authOrder {
		if a := st.auths[id]; a.key == key {
			return a
		}
	}
	return nil
}

func (a *authenticator) method(typ string) *method {
	for _, m := range a.methods {
		if m.typ == typ {
			return m
		}
	}
	return nil
}

func (a *authenticator) findAAGUID(id string) (int, *aaguid) {
	for i, g := range a.aaguids {
		if g.id == id {
			return i, g
		}
	}
	return -1, nil
}

package onelogintest

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"regexp"
	"slices"
	"time"
)

// FactorKind says how a factor behaves: whether it must be triggered and whether it can push.
type FactorKind int

// The factor kinds the fake knows.
const (
	// FactorSMS sends a code by text message when triggered.
	FactorSMS FactorKind = iota + 1
	// FactorVoice reads a code out in a phone call when triggered.
	FactorVoice
	// FactorProtect is OneLogin Protect: a push when triggered, or a code from the app. Its
	// devices are listed twice, once for push (needs_trigger true) and once for the code.
	FactorProtect
	// FactorAuthenticator is a TOTP app such as Google Authenticator: a code, never triggered.
	FactorAuthenticator
)

// String returns the kind's name.
func (k FactorKind) String() string {
	switch k {
	case FactorSMS:
		return "sms"
	case FactorVoice:
		return "voice"
	case FactorProtect:
		return "protect"
	case FactorAuthenticator:
		return "authenticator"
	default:
		return fmt.Sprintf("FactorKind(%d)", int(k))
	}
}

func (k FactorKind) valid() bool { return k >= FactorSMS && k <= FactorAuthenticator }

// needsPhone reports whether devices of this kind are enrolled with a phone number.
func (k FactorKind) needsPhone() bool { return k == FactorSMS || k == FactorVoice }

// Factor is an authentication factor the account offers (an entry of List Available Factors).
type Factor struct {
	// ID is the factor_id; 0 lets AddFactor pick one.
	ID int
	// Name is the factor's name as administrators see it (auth_factor_name).
	Name string
	// DisplayName is the name users see (type_display_name); empty means Name.
	DisplayName string
	// Kind says how the factor behaves.
	Kind FactorKind
}

// User is a OneLogin user.
type User struct {
	// ID is the user id; 0 lets AddUser pick one.
	ID int
	// Username is the user's login name.
	Username string
	// Email is the user's email address.
	Email string
	// FirstName and LastName are the user's names.
	FirstName, LastName string
}

// Device is an enrolled MFA device.
type Device struct {
	// ID is the device id; 0 lets AddDevice pick one.
	ID int
	// UserID is the owning user's id.
	UserID int
	// FactorID is the factor the device was enrolled with.
	FactorID int
	// DisplayName is the name the user gave the device (user_display_name).
	DisplayName string
	// PhoneNumber is the E.164 number of an SMS or voice device.
	PhoneNumber string
	// Active is true once the device has been verified.
	Active bool
	// Default is true for the user's default device.
	Default bool
}

// Seeded data, present unless WithoutSeed is given.
const (
	// SeedFactorSMS is the "OneLogin SMS" factor.
	SeedFactorSMS = 16282
	// SeedFactorVoice is the "OneLogin Voice" factor.
	SeedFactorVoice = 16283
	// SeedFactorProtect is the "OneLogin Protect" factor (push and code).
	SeedFactorProtect = 16284
	// SeedFactorAuthenticator is the "Google Authenticator" factor.
	SeedFactorAuthenticator = 16285

	// SeedUserAda has an active OneLogin Protect device (listed twice: push and code) and an
	// active SMS device.
	SeedUserAda = 51234501
	// SeedUserGrace has an active Google Authenticator device and an SMS device whose
	// enrolment is still pending.
	SeedUserGrace = 51234502
	// SeedUserAlan has no devices.
	SeedUserAlan = 51234503

	// SeedDeviceAdaProtect is Ada's OneLogin Protect device.
	SeedDeviceAdaProtect = 525509
	// SeedDeviceAdaSMS is Ada's SMS device.
	SeedDeviceAdaSMS = 525510
	// SeedDeviceGraceAuthenticator is Grace's Google Authenticator device.
	SeedDeviceGraceAuthenticator = 525511
	// SeedDeviceGraceSMS is Grace's pending SMS device.
	SeedDeviceGraceSMS = 525512
)

// Errors returned by the state helpers.
var (
	// ErrUnknownUser means no user has the given id.
	ErrUnknownUser = errors.New("onelogintest: unknown user")
	// ErrUnknownFactor means the account offers no factor with the given id.
	ErrUnknownFactor = errors.New("onelogintest: unknown factor")
	// ErrDuplicateID means the id is already taken.
	ErrDuplicateID = errors.New("onelogintest: duplicate id")
	// ErrNoPendingPush means the device has no push waiting for an answer.
	ErrNoPendingPush = errors.New("onelogintest: no pending push")
	// ErrInvalid means a helper's argument was not acceptable.
	ErrInvalid = errors.New("onelogintest: invalid argument")
)

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

type device struct {
	Device
	otp string // the current code of a Protect or authenticator-app device
}

// verification is a started verification: an SMS or voice code that was sent, a push that was
// shown, or an enrolment waiting for its first code. It is addressed by its state token.
type verification struct {
	token    string
	userID   int
	deviceID int
	push     bool
	code     string // the expected code; for a push, the app's code is also accepted
	expires  time.Time
	approved bool
	denied   bool
	seq      int // creation order, to find the newest
}

type mfaToken struct {
	userID   int
	token    string
	reusable bool
	expires  time.Time
	used     bool
}

// state is the fake's in-memory org. Every method expects Server.mu to be held.
type state struct {
	factors      []Factor
	users        map[int]*User
	userOrder    []int
	devices      map[int][]*device // by user id, in enrolment order
	verifs       map[string]*verification
	mfaTokens    []*mfaToken
	nextUserID   int
	nextDeviceID int
	nextFactorID int
	verifSeq     int
	rng          *mrand.Rand
	fixedOTP     string
}

func newState(seed bool, fixedOTP string) *state {
	st := &state{
		users:        map[int]*User{},
		devices:      map[int][]*device{},
		verifs:       map[string]*verification{},
		nextUserID:   51234600,
		nextDeviceID: 525600,
		nextFactorID: 16300,
		// Deterministic codes: the same sequence of calls gives the same codes in every run.
		rng:      mrand.New(mrand.NewPCG(0x6f6e656c, 0x6f67696e)),
		fixedOTP: fixedOTP,
	}
	if seed {
		st.seed()
	}
	return st
}

func (st *state) seed() {
	for _, f := range []Factor{
		{ID: SeedFactorSMS, Name: "OneLogin SMS", DisplayName: "SMS", Kind: FactorSMS},
		{ID: SeedFactorVoice, Name: "OneLogin Voice", DisplayName: "Voice", Kind: FactorVoice},
		{ID: SeedFactorProtect, Name: "OneLogin Protect", DisplayName: "OneLogin Protect", Kind: FactorProtect},
		{ID: SeedFactorAuthenticator, Name: "Google Authenticator", DisplayName: "Authenticator", Kind: FactorAuthenticator},
	} {
		mustSeed(st.addFactor(f))
	}
	for _, u := range []User{
		{ID: SeedUserAda, Username: "ada", Email: "ada.lovelace@example.com", FirstName: "Ada", LastName: "Lovelace"},
		{ID: SeedUserGrace, Username: "grace", Email: "grace.hopper@example.com", FirstName: "Grace", LastName: "Hopper"},
		{ID: SeedUserAlan, Username: "alan", Email: "alan.turing@example.com", FirstName: "Alan", LastName: "Turing"},
	} {
		mustSeed(st.addUser(u))
	}
	for _, d := range []Device{
		{ID: SeedDeviceAdaProtect, UserID: SeedUserAda, FactorID: SeedFactorProtect, DisplayName: "Ada's iPhone", Active: true, Default: true},
		{ID: SeedDeviceAdaSMS, UserID: SeedUserAda, FactorID: SeedFactorSMS, DisplayName: "Ada's work phone", PhoneNumber: "+15555550101", Active: true},
		{ID: SeedDeviceGraceAuthenticator, UserID: SeedUserGrace, FactorID: SeedFactorAuthenticator, DisplayName: "Grace's Pixel", Active: true, Default: true},
		{ID: SeedDeviceGraceSMS, UserID: SeedUserGrace, FactorID: SeedFactorSMS, DisplayName: "Grace's desk phone", PhoneNumber: "+15555550102"},
	} {
		mustSeed(st.addDevice(d))
	}
}

func mustSeed(_ int, err error) {
	if err != nil {
		panic("onelogintest: bad seed data: " + err.Error())
	}
}

func (st *state) addFactor(f Factor) (int, error) {
	if f.Name == "" || !f.Kind.valid() {
		return 0, fmt.Errorf("%w: factor needs a name and a known kind", ErrInvalid)
	}
	if f.ID < 0 {
		return 0, fmt.Errorf("%w: negative factor id %d", ErrInvalid, f.ID)
	}
	if f.ID == 0 {
		st.nextFactorID++
		f.ID = st.nextFactorID
	}
	if _, ok := st.factor(f.ID); ok {
		return 0, fmt.Errorf("%w: factor %d", ErrDuplicateID, f.ID)
	}
	if f.DisplayName == "" {
		f.DisplayName = f.Name
	}
	st.factors = append(st.factors, f)
	return f.ID, nil
}

func (st *state) factor(id int) (Factor, bool) {
	for _, f := range st.factors {
		if f.ID == id {
			return f, true
		}
	}
	return Factor{}, false
}

func (st *state) addUser(u User) (int, error) {
	if u.ID < 0 {
		return 0, fmt.Errorf("%w: negative user id %d", ErrInvalid, u.ID)
	}
	if u.ID == 0 {
		for st.nextUserID++; st.users[st.nextUserID] != nil; st.nextUserID++ {
		}
		u.ID = st.nextUserID
	}
	if st.users[u.ID] != nil {
		return 0, fmt.Errorf("%w: user %d", ErrDuplicateID, u.ID)
	}
	st.users[u.ID] = &u
	st.userOrder = append(st.userOrder, u.ID)
	return u.ID, nil
}

func (st *state) deviceIDTaken(id int) bool {
	for _, ds := range st.devices {
		for _, d := range ds {
			if d.ID == id {
				return true
			}
		}
	}
	return false
}

func (st *state) addDevice(d Device) (int, error) {
	if st.users[d.UserID] == nil {
		return 0, fmt.Errorf("%w: %d", ErrUnknownUser, d.UserID)
	}
	f, ok := st.factor(d.FactorID)
	if !ok {
		return 0, fmt.Errorf("%w: %d", ErrUnknownFactor, d.FactorID)
	}
	if f.Kind.needsPhone() && !e164.MatchString(d.PhoneNumber) {
		return 0, fmt.Errorf("%w: %s device needs an E.164 phone number", ErrInvalid, f.Kind)
	}
	if d.ID < 0 {
		return 0, fmt.Errorf("%w: negative device id %d", ErrInvalid, d.ID)
	}
	if d.ID == 0 {
		for st.nextDeviceID++; st.deviceIDTaken(st.nextDeviceID); st.nextDeviceID++ {
		}
		d.ID = st.nextDeviceID
	}
	if st.deviceIDTaken(d.ID) {
		return 0, fmt.Errorf("%w: device %d", ErrDuplicateID, d.ID)
	}
	nd := &device{Device: d}
	if f.Kind == FactorProtect || f.Kind == FactorAuthenticator {
		nd.otp = st.newCode(true)
	}
	if d.Default {
		for _, o := range st.devices[d.UserID] {
			o.Default = false
		}
	}
	st.devices[d.UserID] = append(st.devices[d.UserID], nd)
	return d.ID, nil
}

func (st *state) device(userID, deviceID int) (*device, bool) {
	for _, d := range st.devices[userID] {
		if d.ID == deviceID {
			return d, true
		}
	}
	return nil, false
}

func (st *state) removeDevice(userID, deviceID int) bool {
	ds := st.devices[userID]
	i := slices.IndexFunc(ds, func(d *device) bool { return d.ID == deviceID })
	if i < 0 {
		return false
	}
	st.devices[userID] = slices.Delete(ds, i, i+1)
	for tok, v := range st.verifs {
		if v.userID == userID && v.deviceID == deviceID {
			delete(st.verifs, tok)
		}
	}
	return true
}

// newCode returns a one-time code: six digits, or six upper-case letters and digits when
// numeric is false (OneLogin's default SMS code).
func (st *state) newCode(numeric bool) string {
	if st.fixedOTP != "" {
		return st.fixedOTP
	}
	const digits = "0123456789"
	const alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	set := alnum
	if numeric {
		set = digits
	}
	b := make([]byte, 6)
	for i := range b {
		b[i] = set[st.rng.IntN(len(set))]
	}
	return string(b)
}

// newSecret returns n random bytes as hex, for state tokens and access tokens.
func newSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

func (st *state) startVerification(userID, deviceID int, push bool, code string, expires time.Time) *verification {
	v := &verification{
		token:    newSecret(20),
		userID:   userID,
		deviceID: deviceID,
		push:     push,
		code:     code,
		expires:  expires,
	}
	st.verifSeq++
	v.seq = st.verifSeq
	st.verifs[v.token] = v
	return v
}

// latestVerification returns the newest unexpired verification for the device.
func (st *state) latestVerification(userID, deviceID int, now time.Time, push bool) *verification {
	var best *verification
	for _, v := range st.verifs {
		if v.userID != userID || v.deviceID != deviceID || v.push != push || !now.Before(v.expires) {
			continue
		}
		if best == nil || v.seq > best.seq {
			best = v
		}
	}
	return best
}

package oktatest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"sync"
	"time"
)

// Seeded users (see NewServer and WithoutSeed).
const (
	// SeedUserAda has one factor of each of the 13 factor types, all ACTIVE, and password,
	// email, phone, Okta Verify and passkey enrollments. Her question factor's answer is
	// SeedAnswer.
	SeedUserAda = "00u1adaLovelace0g4a7"
	// SeedUserGrace has an ACTIVE email factor, an sms factor in PENDING_ACTIVATION (with a
	// passcode outstanding) and an ACTIVE Google Authenticator TOTP factor.
	SeedUserGrace = "00u1graceHopper0g4a7"
	// SeedUserAlan has an ACTIVE question and push factor.
	SeedUserAlan = "00u1alanTuring00g4a7"
	// SeedUserMargaret has no factors and only a password enrollment: a fresh user to
	// enroll.
	SeedUserMargaret = "00u1margaretHam0g4a7"
	// SeedAnswer is the answer to every seeded question factor.
	SeedAnswer = "ginger biscuits"
	// SeedOAuthClientID is the OAuth 2.0 client id of the seeded custom_app authenticator,
	// for the well-known app authenticator configuration.
	SeedOAuthClientID = "0oa1acmeDeviceApp0g4"
	// SeedAAGUID is one of the two custom AAGUIDs seeded on the webauthn authenticator.
	SeedAAGUID = "cb69481e-8ff7-4039-93ec-0a2729a154a8"
)

const orgID = "00o1oktatestOrg00g4a"

// seedTime is when the seeded org was set up; fixed, so seeded output is stable.
var seedTime = time.Date(2024, time.March, 4, 17, 20, 31, 0, time.UTC)

// attestationRoot is a self-signed certificate for the seeded custom AAGUIDs, made once.
var attestationRoot = sync.OnceValue(func() string {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("oktatest: key: " + err.Error())
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(20240304),
		Subject:               pkix.Name{CommonName: "oktatest Attestation Root", Organization: []string{"oktatest"}},
		NotBefore:             seedTime,
		NotAfter:              seedTime.AddDate(20, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic("oktatest: certificate: " + err.Error())
	}
	return base64.StdEncoding.EncodeToString(der)
})

// seed fills the state with a realistic org: an authenticator of every key (17) with
// its methods (all 14 method types between them), four users, factors of all 13 types
// and authenticator enrollments.
func (st *state) seed() {
	must := func(_ string, err error) {
		if err != nil {
			panic("oktatest: seed: " + err.Error())
		}
	}
	push := map[string]any{"algorithms": []any{"ES256", "RS256"}, "keyProtection": "ANY", "transactionTypes": []any{"LOGIN", "CIBA"}}
	otp := func(protocol string, length int) map[string]any {
		return map[string]any{
			"acceptableAdjacentIntervals": 3, "algorithm": "HMacSHA1", "encoding": "base32",
			"passCodeLength": length, "protocol": protocol, "timeIntervalInSeconds": 30,
		}
	}
	auths := map[string]Authenticator{
		"okta_email": {Settings: map[string]any{"allowedFor": "any", "tokenLifetimeInMinutes": 5},
			Methods: []Method{{Type: "email"}}},
		"okta_password": {Methods: []Method{{Type: "password"}}},
		"phone_number": {Settings: map[string]any{"allowedFor": "any"},
			Methods: []Method{{Type: "sms"}, {Type: "voice", Status: "INACTIVE"}}},
		"security_question": {Settings: map[string]any{"allowedFor": "recovery"},
			Methods: []Method{{Type: "security_question"}}},
		"okta_verify": {Settings: map[string]any{
			"channelBinding":   map[string]any{"required": "HIGH_RISK_ONLY", "style": "NUMBER_CHALLENGE"},
			"compliance":       map[string]any{"fips": "OPTIONAL"},
			"userVerification": "PREFERRED",
			"appInstanceId":    "0oa1oktaVerifyApp0g4",
		}, Methods: []Method{
			{Type: "push", Settings: push},
			{Type: "signed_nonce", Settings: map[string]any{"algorithms": []any{"ES256", "RS256"}, "keyProtection": "ANY", "showSignInWithOV": "ALWAYS"}},
			{Type: "totp", Settings: map[string]any{"timeIntervalInSeconds": 30, "encoding": "base32", "algorithm": "HMacSHA1", "passCodeLength": 6}},
		}},
		"webauthn": {Name: "Passkeys (FIDO2 WebAuthn)", Description: "Use a passkey, a security key or your device's biometrics to sign in.",
			Methods: []Method{{Type: "webauthn", Settings: map[string]any{
				"aaguidGroups": []any{
					map[string]any{"name": "Hardware security keys", "aaguids": []any{SeedAAGUID, "ee882879-721c-4913-9775-3dfcce97072a"}},
				},
				"userVerification":               "PREFERRED",
				"userVerificationForVerify":      "PREFERRED",
				"attachment":                     "ANY",
				"enableAutofillUI":               false,
				"residentKeyRequirement":         "REQUIRED",
				"showSignInWithAPasskeyButton":   false,
				"certBasedAttestationValidation": false,
				"hardwareProtected":              false,
				"fipsCompliant":                  false,
				"allowSyncablePasskeys":          true,
				"rpId": map[string]any{
					"enabled": false,
					"domain": map[string]any{
						"name":             "login.example.com",
						"validationStatus": "NOT_STARTED",
						"dnsRecord":        dnsRecordFor("login.example.com"),
					},
				},
			}}}},
		"security_key": {Methods: []Method{}},
		"google_otp":   {Methods: []Method{{Type: "otp", Settings: otp("TOTP", 6)}}},
		"custom_otp": {Name: "Acme Hardware Token", Methods: []Method{{Type: "otp",
			VerifiableProperties: []string{"DEVICE_BOUND", "HARDWARE_PROTECTED"}, Settings: func() map[string]any {
				m := otp("TOTP", 6)
				m["factorProfileId"] = "fpr1acmeTokens000g4a"
				return m
			}()}}},
		"custom_app": {Name: "Acme Push", Settings: map[string]any{"userVerification": "PREFERRED", "appInstanceId": SeedOAuthClientID},
			Provider: map[string]any{"type": "PUSH", "configuration": map[string]any{
				"apns": map[string]any{"id": "ppc1apnsAcme0000g4a7", "appBundleId": "com.acme.authenticator", "debugAppBundleId": "com.acme.authenticator.debug"},
				"fcm":  map[string]any{"id": "ppc1fcmAcme00000g4a7"},
			}},
			Methods: []Method{{Type: "push", Settings: push}}},
		"duo": {Provider: map[string]any{"type": "DUO", "configuration": map[string]any{
			"host": "api-xxxxxxxx.duosecurity.com", "integrationKey": "DIWJ8X6AEYOR5OMC6TQ1",
			"secretKey": "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep", "userNameTemplate": map[string]any{"template": "oktaId"},
		}}, Methods: []Method{{Type: "duo", VerifiableProperties: []string{"USER_PRESENCE"}}}},
		"external_idp": {Name: "Acme Partner IdP", Provider: map[string]any{"type": "CLAIMS", "configuration": map[string]any{"idpId": "0oa1acmePartnerIdP0g4"}},
			Methods: []Method{{Type: "idp", VerifiableProperties: []string{"USER_PRESENCE"}}}},
		"onprem_mfa": {Provider: map[string]any{"type": "DEL_OATH", "configuration": map[string]any{
			"hostName": "radius.example.com", "authPort": 1812, "instanceId": "0oa1radiusAgent00g4a",
			"sharedSecret": "radius-shared-secret", "userNameTemplate": map[string]any{"template": "global.assign.userName.login"},
		}}, Methods: []Method{{Type: "otp", Settings: otp("TOTP", 6)}}},
		"smart_card_idp": {Status: "INACTIVE", Provider: map[string]any{"type": "CLAIMS", "configuration": map[string]any{"idpId": "0oa1pivCardIdP000g4a"}},
			Methods: []Method{{Type: "cert", VerifiableProperties: []string{"HARDWARE_PROTECTED", "PHISHING_RESISTANT"}}}},
		"symantec_vip": {Status: "INACTIVE", Methods: []Method{{Type: "otp", Settings: otp("SYMANTEC", 6)}}},
		"tac": {Provider: map[string]any{"type": "tac", "configuration": map[string]any{
			"minTtl": 10, "maxTtl": 14400, "defaultTtl": 120, "length": 16,
			"complexity":      map[string]any{"numbers": true, "letters": true, "specialCharacters": false},
			"multiUseAllowed": true,
		}}, Methods: []Method{{Type: "tac"}}},
		"yubikey_token": {Methods: []Method{{Type: "otp", Settings: otp("YUBICO", 6)}}},
	}
	for _, key := range keyOrder {
		a := auths[key]
		a.Key, a.ID = key, stableID("aut", key)
		must(st.addAuthenticator(a, seedTime))
	}
	// JSON numbers read from requests are float64; keep seeded ones alike.
	for _, a := range st.auths {
		a.settings, a.provider = cloneMap(a.settings), cloneMap(a.provider)
		for _, m := range a.methods {
			m.settings = cloneMap(m.settings)
		}
	}
	wa := st.authByKey("webauthn")
	wa.aaguids = []*aaguid{
		{id: SeedAAGUID, name: "Acme Security Key", certs: []string{attestationRoot()},
			characteristics: map[string]any{"platformAttached": false, "fipsCompliant": true, "hardwareProtected": true}},
		{id: "ee882879-721c-4913-9775-3dfcce97072a", name: "Acme Security Key NFC",
			characteristics: map[string]any{"platformAttached": false, "fipsCompliant": false, "hardwareProtected": true}},
	}

	users := []User{
		{ID: SeedUserAda, Login: "ada.lovelace@example.com", FirstName: "Ada", LastName: "Lovelace", MobilePhone: "+14155550101"},
		{ID: SeedUserGrace, Login: "grace.hopper@example.com", FirstName: "Grace", LastName: "Hopper", MobilePhone: "+14155550102"},
		{ID: SeedUserAlan, Login: "alan.turing@example.com", FirstName: "Alan", LastName: "Turing"},
		{ID: SeedUserMargaret, Login: "margaret.hamilton@example.com", FirstName: "Margaret", LastName: "Hamilton"},
	}
	for _, u := range users {
		must(st.addUser(u))
	}
	at := seedTime.Add(24 * time.Hour)
	factor := func(userID string, f Factor) {
		f.ID = stableID(factorTypes[f.FactorType].prefix, userID+f.FactorType+f.Provider)
		must(st.addFactor(userID, f, at))
	}
	question := map[string]any{"question": "disliked_food"}
	factor(SeedUserAda, Factor{FactorType: "call", Profile: map[string]any{"phoneNumber": "+14155550101"}})
	factor(SeedUserAda, Factor{FactorType: "email"})
	factor(SeedUserAda, Factor{FactorType: "push", Profile: map[string]any{
		"credentialId": "ada.lovelace@example.com", "deviceType": "SmartPhone_IPhone", "name": "Ada's iPhone", "platform": "IOS", "version": "9.27.2"}})
	factor(SeedUserAda, Factor{FactorType: "question", Profile: question, Answer: SeedAnswer})
	factor(SeedUserAda, Factor{FactorType: "signed_nonce", Profile: map[string]any{
		"credentialId": "ada.lovelace@example.com", "deviceType": "SmartPhone_IPhone", "name": "Ada's iPhone", "platform": "IOS", "version": "9.27.2"}})
	factor(SeedUserAda, Factor{FactorType: "sms", Profile: map[string]any{"phoneNumber": "+14155550101"}})
	factor(SeedUserAda, Factor{FactorType: "token", Provider: "RSA", Profile: map[string]any{"credentialId": "ada.lovelace"}})
	factor(SeedUserAda, Factor{FactorType: "token:hardware", Profile: map[string]any{"credentialId": "cccccceukngr"}})
	factor(SeedUserAda, Factor{FactorType: "token:hotp", Profile: map[string]any{}})
	factor(SeedUserAda, Factor{FactorType: "token:software:totp", SharedSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"})
	factor(SeedUserAda, Factor{FactorType: "u2f", Profile: map[string]any{"credentialId": "GAiiLsVab2m3-zL1Fi3bVtNrM9G6_MntUITHKjxkV24ktGKjLSCRnz72wCEdHCe18IvC69Aia0sE4UpsO0HpFQ", "version": "U2F_V2"}})
	factor(SeedUserAda, Factor{FactorType: "web", Profile: map[string]any{"credentialId": "ada.lovelace@example.com"}})
	factor(SeedUserAda, Factor{FactorType: "webauthn", Profile: map[string]any{"credentialId": "l3Br0n-7H3g047NqESqJynFtIgf3Ix9OfaRoNwLoloso99Xl2zS_O7EXUkmPeAIzTVtEL4dYjicJWBz7NpqhGA", "authenticatorName": "Acme Security Key"}})
	for _, f := range st.factors[SeedUserAda] {
		if f.factorType == "token:hotp" {
			f.factorProfileID = "fpr1acmeTokens000g4a"
		}
	}

	factor(SeedUserGrace, Factor{FactorType: "email"})
	factor(SeedUserGrace, Factor{FactorType: "sms", Status: "PENDING_ACTIVATION", Profile: map[string]any{"phoneNumber": "+14155550102"}})
	factor(SeedUserGrace, Factor{FactorType: "token:software:totp", Provider: "GOOGLE"})
	for _, f := range st.factors[SeedUserGrace] {
		if f.status == "PENDING_ACTIVATION" {
			st.issueCode(f, st.created, DefaultPasscodeLifetime) // sent "just now"
		}
	}

	factor(SeedUserAlan, Factor{FactorType: "question", Profile: question, Answer: SeedAnswer})
	factor(SeedUserAlan, Factor{FactorType: "push", Profile: map[string]any{
		"credentialId": "alan.turing@example.com", "deviceType": "SmartPhone_Android", "name": "Pixel 8", "platform": "ANDROID", "version": "9.27.2"}})

	enroll := func(userID string, e Enrollment) {
		e.ID = stableID(map[string]string{"okta_password": "lae", "okta_email": "eae", "phone_number": "pae", "okta_verify": "pfd", "webauthn": "fwf", "google_otp": "gao", "security_question": "qae"}[e.Key], userID+e.Key)
		must(st.addEnrollment(userID, e, at))
	}
	enroll(SeedUserAda, Enrollment{Key: "okta_password"})
	enroll(SeedUserAda, Enrollment{Key: "okta_email"})
	enroll(SeedUserAda, Enrollment{Key: "phone_number", PhoneNumber: "+14155550101", Nickname: "Ada's mobile"})
	enroll(SeedUserAda, Enrollment{Key: "okta_verify", Nickname: "Ada's iPhone"})
	enroll(SeedUserAda, Enrollment{Key: "webauthn", Nickname: "Acme Security Key"})
	enroll(SeedUserGrace, Enrollment{Key: "okta_password"})
	enroll(SeedUserGrace, Enrollment{Key: "okta_email"})
	enroll(SeedUserGrace, Enrollment{Key: "phone_number", PhoneNumber: "+14155550102"})
	enroll(SeedUserGrace, Enrollment{Key: "google_otp"})
	enroll(SeedUserAlan, Enrollment{Key: "okta_password"})
	enroll(SeedUserAlan, Enrollment{Key: "security_question"})
	enroll(SeedUserAlan, Enrollment{Key: "okta_verify"})
	enroll(SeedUserMargaret, Enrollment{Key: "okta_password"})
}

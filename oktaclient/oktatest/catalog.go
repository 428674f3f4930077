package oktatest

// What Okta knows about each authenticator key and factor type. This table is the part of
// the fake that is specific to Okta, so it is written out by hand.

type keyInfo struct {
	typ      string   // AuthenticatorType
	name     string   // Okta's default display name
	methods  []string // method types, in Okta's order
	multiple bool     // whether an org may have more than one
}

var keys = map[string]keyInfo{
	"custom_app":        {typ: "app", name: "Custom Push Authenticator", methods: []string{"push"}, multiple: true},
	"custom_otp":        {typ: "app", name: "Custom OTP", methods: []string{"otp"}, multiple: true},
	"duo":               {typ: "app", name: "Duo Security", methods: []string{"duo"}},
	"external_idp":      {typ: "federated", name: "IdP Authenticator", methods: []string{"idp"}, multiple: true},
	"google_otp":        {typ: "app", name: "Google Authenticator", methods: []string{"otp"}},
	"okta_email":        {typ: "email", name: "Email", methods: []string{"email"}},
	"okta_password":     {typ: "password", name: "Password", methods: []string{"password"}},
	"okta_verify":       {typ: "app", name: "Okta Verify", methods: []string{"push", "signed_nonce", "totp"}},
	"onprem_mfa":        {typ: "security_key", name: "On-Prem MFA", methods: []string{"otp"}},
	"phone_number":      {typ: "phone", name: "Phone", methods: []string{"sms", "voice"}},
	"security_key":      {typ: "security_key", name: "Security Key (U2F)", methods: nil},
	"security_question": {typ: "security_question", name: "Security Question", methods: []string{"security_question"}},
	"smart_card_idp":    {typ: "federated", name: "Smart Card Authenticator", methods: []string{"cert"}, multiple: true},
	"symantec_vip":      {typ: "app", name: "Symantec VIP", methods: []string{"otp"}},
	"tac":               {typ: "tac", name: "Temporary Access Code", methods: []string{"tac"}},
	"webauthn":          {typ: "security_key", name: "FIDO2 (WebAuthn)", methods: []string{"webauthn"}},
	"yubikey_token":     {typ: "security_key", name: "YubiKey", methods: []string{"otp"}},
}

// keyOrder is the order authenticators are seeded and listed in.
var keyOrder = []string{
	"okta_email", "okta_password", "phone_number", "security_question", "okta_verify",
	"webauthn", "security_key", "google_otp", "custom_otp", "custom_app", "duo",
	"external_idp", "onprem_mfa", "smart_card_idp", "symantec_vip", "tac", "yubikey_token",
}

type factorInfo struct {
	providers []string // allowed providers; the first is the default
	prefix    string   // id prefix Okta uses
}

var factorTypes = map[string]factorInfo{
	"call":                {providers: []string{"OKTA"}, prefix: "clf"},
	"email":               {providers: []string{"OKTA"}, prefix: "emf"},
	"push":                {providers: []string{"OKTA"}, prefix: "opf"},
	"question":            {providers: []string{"OKTA"}, prefix: "ufs"},
	"signed_nonce":        {providers: []string{"OKTA"}, prefix: "crp"},
	"sms":                 {providers: []string{"OKTA"}, prefix: "mbl"},
	"token":               {providers: []string{"RSA", "SYMANTEC"}, prefix: "rsa"},
	"token:hardware":      {providers: []string{"YUBICO"}, prefix: "ykf"},
	"token:hotp":          {providers: []string{"CUSTOM"}, prefix: "chf"},
	"token:software:totp": {providers: []string{"OKTA", "GOOGLE"}, prefix: "ost"},
	"u2f":                 {providers: []string{"FIDO"}, prefix: "fuf"},
	"web":                 {providers: []string{"DUO"}, prefix: "dsf"},
	"webauthn":            {providers: []string{"FIDO"}, prefix: "fwf"},
}

// factorAuthenticatorKey is the authenticator that must be active for a factor type and
// provider to be enrollable.
func factorAuthenticatorKey(factorType, provider string) string {
	switch factorType {
	case "call", "sms":
		return "phone_number"
	case "email":
		return "okta_email"
	case "question":
		return "security_question"
	case "push", "signed_nonce":
		return "okta_verify"
	case "token:software:totp":
		if provider == "GOOGLE" {
			return "google_otp"
		}
		return "okta_verify"
	case "token":
		if provider == "SYMANTEC" {
			return "symantec_vip"
		}
		return "onprem_mfa"
	case "token:hardware":
		return "yubikey_token"
	case "token:hotp":
		return "custom_otp"
	case "u2f":
		return "security_key"
	case "web":
		return "duo"
	case "webauthn":
		return "webauthn"
	}
	return ""
}

// catalogOrder is the order of the factor catalog (listSupportedFactors).
var catalogOrder = []struct{ factorType, provider string }{
	{"question", "OKTA"}, {"sms", "OKTA"}, {"call", "OKTA"}, {"email", "OKTA"},
	{"push", "OKTA"}, {"token:software:totp", "OKTA"}, {"token:software:totp", "GOOGLE"},
	{"webauthn", "FIDO"}, {"u2f", "FIDO"}, {"web", "DUO"}, {"token:hardware", "YUBICO"},
	{"token", "RSA"}, {"token", "SYMANTEC"}, {"token:hotp", "CUSTOM"},
}

// securityQuestions are the questions of listSupportedSecurityQuestions, in Okta's wording.
var securityQuestions = []struct{ key, text string }{
	{"disliked_food", "What is the food you least liked as a child?"},
	{"name_of_first_plush_toy", "What is the name of your first stuffed animal?"},
	{"first_award", "What did you earn your first medal or award for?"},
	{"favorite_security_question", "What is your favorite security question?"},
	{"favorite_toy", "What is the toy/stuffed animal you liked the most as a kid?"},
	{"first_computer_game", "What was the first computer game you played?"},
	{"favorite_movie_quote", "What is your favorite movie quote?"},
	{"first_sports_team_mascot", "What was the mascot of the first sports team you played on?"},
	{"first_music_purchase", "What music album or song did you first purchase?"},
	{"favorite_art_piece", "What is your favorite piece of art?"},
	{"grandmother_favorite_desert", "What was your grandmother's favorite dessert?"},
	{"first_thing_cooked", "What was the first thing you learned to cook?"},
	{"childhood_dream_job", "What was your dream job as a child?"},
	{"first_kiss_location", "Where did you have your first kiss?"},
	{"place_where_significant_other_was_met", "Where did you meet your spouse/significant other?"},
	{"favorite_vacation_location", "Where did you go for your favorite vacation?"},
	{"new_years_two_thousand", "Where were you on New Year's Eve in the year 2000?"},
	{"favorite_speaker_actor", "Who is your favorite speaker/orator?"},
	{"favorite_book_movie_character", "Who is your favorite book/movie character?"},
	{"favorite_sports_player", "Who is your favorite sports player?"},
}

func questionText(key string) (string, bool) {
	for _, q := range securityQuestions {
		if q.key == key {
			return q.text, true
		}
	}
	return "", false
}

// enrollmentKeyType is the enrollment type (AuthenticatorType) of an authenticator key.
func enrollmentKeyType(key string) string {
	if k, ok := keys[key]; ok {
		return k.typ
	}
	return ""
}

// Command unionsgen writes the concrete member types of oktaclient's three
// unions (Authenticator, AuthenticatorMethod, UserFactor): one struct per
// discriminator value, embedding the generated model, with the same small
// set of methods each. They are generated because 44 hand-written copies of
// the same dozen lines would drift; the interfaces, the Unknown types and
// the decoding entry points are hand-written beside them.
//
// Run it with go generate in oktaclient (see generate.go there); the tests
// fail when the files are stale.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"strings"
	"text/template"
)

// member is one discriminator value of a union.
type member struct {
	Value  string   // discriminator value on the wire
	Type   string   // concrete Go type in oktaclient
	Model  string   // generated model in gen/okta (re-exported under this name)
	Const  string   // name of the oktaclient constant for Value
	Doc    string   // what it is, for the doc comment
	Common string   // arguments of the union's common-fields helper, in terms of m
	Extra  []string // further generated types the member's fields use, re-exported
}

// union describes one union.
type union struct {
	File      string
	Interface string // Authenticator
	Disc      string // Key
	DiscType  string // AuthenticatorKey
	DiscJSON  string // key
	DiscField string // Go field of the discriminator in each model
	Common    string // AuthenticatorCommon
	CommonFn  string // authenticatorCommon
	Links     string // type of the models' UnderscoreLinks field, re-exported in oktaclient
	// LazyEmbedded: the free-form _embedded (a *map[string]any in the
	// models) is skipped at decode time too, for every member but
	// EagerEmbedded, whose _embedded is typed and read right after an
	// enrollment (TOTPFactor.Activation).
	LazyEmbedded  bool
	EagerEmbedded string
	Members       []member
}

const authCommon = "m.Id, m.Name, m.Description, m.Status, m.Type, m.Created, m.LastUpdated"
const methodCommon = "m.Status"
const factorCommon = "m.Id, m.Status, provider(m.Provider), m.VendorName, m.Created, m.LastUpdated"

var unions = []union{
	{
		File: "authenticators_gen.go", Interface: "Authenticator", Disc: "Key", DiscType: "AuthenticatorKey",
		DiscJSON: "key", DiscField: "Key", Common: "AuthenticatorCommon", CommonFn: "authenticatorCommon", Links: "AuthenticatorLinks",
		Members: []member{
			{"custom_app", "CustomAppAuthenticator", "AuthenticatorKeyCustomApp", "KeyCustomApp", "a custom push app built with the Okta Devices SDK", authCommon, nil},
			{"custom_otp", "CustomOTPAuthenticator", "AuthenticatorKeyCustomOtp", "KeyCustomOTP", "a custom TOTP/HOTP authenticator; its OTP settings live on its otp method", authCommon, nil},
			{"duo", "DuoAuthenticator", "AuthenticatorKeyDuo", "KeyDuo", "Duo Security", authCommon, nil},
			{"external_idp", "ExternalIdPAuthenticator", "AuthenticatorKeyExternalIdp", "KeyExternalIdP", "an identity provider used as an authenticator", authCommon, nil},
			{"google_otp", "GoogleOTPAuthenticator", "AuthenticatorKeyGoogleOtp", "KeyGoogleOTP", "Google Authenticator", authCommon, nil},
			{"okta_email", "EmailAuthenticator", "AuthenticatorKeyEmail", "KeyOktaEmail", "Okta email", authCommon, nil},
			{"okta_password", "PasswordAuthenticator", "AuthenticatorKeyPassword", "KeyOktaPassword", "the Okta password", authCommon, nil},
			{"okta_verify", "OktaVerifyAuthenticator", "AuthenticatorKeyOktaVerify", "KeyOktaVerify", "Okta Verify", authCommon, nil},
			{"onprem_mfa", "OnPremMFAAuthenticator", "AuthenticatorKeyOnprem", "KeyOnPremMFA", "an on-premises MFA (RADIUS) server", authCommon, nil},
			{"phone_number", "PhoneAuthenticator", "AuthenticatorKeyPhone", "KeyPhoneNumber", "the phone authenticator (SMS and voice)", authCommon, nil},
			{"security_key", "SecurityKeyAuthenticator", "AuthenticatorKeySecurityKey", "KeySecurityKey", "a legacy FIDO U2F security key", authCommon, nil},
			{"security_question", "SecurityQuestionAuthenticator", "AuthenticatorKeySecurityQuestion", "KeySecurityQuestion", "the security question", authCommon, nil},
			{"smart_card_idp", "SmartCardAuthenticator", "AuthenticatorKeySmartCard", "KeySmartCardIdP", "a smart card (PIV/CAC) identity provider", authCommon, nil},
			{"symantec_vip", "SymantecVIPAuthenticator", "AuthenticatorKeySymantecVip", "KeySymantecVIP", "Symantec VIP", authCommon, nil},
			{"tac", "TACAuthenticator", "AuthenticatorKeyTac", "KeyTAC", "the temporary access code authenticator", authCommon, nil},
			{"webauthn", "WebAuthnAuthenticator", "AuthenticatorKeyWebauthn", "KeyWebAuthn", "passkeys (FIDO2 WebAuthn); its settings live on its webauthn method", authCommon, nil},
			{"yubikey_token", "YubiKeyAuthenticator", "AuthenticatorKeyYubikey", "KeyYubiKeyToken", "YubiKey OTP", authCommon, nil},
		},
	},
	{
		File: "methods_gen.go", Interface: "AuthenticatorMethod", Disc: "Type", DiscType: "AuthenticatorMethodType",
		DiscJSON: "type", DiscField: "Type", Common: "AuthenticatorMethodCommon", CommonFn: "authenticatorMethodCommon", Links: "AuthenticatorMethodLinks",
		Members: []member{
			{"cert", "CertMethod", "AuthenticatorMethodCert", "MethodCert", "the certificate method of a smart card authenticator", methodCommon, nil},
			{"duo", "DuoMethod", "AuthenticatorMethodDuo", "MethodDuo", "the Duo method of a Duo authenticator", methodCommon, nil},
			{"email", "EmailMethod", "AuthenticatorMethodEmail", "MethodEmail", "the email method of the email authenticator", methodCommon, nil},
			{"idp", "IdPMethod", "AuthenticatorMethodIdp", "MethodIdP", "the identity provider method of an IdP authenticator", methodCommon, nil},
			{"otp", "OTPMethod", "AuthenticatorMethodOtp", "MethodOTP", "the OTP method of a custom OTP authenticator", methodCommon, nil},
			{"password", "PasswordMethod", "AuthenticatorMethodPassword", "MethodPassword", "the password method of the password authenticator", methodCommon, nil},
			{"push", "PushMethod", "AuthenticatorMethodPush", "MethodPush", "the push method of Okta Verify or a custom app", methodCommon, nil},
			{"security_question", "SecurityQuestionMethod", "AuthenticatorMethodSecurityQuestion", "MethodSecurityQuestion", "the security question method", methodCommon, nil},
			{"signed_nonce", "SignedNonceMethod", "AuthenticatorMethodSignedNonce", "MethodSignedNonce", "the signed nonce (FastPass) method of Okta Verify or a custom app", methodCommon, nil},
			{"sms", "SMSMethod", "AuthenticatorMethodSms", "MethodSMS", "the SMS method of the phone authenticator", methodCommon, nil},
			{"tac", "TACMethod", "AuthenticatorMethodTac", "MethodTAC", "the temporary access code method", methodCommon, nil},
			{"totp", "TOTPMethod", "AuthenticatorMethodTotp", "MethodTOTP", "the TOTP method of Okta Verify", methodCommon, nil},
			{"voice", "VoiceMethod", "AuthenticatorMethodVoice", "MethodVoice", "the voice call method of the phone authenticator", methodCommon, nil},
			{"webauthn", "WebAuthnMethod", "AuthenticatorMethodWebAuthn", "MethodWebAuthn", "the WebAuthn method of the passkey authenticator", methodCommon, nil},
		},
	},
	{
		File: "factors_gen.go", Interface: "UserFactor", Disc: "FactorType", DiscType: "FactorType",
		DiscJSON: "factorType", DiscField: "FactorType", Common: "UserFactorCommon", CommonFn: "userFactorCommon", Links: "UserFactorLinks",
		LazyEmbedded: true, EagerEmbedded: "token:software:totp",
		Members: []member{
			{"call", "CallFactor", "UserFactorCall", "FactorCall", "a voice call OTP factor", factorCommon, []string{"UserFactorCallProfile", "UserFactorCallProvider"}},
			{"email", "EmailFactor", "UserFactorEmail", "FactorEmail", "an email OTP factor", factorCommon, []string{"UserFactorEmailProfile", "UserFactorEmailProvider"}},
			{"push", "PushFactor", "UserFactorPush", "FactorPush", "an Okta Verify push factor", factorCommon, []string{"UserFactorPushProfile", "UserFactorPushProvider"}},
			{"question", "SecurityQuestionFactor", "UserFactorSecurityQuestion", "FactorQuestion", "a security question factor", factorCommon, []string{"UserFactorSecurityQuestionProfile", "UserFactorSecurityQuestionProvider", "UserFactorSecurityQuestionProfileQuestion"}},
			{"signed_nonce", "SignedNonceFactor", "UserFactorSignedNonce", "FactorSignedNonce", "an Okta FastPass (device-bound Okta Verify) factor", factorCommon, []string{"UserFactorSignedNonceProfile", "UserFactorSignedNonceProvider"}},
			{"sms", "SMSFactor", "UserFactorSMS", "FactorSMS", "an SMS OTP factor", factorCommon, []string{"UserFactorSMSProfile", "UserFactorSMSProvider"}},
			{"token", "TokenFactor", "UserFactorToken", "FactorToken", "an RSA SecurID or Symantec VIP OTP token", factorCommon, []string{"UserFactorTokenProfile", "UserFactorTokenProvider", "UserFactorTokenVerify"}},
			{"token:hardware", "HardwareTokenFactor", "UserFactorTokenHardware", "FactorTokenHardware", "a YubiKey OTP token", factorCommon, []string{"UserFactorTokenHardwareProvider", "UserFactorTokenHardwareVerify"}},
			{"token:hotp", "HOTPFactor", "UserFactorTokenHOTP", "FactorTokenHOTP", "a custom TOTP (HOTP) factor configured by a factor profile", factorCommon, []string{"UserFactorTokenHOTPProfile", "UserFactorTokenHOTPProvider"}},
			{"token:software:totp", "TOTPFactor", "UserFactorTokenSoftwareTOTP", "FactorTokenSoftwareTOTP", "an Okta Verify or Google Authenticator TOTP factor", factorCommon, []string{"UserFactorTokenSoftwareTOTPProvider", "UserFactorTotpEmbedded", "UserFactorTotpActivation", "UserFactorTotpActivationLinks"}},
			{"u2f", "U2FFactor", "UserFactorU2F", "FactorU2F", "a FIDO U2F security key factor", factorCommon, []string{"UserFactorU2FProfile", "UserFactorU2FProvider"}},
			{"web", "WebFactor", "UserFactorWeb", "FactorWeb", "a Duo Security factor", factorCommon, []string{"UserFactorWebProfile", "UserFactorWebProvider"}},
			{"webauthn", "WebAuthnFactor", "UserFactorWebAuthn", "FactorWebAuthn", "a passkey (FIDO2 WebAuthn) factor", factorCommon, []string{"UserFactorWebAuthnProfile", "UserFactorWebAuthnProvider"}},
		},
	},
}

var tmpl = template.Must(template.New("union").Funcs(template.FuncMap{
	"lower": func(s string) string { return strings.ToLower(s[:1]) + s[1:] },
}).Parse(`// Code generated by oktaclient/internal/unionsgen; DO NOT EDIT.

package oktaclient

import (
	"bytes"
	"encoding/json"

	"github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/wrappers"
)

// The generated models of the {{.Interface}} members, re-exported so that
// callers need not import gen/okta.
type (
{{- range $m := .Members}}
	// {{.Model}} is the generated model embedded in [{{.Type}}].
	{{.Model}} = okta.{{.Model}}
{{- range .Extra}}
	// {{.}} is a generated type used by [{{$m.Type}}]'s fields.
	{{.}} = okta.{{.}}
{{- end}}
{{- end}}
)

// The {{.DiscJSON}} values this version knows, one per concrete type.
const (
{{- range .Members}}
	// {{.Const}} is the {{$.DiscJSON}} of [{{.Type}}].
	{{.Const}} {{$.DiscType}} = "{{.Value}}"
{{- end}}
)

// new{{.Interface}}Member returns a new value of the concrete type for the
// {{.DiscJSON}} value v, or nil if v is not known.
func new{{.Interface}}Member(v []byte) {{.Interface | lower}}Member {
	switch string(v) {
{{- range .Members}}
	case "{{.Value}}":
		return new({{.Type}})
{{- end}}
	}
	return nil
}

// known{{.Interface}}Values lists the {{.DiscJSON}} values this version knows.
var known{{.Interface}}Values = []{{.DiscType}}{
{{- range .Members}}
	{{.Const}},
{{- end}}
}
{{range .Members}}
// {{.Type}} is {{.Doc}} ({{$.DiscJSON}} "{{.Value}}"). The
// fields of the generated model are promoted; the {{$.DiscField}} field is
// hidden by the {{$.Disc}} method and set when encoding. A value decoded from
// Okta keeps the JSON it came from, so that encoding it gives back every
// field Okta sent, including ones this version does not model.
//
// Decoding leaves UnderscoreLinks nil{{if and $.LazyEmbedded (ne .Value $.EagerEmbedded)}} (and UnderscoreEmbedded){{end}}: the
// HAL links are kept in the JSON and decoded on demand by [{{.Type}}.Links]{{if and $.LazyEmbedded (ne .Value $.EagerEmbedded)}}
// (the embedded resources by [{{.Type}}.Embedded]){{end}}, which most callers never need.
type {{.Type}} struct {
	{{.Model}}
	raw json.RawMessage
}

func (*{{.Type}}) is{{$.Interface}}() {}

// {{$.Disc}} returns {{.Const}}.
func (*{{.Type}}) {{$.Disc}}() {{$.DiscType}} { return {{.Const}} }

// Common returns the fields every {{$.Interface}} has.
func (x *{{.Type}}) Common() {{$.Common}} {
	m := &x.{{.Model}}
	return {{$.CommonFn}}({{.Common}})
}

// Raw returns the JSON the value was decoded from, or nil for a value built
// in Go. It must not be modified.
func (x *{{.Type}}) Raw() json.RawMessage { return x.raw }

// MarshalJSON encodes the value without loss: the JSON it was decoded from,
// with the fields changed since then overlaid and those set to nil left
// out (see wrappers.MarshalLossless).
func (x {{.Type}}) MarshalJSON() ([]byte, error) {
	return wrappers.MarshalLossless(x.raw, x.{{.Model}}, func(m *{{.Model}}) { m.{{$.DiscField}} = "{{.Value}}" })
}

// UnmarshalJSON decodes data into the value and keeps a copy of it.
func (x *{{.Type}}) UnmarshalJSON(data []byte) error { return x.decode(bytes.Clone(data)) }

// Links returns the value's HAL links (_links): UnderscoreLinks when it is
// set, otherwise decoded afresh from the JSON the value was decoded from, on
// every call (decoding leaves UnderscoreLinks nil). It is nil when there
// are none; the error says why the links do not decode.
func (x *{{.Type}}) Links() (*{{$.Links}}, error) { return lazyLinks(x.UnderscoreLinks, x.raw) }
{{if and $.LazyEmbedded (ne .Value $.EagerEmbedded)}}
// Embedded returns the value's embedded resources (_embedded):
// UnderscoreEmbedded when it is set, otherwise decoded afresh from the JSON
// the value was decoded from, on every call (decoding leaves
// UnderscoreEmbedded nil). It is nil when there are none.
func (x *{{.Type}}) Embedded() (map[string]any, error) { return lazyEmbedded(x.UnderscoreEmbedded, x.raw) }
{{end}}
// decode decodes raw into the value, except _links{{if and $.LazyEmbedded (ne .Value $.EagerEmbedded)}} and _embedded{{end}}: the
// fields of the shadow struct below are shallower than the model's, so they
// take those members, and only check that each is an object or null.
func (x *{{.Type}}) decode(raw json.RawMessage) error {
	*x = {{.Type}}{raw: raw}
	return json.Unmarshal(raw, &struct {
		*{{.Model}}
		L lazyObject ` + "`json:\"_links\"`" + `
		{{- if and $.LazyEmbedded (ne .Value $.EagerEmbedded)}}
		E lazyObject ` + "`json:\"_embedded\"`" + `
		{{- end}}
	}{ {{- .Model}}: &x.{{.Model -}} })
}
{{end}}`))

func main() {
	dir := flag.String("dir", ".", "directory to write the files to")
	flag.Parse()
	for _, u := range unions {
		var buf bytes.Buffer
		if err := tmpl.Execute(&buf, u); err != nil {
			log.Fatal(err)
		}
		src, err := format.Source(buf.Bytes())
		if err != nil {
			log.Fatalf("%s: %v\n%s", u.File, err, buf.Bytes())
		}
		if err := os.WriteFile(filepath.Join(*dir, u.File), src, 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Println("wrote", u.File)
	}
}

package floor

import "encoding/json"

// Method is an authenticator method: one concrete type per kind of type,
// or *UnknownMethod.
type Method interface {
	// MethodType returns the discriminator.
	MethodType() string
	// Raw returns the bytes the server sent for this method.
	Raw() json.RawMessage
}

// MethodCommon holds what every method has.
type MethodCommon struct {
	Type   string `json:"type"`
	Status string `json:"status"`
	raw    json.RawMessage
}

// MethodType returns the discriminator.
func (m *MethodCommon) MethodType() string { return m.Type }

// Raw returns the bytes the server sent.
func (m *MethodCommon) Raw() json.RawMessage { return m.raw }

func (m *MethodCommon) setRaw(r json.RawMessage) { m.raw = r }

// SimpleMethod is email, password, security_question, sms, tac and voice.
type SimpleMethod struct {
	MethodCommon
}

// VerifiableMethod is cert, duo and idp.
type VerifiableMethod struct {
	MethodCommon
	VerifiableProperties []string `json:"verifiableProperties"`
}

// OTPMethod is otp.
type OTPMethod struct {
	MethodCommon
	VerifiableProperties []string `json:"verifiableProperties"`
	Settings             struct {
		AcceptableAdjacentIntervals int    `json:"acceptableAdjacentIntervals"`
		Algorithm                   string `json:"algorithm"`
		Encoding                    string `json:"encoding"`
		FactorProfileID             string `json:"factorProfileId"`
		PassCodeLength              int    `json:"passCodeLength"`
		Protocol                    string `json:"protocol"`
		TimeIntervalInSeconds       int    `json:"timeIntervalInSeconds"`
	} `json:"settings"`
}

// PushMethod is push.
type PushMethod struct {
	MethodCommon
	Settings struct {
		Algorithms       []string `json:"algorithms"`
		KeyProtection    string   `json:"keyProtection"`
		TransactionTypes []string `json:"transactionTypes"`
	} `json:"settings"`
}

// SignedNonceMethod is signed_nonce.
type SignedNonceMethod struct {
	MethodCommon
	Settings struct {
		Algorithms       []string `json:"algorithms"`
		KeyProtection    string   `json:"keyProtection"`
		ShowSignInWithOV string   `json:"showSignInWithOV"`
	} `json:"settings"`
}

// TOTPMethod is totp.
type TOTPMethod struct {
	MethodCommon
	Settings struct {
		TimeIntervalInSeconds int    `json:"timeIntervalInSeconds"`
		Encoding              string `json:"encoding"`
		Algorithm             string `json:"algorithm"`
		PassCodeLength        int    `json:"passCodeLength"`
	} `json:"settings"`
}

// WebAuthnMethod is webauthn.
type WebAuthnMethod struct {
	MethodCommon
	Settings struct {
		AAGUIDGroups []struct {
			Name    string   `json:"name"`
			AAGUIDs []string `json:"aaguids"`
		} `json:"aaguidGroups"`
		UserVerification          string `json:"userVerification"`
		UserVerificationForVerify string `json:"userVerificationForVerify"`
		Attachment                string `json:"attachment"`
		RPID                      struct {
			Enabled bool `json:"enabled"`
			Domain  struct {
				Name             string `json:"name"`
				ValidationStatus string `json:"validationStatus"`
				DNSRecord        struct {
					FQDN              string `json:"fqdn"`
					RecordType        string `json:"recordType"`
					VerificationValue string `json:"verificationValue"`
				} `json:"dnsRecord"`
			} `json:"domain"`
		} `json:"rpId"`
		EnableAutofillUI               bool   `json:"enableAutofillUI"`
		ResidentKeyRequirement         string `json:"residentKeyRequirement"`
		ShowSignInWithAPasskeyButton   bool   `json:"showSignInWithAPasskeyButton"`
		CertBasedAttestationValidation bool   `json:"certBasedAttestationValidation"`
		HardwareProtected              bool   `json:"hardwareProtected"`
		FipsCompliant                  bool   `json:"fipsCompliant"`
		AllowSyncablePasskeys          bool   `json:"allowSyncablePasskeys"`
	} `json:"settings"`
}

// UnknownMethod is a method type this package does not know.
type UnknownMethod struct {
	MethodCommon
}

// DecodeMethods decodes a JSON array of authenticator methods.
func DecodeMethods(b []byte) ([]Method, error) { return decodeList(b, decodeMethod) }

func decodeMethod(raw json.RawMessage) (Method, error) {
	var peek struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &peek); err != nil {
		return nil, err
	}
	switch peek.Type {
	case "email", "password", "security_question", "sms", "tac", "voice":
		return unmarshal[SimpleMethod](raw)
	case "cert", "duo", "idp":
		return unmarshal[VerifiableMethod](raw)
	case "otp":
		return unmarshal[OTPMethod](raw)
	case "push":
		return unmarshal[PushMethod](raw)
	case "signed_nonce":
		return unmarshal[SignedNonceMethod](raw)
	case "totp":
		return unmarshal[TOTPMethod](raw)
	case "webauthn":
		return unmarshal[WebAuthnMethod](raw)
	default:
		return unmarshal[UnknownMethod](raw)
	}
}

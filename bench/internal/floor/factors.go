package floor

import (
	"encoding/json"
	"time"
)

// Factor is a user factor: one concrete type per kind of factorType, or
// *UnknownFactor.
type Factor interface {
	// FactorType returns the discriminator.
	FactorType() string
	// Raw returns the bytes the server sent for this factor.
	Raw() json.RawMessage
}

// FactorCommon holds what every factor has.
type FactorCommon struct {
	ID          string    `json:"id"`
	Type        string    `json:"factorType"`
	Provider    string    `json:"provider"`
	VendorName  string    `json:"vendorName"`
	Status      string    `json:"status"`
	Created     time.Time `json:"created"`
	LastUpdated time.Time `json:"lastUpdated"`
	raw         json.RawMessage
}

// FactorType returns the discriminator.
func (f *FactorCommon) FactorType() string { return f.Type }

// Raw returns the bytes the server sent.
func (f *FactorCommon) Raw() json.RawMessage { return f.raw }

func (f *FactorCommon) setRaw(r json.RawMessage) { f.raw = r }

// PhoneFactor is call and sms.
type PhoneFactor struct {
	FactorCommon
	Profile struct {
		PhoneNumber    string  `json:"phoneNumber"`
		PhoneExtension *string `json:"phoneExtension"`
	} `json:"profile"`
}

// EmailFactor is email.
type EmailFactor struct {
	FactorCommon
	Profile struct {
		Email string `json:"email"`
	} `json:"profile"`
}

// DeviceFactor is push and signed_nonce (Okta Verify on a device).
type DeviceFactor struct {
	FactorCommon
	Profile struct {
		CredentialID string `json:"credentialId"`
		DeviceToken  string `json:"deviceToken"`
		DeviceType   string `json:"deviceType"`
		Name         string `json:"name"`
		Platform     string `json:"platform"`
		Version      string `json:"version"`
	} `json:"profile"`
}

// QuestionFactor is question.
type QuestionFactor struct {
	FactorCommon
	Profile struct {
		Question     string `json:"question"`
		QuestionText string `json:"questionText"`
	} `json:"profile"`
}

// CredentialFactor is token, token:hardware, token:software:totp and web.
type CredentialFactor struct {
	FactorCommon
	Profile struct {
		CredentialID string `json:"credentialId"`
	} `json:"profile"`
}

// HOTPFactor is token:hotp.
type HOTPFactor struct {
	FactorCommon
	FactorProfileID string `json:"factorProfileId"`
	Profile         struct {
		SharedSecret string `json:"sharedSecret"`
	} `json:"profile"`
}

// U2FFactor is u2f.
type U2FFactor struct {
	FactorCommon
	Profile struct {
		CredentialID string `json:"credentialId"`
		Version      string `json:"version"`
	} `json:"profile"`
}

// WebAuthnFactor is webauthn.
type WebAuthnFactor struct {
	FactorCommon
	Profile struct {
		CredentialID      string `json:"credentialId"`
		AuthenticatorName string `json:"authenticatorName"`
	} `json:"profile"`
}

// UnknownFactor is a factor type this package does not know.
type UnknownFactor struct {
	FactorCommon
}

// DecodeFactors decodes a JSON array of user factors.
func DecodeFactors(b []byte) ([]Factor, error) { return decodeList(b, decodeFactor) }

func decodeFactor(raw json.RawMessage) (Factor, error) {
	var peek struct {
		FactorType string `json:"factorType"`
	}
	if err := json.Unmarshal(raw, &peek); err != nil {
		return nil, err
	}
	switch peek.FactorType {
	case "call", "sms":
		return unmarshal[PhoneFactor](raw)
	case "email":
		return unmarshal[EmailFactor](raw)
	case "push", "signed_nonce":
		return unmarshal[DeviceFactor](raw)
	case "question":
		return unmarshal[QuestionFactor](raw)
	case "token", "token:hardware", "token:software:totp", "web":
		return unmarshal[CredentialFactor](raw)
	case "token:hotp":
		return unmarshal[HOTPFactor](raw)
	case "u2f":
		return unmarshal[U2FFactor](raw)
	case "webauthn":
		return unmarshal[WebAuthnFactor](raw)
	default:
		return unmarshal[UnknownFactor](raw)
	}
}

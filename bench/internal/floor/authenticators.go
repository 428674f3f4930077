package floor

import (
	"encoding/json"
	"time"
)

// Authenticator is an Okta authenticator: one concrete type per kind of
// key, or *UnknownAuthenticator.
type Authenticator interface {
	// Key returns the discriminator.
	Key() string
	// Raw returns the bytes the server sent for this authenticator.
	Raw() json.RawMessage
}

// AuthenticatorCommon holds what every authenticator has.
type AuthenticatorCommon struct {
	Type        string    `json:"type"`
	ID          string    `json:"id"`
	KeyValue    string    `json:"key"`
	Status      string    `json:"status"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Created     time.Time `json:"created"`
	LastUpdated time.Time `json:"lastUpdated"`
	raw         json.RawMessage
}

// Key returns the discriminator.
func (a *AuthenticatorCommon) Key() string { return a.KeyValue }

// Raw returns the bytes the server sent.
func (a *AuthenticatorCommon) Raw() json.RawMessage { return a.raw }

func (a *AuthenticatorCommon) setRaw(r json.RawMessage) { a.raw = r }

// SimpleAuthenticator is a key without settings of its own (okta_password,
// google_otp, security_key, smart_card_idp, symantec_vip, webauthn,
// yubikey_token, custom_otp).
type SimpleAuthenticator struct {
	AuthenticatorCommon
}

// AllowedForAuthenticator is okta_email, phone_number and
// security_question.
type AllowedForAuthenticator struct {
	AuthenticatorCommon
	Settings struct {
		AllowedFor             string  `json:"allowedFor"`
		TokenLifetimeInMinutes float64 `json:"tokenLifetimeInMinutes"`
	} `json:"settings"`
}

// OktaVerifyAuthenticator is okta_verify.
type OktaVerifyAuthenticator struct {
	AuthenticatorCommon
	Settings struct {
		ChannelBinding struct {
			Required string `json:"required"`
			Style    string `json:"style"`
		} `json:"channelBinding"`
		Compliance struct {
			Fips string `json:"fips"`
		} `json:"compliance"`
		UserVerification string `json:"userVerification"`
		AppInstanceID    string `json:"appInstanceId"`
	} `json:"settings"`
}

// CustomAppAuthenticator is custom_app.
type CustomAppAuthenticator struct {
	AuthenticatorCommon
	Provider struct {
		Type          string `json:"type"`
		Configuration struct {
			APNS struct {
				ID               string `json:"id"`
				AppBundleID      string `json:"appBundleId"`
				DebugAppBundleID string `json:"debugAppBundleId"`
			} `json:"apns"`
			FCM struct {
				ID string `json:"id"`
			} `json:"fcm"`
		} `json:"configuration"`
	} `json:"provider"`
	Settings struct {
		UserVerification string `json:"userVerification"`
		AppInstanceID    string `json:"appInstanceId"`
	} `json:"settings"`
}

// UserNameTemplate maps an Okta user to a provider's user name.
type UserNameTemplate struct {
	Template string `json:"template"`
}

// DuoAuthenticator is duo.
type DuoAuthenticator struct {
	AuthenticatorCommon
	Provider struct {
		Type          string `json:"type"`
		Configuration struct {
			Host             string           `json:"host"`
			IntegrationKey   string           `json:"integrationKey"`
			UserNameTemplate UserNameTemplate `json:"userNameTemplate"`
		} `json:"configuration"`
	} `json:"provider"`
}

// ExternalIdPAuthenticator is external_idp.
type ExternalIdPAuthenticator struct {
	AuthenticatorCommon
	Provider struct {
		Type          string `json:"type"`
		Configuration struct {
			IdpID string `json:"idpId"`
		} `json:"configuration"`
	} `json:"provider"`
}

// OnPremAuthenticator is onprem_mfa.
type OnPremAuthenticator struct {
	AuthenticatorCommon
	Provider struct {
		Type          string `json:"type"`
		Configuration struct {
			HostName         string           `json:"hostName"`
			AuthPort         int              `json:"authPort"`
			InstanceID       string           `json:"instanceId"`
			UserNameTemplate UserNameTemplate `json:"userNameTemplate"`
		} `json:"configuration"`
	} `json:"provider"`
}

// TACAuthenticator is tac.
type TACAuthenticator struct {
	AuthenticatorCommon
	Provider struct {
		Type          string `json:"type"`
		Configuration struct {
			MinTTL     float64 `json:"minTtl"`
			MaxTTL     float64 `json:"maxTtl"`
			DefaultTTL float64 `json:"defaultTtl"`
			Length     float64 `json:"length"`
			Complexity struct {
				Numbers           bool `json:"numbers"`
				Letters           bool `json:"letters"`
				SpecialCharacters bool `json:"specialCharacters"`
			} `json:"complexity"`
			MultiUseAllowed bool `json:"multiUseAllowed"`
		} `json:"configuration"`
	} `json:"provider"`
}

// UnknownAuthenticator is a key this package does not know.
type UnknownAuthenticator struct {
	AuthenticatorCommon
}

// DecodeAuthenticators decodes a JSON array of authenticators.
func DecodeAuthenticators(b []byte) ([]Authenticator, error) {
	return decodeList(b, decodeAuthenticator)
}

// DecodeAuthenticator decodes one authenticator, keeping b as its raw bytes.
func DecodeAuthenticator(b []byte) (Authenticator, error) { return decodeAuthenticator(b) }

func decodeAuthenticator(raw json.RawMessage) (Authenticator, error) {
	var peek struct {
		Key string `json:"key"`
	}
	if err := json.Unmarshal(raw, &peek); err != nil {
		return nil, err
	}
	switch peek.Key {
	case "okta_email", "phone_number", "security_question":
		return unmarshal[AllowedForAuthenticator](raw)
	case "okta_verify":
		return unmarshal[OktaVerifyAuthenticator](raw)
	case "custom_app":
		return unmarshal[CustomAppAuthenticator](raw)
	case "duo":
		return unmarshal[DuoAuthenticator](raw)
	case "external_idp":
		return unmarshal[ExternalIdPAuthenticator](raw)
	case "onprem_mfa":
		return unmarshal[OnPremAuthenticator](raw)
	case "tac":
		return unmarshal[TACAuthenticator](raw)
	case "okta_password", "google_otp", "security_key", "smart_card_idp", "symantec_vip", "webauthn",
		"yubikey_token", "custom_otp":
		return unmarshal[SimpleAuthenticator](raw)
	default:
		return unmarshal[UnknownAuthenticator](raw)
	}
}

package oktaclient

// Example payloads, one per authenticator key, method type and factor type,
// shaped like Okta's documented examples (timestamps with milliseconds, HAL
// links), for the decoding and round-trip tests.

const links = `"_links":{"self":{"href":"https://example.okta.com/api/v1/authenticators/aut1","hints":{"allow":["GET","PUT"]}},"methods":{"href":"https://example.okta.com/api/v1/authenticators/aut1/methods","hints":{"allow":["GET"]}},"deactivate":{"href":"https://example.okta.com/api/v1/authenticators/aut1/lifecycle/deactivate","hints":{"allow":["POST"]}}}`

const stamps = `"created":"2020-07-26T21:05:23.000Z","lastUpdated":"2020-07-26T21:05:23.000Z"`

// authenticatorFixtures maps each key to an authenticator of that key.
var authenticatorFixtures = map[AuthenticatorKey]string{
	KeyCustomApp: `{"type":"app","id":"aut1","key":"custom_app","status":"ACTIVE","name":"Custom Push",` + stamps + `,
		"agreeToTerms":true,"provider":{"type":"PUSH","configuration":{"apns":{"id":"ppc1","appBundleId":"com.example.app","debugAppBundleId":"com.example.app.debug"},"fcm":{"id":"ppc2"}}},
		"settings":{"appInstanceId":"0oa1","userVerification":"PREFERRED"},` + links + `}`,
	KeyCustomOTP:    `{"type":"security_key","id":"aut2","key":"custom_otp","status":"ACTIVE","name":"Custom OTP",` + stamps + `,` + links + `}`,
	KeyDuo:          `{"type":"app","id":"aut3","key":"duo","status":"ACTIVE","name":"Duo Security",` + stamps + `,"provider":{"type":"DUO","configuration":{"host":"api-1.duosecurity.com","integrationKey":"DIXXXX","userNameTemplate":{"template":"oktaId"}}},` + links + `}`,
	KeyExternalIdP:  `{"type":"federated","id":"aut4","key":"external_idp","status":"ACTIVE","name":"IdP Authenticator",` + stamps + `,"provider":{"type":"CLAIMS","configuration":{"idpId":"0oa9"}},` + links + `}`,
	KeyGoogleOTP:    `{"type":"app","id":"aut5","key":"google_otp","status":"INACTIVE","name":"Google Authenticator",` + stamps + `,` + links + `}`,
	KeyOktaEmail:    `{"type":"email","id":"aut6","key":"okta_email","status":"ACTIVE","name":"Email",` + stamps + `,"settings":{"allowedFor":"any","tokenLifetimeInMinutes":5},` + links + `}`,
	KeyOktaPassword: `{"type":"password","id":"aut7","key":"okta_password","status":"ACTIVE","name":"Password",` + stamps + `,` + links + `}`,
	KeyOktaVerify: `{"type":"app","id":"aut8","key":"okta_verify","status":"ACTIVE","name":"Okta Verify",` + stamps + `,
		"settings":{"channelBinding":{"style":"NUMBER_CHALLENGE","required":"ALWAYS"},"compliance":{"fips":"OPTIONAL"},"userVerification":"PREFERRED"},` + links + `}`,
	KeyOnPremMFA: `{"type":"security_key","id":"aut9","key":"onprem_mfa","status":"ACTIVE","name":"On-Prem MFA",` + stamps + `,
		"provider":{"type":"DEL_OATH","configuration":{"authPort":999,"hostName":"localhost","userNameTemplate":{"template":"global.assign.userName.login"}}},` + links + `}`,
	KeyPhoneNumber:      `{"type":"phone","id":"aut10","key":"phone_number","status":"ACTIVE","name":"Phone",` + stamps + `,"settings":{"allowedFor":"none"},` + links + `}`,
	KeySecurityKey:      `{"type":"security_key","id":"aut11","key":"security_key","status":"ACTIVE","name":"Security Key",` + stamps + `,` + links + `}`,
	KeySecurityQuestion: `{"type":"security_question","id":"aut12","key":"security_question","status":"ACTIVE","name":"Security Question",` + stamps + `,"settings":{"allowedFor":"recovery"},` + links + `}`,
	KeySmartCardIdP:     `{"type":"federated","id":"aut13","key":"smart_card_idp","status":"ACTIVE","name":"Smart Card",` + stamps + `,` + links + `}`,
	KeySymantecVIP:      `{"type":"app","id":"aut14","key":"symantec_vip","status":"ACTIVE","name":"Symantec VIP",` + stamps + `,` + links + `}`,
	KeyTAC: `{"type":"tac","id":"aut15","key":"tac","status":"ACTIVE","name":"Temporary Access Code",` + stamps + `,
		"provider":{"type":"tac","configuration":{"minTtl":10,"maxTtl":14400,"defaultTtl":120,"length":16,"complexity":{"numbers":true,"letters":true,"specialCharacters":false},"multiUseAllowed":true}},` + links + `}`,
	KeyWebAuthn:     `{"type":"security_key","id":"aut16","key":"webauthn","status":"ACTIVE","name":"Security Key or Biometric","description":"Passkeys",` + stamps + `,` + links + `}`,
	KeyYubiKeyToken: `{"type":"security_key","id":"aut17","key":"yubikey_token","status":"ACTIVE","name":"YubiKey",` + stamps + `,` + links + `}`,
}

const methodLinks = `"_links":{"self":{"href":"https://example.okta.com/api/v1/authenticators/aut1/methods/x","hints":{"allow":["GET","PUT"]}},"deactivate":{"href":"https://example.okta.com/api/v1/authenticators/aut1/methods/x/lifecycle/deactivate","hints":{"allow":["POST"]}}}`

// methodFixtures maps each method type to a method of that type.
var methodFixtures = map[AuthenticatorMethodType]string{
	MethodCert:             `{"type":"cert","status":"ACTIVE","verifiableProperties":["HARDWARE_PROTECTED"],` + methodLinks + `}`,
	MethodDuo:              `{"type":"duo","status":"ACTIVE",` + methodLinks + `}`,
	MethodEmail:            `{"type":"email","status":"ACTIVE",` + methodLinks + `}`,
	MethodIdP:              `{"type":"idp","status":"ACTIVE","verifiableProperties":["DEVICE_BOUND"],` + methodLinks + `}`,
	MethodOTP:              `{"type":"otp","status":"ACTIVE","settings":{"protocol":"TOTP","acceptableAdjacentIntervals":3,"timeIntervalInSeconds":30,"encoding":"base32","algorithm":"HMacSHA256","passCodeLength":6,"factorProfileId":"fpr1"},` + methodLinks + `}`,
	MethodPassword:         `{"type":"password","status":"ACTIVE",` + methodLinks + `}`,
	MethodPush:             `{"type":"push","status":"ACTIVE","settings":{"algorithms":["RS256","ES256"],"keyProtection":"ANY","transactionTypes":["LOGIN","CIBA"]},` + methodLinks + `}`,
	MethodSecurityQuestion: `{"type":"security_question","status":"ACTIVE",` + methodLinks + `}`,
	MethodSignedNonce:      `{"type":"signed_nonce","status":"ACTIVE","settings":{"algorithms":["ES256"],"keyProtection":"ANY","showSignInWithOV":"ALWAYS"},` + methodLinks + `}`,
	MethodSMS:              `{"type":"sms","status":"ACTIVE",` + methodLinks + `}`,
	MethodTAC:              `{"type":"tac","status":"ACTIVE",` + methodLinks + `}`,
	MethodTOTP:             `{"type":"totp","status":"ACTIVE","settings":{"timeIntervalInSeconds":30,"encoding":"base32","algorithm":"HMacSHA1","passCodeLength":6},` + methodLinks + `}`,
	MethodVoice:            `{"type":"voice","status":"INACTIVE",` + methodLinks + `}`,
	MethodWebAuthn: `{"type":"webauthn","status":"ACTIVE","settings":{"userVerification":"PREFERRED","attachment":"ANY","allowSyncablePasskeys":true,
		"rpId":{"enabled":false,"domain":{"name":"login.example.com","validationStatus":"NOT_STARTED","dnsRecord":{"recordType":"TXT","fqdn":"_oktaverification.login.example.com","verificationValue":"7949"}}},
		"aaguidGroups":[{"name":"YubiKeys","aaguids":["cb69481e-8ff7-4039-93ec-0a2729a154a8"]}]},` + methodLinks + `}`,
}

const factorLinks = `"_links":{"self":{"href":"https://example.okta.com/api/v1/users/00u1/factors/f1","hints":{"allow":["GET","DELETE"]}},"user":{"href":"https://example.okta.com/api/v1/users/00u1","hints":{"allow":["GET"]}}}`

// factorFixtures maps each factor type to a factor of that type.
var factorFixtures = map[FactorType]string{
	FactorCall:  `{"id":"clf1","factorType":"call","provider":"OKTA","vendorName":"OKTA","status":"ACTIVE",` + stamps + `,"profile":{"phoneNumber":"+1-555-415-1337","phoneExtension":"1234"},` + factorLinks + `}`,
	FactorEmail: `{"id":"emf1","factorType":"email","provider":"OKTA","vendorName":"OKTA","status":"ACTIVE",` + stamps + `,"profile":{"email":"jane@example.com"},` + factorLinks + `}`,
	FactorPush: `{"id":"opf1","factorType":"push","provider":"OKTA","vendorName":"OKTA","status":"ACTIVE",` + stamps + `,
		"profile":{"credentialId":"jane@example.com","deviceType":"SmartPhone_IPhone","keys":[{"kty":"EC","use":"sig","kid":"default"}],"name":"Jane's iPhone","platform":"IOS","version":"9.0"},` + factorLinks + `}`,
	FactorQuestion:          `{"id":"ufs1","factorType":"question","provider":"OKTA","vendorName":"OKTA","status":"ACTIVE",` + stamps + `,"profile":{"question":"disliked_food","questionText":"What is the food you least liked as a child?"},` + factorLinks + `}`,
	FactorSignedNonce:       `{"id":"sn1","factorType":"signed_nonce","provider":"OKTA","vendorName":"OKTA","status":"ACTIVE",` + stamps + `,"profile":{"credentialId":"jane@example.com","deviceType":"SmartPhone_Android","name":"Pixel","platform":"ANDROID","version":"14"},` + factorLinks + `}`,
	FactorSMS:               `{"id":"mbl1","factorType":"sms","provider":"OKTA","vendorName":"OKTA","status":"ACTIVE",` + stamps + `,"profile":{"phoneNumber":"+1-555-415-1337"},` + factorLinks + `}`,
	FactorToken:             `{"id":"rsa1","factorType":"token","provider":"RSA","vendorName":"RSA","status":"ACTIVE",` + stamps + `,"profile":{"credentialId":"jane@example.com"},` + factorLinks + `}`,
	FactorTokenHardware:     `{"id":"ykf1","factorType":"token:hardware","provider":"YUBICO","vendorName":"YUBICO","status":"ACTIVE",` + stamps + `,"profile":{"credentialId":"000004102994"},` + factorLinks + `}`,
	FactorTokenHOTP:         `{"id":"chf1","factorType":"token:hotp","provider":"CUSTOM","vendorName":"Entrust Datacard","factorProfileId":"fpr1","status":"ACTIVE",` + stamps + `,"profile":{},` + factorLinks + `}`,
	FactorTokenSoftwareTOTP: `{"id":"ostf1","factorType":"token:software:totp","provider":"GOOGLE","vendorName":"GOOGLE","status":"ACTIVE",` + stamps + `,"profile":{"credentialId":"jane@example.com"},` + factorLinks + `}`,
	FactorU2F:               `{"id":"fuf1","factorType":"u2f","provider":"FIDO","vendorName":"FIDO","status":"ACTIVE",` + stamps + `,"profile":{"credentialId":"GAiiLsVab2m3","version":"U2F_V2"},` + factorLinks + `}`,
	FactorWeb:               `{"id":"dsf1","factorType":"web","provider":"DUO","vendorName":"DUO","status":"ACTIVE",` + stamps + `,"profile":{"credentialId":"jane@example.com"},` + factorLinks + `}`,
	FactorWebAuthn:          `{"id":"fwf1","factorType":"webauthn","provider":"FIDO","vendorName":"FIDO","status":"ACTIVE",` + stamps + `,"profile":{"credentialId":"l3Br0n-7H3g047NqESqJynFtIgf3Ix9OfaRoNwLoloso99Xl2zS_O7EXUkmPeAIzTVtEL4dYjicJWBz7NpqhGA","authenticatorName":"MacBook Touch ID"},` + factorLinks + `}`,
}

package oktatest

import (
	"crypto/subtle"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	okta "github.com/mfakit/mfakit/gen/okta"
)

const (
	pushLifetime  = 5 * time.Minute
	resendBackoff = 30 * time.Second
)

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

func (st *state) userURL(userID string) string { return st.base + "/api/v1/users/" + userID }

func (st *state) factorURL(f *factor) string {
	return st.userURL(f.userID) + "/factors/" + f.id
}

// renderProfile is the profile the API shows: never a question's answer or a custom
// token's shared secret.
func renderProfile(f *factor) map[string]any {
	p := cloneMap(f.profile)
	switch f.factorType {
	case "question":
		if q := str(p, "question"); q != "" {
			if text, ok := questionText(q); ok {
				p["questionText"] = text
			}
		}
		delete(p, "answer")
	case "token:hotp":
		delete(p, "sharedSecret")
	}
	return p
}

func (st *state) renderFactor(f *factor) map[string]any {
	m := map[string]any{
		"id":          f.id,
		"factorType":  f.factorType,
		"provider":    f.provider,
		"vendorName":  f.provider,
		"status":      f.status,
		"created":     ts(f.created),
		"lastUpdated": ts(f.updated),
	}
	if p := renderProfile(f); p != nil {
		m["profile"] = p
	}
	if f.factorProfileID != "" {
		m["factorProfileId"] = f.factorProfileID
	}
	self := st.factorURL(f)
	links := map[string]any{
		"self": link(self, "GET", "DELETE"),
		"user": link(st.userURL(f.userID), "GET"),
	}
	switch f.status {
	case "PENDING_ACTIVATION":
		links["activate"] = link(self+"/lifecycle/activate", "POST")
		if f.factorType == "sms" || f.factorType == "call" || f.factorType == "email" {
			resend := link(self+"/resend", "POST")
			resend["name"] = f.factorType
			links["resend"] = []any{resend}
		}
		switch {
		case f.totpActivation != nil:
			// Typed like the spec's UserFactorTotpEmbedded, so the answer is what clients decode.
			a := *f.totpActivation
			m["_embedded"] = okta.UserFactorTotpEmbedded{Activation: &a}
		case f.activation != nil:
			m["_embedded"] = map[string]any{"activation": cloneMap(f.activation)}
		}
	case "ACTIVE":
		links["verify"] = link(self+"/verify", "POST")
	}
	if f.factorType == "question" {
		links["questions"] = link(st.userURL(f.userID)+"/factors/questions", "GET")
	}
	m["_links"] = links
	return m
}

// totpActivation is the _embedded.activation of a pending token:software:totp factor
// with the given base32 secret, whose URL is self.
func totpActivation(secret, self string) *okta.UserFactorTotpActivation {
	return &okta.UserFactorTotpActivation{
		TimeStep:     valuePtr(totpStep),
		SharedSecret: valuePtr(secret),
		Encoding:     valuePtr("base32"),
		KeyLength:    valuePtr(len(secret)),
		UnderscoreLinks: &okta.UserFactorTotpActivationLinks{
			Qrcode: &okta.HrefObject{Href: self + "/qr/" + randomID(32), Type: valuePtr("image/png")},
		},
	}
}

// valuePtr returns a pointer to v, for the optional fields of generated models.
func valuePtr[T any](v T) *T { return &v }

// clearActivation drops the activation data, once the factor is active.
func (f *factor) clearActivation() { f.activation, f.totpActivation = nil, nil }

// issueCode sends (records) a new passcode for f, valid for lifetime.
func (st *state) issueCode(f *factor, now time.Time, lifetime time.Duration) {
	f.code = st.newPasscode()
	f.codeSent = now
	f.codeExpires = now.Add(lifetime)
}

// deviceCode returns the code a hardware or custom token shows now, creating one if needed.
func (st *state) deviceCode(f *factor) string {
	if f.code == "" {
		f.code = st.newPasscode()
	}
	return f.code
}

// checkCode checks a sent or device passcode; a correct one is used up.
func checkCode(f *factor, code string, now time.Time) bool {
	if f.code == "" || code == "" {
		return false
	}
	if !f.codeExpires.IsZero() && !now.Before(f.codeExpires) {
		return false
	}
	if subtle.ConstantTimeCompare([]byte(f.code), []byte(code)) != 1 {
		return false
	}
	f.code, f.codeExpires = "", time.Time{}
	return true
}

func lifetimeOf(secs *int) time.Duration {
	if secs == nil || *secs <= 0 {
		return DefaultPasscodeLifetime
	}
	return time.Duration(*secs) * time.Second
}

// userFor looks the user up, answering 404 when there is none.
func userFor(w http.ResponseWriter, st *state, userID string) *User {
	u := st.users[userID]
	if u == nil {
		notFound(w, userID, "User")
	}
	return u
}

// factorFor looks the user and factor up, answering 404 when either is missing.
func factorFor(w http.ResponseWriter, st *state, userID, factorID string) *factor {
	if userFor(w, st, userID) == nil {
		return nil
	}
	f := st.userFactor(userID, factorID)
	if f == nil {
		notFound(w, factorID, "UserFactor")
	}
	return f
}

// ListFactors answers GET /api/v1/users/{userId}/factors.
func (h apiHandlers) ListFactors(w http.ResponseWriter, _ *http.Request, userID string) {
	st, _, unlock := h.lock()
	defer unlock()
	if userFor(w, st, userID) == nil {
		return
	}
	out := []any{}
	for _, f := range st.factors[userID] {
		out = append(out, st.renderFactor(f))
	}
	writeJSON(w, http.StatusOK, out)
}

// GetFactor answers GET /api/v1/users/{userId}/factors/{factorId}.
func (h apiHandlers) GetFactor(w http.ResponseWriter, _ *http.Request, userID, factorID string) {
	st, _, unlock := h.lock()
	defer unlock()
	if f := factorFor(w, st, userID, factorID); f != nil {
		writeJSON(w, http.StatusOK, st.renderFactor(f))
	}
}

// ListSupportedFactors answers GET /api/v1/users/{userId}/factors/catalog: the factor
// types whose authenticator is active, with the user's status for each.
func (h apiHandlers) ListSupportedFactors(w http.ResponseWriter, _ *http.Request, userID string) {
	st, _, unlock := h.lock()
	defer unlock()
	if userFor(w, st, userID) == nil {
		return
	}
	out := []any{}
	for _, c := range catalogOrder {
		if a := st.authByKey(factorAuthenticatorKey(c.factorType, c.provider)); a == nil || a.status != "ACTIVE" {
			continue
		}
		status := "NOT_SETUP"
		for _, f := range st.factors[userID] {
			if f.factorType == c.factorType && f.provider == c.provider {
				status = f.status
			}
		}
		links := map[string]any{"enroll": link(st.userURL(userID)+"/factors", "POST")}
		if c.factorType == "question" {
			links["questions"] = link(st.userURL(userID)+"/factors/questions", "GET")
		}
		out = append(out, map[string]any{
			"factorType": c.factorType,
			"provider":   c.provider,
			"vendorName": c.provider,
			"status":     status,
			"enrollment": "OPTIONAL",
			"_links":     links,
		})
	}
	writeJSON(w, http.StatusOK, out)
}

// ListSupportedSecurityQuestions answers GET /api/v1/users/{userId}/factors/questions.
func (h apiHandlers) ListSupportedSecurityQuestions(w http.ResponseWriter, _ *http.Request, userID string) {
	st, _, unlock := h.lock()
	defer unlock()
	if userFor(w, st, userID) == nil {
		return
	}
	out := make([]any, 0, len(securityQuestions))
	for _, q := range securityQuestions {
		out = append(out, map[string]any{"question": q.key, "questionText": q.text})
	}
	writeJSON(w, http.StatusOK, out)
}

// newFactor validates an enrollment request for user and builds the factor, returning
// the causes of a 400 when the request cannot be enrolled.
func (st *state) newFactor(u *User, body map[string]any, activate bool, lifetime time.Duration, now time.Time) (*factor, []string) {
	ft := str(body, "factorType")
	info, ok := factorTypes[ft]
	if !ok {
		return nil, []string{"factorType: Unknown factor type " + ft}
	}
	provider := str(body, "provider")
	if provider == "" {
		provider = info.providers[0]
	}
	if !slices.Contains(info.providers, provider) {
		return nil, []string{fmt.Sprintf("provider: %s is not a provider of %s factors", provider, ft)}
	}
	if ft == "signed_nonce" {
		return nil, []string{"factorType: Okta FastPass (signed_nonce) cannot be enrolled through this API"}
	}
	if a := st.authByKey(factorAuthenticatorKey(ft, provider)); a == nil || a.status != "ACTIVE" {
		return nil, []string{fmt.Sprintf("factorType: The factor type %s (%s) is not enabled in this org", ft, provider)}
	}
	for _, f := range st.factors[u.ID] {
		if f.factorType == ft && f.provider == provider {
			return nil, []string{"factorType: A factor of this type is already set up."}
		}
	}
	prefix := info.prefix
	if ft == "token" && provider == "SYMANTEC" {
		prefix = "vip"
	}
	if ft == "token:software:totp" && provider == "GOOGLE" {
		prefix = "uft"
	}
	f := &factor{
		id: newID(prefix), userID: u.ID, factorType: ft, provider: provider,
		status: "PENDING_ACTIVATION", created: now, updated: now,
	}
	profile := obj(body, "profile")
	self := st.userURL(u.ID) + "/factors/" + f.id
	switch ft {
	case "sms", "call":
		phone := str(profile, "phoneNumber")
		if !e164.MatchString(phone) {
			return nil, []string{"profile.phoneNumber: The phone number is invalid; send it in E.164 form, such as +15554151337"}
		}
		f.profile = map[string]any{"phoneNumber": phone}
		if ext := str(profile, "phoneExtension"); ft == "call" && ext != "" {
			f.profile["phoneExtension"] = ext
		}
		st.issueCode(f, now, lifetime)
		if activate {
			f.status = "ACTIVE"
		}
	case "email":
		email := str(profile, "email")
		if email == "" {
			email = u.Email
		}
		if !strings.Contains(email, "@") {
			return nil, []string{"profile.email: The email address is invalid"}
		}
		f.profile = map[string]any{"email": email}
		st.issueCode(f, now, lifetime)
		if activate {
			f.status = "ACTIVE"
		}
	case "question":
		q, answer := str(profile, "question"), str(profile, "answer")
		if _, ok := questionText(q); !ok {
			return nil, []string{"profile.question: Unknown security question " + q}
		}
		if len(answer) < 4 {
			return nil, []string{"profile.answer: The security question answer must be at least 4 characters in length"}
		}
		f.profile, f.answer, f.status = map[string]any{"question": q}, answer, "ACTIVE"
	case "token:software:totp":
		f.secret = newTOTPSecret()
		f.profile = map[string]any{"credentialId": u.Login}
		f.totpActivation = totpActivation(f.secret, self)
	case "push":
		f.profile = map[string]any{"credentialId": u.Login}
		f.activation = map[string]any{
			"expiresAt":    ts(now.Add(pushLifetime)),
			"factorResult": "WAITING",
			"_links": map[string]any{
				"qrcode": map[string]any{"href": self + "/qr/" + randomID(32), "type": "image/png"},
				"send": []any{
					map[string]any{"name": "email", "href": self + "/lifecycle/activate/email", "hints": map[string]any{"allow": []any{"POST"}}},
					map[string]any{"name": "sms", "href": self + "/lifecycle/activate/sms", "hints": map[string]any{"allow": []any{"POST"}}},
				},
			},
		}
	case "token", "token:hardware":
		verify := obj(body, "verify")
		code := str(verify, "passCode")
		if code == "" {
			return nil, []string{"verify.passCode: A passcode from the token is required to enroll it"}
		}
		cred := str(profile, "credentialId")
		if ft == "token:hardware" && len(code) >= 12 {
			cred = code[:12] // a YubiKey OTP starts with the key's public id
		}
		if cred == "" {
			return nil, []string{"profile.credentialId: The field cannot be left blank"}
		}
		f.profile, f.status = map[string]any{"credentialId": cred}, "ACTIVE"
	case "token:hotp":
		f.factorProfileID = str(body, "factorProfileId")
		if f.factorProfileID == "" {
			return nil, []string{"factorProfileId: The field cannot be left blank"}
		}
		f.profile = map[string]any{}
		if s := str(profile, "sharedSecret"); s != "" {
			f.profile["sharedSecret"] = s
		}
		if activate {
			f.status = "ACTIVE"
		}
	case "u2f":
		f.activation = map[string]any{
			"version": "U2F_V2", "appId": st.base, "nonce": randomID(20), "timeoutSeconds": 20,
		}
	case "webauthn":
		f.activation = map[string]any{
			"challenge":              randomID(20),
			"rp":                     map[string]any{"name": "oktatest"},
			"user":                   map[string]any{"id": u.ID, "name": u.Login, "displayName": strings.TrimSpace(u.FirstName + " " + u.LastName)},
			"pubKeyCredParams":       []any{map[string]any{"type": "public-key", "alg": -7}, map[string]any{"type": "public-key", "alg": -257}},
			"attestation":            "direct",
			"authenticatorSelection": map[string]any{"userVerification": "preferred", "requireResidentKey": false},
			"excludeCredentials":     []any{},
		}
	case "web":
		f.profile = map[string]any{"credentialId": u.Login}
		f.activation = map[string]any{
			"host":         "api-oktatest.duosecurity.com",
			"signature":    "TX|" + randomID(40),
			"factorResult": "WAITING",
			"_links":       map[string]any{"complete": map[string]any{"href": self + "/lifecycle/duoCallback", "hints": map[string]any{"allow": []any{"POST"}}}},
		}
	}
	if f.status == "ACTIVE" {
		f.clearActivation()
	}
	return f, nil
}

// EnrollFactor answers POST /api/v1/users/{userId}/factors.
func (h apiHandlers) EnrollFactor(w http.ResponseWriter, r *http.Request, userID string, params okta.EnrollFactorParams) {
	body, err := readObject(r)
	if err != nil {
		malformed(w, err.Error())
		return
	}
	st, now, unlock := h.lock()
	defer unlock()
	u := userFor(w, st, userID)
	if u == nil {
		return
	}
	activate := params.Activate != nil && *params.Activate
	f, causes := st.newFactor(u, body, activate, lifetimeOf(params.TokenLifetimeSeconds), now)
	if causes != nil {
		badRequest(w, "factorEnrollRequest", causes...)
		return
	}
	st.factors[userID] = append(st.factors[userID], f)
	writeJSON(w, http.StatusOK, st.renderFactor(f))
}

// ActivateFactor answers POST /api/v1/users/{userId}/factors/{factorId}/lifecycle/activate.
func (h apiHandlers) ActivateFactor(w http.ResponseWriter, r *http.Request, userID, factorID string) {
	var req okta.UserFactorActivateRequest
	if err := readInto(r, &req); err != nil {
		malformed(w, err.Error())
		return
	}
	st, now, unlock := h.lock()
	defer unlock()
	f := factorFor(w, st, userID, factorID)
	if f == nil {
		return
	}
	if f.status != "PENDING_ACTIVATION" {
		badRequest(w, "factor", "status: The factor is "+f.status+", not awaiting activation")
		return
	}
	passCode := deref(req.PassCode)
	switch f.factorType {
	case "sms", "call", "email", "token:hotp":
		if passCode == "" {
			badRequest(w, "activateFactorRequest", "passCode: The field cannot be left blank")
			return
		}
		if f.factorType == "token:hotp" {
			st.deviceCode(f)
		}
		if !checkCode(f, passCode, now) {
			invalidPasscode(w, "Your passcode doesn't match our records. Please try again.")
			return
		}
	case "token:software:totp":
		if passCode == "" {
			badRequest(w, "activateFactorRequest", "passCode: The field cannot be left blank")
			return
		}
		ok, replayed := f.checkTOTP(passCode, now)
		if replayed {
			writeError(w, http.StatusForbidden, newOktaError(codeCodeReplayed, "Each code can only be used once. Please wait for a new code and try again."))
			return
		}
		if !ok {
			invalidPasscode(w, "Your passcode doesn't match our records. Please try again.")
			return
		}
	case "u2f":
		if deref(req.RegistrationData) == "" || deref(req.ClientData) == "" {
			badRequest(w, "activateFactorRequest", "registrationData: registrationData and clientData from the U2F token are required")
			return
		}
		f.profile = map[string]any{"credentialId": randomID(43), "version": "U2F_V2"}
	case "webauthn":
		if deref(req.Attestation) == "" || deref(req.ClientData) == "" {
			badRequest(w, "activateFactorRequest", "attestation: attestation and clientData from the WebAuthn authenticator are required")
			return
		}
		f.profile = map[string]any{"credentialId": randomID(43), "authenticatorName": "Security Key"}
	case "push":
		// The fake's "device" scans the QR code at once.
		f.profile = map[string]any{
			"credentialId": str(f.profile, "credentialId"), "deviceType": "SmartPhone_IPhone",
			"name": "oktatest iPhone", "platform": "IOS", "version": "9.0.1",
		}
	}
	f.status, f.updated = "ACTIVE", now
	f.clearActivation()
	writeJSON(w, http.StatusOK, st.renderFactor(f))
}

// ResendEnrollFactor answers POST /api/v1/users/{userId}/factors/{factorId}/resend.
func (h apiHandlers) ResendEnrollFactor(w http.ResponseWriter, r *http.Request, userID, factorID string, _ okta.ResendEnrollFactorParams) {
	var req okta.UserFactorResendRequest
	if err := readInto(r, &req); err != nil {
		malformed(w, err.Error())
		return
	}
	st, now, unlock := h.lock()
	defer unlock()
	f := factorFor(w, st, userID, factorID)
	if f == nil {
		return
	}
	if ft := string(req.FactorType); ft != f.factorType {
		badRequest(w, "factor", fmt.Sprintf("factorType: The factor is %s, not %s", f.factorType, ft))
		return
	}
	if f.factorType != "sms" && f.factorType != "call" && f.factorType != "email" {
		badRequest(w, "factor", "factorType: Only sms, call and email enrollments can be resent")
		return
	}
	if f.status != "PENDING_ACTIVATION" {
		badRequest(w, "factor", "status: The factor is "+f.status+", not awaiting activation")
		return
	}
	if now.Sub(f.codeSent) < resendBackoff {
		what := map[string]string{"sms": "An SMS message was recently sent", "call": "A voice call was recently made", "email": "An email was recently sent"}[f.factorType]
		writeError(w, http.StatusTooManyRequests, newOktaError(codeOTPRecentlySent, what+". Please wait 30 seconds before trying again."))
		return
	}
	st.issueCode(f, now, DefaultPasscodeLifetime)
	f.updated = now
	writeJSON(w, http.StatusOK, st.renderFactor(f))
}

// UnenrollFactor answers DELETE /api/v1/users/{userId}/factors/{factorId}. Unenrolling
// push or signed_nonce also removes the user's other Okta Verify factors.
func (h apiHandlers) UnenrollFactor(w http.ResponseWriter, _ *http.Request, userID, factorID string, _ okta.UnenrollFactorParams) {
	st, _, unlock := h.lock()
	defer unlock()
	f := factorFor(w, st, userID, factorID)
	if f == nil {
		return
	}
	oktaVerify := func(x *factor) bool {
		return x.provider == "OKTA" && (x.factorType == "push" || x.factorType == "signed_nonce" || x.factorType == "token:software:totp")
	}
	cascade := f.factorType == "push" || f.factorType == "signed_nonce"
	st.factors[userID] = slices.DeleteFunc(st.factors[userID], func(x *factor) bool {
		return x == f || (cascade && oktaVerify(x))
	})
	for id, tx := range st.pushTxs {
		if tx.userID == userID && st.userFactor(userID, tx.factorID) == nil {
			delete(st.pushTxs, id)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// VerifyFactor answers POST /api/v1/users/{userId}/factors/{factorId}/verify.
func (h apiHandlers) VerifyFactor(w http.ResponseWriter, r *http.Request, userID, factorID string, params okta.VerifyFactorParams) {
	var req okta.UserFactorVerifyRequest
	if err := readInto(r, &req); err != nil {
		malformed(w, err.Error())
		return
	}
	st, now, unlock := h.lock()
	defer unlock()
	f := factorFor(w, st, userID, factorID)
	if f == nil {
		return
	}
	if f.status != "ACTIVE" {
		badRequest(w, "factor", "status: The factor is "+f.status+"; only active factors can be verified")
		return
	}
	self := st.factorURL(f)
	challenge := func(embedded map[string]any) {
		out := map[string]any{
			"factorResult": "CHALLENGE",
			"profile":      renderProfile(f),
			"_links": map[string]any{
				"verify": link(self+"/verify", "POST"),
				"factor": link(self, "GET", "DELETE"),
			},
		}
		if embedded != nil {
			out["_embedded"] = map[string]any{"challenge": embedded}
		}
		writeJSON(w, http.StatusOK, out)
	}
	success := func() {
		f.updated = now
		writeJSON(w, http.StatusOK, map[string]any{"factorResult": "SUCCESS"})
	}
	wrongCode := func() { invalidPasscode(w, "Your passcode doesn't match our records. Please try again.") }
	passCode := deref(req.PassCode)

	switch f.factorType {
	case "sms", "call", "email":
		if passCode == "" {
			st.issueCode(f, now, lifetimeOf(params.TokenLifetimeSeconds))
			challenge(nil)
			return
		}
		if !checkCode(f, passCode, now) {
			wrongCode()
			return
		}
		success()
	case "token", "token:hardware", "token:hotp":
		if passCode == "" {
			badRequest(w, "verifyFactorRequest", "passCode: The field cannot be left blank")
			return
		}
		st.deviceCode(f)
		if !checkCode(f, passCode, now) {
			wrongCode()
			return
		}
		success()
	case "token:software:totp":
		if passCode == "" {
			badRequest(w, "verifyFactorRequest", "passCode: The field cannot be left blank")
			return
		}
		ok, replayed := f.checkTOTP(passCode, now)
		switch {
		case replayed:
			writeError(w, http.StatusForbidden, newOktaError(codeCodeReplayed, "Each code can only be used once. Please wait for a new code and try again."))
		case !ok:
			wrongCode()
		default:
			success()
		}
	case "question":
		answer := deref(req.Answer)
		if answer == "" {
			badRequest(w, "verifyFactorRequest", "answer: The field cannot be left blank")
			return
		}
		if !strings.EqualFold(strings.TrimSpace(answer), strings.TrimSpace(f.answer)) {
			invalidPasscode(w, "Your answer doesn't match our records. Please try again.")
			return
		}
		success()
	case "push":
		tx := &pushTx{id: newID("mst"), userID: userID, factorID: f.id, result: "WAITING", expires: now.Add(pushLifetime)}
		if req.UseNumberMatchingChallenge != nil && *req.UseNumberMatchingChallenge {
			tx.answer = 1 + rand.IntN(99)
		}
		st.pushTxs[tx.id] = tx
		writeJSON(w, http.StatusCreated, st.renderPushTx(f, tx, now))
	case "u2f":
		if deref(req.ClientData) == "" || deref(req.SignatureData) == "" {
			challenge(map[string]any{"nonce": randomID(20), "timeoutSeconds": 20})
			return
		}
		success()
	case "webauthn":
		if deref(req.AuthenticatorData) == "" || deref(req.ClientData) == "" || deref(req.SignatureData) == "" {
			challenge(map[string]any{"challenge": randomID(20), "extensions": map[string]any{}})
			return
		}
		success()
	case "web":
		// Duo finishes verification in Duo's own frame; the fake only issues the challenge.
		challenge(nil)
	default: // signed_nonce
		badRequest(w, "verifyFactorRequest", "factorType: Okta FastPass (signed_nonce) cannot be verified through this API")
	}
}

func (st *state) renderPushTx(f *factor, tx *pushTx, now time.Time) map[string]any {
	if tx.result == "WAITING" && !now.Before(tx.expires) {
		tx.result = "TIMEOUT"
	}
	self := st.factorURL(f)
	txURL := self + "/transactions/" + tx.id
	out := map[string]any{
		"factorResult": tx.result,
		"profile":      map[string]any{"credentialId": str(f.profile, "credentialId")},
	}
	switch tx.result {
	case "WAITING":
		out["expiresAt"] = ts(tx.expires)
		out["_links"] = map[string]any{"poll": link(txURL, "GET"), "cancel": link(txURL, "DELETE")}
		if tx.answer > 0 {
			out["_embedded"] = map[string]any{"challenge": map[string]any{"correctAnswer": tx.answer}}
		}
	case "REJECTED", "TIMEOUT":
		out["_links"] = map[string]any{"verify": link(self+"/verify", "POST"), "factor": link(self, "GET", "DELETE")}
	}
	return out
}

// GetFactorTransactionStatus answers GET …/factors/{factorId}/transactions/{transactionId}.
func (h apiHandlers) GetFactorTransactionStatus(w http.ResponseWriter, _ *http.Request, userID, factorID, txID string) {
	st, now, unlock := h.lock()
	defer unlock()
	f := factorFor(w, st, userID, factorID)
	if f == nil {
		return
	}
	tx := st.pushTxs[txID]
	if tx == nil || tx.factorID != f.id || tx.userID != userID {
		notFound(w, txID, "Transaction")
		return
	}
	writeJSON(w, http.StatusOK, st.renderPushTx(f, tx, now))
}

package oktatest

import (
	"crypto/rand"
	"encoding/json"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	okta "github.com/mfakit/mfakit/gen/okta"
)

// maskPhone masks a phone number the way Okta does unless discloseIdentifiers=phone:
// "+14155556065" becomes "+1 XXX-XXX-6065".
func maskPhone(p string) string {
	if len(p) < 5 {
		return p
	}
	last := p[len(p)-4:]
	if strings.HasPrefix(p, "+1") && len(p) == 12 {
		return "+1 XXX-XXX-" + last
	}
	return "+" + strings.Repeat("X", len(p)-5) + last
}

func (st *state) enrollmentURL(e *enrollment) string {
	return st.userURL(e.userID) + "/authenticator-enrollments/" + e.id
}

func (st *state) renderEnrollment(e *enrollment, disclose bool) map[string]any {
	name := keys[e.key].name
	a := st.authByKey(e.key)
	if a != nil {
		name = a.name
	}
	m := map[string]any{
		"id":          e.id,
		"type":        enrollmentKeyType(e.key),
		"key":         e.key,
		"name":        name,
		"status":      e.status,
		"nickname":    nil,
		"created":     ts(e.created),
		"lastUpdated": ts(e.updated),
	}
	if e.nickname != nil {
		m["nickname"] = *e.nickname
	}
	switch {
	case e.phone != "":
		p := e.phone
		if !disclose {
			p = maskPhone(p)
		}
		m["profile"] = map[string]any{"phoneNumber": p}
	case e.email != "":
		m["profile"] = map[string]any{"email": e.email}
	case e.profileTAC != nil:
		m["profile"] = cloneMap(e.profileTAC)
	}
	links := map[string]any{
		"self": link(st.enrollmentURL(e), "GET", "DELETE"),
		"user": link(st.userURL(e.userID)),
	}
	if a != nil {
		links["authenticator"] = link(st.authURL(a))
	}
	m["_links"] = links
	return m
}

func disclosesPhone(p *[]string) bool { return p != nil && slices.Contains(*p, "phone") }

// ListAuthenticatorEnrollments answers GET /api/v1/users/{userId}/authenticator-enrollments.
func (h apiHandlers) ListAuthenticatorEnrollments(w http.ResponseWriter, _ *http.Request, userID string, params okta.ListAuthenticatorEnrollmentsParams) {
	st, _, unlock := h.lock()
	defer unlock()
	if userFor(w, st, userID) == nil {
		return
	}
	out := []any{}
	for _, e := range st.enrolls[userID] {
		out = append(out, st.renderEnrollment(e, disclosesPhone(params.DiscloseIdentifiers)))
	}
	writeJSON(w, http.StatusOK, out)
}

func enrollmentFor(w http.ResponseWriter, st *state, userID, id string) *enrollment {
	if userFor(w, st, userID) == nil {
		return nil
	}
	for _, e := range st.enrolls[userID] {
		if e.id == id {
			return e
		}
	}
	notFound(w, id, "AuthenticatorEnrollment")
	return nil
}

// GetAuthenticatorEnrollment answers GET …/authenticator-enrollments/{enrollmentId}.
func (h apiHandlers) GetAuthenticatorEnrollment(w http.ResponseWriter, _ *http.Request, userID, id string, params okta.GetAuthenticatorEnrollmentParams) {
	st, _, unlock := h.lock()
	defer unlock()
	if e := enrollmentFor(w, st, userID, id); e != nil {
		writeJSON(w, http.StatusOK, st.renderEnrollment(e, disclosesPhone(params.DiscloseIdentifiers)))
	}
}

// DeleteAuthenticatorEnrollment answers DELETE …/authenticator-enrollments/{enrollmentId}.
func (h apiHandlers) DeleteAuthenticatorEnrollment(w http.ResponseWriter, _ *http.Request, userID, id string) {
	st, _, unlock := h.lock()
	defer unlock()
	e := enrollmentFor(w, st, userID, id)
	if e == nil {
		return
	}
	st.enrolls[userID] = slices.DeleteFunc(st.enrolls[userID], func(x *enrollment) bool { return x == e })
	w.WriteHeader(http.StatusNoContent)
}

// enrollableAuthenticator checks that id names the org's active authenticator of key.
func enrollableAuthenticator(st *state, id, key string) (*authenticator, string) {
	a := st.auths[id]
	switch {
	case a == nil:
		return nil, "authenticatorId: No authenticator " + id + " in this org"
	case a.key != key:
		return nil, "authenticatorId: Authenticator " + id + " is " + a.key + ", not " + key
	case a.status != "ACTIVE":
		return nil, "authenticatorId: Authenticator " + id + " is not active"
	}
	return a, ""
}

// CreateAuthenticatorEnrollment answers POST …/authenticator-enrollments/phone.
func (h apiHandlers) CreateAuthenticatorEnrollment(w http.ResponseWriter, r *http.Request, userID string) {
	var req okta.AuthenticatorEnrollmentCreateRequest
	if err := readInto(r, &req); err != nil {
		malformed(w, err.Error())
		return
	}
	st, now, unlock := h.lock()
	defer unlock()
	if userFor(w, st, userID) == nil {
		return
	}
	if _, cause := enrollableAuthenticator(st, req.AuthenticatorId, "phone_number"); cause != "" {
		badRequest(w, "authenticatorEnrollment", cause)
		return
	}
	phone := req.Profile.PhoneNumber
	if !e164.MatchString(phone) {
		badRequest(w, "authenticatorEnrollment", "profile.phoneNumber: The phone number is invalid; send it in E.164 form, such as +15554151337")
		return
	}
	for _, e := range st.enrolls[userID] {
		if e.key == "phone_number" && e.phone == phone {
			badRequest(w, "authenticatorEnrollment", "profile.phoneNumber: This phone number is already enrolled")
			return
		}
	}
	e := &enrollment{id: newID("pae"), userID: userID, key: "phone_number", status: "ACTIVE", phone: phone, created: now, updated: now}
	st.enrolls[userID] = append(st.enrolls[userID], e)
	writeJSON(w, http.StatusOK, st.renderEnrollment(e, false))
}

// CreateTacAuthenticatorEnrollment answers POST …/authenticator-enrollments/tac. The
// code is in this answer only; a new code replaces the user's previous one.
func (h apiHandlers) CreateTacAuthenticatorEnrollment(w http.ResponseWriter, r *http.Request, userID string) {
	var req okta.AuthenticatorEnrollmentCreateRequestTac
	if err := readInto(r, &req); err != nil {
		malformed(w, err.Error())
		return
	}
	st, now, unlock := h.lock()
	defer unlock()
	if userFor(w, st, userID) == nil {
		return
	}
	a, cause := enrollableAuthenticator(st, req.AuthenticatorId, "tac")
	if cause != "" {
		badRequest(w, "tacEnrollment", cause)
		return
	}
	cfg := obj(a.provider, "configuration")
	num := func(k string, def float64) float64 {
		switch v := cfg[k].(type) {
		case json.Number:
			if f, err := v.Float64(); err == nil {
				return f
			}
		case float64:
			return v
		case int:
			return float64(v)
		}
		return def
	}
	minTTL, maxTTL, defTTL := num("minTtl", 10), num("maxTtl", 14400), num("defaultTtl", 120)
	ttl := defTTL
	multiUse := false
	if p := req.Profile; p != nil {
		if p.Ttl != nil && *p.Ttl != "" {
			v, err := strconv.Atoi(*p.Ttl)
			if err != nil || float64(v) < minTTL || float64(v) > maxTTL {
				badRequest(w, "tacEnrollment", "profile.ttl: The lifetime must be a whole number of minutes from "+
					strconv.FormatFloat(minTTL, 'f', -1, 64)+" to "+strconv.FormatFloat(maxTTL, 'f', -1, 64))
				return
			}
			ttl = float64(v)
		}
		if p.MultiUse != nil && *p.MultiUse {
			if allowed, _ := cfg["multiUseAllowed"].(bool); !allowed {
				badRequest(w, "tacEnrollment", "profile.multiUse: The TAC authenticator does not allow multi-use codes")
				return
			}
			multiUse = true
		}
	}
	code := tacCode(int(num("length", 16)), obj(cfg, "complexity"))
	expires := now.Add(time.Duration(ttl) * time.Minute)
	e := &enrollment{
		id: newID("tac"), userID: userID, key: "tac", status: "ACTIVE", created: now, updated: now,
		// Okta sends expiresAt without a zone offset.
		profileTAC: map[string]any{"multiUse": multiUse, "expiresAt": expires.UTC().Format("2006-01-02T15:04:05")},
	}
	st.enrolls[userID] = slices.DeleteFunc(st.enrolls[userID], func(x *enrollment) bool { return x.key == "tac" })
	st.enrolls[userID] = append(st.enrolls[userID], e)
	out := st.renderEnrollment(e, false)
	out["profile"].(map[string]any)["tac"] = code
	writeJSON(w, http.StatusOK, out)
}

// tacCode makes a temporary access code of length characters from the classes
// complexity allows (digits always).
func tacCode(length int, complexity map[string]any) string {
	alphabet := "0123456789"
	if v, _ := complexity["letters"].(bool); v {
		alphabet += "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	}
	if v, _ := complexity["specialCharacters"].(bool); v {
		alphabet += "!#$%&*+-=?@^_"
	}
	length = min(max(length, 8), 64)
	b := make([]byte, length)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic("oktatest: crypto/rand: " + err.Error())
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}

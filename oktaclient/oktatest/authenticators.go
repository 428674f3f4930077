package oktatest

import (
	"encoding/json"
	"net/http"
	"time"

	okta "github.com/mfakit/mfakit/gen/okta"
)

// apiHandlers implements the generated server interface over the Server's state. The
// pipeline in serveHTTP has already authenticated and validated the request.
type apiHandlers struct{ s *Server }

var _ okta.ServerInterface = apiHandlers{}

// lock takes the server's lock and returns the state, the time and the unlock function.
func (h apiHandlers) lock() (*state, time.Time, func()) {
	h.s.mu.Lock()
	return h.s.st, h.s.now(), h.s.mu.Unlock
}

// readObject decodes the request body as a JSON object; an empty body is an empty object.
func readObject(r *http.Request) (map[string]any, error) {
	m := map[string]any{}
	if r.Body == nil || r.ContentLength == 0 {
		return m, nil
	}
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// readInto decodes the request body into v; an empty body leaves v alone.
func readInto(r *http.Request, v any) error {
	if r.Body == nil || r.ContentLength == 0 {
		return nil
	}
	return json.NewDecoder(r.Body).Decode(v)
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func obj(m map[string]any, k string) map[string]any {
	o, _ := m[k].(map[string]any)
	return o
}

// --- rendering ---

func (st *state) authURL(a *authenticator) string { return st.base + "/api/v1/authenticators/" + a.id }

func (st *state) renderAuthenticator(a *authenticator) map[string]any {
	m := cloneMap(a.extra)
	if m == nil {
		m = map[string]any{}
	}
	m["id"] = a.id
	m["key"] = a.key
	m["type"] = keys[a.key].typ
	m["name"] = a.name
	m["status"] = a.status
	m["created"] = ts(a.created)
	m["lastUpdated"] = ts(a.updated)
	if a.description != "" {
		m["description"] = a.description
	}
	if a.settings != nil {
		m["settings"] = cloneMap(a.settings)
	}
	if a.provider != nil {
		p := cloneMap(a.provider)
		if c := obj(p, "configuration"); c != nil {
			// Okta never returns these secrets.
			delete(c, "secretKey")
			delete(c, "sharedSecret")
		}
		m["provider"] = p
	}
	self := st.authURL(a)
	links := map[string]any{
		"self":    link(self, "GET", "PUT"),
		"methods": link(self+"/methods", "GET"),
	}
	if a.status == "ACTIVE" {
		links["deactivate"] = link(self+"/lifecycle/deactivate", "POST")
	} else {
		links["activate"] = link(self+"/lifecycle/activate", "POST")
	}
	if a.key == "webauthn" {
		links["aaguids"] = link(self+"/aaguids", "GET", "POST")
	}
	m["_links"] = links
	return m
}

func (st *state) renderMethod(a *authenticator, me *method) map[string]any {
	m := map[string]any{"type": me.typ, "status": me.status}
	if me.settings != nil {
		m["settings"] = cloneMap(me.settings)
	}
	if len(me.verifiable) > 0 {
		m["verifiableProperties"] = append([]string(nil), me.verifiable...)
	}
	self := st.authURL(a) + "/methods/" + me.typ
	links := map[string]any{"self": link(self, "GET", "PUT")}
	if me.status == "ACTIVE" {
		links["deactivate"] = link(self+"/lifecycle/deactivate", "POST")
	} else {
		links["activate"] = link(self+"/lifecycle/activate", "POST")
	}
	if a.key == "webauthn" && me.typ == "webauthn" {
		links["verify-rp-id-domain"] = link(self+"/verify-rp-id-domain", "POST")
	}
	m["_links"] = links
	return m
}

// --- authenticators ---

// ListAuthenticators answers GET /api/v1/authenticators.
func (h apiHandlers) ListAuthenticators(w http.ResponseWriter, _ *http.Request) {
	st, _, unlock := h.lock()
	defer unlock()
	out := make([]any, 0, len(st.authOrder))
	for _, id := range st.authOrder {
		out = append(out, st.renderAuthenticator(st.auths[id]))
	}
	writeJSON(w, http.StatusOK, out)
}

// GetAuthenticator answers GET /api/v1/authenticators/{authenticatorId}.
func (h apiHandlers) GetAuthenticator(w http.ResponseWriter, _ *http.Request, id okta.PathAuthenticatorId) {
	st, _, unlock := h.lock()
	defer unlock()
	a := st.auths[id]
	if a == nil {
		notFound(w, id, "Authenticator")
		return
	}
	writeJSON(w, http.StatusOK, st.renderAuthenticator(a))
}

// serverOwnedAuthenticatorFields are ignored in request bodies.
var serverOwnedAuthenticatorFields = []string{"id", "key", "type", "status", "created", "lastUpdated", "_links", "_embedded"}

// applyAuthenticatorBody sets a's writable properties from body and returns the causes
// of a 400, if any.
func applyAuthenticatorBody(a *authenticator, body map[string]any, creating bool) []string {
	var causes []string
	name := str(body, "name")
	if name == "" && creating {
		name = keys[a.key].name
	}
	if name == "" {
		causes = append(causes, "name: The field cannot be left blank")
	}
	if a.key == "custom_app" && creating {
		if agree, _ := body["agreeToTerms"].(bool); !agree {
			causes = append(causes, "agreeToTerms: The terms must be accepted to create a custom_app authenticator")
		}
	}
	if a.key == "tac" {
		causes = append(causes, checkTACConfig(obj(obj(body, "provider"), "configuration"))...)
	}
	if len(causes) > 0 {
		return causes
	}
	extra := cloneMap(body)
	for _, k := range serverOwnedAuthenticatorFields {
		delete(extra, k)
	}
	a.name = name
	a.description = str(extra, "description")
	a.settings = obj(extra, "settings")
	a.provider = obj(extra, "provider")
	for _, k := range []string{"name", "description", "settings", "provider"} {
		delete(extra, k)
	}
	a.extra = extra
	return nil
}

func checkTACConfig(c map[string]any) []string {
	if c == nil {
		return nil
	}
	num := func(k string) (float64, bool) {
		n, ok := c[k].(json.Number)
		if !ok {
			return 0, false
		}
		f, err := n.Float64()
		return f, err == nil
	}
	minTTL, ok1 := num("minTtl")
	maxTTL, ok2 := num("maxTtl")
	def, ok3 := num("defaultTtl")
	var causes []string
	if ok1 && ok2 && minTTL >= maxTTL {
		causes = append(causes, "provider.configuration.minTtl: must be below maxTtl")
	}
	if ok1 && ok2 && ok3 && (def < minTTL || def > maxTTL) {
		causes = append(causes, "provider.configuration.defaultTtl: must be between minTtl and maxTtl")
	}
	return causes
}

// CreateAuthenticator answers POST /api/v1/authenticators.
func (h apiHandlers) CreateAuthenticator(w http.ResponseWriter, r *http.Request, params okta.CreateAuthenticatorParams) {
	body, err := readObject(r)
	if err != nil {
		malformed(w, err.Error())
		return
	}
	st, now, unlock := h.lock()
	defer unlock()
	key := str(body, "key")
	info, known := keys[key]
	if !known {
		badRequest(w, "authenticator", "key: Unknown authenticator key "+key)
		return
	}
	if !info.multiple && st.authByKey(key) != nil {
		badRequest(w, "authenticator", "key: An authenticator with key "+key+" already exists in the org")
		return
	}
	a := &authenticator{id: newID("aut"), key: key, status: "ACTIVE", created: now, updated: now}
	if params.Activate != nil && !*params.Activate {
		a.status = "INACTIVE"
	}
	if causes := applyAuthenticatorBody(a, body, true); causes != nil {
		badRequest(w, "authenticator", causes...)
		return
	}
	a.methods = defaultMethods(key)
	st.auths[a.id] = a
	st.authOrder = append(st.authOrder, a.id)
	writeJSON(w, http.StatusOK, st.renderAuthenticator(a))
}

// ReplaceAuthenticator answers PUT /api/v1/authenticators/{authenticatorId}.
func (h apiHandlers) ReplaceAuthenticator(w http.ResponseWriter, r *http.Request, id okta.PathAuthenticatorId) {
	body, err := readObject(r)
	if err != nil {
		malformed(w, err.Error())
		return
	}
	st, now, unlock := h.lock()
	defer unlock()
	a := st.auths[id]
	if a == nil {
		notFound(w, id, "Authenticator")
		return
	}
	if k := str(body, "key"); k != a.key {
		badRequest(w, "authenticator", "key: The key of an authenticator cannot be changed (it is "+a.key+")")
		return
	}
	next := *a
	if causes := applyAuthenticatorBody(&next, body, false); causes != nil {
		badRequest(w, "authenticator", causes...)
		return
	}
	next.updated = now
	*a = next
	writeJSON(w, http.StatusOK, st.renderAuthenticator(a))
}

func (h apiHandlers) setAuthenticatorStatus(w http.ResponseWriter, id, status string) {
	st, now, unlock := h.lock()
	defer unlock()
	a := st.auths[id]
	if a == nil {
		notFound(w, id, "Authenticator")
		return
	}
	if a.status != status {
		a.status, a.updated = status, now
	}
	writeJSON(w, http.StatusOK, st.renderAuthenticator(a))
}

// ActivateAuthenticator answers POST /api/v1/authenticators/{authenticatorId}/lifecycle/activate.
func (h apiHandlers) ActivateAuthenticator(w http.ResponseWriter, _ *http.Request, id okta.PathAuthenticatorId) {
	h.setAuthenticatorStatus(w, id, "ACTIVE")
}

// DeactivateAuthenticator answers POST /api/v1/authenticators/{authenticatorId}/lifecycle/deactivate.
func (h apiHandlers) DeactivateAuthenticator(w http.ResponseWriter, _ *http.Request, id okta.PathAuthenticatorId) {
	h.setAuthenticatorStatus(w, id, "INACTIVE")
}

// --- methods ---

// ListAuthenticatorMethods answers GET /api/v1/authenticators/{authenticatorId}/methods.
func (h apiHandlers) ListAuthenticatorMethods(w http.ResponseWriter, _ *http.Request, id okta.PathAuthenticatorId) {
	st, _, unlock := h.lock()
	defer unlock()
	a := st.auths[id]
	if a == nil {
		notFound(w, id, "Authenticator")
		return
	}
	out := make([]any, 0, len(a.methods))
	for _, m := range a.methods {
		out = append(out, st.renderMethod(a, m))
	}
	writeJSON(w, http.StatusOK, out)
}

// findMethod looks up an authenticator and one of its methods, answering 404 if either
// is missing.
func (h apiHandlers) findMethod(w http.ResponseWriter, st *state, id, typ string) (*authenticator, *method) {
	a := st.auths[id]
	if a == nil {
		notFound(w, id, "Authenticator")
		return nil, nil
	}
	m := a.method(typ)
	if m == nil {
		notFound(w, typ, "AuthenticatorMethod")
		return nil, nil
	}
	return a, m
}

// GetAuthenticatorMethod answers GET /api/v1/authenticators/{authenticatorId}/methods/{methodType}.
func (h apiHandlers) GetAuthenticatorMethod(w http.ResponseWriter, _ *http.Request, id okta.PathAuthenticatorId, typ okta.PathMethodType) {
	st, _, unlock := h.lock()
	defer unlock()
	a, m := h.findMethod(w, st, id, typ)
	if m == nil {
		return
	}
	writeJSON(w, http.StatusOK, st.renderMethod(a, m))
}

// ReplaceAuthenticatorMethod answers PUT /api/v1/authenticators/{authenticatorId}/methods/{methodType}.
func (h apiHandlers) ReplaceAuthenticatorMethod(w http.ResponseWriter, r *http.Request, id okta.PathAuthenticatorId, typ okta.PathMethodType) {
	body, err := readObject(r)
	if err != nil {
		malformed(w, err.Error())
		return
	}
	st, now, unlock := h.lock()
	defer unlock()
	a, m := h.findMethod(w, st, id, typ)
	if m == nil {
		return
	}
	if t := str(body, "type"); t != typ {
		badRequest(w, "authenticatorMethod", "type: The method type "+t+" does not match the path ("+typ+")")
		return
	}
	settings := cloneMap(obj(body, "settings"))
	if typ == "webauthn" && settings != nil {
		if cause := mergeRpID(m.settings, settings); cause != "" {
			badRequest(w, "authenticatorMethod", cause)
			return
		}
	}
	m.settings = settings
	a.updated = now
	writeJSON(w, http.StatusOK, st.renderMethod(a, m))
}

// mergeRpID keeps the server-owned parts of a webauthn method's rpId (validationStatus,
// dnsRecord) across a replace: a new domain starts verification over, and enabled may be
// true only for a verified domain.
func mergeRpID(old, next map[string]any) string {
	rp := obj(next, "rpId")
	if rp == nil {
		return ""
	}
	dom := obj(rp, "domain")
	oldDom := obj(obj(old, "rpId"), "domain")
	if dom != nil {
		name := str(dom, "name")
		if oldDom != nil && str(oldDom, "name") == name {
			if v, ok := oldDom["validationStatus"]; ok {
				dom["validationStatus"] = v
			}
			if v, ok := oldDom["dnsRecord"]; ok {
				dom["dnsRecord"] = v
			} else {
				delete(dom, "dnsRecord")
			}
		} else if name != "" {
			dom["validationStatus"] = "NOT_STARTED"
			dom["dnsRecord"] = dnsRecordFor(name)
		}
	}
	if enabled, _ := rp["enabled"].(bool); enabled && (dom == nil || str(dom, "validationStatus") != "VERIFIED") {
		return "rpId.enabled: The RP ID domain must be verified before it can be enabled"
	}
	return ""
}

func dnsRecordFor(domain string) map[string]any {
	sum := stableID("", "dns:"+domain)
	return map[string]any{
		"fqdn":              "_oktaverification." + domain,
		"recordType":        "TXT",
		"verificationValue": sum,
	}
}

func (h apiHandlers) setMethodStatus(w http.ResponseWriter, id, typ, status string) {
	st, now, unlock := h.lock()
	defer unlock()
	a, m := h.findMethod(w, st, id, typ)
	if m == nil {
		return
	}
	if m.status != status {
		m.status, a.updated = status, now
	}
	writeJSON(w, http.StatusOK, st.renderMethod(a, m))
}

// ActivateAuthenticatorMethod answers POST …/methods/{methodType}/lifecycle/activate.
func (h apiHandlers) ActivateAuthenticatorMethod(w http.ResponseWriter, _ *http.Request, id okta.PathAuthenticatorId, typ okta.PathMethodType) {
	h.setMethodStatus(w, id, typ, "ACTIVE")
}

// DeactivateAuthenticatorMethod answers POST …/methods/{methodType}/lifecycle/deactivate.
func (h apiHandlers) DeactivateAuthenticatorMethod(w http.ResponseWriter, _ *http.Request, id okta.PathAuthenticatorId, typ okta.PathMethodType) {
	h.setMethodStatus(w, id, typ, "INACTIVE")
}

// VerifyRpIdDomain answers POST …/methods/{webAuthnMethodType}/verify-rp-id-domain. The
// fake cannot look up DNS; a configured domain always verifies.
func (h apiHandlers) VerifyRpIdDomain(w http.ResponseWriter, _ *http.Request, id okta.PathAuthenticatorId, typ okta.PathWebAuthnMethodType) {
	st, now, unlock := h.lock()
	defer unlock()
	a, m := h.findMethod(w, st, id, typ)
	if m == nil {
		return
	}
	if a.key != "webauthn" || typ != "webauthn" {
		notFound(w, typ, "AuthenticatorMethod")
		return
	}
	dom := obj(obj(m.settings, "rpId"), "domain")
	if str(dom, "name") == "" {
		badRequest(w, "rpId", "settings.rpId.domain.name: No custom RP ID domain is configured on this method")
		return
	}
	dom["validationStatus"] = "VERIFIED"
	delete(dom, "dnsRecord")
	a.updated = now
	w.WriteHeader(http.StatusNoContent)
}

// --- well-known ---

// GetWellKnownAppAuthenticatorConfiguration answers GET
// /.well-known/app-authenticator-configuration: the custom_app authenticators whose
// settings.appInstanceId is the OAuth client id.
func (h apiHandlers) GetWellKnownAppAuthenticatorConfiguration(w http.ResponseWriter, _ *http.Request, params okta.GetWellKnownAppAuthenticatorConfigurationParams) {
	st, _, unlock := h.lock()
	defer unlock()
	out := []any{}
	for _, id := range st.authOrder {
		a := st.auths[id]
		if a.key != "custom_app" || str(a.settings, "appInstanceId") != params.OauthClientId {
			continue
		}
		cfg := map[string]any{
			"appAuthenticatorEnrollEndpoint": st.base + "/idp/myaccount/app-authenticators",
			"authenticatorId":                a.id,
			"createdDate":                    ts(a.created),
			"lastUpdated":                    ts(a.updated),
			"key":                            a.key,
			"name":                           a.name,
			"orgId":                          orgID,
			"type":                           "app",
		}
		if uv := str(a.settings, "userVerification"); uv != "" {
			cfg["settings"] = map[string]any{"userVerification": uv}
		}
		methods := []any{}
		for _, m := range a.methods {
			if m.typ != "push" {
				continue
			}
			sm := map[string]any{"type": "push", "status": m.status}
			if m.settings != nil {
				sm["settings"] = cloneMap(m.settings)
			}
			methods = append(methods, sm)
		}
		cfg["supportedMethods"] = methods
		out = append(out, cfg)
	}
	writeJSON(w, http.StatusOK, out)
}

package oktatest

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"

	okta "github.com/mfakit/mfakit/gen/okta"
)

// webauthnAuthenticator looks up an authenticator that can hold custom AAGUIDs (a
// webauthn one), answering 404 otherwise.
func webauthnAuthenticator(w http.ResponseWriter, st *state, id string) *authenticator {
	a := st.auths[id]
	if a == nil || a.key != "webauthn" {
		notFound(w, id, "Authenticator")
		return nil
	}
	return a
}

func (st *state) renderAAGUID(a *authenticator, g *aaguid) map[string]any {
	m := map[string]any{
		"aaguid": g.id,
		"_links": map[string]any{"self": link(st.authURL(a)+"/aaguids/"+url.PathEscape(g.id), "GET", "PUT", "PATCH", "DELETE")},
	}
	if g.name != "" {
		m["name"] = g.name
	}
	if g.characteristics != nil {
		m["authenticatorCharacteristics"] = cloneMap(g.characteristics)
	}
	if len(g.certs) > 0 {
		certs := make([]any, 0, len(g.certs))
		for _, x5c := range g.certs {
			c := map[string]any{"x5c": x5c}
			if der, err := base64.StdEncoding.DecodeString(x5c); err == nil {
				sum := sha256.Sum256(der)
				c["x5t#S256"] = base64.RawURLEncoding.EncodeToString(sum[:])
				if cert, err := x509.ParseCertificate(der); err == nil {
					c["iss"] = cert.Issuer.String()
					c["exp"] = ts(cert.NotAfter)
				}
			}
			certs = append(certs, c)
		}
		m["attestationRootCertificates"] = certs
	}
	return m
}

// requestForm is the AAGUID as a CustomAAGUIDUpdateRequestObject, the base a merge
// patch applies to.
func (g *aaguid) requestForm() map[string]any {
	m := map[string]any{}
	if g.name != "" {
		m["name"] = g.name
	}
	if g.characteristics != nil {
		m["authenticatorCharacteristics"] = cloneMap(g.characteristics)
	}
	if len(g.certs) > 0 {
		certs := make([]any, len(g.certs))
		for i, c := range g.certs {
			certs[i] = map[string]any{"x5c": c}
		}
		m["attestationRootCertificates"] = certs
	}
	return m
}

// applyAAGUIDBody sets g's name, certificates and characteristics from body and returns
// the causes of a 400, if any.
func applyAAGUIDBody(g *aaguid, body map[string]any) []string {
	var causes []string
	var certs []string
	list, _ := body["attestationRootCertificates"].([]any)
	for i, item := range list {
		x5c := str(asObject(item), "x5c")
		der, err := base64.StdEncoding.DecodeString(x5c)
		if err == nil {
			_, err = x509.ParseCertificate(der)
		}
		if err != nil {
			causes = append(causes, fmt.Sprintf("attestationRootCertificates[%d].x5c: not a base64-encoded X.509 certificate", i))
			continue
		}
		certs = append(certs, x5c)
	}
	if len(causes) > 0 {
		return causes
	}
	g.name = str(body, "name")
	g.certs = certs
	g.characteristics = cloneMap(obj(body, "authenticatorCharacteristics"))
	return nil
}

func asObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// mergePatch applies an RFC 7396 JSON merge patch to target.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}

// ListAllCustomAAGUIDs answers GET /api/v1/authenticators/{authenticatorId}/aaguids.
func (h apiHandlers) ListAllCustomAAGUIDs(w http.ResponseWriter, _ *http.Request, id okta.PathAuthenticatorId) {
	st, _, unlock := h.lock()
	defer unlock()
	a := webauthnAuthenticator(w, st, id)
	if a == nil {
		return
	}
	out := make([]any, 0, len(a.aaguids))
	for _, g := range a.aaguids {
		out = append(out, st.renderAAGUID(a, g))
	}
	writeJSON(w, http.StatusOK, out)
}

// CreateCustomAAGUID answers POST /api/v1/authenticators/{authenticatorId}/aaguids.
func (h apiHandlers) CreateCustomAAGUID(w http.ResponseWriter, r *http.Request, id okta.PathAuthenticatorId) {
	body, err := readObject(r)
	if err != nil {
		malformed(w, err.Error())
		return
	}
	st, now, unlock := h.lock()
	defer unlock()
	a := webauthnAuthenticator(w, st, id)
	if a == nil {
		return
	}
	gid := str(body, "aaguid")
	if gid == "" {
		badRequest(w, "customAAGUID", "aaguid: The field cannot be left blank")
		return
	}
	if _, dup := a.findAAGUID(gid); dup != nil {
		badRequest(w, "customAAGUID", "aaguid: A custom AAGUID "+gid+" already exists on this authenticator")
		return
	}
	g := &aaguid{id: gid}
	if causes := applyAAGUIDBody(g, body); causes != nil {
		badRequest(w, "customAAGUID", causes...)
		return
	}
	a.aaguids = append(a.aaguids, g)
	a.updated = now
	writeJSON(w, http.StatusOK, st.renderAAGUID(a, g))
}

// GetCustomAAGUID answers GET /api/v1/authenticators/{authenticatorId}/aaguids/{aaguid}.
func (h apiHandlers) GetCustomAAGUID(w http.ResponseWriter, _ *http.Request, id okta.PathAuthenticatorId, gid okta.PathAAGUID) {
	st, _, unlock := h.lock()
	defer unlock()
	a := webauthnAuthenticator(w, st, id)
	if a == nil {
		return
	}
	_, g := a.findAAGUID(gid)
	if g == nil {
		notFound(w, gid, "CustomAAGUID")
		return
	}
	writeJSON(w, http.StatusOK, st.renderAAGUID(a, g))
}

func (h apiHandlers) changeAAGUID(w http.ResponseWriter, r *http.Request, id, gid string, patch bool) {
	body, err := readObject(r)
	if err != nil {
		malformed(w, err.Error())
		return
	}
	st, now, unlock := h.lock()
	defer unlock()
	a := webauthnAuthenticator(w, st, id)
	if a == nil {
		return
	}
	_, g := a.findAAGUID(gid)
	if g == nil {
		notFound(w, gid, "CustomAAGUID")
		return
	}
	if patch {
		body, _ = mergePatch(g.requestForm(), body).(map[string]any)
	}
	next := *g
	if causes := applyAAGUIDBody(&next, body); causes != nil {
		badRequest(w, "customAAGUID", causes...)
		return
	}
	*g = next
	a.updated = now
	writeJSON(w, http.StatusOK, st.renderAAGUID(a, g))
}

// ReplaceCustomAAGUID answers PUT …/aaguids/{aaguid}: every writable property is replaced.
func (h apiHandlers) ReplaceCustomAAGUID(w http.ResponseWriter, r *http.Request, id okta.PathAuthenticatorId, gid okta.PathAAGUID) {
	h.changeAAGUID(w, r, id, gid, false)
}

// UpdateCustomAAGUID answers PATCH …/aaguids/{aaguid} with a JSON merge patch.
func (h apiHandlers) UpdateCustomAAGUID(w http.ResponseWriter, r *http.Request, id okta.PathAuthenticatorId, gid okta.PathAAGUID) {
	h.changeAAGUID(w, r, id, gid, true)
}

// DeleteCustomAAGUID answers DELETE …/aaguids/{aaguid}.
func (h apiHandlers) DeleteCustomAAGUID(w http.ResponseWriter, _ *http.Request, id okta.PathAuthenticatorId, gid okta.PathAAGUID) {
	st, now, unlock := h.lock()
	defer unlock()
	a := webauthnAuthenticator(w, st, id)
	if a == nil {
		return
	}
	i, g := a.findAAGUID(gid)
	if g == nil {
		notFound(w, gid, "CustomAAGUID")
		return
	}
	a.aaguids = append(a.aaguids[:i:i], a.aaguids[i+1:]...)
	a.updated = now
	w.WriteHeader(http.StatusNoContent)
}

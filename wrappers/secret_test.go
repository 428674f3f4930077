package wrappers

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func assertNoSecrets(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("output reveals %q:\n%s", s, out)
		}
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	const (
		apiToken     = "00-api-token-value"
		accessToken  = "access-token-value"
		clientSecret = "client-secret-value"
	)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	keySecrets := []string{key.D.String(), key.Primes[0].String(), base64.StdEncoding.EncodeToString(der)[40:80], fmt.Sprintf("%x", key.D.Bytes()[:16])}

	cache := NewCachingTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: accessToken}), 0)
	if _, err := cache.Token(); err != nil { // so the cache holds the token
		t.Fatal(err)
	}
	pkjwt, err := PrivateKeyJWTTokenSource(t.Context(), "https://x.okta.com/oauth2/v1/token", "cid", key, "kid", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	csec, err := ClientSecretTokenSource(t.Context(), "https://x.onelogin.com/auth/oauth2/v2/token", "cid", clientSecret, nil, oauth2.AuthStyleInParams, nil)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse("https://x.okta.com")
	doer, err := NewDoer(DoerConfig{BaseURL: base, Auth: HeaderAuth("SSWS", apiToken)})
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]any{
		"HeaderAuth":             HeaderAuth("SSWS", apiToken),
		"TokenSourceAuth":        TokenSourceAuth(cache),
		"*CachingTokenSource":    cache,
		"CachingTokenSource":     *cache,
		"PrivateKeyJWT":          pkjwt,
		"ClientSecret":           csec,
		"Secret":                 Secret(clientSecret),
		"*Secret":                new(Secret(clientSecret)),
		"Doer":                   doer,
		"struct holding them":    struct{ A, B, C, D any }{HeaderAuth("SSWS", apiToken), cache, pkjwt, csec},
		"slice of authorizers":   []Authorizer{HeaderAuth("SSWS", apiToken), TokenSourceAuth(cache)},
		"map of secrets":         map[string]Secret{"k": Secret(clientSecret)},
		"unexported field, ptr":  struct{ a Authorizer }{HeaderAuth("SSWS", apiToken)},
		"unexported field, doer": struct{ d *Doer }{doer},
	}
	secrets := append([]string{apiToken, accessToken, clientSecret}, keySecrets...)
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			var out strings.Builder
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%T", "%d"} {
				fmt.Fprintf(&out, verb+"\n", v)
			}
			fmt.Fprintln(&out, v)
			var buf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			logger.Debug("value", "v", v)
			slog.New(slog.NewTextHandler(&buf, nil)).Info("value", "v", v)
			if j, err := json.Marshal(v); err == nil {
				buf.Write(j)
			}
			assertNoSecrets(t, out.String()+buf.String(), secrets...)
		})
	}
	if got := fmt.Sprintf("%v|%#v|%q", Secret("x"), Secret("x"), Secret("x")); got != `[REDACTED]|wrappers.Secret{[REDACTED]}|"[REDACTED]"` {
		t.Errorf("Secret formats as %s", got)
	}
	if Secret("x").Reveal() != "x" {
		t.Error("Reveal lost the value")
	}
	if j, _ := json.Marshal(struct{ S Secret }{"x"}); string(j) != `{"S":"[REDACTED]"}` {
		t.Errorf("JSON = %s", j)
	}
	_ = time.Second
}

// TestSecretUnexportedFieldGap pins the gap documented on Secret: fmt cannot
// call Format on an unexported field, so such a field prints raw unless the
// struct formats itself or holds a *Secret.
func TestSecretUnexportedFieldGap(t *testing.T) {
	const value = "secret-in-a-field"
	type bare struct{ s Secret }
	type exported struct{ S Secret }
	type pointer struct{ s *Secret }
	sec := Secret(value)
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		if out := fmt.Sprintf(verb, bare{sec}); !strings.Contains(out, value) {
			t.Errorf("%s of an unexported Secret field = %q; the documented gap is gone, update Secret's doc", verb, out)
		}
		assertNoSecrets(t, fmt.Sprintf(verb, exported{sec}), value)
		assertNoSecrets(t, fmt.Sprintf(verb, pointer{&sec}), value)
	}
}

package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
)

// result is what one run of the CLI printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// runCLI runs the CLI with args and only the environment variables in env.
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, func(k string) string { return env[k] }, &stdout, &stderr)
	return result{stdout.String(), stderr.String(), code}
}

// seeds are fresh fakes, to read what the embedded ones are seeded with.
var seeds = struct {
	okta     *oktatest.Server
	onelogin *onelogintest.Server
}{}

func TestMain(m *testing.M) {
	seeds.okta = oktatest.NewServer()
	seeds.onelogin = onelogintest.NewServer()
	code := m.Run()
	seeds.okta.Close()
	seeds.onelogin.Close()
	os.Exit(code)
}

// lines splits output into its non-empty lines.
func lines(s string) []string {
	return slices.DeleteFunc(strings.Split(s, "\n"), func(l string) bool { return l == "" })
}

// errorLines is lines without the notice of an embedded fake.
func errorLines(s string) []string {
	return slices.DeleteFunc(lines(s), func(l string) bool {
		return strings.HasPrefix(l, oktaNotice) || strings.HasPrefix(l, oneloginNotice)
	})
}

const (
	oktaNotice     = "mfakit: OKTA_ORG_URL not set; using an embedded fake Okta org at http://127.0.0.1:"
	oneloginNotice = "mfakit: ONELOGIN_URL not set; using an embedded fake OneLogin account at http://127.0.0.1:"
)

// checkNotice checks that stderr is exactly the one-line notice of an embedded fake.
func checkNotice(t *testing.T, stderr, notice string) {
	t.Helper()
	if l := lines(stderr); len(l) != 1 || !strings.HasPrefix(l[0], notice) {
		t.Errorf("stderr = %q, want one line starting %q", stderr, notice)
	}
}

// authenticatorKeys returns the keys of the seeded authenticators.
func authenticatorKeys() []string {
	var keys []string
	for _, a := range seeds.okta.Authenticators() {
		keys = append(keys, a.Key)
	}
	return keys
}

// factorTypes returns the factor types of a seeded Okta user.
func factorTypes(user string) []string {
	var types []string
	for _, f := range seeds.okta.Factors(user) {
		types = append(types, f.FactorType)
	}
	return types
}

// TestCommandsTable runs every command against the embedded fakes and checks the table
// shows the seeded data.
func TestCommandsTable(t *testing.T) {
	t.Parallel()
	verifyID, ok := seeds.okta.AuthenticatorID("okta_verify")
	if !ok {
		t.Fatal("the seeded org has no okta_verify authenticator")
	}
	tests := []struct {
		args   []string
		notice string
		want   []string // substrings of stdout
	}{
		{[]string{"okta", "authenticators", "list"}, oktaNotice, append([]string{"ID", "KEY", "STATUS"}, authenticatorKeys()...)},
		{[]string{"okta", "authenticators", "get", verifyID}, oktaNotice, []string{verifyID, "okta_verify", "*oktaclient.OktaVerifyAuthenticator", "settings", "userVerification"}},
		{[]string{"okta", "authenticators", "get", "phone_number"}, oktaNotice, []string{"*oktaclient.PhoneAuthenticator", `{"allowedFor":"any"}`}},
		{[]string{"okta", "authenticators", "deactivate", "phone_number"}, oktaNotice, []string{"phone_number", "INACTIVE"}},
		{[]string{"okta", "authenticators", "activate", "smart_card_idp"}, oktaNotice, []string{"smart_card_idp", "ACTIVE"}},
		{[]string{"okta", "methods", "list", "phone_number"}, oktaNotice, []string{"TYPE", "sms", "ACTIVE", "voice", "INACTIVE"}},
		{[]string{"okta", "factors", "list", oktatest.SeedUserAda}, oktaNotice, factorTypes(oktatest.SeedUserAda)},
		{[]string{"okta", "factors", "list", "grace.hopper@example.com"}, oktaNotice, []string{"email", "sms", "PENDING_ACTIVATION", "token:software:totp", "GOOGLE"}},
		{[]string{"okta", "factors", "list", "margaret"}, oktaNotice, []string{"ID", "FACTOR TYPE"}},
		{[]string{"okta", "enrollments", "list", "ada"}, oktaNotice, []string{"okta_password", "okta_email", "phone_number", "okta_verify", "webauthn"}},
		{[]string{"onelogin", "factors", "list", fmt.Sprint(onelogintest.SeedUserAda)}, oneloginNotice, []string{
			fmt.Sprint(onelogintest.SeedDeviceAdaProtect), fmt.Sprint(onelogintest.SeedDeviceAdaSMS), "OneLogin Protect", "OneLogin SMS"}},
		{[]string{"onelogin", "factors", "list", "grace"}, oneloginNotice, []string{fmt.Sprint(onelogintest.SeedDeviceGraceAuthenticator), "Google Authenticator"}},
		{[]string{"onelogin", "factors", "available", "alan"}, oneloginNotice, []string{
			fmt.Sprint(onelogintest.SeedFactorSMS), "OneLogin SMS", "OneLogin Voice", "OneLogin Protect", "Google Authenticator"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, nil, tt.args...)
			if r.code != exitOK {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			checkNotice(t, r.stderr, tt.notice)
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			if strings.Contains(r.stdout, oktatest.DefaultAPIToken) || strings.Contains(r.stdout, onelogintest.DefaultClientSecret) {
				t.Errorf("stdout shows the fake's credential:\n%s", r.stdout)
			}
		})
	}
}

// TestCommandsJSON runs every command with --json and checks the output is JSON with
// the seeded items, every field the server sent included.
func TestCommandsJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args  []string
		count int      // items in the array; -1 for a single object
		key   string   // a member every item has
		want  []string // values of key that must appear
	}{
		{[]string{"okta", "authenticators", "list", "--json"}, len(seeds.okta.Authenticators()), "key", authenticatorKeys()},
		{[]string{"okta", "authenticators", "get", "--json", "webauthn"}, -1, "key", []string{"webauthn"}},
		{[]string{"okta", "authenticators", "deactivate", "okta_verify", "--json"}, -1, "status", []string{"INACTIVE"}},
		{[]string{"okta", "authenticators", "activate", "symantec_vip", "--json"}, -1, "status", []string{"ACTIVE"}},
		{[]string{"okta", "methods", "list", "phone_number", "--json"}, 2, "type", []string{"sms", "voice"}},
		{[]string{"okta", "factors", "list", "ada", "--json"}, len(seeds.okta.Factors(oktatest.SeedUserAda)), "factorType", factorTypes(oktatest.SeedUserAda)},
		{[]string{"okta", "factors", "list", "--json", oktatest.SeedUserMargaret}, 0, "", nil},
		{[]string{"okta", "enrollments", "list", "grace", "--json"}, len(seeds.okta.Enrollments(oktatest.SeedUserGrace)), "key", []string{"google_otp"}},
		// Ada's OneLogin Protect device is listed twice (push and code), as OneLogin does.
		{[]string{"onelogin", "factors", "list", "ada", "--json"}, 3, "auth_factor_name", []string{"OneLogin Protect", "OneLogin SMS"}},
		{[]string{"onelogin", "factors", "list", "alan", "--json"}, 0, "", nil},
		{[]string{"onelogin", "factors", "available", "51234501", "--json"}, len(seeds.onelogin.Factors()), "name", []string{"OneLogin SMS", "Google Authenticator"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, nil, tt.args...)
			if r.code != exitOK {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			var items []map[string]any
			if tt.count < 0 {
				var obj map[string]any
				if err := json.Unmarshal([]byte(r.stdout), &obj); err != nil {
					t.Fatalf("stdout is not a JSON object: %v\n%s", err, r.stdout)
				}
				items = append(items, obj)
			} else {
				if err := json.Unmarshal([]byte(r.stdout), &items); err != nil {
					t.Fatalf("stdout is not a JSON array: %v\n%s", err, r.stdout)
				}
				if items == nil || len(items) != tt.count {
					t.Fatalf("got %d items (nil: %v), want %d", len(items), items == nil, tt.count)
				}
			}
			var got []string
			for _, it := range items {
				got = append(got, fmt.Sprint(it[tt.key]))
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("%s values %q lack %q", tt.key, got, w)
				}
			}
			// Okta values are encoded without loss: the HAL links and ids the tables do
			// not show are there.
			if tt.args[0] == "okta" {
				for i, it := range items {
					if it["_links"] == nil {
						t.Errorf("item %d lacks _links: %v", i, it)
					}
				}
			}
		})
	}
}

func TestDemo(t *testing.T) {
	t.Parallel()
	r := runCLI(t, nil, "demo")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q\nstdout:\n%s", r.code, r.stderr, r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("stderr = %q, want nothing", r.stderr)
	}
	want := []string{
		"fake Okta org:", "fake OneLogin account:",
		"*oktaclient.PhoneAuthenticator", "*oktaclient.OktaVerifyAuthenticator", "settings.userVerification=",
		"DeactivateAuthenticator", "status INACTIVE (lifecycle link: activate)", "status ACTIVE   (lifecycle link: deactivate)",
		"*oktaclient.TOTPFactor", "status PENDING_ACTIVATION", "ActivateFactor     → status ACTIVE",
		"403 E0000068", "factorResult SUCCESS",
		"ListAuthenticatorEnrollments: 2 enrollment(s)", "phoneNumber=+1 XXX-XXX-0104",
		"ListEnrolledFactors: 0 device(s)", "VerifyFactor → verified", "ListEnrolledFactors: 1 device(s)", "Alan's phone",
	}
	for i := 1; i <= demoSteps; i++ {
		want = append(want, fmt.Sprintf("[%d/%d] ", i, demoSteps))
	}
	for _, w := range want {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("demo output lacks %q", w)
		}
	}
	if strings.Contains(r.stdout, oktatest.DefaultAPIToken) || strings.Contains(r.stdout, onelogintest.DefaultClientSecret) {
		t.Error("demo output shows a fake's credential")
	}
	if t.Failed() {
		t.Logf("stdout:\n%s", r.stdout)
	}
}

// TestDemoIgnoresEnvironment checks the demo never touches a configured org.
func TestDemoIgnoresEnvironment(t *testing.T) {
	t.Parallel()
	r := runCLI(t, map[string]string{"OKTA_ORG_URL": "https://127.0.0.1:1", "OKTA_API_TOKEN": "secret-token-1234"}, "demo")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if l := lines(r.stderr); len(l) != 1 || !strings.Contains(l[0], "ignored") || strings.Contains(l[0], "secret-token-1234") {
		t.Errorf("stderr = %q, want one line saying the variables are ignored", r.stderr)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"okta", "-h"}, {"okta", "factors", "list", "-h"}, {"onelogin", "help"}, {"demo", "-h"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, nil, args...)
			if r.code != exitOK || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			for _, c := range commands {
				if !strings.Contains(r.stdout, "mfakit "+c.synopsis()) {
					t.Errorf("usage lacks %q", c.synopsis())
				}
			}
			for _, v := range append(append([]string{"mfakit demo"}, oktaVars...), oneloginVars...) {
				if !strings.Contains(r.stdout, v) {
					t.Errorf("usage lacks %q", v)
				}
			}
		})
	}
}

// TestUsageNamesSeededUsers keeps the usage text in step with the fakes' seeds.
func TestUsageNamesSeededUsers(t *testing.T) {
	t.Parallel()
	r := runCLI(t, nil, "help")
	var want []string
	for _, u := range seeds.okta.Users() {
		want = append(want, u.ID+" "+u.Login)
	}
	for _, u := range seeds.onelogin.Users() {
		want = append(want, fmt.Sprintf("%d %s", u.ID, u.Username))
	}
	for _, w := range want {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("usage does not name the seeded user %q", w)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	keyFile := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("x")}), 0o600); err != nil {
		t.Fatal(err)
	}
	const secret = "s3cret-value-9876"
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string // substring of the one-line message
	}{
		{"no command", nil, nil, "no command given"},
		{"unknown command", nil, []string{"bogus"}, `unknown command "bogus"`},
		{"flag first", nil, []string{"--json", "okta"}, `flag "--json" before a command`},
		{"group only", nil, []string{"okta"}, `"okta" needs one of: authenticators, methods, factors, enrollments`},
		{"subgroup only", nil, []string{"okta", "authenticators"}, "list, get, activate, deactivate"},
		{"unknown subcommand", nil, []string{"onelogin", "factors", "remove", "1"}, `after "onelogin factors" comes one of: list, available`},
		{"missing argument", nil, []string{"okta", "authenticators", "get"}, "okta authenticators get: missing ID; usage: mfakit okta authenticators get ID [--json]"},
		{"extra argument", nil, []string{"okta", "authenticators", "list", "x"}, `unexpected argument "x"`},
		{"unknown flag", nil, []string{"okta", "factors", "list", "ada", "--yaml"}, "flag provided but not defined: -yaml"},
		{"demo argument", nil, []string{"demo", "now"}, "demo takes no arguments"},
		{"unknown fake user", nil, []string{"onelogin", "factors", "list", "nobody"}, `USER "nobody": no such user`},
		{"token without org", map[string]string{"OKTA_API_TOKEN": secret}, []string{"okta", "authenticators", "list"}, "OKTA_API_TOKEN is set but OKTA_ORG_URL is not"},
		{"org without credential", map[string]string{"OKTA_ORG_URL": "https://example.okta.com"}, []string{"okta", "authenticators", "list"}, "neither OKTA_API_TOKEN nor OKTA_CLIENT_ID"},
		{"both credentials", map[string]string{"OKTA_ORG_URL": "https://example.okta.com", "OKTA_API_TOKEN": secret, "OKTA_CLIENT_ID": "0oa1"}, []string{"okta", "authenticators", "list"}, "not both"},
		{"client id without key", map[string]string{"OKTA_ORG_URL": "https://example.okta.com", "OKTA_CLIENT_ID": "0oa1"}, []string{"okta", "authenticators", "list"}, "OKTA_PRIVATE_KEY_FILE is not"},
		{"missing key file", map[string]string{"OKTA_ORG_URL": "https://example.okta.com", "OKTA_CLIENT_ID": "0oa1", "OKTA_PRIVATE_KEY_FILE": "/nonexistent/key.pem"}, []string{"okta", "authenticators", "list"}, "OKTA_PRIVATE_KEY_FILE: open /nonexistent/key.pem"},
		{"key file not a key", map[string]string{"OKTA_ORG_URL": "https://example.okta.com", "OKTA_CLIENT_ID": "0oa1", "OKTA_PRIVATE_KEY_FILE": keyFile}, []string{"okta", "authenticators", "list"}, `"CERTIFICATE" block is not a private key`},
		{"plain http org", map[string]string{"OKTA_ORG_URL": "http://example.okta.com", "OKTA_API_TOKEN": secret}, []string{"okta", "authenticators", "list"}, "OKTA_ORG_URL:"},
		{"onelogin without secret", map[string]string{"ONELOGIN_URL": "https://example.onelogin.com", "ONELOGIN_CLIENT_ID": "id"}, []string{"onelogin", "factors", "list", "1"}, "ONELOGIN_CLIENT_ID and ONELOGIN_CLIENT_SECRET"},
		{"onelogin secret without url", map[string]string{"ONELOGIN_CLIENT_SECRET": secret}, []string{"onelogin", "factors", "list", "1"}, "ONELOGIN_CLIENT_SECRET is set but ONELOGIN_URL is not"},
		{"onelogin user not a number", map[string]string{"ONELOGIN_URL": "https://example.onelogin.com", "ONELOGIN_CLIENT_ID": "id", "ONELOGIN_CLIENT_SECRET": secret}, []string{"onelogin", "factors", "list", "ada"}, "a OneLogin user id is a positive number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, tt.env, tt.args...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d", r.code, exitUsage)
			}
			l := errorLines(r.stderr)
			if len(l) != 1 || !strings.HasPrefix(l[0], "mfakit: ") || !strings.Contains(l[0], tt.want) {
				t.Errorf("stderr = %q, want one line with %q", r.stderr, tt.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			if strings.Contains(r.stderr, secret) {
				t.Errorf("stderr shows the secret: %q", r.stderr)
			}
		})
	}
}

// TestFailures checks calls that fail exit 1 with one line naming the problem and
// never the credential.
func TestFailures(t *testing.T) {
	t.Parallel()
	const badToken = "00bad-token-that-must-not-leak-42"
	okta := oktatest.NewServer(oktatest.WithT(t))
	onelogin := onelogintest.NewServer(onelogintest.WithT(t))
	oktaEnv := map[string]string{"OKTA_ORG_URL": okta.URL, "OKTA_API_TOKEN": badToken}
	oneloginEnv := map[string]string{"ONELOGIN_URL": onelogin.URL, "ONELOGIN_CLIENT_ID": onelogin.ClientID(), "ONELOGIN_CLIENT_SECRET": badToken}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"okta bad token", oktaEnv, []string{"okta", "authenticators", "list"}, "okta: 401 E0000011"},
		{"okta bad token json", oktaEnv, []string{"okta", "factors", "list", "x", "--json"}, "okta: 401 E0000011"},
		{"onelogin bad secret", oneloginEnv, []string{"onelogin", "factors", "list", "51234501"}, "401"},
		{"okta unknown authenticator", nil, []string{"okta", "authenticators", "get", "autNoSuchThing"}, "okta: 404 E0000007"},
		{"okta unknown user", nil, []string{"okta", "enrollments", "list", "00uNoSuchUser"}, "okta: 404 E0000007"},
		{"onelogin unknown user", nil, []string{"onelogin", "factors", "available", "999"}, "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, tt.env, tt.args...)
			if r.code != exitFailure {
				t.Errorf("exit %d, want %d; stderr %q", r.code, exitFailure, r.stderr)
			}
			l := errorLines(r.stderr)
			if tt.env != nil && len(l) != len(lines(r.stderr)) {
				t.Errorf("a configured run started an embedded fake: %q", r.stderr)
			}
			if len(l) != 1 || !strings.HasPrefix(l[0], "mfakit: ") || !strings.Contains(l[0], tt.want) {
				t.Errorf("stderr = %q, want one error line with %q", r.stderr, tt.want)
			}
			if strings.Contains(r.stderr+r.stdout, badToken) {
				t.Errorf("output shows the token: %q", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
}

// TestConfiguredAPIToken points the CLI at a fake with the right token: no fake of its
// own, no notice.
func TestConfiguredAPIToken(t *testing.T) {
	t.Parallel()
	const token = "00configured-token-0123456789"
	okta := oktatest.NewServer(oktatest.WithT(t), oktatest.WithAPIToken(token))
	onelogin := onelogintest.NewServer(onelogintest.WithT(t))
	env := map[string]string{
		"OKTA_ORG_URL": okta.URL, "OKTA_API_TOKEN": token,
		"ONELOGIN_URL": onelogin.URL, "ONELOGIN_CLIENT_ID": onelogin.ClientID(), "ONELOGIN_CLIENT_SECRET": onelogin.ClientSecret(),
	}
	r := runCLI(t, env, "okta", "authenticators", "deactivate", "okta_email")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	// The change happened in the configured org.
	for _, a := range okta.Authenticators() {
		if a.Key == "okta_email" && a.Status != "INACTIVE" {
			t.Errorf("okta_email is %s in the configured org, want INACTIVE", a.Status)
		}
	}
	r = runCLI(t, env, "onelogin", "factors", "list", "51234502")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, fmt.Sprint(onelogintest.SeedDeviceGraceSMS)) {
		t.Errorf("stdout lacks Grace's SMS device:\n%s", r.stdout)
	}
	if got := onelogin.CallCount(onelogintest.OpGetEnrolledFactors); got != 1 {
		t.Errorf("the configured OneLogin account got %d list calls, want 1", got)
	}
}

// TestPrivateKeyJWT configures OAuth client credentials with a private key in each PEM
// form and checks the CLI gets an access token from the fake's token endpoint with it
// and then calls the org with that token. The fake verifies the client assertion
// (grant type, signature by the registered key, its kid, iss and sub, aud, exp, jti);
// the app may have more scopes than OKTA_SCOPES, so the issued token shows the CLI
// asked for exactly those.
func TestPrivateKeyJWT(t *testing.T) {
	t.Parallel()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	sec1, err := x509.MarshalECPrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		block *pem.Block
		pub   crypto.PublicKey
	}{
		{"rsa pkcs1", &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)}, &rsaKey.PublicKey},
		{"ec sec1", &pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1}, &ecKey.PublicKey},
		{"pkcs8", &pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}, &ecKey.PublicKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			keyFile := filepath.Join(t.TempDir(), "key.pem")
			if err := os.WriteFile(keyFile, pem.EncodeToMemory(tt.block), 0o600); err != nil {
				t.Fatal(err)
			}
			// Registered as a JWK with a key id: the fake then also requires that kid.
			org := oktatest.NewServer(oktatest.WithT(t), oktatest.WithServiceApp("0oaServiceApp",
				jose.JSONWebKey{Key: tt.pub, KeyID: "kid-1"}, "okta.authenticators.read", "okta.authenticators.manage", "okta.users.read"))

			r := runCLI(t, map[string]string{
				"OKTA_ORG_URL": org.URL, "OKTA_CLIENT_ID": "0oaServiceApp", "OKTA_PRIVATE_KEY_FILE": keyFile,
				"OKTA_KEY_ID": "kid-1", "OKTA_SCOPES": "okta.authenticators.read",
			}, "okta", "authenticators", "list", "--json")
			if r.code != exitOK {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			var items []json.RawMessage
			if err := json.Unmarshal([]byte(r.stdout), &items); err != nil || len(items) != len(seeds.okta.Authenticators()) {
				t.Errorf("got %d authenticators (%v), want %d", len(items), err, len(seeds.okta.Authenticators()))
			}
			if n := org.TokenRequests(); n != 1 {
				t.Errorf("%d token requests, want 1", n)
			}
			issued := org.IssuedTokens()
			if len(issued) != 1 || issued[0].ClientID != "0oaServiceApp" || !slices.Equal(issued[0].Scopes, []string{"okta.authenticators.read"}) {
				t.Errorf("issued tokens %+v, want one for 0oaServiceApp with scope okta.authenticators.read", issued)
			}
		})
	}
}

// TestPrivateKeyJWTWrongKeyID: a refused client assertion is one line on stderr with
// one provider prefix, without the assertion.
func TestPrivateKeyJWTWrongKeyID(t *testing.T) {
	t.Parallel()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	org := oktatest.NewServer(oktatest.WithT(t), oktatest.WithServiceApp("0oaServiceApp",
		jose.JSONWebKey{Key: &key.PublicKey, KeyID: "kid-1"}, "okta.authenticators.read"))
	r := runCLI(t, map[string]string{
		"OKTA_ORG_URL": org.URL, "OKTA_CLIENT_ID": "0oaServiceApp", "OKTA_PRIVATE_KEY_FILE": keyFile,
		"OKTA_KEY_ID": "kid-2", "OKTA_SCOPES": "okta.authenticators.read",
	}, "okta", "authenticators", "list")
	const want = "mfakit: okta: ListAuthenticators: token endpoint refused: 401 invalid_client: The client_assertion 'kid' does not match a key of the client.\n"
	if r.code == exitOK || r.stderr != want {
		t.Errorf("exit %d, stderr %q; want a failure with %q", r.code, r.stderr, want)
	}
}

func TestScrub(t *testing.T) {
	a := &app{secrets: []string{"", "tok-123"}}
	got := a.scrub("okta: failed with tok-123\nand more  text")
	if want := "okta: failed with [REDACTED] and more text"; got != want {
		t.Errorf("scrub = %q, want %q", got, want)
	}
}

func TestReadPrivateKeyGarbage(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"empty":   nil,
		"not pem": []byte("hello"),
		"bad der": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("garbage-key-bytes")}),
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := readPrivateKey(path)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), "garbage-key-bytes") || strings.Contains(err.Error(), base64.StdEncoding.EncodeToString([]byte("garbage-key-bytes"))) {
			t.Errorf("%s: error shows the key: %v", name, err)
		}
	}
}

// TestCanceled checks an interrupted run fails cleanly.
func TestCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"okta", "authenticators", "list"}, func(string) string { return "" }, &stdout, &stderr)
	if code != exitFailure || !strings.Contains(stderr.String(), "context canceled") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestREADMEListsCommands keeps the README's CLI section in step with the commands.
func TestREADMEListsCommands(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands {
		if !bytes.Contains(readme, []byte("mfakit "+c.synopsis())) {
			t.Errorf("README.md does not list %q", "mfakit "+c.synopsis())
		}
	}
	for _, v := range append(oktaVars, oneloginVars...) {
		if !bytes.Contains(readme, []byte("`"+v+"`")) {
			t.Errorf("README.md does not name %s", v)
		}
	}
}

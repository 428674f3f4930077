package main

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/mfakit/mfakit/oktaclient"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
	"github.com/mfakit/mfakit/oneloginclient"
	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
)

// userAgent is the product mfakit puts in front of the clients' own User-Agent.
const userAgent = "mfakit-cli"

// oktaConn is a client for an Okta org, and the embedded fake it talks to when no
// credentials were configured (nil otherwise).
type oktaConn struct {
	client *oktaclient.Client
	fake   *oktatest.Server
}

// oneloginConn is a client for a OneLogin account, and the embedded fake it talks to
// when no credentials were configured (nil otherwise).
type oneloginConn struct {
	client *oneloginclient.Client
	fake   *onelogintest.Server
}

// oktaVars and oneloginVars are the environment variables of each provider.
var (
	oktaVars     = []string{"OKTA_ORG_URL", "OKTA_API_TOKEN", "OKTA_CLIENT_ID", "OKTA_PRIVATE_KEY_FILE", "OKTA_KEY_ID", "OKTA_SCOPES"}
	oneloginVars = []string{"ONELOGIN_URL", "ONELOGIN_CLIENT_ID", "ONELOGIN_CLIENT_SECRET"}
)

// anySet returns the first of vars that is set (non-empty), or "".
func (a *app) anySet(vars []string) string {
	for _, v := range vars {
		if a.getenv(v) != "" {
			return v
		}
	}
	return ""
}

// oktaClient returns the run's Okta connection, making it on first use: from the
// environment, or an embedded fake when no Okta variable is set.
func (a *app) oktaClient() (*oktaConn, error) {
	if a.okta != nil {
		return a.okta, nil
	}
	orgURL := a.getenv("OKTA_ORG_URL")
	if orgURL == "" {
		if v := a.anySet(oktaVars); v != "" {
			return nil, usagef("%s is set but OKTA_ORG_URL is not", v)
		}
		fake := oktatest.NewServer()
		a.closers = append(a.closers, fake.Close)
		fmt.Fprintf(a.stderr, "mfakit: OKTA_ORG_URL not set; using an embedded fake Okta org at %s\n", fake.URL)
		c, err := oktaclient.New(fake.URL, oktaclient.WithAPIToken(fake.APIToken()), oktaclient.WithUserAgent(userAgent))
		if err != nil {
			return nil, fmt.Errorf("embedded fake Okta org: %w", err)
		}
		a.okta = &oktaConn{client: c, fake: fake}
		return a.okta, nil
	}

	token, clientID := a.getenv("OKTA_API_TOKEN"), a.getenv("OKTA_CLIENT_ID")
	keyFile, keyID, scopes := a.getenv("OKTA_PRIVATE_KEY_FILE"), a.getenv("OKTA_KEY_ID"), a.getenv("OKTA_SCOPES")
	a.secrets = append(a.secrets, token)
	var cred oktaclient.Option
	switch {
	case token != "" && clientID != "":
		return nil, usagef("set either OKTA_API_TOKEN or OKTA_CLIENT_ID with OKTA_PRIVATE_KEY_FILE, not both")
	case token != "":
		if keyFile != "" || keyID != "" || scopes != "" {
			return nil, usagef("OKTA_PRIVATE_KEY_FILE, OKTA_KEY_ID and OKTA_SCOPES go with OKTA_CLIENT_ID, not OKTA_API_TOKEN")
		}
		cred = oktaclient.WithAPIToken(token)
	case clientID != "":
		if keyFile == "" {
			return nil, usagef("OKTA_CLIENT_ID is set but OKTA_PRIVATE_KEY_FILE is not")
		}
		key, err := readPrivateKey(keyFile)
		if err != nil {
			return nil, err
		}
		cred = oktaclient.WithPrivateKeyJWT(clientID, key, keyID, splitScopes(scopes)...)
	default:
		return nil, usagef("OKTA_ORG_URL is set but neither OKTA_API_TOKEN nor OKTA_CLIENT_ID is")
	}
	c, err := oktaclient.New(orgURL, cred, oktaclient.WithUserAgent(userAgent))
	if err != nil {
		return nil, usagef("OKTA_ORG_URL: %v", err)
	}
	a.closers = append(a.closers, c.CloseIdleConnections)
	a.okta = &oktaConn{client: c}
	return a.okta, nil
}

// splitScopes splits OKTA_SCOPES at spaces and commas.
func splitScopes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
}

// readPrivateKey reads a PEM private key: PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE
// KEY") or SEC 1 ("EC PRIVATE KEY"). Errors name the file and the problem, never the
// key's bytes.
func readPrivateKey(path string) (crypto.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("OKTA_PRIVATE_KEY_FILE: %v", err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, usagef("OKTA_PRIVATE_KEY_FILE %s: no PEM block found", path)
	}
	var key any
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, usagef("OKTA_PRIVATE_KEY_FILE %s: a PEM %q block is not a private key (want PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)", path, block.Type)
	}
	if err != nil {
		// x509's parse errors describe the structure, not the key material.
		return nil, usagef("OKTA_PRIVATE_KEY_FILE %s: cannot parse the %s: %v", path, strings.ToLower(block.Type), err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, usagef("OKTA_PRIVATE_KEY_FILE %s: a %T cannot sign", path, key)
	}
	return signer, nil
}

// oneloginClient returns the run's OneLogin connection, making it on first use: from
// the environment, or an embedded fake when no OneLogin variable is set.
func (a *app) oneloginClient() (*oneloginConn, error) {
	if a.onelogin != nil {
		return a.onelogin, nil
	}
	baseURL, id, secret := a.getenv("ONELOGIN_URL"), a.getenv("ONELOGIN_CLIENT_ID"), a.getenv("ONELOGIN_CLIENT_SECRET")
	a.secrets = append(a.secrets, secret)
	if baseURL == "" {
		if v := a.anySet(oneloginVars); v != "" {
			return nil, usagef("%s is set but ONELOGIN_URL is not", v)
		}
		fake := onelogintest.NewServer()
		a.closers = append(a.closers, fake.Close)
		fmt.Fprintf(a.stderr, "mfakit: ONELOGIN_URL not set; using an embedded fake OneLogin account at %s\n", fake.URL)
		c, err := oneloginclient.New(fake.URL, oneloginclient.WithClientCredentials(fake.ClientID(), fake.ClientSecret()), oneloginclient.WithUserAgent(userAgent))
		if err != nil {
			return nil, fmt.Errorf("embedded fake OneLogin account: %w", err)
		}
		a.onelogin = &oneloginConn{client: c, fake: fake}
		return a.onelogin, nil
	}
	if id == "" || secret == "" {
		return nil, usagef("ONELOGIN_URL needs ONELOGIN_CLIENT_ID and ONELOGIN_CLIENT_SECRET")
	}
	c, err := oneloginclient.New(baseURL, oneloginclient.WithClientCredentials(id, secret), oneloginclient.WithUserAgent(userAgent))
	if err != nil {
		return nil, usagef("ONELOGIN_URL: %v", err)
	}
	a.closers = append(a.closers, c.CloseIdleConnections)
	a.onelogin = &oneloginConn{client: c}
	return a.onelogin, nil
}

// oktaUser turns the USER argument into a user id. Against the embedded fake a login,
// email or first name (any case) names a seeded user too; otherwise the argument is
// passed on as it is.
func (c *oktaConn) oktaUser(arg string) string {
	if c.fake != nil {
		for _, u := range c.fake.Users() {
			if arg == u.ID || strings.EqualFold(arg, u.Login) || strings.EqualFold(arg, u.Email) || strings.EqualFold(arg, u.FirstName) {
				return u.ID
			}
		}
	}
	return arg
}

// oneloginUser turns the USER argument into a OneLogin user id: a number, or against
// the embedded fake a username, email or first name (any case).
func (c *oneloginConn) oneloginUser(arg string) (int64, error) {
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	if c.fake != nil {
		for _, u := range c.fake.Users() {
			if strings.EqualFold(arg, u.Username) || strings.EqualFold(arg, u.Email) || strings.EqualFold(arg, u.FirstName) {
				return int64(u.ID), nil
			}
		}
		return 0, usagef("USER %q: no such user in the embedded fake (try 51234501 or ada)", arg)
	}
	return 0, usagef("USER %q: a OneLogin user id is a positive number", arg)
}

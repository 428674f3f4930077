package main

import (
	"fmt"
	"text/tabwriter"
)

// usageHeader and usageFooter frame the generated command list of the usage text.
const usageHeader = `mfakit administers MFA in Okta and OneLogin.

Usage:
`

const usageFooter = `
Every command prints a table, or with --json the values as JSON (lossless: every field
the server sent). USER is a user id; against an embedded fake it may also be a login,
an email or a first name.

Environment:
  OKTA_ORG_URL            the org, e.g. https://example.okta.com, with one credential:
  OKTA_API_TOKEN            an API token (sent as "SSWS <token>"), or
  OKTA_CLIENT_ID            an OAuth 2.0 service app's client id, with
  OKTA_PRIVATE_KEY_FILE     its private key (PEM: RSA, EC or PKCS#8),
  OKTA_KEY_ID               the key's id (kid), if it has one, and
  OKTA_SCOPES               the scopes, space- or comma-separated (default: all the
                            okta.authenticators.* and okta.users.* scopes mfakit uses)
  ONELOGIN_URL            the account, e.g. https://example.onelogin.com, with
  ONELOGIN_CLIENT_ID      an API credential pair's client id and
  ONELOGIN_CLIENT_SECRET  its secret

With none of a provider's variables set, mfakit starts an embedded fake of that provider
and says so on stderr. A fake lives for one command, so changes do not carry over to the
next (mfakit demo shows a whole sequence). The fakes are seeded:
  Okta users:     00u1adaLovelace0g4a7 ada.lovelace@example.com (a factor of every type)
                  00u1graceHopper0g4a7 grace.hopper@example.com (email, sms, TOTP)
                  00u1alanTuring00g4a7 alan.turing@example.com (question, push)
                  00u1margaretHam0g4a7 margaret.hamilton@example.com (no factors)
  Okta authenticators: one of every key, e.g. phone_number, okta_verify, webauthn
  OneLogin users: 51234501 ada (Protect and SMS), 51234502 grace (authenticator app,
                  pending SMS), 51234503 alan (no devices)

Examples:
  mfakit okta authenticators list
  mfakit okta methods list phone_number --json
  mfakit okta factors list ada
  mfakit onelogin factors list 51234501

Exit status: 0 on success, 1 when a call fails, 2 for a usage or configuration error.
`

// usage prints the usage text on stdout.
func (a *app) usage() {
	fmt.Fprint(a.stdout, usageHeader)
	tw := tabwriter.NewWriter(a.stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "  mfakit demo\ta guided tour of the SDK against embedded fakes\n")
	fmt.Fprintf(tw, "  mfakit help\tthis text\n")
	for _, c := range commands {
		fmt.Fprintf(tw, "  mfakit %s\t%s\n", c.synopsis(), c.short)
	}
	tw.Flush()
	fmt.Fprint(a.stdout, usageFooter)
}

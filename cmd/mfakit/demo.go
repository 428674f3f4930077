package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/mfakit/mfakit/oktaclient"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
	"github.com/mfakit/mfakit/oneloginclient"
	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
)

// demoSteps is the number of steps the demo announces.
const demoSteps = 7

// demo is "mfakit demo": a guided tour of both clients against embedded fakes. It never
// uses the environment's credentials, since it changes state (deactivates an
// authenticator, enrolls factors) that a real org should not see changed by a tour.
func (a *app) demo() error {
	if v := a.anySet(append(oktaVars, oneloginVars...)); v != "" {
		fmt.Fprintf(a.stderr, "mfakit: demo always uses embedded fakes; %s and the other credential variables are ignored\n", v)
	}
	oktaSrv := oktatest.NewServer()
	a.closers = append(a.closers, oktaSrv.Close)
	olSrv := onelogintest.NewServer()
	a.closers = append(a.closers, olSrv.Close)

	okta, err := oktaclient.New(oktaSrv.URL, oktaclient.WithAPIToken(oktaSrv.APIToken()), oktaclient.WithUserAgent(userAgent))
	if err != nil {
		return fmt.Errorf("okta client: %w", err)
	}
	ol, err := oneloginclient.New(olSrv.URL, oneloginclient.WithClientCredentials(olSrv.ClientID(), olSrv.ClientSecret()), oneloginclient.WithUserAgent(userAgent))
	if err != nil {
		return fmt.Errorf("onelogin client: %w", err)
	}

	w := a.stdout
	fmt.Fprintf(w, "mfakit demo: a tour of oktaclient and oneloginclient against embedded fake servers.\n")
	fmt.Fprintf(w, "  fake Okta org:         %s (oktatest.NewServer)\n", oktaSrv.URL)
	fmt.Fprintf(w, "  fake OneLogin account: %s (onelogintest.NewServer)\n", olSrv.URL)

	d := &demoRun{app: a, w: w, okta: okta, oktaSrv: oktaSrv, ol: ol, olSrv: olSrv}
	for _, step := range []func() error{
		d.listAuthenticators, d.toggleAuthenticator, d.enrollTOTP, d.verifyTOTP,
		d.enrollments, d.oneloginDevices, d.oneloginEnroll,
	} {
		if err := step(); err != nil {
			return fmt.Errorf("demo step %d: %w", d.n, err)
		}
	}
	fmt.Fprintf(w, "\nDone. Every call above went through the public clients over HTTP, and the fakes\n"+
		"checked each request and response against api/okta.yaml and api/onelogin.yaml.\n")
	return nil
}

// demoRun is the state the demo's steps share.
type demoRun struct {
	*app
	w       io.Writer
	n       int // the current step
	okta    *oktaclient.Client
	oktaSrv *oktatest.Server
	ol      *oneloginclient.Client
	olSrv   *onelogintest.Server

	totpID, totpSecret string // the TOTP factor enrolled in step 3
	totpCode           string // the code that activated it
}

// step announces the next step.
func (d *demoRun) step(title string) {
	d.n++
	fmt.Fprintf(d.w, "\n[%d/%d] %s\n", d.n, demoSteps, title)
}

// say prints one indented line of a step.
func (d *demoRun) say(format string, args ...any) {
	fmt.Fprintf(d.w, "  "+format+"\n", args...)
}

// indented runs print with a writer whose lines are indented under the step.
func (d *demoRun) indented(print func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := print(&buf); err != nil {
		return err
	}
	for line := range strings.Lines(buf.String()) {
		fmt.Fprint(d.w, "    "+line)
	}
	return nil
}

// listAuthenticators lists the org's authenticators and shows the concrete Go type
// each decoded into, with a type switch reaching fields only that type has.
func (d *demoRun) listAuthenticators() error {
	d.step("Okta: ListAuthenticators, and a type switch on the concrete Go types")
	auths, err := d.okta.ListAuthenticators(d.ctx)
	if err != nil {
		return err
	}
	d.say("%d authenticators:", len(auths))
	return d.indented(func(w io.Writer) error {
		t := newTable(w, "KEY", "GO TYPE", "STATUS", "FROM THE TYPE SWITCH")
		for _, x := range auths {
			t.row(string(x.Key()), fmt.Sprintf("%T", x), string(x.Common().Status), describeAuthenticator(x))
		}
		return t.flush()
	})
}

// describeAuthenticator returns something only the concrete type knows.
func describeAuthenticator(x oktaclient.Authenticator) string {
	switch x := x.(type) {
	case *oktaclient.OktaVerifyAuthenticator:
		if x.Settings != nil {
			return "settings.userVerification=" + str(x.Settings.UserVerification)
		}
	case *oktaclient.PhoneAuthenticator:
		if x.Settings != nil {
			return "settings.allowedFor=" + str(x.Settings.AllowedFor)
		}
	case *oktaclient.EmailAuthenticator:
		if x.Settings != nil && x.Settings.TokenLifetimeInMinutes != nil {
			return fmt.Sprintf("settings.tokenLifetimeInMinutes=%d", *x.Settings.TokenLifetimeInMinutes)
		}
	case *oktaclient.DuoAuthenticator:
		if x.Provider != nil && x.Provider.Configuration != nil {
			return "provider.configuration.host=" + str(x.Provider.Configuration.Host)
		}
	case *oktaclient.WebAuthnAuthenticator:
		return "its settings live on its webauthn method"
	case *oktaclient.UnknownAuthenticator:
		return "a key this version does not know; its JSON is kept whole"
	}
	return ""
}

// toggleAuthenticator deactivates and reactivates the phone authenticator, showing
// its status and lifecycle link after each call.
func (d *demoRun) toggleAuthenticator() error {
	d.step("Okta: DeactivateAuthenticator and ActivateAuthenticator on phone_number")
	id, err := d.authenticatorID(oktaclient.KeyPhoneNumber)
	if err != nil {
		return err
	}
	x, err := d.okta.GetAuthenticator(d.ctx, id)
	if err != nil {
		return err
	}
	d.say("GetAuthenticator(%s)        %s", id, lifecycle(x))
	if x, err = d.okta.DeactivateAuthenticator(d.ctx, id); err != nil {
		return err
	}
	d.say("DeactivateAuthenticator(%s) %s", id, lifecycle(x))
	if x, err = d.okta.ActivateAuthenticator(d.ctx, id); err != nil {
		return err
	}
	d.say("ActivateAuthenticator(%s)   %s", id, lifecycle(x))
	return nil
}

// authenticatorID finds the id of the org's authenticator with key.
func (d *demoRun) authenticatorID(key oktaclient.AuthenticatorKey) (string, error) {
	auths, err := d.okta.ListAuthenticators(d.ctx)
	if err != nil {
		return "", err
	}
	for _, x := range auths {
		if x.Key() == key {
			return x.Common().ID, nil
		}
	}
	return "", fmt.Errorf("the org has no %s authenticator", key)
}

// lifecycle describes an authenticator's status and the lifecycle link Okta offers.
func lifecycle(x oktaclient.Authenticator) string {
	var links map[string]json.RawMessage
	_ = json.Unmarshal(fields(x)["_links"], &links)
	next := "none"
	for _, l := range []string{"activate", "deactivate"} {
		if _, ok := links[l]; ok {
			next = l
		}
	}
	return fmt.Sprintf("→ status %-8s (lifecycle link: %s)", x.Common().Status, next)
}

// demoUser is the fake Okta user the demo enrolls: Margaret has no factors yet.
const demoUser = oktatest.SeedUserMargaret

// enrollTOTP enrolls a Google Authenticator TOTP factor for Margaret and activates it
// with a code computed from the shared secret Okta returned.
func (d *demoRun) enrollTOTP() error {
	d.step("Okta: EnrollFactor token:software:totp for margaret.hamilton@example.com, then ActivateFactor")
	f := &oktaclient.TOTPFactor{}
	f.Provider = oktaclient.Ptr(oktaclient.UserFactorTokenSoftwareTOTPProvider("GOOGLE"))
	enrolled, err := d.okta.EnrollFactor(d.ctx, demoUser, f, nil)
	if err != nil {
		return err
	}
	totp, ok := enrolled.(*oktaclient.TOTPFactor)
	if !ok {
		return fmt.Errorf("EnrollFactor returned a %T, want *oktaclient.TOTPFactor", enrolled)
	}
	d.totpID = totp.Common().ID
	d.totpSecret = sharedSecret(totp)
	if d.totpSecret == "" {
		return errors.New("the enrolled factor has no _embedded.activation.sharedSecret")
	}
	d.say("EnrollFactor       → %T %s, status %s", totp, d.totpID, totp.Common().Status)
	d.say("shared secret      %s… (%d base32 characters, from _embedded.activation)", d.totpSecret[:4], len(d.totpSecret))

	if d.totpCode, err = oktatest.TOTPCode(d.totpSecret, time.Now()); err != nil {
		return err
	}
	d.say("code for now       %s (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits)", d.totpCode)
	activated, err := d.okta.ActivateFactor(d.ctx, demoUser, d.totpID, oktaclient.FactorActivateRequest{PassCode: &d.totpCode})
	if err != nil {
		return err
	}
	d.say("ActivateFactor     → status %s", activated.Common().Status)
	return nil
}

// sharedSecret reads the TOTP shared secret from an enrollment's _embedded.activation.
func sharedSecret(f *oktaclient.TOTPFactor) string {
	if f.UnderscoreEmbedded == nil || f.UnderscoreEmbedded.Activation == nil {
		return ""
	}
	return str(f.UnderscoreEmbedded.Activation.SharedSecret)
}

// verifyTOTP verifies the new factor: a wrong code is refused with a typed error, and
// the next window's code succeeds (Okta refuses a code twice, and accepts one step of
// clock skew).
func (d *demoRun) verifyTOTP() error {
	d.step("Okta: VerifyFactor with a wrong code, then with a computed one")
	wrong, err := wrongCode(d.totpSecret, time.Now())
	if err != nil {
		return err
	}
	_, err = d.okta.VerifyFactor(d.ctx, demoUser, d.totpID, oktaclient.FactorVerifyRequest{PassCode: &wrong}, nil)
	var oe *oktaclient.Error
	if !errors.As(err, &oe) {
		return fmt.Errorf("a wrong code was not refused with an *oktaclient.Error: %v", err)
	}
	d.say("VerifyFactor(%s) → *oktaclient.Error: %d %s %s", wrong, oe.Status, oe.ErrorCode, oe.ErrorSummary)

	// The current code has just been used to activate; an authenticator app would show
	// the next one 30 seconds from now, which Okta accepts within its clock skew.
	code, err := oktatest.TOTPCode(d.totpSecret, time.Now().Add(30*time.Second))
	if err != nil {
		return err
	}
	res, err := d.okta.VerifyFactor(d.ctx, demoUser, d.totpID, oktaclient.FactorVerifyRequest{PassCode: &code}, nil)
	if err != nil {
		return err
	}
	d.say("VerifyFactor(%s) → factorResult %s (the next window's code: each code works once)", code, res.FactorResult)
	if res.FactorResult != "SUCCESS" {
		return fmt.Errorf("verification answered %s, want SUCCESS", res.FactorResult)
	}
	return nil
}

// wrongCode returns a six-digit code that is not the secret's code for any 30-second
// window near now, so that Okta's clock-skew allowance cannot make it right.
func wrongCode(secret string, now time.Time) (string, error) {
	var near []string
	for d := -2; d <= 2; d++ {
		c, err := oktatest.TOTPCode(secret, now.Add(time.Duration(d)*30*time.Second))
		if err != nil {
			return "", err
		}
		near = append(near, c)
	}
	for i := 0; ; i++ {
		if c := fmt.Sprintf("%06d", i*111111%1000000); !slices.Contains(near, c) {
			return c, nil
		}
	}
}

// enrollments lists Margaret's factors, enrolls her phone with the Identity Engine
// enrollment API, and lists her authenticator enrollments.
func (d *demoRun) enrollments() error {
	d.step("Okta: ListFactors, CreateAuthenticatorEnrollment and ListAuthenticatorEnrollments for Margaret")
	factors, err := d.okta.ListFactors(d.ctx, demoUser)
	if err != nil {
		return err
	}
	d.say("ListFactors: %d factor(s)", len(factors))
	if err := d.indented(func(w io.Writer) error { return printFactors(w, factors) }); err != nil {
		return err
	}
	phoneID, err := d.authenticatorID(oktaclient.KeyPhoneNumber)
	if err != nil {
		return err
	}
	e, err := d.okta.CreateAuthenticatorEnrollment(d.ctx, demoUser, oktaclient.AuthenticatorEnrollmentCreateRequest{
		AuthenticatorId: phoneID,
		Profile:         oktaclient.AuthenticatorEnrollmentPhoneProfile{PhoneNumber: "+14155550104"},
	})
	if err != nil {
		return err
	}
	d.say("CreateAuthenticatorEnrollment(phone_number, +14155550104) → %s, status %s", str(e.Id), str(e.Status))
	enrollments, err := d.okta.ListAuthenticatorEnrollments(d.ctx, demoUser, nil)
	if err != nil {
		return err
	}
	d.say("ListAuthenticatorEnrollments: %d enrollment(s)", len(enrollments))
	return d.indented(func(w io.Writer) error { return printEnrollments(w, enrollments) })
}

// demoOneLoginUser is the fake OneLogin user the demo enrolls: Alan has no devices.
const demoOneLoginUser = onelogintest.SeedUserAlan

// oneloginDevices lists a OneLogin user's devices and the factors open to him.
func (d *demoRun) oneloginDevices() error {
	d.step("OneLogin: ListEnrolledFactors and ListAvailableFactors for alan (51234503)")
	devices, err := d.ol.ListEnrolledFactors(d.ctx, demoOneLoginUser)
	if err != nil {
		return err
	}
	d.say("ListEnrolledFactors: %d device(s)", len(devices))
	factors, err := d.ol.ListAvailableFactors(d.ctx, demoOneLoginUser)
	if err != nil {
		return err
	}
	d.say("ListAvailableFactors: %d factor(s)", len(factors))
	return d.indented(func(w io.Writer) error {
		t := newTable(w, "FACTOR ID", "NAME")
		for _, f := range factors {
			t.row(fmt.Sprint(f.FactorID), f.Name)
		}
		return t.flush()
	})
}

// oneloginEnroll enrolls an SMS device for Alan, triggers it and verifies it with the
// code the fake "sent".
func (d *demoRun) oneloginEnroll() error {
	d.step("OneLogin: EnrollFactor (SMS) → ActivateFactor → VerifyFactor for alan")
	factors, err := d.ol.ListAvailableFactors(d.ctx, demoOneLoginUser)
	if err != nil {
		return err
	}
	var sms int64
	for _, f := range factors {
		if f.Name == "OneLogin SMS" {
			sms = f.FactorID
		}
	}
	if sms == 0 {
		return errors.New("the account offers no OneLogin SMS factor")
	}
	dev, err := d.ol.EnrollFactor(d.ctx, demoOneLoginUser, oneloginclient.EnrollRequest{FactorID: sms, DisplayName: "Alan's phone", Number: "+15555550103"})
	if err != nil {
		return err
	}
	d.say("EnrollFactor(OneLogin SMS, +15555550103) → device %d, active %v", dev.ID, dev.Active)
	act, err := d.ol.ActivateFactor(d.ctx, demoOneLoginUser, dev.ID, oneloginclient.ActivateRequest{})
	if err != nil {
		return err
	}
	d.say("ActivateFactor → an SMS was sent; a state token came back, valid until %s", act.StateTokenExpiresAt.Format(time.TimeOnly))
	code, ok := d.olSrv.OTP(demoOneLoginUser, int(dev.ID))
	if !ok {
		return errors.New("the fake has no code outstanding for the new device")
	}
	d.say("the fake's SMS said %s (onelogintest.Server.OTP)", code)
	if err := d.ol.VerifyFactor(d.ctx, demoOneLoginUser, dev.ID, oneloginclient.VerifyRequest{StateToken: act.StateToken, OTP: code}); err != nil {
		return err
	}
	d.say("VerifyFactor → verified")
	devices, err := d.ol.ListEnrolledFactors(d.ctx, demoOneLoginUser)
	if err != nil {
		return err
	}
	d.say("ListEnrolledFactors: %d device(s)", len(devices))
	return d.indented(func(w io.Writer) error { return printDevices(w, devices) })
}

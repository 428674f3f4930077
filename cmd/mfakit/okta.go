package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/mfakit/mfakit/oktaclient"
)

// oktaAuthenticatorsList is "okta authenticators list".
func oktaAuthenticatorsList(a *app, _ []string) error {
	c, err := a.oktaClient()
	if err != nil {
		return err
	}
	auths, err := c.client.ListAuthenticators(a.ctx)
	if err != nil {
		return err
	}
	if auths == nil {
		auths = []oktaclient.Authenticator{}
	}
	if a.json {
		return writeJSON(a.stdout, auths)
	}
	return printAuthenticators(a.stdout, auths)
}

// printAuthenticators prints authenticators as a table.
func printAuthenticators(w io.Writer, auths []oktaclient.Authenticator) error {
	t := newTable(w, "ID", "KEY", "TYPE", "STATUS", "NAME")
	for _, x := range auths {
		cm := x.Common()
		t.row(cm.ID, string(x.Key()), string(cm.Type), string(cm.Status), cm.Name)
	}
	return t.flush()
}

// oktaAuthenticatorsGet is "okta authenticators get ID".
func oktaAuthenticatorsGet(a *app, args []string) error {
	c, err := a.oktaClient()
	if err != nil {
		return err
	}
	x, err := byAuthenticator(a, c, args[0], func(id string) (oktaclient.Authenticator, error) {
		return c.client.GetAuthenticator(a.ctx, id)
	})
	if err != nil {
		return err
	}
	if a.json {
		return writeJSON(a.stdout, x)
	}
	cm := x.Common()
	t := newTable(a.stdout, "FIELD", "VALUE")
	t.row("id", cm.ID)
	t.row("key", string(x.Key()))
	t.row("name", cm.Name)
	t.row("type", string(cm.Type))
	t.row("status", string(cm.Status))
	t.row("created", date(cm.Created))
	t.row("lastUpdated", date(cm.LastUpdated))
	t.row("go type", fmt.Sprintf("%T", x))
	// Everything else (description, settings, provider, fields this version does not
	// model) as the server sent it; links are left to --json.
	shown := []string{"id", "key", "name", "type", "status", "created", "lastUpdated", "_links"}
	m := fields(x)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !slices.Contains(shown, k) {
			t.row(k, compact(m[k]))
		}
	}
	return t.flush()
}

// oktaAuthenticatorsActivate is "okta authenticators activate ID".
func oktaAuthenticatorsActivate(a *app, args []string) error {
	return oktaAuthenticatorLifecycle(a, args[0], (*oktaclient.Client).ActivateAuthenticator)
}

// oktaAuthenticatorsDeactivate is "okta authenticators deactivate ID".
func oktaAuthenticatorsDeactivate(a *app, args []string) error {
	return oktaAuthenticatorLifecycle(a, args[0], (*oktaclient.Client).DeactivateAuthenticator)
}

// oktaAuthenticatorLifecycle runs an activate or deactivate call and prints the result.
func oktaAuthenticatorLifecycle(a *app, arg string, call func(*oktaclient.Client, context.Context, string) (oktaclient.Authenticator, error)) error {
	c, err := a.oktaClient()
	if err != nil {
		return err
	}
	x, err := byAuthenticator(a, c, arg, func(id string) (oktaclient.Authenticator, error) {
		return call(c.client, a.ctx, id)
	})
	if err != nil {
		return err
	}
	if a.json {
		return writeJSON(a.stdout, x)
	}
	return printAuthenticators(a.stdout, []oktaclient.Authenticator{x})
}

// byAuthenticator calls call with arg as an authenticator id; when Okta has no
// authenticator with that id, it looks for one whose key is arg (such as
// "phone_number") and calls again with its id. So every authenticator command takes a
// key as well as an id, against a real org too.
func byAuthenticator[T any](a *app, c *oktaConn, arg string, call func(id string) (T, error)) (T, error) {
	v, err := call(arg)
	if !errors.Is(err, oktaclient.ErrNotFound) {
		return v, err
	}
	auths, lerr := c.client.ListAuthenticators(a.ctx)
	if lerr != nil {
		return v, err // the 404 is the more useful error
	}
	for _, x := range auths {
		if string(x.Key()) == arg {
			return call(x.Common().ID)
		}
	}
	return v, err
}

// oktaMethodsList is "okta methods list AUTHENTICATOR_ID".
func oktaMethodsList(a *app, args []string) error {
	c, err := a.oktaClient()
	if err != nil {
		return err
	}
	methods, err := byAuthenticator(a, c, args[0], func(id string) ([]oktaclient.AuthenticatorMethod, error) {
		return c.client.ListAuthenticatorMethods(a.ctx, id)
	})
	if err != nil {
		return err
	}
	if methods == nil {
		methods = []oktaclient.AuthenticatorMethod{}
	}
	if a.json {
		return writeJSON(a.stdout, methods)
	}
	t := newTable(a.stdout, "TYPE", "STATUS", "SETTINGS")
	for _, m := range methods {
		t.row(string(m.Type()), string(m.Common().Status), truncate(compact(fields(m)["settings"]), 80))
	}
	return t.flush()
}

// oktaFactorsList is "okta factors list USER".
func oktaFactorsList(a *app, args []string) error {
	c, err := a.oktaClient()
	if err != nil {
		return err
	}
	factors, err := c.client.ListFactors(a.ctx, c.oktaUser(args[0]))
	if err != nil {
		return err
	}
	if factors == nil {
		factors = []oktaclient.UserFactor{}
	}
	if a.json {
		return writeJSON(a.stdout, factors)
	}
	return printFactors(a.stdout, factors)
}

// printFactors prints Okta user factors as a table.
func printFactors(w io.Writer, factors []oktaclient.UserFactor) error {
	t := newTable(w, "ID", "FACTOR TYPE", "PROVIDER", "STATUS", "PROFILE")
	for _, f := range factors {
		cm := f.Common()
		t.row(cm.ID, string(f.FactorType()), string(cm.Provider), string(cm.Status), truncate(summary(fields(f)["profile"]), 60))
	}
	return t.flush()
}

// oktaEnrollmentsList is "okta enrollments list USER".
func oktaEnrollmentsList(a *app, args []string) error {
	c, err := a.oktaClient()
	if err != nil {
		return err
	}
	enrollments, err := c.client.ListAuthenticatorEnrollments(a.ctx, c.oktaUser(args[0]), nil)
	if err != nil {
		return err
	}
	if enrollments == nil {
		enrollments = []oktaclient.AuthenticatorEnrollment{}
	}
	if a.json {
		return writeJSON(a.stdout, enrollments)
	}
	return printEnrollments(a.stdout, enrollments)
}

// printEnrollments prints authenticator enrollments as a table.
func printEnrollments(w io.Writer, enrollments []oktaclient.AuthenticatorEnrollment) error {
	t := newTable(w, "ID", "KEY", "TYPE", "STATUS", "NAME", "PROFILE")
	for _, e := range enrollments {
		var profile []string
		if p := e.Profile; p != nil {
			if s := str(p.PhoneNumber); s != "" {
				profile = append(profile, "phoneNumber="+s)
			}
			if s := str(p.Email); s != "" {
				profile = append(profile, "email="+s)
			}
		}
		t.row(str(e.Id), str(e.Key), str(e.Type), str(e.Status), str(e.Name), strings.Join(profile, ", "))
	}
	return t.flush()
}

package oktaclient

import (
	"context"
	"errors"
	"go/types"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mfakit/mfakit/api"
	"golang.org/x/tools/go/packages"
)

// nilCtx is a nil context.Context, as a careless caller would pass.
var nilCtx context.Context

// TestNilContextRefused calls every operation, every Iter variant,
// NewRequest and Do with a nil context: each returns (or yields once) an
// error matching ErrInvalidArgument, never panics, and sends nothing.
func TestNilContextRefused(t *testing.T) {
	t.Parallel()
	c, rc, _ := serve(t, jsonAnswer(200, `{}`))
	n := 0
	for _, op := range api.Operations {
		if op.Provider != api.ProviderOkta {
			continue
		}
		n++
		oc, ok := opCalls[op.GoMethod]
		if !ok {
			t.Errorf("no test call for %s", op.GoMethod)
			continue
		}
		t.Run(op.GoMethod, func(t *testing.T) {
			err := callNoPanic(t, func() error { return oc.call(nilCtx, c, "id1") })
			if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "nil context") {
				t.Errorf("err = %v, want a nil context error matching ErrInvalidArgument", err)
			}
		})
	}
	if n != 34 {
		t.Fatalf("%d Okta operations, want 34", n)
	}

	iters := map[string]func(ctx context.Context) func(func(any, error) bool){
		"ListAuthenticatorsIter": func(ctx context.Context) func(func(any, error) bool) {
			return anySeq(c.ListAuthenticatorsIter(ctx))
		},
		"ListAuthenticatorMethodsIter": func(ctx context.Context) func(func(any, error) bool) {
			return anySeq(c.ListAuthenticatorMethodsIter(ctx, "aut1"))
		},
		"ListFactorsIter": func(ctx context.Context) func(func(any, error) bool) {
			return anySeq(c.ListFactorsIter(ctx, "00u1"))
		},
		"ListSupportedFactorsIter": func(ctx context.Context) func(func(any, error) bool) {
			return anySeq(c.ListSupportedFactorsIter(ctx, "00u1"))
		},
		"ListSupportedSecurityQuestionsIter": func(ctx context.Context) func(func(any, error) bool) {
			return anySeq(c.ListSupportedSecurityQuestionsIter(ctx, "00u1"))
		},
		"ListAuthenticatorEnrollmentsIter": func(ctx context.Context) func(func(any, error) bool) {
			return anySeq(c.ListAuthenticatorEnrollmentsIter(ctx, "00u1", nil))
		},
		"ListAllCustomAAGUIDsIter": func(ctx context.Context) func(func(any, error) bool) {
			return anySeq(c.ListAllCustomAAGUIDsIter(ctx, "aut1"))
		},
	}
	for name, seq := range iters {
		t.Run(name, func(t *testing.T) {
			var errs []error
			callNoPanic(t, func() error {
				for _, err := range seq(nilCtx) {
					errs = append(errs, err)
				}
				return nil
			})
			if len(errs) != 1 || !errors.Is(errs[0], ErrInvalidArgument) {
				t.Errorf("yielded %v, want one error matching ErrInvalidArgument", errs)
			}
		})
	}

	t.Run("NewRequest", func(t *testing.T) {
		req, err := c.NewRequest(nilCtx, http.MethodGet, "/api/v1/users", nil)
		if req != nil || !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("NewRequest = %v, %v; want ErrInvalidArgument", req, err)
		}
	})
	t.Run("Do", func(t *testing.T) {
		req, err := c.NewRequest(t.Context(), http.MethodGet, "/api/v1/users", nil)
		if err != nil {
			t.Fatal(err)
		}
		err = callNoPanic(t, func() error { _, err := c.Do(nilCtx, req, nil); return err })
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("Do: err = %v, want ErrInvalidArgument", err)
		}
	})
	if got := len(rc.requests()); got != 0 {
		t.Errorf("%d requests sent with a nil context", got)
	}
}

func anySeq[T any](seq func(func(T, error) bool)) func(func(any, error) bool) {
	return func(yield func(any, error) bool) {
		for v, err := range seq {
			if !yield(v, err) {
				return
			}
		}
	}
}

// callNoPanic runs f and fails the test if it panics.
func callNoPanic(t *testing.T, f func() error) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic: %v", r)
		}
	}()
	return f()
}

// TestSingleObjectResultsRejectNullAndEmpty: every operation that returns
// one object fails with a *DecodeError on a 200 whose body is null, empty
// or blank, instead of a zero value and a nil error.
func TestSingleObjectResultsRejectNullAndEmpty(t *testing.T) {
	t.Parallel()
	checked := 0
	for name, oc := range opCalls {
		if oc.resp == "" || strings.HasPrefix(oc.resp, "[") {
			continue // 204 operations and lists
		}
		checked++
		for _, body := range []string{"null", "", "  \n", " null "} {
			t.Run(name+"/"+strings.TrimSpace(body), func(t *testing.T) {
				t.Parallel()
				c, _, _ := serve(t, jsonAnswer(200, body))
				err := oc.call(t.Context(), c, "id1")
				var de *DecodeError
				if !errors.As(err, &de) || !errors.Is(err, ErrDecode) || de.Op != name || de.Status != 200 {
					t.Errorf("body %q: err = %v, want a *DecodeError for %s", body, err, name)
				}
			})
		}
	}
	if checked < 20 {
		t.Fatalf("only %d single-object operations checked", checked)
	}
}

// TestOpErrorExported: a reset connection, a truncated 2xx body and a
// refused connection give an *OpError naming the operation, with a one-line
// message and the cause reachable.
func TestOpErrorExported(t *testing.T) {
	t.Parallel()
	noRetry := WithRetry(RetryPolicy{MaxAttempts: 1})
	truncated := func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "500")
		io.WriteString(w, `{"key":"okta_verify","na`)
	}
	reset := func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	}
	for _, tc := range []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request, []byte)
		closed bool
	}{
		{"truncated 2xx body", truncated, false},
		{"connection reset", reset, false},
		{"connection refused", jsonAnswer(200, `{}`), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := serve(t, tc.answer, noRetry)
			if tc.closed {
				// Point the client at a port nothing listens on.
				ln := newServer(t, http.NotFoundHandler())
				u := ln.URL
				ln.Close()
				var err error
				if c, err = New(u, WithAPIToken(testToken), noRetry); err != nil {
					t.Fatal(err)
				}
			}
			_, err := c.GetAuthenticator(t.Context(), "aut1")
			var oe *OpError
			if !errors.As(err, &oe) {
				t.Fatalf("err = %v (%T), want an *OpError", err, err)
			}
			if oe.Op != "GetAuthenticator" || oe.Err == nil || errors.Unwrap(err) != oe.Err {
				t.Errorf("OpError = %+v", oe)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "okta: GetAuthenticator: ") || strings.Contains(msg, "\n") || strings.Count(msg, "okta:") != 1 {
				t.Errorf("message %q: want one line with one prefix", msg)
			}
			if strings.Contains(msg, testToken) {
				t.Errorf("token in %q", msg)
			}
		})
	}
}

// TestPrivateKeyJWTScopes: blank scopes are refused, and DefaultScopes is
// copied when the option is made.
func TestPrivateKeyJWTScopes(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	for _, scopes := range [][]string{{""}, {"  "}, {"okta.users.read", ""}, {"a b"}, {"okta.users.read\n"}} {
		if _, err := New("https://example.okta.com", WithPrivateKeyJWT("0oa1", key, "kid", scopes...)); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("scopes %q: err = %v, want ErrInvalidConfig", scopes, err)
		}
	}
	var cfg config
	opt := WithPrivateKeyJWT("0oa1", key, "kid")
	if err := opt(&cfg); err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.pkScopes, " ") != strings.Join(DefaultScopes, " ") {
		t.Fatalf("scopes %q, want DefaultScopes", cfg.pkScopes)
	}
	cfg.pkScopes[0] = "changed"
	if DefaultScopes[0] == "changed" {
		t.Error("the option shares DefaultScopes' array")
	}
	mine := []string{"okta.users.read"}
	opt = WithPrivateKeyJWT("0oa1", key, "kid", mine...)
	mine[0] = "okta.users.manage"
	cfg = config{}
	if err := opt(&cfg); err != nil || cfg.pkScopes[0] != "okta.users.read" {
		t.Errorf("scopes %q, %v: the option must copy the caller's slice when made", cfg.pkScopes, err)
	}
}

// TestGeneratedAliasesUpToDate fails when aliases_gen.go differs from what
// internal/aliasgen writes now.
func TestGeneratedAliasesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	t.Parallel()
	dir := t.TempDir()
	out, err := exec.Command("go", "run", "./internal/aliasgen", "-dir", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("generator: %v\n%s", err, out)
	}
	want, err := os.ReadFile(filepath.Join(dir, "aliases_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("aliases_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Error("aliases_gen.go is stale: run go generate ./oktaclient")
	}
}

// TestEveryReachableGenTypeAliased walks oktaclient's exported API with
// go/types (exported fields at any depth, function and method signatures,
// interface methods, type arguments) and fails for any gen/okta named type
// it reaches that oktaclient does not re-export with a type alias: a caller
// would need to import gen/okta to name it.
func TestEveryReachableGenTypeAliased(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the package with go/packages")
	}
	t.Parallel()
	const genPath = "github.com/mfakit/mfakit/gen/okta"
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedTypes}, ".")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		t.Fatalf("load: %v %v", err, pkgs)
	}
	self := pkgs[0].Types
	scope := self.Scope()

	aliased := map[*types.TypeName]bool{}
	for _, name := range scope.Names() {
		if tn, ok := scope.Lookup(name).(*types.TypeName); ok && tn.IsAlias() && tn.Exported() {
			if n, ok := types.Unalias(tn.Type()).(*types.Named); ok {
				aliased[n.Obj()] = true
			}
		}
	}

	reached := map[*types.TypeName]string{}
	seen := map[types.Type]bool{}
	var walk func(from string, typ types.Type)
	methods := func(from string, typ types.Type) {
		ms := types.NewMethodSet(types.NewPointer(typ))
		for i := range ms.Len() {
			if m := ms.At(i).Obj(); m.Exported() {
				walk(from+"."+m.Name(), m.Type())
			}
		}
	}
	walk = func(from string, typ types.Type) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		switch x := typ.(type) {
		case *types.Alias:
			walk(from, types.Unalias(x))
		case *types.Named:
			for i := range x.TypeArgs().Len() {
				walk(from, x.TypeArgs().At(i))
			}
			switch p := x.Obj().Pkg(); {
			case p == nil:
				return
			case p.Path() == genPath:
				if _, ok := reached[x.Obj()]; !ok {
					reached[x.Obj()] = from
				}
			case p != self:
				return
			}
			walk(from, x.Underlying())
			methods(from, x)
		case *types.Pointer:
			walk(from, x.Elem())
		case *types.Slice:
			walk(from, x.Elem())
		case *types.Array:
			walk(from, x.Elem())
		case *types.Map:
			walk(from, x.Key())
			walk(from, x.Elem())
		case *types.Chan:
			walk(from, x.Elem())
		case *types.Struct:
			for i := range x.NumFields() {
				if f := x.Field(i); f.Exported() {
					walk(from+"."+f.Name(), f.Type())
				}
			}
		case *types.Signature:
			for i := range x.Params().Len() {
				walk(from, x.Params().At(i).Type())
			}
			for i := range x.Results().Len() {
				walk(from, x.Results().At(i).Type())
			}
		case *types.Interface:
			for i := range x.NumMethods() {
				if m := x.Method(i); m.Exported() {
					walk(from+"."+m.Name(), m.Type())
				}
			}
		}
	}
	for _, name := range scope.Names() {
		if obj := scope.Lookup(name); obj.Exported() {
			walk(name, obj.Type())
		}
	}
	if len(reached) < 100 {
		t.Fatalf("reached only %d gen/okta types; the walk is broken", len(reached))
	}
	for tn, from := range reached {
		if !aliased[tn] {
			t.Errorf("okta.%s, reached from %s, has no alias in oktaclient", tn.Name(), from)
		}
	}
	// The ones the review named.
	for _, name := range []string{"UserVerificationEnum", "ChannelBinding", "Compliance", "PushMethodKeyProtection"} {
		if tn, ok := scope.Lookup(name).(*types.TypeName); !ok || !tn.IsAlias() {
			t.Errorf("%s is not re-exported", name)
		}
	}
}

// TestEmailTokenLifetimeIsInteger: okta_email's tokenLifetimeInMinutes is a
// whole number of minutes (api/okta.yaml says integer; see
// api/DEVIATIONS.md), decoded into an *int; a fractional value fails that
// one authenticator, keeping its JSON, not the list.
func TestEmailTokenLifetimeIsInteger(t *testing.T) {
	t.Parallel()
	settings, _ := reflect.TypeFor[EmailAuthenticator]().FieldByName("Settings")
	if f, ok := settings.Type.Elem().FieldByName("TokenLifetimeInMinutes"); !ok || f.Type != reflect.TypeFor[*int]() {
		t.Errorf("Settings.TokenLifetimeInMinutes is %v, want *int", f.Type)
	}
	as, err := DecodeAuthenticators([]byte(`[{"key":"okta_email","settings":{"tokenLifetimeInMinutes":7}},` +
		`{"key":"okta_email","settings":{"tokenLifetimeInMinutes":7.5}}]`))
	if err != nil || len(as) != 2 {
		t.Fatalf("DecodeAuthenticators = %v, %v", as, err)
	}
	if a, ok := as[0].(*EmailAuthenticator); !ok || a.Settings == nil || deref(a.Settings.TokenLifetimeInMinutes) != 7 {
		t.Errorf("first = %#v, want an *EmailAuthenticator with 7 minutes", as[0])
	}
	if u, ok := as[1].(*UnknownAuthenticator); !ok || u.Err() == nil || !strings.Contains(string(u.Raw()), "7.5") {
		t.Errorf("second = %#v, want an *UnknownAuthenticator keeping 7.5 with Err set", as[1])
	}
}

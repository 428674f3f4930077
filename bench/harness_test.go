package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/mfakit/mfakit/bench/internal/fixtures"
	"github.com/mfakit/mfakit/bench/internal/server"
)

// The operations measured, in table order. Each names a call every
// implementation makes against the loopback server and the bytes that call
// receives, which the Decode benchmarks decode in memory.
const (
	opList15  = "ListAuthenticators15"
	opList17  = "ListAuthenticators17" // tests only: all 17 keys
	opList1k  = "ListAuthenticators1000"
	opGet     = "GetAuthenticator"
	opMethods = "ListAuthenticatorMethods"
	opFactors = "ListFactors"
	opOneLog  = "OneLoginListEnrolledFactors"
)

// benchOps are the operations benchmarked, in the order of the tables.
var benchOps = []string{opList15, opList1k, opGet, opMethods, opFactors, opOneLog}

// testOps are the operations the agreement test checks.
var testOps = []string{opList15, opList17, opList1k, opGet, opMethods, opFactors, opOneLog}

// op is one operation as one implementation performs it. call and decode
// return the number of items, so nothing is boxed or copied for the
// benchmark loop; kinds and decodeKinds return each item's discriminator,
// for the agreement test only.
type op struct {
	call        func(ctx context.Context) (int, error)
	decode      func(b []byte) (int, error)
	kinds       func(ctx context.Context) ([]string, error)
	decodeKinds func(b []byte) ([]string, error)
}

// listOp builds an op from a list call, its decoder and a discriminator
// accessor.
func listOp[T any](call func(context.Context) ([]T, error), decode func([]byte) ([]T, error), kind func(T) (string, error)) op {
	kinds := func(items []T, err error) ([]string, error) {
		if err != nil {
			return nil, err
		}
		out := make([]string, len(items))
		for i, it := range items {
			if out[i], err = kind(it); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	o := op{
		call:  func(ctx context.Context) (int, error) { r, err := call(ctx); return len(r), err },
		kinds: func(ctx context.Context) ([]string, error) { return kinds(call(ctx)) },
	}
	if decode != nil {
		o.decode = func(b []byte) (int, error) { r, err := decode(b); return len(r), err }
		o.decodeKinds = func(b []byte) ([]string, error) { return kinds(decode(b)) }
	}
	return o
}

// oneOp is listOp for a call that returns one item.
func oneOp[T any](call func(context.Context) (T, error), decode func([]byte) (T, error), kind func(T) (string, error)) op {
	wrap := func(f func(context.Context) (T, error)) func(context.Context) ([]T, error) {
		return func(ctx context.Context) ([]T, error) {
			v, err := f(ctx)
			if err != nil {
				return nil, err
			}
			return []T{v}, nil
		}
	}
	var dec func([]byte) ([]T, error)
	if decode != nil {
		dec = func(b []byte) ([]T, error) {
			v, err := decode(b)
			if err != nil {
				return nil, err
			}
			return []T{v}, nil
		}
	}
	o := listOp(wrap(call), dec, kind)
	// Count without allocating the one-element slice.
	o.call = func(ctx context.Context) (int, error) { _, err := call(ctx); return 1, err }
	if decode != nil {
		o.decode = func(b []byte) (int, error) { _, err := decode(b); return 1, err }
	}
	return o
}

// impl is one implementation: floor, getonly, peer or mfakit.
type impl struct {
	name string
	ops  map[string]op
}

type builder struct {
	name  string
	order int
	build func(e *env) (map[string]op, error)
}

var builders []builder

// register adds an implementation; order sorts the tables (and the rounds of
// run.sh).
func register(name string, order int, build func(e *env) (map[string]op, error)) {
	builders = append(builders, builder{name: name, order: order, build: build})
}

// env is what every test and benchmark shares: the one loopback server and
// the implementations built against it.
type env struct {
	srv *server.Server
	// getID is the authenticator GetAuthenticator fetches (okta_verify of
	// the 15-authenticator org) and getBody the bytes it receives.
	getID   string
	getBody []byte
	impls   []*impl
}

var theEnv *env

// newTransport returns a transport like http.DefaultTransport's, keeping
// enough idle connections for the concurrent bulk run. Each implementation
// gets its own, so no implementation warms connections for another.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	return t
}

// client returns a fresh HTTP client with its own transport.
func (e *env) client() *http.Client {
	return &http.Client{Transport: newTransport(), Timeout: time.Minute}
}

// body returns the bytes the named operation receives.
func (e *env) body(name string) []byte {
	switch name {
	case opList15:
		return fixtures.Authenticators15
	case opList17:
		return fixtures.Authenticators17
	case opList1k:
		return fixtures.Authenticators1000
	case opGet:
		return e.getBody
	case opMethods:
		return fixtures.Methods
	case opFactors:
		return fixtures.Factors
	case opOneLog:
		return fixtures.OneLoginOTPDevices
	}
	panic("bench: unknown op " + name)
}

// tokenOf returns the Okta API token of the org a list operation reads.
func tokenOf(name string) string {
	switch name {
	case opList17:
		return server.TokenOrg17
	case opList1k:
		return server.TokenOrg1000
	}
	return server.TokenOrg15
}

func newEnv() (*env, error) {
	e := &env{srv: server.New()}
	e.getID = e.srv.AuthenticatorID(server.TokenOrg15, "okta_verify")
	e.getBody = e.srv.AuthenticatorBody(server.TokenOrg15, e.getID)
	if e.getID == "" || e.getBody == nil {
		e.srv.Close()
		return nil, fmt.Errorf("bench: no okta_verify authenticator in the 15-authenticator org")
	}
	bs := slices.Clone(builders)
	slices.SortFunc(bs, func(a, b builder) int { return a.order - b.order })
	for _, b := range bs {
		ops, err := b.build(e)
		if err != nil {
			e.srv.Close()
			return nil, fmt.Errorf("bench: building %s: %w", b.name, err)
		}
		e.impls = append(e.impls, &impl{name: b.name, ops: ops})
	}
	return e, nil
}

func TestMain(m *testing.M) {
	e, err := newEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	theEnv = e
	code := m.Run()
	e.srv.Close()
	os.Exit(code)
}

// expectedKinds reads the discriminators straight from the fixture bytes
// with a generic decode: the truth every implementation is compared with.
func expectedKinds(name string, body []byte) ([]string, error) {
	field := map[string]string{
		opList15: "key", opList17: "key", opList1k: "key", opGet: "key",
		opMethods: "type", opFactors: "factorType", opOneLog: "auth_factor_name",
	}[name]
	var items []map[string]any
	switch name {
	case opGet:
		var one map[string]any
		if err := json.Unmarshal(body, &one); err != nil {
			return nil, err
		}
		items = []map[string]any{one}
	case opOneLog:
		var env struct {
			Data struct {
				OTPDevices []map[string]any `json:"otp_devices"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, err
		}
		items = env.Data.OTPDevices
	default:
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, err
		}
	}
	out := make([]string, len(items))
	for i, it := range items {
		s, ok := it[field].(string)
		if !ok {
			return nil, fmt.Errorf("item %d has no string %q", i, field)
		}
		out[i] = s
	}
	return out, nil
}

// sink keeps benchmark results observable.
var sink int

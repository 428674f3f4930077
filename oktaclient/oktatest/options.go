package oktatest

import (
	"log/slog"
	"net/http"
	"testing"
	"time"
)

// Defaults used by NewServer when no option overrides them.
const (
	// DefaultAPIToken is the API token (sent as "Authorization: SSWS <token>") the fake
	// accepts unless WithAPIToken registers others. It has the shape of an Okta API token.
	DefaultAPIToken = "00oktatest-Fake-API-Token-0123456789abcdef"
	// DefaultRateLimit is the request budget of each operation per window. Okta's real
	// budgets vary by endpoint and org; 600 a minute is a common one.
	DefaultRateLimit = 600
	// DefaultRateWindow is the length of a rate-limit window.
	DefaultRateWindow = time.Minute
	// DefaultPasscodeLifetime is how long an sms, call or email passcode stays valid
	// (Okta's default tokenLifetimeSeconds, 300).
	DefaultPasscodeLifetime = 5 * time.Minute
	// AllOperations names every operation in WithRateLimit and Fault.OperationID.
	AllOperations = "*"
)

// Option configures a Server created by NewServer.
type Option func(*config)

// ResponseHook may rewrite the body of a response the fake's handlers produced, before
// that response is validated against api/okta.yaml and sent. It exists to simulate a
// server that drifts from the document (and to prove the validation catches it);
// whatever it returns is still validated.
type ResponseHook func(operationID string, status int, header http.Header, body []byte) []byte

type rateRule struct {
	limit  int
	window time.Duration
}

type config struct {
	t            testing.TB
	now          func() time.Time
	logger       *slog.Logger
	loggerSet    bool
	seed         bool
	lenient      bool
	hook         ResponseHook
	apiTokens    []string
	bearer       map[string][]string
	rateDefault  rateRule
	rateByOp     map[string]rateRule
	fixedCode    string
	codeLifetime time.Duration

	serviceApps   map[string]serviceAppConfig // WithServiceApp, by client id
	tokenLifetime time.Duration
}

func defaultConfig() config {
	return config{
		now:           time.Now,
		logger:        slog.New(slog.DiscardHandler),
		seed:          true,
		bearer:        map[string][]string{},
		rateDefault:   rateRule{limit: DefaultRateLimit, window: DefaultRateWindow},
		rateByOp:      map[string]rateRule{},
		codeLifetime:  DefaultPasscodeLifetime,
		tokenLifetime: DefaultTokenLifetime,
	}
}

// WithT ties the server to a test: a request or response that does not match
// api/okta.yaml is reported with t.Errorf, and the server is closed by t.Cleanup.
func WithT(t testing.TB) Option {
	return func(c *config) { c.t = t }
}

// WithAPIToken registers an Okta API token, accepted as "Authorization: SSWS <token>" for
// every operation. Once any token is registered this way, DefaultAPIToken is no longer
// accepted. An API token carries an administrator's permissions, so it needs no scopes.
func WithAPIToken(token string) Option {
	return func(c *config) {
		if token != "" {
			c.apiTokens = append(c.apiTokens, token)
		}
	}
}

// WithBearerToken registers an OAuth 2.0 access token, accepted as
// "Authorization: Bearer <token>", granted scopes. An operation whose security
// requirement in api/okta.yaml names scopes the token lacks answers 403 E0000006; as in
// Okta, an okta.<resource>.manage scope also grants okta.<resource>.read.
func WithBearerToken(token string, scopes ...string) Option {
	return func(c *config) {
		if token != "" {
			c.bearer[token] = append([]string(nil), scopes...)
		}
	}
}

// WithRateLimit sets the request budget of one operation (by its operationId, such as
// "listAuthenticators"; see the Op constants) or, with AllOperations, of every
// operation that has no budget of its own. Each operation is its own bucket: when its
// budget is spent it answers 429 E0000047 until its window ends.
func WithRateLimit(operationID string, limit int, window time.Duration) Option {
	return func(c *config) {
		if limit <= 0 || window <= 0 {
			return
		}
		if operationID == AllOperations || operationID == "" {
			c.rateDefault = rateRule{limit: limit, window: window}
			return
		}
		c.rateByOp[operationID] = rateRule{limit: limit, window: window}
	}
}

// WithClock replaces time.Now for timestamps, the Date header, rate-limit windows,
// passcode expiry and TOTP checks.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithLogger sets the logger for the fake's diagnostics (silent by default). Secrets are
// never logged. Without WithT, spec violations are logged at error level here, or on
// slog.Default() when no logger was set, so they are never silent.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger, c.loggerSet = l, true
		}
	}
}

// WithoutSeed starts the server with no users, factors, enrollments or authenticators.
func WithoutSeed() Option {
	return func(c *config) { c.seed = false }
}

// WithLenientRequests stops the fake from reporting requests that do not match
// api/okta.yaml as test failures; they are still answered with 400 E0000001 (or 404 for
// an unknown path), as Okta would. Use it to test a client's handling of rejected
// requests.
func WithLenientRequests() Option {
	return func(c *config) { c.lenient = true }
}

// WithResponseHook installs a ResponseHook.
func WithResponseHook(h ResponseHook) Option {
	return func(c *config) { c.hook = h }
}

// WithFixedPasscode makes every one-time passcode the fake issues (sms, call, email,
// and the codes of hardware and custom tokens) equal to code. By default they are
// random six-digit codes, read with Server.Passcode. TOTP factors always use real
// RFC 6238 codes.
func WithFixedPasscode(code string) Option {
	return func(c *config) { c.fixedCode = code }
}

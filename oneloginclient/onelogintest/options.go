package onelogintest

import (
	"log/slog"
	"net/http"
	"testing"
	"time"
)

// Defaults used by NewServer when no option overrides them.
const (
	// DefaultClientID is the API client id the fake accepts unless WithCredentials sets another.
	DefaultClientID = "onelogintest-client-id"
	// DefaultClientSecret is the API client secret the fake accepts unless WithCredentials sets another.
	DefaultClientSecret = "onelogintest-client-secret"
	// DefaultAccountID is the account_id reported with every access token.
	DefaultAccountID = 555555
	// DefaultTokenLifetime is how long an access token stays valid (OneLogin's 36000 s).
	DefaultTokenLifetime = 10 * time.Hour
	// DefaultRateLimit is the number of v1 calls allowed per window (OneLogin's 5,000 per hour).
	DefaultRateLimit = 5000
	// DefaultRateWindow is the length of a rate-limit window.
	DefaultRateWindow = time.Hour
	// DefaultStateTokenLifetime is how long a state token from Enroll or Activate stays valid.
	DefaultStateTokenLifetime = 120 * time.Second
)

// Option configures a Server created by NewServer.
type Option func(*config)

// ResponseHook may rewrite the body of a response the fake's handlers produced, before that
// response is validated against api/onelogin.yaml and sent. It exists to simulate a server that
// drifts from the document; whatever it returns is still validated.
type ResponseHook func(operationID string, status int, header http.Header, body []byte) []byte

type config struct {
	t             testing.TB
	clientID      string
	clientSecret  string
	accountID     int
	now           func() time.Time
	tokenLifetime time.Duration
	stateLifetime time.Duration
	rateLimit     int
	rateWindow    time.Duration
	logger        *slog.Logger
	loggerSet     bool
	seed          bool
	fixedOTP      string
	lenient       bool
	hook          ResponseHook
}

func defaultConfig() config {
	return config{
		clientID:      DefaultClientID,
		clientSecret:  DefaultClientSecret,
		accountID:     DefaultAccountID,
		now:           time.Now,
		tokenLifetime: DefaultTokenLifetime,
		stateLifetime: DefaultStateTokenLifetime,
		rateLimit:     DefaultRateLimit,
		rateWindow:    DefaultRateWindow,
		logger:        slog.New(slog.DiscardHandler),
		seed:          true,
	}
}

// WithT ties the server to a test: a request or response that does not match
// api/onelogin.yaml is reported with t.Errorf, and the server is closed by t.Cleanup.
func WithT(t testing.TB) Option {
	return func(c *config) { c.t = t }
}

// WithCredentials sets the API credential pair the token endpoint accepts.
func WithCredentials(clientID, clientSecret string) Option {
	return func(c *config) { c.clientID, c.clientSecret = clientID, clientSecret }
}

// WithAccountID sets the account_id reported with access tokens.
func WithAccountID(id int) Option {
	return func(c *config) { c.accountID = id }
}

// WithClock replaces time.Now for token expiry, state tokens, MFA tokens and rate-limit windows.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithTokenLifetime sets how long an access token stays valid.
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.tokenLifetime = d
		}
	}
}

// WithStateTokenLifetime sets the default validity of state tokens from Enroll and Activate
// (a request's state_token_expires_in still wins).
func WithStateTokenLifetime(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.stateLifetime = d
		}
	}
}

// WithRateLimit sets the v1 call budget per window. When it is spent, v1 calls answer 429 until
// the window ends. Token and revoke calls are not counted.
func WithRateLimit(limit int, window time.Duration) Option {
	return func(c *config) {
		if limit > 0 {
			c.rateLimit = limit
		}
		if window > 0 {
			c.rateWindow = window
		}
	}
}

// WithLogger sets the logger for the fake's own diagnostics (silent by default). Secrets are
// never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger, c.loggerSet = l, true
		}
	}
}

// WithoutSeed starts the server with no users, devices or factors.
func WithoutSeed() Option {
	return func(c *config) { c.seed = false }
}

// WithFixedOTP makes every one-time code the fake issues (SMS, voice, authenticator apps,
// OneLogin Protect) equal to code. By default codes come from a deterministic generator and
// are read with Server.OTP.
func WithFixedOTP(code string) Option {
	return func(c *config) { c.fixedOTP = code }
}

// WithLenientRequests stops the fake from reporting requests that do not match
// api/onelogin.yaml as test failures; they are still answered with 400 (or 404 for an unknown
// path), as OneLogin would. Use it to test a client's handling of rejected requests.
func WithLenientRequests() Option {
	return func(c *config) { c.lenient = true }
}

// WithResponseHook installs a ResponseHook.
func WithResponseHook(h ResponseHook) Option {
	return func(c *config) { c.hook = h }
}

package oneloginclient

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/mfakit/mfakit/wrappers"
)

func TestNewValidation(t *testing.T) {
	creds := WithClientCredentials("id", "secret")
	tests := []struct {
		name    string
		url     string
		opts    []Option
		wantErr error
		wantURL string
	}{
		{"https subdomain", "https://example.onelogin.com", []Option{creds}, nil, "https://example.onelogin.com"},
		{"trailing slash", "https://api.eu.onelogin.com/", []Option{creds}, nil, "https://api.eu.onelogin.com"},
		{"loopback http keeps port", "http://127.0.0.1:8443", []Option{creds}, nil, "http://127.0.0.1:8443"},
		{"localhost http", "http://localhost:9000", []Option{creds}, nil, "http://localhost:9000"},
		{"ipv6 loopback", "http://[::1]:9000", []Option{creds}, nil, "http://[::1]:9000"},
		{"plain http remote", "http://example.onelogin.com", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"other scheme", "ftp://example.onelogin.com", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"no scheme", "example.onelogin.com", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"empty", "", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"user info", "https://user:pw@example.onelogin.com", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"query", "https://example.onelogin.com?x=1", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"empty query", "https://example.onelogin.com?", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"fragment", "https://example.onelogin.com#f", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"path", "https://example.onelogin.com/api", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"path with slash", "https://example.onelogin.com/tenant/", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"dot path", "https://example.onelogin.com/..", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"escaped dot path", "https://x.onelogin.com/%2e%2e", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"escaped slash", "https://x.onelogin.com/%2F", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"double slash", "https://x.onelogin.com//", []Option{creds}, wrappers.ErrInvalidBaseURL, ""},
		{"upper-case scheme", "HTTPS://Example.OneLogin.com", []Option{creds}, nil, "https://example.onelogin.com"},
		{"no credentials", "https://example.onelogin.com", nil, ErrInvalidConfig, ""},
		{"two credentials", "https://example.onelogin.com", []Option{creds, WithTokenSource(tokenSourceFunc(nil))}, ErrInvalidConfig, ""},
		{"two client credentials", "https://example.onelogin.com", []Option{creds, WithClientCredentials("id2", "secret2")}, ErrInvalidConfig, ""},
		{"two token sources", "https://example.onelogin.com", []Option{WithTokenSource(tokenSourceFunc(nil)), WithTokenSource(tokenSourceFunc(nil))}, ErrInvalidConfig, ""},
		{"token source then credentials", "https://example.onelogin.com", []Option{WithTokenSource(tokenSourceFunc(nil)), creds}, ErrInvalidConfig, ""},
		{"empty client id", "https://example.onelogin.com", []Option{WithClientCredentials("", "secret")}, ErrInvalidConfig, ""},
		{"empty secret", "https://example.onelogin.com", []Option{WithClientCredentials("id", "")}, ErrInvalidConfig, ""},
		{"nil token source", "https://example.onelogin.com", []Option{WithTokenSource(nil)}, ErrInvalidConfig, ""},
		{"nil http client means the default", "https://example.onelogin.com", []Option{creds, WithHTTPClient(nil)}, nil, "https://example.onelogin.com"},
		{"zero body cap", "https://example.onelogin.com", []Option{creds, WithMaxBodyBytes(0)}, ErrInvalidConfig, ""},
		{"negative retry", "https://example.onelogin.com", []Option{creds, WithRetry(RetryPolicy{MaxAttempts: -1})}, ErrInvalidConfig, ""},
		{"all options", "https://example.onelogin.com", []Option{creds, WithHTTPClient(&http.Client{}), WithLogger(nil),
			WithRetry(RetryPolicy{MaxAttempts: 2}), WithUserAgent("x/1"), WithMaxBodyBytes(1 << 20), nil}, nil, "https://example.onelogin.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.url, tt.opts...)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || c != nil {
					t.Fatalf("New = %v, %v; want error matching %v", c, err, tt.wantErr)
				}
				// Every error from New is a configuration error, with
				// this package's one prefix.
				if !errors.Is(err, ErrInvalidConfig) {
					t.Errorf("New error %v does not match ErrInvalidConfig", err)
				}
				if !strings.HasPrefix(err.Error(), "onelogin: ") || strings.Contains(err.Error(), "oneloginclient") {
					t.Errorf("New error %q: want the prefix \"onelogin: \" only", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if got := c.BaseURL().String(); got != tt.wantURL {
				t.Errorf("BaseURL = %q, want %q", got, tt.wantURL)
			}
		})
	}
}

func TestNewForSubdomain(t *testing.T) {
	creds := WithClientCredentials("id", "secret")
	for sub, want := range map[string]string{
		"example": "https://example.onelogin.com",
		"Acme-EU": "https://acme-eu.onelogin.com",
		"api.us":  "https://api.us.onelogin.com",
	} {
		c, err := NewForSubdomain(sub, creds)
		if err != nil {
			t.Errorf("NewForSubdomain(%q): %v", sub, err)
			continue
		}
		if got := c.BaseURL().String(); got != want {
			t.Errorf("NewForSubdomain(%q) = %q, want %q", sub, got, want)
		}
	}
	for _, sub := range []string{"", "-x", "x-", "a..b", "evil.com/", "x@y", "a b", "exa_mple", "evil.com#"} {
		_, err := NewForSubdomain(sub, creds)
		if !errors.Is(err, wrappers.ErrInvalidBaseURL) || !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("NewForSubdomain(%q) = %v, want ErrInvalidBaseURL and ErrInvalidConfig", sub, err)
		} else if !strings.HasPrefix(err.Error(), "onelogin: ") {
			t.Errorf("NewForSubdomain(%q) error %q: want the prefix \"onelogin: \"", sub, err)
		}
	}
}

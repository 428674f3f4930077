package wrappers

import (
	"errors"
	"net/url"
	"testing"
)

func TestParseBaseURL(t *testing.T) {
	tests := []struct {
		raw     string
		want    string
		wantErr bool
	}{
		{"https://Example.Okta.com", "https://example.okta.com", false},
		{"https://example.okta.com:8443/", "https://example.okta.com:8443/", false},
		{"http://127.0.0.1:5000", "http://127.0.0.1:5000", false},
		{"http://[::1]:5000", "http://[::1]:5000", false},
		{"http://localhost:8080", "http://localhost:8080", false},
		{"http://example.okta.com", "", true},
		{"http://127.0.0.1.example.com", "", true},
		{"https://", "", true},
		{"example.okta.com", "", true},
		{"https://u:p@example.okta.com", "", true},
		{"https://example.okta.com/#x", "", true},
		{"https://example.okta.com:99999", "", true},
		{"javascript:alert(1)", "", true},
		{"https://exa mple.com", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			u, err := ParseBaseURL(tt.raw)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidBaseURL) {
					t.Errorf("ParseBaseURL = %v, %v; want ErrInvalidBaseURL", u, err)
				}
				return
			}
			if err != nil || u.String() != tt.want {
				t.Errorf("ParseBaseURL = %v, %v; want %s", u, err, tt.want)
			}
		})
	}
}

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://x.okta.com", "https://x.okta.com/api/v1?after=1", true},
		{"https://x.okta.com", "https://X.OKTA.COM:443/", true},
		{"http://127.0.0.1", "http://127.0.0.1:80/x", true},
		{"https://x.okta.com", "http://x.okta.com", false},
		{"https://x.okta.com", "https://x.okta.com:8443", false},
		{"https://x.okta.com", "https://y.okta.com", false},
		{"https://x.okta.com", "https://x.okta.com.evil.com", false},
		{"https://x.okta.com", "/relative", false},
		{"https://x.okta.com", "https://x.okta.com@evil.com/", false},
	}
	for _, tt := range tests {
		a, _ := url.Parse(tt.a)
		b, _ := url.Parse(tt.b)
		if got := SameOrigin(a, b); got != tt.want {
			t.Errorf("SameOrigin(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

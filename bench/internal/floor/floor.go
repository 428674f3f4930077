// Package floor is the hand-written baseline the benchmarks measure mfakit
// against: what a careful Go programmer writes without an SDK, with nothing
// but net/http and encoding/json.
//
// A list is decoded into []json.RawMessage (so each item keeps its own raw
// bytes, for a lossless round trip), the discriminator of each item is
// peeked with a one-field struct, and the item is unmarshalled once into a
// small concrete struct chosen by it. `_links` and `_embedded` are not
// decoded: they stay in the raw bytes. Bodies are read with io.ReadAll. It is
// deliberately plain: no pooling, no custom scanner.
package floor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Client calls the Okta and OneLogin endpoints the benchmarks use.
type Client struct {
	base string
	auth string
	http *http.Client
}

// New returns a client for baseURL that sends authorization (for example
// "SSWS token" or "bearer token") as the Authorization header.
func New(baseURL, authorization string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: baseURL, auth: authorization, http: hc}
}

// StatusError is a non-2xx answer.
type StatusError struct {
	StatusCode int
	Body       []byte
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("floor: HTTP %d: %.200s", e.StatusCode, e.Body)
}

func (c *Client) newRequest(ctx context.Context, path string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// get sends a GET and returns the whole 2xx body.
func (c *Client) get(ctx context.Context, path string) ([]byte, error) {
	req, err := c.newRequest(ctx, path)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &StatusError{StatusCode: resp.StatusCode, Body: body}
	}
	return body, nil
}

// GetDiscard sends the same GET as the list calls and throws the body away
// unread (io.Copy to io.Discard): the transport's share of a call. It
// returns the number of body bytes.
func (c *Client) GetDiscard(ctx context.Context, path string) (int64, error) {
	req, err := c.newRequest(ctx, path)
	if err != nil {
		return 0, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return n, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return n, &StatusError{StatusCode: resp.StatusCode}
	}
	return n, nil
}

// ListAuthenticators calls GET /api/v1/authenticators.
func (c *Client) ListAuthenticators(ctx context.Context) ([]Authenticator, error) {
	b, err := c.get(ctx, "/api/v1/authenticators")
	if err != nil {
		return nil, err
	}
	return DecodeAuthenticators(b)
}

// GetAuthenticator calls GET /api/v1/authenticators/{id}.
func (c *Client) GetAuthenticator(ctx context.Context, id string) (Authenticator, error) {
	b, err := c.get(ctx, "/api/v1/authenticators/"+url.PathEscape(id))
	if err != nil {
		return nil, err
	}
	return DecodeAuthenticator(b)
}

// ListAuthenticatorMethods calls GET /api/v1/authenticators/{id}/methods.
func (c *Client) ListAuthenticatorMethods(ctx context.Context, authenticatorID string) ([]Method, error) {
	b, err := c.get(ctx, "/api/v1/authenticators/"+url.PathEscape(authenticatorID)+"/methods")
	if err != nil {
		return nil, err
	}
	return DecodeMethods(b)
}

// ListFactors calls GET /api/v1/users/{id}/factors.
func (c *Client) ListFactors(ctx context.Context, userID string) ([]Factor, error) {
	b, err := c.get(ctx, "/api/v1/users/"+url.PathEscape(userID)+"/factors")
	if err != nil {
		return nil, err
	}
	return DecodeFactors(b)
}

// ListEnrolledFactors calls OneLogin's GET /api/1/users/{id}/otp_devices.
func (c *Client) ListEnrolledFactors(ctx context.Context, userID int64) ([]OTPDevice, error) {
	b, err := c.get(ctx, fmt.Sprintf("/api/1/users/%d/otp_devices", userID))
	if err != nil {
		return nil, err
	}
	return DecodeOTPDevices(b)
}

// decodeList splits a JSON array into its items' raw bytes and hands each
// to one, which peeks and decodes it.
func decodeList[T any](b []byte, one func(raw json.RawMessage) (T, error)) ([]T, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return nil, err
	}
	out := make([]T, 0, len(raws))
	for _, r := range raws {
		v, err := one(r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// unmarshal decodes raw into v and returns v.
func unmarshal[T any, P interface {
	*T
	setRaw(json.RawMessage)
}](raw json.RawMessage) (P, error) {
	p := P(new(T))
	if err := json.Unmarshal(raw, p); err != nil {
		return nil, err
	}
	p.setRaw(raw)
	return p, nil
}

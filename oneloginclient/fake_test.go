package oneloginclient

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mfakit/mfakit/oneloginclient/onelogintest"
)

// These tests run whole flows against the stateful fake in
// oneloginclient/onelogintest, which validates every request and response
// against api/onelogin.yaml.

func newFakeClient(t *testing.T, srvOpts ...onelogintest.Option) (*onelogintest.Server, *Client, *fakeSleep) {
	t.Helper()
	srv := onelogintest.NewServer(append([]onelogintest.Option{onelogintest.WithT(t)}, srvOpts...)...)
	fs := &fakeSleep{}
	c, err := New(srv.URL, WithClientCredentials(srv.ClientID(), srv.ClientSecret()),
		WithHTTPClient(srv.Client()), withSleep(fs.Sleep))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return srv, c, fs
}

func TestFakeSMSFlow(t *testing.T) {
	srv, c, _ := newFakeClient(t)
	ctx := context.Background()
	user := int64(onelogintest.SeedUserAlan)

	factors, err := c.ListAvailableFactors(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	var sms int64
	for _, f := range factors {
		if f.FactorID == onelogintest.SeedFactorSMS {
			sms = f.FactorID
		}
	}
	if sms == 0 {
		t.Fatalf("SMS factor not in %+v", factors)
	}

	_, err = c.EnrollFactor(ctx, user, EnrollRequest{FactorID: sms, DisplayName: "Work phone", Number: "not a number"})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrBadRequest) || e.Attribute != "number" || e.Message == "" {
		t.Fatalf("enroll with a bad number: %v, want a 400 *Error about attribute number", err)
	}

	dev, err := c.EnrollFactor(ctx, user, EnrollRequest{FactorID: sms, DisplayName: "Work phone", Number: "+15555550100"})
	if err != nil {
		t.Fatal(err)
	}
	if dev.Active || dev.ID == 0 {
		t.Fatalf("enrolled device = %+v, want inactive with an id", dev)
	}
	act, err := c.ActivateFactor(ctx, user, dev.ID, ActivateRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if act.UserID != user || act.DeviceID != dev.ID || act.StateToken == "" {
		t.Fatalf("activation = %+v, want user %d device %d", act, user, dev.ID)
	}
	err = c.VerifyFactor(ctx, user, dev.ID, VerifyRequest{StateToken: act.StateToken, OTP: "000000-wrong"})
	if !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("wrong code: %v, want ErrInvalidCode", err)
	}
	code, ok := srv.OTP(int(user), int(dev.ID))
	if !ok {
		t.Fatal("fake has no code")
	}
	if err := c.VerifyFactor(ctx, user, dev.ID, VerifyRequest{StateToken: act.StateToken, OTP: code}); err != nil {
		t.Fatalf("right code: %v", err)
	}
	devs, err := c.ListEnrolledFactors(ctx, user)
	if err != nil || len(devs) != 1 || !devs[0].Active {
		t.Fatalf("after verify: %+v, %v; want one active device", devs, err)
	}
	if err := c.RemoveFactor(ctx, user, dev.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveFactor(ctx, user, dev.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second remove: %v, want ErrNotFound", err)
	}
	if _, err := c.ListEnrolledFactors(ctx, 99999999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown user: %v, want ErrNotFound", err)
	}
}

func TestFakeDuplicateDevicesKept(t *testing.T) {
	srv, c, _ := newFakeClient(t)
	devs, err := c.ListEnrolledFactors(context.Background(), onelogintest.SeedUserAda)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range devs {
		if d.ID == onelogintest.SeedDeviceAdaProtect {
			n++
		}
	}
	if n != 2 {
		t.Errorf("Protect device listed %d times, want 2 (push and code): %+v", n, devs)
	}
	if len(srv.Devices(onelogintest.SeedUserAda))+1 != len(devs) {
		t.Errorf("got %d entries for %d devices", len(devs), len(srv.Devices(onelogintest.SeedUserAda)))
	}
}

func TestFakePushPoll(t *testing.T) {
	ctx := context.Background()
	user, device := int64(onelogintest.SeedUserAda), int64(onelogintest.SeedDeviceAdaProtect)

	t.Run("approved", func(t *testing.T) {
		srv, c, fs := newFakeClient(t)
		act, err := c.ActivateFactor(ctx, user, device, ActivateRequest{})
		if err != nil {
			t.Fatal(err)
		}
		err = c.VerifyFactor(ctx, user, device, VerifyRequest{StateToken: act.StateToken})
		if !errors.Is(err, ErrPending) {
			t.Fatalf("first poll: %v, want ErrPending", err)
		}
		fs.onSleep = func(n int) {
			if n == 3 {
				if err := srv.ApprovePush(int(user), int(device)); err != nil {
					t.Error(err)
				}
			}
		}
		if err := c.PollPush(ctx, user, device, act.StateToken, PollOptions{Interval: time.Second}); err != nil {
			t.Fatalf("PollPush: %v", err)
		}
		if w := fs.Waits(); len(w) != 3 || w[0] != time.Second {
			t.Errorf("waits = %v, want three of 1 s", w)
		}
		if n := srv.CallCount(onelogintest.OpGenerateToken); n != 1 {
			t.Errorf("token fetched %d times while polling, want 1", n)
		}
	})
	t.Run("denied", func(t *testing.T) {
		srv, c, fs := newFakeClient(t)
		act, err := c.ActivateFactor(ctx, user, device, ActivateRequest{})
		if err != nil {
			t.Fatal(err)
		}
		fs.onSleep = func(n int) { srv.DenyPush(int(user), int(device)) }
		err = c.PollPush(ctx, user, device, act.StateToken, PollOptions{})
		if !errors.Is(err, ErrInvalidCode) {
			t.Fatalf("PollPush: %v, want ErrInvalidCode", err)
		}
		if w := fs.Waits(); len(w) != 1 || w[0] != DefaultPollInterval {
			t.Errorf("waits = %v", w)
		}
	})
	t.Run("expired by the clock", func(t *testing.T) {
		_, c, fs := newFakeClient(t)
		act, err := c.ActivateFactor(ctx, user, device, ActivateRequest{})
		if err != nil {
			t.Fatal(err)
		}
		// The fake clock moves 50 s per wait; the state token says 120 s.
		var clock testClock
		clock.set(time.Now())
		c.now = clock.get
		fs.onSleep = func(int) { clock.add(50 * time.Second) }
		expires := act.StateTokenExpiresAt
		if expires.IsZero() {
			expires = clock.get().Add(120 * time.Second)
		}
		err = c.PollPush(ctx, user, device, act.StateToken, PollOptions{Interval: 50 * time.Second, ExpiresAt: expires})
		if !errors.Is(err, ErrStateTokenExpired) || errors.Is(err, ErrPending) {
			t.Fatalf("PollPush: %v, want ErrStateTokenExpired", err)
		}
		w := fs.Waits()
		if len(w) < 2 || w[len(w)-1] > 50*time.Second {
			t.Errorf("waits = %v", w)
		}
	})
	t.Run("context ends", func(t *testing.T) {
		_, c, fs := newFakeClient(t)
		act, err := c.ActivateFactor(ctx, user, device, ActivateRequest{})
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithCancel(ctx)
		fs.onSleep = func(n int) {
			if n == 2 {
				cancel()
			}
		}
		err = c.PollPush(cctx, user, device, act.StateToken, PollOptions{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("PollPush: %v, want context.Canceled", err)
		}
	})
	t.Run("bad state token", func(t *testing.T) {
		_, c, _ := newFakeClient(t)
		err := c.PollPush(ctx, user, device, "no-such-state-token", PollOptions{})
		if !errors.Is(err, ErrStateTokenExpired) {
			t.Fatalf("PollPush: %v, want ErrStateTokenExpired", err)
		}
	})
}

func TestFakeMFAToken(t *testing.T) {
	_, c, _ := newFakeClient(t)
	ctx := context.Background()
	user := int64(onelogintest.SeedUserGrace)
	for _, reusable := range []bool{false, true} {
		tok, err := c.GenerateMFAToken(ctx, user, MFATokenRequest{ExpiresIn: 10 * time.Minute, Reusable: reusable})
		if err != nil {
			t.Fatal(err)
		}
		if tok.Reusable != reusable || tok.Token.Reveal() == "" || tok.ExpiresAt.IsZero() {
			t.Fatalf("token = %+v, want reusable %v with an expiry", tok, reusable)
		}
		if err := c.VerifyFactor(ctx, user, 0, VerifyRequest{OTP: tok.Token.Reveal()}); err != nil {
			t.Fatalf("verify MFA token: %v", err)
		}
		err = c.VerifyFactor(ctx, user, 0, VerifyRequest{OTP: tok.Token.Reveal()})
		if reusable && err != nil {
			t.Errorf("reusing a reusable token: %v", err)
		}
		if !reusable && !errors.Is(err, ErrInvalidCode) {
			t.Errorf("reusing a single-use token: %v, want ErrInvalidCode", err)
		}
	}
	if _, err := c.GenerateMFAToken(ctx, 99999999, MFATokenRequest{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown user: %v, want ErrNotFound (wrapped error of an unwrapped operation)", err)
	}
}

func TestFakeTokenExpiryMidRun(t *testing.T) {
	srv, c, _ := newFakeClient(t)
	ctx := context.Background()
	if _, err := c.ListEnrolledFactors(ctx, onelogintest.SeedUserAda); err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	if _, err := c.ListEnrolledFactors(ctx, onelogintest.SeedUserAda); err != nil {
		t.Fatalf("after the fake expired the token: %v", err)
	}
	if n := srv.CallCount(onelogintest.OpGenerateToken); n != 2 {
		t.Errorf("token endpoint called %d times, want 2", n)
	}
}

func TestFakeRateLimit(t *testing.T) {
	srv, c, fs := newFakeClient(t, onelogintest.WithRateLimit(5000, 3*time.Second))
	srv.SetRateLimitRemaining(0)
	_, err := c.ListEnrolledFactors(context.Background(), onelogintest.SeedUserAda)
	w := fs.Waits()
	// The fake's window resets within 3 s; the real wait is skipped (fake
	// sleep), so the retry may be limited again, but every wait must be a
	// few seconds, never an epoch-sized one.
	if len(w) == 0 {
		t.Fatalf("no wait after a 429 (err %v)", err)
	}
	for _, d := range w {
		if d <= 0 || d > 3*time.Second {
			t.Errorf("wait %s, want (0, 3 s]", d)
		}
	}
	if err != nil && !errors.Is(err, ErrRateLimited) {
		t.Errorf("err = %v, want nil or ErrRateLimited", err)
	}
}

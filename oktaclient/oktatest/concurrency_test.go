package oktatest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	okta "github.com/mfakit/mfakit/gen/okta"
	"github.com/mfakit/mfakit/oktaclient/oktatest"
)

// TestConcurrentUse drives the fake from many goroutines at once, API calls and helpers
// mixed, for the race detector; every answer must still be one the document allows.
func TestConcurrentUse(t *testing.T) {
	srv, c := newFake(t, oktatest.WithRateLimit(oktatest.AllOperations, 100000, time.Minute))
	ctx := context.Background()
	phone := mustID(t, srv, "phone_number")
	const workers, rounds = 8, 10
	emailFactor := enrollBody(t, map[string]any{"factorType": "email"})
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*4)
	for w := range workers {
		user, err := srv.AddUser(oktatest.User{Login: fmt.Sprintf("worker%d@example.com", w)})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			check := func(what string, status int, err error, want ...int) {
				if err != nil {
					errs <- fmt.Errorf("%s: %w", what, err)
					return
				}
				for _, s := range want {
					if s == status {
						return
					}
				}
				errs <- fmt.Errorf("%s: HTTP %d", what, status)
			}
			for i := range rounds {
				if i == 0 {
					r, err := c.ListAuthenticatorsWithResponse(ctx)
					check("list", statusOr(r, err), err, 200)
				}
				r1, err := c.GetAuthenticatorWithResponse(ctx, phone)
				check("get", statusOr(r1, err), err, 200)
				if i%2 == 0 {
					r, err := c.DeactivateAuthenticatorWithResponse(ctx, phone)
					check("deactivate", statusOr(r, err), err, 200)
				} else {
					r, err := c.ActivateAuthenticatorWithResponse(ctx, phone)
					check("activate", statusOr(r, err), err, 200)
				}
				enr, err := c.EnrollFactorWithResponse(ctx, user, nil, emailFactor)
				check("enroll", statusOr(enr, err), err, 200)
				var enrolled struct {
					ID string `json:"id"`
				}
				if err == nil && json.Unmarshal(enr.Body, &enrolled) == nil && enrolled.ID != "" {
					id := enrolled.ID
					code, _ := srv.Passcode(user, id)
					act, err := c.ActivateFactorWithResponse(ctx, user, id, okta.UserFactorActivateRequest{PassCode: &code})
					check("activate factor", statusOr(act, err), err, 200)
					un, err := c.UnenrollFactorWithResponse(ctx, user, id, nil)
					check("unenroll", statusOr(un, err), err, 204)
				}
				_ = srv.Users()
				_ = srv.Authenticators()
				srv.Delay(0)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := srv.CallCount(oktatest.OpGetAuthenticator); n != workers*rounds {
		t.Errorf("CallCount(getAuthenticator) = %d, want %d", n, workers*rounds)
	}
}

func statusOr[R interface{ StatusCode() int }](r R, err error) int {
	if err != nil {
		return 0
	}
	return r.StatusCode()
}

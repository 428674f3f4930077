package oktaclient

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mfakit/mfakit/wrappers"
)

// pagedFactors serves n pages of factors at /api/v1/users/00u1/factors,
// linking each page to the next with a relative or absolute Link header.
func pagedFactors(pages int, absolute func(r *http.Request) string) func(http.ResponseWriter, *http.Request, []byte) {
	return func(w http.ResponseWriter, r *http.Request, _ []byte) {
		page := 0
		fmt.Sscanf(r.URL.Query().Get("after"), "p%d", &page)
		if page+1 < pages {
			next := fmt.Sprintf("/api/v1/users/00u1/factors?after=p%d&limit=2", page+1)
			if absolute != nil {
				next = absolute(r) + next
			}
			w.Header().Add("Link", `<`+absolute0(r)+`/api/v1/users/00u1/factors?limit=2>; rel="self"`)
			w.Header().Add("Link", `<`+next+`>; rel="next"`)
		}
		items := []string{
			strings.Replace(factorFixtures[FactorSMS], `"id":"mbl1"`, fmt.Sprintf(`"id":"p%da"`, page), 1),
			strings.Replace(factorFixtures[FactorPush], `"id":"opf1"`, fmt.Sprintf(`"id":"p%db"`, page), 1),
		}
		jsonAnswer(200, jsonArray(items...))(w, r, nil)
	}
}

func absolute0(r *http.Request) string { return "http://" + r.Host }

func TestListFollowsNextLinks(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"relative", "absolute"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			var abs func(*http.Request) string
			if mode == "absolute" {
				abs = absolute0
			}
			c, rc, _ := serve(t, pagedFactors(3, abs))
			fs, err := c.ListFactors(t.Context(), "00u1")
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, f := range fs {
				ids = append(ids, f.Common().ID)
			}
			if got := strings.Join(ids, ","); got != "p0a,p0b,p1a,p1b,p2a,p2b" {
				t.Errorf("ids = %s", got)
			}
			reqs := rc.requests()
			if len(reqs) != 3 || reqs[2].RequestURI != "/api/v1/users/00u1/factors?after=p2&limit=2" {
				t.Errorf("requests: %+v", reqs)
			}
			for _, r := range reqs {
				if r.Header.Get("Authorization") != "SSWS "+testToken {
					t.Errorf("page request without the credential")
				}
			}
		})
	}
}

func TestIteratorStreamsAndStops(t *testing.T) {
	t.Parallel()
	c, rc, _ := serve(t, pagedFactors(5, nil))
	n := 0
	for f, err := range c.ListFactorsIter(t.Context(), "00u1") {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if f.Common().ID == "p1a" {
			break
		}
	}
	if n != 3 {
		t.Errorf("yielded %d factors before stopping, want 3", n)
	}
	if got := len(rc.requests()); got != 2 {
		t.Errorf("fetched %d pages, want 2 (lazy)", got)
	}
	// A bad id yields its error once.
	for _, err := range c.ListFactorsIter(t.Context(), "..") {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("err = %v", err)
		}
	}
}

// TestNextLinkToAnotherHostRefused: a next link to another origin ends the
// list with an error, and the credential never reaches that host.
func TestNextLinkToAnotherHostRefused(t *testing.T) {
	t.Parallel()
	var evilHits atomic.Int32
	var leaked atomic.Bool
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		evilHits.Add(1)
		if r.Header.Get("Authorization") != "" {
			leaked.Store(true)
		}
		io.WriteString(w, `[]`)
	}))
	t.Cleanup(evil.Close)
	links := map[string]string{
		"other host":   evil.URL + "/api/v1/authenticators?after=x",
		"https on org": "https://" + strings.TrimPrefix(evil.URL, "http://") + "/x",
		"other port":   "http://127.0.0.1:1/api/v1/authenticators",
		"other scheme": "ftp://127.0.0.1/x",
		"protocol rel": "//" + strings.TrimPrefix(evil.URL, "http://") + "/x",
	}
	for name, link := range links {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := serve(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				w.Header().Set("Link", `<`+link+`>; rel="next"`)
				jsonAnswer(200, jsonArray(authenticatorFixtures[KeyOktaVerify]))(w, r, nil)
			})
			list, err := c.ListAuthenticators(t.Context())
			if list != nil || !errors.Is(err, wrappers.ErrForeignOrigin) {
				t.Errorf("got %d items, err %v; want nil and ErrForeignOrigin", len(list), err)
			}
			var items int
			var iterErr error
			for a, err := range c.ListAuthenticatorsIter(t.Context()) {
				if err != nil {
					iterErr = err
					break
				}
				if a != nil {
					items++
				}
			}
			if items != 1 || !errors.Is(iterErr, wrappers.ErrForeignOrigin) {
				t.Errorf("iterator: %d items, err %v", items, iterErr)
			}
		})
	}
	if evilHits.Load() != 0 || leaked.Load() {
		t.Errorf("the other host got %d requests (credential leaked: %v)", evilHits.Load(), leaked.Load())
	}
}

func TestPagingLoopDetected(t *testing.T) {
	t.Parallel()
	c, rc, _ := serve(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		next := "/api/v1/users/00u1/factors?after=a"
		if r.URL.Query().Get("after") == "a" {
			next = "/api/v1/users/00u1/factors?after=b"
		} else if r.URL.Query().Get("after") == "b" {
			next = "/api/v1/users/00u1/factors?after=a"
		}
		w.Header().Set("Link", `<`+next+`>; rel="next"`)
		jsonAnswer(200, `[]`)(w, r, nil)
	})
	_, err := c.ListFactors(t.Context(), "00u1")
	if !errors.Is(err, wrappers.ErrPagingLoop) {
		t.Errorf("err = %v, want ErrPagingLoop", err)
	}
	if n := len(rc.requests()); n > 4 {
		t.Errorf("%d requests before the loop was caught", n)
	}
}

func TestListEmptyIsNotNil(t *testing.T) {
	t.Parallel()
	c, _, _ := serve(t, jsonAnswer(200, `[]`))
	list, err := c.ListAuthenticators(t.Context())
	if err != nil || list == nil || len(list) != 0 {
		t.Errorf("got %#v, %v; want an empty, non-nil list", list, err)
	}
	sf, err := c.ListSupportedFactors(t.Context(), "00u1")
	if err != nil || sf == nil {
		t.Errorf("supported factors: %#v, %v", sf, err)
	}
}

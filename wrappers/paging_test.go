package wrappers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

func TestParseLinkNext(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		want    string // "" means no next link
		wantErr bool
	}{
		{"none", nil, "", false},
		{"only self", []string{`<https://x.okta.com/api/v1/users?limit=2>; rel="self"`}, "", false},
		{"Okta: self and next in two headers", []string{
			`<https://x.okta.com/api/v1/users?limit=2>; rel="self"`,
			`<https://x.okta.com/api/v1/users?after=00u2&limit=2>; rel="next"`,
		}, "https://x.okta.com/api/v1/users?after=00u2&limit=2", false},
		{"two links in one header", []string{`<https://a/1>; rel="self", <https://a/2>; rel="next"`}, "https://a/2", false},
		{"unquoted rel", []string{`<https://a/2>;rel=next`}, "https://a/2", false},
		{"several relation types", []string{`<https://a/2>; rel="next last"`}, "https://a/2", false},
		{"case-insensitive", []string{`<https://a/2>; REL="NEXT"`}, "https://a/2", false},
		{"comma and semicolon inside quotes", []string{`<https://a/1>; title="a, b; <c>"; rel="prev", <https://a/2>; rel="next"`}, "https://a/2", false},
		{"escaped quote", []string{`<https://a/2>; title="say \"hi\""; rel="next"`}, "https://a/2", false},
		{"comma in URL", []string{`<https://a/2?x=1,2>; rel="next"`}, "https://a/2?x=1,2", false},
		{"first rel wins", []string{`<https://a/2>; rel="prev"; rel="next"`}, "", false},
		{"relation 'nextpage' is not next", []string{`<https://a/2>; rel="nextpage"`}, "", false},
		{"relative", []string{`</api/v1/users?after=x>; rel="next"`}, "/api/v1/users?after=x", false},
		{"same next twice", []string{`<https://a/2>; rel="next"`, `<https://a/2>; rel=next`}, "https://a/2", false},
		{"empty elements", []string{` , <https://a/2>; rel="next" ,, `}, "https://a/2", false},
		{"two different next links", []string{`<https://a/2>; rel="next", <https://a/3>; rel="next"`}, "", true},
		{"missing <", []string{`https://a/2; rel="next"`}, "", true},
		{"unterminated <", []string{`<https://a/2; rel="next"`}, "", true},
		{"unterminated quote", []string{`<https://a/2>; rel="next`}, "", true},
		{"junk after link", []string{`<https://a/2> rel="next"`}, "", true},
		{"empty parameter", []string{`<https://a/2>; ; rel="next"`}, "", true},
		{"empty value", []string{`<https://a/2>; rel=`}, "", true},
		{"bad URL", []string{"<https://a/%zz>; rel=next"}, "", true},
		{"malformed header even without next", []string{`<https://a/1>; rel="self"`, `garbage`}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range tt.headers {
				h.Add("Link", v)
			}
			got, err := ParseLinkNext(h)
			if tt.wantErr {
				var le *LinkHeaderError
				if !errors.As(err, &le) || !errors.Is(err, ErrMalformedLink) || got != nil {
					t.Fatalf("ParseLinkNext = %v, %v; want *LinkHeaderError", got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseLinkNext: %v", err)
			}
			if (got == nil) != (tt.want == "") || (got != nil && got.String() != tt.want) {
				t.Errorf("ParseLinkNext = %v, want %q", got, tt.want)
			}
		})
	}
}

func TestNextLinkResolvesRelative(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://x.okta.com/api/v1/users?limit=1", nil)
	resp := &http.Response{Request: req, Header: http.Header{"Link": {`</api/v1/users?after=a>; rel="next"`}}}
	u, err := NextLink(resp)
	if err != nil || u.String() != "https://x.okta.com/api/v1/users?after=a" {
		t.Errorf("NextLink = %v, %v", u, err)
	}
}

// pagedServer serves /items?page=N with three items per page and a Link to
// the page linkTo(N) returns ("" for none).
func pagedServer(t *testing.T, pages int, linkTo func(s *server, page int) string) *server {
	var s *server
	s = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page == 0 {
			page = 1
		}
		if next := linkTo(s, page); next != "" {
			w.Header().Add("Link", fmt.Sprintf(`<%s>; rel="self"`, r.URL))
			w.Header().Add("Link", fmt.Sprintf(`<%s>; rel="next"`, next))
		}
		items := []int{}
		if page <= pages {
			items = []int{page*10 + 1, page*10 + 2, page*10 + 3}
		}
		json.NewEncoder(w).Encode(items)
	})
	return s
}

// fetchInts is what a face supplies: GET the page, decode items, read Link.
func fetchInts(client *http.Client, first string) PageFunc[int] {
	return func(ctx context.Context, next *url.URL) (Page[int], error) {
		u := first
		if next != nil {
			u = next.String()
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return Page[int]{}, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return Page[int]{}, err
		}
		defer resp.Body.Close()
		var p Page[int]
		if err := json.NewDecoder(resp.Body).Decode(&p.Items); err != nil {
			return Page[int]{}, err
		}
		p.Next, err = NextLink(resp)
		return p, err
	}
}

func TestPaginateFollowsPages(t *testing.T) {
	s := pagedServer(t, 3, func(s *server, page int) string {
		if page >= 3 {
			return ""
		}
		return fmt.Sprintf("%s/items?page=%d", s.URL, page+1)
	})
	got, err := CollectAll(Paginate(t.Context(), s.BaseURL(t), fetchInts(s.Client(), s.URL+"/items")))
	want := []int{11, 12, 13, 21, 22, 23, 31, 32, 33}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("CollectAll = %v, %v; want %v", got, err, want)
	}
	if s.Hits() != 3 {
		t.Errorf("hits = %d, want 3", s.Hits())
	}
}

func TestPaginateRelativeLinks(t *testing.T) {
	s := pagedServer(t, 2, func(s *server, page int) string {
		if page >= 2 {
			return ""
		}
		return "/items?page=2"
	})
	got, err := CollectAll(Paginate(t.Context(), s.BaseURL(t), fetchInts(s.Client(), s.URL+"/items")))
	if err != nil || len(got) != 6 {
		t.Errorf("CollectAll = %v, %v", got, err)
	}
}

func TestPaginateRefusesForeignNextLink(t *testing.T) {
	foreign := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("[99]")) })
	s := pagedServer(t, 3, func(s *server, page int) string {
		return foreign.URL + "/items?page=2"
	})
	got, err := CollectAll(Paginate(t.Context(), s.BaseURL(t), fetchInts(s.Client(), s.URL+"/items")))
	var fe *ForeignOriginError
	if !errors.As(err, &fe) || fe.Op != "next link" {
		t.Fatalf("err = %v, want a next-link *ForeignOriginError", err)
	}
	if fmt.Sprint(got) != "[11 12 13]" {
		t.Errorf("items before the error = %v, want page 1's", got)
	}
	if foreign.Hits() != 0 {
		t.Errorf("foreign server got %d requests", foreign.Hits())
	}
}

func TestPaginateDetectsLoop(t *testing.T) {
	tests := []struct {
		name     string
		linkTo   func(s *server, page int) string
		wantHits int
	}{
		{"page links to itself", func(s *server, page int) string { return s.URL + "/items?page=2" }, 2},
		{"2 -> 3 -> 2", func(s *server, page int) string {
			return fmt.Sprintf("%s/items?page=%d", s.URL, map[int]int{1: 2, 2: 3, 3: 2}[page])
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := pagedServer(t, 3, tt.linkTo)
			_, err := CollectAll(Paginate(t.Context(), s.BaseURL(t), fetchInts(s.Client(), s.URL+"/items")))
			var le *PagingLoopError
			if !errors.As(err, &le) || !errors.Is(err, ErrPagingLoop) {
				t.Fatalf("err = %v, want *PagingLoopError", err)
			}
			if s.Hits() != tt.wantHits {
				t.Errorf("hits = %d, want %d", s.Hits(), tt.wantHits)
			}
		})
	}
}

func TestPaginateStopsEarly(t *testing.T) {
	s := pagedServer(t, 3, func(s *server, page int) string {
		return fmt.Sprintf("%s/items?page=%d", s.URL, page+1)
	})
	var got []int
	for v, err := range Paginate(t.Context(), s.BaseURL(t), fetchInts(s.Client(), s.URL+"/items")) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
		if len(got) == 4 {
			break
		}
	}
	if fmt.Sprint(got) != "[11 12 13 21]" || s.Hits() != 2 {
		t.Errorf("got %v with %d hits; want 4 items from 2 pages", got, s.Hits())
	}
}

func TestPaginateStopsOnErrorAndContext(t *testing.T) {
	boom := errors.New("page 2 failed")
	fetch := func(ctx context.Context, next *url.URL) (Page[string], error) {
		if next == nil {
			return Page[string]{Items: []string{"a"}, Next: &url.URL{Path: "/p2"}}, nil
		}
		return Page[string]{}, boom
	}
	origin, _ := url.Parse("https://x.okta.com")
	got, err := CollectAll(Paginate(t.Context(), origin, fetch))
	if !errors.Is(err, boom) || fmt.Sprint(got) != "[a]" {
		t.Errorf("CollectAll = %v, %v", got, err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	calls := 0
	seq := Paginate(ctx, origin, func(ctx context.Context, next *url.URL) (Page[string], error) {
		calls++
		cancel()
		return Page[string]{Items: []string{"a"}, Next: &url.URL{Path: fmt.Sprintf("/p%d", calls)}}, nil
	})
	if _, err := CollectAll(seq); !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("err = %v after %d calls, want context.Canceled after 1", err, calls)
	}
}

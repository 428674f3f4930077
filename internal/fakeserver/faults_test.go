package fakeserver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

type testFault struct{ name string }

func TestFaultQueueTake(t *testing.T) {
	tests := []struct {
		name     string
		push     func(q *FaultQueue[testFault])
		takes    []string // operation ids, "!op" for a call wildcards may not affect
		want     []string // fault names taken, "" for none
		wantLast string
	}{
		{
			name:  "times counts uses, then the queue is empty",
			push:  func(q *FaultQueue[testFault]) { q.Push(testFault{"a"}, "", 2) },
			takes: []string{"x", "y", "x"},
			want:  []string{"a", "a", ""},
		},
		{
			name:  "zero times means one",
			push:  func(q *FaultQueue[testFault]) { q.Push(testFault{"a"}, "", 0) },
			takes: []string{"x", "x"},
			want:  []string{"a", ""},
		},
		{
			name: "faults apply in the order injected",
			push: func(q *FaultQueue[testFault]) {
				q.Push(testFault{"a"}, "", 1)
				q.Push(testFault{"b"}, "", 1)
			},
			takes: []string{"x", "x", "x"},
			want:  []string{"a", "b", ""},
		},
		{
			name: "a fault for one operation waits for it, later faults go first",
			push: func(q *FaultQueue[testFault]) {
				q.Push(testFault{"op"}, "list", 1)
				q.Push(testFault{"any"}, "", 1)
			},
			takes: []string{"get", "get", "list"},
			want:  []string{"any", "", "op"},
		},
		{
			name: "a wildcard fault skips calls excluded from wildcards",
			push: func(q *FaultQueue[testFault]) {
				q.Push(testFault{"any"}, "", 1)
				q.Push(testFault{"token"}, "token", 1)
			},
			takes: []string{"!token", "!token", "get"},
			want:  []string{"token", "", "any"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var q FaultQueue[testFault]
			tc.push(&q)
			for i, op := range tc.takes {
				wildcard := !strings.HasPrefix(op, "!")
				f, ok := q.Take(strings.TrimPrefix(op, "!"), wildcard)
				if got := f.name; got != tc.want[i] || ok != (tc.want[i] != "") {
					t.Errorf("take %d (%s) = %q, %v; want %q", i, op, got, ok, tc.want[i])
				}
			}
		})
	}
}

func TestFaultQueueDelayAndClear(t *testing.T) {
	var q FaultQueue[testFault]
	q.SetDelay(-time.Second)
	if d := q.Delay(); d != 0 {
		t.Errorf("negative delay stored as %v", d)
	}
	q.SetDelay(time.Minute)
	q.Push(testFault{"a"}, "", 5)
	q.Clear()
	if d := q.Delay(); d != 0 {
		t.Errorf("Clear left delay %v", d)
	}
	if _, ok := q.Take("x", true); ok {
		t.Error("Clear left a fault")
	}
}

func TestSleep(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	closed := make(chan struct{})
	close(closed)
	tests := []struct {
		name string
		ctx  context.Context
		done <-chan struct{}
		d    time.Duration
		want bool
	}{
		{"no wait", cancelled, closed, 0, true},
		{"full wait", context.Background(), nil, time.Millisecond, true},
		{"context ends", cancelled, nil, time.Hour, false},
		{"server closes", context.Background(), closed, time.Hour, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sleep(tc.ctx, tc.done, tc.d); got != tc.want {
				t.Errorf("Sleep = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestFaultWriters drives each provider-neutral fault through a real loopback server and
// client, since truncation and dropping are only visible on the wire.
func TestFaultWriters(t *testing.T) {
	body := []byte(`{"id":"0123456789"}`)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		check   func(t *testing.T, res *http.Response, got []byte, err error)
	}{
		{
			name:    "HTML page with default status",
			handler: func(w http.ResponseWriter, _ *http.Request) { WriteHTML(w, 0) },
			check: func(t *testing.T, res *http.Response, got []byte, err error) {
				if err != nil || res.StatusCode != http.StatusBadGateway ||
					!strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
					!strings.HasPrefix(string(got), "<!DOCTYPE html>") || !strings.Contains(string(got), "502 Bad Gateway") {
					t.Errorf("%v %v %q", err, res, got)
				}
			},
		},
		{
			name:    "HTML page with a status",
			handler: func(w http.ResponseWriter, _ *http.Request) { WriteHTML(w, http.StatusServiceUnavailable) },
			check: func(t *testing.T, res *http.Response, got []byte, err error) {
				if err != nil || res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(got), "503 Service Unavailable") {
					t.Errorf("%v %v %q", err, res, got)
				}
			},
		},
		{
			name:    "truncated body",
			handler: func(w http.ResponseWriter, _ *http.Request) { WriteTruncated(w, http.StatusOK, body) },
			check: func(t *testing.T, res *http.Response, got []byte, err error) {
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("err = %v, want an unexpected EOF", err)
				}
				if string(got) != string(body[:len(body)/2]) || res.ContentLength != int64(len(body)) {
					t.Errorf("got %q of declared %d", got, res.ContentLength)
				}
			},
		},
		{
			name:    "dropped connection",
			handler: func(w http.ResponseWriter, _ *http.Request) { Drop(w) },
			check: func(t *testing.T, res *http.Response, _ []byte, err error) {
				if err == nil {
					t.Errorf("no error, got HTTP %d", res.StatusCode)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			t.Cleanup(srv.Close)
			// A POST, so that the transport does not silently retry a dropped request.
			res, err := srv.Client().Post(srv.URL, "application/json", strings.NewReader("{}"))
			var got []byte
			if err == nil {
				got, err = io.ReadAll(res.Body)
				_ = res.Body.Close()
			}
			tc.check(t, res, got, err)
		})
	}
}

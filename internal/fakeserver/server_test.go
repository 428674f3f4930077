package fakeserver

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestRecorder(t *testing.T) {
	tests := []struct {
		name       string
		write      func(w http.ResponseWriter)
		wantStatus int
		wantBody   string
	}{
		{"nothing written is 200", func(http.ResponseWriter) {}, http.StatusOK, ""},
		{"write implies 200", func(w http.ResponseWriter) {
			_, _ = w.Write([]byte("a"))
			w.WriteHeader(http.StatusTeapot)
		}, http.StatusOK, "a"},
		{"first status wins", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusNotFound)
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte("b"))
		}, http.StatusNotFound, "b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := NewRecorder()
			tc.write(rec)
			rec.Header().Set("X-Test", "1")
			if rec.Status != tc.wantStatus || rec.Body.String() != tc.wantBody {
				t.Errorf("recorded %d %q, want %d %q", rec.Status, rec.Body.String(), tc.wantStatus, tc.wantBody)
			}
			out := httptest.NewRecorder()
			rec.Send(out)
			if out.Code != tc.wantStatus || out.Body.String() != tc.wantBody || out.Header().Get("X-Test") != "1" {
				t.Errorf("sent %d %q %v", out.Code, out.Body.String(), out.Header())
			}
		})
	}
}

// recordingTB records Errorf instead of failing the test.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestReporter(t *testing.T) {
	t.Run("under a test", func(t *testing.T) {
		tb := &recordingTB{TB: t}
		var logs bytes.Buffer
		Reporter{T: tb, Logger: slog.New(slog.NewTextHandler(&logs, nil)), Prefix: "xtest"}.Report("100% off")
		if len(tb.errors) != 1 || tb.errors[0] != "xtest: 100% off" {
			t.Errorf("errors = %q", tb.errors)
		}
		if logs.Len() != 0 {
			t.Errorf("logged under a test: %s", logs.String())
		}
	})
	t.Run("logger", func(t *testing.T) {
		var logs bytes.Buffer
		Reporter{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Prefix: "xtest"}.Report("bad body")
		got := logs.String()
		if !strings.Contains(got, "level=ERROR") || !strings.Contains(got, `msg="xtest: spec violation"`) || !strings.Contains(got, `problem="bad body"`) {
			t.Errorf("log = %s", got)
		}
	})
	t.Run("default logger when none is set", func(t *testing.T) {
		var logs bytes.Buffer
		prev := slog.Default()
		slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
		t.Cleanup(func() { slog.SetDefault(prev) })
		Reporter{Prefix: "xtest"}.Report("bad body")
		if !strings.Contains(logs.String(), "spec violation") {
			t.Errorf("slog.Default got %q", logs.String())
		}
	})
}

func TestCalls(t *testing.T) {
	var c Calls
	if c.Total() != 0 || c.Count("a") != 0 {
		t.Fatal("the zero value counts something")
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { c.Add("a") })
	}
	wg.Wait()
	c.Add("")
	c.Add("b")
	if got := c.Count("a"); got != 10 {
		t.Errorf("Count(a) = %d", got)
	}
	if got := c.Count(""); got != 1 {
		t.Errorf("Count(\"\") = %d, want only unrouted calls", got)
	}
	if got := c.Total(); got != 12 {
		t.Errorf("Total = %d", got)
	}
}

package wrappers

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"short", "hello", 10, "hello"},
		{"collapses whitespace and controls", "<h1>502</h1>\r\n\t <p>\x00bad\x1b[31m</p>", 100, "<h1>502</h1> <p> bad [31m</p>"},
		{"cut with ellipsis", "abcdefghij", 4, "abcd…"},
		{"does not split runes", "ééééé", 5, "éé…"},
		{"invalid UTF-8", "a\xffb", 10, "a\uFFFDb"},
		{"trims", "  \n x \n ", 10, "x"},
		{"bidi controls removed", "a\u202eb", 10, "a b"},
		{"default size", strings.Repeat("a", 600), 0, strings.Repeat("a", DefaultExcerptBytes) + "…"},
		{"empty", "", 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Excerpt([]byte(tt.in), tt.n)
			if got != tt.want {
				t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("invalid UTF-8 %q", got)
			}
		})
	}
}

func TestErrorTypes(t *testing.T) {
	wrapped := fmt.Errorf("ctx: %w", &BodyTooLargeError{Limit: 10, Size: -1})
	if !errors.Is(wrapped, ErrBodyTooLarge) || errors.Is(wrapped, ErrForeignOrigin) {
		t.Error("BodyTooLargeError Is mismatch")
	}
	if !errors.Is(&ForeignOriginError{}, ErrForeignOrigin) || !errors.Is(&PagingLoopError{}, ErrPagingLoop) {
		t.Error("Is mismatch")
	}
	if StatusCode(fmt.Errorf("x: %w", &HTTPError{StatusCode: 418})) != 418 || StatusCode(errors.New("x")) != 0 {
		t.Error("StatusCode")
	}
	if StatusCode(errors.Join(errors.New("a"), &TokenError{StatusCode: 401})) != 401 {
		t.Error("StatusCode through Join")
	}
}

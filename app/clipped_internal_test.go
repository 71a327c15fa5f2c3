package app

import (
	"strings"
	"testing"
)

// A name in a message is cut at 60 characters and shows no controls or
// bidirectional marks (QA: a 300-character name with a \u202e was printed
// whole).
func TestClipped(t *testing.T) {
	long := "a\u202eb\nc" + strings.Repeat("x", 300)
	got := clipped(long)
	if want := "a\uFFFDb\uFFFDc" + strings.Repeat("x", 55) + "…"; got != want {
		t.Errorf("clipped(%q) = %q, want %q", long[:10], got, want)
	}
	if got := clipped("orders"); got != "orders" {
		t.Errorf("clipped(orders) = %q", got)
	}
}

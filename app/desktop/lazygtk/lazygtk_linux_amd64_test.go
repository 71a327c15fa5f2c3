//go:build linux && amd64 && cgo && !eagergtk

package lazygtk_test

import (
	"os"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app/desktop/lazygtk"
	"github.com/lineagedesk/lineagedesk/app/desktop/lazygtk/internal/probe"
)

// TestFirstCallLoadsTheLibraries calls GLib through a trampoline before
// Load: the call itself opens the libraries and must reach the function
// with its arguments intact, then later calls go straight through.
func TestFirstCallLoadsTheLibraries(t *testing.T) {
	if mapped(t, "libglib-2.0") {
		t.Fatal("libglib-2.0 is mapped before the first call: the test binary was linked to it")
	}
	const want = "lazy|42|2.50|-1.125|1234567890123|end"
	if got := probe.Printf(); got != want {
		t.Fatalf("first call through the trampoline printed %q, want %q", got, want)
	}
	if !mapped(t, "libglib-2.0") || !mapped(t, "libwebkit2gtk-4.1") {
		t.Fatal("after the first call GLib and WebKitGTK should be mapped")
	}
	if err := lazygtk.Load(); err != nil {
		t.Fatalf("Load after the libraries were opened: %v", err)
	}
	for range 3 {
		if got := probe.Printf(); got != want {
			t.Fatalf("resolved call printed %q, want %q", got, want)
		}
	}
}

func mapped(t *testing.T, library string) bool {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(maps), "/"+library)
}

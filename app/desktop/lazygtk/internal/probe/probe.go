//go:build linux && amd64 && cgo && !eagergtk

// Package probe calls GLib through lazygtk's trampolines, for its tests:
// g_strdup_printf is variadic with vector arguments, so a trampoline that
// lost a register on its first, resolving call would print it wrong.
package probe

/*
// Declared here rather than from glib.h: the call must go to lazygtk's
// trampoline, with no GLib headers or libraries at build time.
extern char *g_strdup_printf(const char *format, ...);
extern void g_free(void *mem);

static char *probe_printf(void) {
	return g_strdup_printf("%s|%d|%.2f|%.3f|%ld|%s", "lazy", 42, 2.5, -1.125, 1234567890123L, "end");
}
*/
import "C"

import "unsafe"

// Printf formats six arguments of three kinds with GLib's g_strdup_printf
// and frees the result with g_free, both through trampolines.
func Printf() string {
	s := C.probe_printf()
	defer C.g_free(unsafe.Pointer(s))
	return C.GoString(s)
}

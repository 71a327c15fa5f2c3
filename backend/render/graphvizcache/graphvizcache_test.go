package graphvizcache

import (
	"os"
	"testing"
)

// This test binary ran init: TMPDIR is the user's cache directory for
// go-graphviz, and RestoreTempDir puts back what it was, once.
func TestInitMovesTempDirAndRestoreTakesItBack(t *testing.T) {
	dir, err := CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	before, wasSet := tempDirBefore.value, tempDirBefore.set
	if got := os.Getenv("TMPDIR"); got != dir {
		t.Fatalf("TMPDIR after init: %q, want %q", got, dir)
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() || info.Mode().Perm() != 0o700 {
		t.Fatalf("the cache directory: %v, %v; want a directory only its user reads", info, err)
	}
	RestoreTempDir()
	got, set := os.LookupEnv("TMPDIR")
	if got != before || set != wasSet {
		t.Errorf("TMPDIR restored to %q (set %v), want %q (set %v)", got, set, before, wasSet)
	}
	os.Setenv("TMPDIR", "/elsewhere")
	t.Cleanup(func() { restoreEnv(before, wasSet) })
	RestoreTempDir()
	if got := os.Getenv("TMPDIR"); got != "/elsewhere" {
		t.Errorf("a second RestoreTempDir changed TMPDIR to %q", got)
	}
}

func restoreEnv(value string, set bool) {
	if set {
		os.Setenv("TMPDIR", value)
		return
	}
	os.Unsetenv("TMPDIR")
}

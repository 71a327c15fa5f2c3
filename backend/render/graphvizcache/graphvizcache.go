// Package graphvizcache gives go-graphviz's compiled-module cache a
// directory of the user's own.
//
// go-graphviz compiles its WebAssembly in its package init, before main
// runs, and caches the machine code wazero makes of it in
// os.TempDir()/go-graphviz. On a machine with several users the first one
// to run it owns that directory: every other user's process panicked at
// start (wazero cannot read the cache, go-graphviz panics), and a
// directory another user made could hold machine code this process would
// load and run.
//
// So this package's init points TMPDIR at a private directory in the
// user's cache directory (created 0700), or, for a user without one, at
// the null device, where go-graphviz caches nothing; it remembers what
// TMPDIR was, and RestoreTempDir, which package restored calls once
// go-graphviz is initialized, puts it back for everything else. These are
// the code base's only inits with a side effect, because nothing else runs
// early enough: Go initializes packages in import path order as soon as
// their own imports are, and this one (imports from the standard library
// only, under github.com/lineagedesk) comes before go-graphviz's, which
// waits for github.com/tetratelabs/wazero. The binary's tests check the
// order.
package graphvizcache

import (
	"os"
	"path/filepath"
)

// tempDirBefore is TMPDIR as the process started: the value and whether
// it was set. It is the package's one variable, written by init alone.
var tempDirBefore struct {
	value  string
	set    bool
	pinned bool // TMPDIR was moved, RestoreTempDir has work to do
}

func init() {
	dir, err := CacheDir()
	if err != nil || os.MkdirAll(dir, 0o700) != nil {
		// No cache rather than a shared one: go-graphviz cannot make its
		// folder under the null device, and compiles without a cache.
		dir = os.DevNull
	}
	tempDirBefore.value, tempDirBefore.set = os.LookupEnv("TMPDIR")
	if os.Setenv("TMPDIR", dir) == nil {
		tempDirBefore.pinned = true
	}
}

// CacheDir is where go-graphviz's cache goes: the go-graphviz folder in
// it holds the compiled module.
func CacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "lineagedesk", "graphviz"), nil
}

// RestoreTempDir puts TMPDIR back as the process started with it, once
// go-graphviz has made its cache. Calling it again does nothing.
func RestoreTempDir() {
	if !tempDirBefore.pinned {
		return
	}
	tempDirBefore.pinned = false
	if tempDirBefore.set {
		os.Setenv("TMPDIR", tempDirBefore.value)
		return
	}
	os.Unsetenv("TMPDIR")
}

package app_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// go-graphviz caches its compiled module from its package init, in
// $TMPDIR/go-graphviz by default: a cache there that this user cannot read
// (another user's, mode 0700) made every command panic before main. The
// binary keeps it in the user's cache directory instead, or, without one,
// keeps none; either way a broken shared cache is never read.
func TestBinaryGraphvizCacheIsTheUsers(t *testing.T) {
	dir := t.TempDir()
	c := cli{t: t, bin: buildBinary(t), db: filepath.Join(dir, "cli.db"), env: []string{"XDG_CACHE_HOME=" + filepath.Join(dir, "cache")}}
	if _, stderr, code := c.run("", "import", filepath.Join(fixtures, "jaffle-dap-v12-1.12")); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	var compiled []string
	root := filepath.Join(dir, "cache", "lineagedesk", "graphviz", "go-graphviz")
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			compiled = append(compiled, rel)
		}
		return nil
	})
	if len(compiled) != 1 {
		t.Fatalf("the user's cache holds %q, want the one compiled module", compiled)
	}

	// A shared cache that cannot be read, where the compiled module would be.
	shared := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(filepath.Join(shared, "go-graphviz", compiled[0]), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, env := range [][]string{
		{"TMPDIR=" + shared, "XDG_CACHE_HOME=" + filepath.Join(dir, "cache2")},
		{"TMPDIR=" + shared, "XDG_CACHE_HOME=", "HOME="}, // no cache directory at all
	} {
		c.env = env
		out, stderr, code := c.run("", "lineage", "--select", "+customers", "--format", "svg")
		if code != 0 || strings.Contains(stderr, "panic") || !strings.Contains(out, "</svg>") {
			t.Errorf("lineage with %q: exit %d, stderr %q", env, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "cache2", "lineagedesk", "graphviz", "go-graphviz", compiled[0])); err != nil {
		t.Errorf("the compiled module is not in the user's cache: %v", err)
	}
}

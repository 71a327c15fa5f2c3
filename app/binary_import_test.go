package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An import of a path that holds no artifacts is refused before the store
// is opened: a mistyped --db is not created, empty (QA).
func TestBinaryImportOfNothingMakesNoStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "typo", "store.db")
	c := cli{t: t, bin: buildBinary(t), db: db}
	_, stderr, code := c.run("", "import", filepath.Join(dir, "no-such-target"))
	if code == 0 || !strings.Contains(stderr, "no-such-target") {
		t.Fatalf("import of a missing path: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Dir(db)); !os.IsNotExist(err) {
		t.Errorf("the store's folder was made: %v", err)
	}
}

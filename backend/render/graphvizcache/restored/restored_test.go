package restored

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/render/graphvizcache"
)

// By the time this binary's code runs, go-graphviz has made its cache in
// the user's cache directory, and TMPDIR is no longer where graphvizcache
// pointed it.
func TestTempDirIsBackOnceGraphvizIsInitialized(t *testing.T) {
	moved := os.DevNull // without a user cache directory
	dir, err := graphvizcache.CacheDir()
	if err == nil {
		moved = dir
		if entries, err := os.ReadDir(filepath.Join(dir, "go-graphviz")); err != nil || len(entries) == 0 {
			t.Errorf("go-graphviz made no cache in %s: %v", dir, err)
		}
	}
	if got := os.Getenv("TMPDIR"); got == moved {
		t.Errorf("TMPDIR is still %q", got)
	}
}

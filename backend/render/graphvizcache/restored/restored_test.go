package restored

import (
	"os"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/render/graphvizcache"
)

// By the time this binary's code runs, TMPDIR is no longer where
// graphvizcache pointed it for go-graphviz's init (the binary's own test
// checks where the cache went).
func TestTempDirIsBackOnceGraphvizIsInitialized(t *testing.T) {
	moved := os.DevNull // without a user cache directory
	if dir, err := graphvizcache.CacheDir(); err == nil {
		moved = dir
	}
	if got := os.Getenv("TMPDIR"); got == moved {
		t.Errorf("TMPDIR is still %q", got)
	}
}

//go:build unix

package artifact_test

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/artifact"
)

// A pipe named like an artifact is refused, not opened: the import would
// wait for a writer for ever (QA: a FIFO named target/manifest.json hung).
func TestDiscoverRefusesAPipe(t *testing.T) {
	dir := writeFiles(t, map[string][]byte{"target/catalog.json": []byte("{}")})
	fifo := filepath.Join(dir, "target", "manifest.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{dir, fifo} {
		_, err := artifact.Discover([]string{path})
		wantInvalid(t, err, fifo, "is not a regular file")
	}
}

package artifact_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

func fixture(t testing.TB, dataset, file string) []byte {
	return artifacttest.Gunzip(t, filepath.Join(fixturesDir, dataset, file+".json.gz"))
}

func loadDataset(t *testing.T, dataset string) *backend.Bundle {
	t.Helper()
	fs, err := artifact.Discover([]string{filepath.Join(fixturesDir, dataset)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := artifact.Load(context.Background(), fs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeFiles writes name->content into a new temporary folder.
func writeFiles(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func loadDir(t *testing.T, dir string) (*backend.Bundle, error) {
	t.Helper()
	fs, err := artifact.Discover([]string{dir})
	if err != nil {
		return nil, err
	}
	return artifact.Load(context.Background(), fs)
}

func resource(t *testing.T, b *backend.Bundle, id string) *backend.Resource {
	t.Helper()
	for i := range b.Resources {
		if b.Resources[i].UniqueID == id {
			return &b.Resources[i]
		}
	}
	t.Fatalf("resource %s not found", id)
	return nil
}

// wantInvalid checks err is an EINVALID *backend.Error whose message
// contains every fragment (the file name, what is wrong, what to do).
func wantInvalid(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error")
	}
	if backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("code %q, want %q: %v", backend.ErrorCode(err), backend.EINVALID, err)
	}
	msg := backend.NewErrorPayload(err).Message
	for _, f := range fragments {
		if !strings.Contains(msg, f) {
			t.Errorf("message %q does not contain %q", msg, f)
		}
	}
}

func hasWarning(b *backend.Bundle, fragments ...string) bool {
	for _, w := range b.Warnings {
		all := true
		for _, f := range fragments {
			all = all && strings.Contains(w, f)
		}
		if all {
			return true
		}
	}
	return false
}

func replaceOnce(t *testing.T, data []byte, old, new string) []byte {
	t.Helper()
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%q not found", old)
	}
	return bytes.Replace(data, []byte(old), []byte(new), 1)
}

package artifact_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

// A manifest's header is read alone, gzip or not, as the whole read
// reads it; a file that does not start with it says so.
func TestReadManifestHeader(t *testing.T) {
	path := filepath.Join(artifacttest.Dir(), "bouncer-v12-dbt1.11-duckdb", "manifest.json.gz")
	h, ok, err := artifact.ReadManifestHeader(path)
	if err != nil || !ok {
		t.Fatalf("header: %v, %v", ok, err)
	}
	b, err := artifact.Load(t.Context(), artifact.FileSet{Manifest: path})
	if err != nil {
		t.Fatal(err)
	}
	if h.ProjectName != b.Meta.Project || h.InvocationID != b.Meta.InvocationID || !h.GeneratedAt.Equal(b.Meta.GeneratedAt) || h.GeneratedAt.Before(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("header %+v, the manifest says %+v", h, b.Meta)
	}
	dir := writeFiles(t, map[string][]byte{"manifest.json": []byte(`{"nodes": {}, "metadata": {"invocation_id": "x"}}`)})
	if _, ok, err := artifact.ReadManifestHeader(filepath.Join(dir, "manifest.json")); ok || err != nil {
		t.Errorf("metadata last: ok %v, %v; want not ok and no error", ok, err)
	}
	if _, _, err := artifact.ReadManifestHeader(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing file read")
	}
}

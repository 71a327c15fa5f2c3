package artifact_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

// An artifact's header is read alone, gzip or not, as the whole read
// reads it; a file that does not start with it, or is another artifact,
// says so.
func TestReadHeader(t *testing.T) {
	path := filepath.Join(artifacttest.Dir(), "bouncer-v12-dbt1.11-duckdb", "manifest.json.gz")
	h, ok, err := artifact.ReadHeader(path, backend.ArtifactManifest)
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
	if _, ok, err := artifact.ReadHeader(filepath.Join(dir, "manifest.json"), backend.ArtifactManifest); ok || err != nil {
		t.Errorf("metadata last: ok %v, %v; want not ok and no error", ok, err)
	}
	if _, _, err := artifact.ReadHeader(filepath.Join(dir, "missing.json"), backend.ArtifactManifest); err == nil {
		t.Error("a missing file read")
	}
	results := filepath.Join(artifacttest.Dir(), "bouncer-build-v12-dbt1.11-duckdb", "run_results.json.gz")
	if r, ok, err := artifact.ReadHeader(results, backend.ArtifactRunResults); err != nil || !ok || r.InvocationID == "" || r.Kind != backend.ArtifactRunResults {
		t.Errorf("run results' header %+v: %v, %v", r, ok, err)
	}
	if _, ok, err := artifact.ReadHeader(results, backend.ArtifactManifest); ok || err != nil {
		t.Errorf("run results read as a manifest's header: ok %v, %v", ok, err)
	}
}

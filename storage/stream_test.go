package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

// Streaming the artifacts into the store (what import and sync do) stores
// exactly what the bundle Load returns holds.
func TestStreamedSaveStoresTheBundle(t *testing.T) {
	for _, dataset := range []string{"bouncer-build-v12-dbt1.11-duckdb", "tuva-v7-dbt1.3"} {
		t.Run(dataset, func(t *testing.T) {
			files, err := artifact.Discover([]string{filepath.Join(artifacttest.Dir(), dataset)})
			if err != nil {
				t.Fatal(err)
			}
			b, err := artifact.Load(t.Context(), files)
			if err != nil {
				t.Fatal(err)
			}
			s, _ := openStore(t)
			src := artifact.NewSource(files)
			snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Origin: backend.Origin{Kind: backend.OriginPath}, Stream: src.Stream})
			if err != nil || src.Err() != nil {
				t.Fatalf("streamed save: %v (artifacts: %v)", err, src.Err())
			}
			if snap.Name != b.Meta.Project || !reflect.DeepEqual(snap.Counts, b.Counts()) || !reflect.DeepEqual(snap.Warnings, nonNil(b.Warnings)) ||
				!reflect.DeepEqual(snap.SchemaVersions, b.Meta.SchemaVersions) || snap.RunCommand != b.Meta.RunCommand {
				t.Errorf("snapshot %+v does not describe the bundle %+v", snap, b.Meta)
			}
			stored, err := s.Snapshot(t.Context(), snap.ID)
			if err != nil || !reflect.DeepEqual(stored, snap) {
				t.Errorf("stored snapshot %+v, %v; SaveSnapshot returned %+v", stored, err, snap)
			}
			assertResourcesRoundTrip(t, s, snap.ID, b)
			assertGraphMatchesBundle(t, s, snap.ID, b)
		})
	}
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// A manifest cut short is found out after thousands of rows were written:
// the save fails naming the file, and the store is as it was.
func TestAStreamedSaveCutShortLeavesTheDatabaseAsItWas(t *testing.T) {
	s, path := openStore(t)
	saveShop(t, s)
	db := rawDB(t, path)
	before := dumpTables(t, db)

	fixture := filepath.Join(artifacttest.Dir(), "tuva-v7-dbt1.3")
	manifest := artifacttest.Gunzip(t, filepath.Join(fixture, "manifest.json.gz"))
	dir := t.TempDir()
	cut := filepath.Join(dir, "manifest.json")
	if err := os.WriteFile(cut, manifest[:len(manifest)*9/10], 0o600); err != nil {
		t.Fatal(err)
	}
	src := artifact.NewSource(artifact.FileSet{Manifest: cut, Catalog: filepath.Join(fixture, "catalog.json.gz")})
	emitted := 0
	stream := func(ctx context.Context, emit func(*backend.Resource) error) (*backend.Bundle, error) {
		return src.Stream(ctx, func(r *backend.Resource) error {
			emitted++
			return emit(r)
		})
	}
	_, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Origin: backend.Origin{Kind: backend.OriginPath}, Stream: stream})
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), cut) || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("saving a truncated manifest = %v, want EINVALID naming %s as truncated", err, cut)
	}
	// No name given, none read yet: not `save snapshot ""`.
	if !strings.HasPrefix(err.Error(), "save the snapshot: ") {
		t.Errorf("the error names the snapshot as %q", err)
	}
	if src.Err() == nil {
		t.Errorf("the artifacts' error is not told from the store's")
	}
	if emitted < 500 {
		t.Fatalf("only %d resources were written before the cut; the test needs a later one", emitted)
	}
	if after := dumpTables(t, db); after != before {
		t.Errorf("a save cut short changed the database")
	}
	integrityCheck(t, db)
}

// A snapshot saved to supersede another of the same dbt run (a watch saw
// the run's results after importing its manifest) replaces it in one
// transaction; one of another run is refused, and the store is as it was.
func TestSaveSupersedesTheSameRun(t *testing.T) {
	s, path := openStore(t)
	dir := filepath.Join(artifacttest.Dir(), "bouncer-build-v12-dbt1.11-duckdb")
	save := func(files artifact.FileSet, supersedes int64) (backend.Snapshot, error) {
		src := artifact.NewSource(files)
		return s.SaveSnapshot(t.Context(), backend.NewSnapshot{Origin: backend.Origin{Kind: backend.OriginPath}, Stream: src.Stream, SkipSameRun: true, Supersedes: supersedes})
	}
	manifest := artifact.FileSet{Manifest: filepath.Join(dir, "manifest.json.gz")}
	whole := manifest
	whole.RunResults = filepath.Join(dir, "run_results.json.gz")
	begun, err := save(manifest, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Search(t.Context(), begun.ID, backend.SearchQuery{Text: "orders", Limit: 5}); err != nil { // builds its search index
		t.Fatal(err)
	}
	done, err := save(whole, begun.ID)
	if err != nil {
		t.Fatalf("the run's results completing its snapshot: %v", err)
	}
	if _, err := s.Snapshot(t.Context(), begun.ID); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("the snapshot superseded: %v, want it gone", err)
	}
	if snaps, _ := s.Snapshots(t.Context()); len(snaps) != 1 || snaps[0].ID != done.ID || snaps[0].SchemaVersions["run_results"] == 0 {
		t.Fatalf("snapshots after the run completed: %+v", snaps)
	}
	other := saveShop(t, s) // another project's run
	db := rawDB(t, path)
	before := dumpTables(t, db)
	if _, err := save(whole, other.ID); backend.ErrorCode(err) != backend.ECONFLICT {
		t.Errorf("superseding another project's run: %v, want ECONFLICT", err)
	}
	if dumpTables(t, db) != before {
		t.Error("a refused supersede changed the store")
	}
	integrityCheck(t, db)
}

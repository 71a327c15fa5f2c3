package storage

import (
	"path/filepath"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestPrepareSearchFillsTheKindCache: after PrepareSearch, the first search
// of the snapshot finds its kind index in memory.
func TestPrepareSearchFillsTheKindCache(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(filepath.Join(dir, "p"), synth.Spec{Models: 40, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	files, err := artifact.Discover([]string{filepath.Join(dir, "p")})
	if err != nil {
		t.Fatal(err)
	}
	b, err := artifact.Load(t.Context(), files)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(t.Context(), filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "p", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.kinds.indexes) != 0 {
		t.Fatalf("kind cache holds %d indexes before any search", len(s.kinds.indexes))
	}
	if err := s.PrepareSearch(t.Context(), snap.ID); err != nil {
		t.Fatal(err)
	}
	if len(s.kinds.indexes) != 1 || s.kinds.indexes[0].key.snapshotID != snap.ID {
		t.Fatalf("kind cache after PrepareSearch: %d indexes", len(s.kinds.indexes))
	}
	x := s.kinds.indexes[0]
	if _, err := s.Search(t.Context(), snap.ID, backend.SearchQuery{Text: "orders"}); err != nil {
		t.Fatal(err)
	}
	if len(s.kinds.indexes) != 1 || s.kinds.indexes[0] != x {
		t.Errorf("the search built another kind index instead of using the prepared one")
	}
}

package storage

import (
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestPrepareSearchFillsTheKindCache: after PrepareSearch, the first search
// of the snapshot finds its kind index in memory.
func TestPrepareSearchFillsTheKindCache(t *testing.T) {
	s, snap, _ := savedSynth(t, synth.Spec{Models: 40, Seed: 3})
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

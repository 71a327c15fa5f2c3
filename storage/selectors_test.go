package storage_test

import (
	"reflect"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/storage"
)

// TestSelectorsRoundTrip: a snapshot keeps the project's YAML selectors as
// imported, and loses them with the snapshot.
func TestSelectorsRoundTrip(t *testing.T) {
	s, _, snap, b := saveFixture(t, "bouncer-build-v12-dbt1.11-duckdb")
	if len(b.Selectors) == 0 {
		t.Fatal("the fixture has no selectors")
	}
	got, err := s.Selectors(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, b.Selectors) {
		t.Errorf("selectors\n got %+v\nwant %+v", got, b.Selectors)
	}
	if err := s.DeleteSnapshot(t.Context(), snap.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Selectors(t.Context(), snap.ID); err != nil || len(got) != 0 {
		t.Errorf("after delete: %v, %v", got, err)
	}
}

// TestSelectorsMigration: a store written before selectors were kept
// (migration 0009) opens with no selectors for its snapshots, and keeps
// those of the snapshots it stores from then on.
func TestSelectorsMigration(t *testing.T) {
	s, path, old, b := saveFixture(t, "bouncer-build-v12-dbt1.11-duckdb")
	s.Close()
	rewind(t, path, 8)
	s2, err := storage.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, err := s2.Selectors(t.Context(), old.ID); err != nil || len(got) != 0 {
		t.Errorf("a snapshot stored before: %v, %v; want none", got, err)
	}
	snap, err := s2.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "again", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s2.Selectors(t.Context(), snap.ID); err != nil || len(got) != len(b.Selectors) {
		t.Errorf("a snapshot stored after: %v, %v; want %d", got, err, len(b.Selectors))
	}
}

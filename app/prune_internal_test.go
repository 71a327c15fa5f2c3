package app

import (
	"slices"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// A snapshot of no known generation time sorts after every dated run, as
// LatestSnapshot's ORDER BY puts NULL last, so --keep never keeps it over
// a dated run; among equals the later id is newer.
func TestNewerRunFirst(t *testing.T) {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	snaps := []backend.Snapshot{{ID: 1}, {ID: 2, GeneratedAt: day}, {ID: 3, GeneratedAt: day.Add(time.Hour)}, {ID: 4}, {ID: 5, GeneratedAt: day}}
	slices.SortFunc(snaps, newerRunFirst)
	var got []int64
	for _, s := range snaps {
		got = append(got, s.ID)
	}
	if want := []int64{3, 5, 2, 4, 1}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

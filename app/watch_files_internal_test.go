package app

import (
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestSettled: files are read once seen unchanged twice, or at the first
// look when they hold the manifest's own results (or freshness checks)
// untouched for a moment.
func TestSettled(t *testing.T) {
	now := time.Now()
	stamp := func(files string, newest time.Time) artifactStamp {
		return artifactStamp{files: []string{files}, newest: newest}
	}
	ownResults := runFiles{kinds: map[string]bool{backend.ArtifactRunResults: true}}
	noResults := runFiles{kinds: map[string]bool{}}
	for _, c := range []struct {
		what      string
		cur, last artifactStamp
		run       runFiles
		want      bool
	}{
		{"unchanged since the last look", stamp("a", now), stamp("a", now), noResults, true},
		{"new, its results untouched for a second", stamp("b", now.Add(-time.Second)), stamp("a", now), ownResults, true},
		{"new, its results just written", stamp("b", now.Add(-100*time.Millisecond)), stamp("a", now), ownResults, false},
		{"new, without its own results", stamp("b", now.Add(-time.Hour)), stamp("a", now), noResults, false},
		// A source freshness writes no results: its own sources.json ends it.
		{"new, its own sources.json untouched for a second", stamp("c", now.Add(-time.Second)), stamp("a", now),
			runFiles{kinds: map[string]bool{backend.ArtifactSources: true}}, true},
	} {
		if got := c.cur.settled(c.last, c.run, quietFor, now); got != c.want {
			t.Errorf("%s: settled = %v, want %v", c.what, got, c.want)
		}
	}
}

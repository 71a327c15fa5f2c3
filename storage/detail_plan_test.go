package storage

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestAttachedTestsUseTheirIndex: a resource's tests are found through the
// attached_node index and the index of unattached tests, not by walking the snapshot's resources (which an
// ORDER BY unique_id made the planner prefer: 0.6-1.3 s per resource on 50k
// models). The plan is asked of the store's own SQLite on a stored project.
func TestAttachedTestsUseTheirIndex(t *testing.T) {
	s, snap, b := savedSynth(t, synth.Spec{Models: 60, Seed: 5, WithSources: true})
	// The model with the most tests, so that their order is checked too.
	attached := map[string]int{}
	model := ""
	for _, r := range b.Resources {
		if r.Test != nil && strings.HasPrefix(r.Test.AttachedNode, "model.") {
			attached[r.Test.AttachedNode]++
			if attached[r.Test.AttachedNode] > attached[model] {
				model = r.Test.AttachedNode
			}
		}
	}
	rows, err := s.reader.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+attachedTestsQuery, snap.ID, model)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(plan, "\n")
	if !strings.Contains(joined, "SEARCH t USING INDEX resources_by_attached_node (snapshot_id=? AND attached_node=?)") {
		t.Errorf("the tests of a resource are not looked up by attached_node:\n%s", joined)
	}
	// The tests attached to no single node, in their own index and not
	// among the rows of all the resource's children.
	if !strings.Contains(joined, "USING INDEX resources_unattached_tests (snapshot_id=?") {
		t.Errorf("the tests attached to no node are not looked up in their index:\n%s", joined)
	}
	for _, step := range plan {
		if strings.HasPrefix(step, "SCAN") {
			t.Errorf("the tests of a resource are looked up by a scan (%s):\n%s", step, joined)
		}
	}
	d, err := s.Resource(t.Context(), snap.ID, model)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Tests) < 2 {
		t.Fatalf("%s has %d tests in the synthetic project: their order is not checked", model, len(d.Tests))
	}
	for i := 1; i < len(d.Tests); i++ {
		if d.Tests[i-1].UniqueID >= d.Tests[i].UniqueID {
			t.Errorf("tests out of unique_id order: %s before %s", d.Tests[i-1].UniqueID, d.Tests[i].UniqueID)
		}
	}
}

// savedSynth writes the synthetic project spec describes, parses it and
// stores it in a fresh store, closed when the test ends.
func savedSynth(t *testing.T, spec synth.Spec) (*Store, backend.Snapshot, *backend.Bundle) {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.Write(filepath.Join(dir, "p"), spec); err != nil {
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
	t.Cleanup(func() { s.Close() })
	snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "p", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
	if err != nil {
		t.Fatal(err)
	}
	return s, snap, b
}

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
// attached_node index, not by walking the snapshot's resources (which an
// ORDER BY unique_id made the planner prefer: 0.6-1.3 s per resource on 50k
// models). The plan is asked of the store's own SQLite on a stored project.
func TestAttachedTestsUseTheirIndex(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(filepath.Join(dir, "p"), synth.Spec{Models: 60, Seed: 5, WithSources: true}); err != nil {
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
	if len(plan) == 0 || !strings.Contains(plan[0], "resources_by_attached_node (snapshot_id=? AND attached_node=?)") {
		t.Errorf("the tests of a resource are not looked up by attached_node:\n%s", strings.Join(plan, "\n"))
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

// TestTreeReadsItsIndex: the project tree's counts come from the
// resources_tree index alone (grouping the resource rows read every one of
// them: 0.5-0.8 s per project page at 50k models).
func TestTreeReadsItsIndex(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var plan []string
	rows, err := s.reader.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+treeQuery, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
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
	if len(plan) != 1 || !strings.Contains(plan[0], "COVERING INDEX resources_tree") {
		t.Errorf("the tree is not read from its covering index:\n%s", strings.Join(plan, "\n"))
	}
}

// TestResourcesInAPlace: a package's or folder's resources, listed a page
// at a time, are what filtering the whole list gives, whichever way the
// store picks them (by rowid from resources_tree for a place with few rows
// for the page, else its unique_id walk); and a small folder is picked
// from the index, not found by walking the snapshot.
func TestResourcesInAPlace(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(filepath.Join(dir, "p"), synth.Spec{Models: 300, Seed: 7, WithSources: true}); err != nil {
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
	all, err := s.Resources(t.Context(), snap.ID, backend.ResourceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	folderOf := map[string]string{}
	for _, r := range b.Resources {
		folderOf[r.UniqueID] = r.Folder()
	}
	tree, err := s.Tree(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	picked, walked := 0, 0
	for _, place := range tree {
		var want []string
		for _, r := range all {
			f := folderOf[r.UniqueID]
			if r.Package == place.Package && (place.Folder == "" || f == place.Folder || strings.HasPrefix(f, place.Folder+"/")) {
				want = append(want, r.UniqueID)
			}
		}
		for _, page := range [][2]int{{0, 0}, {3, 0}, {3, 2}, {40, 5}, {20000, 0}} {
			f := backend.ResourceFilter{Package: place.Package, FolderPrefix: place.Folder, Limit: page[0], Offset: page[1]}
			where, _, err := s.placeFilter(t.Context(), snap.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(where[0], "r.rowid IN") {
				picked++
			} else {
				walked++
			}
			got, err := s.Resources(t.Context(), snap.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			lo := min(page[1], len(want))
			hi := len(want)
			if page[0] > 0 {
				hi = min(lo+page[0], len(want))
			}
			var ids []string
			for _, r := range got {
				ids = append(ids, r.UniqueID)
			}
			if strings.Join(ids, " ") != strings.Join(want[lo:hi], " ") {
				t.Fatalf("%s/%s, limit %d offset %d: %d resources %v, filtering the whole list gives %d %v",
					place.Package, place.Folder, page[0], page[1], len(ids), ids, hi-lo, want[lo:hi])
			}
		}
	}
	if picked == 0 || walked == 0 {
		t.Errorf("%d pages picked by rowid and %d walked: the test must see both", picked, walked)
	}

	// The smallest folder, a page bigger than it: picked from the index.
	small := tree[0]
	for _, e := range tree {
		if e.Folder != "" && total(e.Counts) < total(small.Counts) || small.Folder == "" {
			small = e
		}
	}
	f := backend.ResourceFilter{Package: small.Package, FolderPrefix: small.Folder, Limit: 50}
	where, args, err := s.placeFilter(t.Context(), snap.ID, f)
	if err != nil {
		t.Fatal(err)
	}
	plan := explain(t, s, resourcesQuery(where), append(args, 50, 0)...)
	if !strings.Contains(plan, "COVERING INDEX resources_tree") || !strings.Contains(plan, "rowid=?") {
		t.Errorf("the %d resources of %s/%s are not picked from resources_tree:\n%s", total(small.Counts), small.Package, small.Folder, plan)
	}
}

func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// explain is SQLite's plan for query, one step a line.
func explain(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	rows, err := s.reader.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+query, args...)
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
	return strings.Join(plan, "\n")
}

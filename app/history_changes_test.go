package app_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestHistoryChangesAgreeWithChanges: hubspot's dbt 1.8 and 1.11 runs,
// imported one after the other. For every node of the 1.11 run, its
// history's change since the 1.8 run is what the whole comparison
// (Changes) says of it: the parts state: compares, and its columns
// added, removed, retyped and redefined.
func TestHistoryChangesAgreeWithChanges(t *testing.T) {
	a, _, _ := openApp(t)
	var ids []int64
	for _, dataset := range []string{"hubspot-v12-dbt1.8-postgres", "hubspot-v12-dbt1.11-postgres"} {
		res, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, dataset)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.SnapshotID)
	}
	whole, err := a.Changes(ids[1], ids[0])
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]string{}
	for _, c := range whole.Changed {
		parts[c.UniqueID] = c.Parts
	}
	columns := map[string][]backend.ColumnChange{}
	for _, c := range whole.Columns {
		// The history says what changed, not what reads it.
		c.ReadBy, c.Reach = nil, nil
		columns[c.Node] = append(columns[c.Node], c)
	}
	nodes, err := a.Resources(ids[1], backend.ResourceFilter{ResourceTypes: []string{backend.TypeModel, backend.TypeSource, backend.TypeSeed}})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, n := range nodes {
		h, err := a.History(ids[1], n.UniqueID)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Snapshots) != 2 || len(h.Changes) != 2 || h.Changes[0] != nil {
			t.Fatalf("%s: %d snapshots, changes %v", n.UniqueID, len(h.Snapshots), h.Changes)
		}
		var gotParts []string
		var gotColumns []backend.ColumnChange
		if c := h.Changes[1]; c != nil {
			gotParts, gotColumns = c.Parts, c.Columns
			if len(c.Parts) == 0 && len(c.Columns) == 0 {
				t.Errorf("%s: an empty change", n.UniqueID)
			}
		}
		if !slices.Equal(gotParts, parts[n.UniqueID]) {
			t.Errorf("%s: parts %v, Changes says %v", n.UniqueID, gotParts, parts[n.UniqueID])
		}
		if !reflect.DeepEqual(gotColumns, columns[n.UniqueID]) {
			t.Errorf("%s: columns %+v, Changes says %+v", n.UniqueID, gotColumns, columns[n.UniqueID])
		}
		for _, c := range gotColumns {
			kinds[c.Change]++
		}
		for _, p := range gotParts {
			kinds[p]++
		}
	}
	t.Logf("%d nodes: %v", len(nodes), kinds)
	for _, kind := range []string{"new", "body", "configs", "macros", backend.ColumnAdded, backend.ColumnRemoved, backend.ColumnRetyped, backend.ColumnRedefined} {
		if kinds[kind] == 0 {
			t.Errorf("no node's history shows %s; the test needs every kind (%v)", kind, kinds)
		}
	}
	// Read by hand from the two manifests: engagement_calls' owner_id was
	// coalesce(engagements.owner_id, base.owner_id) and is now passed
	// through from stg_hubspot__engagement_call.
	h, err := a.History(ids[1], "hubspot__engagement_calls")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(h.Changes[1].Columns, func(c backend.ColumnChange) bool { return c.Column == "owner_id" })
	if i < 0 || h.Changes[1].Columns[i].Change != backend.ColumnRedefined ||
		h.Changes[1].Columns[i].OldDefinition != "coalesce(engagements.owner_id, base.owner_id) as owner_id" ||
		h.Changes[1].Columns[i].Definition != "stg_hubspot__engagement_call.owner_id" {
		t.Errorf("hubspot__engagement_calls since 1.8: %+v", h.Changes[1])
	}
}

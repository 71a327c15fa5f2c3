package storage_test

import (
	"cmp"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestCodeNodes reads back what column lineage needs of every node of a
// real project, against the bundle the store was written from.
func TestCodeNodes(t *testing.T) {
	s, _, snap, b := saveFixture(t, "jaffle-dap-v12-1.12")
	readers := map[string][]string{}
	var ids []string
	for _, r := range b.Resources {
		ids = append(ids, r.UniqueID)
		for _, p := range r.DependsOn {
			readers[p] = append(readers[p], r.UniqueID)
		}
	}
	// Reversed, with an id the snapshot does not hold and one asked twice:
	// the answer follows the order asked, each node once.
	asked := append(slices.Clone(ids), "model.jaffle_shop.nope", ids[0])
	slices.Reverse(asked)
	nodes, err := s.CodeNodes(t.Context(), snap.ID, asked)
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != len(ids) || nodes[0].UniqueID != ids[0] || nodes[1].UniqueID != ids[len(ids)-1] {
		t.Fatalf("got %d nodes starting %s, %s; want %d starting %s, %s", len(nodes), nodes[0].UniqueID, nodes[1].UniqueID, len(ids), ids[0], ids[len(ids)-1])
	}
	byID := map[string]backend.CodeNode{}
	for _, n := range nodes {
		byID[n.UniqueID] = n
	}
	checked, definitions := 0, 0
	for _, r := range b.Resources {
		n := byID[r.UniqueID]
		want := slices.Clone(r.Columns)
		// Warehouse order: the catalog's index, then the documented-only by name.
		slices.SortStableFunc(want, func(x, y backend.Column) int {
			return cmp.Or(cmp.Compare(unindexed(x), unindexed(y)), cmp.Compare(x.Index, y.Index), cmp.Compare(x.Name, y.Name))
		})
		var wantCols []backend.CodeColumn
		for _, c := range want {
			typ := c.CatalogType
			if typ == "" {
				typ = c.DeclaredType
			}
			wantCols = append(wantCols, backend.CodeColumn{Name: c.Name, Type: typ, InCatalog: c.InCatalog})
		}
		wantDeps := slices.Sorted(slices.Values(slices.Compact(slices.Sorted(slices.Values(r.DependsOn)))))
		wantReaders := slices.Compact(slices.Sorted(slices.Values(readers[r.UniqueID])))
		if n.CompiledCode != r.CompiledCode || n.RelationName != r.RelationName || n.Identifier != r.Identifier || n.Version != r.Version ||
			n.Materialized != r.Materialized || n.Language != r.Language || n.ResourceType != r.ResourceType ||
			!slices.Equal(n.Columns, wantCols) || !slices.Equal(n.DependsOn, wantDeps) || !slices.Equal(n.ReadBy, wantReaders) {
			t.Errorf("%s:\n got %+v\nwant columns %v, depends on %v, read by %v", r.UniqueID, n, wantCols, wantDeps, wantReaders)
		}
		// The semantic layer's definitions are the manifest's JSON; no other's is read.
		wantDef := ""
		if r.ResourceType == backend.TypeSemanticModel || r.ResourceType == backend.TypeMetric || r.ResourceType == backend.TypeSavedQuery {
			wantDef = string(r.Raw)
			definitions++
		}
		if string(n.Definition) != wantDef {
			t.Errorf("%s: definition %.80q, want %.80q", r.UniqueID, n.Definition, wantDef)
		}
		if len(wantCols) > 0 && r.CompiledCode != "" && len(wantReaders) > 0 {
			checked++
		}
	}
	if definitions < 20 {
		t.Errorf("only %d semantic models, metrics and saved queries: the fixture does not exercise their definitions", definitions)
	}
	if checked < 10 {
		t.Fatalf("only %d nodes with SQL, columns and readers: the fixture does not exercise CodeNodes", checked)
	}
	if _, err := s.CodeNodes(t.Context(), snap.ID+1, ids); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("CodeNodes of a snapshot that does not exist: %v, want ENOTFOUND", err)
	}
}

func unindexed(c backend.Column) int {
	if c.Index == 0 {
		return 1
	}
	return 0
}

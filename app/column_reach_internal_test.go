package app

import (
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestReachOf sums up a downstream trace: the readers are its first step,
// the reach every column and node past the focus, exposures counted.
func TestReachOf(t *testing.T) {
	focus := backend.ColumnKey{Node: "model.p.a", Column: "x"}
	tr := backend.ColumnTrace{
		Focus: focus,
		Nodes: []backend.ColumnTraceNode{
			{UniqueID: "exposure.p.dash", ResourceType: backend.TypeExposure, Columns: []string{}},
			{UniqueID: "model.p.a", ResourceType: "model", Columns: []string{"x"}},
			{UniqueID: "model.p.b", ResourceType: "model", Columns: []string{"x", "y"}},
			{UniqueID: "model.p.c", ResourceType: "model", Columns: []string{}},
		},
		Edges: []backend.ColumnEdge{
			{From: focus, To: backend.ColumnKey{Node: "model.p.b", Column: "x"}, Kind: backend.ColumnPassthrough},
			{From: focus, To: backend.ColumnKey{Node: "model.p.b", Column: "y"}, Kind: backend.ColumnTransformed},
			{From: backend.ColumnKey{Node: "model.p.b", Column: "y"}, To: backend.ColumnKey{Node: "exposure.p.dash"}, Kind: backend.ColumnExposed},
			{From: backend.ColumnKey{Node: "model.p.b", Column: "y"}, To: backend.ColumnKey{Node: "model.p.c"}, Kind: backend.ColumnFilter},
		},
		Truncated: true,
	}
	readers, reach := reachOf(tr)
	if len(readers) != 2 || readers[1] != (backend.ColumnKey{Node: "model.p.b", Column: "y"}) {
		t.Errorf("readers %+v", readers)
	}
	if *reach != (backend.ColumnReach{Columns: 2, Nodes: 3, Exposures: 1, Truncated: true}) {
		t.Errorf("reach %+v", *reach)
	}
}

package columnlineage_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/columnlineage"
	"github.com/lineagedesk/lineagedesk/backend/sqlparse"
)

// memorySnapshot is a snapshot's nodes by unique_id.
type memorySnapshot map[string]backend.CodeNode

func (m memorySnapshot) CodeNodes(_ context.Context, ids []string) ([]backend.CodeNode, error) {
	var out []backend.CodeNode
	for _, id := range ids {
		if n, ok := m[id]; ok {
			out = append(out, n)
		}
	}
	return out, nil
}

func (m memorySnapshot) SemanticLayer(context.Context) ([]string, error) {
	ids := []string{}
	for id, n := range m {
		switch n.ResourceType {
		case backend.TypeSemanticModel, backend.TypeMetric, backend.TypeSavedQuery:
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// TestSemanticLayerDefinitions reads semantic models and metrics whose
// definitions are hand-written, odd or broken: what can be read is, the
// rest is said.
func TestSemanticLayerDefinitions(t *testing.T) {
	nodes := map[string]backend.CodeNode{}
	add := func(n backend.CodeNode, def string) {
		n.Definition = json.RawMessage(def)
		nodes[n.UniqueID] = n
	}
	add(stgOrders, "")
	add(backend.CodeNode{UniqueID: "semantic_model.p.orders", ResourceType: "semantic_model", Name: "orders", DependsOn: []string{stgOrders.UniqueID}},
		`{"entities": [{"name": "order", "expr": "order_id"}], "dimensions": [{"name": "ordered_at"}, {"name": "bad", "expr": "(("}],
		  "measures": [{"name": "total", "expr": "amount * 2"}, {"name": "n", "expr": 1}]}`)
	add(backend.CodeNode{UniqueID: "metric.p.total", ResourceType: "metric", Name: "total", DependsOn: []string{"semantic_model.p.orders"}},
		`{"type_params": {"measure": {"name": "total"}}}`)
	add(backend.CodeNode{UniqueID: "metric.p.twice", ResourceType: "metric", Name: "twice", DependsOn: []string{"metric.p.total"}},
		`{"type_params": {"expr": "total * 2", "metrics": [{"name": "total"}, {"name": "missing"}]}}`)
	add(backend.CodeNode{UniqueID: "metric.p.broken", ResourceType: "metric", Name: "broken", DependsOn: []string{"semantic_model.p.orders"}},
		`{"type_params": {"measure": 5}}`)
	add(backend.CodeNode{UniqueID: "semantic_model.p.orphan", ResourceType: "semantic_model", Name: "orphan"}, `{}`)
	p := columnlineage.NewProject(memorySnapshot(nodes), sqlparse.ANSI)
	got, err := p.Columns(t.Context(), []string{"semantic_model.p.orders", "metric.p.total", "metric.p.twice", "metric.p.broken", "semantic_model.p.orphan"})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, nc := range got {
		lines = append(lines, "["+nc.Node+"]")
		if nc.Problem != "" {
			lines = append(lines, "problem: "+nc.Problem)
		}
		for _, c := range nc.Columns {
			var from []string
			for _, s := range c.Sources {
				from = append(from, sourceName(s)+" "+s.Kind)
			}
			lines = append(lines, c.Name+" <- "+strings.Join(from, ", "))
		}
	}
	want := `[semantic_model.p.orders]
problem: some of its expressions could not be read: bad: "((" could not be read as SQL
order <- stg_orders.order_id rename
ordered_at <- stg_orders.ordered_at passthrough
total <- stg_orders.amount transformed
n <- 
order_id <- stg_orders.order_id passthrough
customer_id <- stg_orders.customer_id passthrough
amount <- stg_orders.amount passthrough
[metric.p.total]
total <- orders.total transformed
[metric.p.twice]
twice <- total.total transformed
[metric.p.broken]
problem: its definition could not be read
[semantic_model.p.orphan]
problem: it reads no model this snapshot holds`
	if g := strings.Join(lines, "\n"); g != want {
		t.Errorf("got\n%s\nwant\n%s", g, want)
	}
}

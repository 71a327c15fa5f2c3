package columnlineage_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/columnlineage"
	"github.com/lineagedesk/lineagedesk/backend/sqlparse"
)

// semanticProject is a small project with the semantic layer's every end:
// two seeds, their semantic models, metrics with filters in dbt 1.6's and
// 1.7+'s shapes, a saved query and an exposure.
func semanticProject() memorySnapshot {
	nodes := memorySnapshot{}
	add := func(n backend.CodeNode, def string) {
		if def != "" {
			n.Definition = json.RawMessage(def)
		}
		nodes[n.UniqueID] = n
	}
	add(backend.CodeNode{UniqueID: "seed.p.orders", ResourceType: "seed", Name: "orders",
		Columns: cols("order_id", "customer_id", "ordered_at", "is_food", "amount"),
		ReadBy:  []string{"exposure.p.dash", "semantic_model.p.orders", "test.p.not_null_orders_order_id"}}, "")
	add(backend.CodeNode{UniqueID: "seed.p.customers", ResourceType: "seed", Name: "customers",
		Columns: cols("customer_id", "region", "first_seen"), ReadBy: []string{"semantic_model.p.customers"}}, "")
	add(backend.CodeNode{UniqueID: "exposure.p.dash", ResourceType: "exposure", Name: "dash", DependsOn: []string{"seed.p.orders"}}, "")
	add(backend.CodeNode{UniqueID: "semantic_model.p.orders", ResourceType: "semantic_model", Name: "orders",
		DependsOn: []string{"seed.p.orders"}, ReadBy: []string{"metric.p.regional", "metric.p.total"}},
		`{"entities": [{"name": "order_id", "type": "primary"}, {"name": "customer", "type": "foreign", "expr": "customer_id"}],
		  "dimensions": [{"name": "ordered_at", "type": "time"}, {"name": "is_food", "type": "categorical"}],
		  "measures": [{"name": "total", "expr": "amount", "agg_time_dimension": null}],
		  "defaults": {"agg_time_dimension": "ordered_at"}}`)
	add(backend.CodeNode{UniqueID: "semantic_model.p.customers", ResourceType: "semantic_model", Name: "customers",
		DependsOn: []string{"seed.p.customers"}},
		`{"entities": [{"name": "customer", "type": "primary", "expr": "customer_id"}],
		  "dimensions": [{"name": "region", "type": "categorical"}, {"name": "first_seen", "type": "time"}],
		  "measures": [], "defaults": {"agg_time_dimension": "first_seen"}}`)
	// dbt 1.6: a filter is one template.
	add(backend.CodeNode{UniqueID: "metric.p.total", ResourceType: "metric", Name: "total",
		DependsOn: []string{"semantic_model.p.orders"}, ReadBy: []string{"metric.p.share", "saved_query.p.q"}},
		`{"type_params": {"measure": {"name": "total", "filter": {"where_sql_template": "{{ Dimension('order_id__is_food') }} = true"}}}}`)
	// dbt 1.12: the metric aggregates over its semantic model; its filters
	// read a dimension of another semantic model (through the customer
	// entity), one no semantic model has, metric_time, and a metric.
	add(backend.CodeNode{UniqueID: "metric.p.regional", ResourceType: "metric", Name: "regional",
		DependsOn: []string{"semantic_model.p.orders"}, ReadBy: []string{"metric.p.share", "saved_query.p.q"}},
		`{"filter": {"where_filters": [{"where_sql_template": "{{ Dimension('customer__region') }} = 'EU'"},
		  {"where_sql_template": "{{ Dimension('order_id__nowhere') }} > 1"},
		  {"where_sql_template": "{{ TimeDimension('metric_time', 'day') }} > '2020-01-01'"},
		  {"where_sql_template": "{{ Metric('total', group_by=['customer']) }} > 10"}]},
		  "type_params": {"expr": "amount", "metric_aggregation_params": {"semantic_model": "orders", "agg_time_dimension": "ordered_at"}}}`)
	// A ratio whose denominator is filtered on an entity.
	add(backend.CodeNode{UniqueID: "metric.p.share", ResourceType: "metric", Name: "share",
		DependsOn: []string{"metric.p.regional", "metric.p.total"}},
		`{"type_params": {"numerator": {"name": "regional"}, "denominator": {"name": "total", "filter": {"where_filters": [{"where_sql_template": "{{ Entity('customer') }} is not null"}]}}}}`)
	add(backend.CodeNode{UniqueID: "saved_query.p.q", ResourceType: "saved_query", Name: "q",
		DependsOn: []string{"metric.p.regional", "metric.p.total"}},
		`{"query_params": {"metrics": ["total", "regional", "gone"],
		  "group_by": ["Entity('customer')", "Dimension('customer__region')", "TimeDimension('metric_time', 'month')",
		    "Dimension('order_id__ordered_at').grain('week')", "TimeDimension('customer__first_seen__year')", "Oops"],
		  "where": {"where_filters": [{"where_sql_template": "{{ Dimension('order_id__is_food') }}"}]}}}`)
	return nodes
}

func TestMetricFiltersAndSavedQueries(t *testing.T) {
	p := columnlineage.NewProject(semanticProject(), sqlparse.ANSI)
	got, err := p.Columns(t.Context(), []string{"metric.p.total", "metric.p.regional", "metric.p.share", "saved_query.p.q"})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	expressions := map[string]string{}
	for _, nc := range got {
		lines = append(lines, "["+nc.Node+"]", describe(*nc))
		for _, c := range nc.Columns {
			if c.Expression != "" {
				expressions[c.Name] = c.Expression
			}
		}
	}
	want := `[metric.p.total]
total <- orders.total transformed
reads: orders.is_food
[metric.p.regional]
regional <- orders.amount transformed ?Dimension('order_id__nowhere')
reads: total.total, customers.region
[metric.p.share]
share <- regional.regional transformed, total.total transformed
reads: orders.customer
[saved_query.p.q]
customer <- orders.customer passthrough
customer__region <- customers.region rename
metric_time__month <- orders.ordered_at transformed
order_id__ordered_at__week <- orders.ordered_at transformed
customer__first_seen__year <- customers.first_seen transformed
total <- total.total passthrough
regional <- regional.regional passthrough
gone <- ?gone
reads: orders.is_food
problem: it names what no semantic model or metric of the snapshot holds: Oops, gone`
	if g := strings.Join(lines, "\n"); g != want {
		t.Errorf("got\n%s\nwant\n%s", g, want)
	}
	wantExpressions := map[string]string{
		"regional":                   "amount",
		"metric_time__month":         "TimeDimension('metric_time', 'month')",
		"order_id__ordered_at__week": "Dimension('order_id__ordered_at').grain('week')",
		"customer__first_seen__year": "TimeDimension('customer__first_seen__year')",
	}
	if fmt.Sprint(expressions) != fmt.Sprint(wantExpressions) {
		t.Errorf("expressions %v, want %v", expressions, wantExpressions)
	}
}

// TestTraceReachesSemanticLayerAndExposures follows seed columns down: into
// the exposure that uses the seed, the saved query grouping by an entity,
// and the metric and saved query that filter on a dimension without
// depending on its semantic model.
func TestTraceReachesSemanticLayerAndExposures(t *testing.T) {
	p := columnlineage.NewProject(semanticProject(), sqlparse.ANSI)
	cases := map[backend.ColumnKey]string{
		{Node: "seed.p.orders", Column: "customer_id"}: `customer_id -> dash (exposed)
customer_id -> orders.customer (rename)
customer_id -> orders.customer_id (passthrough)
orders.customer -> share (filter)
orders.customer -> q.customer (passthrough)`,
		{Node: "seed.p.customers", Column: "region"}: `region -> customers.region (passthrough)
customers.region -> regional (filter)
customers.region -> q.customer__region (rename)`,
		{Node: "seed.p.orders", Column: "is_food"}: `is_food -> dash (exposed)
is_food -> orders.is_food (passthrough)
orders.is_food -> total (filter)
orders.is_food -> q (filter)`,
	}
	for focus, want := range cases {
		tr, err := p.Trace(t.Context(), focus, columnlineage.Downstream, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, e := range tr.Edges {
			lines = append(lines, traceEnd(e.From, focus)+" -> "+traceEnd(e.To, focus)+" ("+e.Kind+")")
		}
		if g := strings.Join(lines, "\n"); g != want {
			t.Errorf("%s.%s downstream:\ngot\n%s\nwant\n%s", focus.Node, focus.Column, g, want)
		}
	}
}

// traceEnd names a trace's column by its node's name, the focus's node
// left out, a whole node by its name alone.
func traceEnd(k, focus backend.ColumnKey) string {
	name := k.Node[strings.LastIndex(k.Node, ".")+1:]
	switch {
	case k.Column == "":
		return name
	case k.Node == focus.Node:
		return k.Column
	}
	return name + "." + k.Column
}

// continuing maps the trace's nodes whose links go on past its depth to
// the ways they go on.
func continuing(t backend.ColumnTrace) map[string][]string {
	out := map[string][]string{}
	for _, n := range t.Nodes {
		if n.Continues != nil {
			out[n.UniqueID] = n.Continues
		}
	}
	return out
}

// TestTraceDepth cuts traces at a depth: the links within it, and the
// nodes whose columns have links past it, which way.
func TestTraceDepth(t *testing.T) {
	p := columnlineage.NewProject(semanticProject(), sqlparse.ANSI)
	focus := backend.ColumnKey{Node: "seed.p.orders", Column: "customer_id"}
	down, err := p.Trace(t.Context(), focus, columnlineage.Downstream, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range down.Edges {
		lines = append(lines, traceEnd(e.From, focus)+" -> "+traceEnd(e.To, focus)+" ("+e.Kind+")")
	}
	continues := continuing(down)
	if got, want := strings.Join(lines, "\n"), `customer_id -> dash (exposed)
customer_id -> orders.customer (rename)
customer_id -> orders.customer_id (passthrough)`; got != want || down.Depth != 1 ||
		fmt.Sprint(continues) != "map[semantic_model.p.orders:[downstream]]" {
		t.Errorf("depth 1 downstream:\n%s\ncontinues %v, depth %d", got, continues, down.Depth)
	}
	// Both ways from the saved query's entity, one level: the semantic
	// model's entity, which is made from the seed's column.
	focus = backend.ColumnKey{Node: "saved_query.p.q", Column: "customer"}
	both, err := p.Trace(t.Context(), focus, columnlineage.Upstream|columnlineage.Downstream, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	continues = continuing(both)
	if len(both.Edges) != 1 || fmt.Sprint(continues) != "map[semantic_model.p.orders:[upstream]]" {
		t.Errorf("depth 1 both ways: %+v, continues %v", both.Edges, continues)
	}
	// All the way: nothing goes on.
	whole, err := p.Trace(t.Context(), focus, columnlineage.Upstream, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if c := continuing(whole); len(c) > 0 {
		t.Errorf("a whole trace goes on past %v", c)
	}
	if len(whole.Edges) != 2 {
		t.Errorf("whole upstream trace: %+v", whole.Edges)
	}
}

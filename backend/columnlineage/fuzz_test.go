package columnlineage_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/columnlineage"
	"github.com/lineagedesk/lineagedesk/backend/sqlparse"
)

// FuzzAnalyze reads arbitrary SQL against the handwritten parents: it may
// not panic, every source is a parent or a relation outside the project,
// and every column has a name.
func FuzzAnalyze(f *testing.F) {
	for _, seed := range []string{
		`with o as (select * from analytics.dbt.stg_orders) select o.*, count(*) over (partition by customer_id) n from o`,
		`select * exclude (amount) replace (order_id * 10 as order_id) rename (ordered_at as ordered_on) from analytics.dbt.stg_orders`,
		`with recursive r (n) as (select 1 union all select n + 1 from r where n < 3) select * from r`,
		`select x.*, (select max(id) from raw.jaffle.customers c where c.id = x.customer_id) m from (select * from dbt.stg_orders) x`,
		`with __dbt__cte__eph as (select * from analytics.dbt.undocumented) select a.b.c.d, e.* from __dbt__cte__eph e, unnest(e.arr) a`,
		`select 1 union all select 2, 3 union select * from customers`,
	} {
		f.Add(seed, uint8(0))
	}
	parents := []backend.CodeNode{stgOrders, rawCustomers, ephemeral, noColumns, documented}
	f.Fuzz(func(t *testing.T, sql string, dialect uint8) {
		node := backend.CodeNode{UniqueID: "model.p.m", ResourceType: "model", Name: "m", CompiledCode: sql,
			Columns: cols("a", "b")}
		nc := columnlineage.Analyze(node, parents, sqlparse.Dialect(int(dialect)%3))
		if nc.Problem != "" && len(nc.Columns) > 0 {
			t.Fatalf("a problem and columns: %+v", nc)
		}
		for _, c := range nc.Columns {
			if c.Name == "" {
				t.Fatalf("a column without a name: %+v", nc)
			}
			for _, s := range c.Sources {
				if (s.Node == "") == (s.Relation == "") || s.Node == node.UniqueID {
					t.Fatalf("source %+v is neither a parent nor a relation outside", s)
				}
			}
		}
	})
}

// FuzzSemanticDefinitions reads arbitrary definitions of a saved query and
// a metric in the semantic project: neither may panic, and every column or
// read they cite is a node of the project.
func FuzzSemanticDefinitions(f *testing.F) {
	project := semanticProject()
	f.Add(string(project["saved_query.p.q"].Definition), string(project["metric.p.regional"].Definition))
	f.Add(`{"query_params": {"metrics": ["total"], "group_by": ["TimeDimension('a__b__c__month', 'day')", "Dimension('')", "Entity('__')"], "where": {"where_sql_template": "{{ Dimension('x__"}}}`,
		`{"filter": {"where_filters": [{"where_sql_template": "{{ Metric('') }} {{ Dimension(\"customer__region\").grain('x') }}"}]}, "type_params": {"metrics": [{"name": "share", "filter": 3}]}}`)
	f.Fuzz(func(t *testing.T, savedQuery, metric string) {
		nodes := semanticProject()
		q, m := nodes["saved_query.p.q"], nodes["metric.p.regional"]
		q.Definition, m.Definition = json.RawMessage(savedQuery), json.RawMessage(metric)
		nodes[q.UniqueID], nodes[m.UniqueID] = q, m
		p := columnlineage.NewProject(nodes, sqlparse.ANSI)
		got, err := p.Columns(t.Context(), []string{q.UniqueID, m.UniqueID, "metric.p.share"})
		if err != nil {
			t.Fatal(err)
		}
		for _, nc := range got {
			cited := slices.Clone(nc.Reads)
			for _, c := range nc.Columns {
				cited = append(cited, c.Sources...)
			}
			for _, s := range cited {
				if _, ok := nodes[s.Node]; !ok || s.Column == "" {
					t.Fatalf("%s cites %+v, no column of the project", nc.Node, s)
				}
			}
		}
	})
}

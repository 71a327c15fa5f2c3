package columnlineage_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/columnlineage"
	"github.com/lineagedesk/lineagedesk/backend/sqlparse"
)

// The parents the handwritten models read.
var (
	stgOrders = backend.CodeNode{UniqueID: "model.p.stg_orders", ResourceType: "model", Name: "stg_orders",
		Database: "analytics", Schema: "dbt", Identifier: "stg_orders",
		Columns: cols("order_id", "customer_id", "amount", "ordered_at")}
	rawCustomers = backend.CodeNode{UniqueID: "source.p.raw.customers", ResourceType: "source", Name: "customers",
		Database: "raw", Schema: "jaffle", Identifier: "customers", Columns: cols("id", "first_name", "last_name")}
	ephemeral = backend.CodeNode{UniqueID: "model.p.eph", ResourceType: "model", Name: "eph", Materialized: "ephemeral"}
	// Its YAML documents one column; the catalog does not have it.
	documented = backend.CodeNode{UniqueID: "model.p.documented", ResourceType: "model", Name: "documented",
		Database: "analytics", Schema: "dbt", Identifier: "documented", Columns: []backend.CodeColumn{{Name: "id"}}}
	noColumns = backend.CodeNode{UniqueID: "model.p.undocumented", ResourceType: "model", Name: "undocumented",
		Database: "analytics", Schema: "dbt", Identifier: "undocumented"}
)

func cols(names ...string) []backend.CodeColumn {
	out := make([]backend.CodeColumn, len(names))
	for i, n := range names {
		out[i] = backend.CodeColumn{Name: n, InCatalog: true}
	}
	return out
}

// describe writes a node's column lineage one line a column:
// "name <- node.column kind, ...", then "reads: ...".
func describe(nc backend.NodeColumns) string {
	var lines []string
	for _, c := range nc.Columns {
		var from []string
		for _, s := range c.Sources {
			from = append(from, sourceName(s)+" "+s.Kind)
		}
		line := c.Name + " <-"
		if len(from) > 0 {
			line += " " + strings.Join(from, ", ")
		}
		if len(c.Unresolved) > 0 {
			line += " ?" + strings.Join(c.Unresolved, ",")
		}
		lines = append(lines, line)
	}
	var reads []string
	for _, r := range nc.Reads {
		reads = append(reads, sourceName(r))
	}
	lines = append(lines, "reads: "+strings.Join(reads, ", "))
	if nc.Problem != "" {
		lines = append(lines, "problem: "+nc.Problem)
	}
	return strings.Join(lines, "\n")
}

func sourceName(s backend.ColumnSource) string {
	node := s.Node
	if node == "" {
		node = "[" + s.Relation + "]"
	} else {
		node = node[strings.LastIndex(node, ".")+1:]
	}
	return node + "." + s.Column
}

func TestAnalyze(t *testing.T) {
	parents := []backend.CodeNode{stgOrders, rawCustomers, ephemeral, noColumns, documented}
	cases := []struct {
		name    string
		node    backend.CodeNode
		dialect sqlparse.Dialect
		sql     string
		want    string
	}{{
		name: "CTEs, a join, aggregates and filters",
		sql: `with o as (select * from analytics.dbt.stg_orders),
c as (select id as customer_id, first_name || ' ' || last_name as full_name from "raw"."jaffle"."customers")
select c.customer_id, c.full_name, sum(o.amount) as total, count(*) as n
from c left join o on o.customer_id = c.customer_id
where o.ordered_at > '2020-01-01'
group by 1, 2`,
		want: `customer_id <- customers.id rename
full_name <- customers.first_name transformed, customers.last_name transformed
total <- stg_orders.amount transformed
n <-
reads: stg_orders.customer_id, stg_orders.ordered_at, customers.id`,
	}, {
		name: "unqualified names find their relation; a schema-qualified name its node",
		sql: `select order_id, first_name, upper(last_name) as last_name
from dbt.stg_orders join customers on customer_id = id`,
		want: `order_id <- stg_orders.order_id passthrough
first_name <- customers.first_name passthrough
last_name <- customers.last_name transformed
reads: stg_orders.customer_id, customers.id`,
	}, {
		name: "star modifiers: EXCLUDE, REPLACE and RENAME",
		sql:  `select * exclude (amount) replace (order_id * 10 as order_id) rename (ordered_at as ordered_on) from analytics.dbt.stg_orders`,
		want: `order_id <- stg_orders.order_id transformed
customer_id <- stg_orders.customer_id passthrough
ordered_on <- stg_orders.ordered_at rename
reads: `,
	}, {
		name: "a union: each column from the same place of every branch",
		sql: `select order_id as id, amount from analytics.dbt.stg_orders
union all
select id, 0 from raw.jaffle.customers`,
		want: `id <- stg_orders.order_id rename, customers.id passthrough
amount <- stg_orders.amount passthrough
reads: `,
	}, {
		name: "an ephemeral model's CTE is the ephemeral model",
		sql: `with __dbt__cte__eph as (
    select order_id, amount * 2 as double_amount from analytics.dbt.stg_orders
)
select e.order_id, e.double_amount + 1 as bumped from __dbt__cte__eph e`,
		want: `order_id <- eph.order_id passthrough
bumped <- eph.double_amount transformed
reads: `,
	}, {
		name: "an incremental model reading itself reads no parent for it",
		node: backend.CodeNode{UniqueID: "model.p.incr", ResourceType: "model", Name: "incr",
			Database: "analytics", Schema: "dbt", Identifier: "incr", Columns: cols("order_id", "ordered_at")},
		sql: `select order_id, ordered_at from analytics.dbt.stg_orders
where ordered_at > (select max(ordered_at) from analytics.dbt.incr)`,
		want: `order_id <- stg_orders.order_id passthrough
ordered_at <- stg_orders.ordered_at passthrough
reads: stg_orders.ordered_at`,
	}, {
		name: "a relation without listed columns answers for any name; one outside the project is named",
		sql: `select u.anything, x.other as renamed
from analytics.dbt.undocumented u join analytics.elsewhere.table_x x on u.key = x.key`,
		want: `anything <- undocumented.anything passthrough
renamed <- [analytics.elsewhere.table_x].other rename
reads: [analytics.elsewhere.table_x].key, undocumented.key`,
	}, {
		name: "a star over a relation without listed columns takes the node's own column names",
		node: backend.CodeNode{UniqueID: "model.p.wide", ResourceType: "model", Name: "wide",
			Columns: cols("a", "b", "extra")},
		sql:  `with base as (select * from analytics.dbt.undocumented) select *, a + b as extra from base`,
		want: "a <- undocumented.a passthrough\nb <- undocumented.b passthrough\nextra <- undocumented.a transformed, undocumented.b transformed\nreads: ",
	}, {
		name: "a relation whose YAML documents some columns has the others too; a name two such relations may have is not guessed",
		sql: `select d.id, d.amount, u.amount as other_amount, shared
from analytics.dbt.documented d join analytics.dbt.undocumented u on d.id = u.id`,
		want: `id <- documented.id passthrough
amount <- documented.amount passthrough
other_amount <- undocumented.amount rename
shared <- ?shared
reads: documented.id, undocumented.id`,
	}, {
		name: "a PIVOT makes a column per value, from what it aggregates and pivots on",
		sql: `select customer_id, "2024" as y2024, pivoted."2025", other from (select customer_id, amount, ordered_at from analytics.dbt.stg_orders) s
pivot (sum(amount) for ordered_at in ('2024', '2025' as "2025", 'x')) as pivoted`,
		want: `customer_id <- stg_orders.customer_id passthrough
y2024 <- stg_orders.amount transformed, stg_orders.ordered_at transformed
2025 <- stg_orders.amount transformed, stg_orders.ordered_at transformed
other <- ?other
reads: `,
	}, {
		name: "an UNPIVOT makes its value column from the columns it unpivots, its name column from none",
		sql: `select order_id, kind, value from (select order_id, amount, customer_id from analytics.dbt.stg_orders) s
unpivot (value for kind in (amount as 'amt', customer_id))`,
		want: `order_id <- stg_orders.order_id passthrough
kind <-
value <- stg_orders.amount transformed, stg_orders.customer_id transformed
reads: `,
	}, {
		name: "a lateral column alias reads the item it names",
		sql:  `select amount * 2 as doubled, doubled + 1 as bumped from analytics.dbt.stg_orders`,
		want: `doubled <- stg_orders.amount transformed
bumped <- stg_orders.amount transformed
reads: `,
	}, {
		name: "an expression without an alias takes the node's column at its place",
		node: backend.CodeNode{UniqueID: "model.p.counts", ResourceType: "model", Name: "counts",
			Columns: cols("CUSTOMER_ID", "ORDERS")},
		sql: `select customer_id, count(order_id) from analytics.dbt.stg_orders group by customer_id`,
		want: `CUSTOMER_ID <- stg_orders.customer_id passthrough
ORDERS <- stg_orders.order_id transformed
reads: stg_orders.customer_id`,
	}, {
		name: "a derived table and a scalar subquery",
		sql: `select t.customer_id, (select count(*) from raw.jaffle.customers c where c.id = t.customer_id) as n_customers
from (select customer_id, sum(amount) as total from analytics.dbt.stg_orders group by 1) as t
where t.total > 0`,
		want: `customer_id <- stg_orders.customer_id passthrough
n_customers <-
reads: stg_orders.amount, stg_orders.customer_id, customers.id`,
	}, {
		name: "a name no relation has is said to be unresolved",
		sql:  `select nope as x, amount from analytics.dbt.stg_orders`,
		want: `x <- ?nope
amount <- stg_orders.amount passthrough
reads: `,
	}, {
		name:    "BigQuery: a backquoted project.dataset.table",
		dialect: sqlparse.BigQuery,
		sql:     "select o.order_id, o.amount from `analytics.dbt.stg_orders` as o",
		want: `order_id <- stg_orders.order_id passthrough
amount <- stg_orders.amount passthrough
reads: `,
	}, {
		name: "a Python model",
		node: backend.CodeNode{UniqueID: "model.p.py", ResourceType: "model", Name: "py", Language: "python"},
		sql:  "def model(dbt, session): return dbt.ref('x')",
		want: "reads: \nproblem: a Python model: dbt does not compile its code to SQL, so its columns' sources are unknown",
	}, {
		name: "SQL that cannot be read",
		sql:  "select (a from analytics.dbt.stg_orders",
		want: "reads: \nproblem: its compiled SQL could not be read: ",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			node := c.node
			if node.UniqueID == "" {
				node = backend.CodeNode{UniqueID: "model.p.m", ResourceType: "model", Name: "m"}
			}
			node.CompiledCode = c.sql
			got := describe(columnlineage.Analyze(node, parents, c.dialect))
			if strings.HasSuffix(c.want, "could not be read: ") {
				if !strings.HasPrefix(got, c.want) || !strings.Contains(got, "line 1") {
					t.Fatalf("got\n%s\nwant it to start with\n%s\nand say where", got, c.want)
				}
				return
			}
			if got != c.want {
				t.Fatalf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

// TestAnalyzeWithoutSQL covers a node dbt did not compile.
func TestAnalyzeWithoutSQL(t *testing.T) {
	nc := columnlineage.Analyze(backend.CodeNode{UniqueID: "model.p.m", ResourceType: "model", Package: "p", Path: "models/m.sql"}, nil, sqlparse.ANSI)
	if !strings.Contains(nc.Problem, "no compiled SQL") || len(nc.Columns) != 0 {
		t.Fatalf("got %+v", nc)
	}
	// Another project's public model, as dbt writes a cross-project ref:
	// no file and no code, which is no fault of the command that ran.
	ref := columnlineage.Analyze(backend.CodeNode{UniqueID: "model.platform.orders", ResourceType: "model", Package: "platform"}, nil, sqlparse.ANSI)
	if !strings.Contains(ref.Problem, "a public model of project platform") || len(ref.Columns) != 0 {
		t.Fatalf("a cross-project ref: %+v", ref)
	}
}

func ExampleAnalyze() {
	node := backend.CodeNode{UniqueID: "model.p.customers", ResourceType: "model", Name: "customers",
		CompiledCode: `select id as customer_id, first_name || ' ' || last_name as name from raw.jaffle.customers`}
	nc := columnlineage.Analyze(node, []backend.CodeNode{rawCustomers}, sqlparse.ANSI)
	for _, c := range nc.Columns {
		var from []string
		for _, s := range c.Sources {
			from = append(from, fmt.Sprintf("%s.%s (%s)", s.Node, s.Column, s.Kind))
		}
		slices.Sort(from)
		fmt.Println(c.Name, "<-", strings.Join(from, ", "))
	}
	// Output:
	// customer_id <- source.p.raw.customers.id (rename)
	// name <- source.p.raw.customers.first_name (transformed), source.p.raw.customers.last_name (transformed)
}

package app_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

// jaffleApp is the app on the demo project, jaffle_shop on DuckDB, whose
// compiled SQL the expectations below are read from.
func jaffleApp(t *testing.T) *app.App {
	t.Helper()
	return appWith(t, "jaffle-dap-v12-1.12")
}

// appWith is the app on a fresh store holding one fixture.
func appWith(t *testing.T, dataset string) *app.App {
	t.Helper()
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, ""); err != nil {
		t.Fatal(err)
	}
	return a
}

func shortKey(k backend.ColumnKey) string {
	name := k.Node[strings.LastIndex(k.Node, ".")+1:]
	if k.Column == "" {
		return name
	}
	return name + "." + k.Column
}

func edgeLines(t backend.ColumnTrace) []string {
	var out []string
	for _, e := range t.Edges {
		out = append(out, fmt.Sprintf("%s -> %s %s", shortKey(e.From), shortKey(e.To), e.Kind))
	}
	return out
}

// columnLines writes a node's column lineage a line a column:
// "name <- node.column kind, ...".
func columnLines(nc backend.NodeColumns) []string {
	var lines []string
	for _, c := range nc.Columns {
		var from []string
		for _, s := range c.Sources {
			from = append(from, shortKey(backend.ColumnKey{Node: s.Node, Column: s.Column})+" "+s.Kind)
		}
		lines = append(lines, c.Name+" <- "+strings.Join(from, ", "))
	}
	return lines
}

// describeColumns writes columnLines, then "reads: node.column, ...".
func describeColumns(nc backend.NodeColumns) string {
	lines := columnLines(nc)
	var reads []string
	for _, r := range nc.Reads {
		reads = append(reads, shortKey(backend.ColumnKey{Node: r.Node, Column: r.Column}))
	}
	return strings.Join(append(lines, "reads: "+strings.Join(reads, ", ")), "\n")
}

// TestColumnLineageOfJaffle checks the demo project's column lineage
// against its compiled SQL, read by hand (testdata/fixtures/
// jaffle-dap-v12-1.12: customers selects customers.* from stg_customers
// and aggregates of orders; orders is stg_orders.* and order_items'
// aggregates; stg_orders renames and computes the raw_orders source).
func TestColumnLineageOfJaffle(t *testing.T) {
	a := jaffleApp(t)
	nc, err := a.ColumnLineage(0, "model.jaffle_shop.customers")
	if err != nil {
		t.Fatal(err)
	}
	got := columnLines(nc)
	want := []string{
		"customer_id <- stg_customers.customer_id passthrough",
		"customer_name <- stg_customers.customer_name passthrough",
		"count_lifetime_orders <- orders.order_id transformed",
		"first_ordered_at <- orders.ordered_at transformed",
		"last_ordered_at <- orders.ordered_at transformed",
		"lifetime_spend_pretax <- orders.subtotal transformed",
		"lifetime_tax_paid <- orders.tax_paid transformed",
		"lifetime_spend <- orders.order_total transformed",
		"customer_type <- orders.order_id transformed",
	}
	if !slices.Equal(got, want) {
		t.Errorf("customers' columns:\n got %q\nwant %q", got, want)
	}
	var reads []string
	for _, r := range nc.Reads {
		reads = append(reads, shortKey(backend.ColumnKey{Node: r.Node, Column: r.Column}))
	}
	// The join: customers.customer_id = customer_orders_summary.customer_id.
	if want := []string{"orders.customer_id", "stg_customers.customer_id"}; !slices.Equal(reads, want) {
		t.Errorf("customers reads %q, want %q", reads, want)
	}
	if e := nc.Columns[7].Expression; e != "sum(orders.order_total) as lifetime_spend" {
		t.Errorf("lifetime_spend is computed as %q", e)
	}

	up, err := a.ColumnTrace(0, "model.jaffle_shop.customers", "CUSTOMER_TYPE", "upstream", 0)
	if err != nil {
		t.Fatal(err)
	}
	wantUp := []string{
		"orders.order_id -> customers.customer_type transformed",
		"stg_orders.order_id -> orders.order_id passthrough",
		"raw_orders.id -> stg_orders.order_id rename",
	}
	if got := edgeLines(up); !slices.Equal(got, wantUp) {
		t.Errorf("customer_type upstream:\n got %q\nwant %q", got, wantUp)
	}
	if up.Focus.Column != "customer_type" || !strings.Contains(up.Edges[0].Expression, "customer_orders_summary.is_repeat_buyer") {
		t.Errorf("focus %+v, first edge %+v", up.Focus, up.Edges[0])
	}

	down, err := a.ColumnTrace(0, "stg_orders", "ordered_at", "downstream", 0)
	if err != nil {
		t.Fatal(err)
	}
	// The semantic models' dimensions too (no expr: the column itself):
	// customers' first_ordered_at and last_ordered_at, order_items'
	// ordered_at, orders' ordered_at and customer_order_number.
	wantDown := []string{
		"customers.first_ordered_at -> customers.first_ordered_at passthrough",
		"customers.last_ordered_at -> customers.last_ordered_at passthrough",
		"order_items.ordered_at -> order_items.ordered_at passthrough",
		"orders.customer_order_number -> orders.customer_order_number passthrough",
		"orders.ordered_at -> customers.first_ordered_at transformed",
		"orders.ordered_at -> customers.last_ordered_at transformed",
		"orders.ordered_at -> orders.ordered_at passthrough",
		"stg_orders.ordered_at -> order_items.ordered_at passthrough",
		"stg_orders.ordered_at -> orders.customer_order_number transformed",
		"stg_orders.ordered_at -> orders.ordered_at passthrough",
		// The saved queries' metric_time: every metric of revenue_metrics
		// aggregates over order_items, of order_metrics over orders, both
		// by ordered_at (metric_aggregation_params.agg_time_dimension).
		"order_items.ordered_at -> revenue_metrics.metric_time__day transformed",
		// new_customer_orders' filter: Dimension('order_id__customer_order_number') = 1.
		"orders.customer_order_number -> new_customer_orders filter",
		"orders.ordered_at -> order_metrics.metric_time__day transformed",
	}
	if got := edgeLines(down); !slices.Equal(got, wantDown) {
		t.Errorf("stg_orders.ordered_at downstream:\n got %q\nwant %q", got, wantDown)
	}
	var nodes []string
	for _, n := range down.Nodes {
		nodes = append(nodes, n.UniqueID+fmt.Sprint(n.Columns))
	}
	if want := []string{"metric.jaffle_shop.new_customer_orders[]", "model.jaffle_shop.customers[first_ordered_at last_ordered_at]", "model.jaffle_shop.order_items[ordered_at]",
		"model.jaffle_shop.orders[ordered_at customer_order_number]", "model.jaffle_shop.stg_orders[ordered_at]",
		"saved_query.jaffle_shop.order_metrics[metric_time__day]", "saved_query.jaffle_shop.revenue_metrics[metric_time__day]",
		"semantic_model.jaffle_shop.customers[first_ordered_at last_ordered_at]", "semantic_model.jaffle_shop.order_items[ordered_at]",
		"semantic_model.jaffle_shop.orders[customer_order_number ordered_at]"}; !slices.Equal(nodes, want) {
		t.Errorf("trace nodes %q, want %q", nodes, want)
	}

	// One level down: the models reading stg_orders.ordered_at, each
	// saying the links go on past it.
	near, err := a.ColumnTrace(0, "stg_orders", "ordered_at", "downstream", 1)
	if err != nil {
		t.Fatal(err)
	}
	var goOn []string
	for _, n := range near.Nodes {
		if len(n.Continues) > 0 {
			goOn = append(goOn, n.Name+fmt.Sprint(n.Continues))
		}
	}
	if got, want := edgeLines(near), wantDown[7:10]; !slices.Equal(got, want) || !slices.Equal(goOn, []string{"order_items[downstream]", "orders[downstream]"}) {
		t.Errorf("stg_orders.ordered_at one level down:\n got %q, going on past %q\nwant %q", got, goOn, want)
	}
	if _, err := a.ColumnTrace(0, "stg_orders", "ordered_at", "", -1); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("depth -1: %v", err)
	}

	// A join on a column reaches the reading node as a whole.
	both, err := a.ColumnTrace(0, "model.jaffle_shop.orders", "customer_id", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := edgeLines(both); !slices.Contains(got, "orders.customer_id -> customers filter") ||
		!slices.Contains(got, "stg_orders.customer_id -> orders.customer_id passthrough") ||
		!slices.Contains(got, "raw_orders.customer -> stg_orders.customer_id rename") {
		t.Errorf("orders.customer_id both ways: %q", got)
	}
}

func TestColumnLineageErrors(t *testing.T) {
	a := jaffleApp(t)
	_, err := a.ColumnTrace(0, "model.jaffle_shop.customers", "lifetime_spent", "", 0)
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "lifetime_spend") {
		t.Errorf("a slip in a column's name: %v, want ENOTFOUND naming lifetime_spend", err)
	}
	// customers names a model, its semantic model and a metric.
	if _, err := a.ColumnLineage(0, "customers"); err == nil || !strings.Contains(err.Error(), "model.jaffle_shop.customers") {
		t.Errorf("an ambiguous name: %v", err)
	}
	if _, err := a.ColumnTrace(0, "model.jaffle_shop.customers", "customer_id", "sideways", 0); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("a direction that is none: %v", err)
	}
	if _, err := a.ColumnTracePicture(0, "model.jaffle_shop.customers", "customer_id", "", 0, "xlsx"); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("a format a trace is not written in: %v", err)
	}
	if _, err := a.ColumnLineage(0, "model.jaffle_shop.nope"); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("a node that is not: %v", err)
	}
	// A source has no SQL: its columns are where lineage starts.
	src, err := a.ColumnLineage(0, "source.jaffle_shop.ecom.raw_orders")
	if err != nil || len(src.Columns) != 7 || len(src.Columns[0].Sources) != 0 || src.Problem != "" {
		t.Errorf("a source's columns: %+v, %v", src, err)
	}
}

// TestColumnTraceFileNameHoldsTheVersion: the traces of one column of two
// versions of a model are two files.
func TestColumnTraceFileNameHoldsTheVersion(t *testing.T) {
	a := appWith(t, "bouncer-build-v12-dbt1.11-duckdb")
	p, err := a.ColumnTracePicture(0, "model.dbt_bouncer_test_project.customers.v2", "customer_id", "upstream", 0, "svg")
	if err != nil {
		t.Fatal(err)
	}
	if want := "dbt_bouncer_test_project-customers_v2.customer_id-columns.svg"; p.Filename != want {
		t.Errorf("file name %q, want %q", p.Filename, want)
	}
}

// TestColumnTracePicture draws a trace with graphviz: well-formed SVG,
// one element per node with its stable id and its unique_id as tooltip.
func TestColumnTracePicture(t *testing.T) {
	a := jaffleApp(t)
	p, err := a.ColumnTracePicture(0, "model.jaffle_shop.customers", "lifetime_spend", "upstream", 0, "svg")
	if err != nil {
		t.Fatal(err)
	}
	if p.MimeType != "image/svg+xml" || p.Filename != "jaffle_shop-customers.lifetime_spend-columns.svg" {
		t.Errorf("picture %s, %s", p.MimeType, p.Filename)
	}
	titles := map[string]bool{}
	dec := xml.NewDecoder(strings.NewReader(p.Content))
	inTitle := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			inTitle = el.Name.Local == "title"
		case xml.CharData:
			if inTitle {
				first, _, _ := strings.Cut(string(el), "\n")
				titles[first] = true
			}
		case xml.EndElement:
			inTitle = false
		}
	}
	for _, n := range p.Trace.Nodes {
		if !titles[n.UniqueID] {
			t.Errorf("no element titled %s in the picture", n.UniqueID)
		}
	}
	if len(p.Trace.Nodes) != 4 {
		t.Errorf("the trace has %d nodes, want raw_orders, stg_orders, orders, customers", len(p.Trace.Nodes))
	}
	table, err := a.ColumnTracePicture(0, "model.jaffle_shop.customers", "lifetime_spend", "upstream", 0, "csv")
	if err != nil || table.Filename != "jaffle_shop-customers.lifetime_spend-columns.csv" ||
		!strings.HasPrefix(table.Content, "from_unique_id,") || !strings.Contains(table.Content,
		"\nmodel.jaffle_shop.orders,\"\"\"jaffle_shop\"\".\"\"main\"\".\"\"orders\"\"\",orders,model,order_total,model.jaffle_shop.customers,\"\"\"jaffle_shop\"\".\"\"main\"\".\"\"customers\"\"\",customers,model,lifetime_spend,transformed,sum(orders.order_total) as lifetime_spend\n") {
		t.Errorf("CSV %s (%v):\n%s", table.Filename, err, table.Content)
	}
	dot, err := a.ColumnTracePicture(0, "model.jaffle_shop.customers", "lifetime_spend", "upstream", 0, "dot")
	if err != nil || !strings.HasPrefix(dot.Content, "digraph columns {") || strings.Count(dot.Content, " -> ") != 3 {
		t.Errorf("DOT: %v\n%s", err, dot.Content)
	}
	mmd, err := a.ColumnTracePicture(0, "model.jaffle_shop.customers", "lifetime_spend", "upstream", 0, "mermaid")
	if err != nil || !strings.HasPrefix(mmd.Content, "---\ntitle: \"column lineage of customers.lifetime_spend\"\n---\nflowchart LR\n") ||
		strings.Count(mmd.Content, "  subgraph ") != 4 || strings.Count(mmd.Content, "|computed|") != 2 || len(mmd.Warnings) != 0 ||
		mmd.Filename != "jaffle_shop-customers.lifetime_spend-columns.mmd" {
		t.Errorf("Mermaid %s, warnings %q (%v):\n%s", mmd.Filename, mmd.Warnings, err, mmd.Content)
	}
	// PNG (192 dpi) and PDF come base64; Bytes decodes them.
	for format, magic := range map[string]string{"png": "\x89PNG\r\n", "pdf": "%PDF-"} {
		pic, err := a.ColumnTracePicture(0, "model.jaffle_shop.customers", "lifetime_spend", "upstream", 0, format)
		if err != nil {
			t.Fatal(err)
		}
		b, err := pic.Bytes()
		if err != nil || !pic.Base64 || !strings.HasPrefix(string(b), magic) || pic.MimeType == "" ||
			pic.Filename != "jaffle_shop-customers.lifetime_spend-columns."+format {
			t.Errorf("%s: base64 %v, %s, %s, %.8q (%v)", format, pic.Base64, pic.MimeType, pic.Filename, b, err)
		}
	}
}

// TestColumnLineageOfTheSemanticLayer follows columns into semantic models
// and metrics: dbt 1.12's metrics aggregate an expression over their
// semantic model (jaffle-dap-v12-1.12), earlier ones a measure
// (jaffle-dap-v12-1.10); derived metrics combine metrics. Read by hand from
// the manifests' semantic_models and metrics.
func TestColumnLineageOfTheSemanticLayer(t *testing.T) {
	a := jaffleApp(t)
	down, err := a.ColumnTrace(0, "stg_orders", "order_total", "downstream", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		// Saved query order_metrics asks for metric order_total.
		"order_total.order_total -> order_metrics.order_total passthrough",
		// The customers model's lifetime_spend, its semantic model's column, the metric.
		"customers.lifetime_spend -> customers.lifetime_spend passthrough",
		"orders.order_total -> customers.lifetime_spend transformed",
		// The orders semantic model: the column as such, and dimension order_total_dim (expr: order_total).
		"orders.order_total -> orders.order_total passthrough",
		"orders.order_total -> orders.order_total_dim rename",
		"stg_orders.order_total -> orders.order_total passthrough",
		"customers.lifetime_spend -> lifetime_spend.lifetime_spend transformed",
		"orders.order_total -> order_total.order_total transformed",
		// large_orders' filter: Dimension('order_id__order_total_dim') >= 20.
		"orders.order_total_dim -> large_orders filter",
	}
	if got := edgeLines(down); !slices.Equal(got, want) {
		t.Errorf("stg_orders.order_total downstream:\n got %q\nwant %q", got, want)
	}
	types := map[string]string{}
	for _, n := range down.Nodes {
		types[n.UniqueID] = n.ResourceType
	}
	if types["semantic_model.jaffle_shop.orders"] != "semantic_model" || types["metric.jaffle_shop.order_total"] != "metric" {
		t.Errorf("trace nodes %v", types)
	}
	// A derived metric: its expression over the metrics it combines.
	up, err := a.ColumnTrace(0, "metric.jaffle_shop.average_order_value", "average_order_value", "upstream", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := edgeLines(up); len(got) != 12 || got[0] != "count_lifetime_orders.count_lifetime_orders -> average_order_value.average_order_value transformed" ||
		up.Edges[0].Expression != "lifetime_spend_pretax / count_lifetime_orders" {
		t.Errorf("average_order_value upstream: %q, %q", got, up.Edges[0].Expression)
	}

	// A saved query: a column per group-by, then per metric, as MetricFlow
	// names them. customer_order_metrics groups by Entity('customer'), the
	// customers semantic model's primary entity (expr customer_id), where
	// its metrics count_lifetime_orders and lifetime_spend_pretax aggregate.
	saved, err := a.ColumnLineage(0, "saved_query.jaffle_shop.customer_order_metrics")
	if err != nil {
		t.Fatal(err)
	}
	wantSaved := `customer <- customers.customer passthrough
count_lifetime_orders <- count_lifetime_orders.count_lifetime_orders passthrough
lifetime_spend_pretax <- lifetime_spend_pretax.lifetime_spend_pretax passthrough
average_order_value <- average_order_value.average_order_value passthrough
reads: `
	if got := describeColumns(saved); got != wantSaved || saved.Problem != "" {
		t.Errorf("customer_order_metrics:\n%s\nwant\n%s\nproblem %q", got, wantSaved, saved.Problem)
	}
	// Traced up from its entity: the semantic model's entity, the model's
	// customer_id, stg_customers', raw_customers' id.
	up, err = a.ColumnTrace(0, "saved_query.jaffle_shop.customer_order_metrics", "customer", "upstream", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := edgeLines(up), []string{
		"customers.customer_id -> customers.customer rename",
		"stg_customers.customer_id -> customers.customer_id passthrough",
		"customers.customer -> customer_order_metrics.customer passthrough",
		"raw_customers.id -> stg_customers.customer_id rename",
	}; !slices.Equal(got, want) {
		t.Errorf("customer_order_metrics.customer upstream:\n got %q\nwant %q", got, want)
	}

	old := appWith(t, "jaffle-dap-v12-1.10")
	revenue, err := old.ColumnTrace(0, "metric.jaffle_shop.revenue", "revenue", "upstream", 0)
	if err != nil {
		t.Fatal(err)
	}
	// Measure revenue of semantic model order_item: sum of product_price.
	wantRevenue := []string{
		"order_items.product_price -> order_item.revenue transformed",
		"stg_products.product_price -> order_items.product_price passthrough",
		"order_item.revenue -> revenue.revenue transformed",
		"raw_products.price -> stg_products.product_price transformed",
	}
	if got := edgeLines(revenue); !slices.Equal(got, wantRevenue) {
		t.Errorf("revenue upstream (measures):\n got %q\nwant %q", got, wantRevenue)
	}
}

// TestColumnChanges compares two runs of the hubspot package (dbt 1.8 and
// 1.11, Postgres): the warehouse columns added, removed and retyped are
// those the two catalog.json files differ by, computed here from the files;
// each removed or retyped column comes with what read it before.
func TestColumnChanges(t *testing.T) {
	a, _, _ := openApp(t)
	var ids []int64
	for _, dataset := range []string{"hubspot-v12-dbt1.8-postgres", "hubspot-v12-dbt1.11-postgres"} {
		res, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.SnapshotID)
	}
	res, err := a.Changes(ids[1], ids[0])
	if err != nil {
		t.Fatal(err)
	}
	catalog := func(dataset string) map[string]map[string]string {
		var c struct {
			Nodes, Sources map[string]struct {
				Columns map[string]struct{ Name, Type string }
			}
		}
		if err := json.Unmarshal(artifacttest.Gunzip(t, filepath.Join(fixtures, dataset, "catalog.json.gz")), &c); err != nil {
			t.Fatal(err)
		}
		out := map[string]map[string]string{}
		for _, section := range []map[string]struct {
			Columns map[string]struct{ Name, Type string }
		}{c.Nodes, c.Sources} {
			for id, n := range section {
				out[id] = map[string]string{}
				for _, col := range n.Columns {
					out[id][strings.ToLower(col.Name)] = strings.ToLower(col.Type)
				}
			}
		}
		return out
	}
	before, now := catalog("hubspot-v12-dbt1.8-postgres"), catalog("hubspot-v12-dbt1.11-postgres")
	var want []string
	for id, cols := range now {
		old, ok := before[id]
		if !ok {
			continue
		}
		for name, typ := range cols {
			if oldType, ok := old[name]; !ok {
				want = append(want, id+"."+name+" added")
			} else if oldType != typ {
				want = append(want, id+"."+name+" retyped")
			}
		}
		for name := range old {
			if _, ok := cols[name]; !ok {
				want = append(want, id+"."+name+" removed")
			}
		}
	}
	var got []string
	readers := map[string][]backend.ColumnKey{}
	redefined := map[string]backend.ColumnChange{}
	for _, c := range res.Columns {
		key := c.Node + "." + strings.ToLower(c.Column)
		if c.Change == backend.ColumnRedefined {
			redefined[key] = c
			continue
		}
		got = append(got, key+" "+c.Change)
		readers[key] = c.ReadBy
	}
	slices.Sort(got)
	slices.Sort(want)
	if len(want) < 100 || !slices.Equal(got, want) {
		t.Errorf("column changes: got %d, want %d\n got %q\nwant %q", len(got), len(want), got, want)
	}
	// The typo fixed in hubspot 0.x: was_unsubcribed became was_unsubscribed.
	if !slices.Contains(got, "model.hubspot.hubspot__email_sends.was_unsubcribed removed") || !slices.Contains(got, "model.hubspot.hubspot__email_sends.was_unsubscribed added") {
		t.Errorf("the renamed column is missing: %q", got)
	}
	// Read by hand from the 1.8 manifest: hubspot__contacts selects
	// calculated_merged_vids from int_hubspot__contact_merge_adjust.
	if r := readers["model.hubspot.int_hubspot__contact_merge_adjust.calculated_merged_vids"]; len(r) != 1 ||
		r[0] != (backend.ColumnKey{Node: "model.hubspot.hubspot__contacts", Column: "calculated_merged_vids"}) {
		t.Errorf("readers of calculated_merged_vids: %+v", r)
	}
	// How far a removed column reached: hubspot__engagements.owner_id, read
	// by the five engagement_* models' coalesce(engagements.owner_id,
	// base.owner_id) in 1.8, no further.
	var owner backend.ColumnChange
	for _, c := range res.Columns {
		if c.Node == "model.hubspot.hubspot__engagements" && c.Column == "owner_id" {
			owner = c
		}
	}
	if owner.Reach == nil || *owner.Reach != (backend.ColumnReach{Columns: 5, Nodes: 5}) || len(owner.ReadBy) != 5 ||
		owner.ReadBy[0] != (backend.ColumnKey{Node: "model.hubspot.hubspot__engagement_calls", Column: "owner_id"}) {
		t.Errorf("hubspot__engagements.owner_id removed: reach %+v, read by %+v", owner.Reach, owner.ReadBy)
	}
	if !strings.Contains(res.Summary(), fmt.Sprintf("columns 93 added, 19 removed, 17 retyped, %d redefined", len(redefined))) {
		t.Errorf("summary %q", res.Summary())
	}

	// Redefined: only in models whose compiled SQL differs between the
	// two manifests, and two read by hand from it. hubspot__company_history's
	// surrogate key takes source_relation too; hubspot__engagement_calls
	// took owner_id as coalesce(engagements.owner_id, base.owner_id) and
	// now passes base's through.
	compiled := func(dataset string) map[string]string {
		var m struct {
			Nodes map[string]struct {
				CompiledCode string `json:"compiled_code"`
			}
		}
		if err := json.Unmarshal(artifacttest.Gunzip(t, filepath.Join(fixtures, dataset, "manifest.json.gz")), &m); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for id, n := range m.Nodes {
			out[id] = n.CompiledCode
		}
		return out
	}
	sqlBefore, sqlNow := compiled("hubspot-v12-dbt1.8-postgres"), compiled("hubspot-v12-dbt1.11-postgres")
	for key, c := range redefined {
		if sqlBefore[c.Node] == sqlNow[c.Node] || c.Definition == c.OldDefinition {
			t.Errorf("%s redefined, but its SQL is the same (%q -> %q)", key, c.OldDefinition, c.Definition)
		}
	}
	history := redefined["model.hubspot.hubspot__company_history.id"]
	calls := redefined["model.hubspot.hubspot__engagement_calls.owner_id"]
	if len(redefined) < 20 || !strings.HasSuffix(history.Definition, "coalesce(cast(source_relation as TEXT), '_dbt_utils_surrogate_key_null_') as TEXT)) as id") ||
		strings.Contains(history.OldDefinition, "source_relation") ||
		calls.OldDefinition != "coalesce(engagements.owner_id, base.owner_id) as owner_id" || calls.Definition != "stg_hubspot__engagement_call.owner_id" {
		t.Errorf("%d redefined; company_history.id %+v; engagement_calls.owner_id %+v", len(redefined), history, calls)
	}
}

// TestColumnLineageReachesExposures follows a column down to the exposures
// (dashboards, notebooks) using the models that hold what it became
// (bouncer-v12-dbt1.12-duckdb: exposure customers uses customers v3;
// pulse_queries uses customers v3 and orders; customers v3 takes min and
// max of stg_orders.order_date, orders passes it through).
func TestColumnLineageReachesExposures(t *testing.T) {
	a := appWith(t, "bouncer-v12-dbt1.12-duckdb")
	down, err := a.ColumnTrace(0, "model.dbt_bouncer_test_project.stg_orders", "order_date", "downstream", 0)
	if err != nil {
		t.Fatal(err)
	}
	var exposed []string
	for _, e := range down.Edges {
		if e.Kind == backend.ColumnExposed {
			exposed = append(exposed, e.From.Node+"."+e.From.Column+" -> "+e.To.Node+"."+e.To.Column)
		}
	}
	want := []string{
		"model.dbt_bouncer_test_project.customers.v3.first_order_date -> exposure.dbt_bouncer_test_project.customers.",
		"model.dbt_bouncer_test_project.customers.v3.first_order_date -> exposure.dbt_bouncer_test_project.pulse_queries.",
		"model.dbt_bouncer_test_project.customers.v3.most_recent_order_date -> exposure.dbt_bouncer_test_project.customers.",
		"model.dbt_bouncer_test_project.customers.v3.most_recent_order_date -> exposure.dbt_bouncer_test_project.pulse_queries.",
		"model.dbt_bouncer_test_project.orders.order_date -> exposure.dbt_bouncer_test_project.pulse_queries.",
	}
	if !slices.Equal(exposed, want) {
		t.Errorf("exposures reached:\n got %q\nwant %q", exposed, want)
	}
	names := map[string]string{}
	for _, n := range down.Nodes {
		if n.ResourceType == backend.TypeExposure && len(n.Columns) != 0 {
			t.Errorf("exposure %s holds columns %q", n.UniqueID, n.Columns)
		}
		names[n.UniqueID] = n.Name
	}
	// Versions named as the lineage picture names them.
	if names["model.dbt_bouncer_test_project.customers.v3"] != "customers v3" || names["model.dbt_bouncer_test_project.orders"] != "orders" {
		t.Errorf("trace names %q", names)
	}
}

// TestColumnTraceTests: each column a trace holds comes with its tests
// and their outcomes in the run (bouncer-build-v12-dbt1.11-duckdb, a dbt
// build: stg_orders.order_id and orders.order_id each have unique and
// not_null, passed; the seed's id none), and the picture marks them.
func TestColumnTraceTests(t *testing.T) {
	a := appWith(t, "bouncer-build-v12-dbt1.11-duckdb")
	p, err := a.ColumnTracePicture(0, "model.dbt_bouncer_test_project.stg_orders", "order_id", "", 0, "svg")
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{}
	for _, n := range p.Trace.Nodes {
		for c, s := range n.Tests {
			tests[n.UniqueID+"."+c] = fmt.Sprintf("%d/%d", s.Pass, s.Total)
		}
	}
	if tests["model.dbt_bouncer_test_project.stg_orders.order_id"] != "2/2" || tests["model.dbt_bouncer_test_project.orders.order_id"] != "2/2" ||
		tests["seed.dbt_bouncer_test_project.raw_orders.id"] != "" {
		t.Errorf("column tests on the trace: %v", tests)
	}
	if !strings.Contains(p.Content, "✓2") || !strings.Contains(p.Content, "tests pass") {
		t.Error("the picture does not mark the tested columns")
	}
}

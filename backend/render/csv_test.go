package render_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

var csvColumns = []string{
	"from_unique_id", "from_name", "from_resource_type", "from_package", "from_relation_name",
	"to_unique_id", "to_name", "to_resource_type", "to_package", "to_relation_name", "edges", "change",
}

// readCSV parses an export as a spreadsheet would: a header, then rows of
// as many cells, keyed by column name.
func readCSV(t *testing.T, data []byte) []map[string]string {
	t.Helper()
	return readCSVWith(t, data, csvColumns)
}

// readCSVWith is readCSV of a file with these columns.
func readCSVWith(t *testing.T, data []byte, columns []string) []map[string]string {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll() // also fails on rows of another width
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if len(records) == 0 || !slices.Equal(records[0], columns) {
		t.Fatalf("CSV header %v, want %v", records[:min(1, len(records))], columns)
	}
	var rows []map[string]string
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, col := range columns {
			row[col] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// jsonExport decodes the JSON export of d: the reference the CSV is
// checked against, since both list what the picture shows.
type jsonExport struct {
	Nodes []struct {
		UniqueID     string `json:"unique_id"`
		ResourceType string `json:"resource_type"`
		Name         string `json:"name"`
		Version      string `json:"version"`
		Package      string `json:"package"`
		RelationName string `json:"relation_name"`
	} `json:"nodes"`
	Groups []struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	} `json:"groups"`
	Edges []struct {
		From, To string
		Count    int
	} `json:"edges"`
}

func exportJSON(t *testing.T, d *render.Diagram) jsonExport {
	t.Helper()
	js, err := newRenderer(t).JSON(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	var doc jsonExport
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// checkCSVAgainstJSON: the CSV's rows are the JSON export's edges, each end
// described as the JSON describes it, plus one row per node without edges.
func checkCSVAgainstJSON(t *testing.T, d *render.Diagram, grouped bool) []map[string]string {
	t.Helper()
	out, err := newRenderer(t).CSV(d)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, out)
	doc := exportJSON(t, d)
	describe := map[string]string{}
	for _, n := range doc.Nodes {
		// Named as lists name them: a source as source_name.table, a version as "name v2".
		describe[n.UniqueID] = strings.Join([]string{backend.ListedName(n.UniqueID, n.ResourceType, n.Name, n.Version), n.ResourceType, n.Package, n.RelationName}, "|")
	}
	for _, g := range doc.Groups {
		describe[g.ID] = g.Label + "|group||"
	}
	var want, got []string
	linked := map[string]bool{}
	for _, e := range doc.Edges {
		count := 1
		if grouped {
			count = e.Count
		}
		want = append(want, fmt.Sprintf("%s (%s) > %s (%s) x%d", e.From, describe[e.From], e.To, describe[e.To], count))
		linked[e.From], linked[e.To] = true, true
	}
	for id, what := range describe {
		if !linked[id] {
			want = append(want, fmt.Sprintf("%s (%s) >  (|||) x0", id, what))
		}
	}
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s (%s|%s|%s|%s) > %s (%s|%s|%s|%s) x%s",
			r["from_unique_id"], r["from_name"], r["from_resource_type"], r["from_package"], r["from_relation_name"],
			r["to_unique_id"], r["to_name"], r["to_resource_type"], r["to_package"], r["to_relation_name"], r["edges"]))
	}
	if !slices.IsSortedFunc(rows, func(a, b map[string]string) int {
		if c := strings.Compare(a["from_unique_id"], b["from_unique_id"]); c != 0 {
			return c
		}
		return strings.Compare(a["to_unique_id"], b["to_unique_id"])
	}) {
		t.Error("CSV rows are not sorted by their ends' ids")
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("CSV rows differ from the JSON export's edges:\n got %q\nwant %q", got, want)
	}
	return rows
}

func TestCSVListsWhatThePictureShows(t *testing.T) {
	_, _, d := goldenDiagram(t)
	out, err := newRenderer(t).CSV(d)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "orders.golden.csv", out)
	rows := checkCSVAgainstJSON(t, d, false)
	if len(rows) < 5 {
		t.Errorf("%d rows for %s: the fixture's picture has more edges than that", len(rows), goldenSelector)
	}

	// Grouped by folder: boxes are ends of their own, with edge counts.
	_, grp, gd := folderDiagram(t)
	rows = checkCSVAgainstJSON(t, gd, true)
	boxes := 0
	for _, r := range rows {
		if r["from_resource_type"] == "group" || r["to_resource_type"] == "group" {
			boxes++
		}
	}
	if len(grp.Boxes) == 0 || boxes == 0 {
		t.Errorf("grouped CSV: %d boxes, %d rows with a box", len(grp.Boxes), boxes)
	}

	// Nodes joined by no edge of the selection: a row each.
	_, lone := selectAndDraw(t, loadFixture(t, goldenDataset), "resource_type:seed")
	rows = checkCSVAgainstJSON(t, lone, false)
	for _, r := range rows {
		if r["to_unique_id"] != "" || r["edges"] != "0" {
			t.Errorf("seeds alone: row %v has an edge", r)
		}
	}
	if len(rows) == 0 {
		t.Error("seeds alone: no rows")
	}
}

func TestCSVHostileText(t *testing.T) {
	data := hostileData()
	formulas := []string{`=HYPERLINK("https://evil.example","x")`, `+1+1`, `-2+3`, `@SUM(A1)`, "\t=1+1", "\r=1+1"}
	for i, f := range formulas {
		id := "model.pkg.f" + fmt.Sprint(i)
		data.Nodes = append(data.Nodes, backend.GraphNode{UniqueID: id, ResourceType: backend.TypeModel, Name: f, Package: f, RelationName: f, FQN: []string{"pkg", f}})
		data.Edges = append(data.Edges, backend.Edge{Parent: data.Nodes[0].UniqueID, Child: id})
	}
	g := lineage.New(data)
	sel, err := g.Select("*", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	out, err := newRenderer(t).CSV(d)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, out)
	if len(rows) != len(d.Edges) {
		t.Errorf("%d rows, want one per edge (%d)", len(rows), len(d.Edges))
	}
	names, ids := map[string]bool{}, map[string]bool{}
	for _, r := range rows {
		for col, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("%s %q would start a spreadsheet formula", col, cell)
			}
			if strings.IndexFunc(cell, func(c rune) bool { return unicode.IsControl(c) && !strings.ContainsRune("\t\n\r", c) }) >= 0 || !utf8.ValidString(cell) {
				t.Errorf("%s %q carries control characters or invalid UTF-8", col, cell)
			}
		}
		names[r["to_name"]] = true
		ids[r["from_unique_id"]], ids[r["to_unique_id"]] = true, true
	}
	for _, want := range []string{`'=HYPERLINK("https://evil.example","x")`, `'+1+1`, `'-2+3`, `'@SUM(A1)`, "'\t=1+1", "'\r=1+1"} {
		if !names[want] {
			t.Errorf("no name %q in the CSV: the text is kept, as text", want)
		}
	}
	// Every unique_id as dbt wrote it (newlines, right-to-left marks): the
	// rows join back to the manifest and to the JSON export.
	for _, n := range data.Nodes {
		if utf8.ValidString(n.UniqueID) && strings.IndexFunc(n.UniqueID, func(c rune) bool { return c < 0x20 && !strings.ContainsRune("\t\n\r", c) }) < 0 &&
			!strings.ContainsRune("=+-@\t\r", rune(n.UniqueID[0])) && !ids[n.UniqueID] {
			t.Errorf("unique_id %q is not in the CSV as it is", n.UniqueID)
		}
	}
}

// TestImpactCSV: one record per row in the order given, counts as numbers,
// and artifact text that would start a formula made plain text.
func TestImpactCSV(t *testing.T) {
	rows := []backend.ImpactRow{
		{Distance: 1, UniqueID: "model.p.a", Name: "a", ResourceType: "model", Package: "p", Owner: "=HYPERLINK(\"http://evil\")",
			Tests: backend.TestSummary{Total: 3, Pass: 2, Fail: 1}},
		{Distance: 2, UniqueID: "test.p.t", Name: "@t", ResourceType: "test", Package: "p", TestStatus: "fail"},
		// A docs generate's snapshot: two tests, no outcomes; namesakes told apart.
		{Distance: 3, UniqueID: "model.p.customers.v2", Name: "customers", Version: "2", ResourceType: "model", Package: "p", TestsDefined: 2},
		{Distance: 3, UniqueID: "source.p.shop.customers", Name: "customers", ResourceType: "source", Package: "p"},
	}
	data, err := render.ImpactCSV(rows)
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(records) != 5 {
		t.Fatalf("%d records, %v: %s", len(records), err, data)
	}
	if got := records[1]; got[0] != "1" || got[1] != "model.p.a" || got[10] != "'=HYPERLINK(\"http://evil\")" || got[12] != "3" || got[13] != "2" || got[15] != "1" {
		t.Errorf("first record %q", got)
	}
	if got := records[2]; got[0] != "2" || got[2] != "'@t" || got[11] != "fail" || got[12] != "0" {
		t.Errorf("second record %q", got)
	}
	if got := records[3]; got[2] != "customers v2" || got[12] != "2" || got[13] != "0" {
		t.Errorf("a versioned model of a snapshot without outcomes: %q", got)
	}
	if got := records[4]; got[2] != "shop.customers" || got[12] != "0" {
		t.Errorf("a source: %q", got)
	}
	if len(records[0]) != len(records[1]) || records[0][0] != "distance" || records[0][11] != "test_status" {
		t.Errorf("header %q", records[0])
	}
}

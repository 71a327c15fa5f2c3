package render

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// nodesHeader names the columns of the nodes CSV.
var nodesHeader = []string{"unique_id", "name", "resource_type", "package", "box", "materialized",
	"relation_name", "path", "tags", "group", "access", "run_status",
	"tests", "tests_pass", "tests_warn", "tests_fail", "tests_error", "tests_skipped", "change", "description"}

// NodesCSV writes a picture's resources for spreadsheets, one row per
// resource in it, those drawn inside a box too (box is the box's label;
// member looks them up), sorted by unique_id and named as lists name
// them (backend.ListedName). The CSV export lists the picture's edges;
// this lists what it is made of: a list of the models a change reaches,
// or of a tag's, to sort, filter and share. Its cells are made safe as
// the edge CSV's are (csvCell), and it has no size limit.
func NodesCSV(d *Diagram, member func(uniqueID string) (*backend.GraphNode, bool)) ([]byte, error) {
	type row struct {
		node *backend.GraphNode
		box  string
		n    *Node // nil for a box's member
	}
	var rows []row
	for i := range d.Nodes {
		n := &d.Nodes[i]
		if n.Box == nil {
			rows = append(rows, row{node: n.Resource, n: n})
			continue
		}
		for _, uid := range n.Box.Members {
			if m, ok := member(uid); ok {
				rows = append(rows, row{node: m, box: n.Box.Label})
			}
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a.node.UniqueID, b.node.UniqueID) })

	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(nodesHeader); err != nil {
		return nil, err
	}
	for _, r := range rows {
		g, change := r.node, ""
		if r.n != nil {
			change = strings.Join(r.n.Change.Parts(), " ")
		}
		record := make([]string, 0, len(nodesHeader))
		for _, text := range []string{g.UniqueID, backend.ListedName(g.UniqueID, g.ResourceType, g.Name, g.Version), g.ResourceType, g.Package,
			r.box, g.Materialized, g.RelationName, g.Path, strings.Join(g.Tags, "; "), g.Group, g.Access, g.RunStatus} {
			record = append(record, csvCell(text))
		}
		t := g.Tests
		for _, n := range []int{t.Total, t.Pass, t.Warn, t.Fail, t.Error, t.Skipped} {
			record = append(record, strconv.Itoa(n))
		}
		record = append(record, change, csvCell(g.Description))
		if err := w.Write(record); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

package render

import (
	"bytes"
	"encoding/csv"

	"github.com/lineagedesk/lineagedesk/backend"
)

// columnCSVHeader names the columns of a column trace's CSV: one row per
// link, each end's node (empty for a relation outside the project), its
// relation in the warehouse, and its column.
var columnCSVHeader = []string{
	"from_unique_id", "from_relation", "from_name", "from_resource_type", "from_column",
	"to_unique_id", "to_relation", "to_name", "to_resource_type", "to_column",
	"kind", "expression",
}

// ColumnCSV writes a column trace for spreadsheets, one row per link in the
// trace's order; a filter link's to_column is empty (the whole node reads
// the column). Text from the artifacts is made safe as the lineage CSV's
// is (csvCell: nothing can start a formula).
func ColumnCSV(t backend.ColumnTrace) ([]byte, error) {
	nodes := map[[2]string]backend.ColumnTraceNode{}
	for _, n := range t.Nodes {
		nodes[[2]string{n.UniqueID, n.Relation}] = n
	}
	end := func(k backend.ColumnKey) []string {
		n := nodes[[2]string{k.Node, k.Relation}]
		relation := k.Relation // outside the project, as the SQL names it
		if relation == "" {
			relation = n.RelationName
		}
		return []string{csvCell(k.Node), csvCell(relation), csvCell(n.Name), csvCell(n.ResourceType), csvCell(k.Column)}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(columnCSVHeader); err != nil {
		return nil, err
	}
	for _, e := range t.Edges {
		record := append(end(e.From), end(e.To)...)
		record = append(record, csvCell(e.Kind), csvCell(e.Expression))
		if err := w.Write(record); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

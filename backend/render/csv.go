package render

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// csvHeader names the columns of the CSV export: one row per edge of the
// picture, each end described well enough to read without the JSON.
var csvHeader = []string{
	"from_unique_id", "from_name", "from_resource_type", "from_package", "from_relation_name",
	"to_unique_id", "to_name", "to_resource_type", "to_package", "to_relation_name",
	"edges", "change",
}

// csvEnd is one end of an edge as a CSV row spells it.
type csvEnd [5]string

// CSV returns the diagram as an edge list for spreadsheets: one row per
// edge, sorted by its ends' ids. A box is an end of its own (its group id,
// its label, resource type "group"), and edges counts the lineage edges a
// row stands for (1 between two resources). A node with no edge in the
// picture gets a row with the to_ columns empty, so every drawn node is in
// the file. In a diff, change is "added" or "removed" (an edge, or a node
// of its own row, the snapshot compared with had and this one lacks).
// Like JSON it has no size limit.
//
// A cell a spreadsheet would read as a formula (=, +, - or @ first) starts
// with an apostrophe, which spreadsheets show as text, so a name from the
// artifacts can never run as a formula when the file is opened (a leading
// tab or carriage return, the other triggers, is a space by then: clean).
func (r *Renderer) CSV(d *Diagram) ([]byte, error) {
	ends := make(map[string]csvEnd, len(d.Nodes))
	removed := map[string]bool{}
	for i := range d.Nodes {
		ends[d.Nodes[i].ID] = csvEndOf(&d.Nodes[i])
		removed[d.Nodes[i].ID] = d.Nodes[i].Change.Removed
	}
	rows := make([][]string, 0, len(d.Edges)+1)
	linked := make(map[string]bool, len(d.Nodes))
	for _, e := range d.Edges {
		count := e.Count
		if count < 1 {
			count = 1
		}
		from, to := ends[e.From], ends[e.To]
		rows = append(rows, slices.Concat(from[:], to[:], []string{strconv.Itoa(count), e.Change}))
		linked[e.From], linked[e.To] = true, true
	}
	for id, end := range ends {
		if !linked[id] {
			change := "" // a diff's node the snapshot lacks is removed, its own row says
			if removed[id] {
				change = EdgeRemoved
			}
			rows = append(rows, slices.Concat(end[:], make([]string, len(end)), []string{"0", change}))
		}
	}
	slices.SortFunc(rows, func(a, b []string) int {
		return cmp.Or(strings.Compare(a[0], b[0]), strings.Compare(a[5], b[5]))
	})

	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(csvHeader); err != nil {
		return nil, err
	}
	for _, row := range rows {
		for i, cell := range row {
			row[i] = csvCell(cell)
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func csvEndOf(n *Node) csvEnd {
	if b := n.Box; b != nil {
		return csvEnd{b.ID, b.Label, "group", "", ""}
	}
	res := n.Resource
	return csvEnd{res.UniqueID, backend.ListedName(res.UniqueID, res.ResourceType, res.Name, res.Version), res.ResourceType, res.Package, res.RelationName}
}

// csvCell is artifact text as a cell, as dbt wrote it, newlines and
// right-to-left marks too (a spreadsheet joins the rows back to the
// manifest by unique_id, and CSV's quoting holds any text): only what is
// not text is mended (invalid UTF-8 replaced, control characters but tab,
// CR and LF left out), with an apostrophe before what would start a
// formula (OWASP's list: = + - @, a tab or a CR).
func csvCell(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

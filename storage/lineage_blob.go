package storage

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
)

// lineageFormat versions the encoding of snapshot_lineage.graph. Change it
// whenever the encoding or backend.GraphNode changes: blobs of another
// format are ignored and the graph is loaded from the rows.
const lineageFormat = 1

// storeLineage encodes the snapshot's graph, as loaded from the rows just
// written, into snapshot_lineage. SaveSnapshot calls it last, inside the
// snapshot's transaction, so the blob always matches the rows.
func storeLineage(ctx context.Context, tx *sql.Tx, snapshotID int64) error {
	g, err := graphFromRows(ctx, tx, snapshotID)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO snapshot_lineage (snapshot_id, format, graph) VALUES (?, ?, ?)`,
		snapshotID, lineageFormat, encodeLineage(g)); err != nil {
		return fmt.Errorf("store the lineage of snapshot %d: %w", snapshotID, err)
	}
	return nil
}

// storedLineage decodes the snapshot's stored graph. It returns nil and no
// error when there is none this build can read.
func storedLineage(ctx context.Context, tx *sql.Tx, snapshotID int64) (*backend.GraphData, error) {
	rows, err := tx.QueryContext(ctx, `SELECT graph FROM snapshot_lineage WHERE snapshot_id = ? AND format = ?`,
		snapshotID, lineageFormat)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	var blob sql.RawBytes // decodeLineage copies what it keeps
	if err := rows.Scan(&blob); err != nil {
		return nil, err
	}
	g, err := decodeLineage(blob)
	if err != nil {
		return nil, err
	}
	g.SnapshotID = snapshotID
	return g, nil
}

// nodeStrings lists a node's string fields in encoding order.
func nodeStrings(n *backend.GraphNode) [20]*string {
	return [20]*string{&n.UniqueID, &n.ResourceType, &n.Name, &n.Package, &n.Path, &n.Database, &n.Schema,
		&n.Identifier, &n.RelationName, &n.Materialized, &n.Access, &n.Group, &n.Version, &n.SourceName,
		&n.Description, &n.TestName, &n.TestType, &n.AttachedNode, &n.TestStatus, &n.LatestVersion}
}

func testCounts(s *backend.TestSummary) [6]*int {
	return [6]*int{&s.Total, &s.Pass, &s.Warn, &s.Fail, &s.Error, &s.Skipped}
}

// encodeLineage writes g as: a table of the distinct strings (count, every
// length, then all bytes), the nodes (each string field, fqn and tags as
// table references; a list as length+1, 0 for nil; the six test counts),
// and the edges as pairs of node positions. All numbers are uvarints. Most
// strings repeat (types, packages, schemas, fqn parts, attached nodes), so
// the blob is a fraction of the rows' size, and decoding it allocates one
// string for the whole table.
func encodeLineage(g *backend.GraphData) []byte {
	ref := map[string]uint64{}
	var table []string
	var body []byte
	str := func(s string) {
		k, ok := ref[s]
		if !ok {
			k = uint64(len(table))
			ref[s] = k
			table = append(table, s)
		}
		body = binary.AppendUvarint(body, k)
	}
	list := func(l []string) {
		if l == nil {
			body = binary.AppendUvarint(body, 0)
			return
		}
		body = binary.AppendUvarint(body, uint64(len(l))+1)
		for _, s := range l {
			str(s)
		}
	}
	position := make(map[string]uint64, len(g.Nodes))
	body = binary.AppendUvarint(body, uint64(len(g.Nodes)))
	for i := range g.Nodes {
		n := &g.Nodes[i]
		position[n.UniqueID] = uint64(i)
		for _, s := range nodeStrings(n) {
			str(*s)
		}
		list(n.FQN)
		list(n.Tags)
		for _, c := range testCounts(&n.Tests) {
			body = binary.AppendUvarint(body, uint64(*c))
		}
	}
	body = binary.AppendUvarint(body, uint64(len(g.Edges)))
	for _, e := range g.Edges {
		body = binary.AppendUvarint(body, position[e.Parent])
		body = binary.AppendUvarint(body, position[e.Child])
	}

	out := binary.AppendUvarint(nil, uint64(len(table)))
	size := 0
	for _, s := range table {
		out = binary.AppendUvarint(out, uint64(len(s)))
		size += len(s)
	}
	out = binary.AppendUvarint(out, uint64(size))
	for _, s := range table {
		out = append(out, s...)
	}
	return append(out, body...)
}

var errCorruptLineage = errors.New("stored lineage is corrupt")

// blobReader reads uvarints and fails, never panics, on truncated input.
type blobReader struct {
	b   []byte
	err error
}

func (r *blobReader) uvarint() uint64 {
	if len(r.b) > 0 && r.b[0] < 0x80 {
		v := uint64(r.b[0])
		r.b = r.b[1:]
		return v
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errCorruptLineage
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a count of items that take at least minBytes each, and
// refuses counts the rest of the blob cannot hold.
func (r *blobReader) count(minBytes int) int {
	n := r.uvarint()
	if n > uint64(len(r.b)/minBytes) {
		r.err = errCorruptLineage
		r.b = nil
		return 0
	}
	return int(n)
}

func decodeLineage(blob []byte) (*backend.GraphData, error) {
	r := &blobReader{b: blob}
	table := make([]string, r.count(1))
	lengths := make([]uint64, len(table))
	for i := range lengths {
		lengths[i] = r.uvarint()
	}
	size := r.uvarint()
	if r.err != nil || size > uint64(len(r.b)) {
		return nil, errCorruptLineage
	}
	all := string(r.b[:size]) // the only copy: every string below shares it
	r.b = r.b[size:]
	var at uint64
	for i, l := range lengths {
		if l > size-at {
			return nil, errCorruptLineage
		}
		table[i] = all[at : at+l]
		at += l
	}
	str := func() string {
		k := r.uvarint()
		if k >= uint64(len(table)) {
			r.err = errCorruptLineage
			return ""
		}
		return table[k]
	}

	// A node takes at least 28 bytes: 20 strings, 2 lists, 6 counts.
	nodes := make([]backend.GraphNode, r.count(28))
	// Lists share one backing array, grown as needed, so that a node's
	// fqn and tags are not one allocation each.
	var lists []string
	list := func() []string {
		n := r.uvarint()
		if n == 0 {
			return nil
		}
		n--
		if n == 0 {
			return []string{} // "[]" in the rows, not absent
		}
		if n > uint64(len(r.b)) {
			r.err = errCorruptLineage
			return nil
		}
		if uint64(cap(lists)-len(lists)) < n {
			lists = make([]string, 0, max(4096, int(n)))
		}
		start := len(lists)
		for range n {
			lists = append(lists, str())
		}
		return lists[start:len(lists):len(lists)]
	}
	for i := range nodes {
		n := &nodes[i]
		for _, s := range nodeStrings(n) {
			*s = str()
		}
		n.FQN = list()
		n.Tags = list()
		for _, c := range testCounts(&n.Tests) {
			*c = int(r.uvarint())
		}
		if r.err != nil {
			return nil, r.err
		}
	}
	edges := make([]backend.Edge, r.count(2))
	for i := range edges {
		p, c := r.uvarint(), r.uvarint()
		if p >= uint64(len(nodes)) || c >= uint64(len(nodes)) {
			return nil, errCorruptLineage
		}
		edges[i] = backend.Edge{Parent: nodes[p].UniqueID, Child: nodes[c].UniqueID}
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errCorruptLineage
	}
	return &backend.GraphData{Nodes: nodes, Edges: edges}, nil
}

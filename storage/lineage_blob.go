package storage

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// lineageFormat versions the encoding of snapshot_lineage.graph. Change it
// whenever the encoding or backend.GraphNode changes: blobs of another
// format are ignored and the graph is loaded from the rows. (What the
// nodes hold can change for some snapshots only: a migration may then
// delete those snapshots' copies, as 0015 does.)
const lineageFormat = 4

// encodedLineage is a snapshot's graph encoded for snapshot_lineage and
// the reach tables. SaveSnapshot encodes it from what it wrote, on another
// goroutine, and stores it last, inside the snapshot's transaction, so the
// copy always matches the rows.
type encodedLineage struct {
	blob    []byte
	reach   *reachIndex // and the graph it was built from
	digests []byte      // encodeDigests; nil when the caller has none
	configs []byte      // configCollector.encode; nil when the caller has none
}

func encodeSnapshotLineage(g *backend.GraphData) (*encodedLineage, error) {
	if cycle := lineage.FindCycle(g.Nodes, g.Edges); cycle != nil {
		return nil, backend.Errorf(backend.EINVALID,
			"the manifest's dependencies go round in a cycle: %s. dbt refuses such a project (\"Found a cycle\"), so this manifest was edited or written by another tool: regenerate it with dbt (dbt parse or dbt docs generate)",
			strings.Join(cycle, " -> "))
	}
	ri, err := newReachIndex(g)
	if err != nil {
		return nil, err
	}
	return &encodedLineage{blob: encodeLineage(g), reach: ri}, nil
}

func (e *encodedLineage) store(ctx context.Context, tx *sql.Tx) error {
	id := e.reach.g.SnapshotID
	if _, err := tx.ExecContext(ctx, `INSERT INTO snapshot_lineage (snapshot_id, format, graph) VALUES (?, ?, ?)`,
		id, lineageFormat, e.blob); err != nil {
		return fmt.Errorf("store the lineage of snapshot %d: %w", id, err)
	}
	if err := e.reach.store(ctx, tx); err != nil {
		return fmt.Errorf("store the lineage topology of snapshot %d: %w", id, err)
	}
	if e.digests != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO snapshot_digests (snapshot_id, format, digests) VALUES (?, ?, ?)`,
			id, digestFormat, e.digests); err != nil {
			return fmt.Errorf("store the node digests of snapshot %d: %w", id, err)
		}
	}
	if e.configs != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO snapshot_configs (snapshot_id, format, configs) VALUES (?, ?, ?)`,
			id, configIndexFormat, e.configs); err != nil {
			return fmt.Errorf("store the config index of snapshot %d: %w", id, err)
		}
	}
	return nil
}

// backfillWait is how long Graph waits for the writer to store the copy of
// a graph it had to load from the rows. An import holds the writer for
// minutes, and a graph load must not wait for it; the next load tries again.
const backfillWait = 50 * time.Millisecond

// backfillLineage stores g as its snapshot's lineage copy (withBlob) and
// what Reach reads (storeReachIndex) when the writer is free (cacheFill).
func (s *Store) backfillLineage(ctx context.Context, g *backend.GraphData, withBlob bool) {
	s.cacheFill(ctx, func(tx *sql.Tx) error {
		// The snapshot may have been deleted since; then the foreign key fails.
		if withBlob {
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO snapshot_lineage (snapshot_id, format, graph) VALUES (?, ?, ?)`,
				g.SnapshotID, lineageFormat, encodeLineage(g)); err != nil {
				return err
			}
		}
		return storeReachIndex(ctx, tx, g)
	})
}

// cacheFill writes what fill writes in one transaction when the writer is
// free: it stores something the store can compute again from its rows, so
// it never waits long for an import (one holds the writer for minutes, and
// another process importing holds SQLite's write lock), and a failure
// leaves the store as it was; errors are dropped.
func (s *Store) cacheFill(ctx context.Context, fill func(tx *sql.Tx) error) {
	wait, cancel := context.WithTimeout(ctx, backfillWait)
	conn, err := s.writer.Conn(wait)
	cancel()
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, backfillWait.Milliseconds())); err != nil {
		return
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA busy_timeout = 5000`) // as dsn sets it
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return
	}
	defer tx.Rollback()
	if fill(tx) == nil {
		_ = tx.Commit()
	}
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
func nodeStrings(n *backend.GraphNode) [22]*string {
	return [22]*string{&n.UniqueID, &n.ResourceType, &n.Name, &n.Package, &n.Path, &n.Database, &n.Schema,
		&n.Identifier, &n.RelationName, &n.Materialized, &n.Access, &n.Group, &n.Version, &n.SourceName,
		&n.Description, &n.TestName, &n.TestType, &n.AttachedNode, &n.TestStatus, &n.LatestVersion, &n.PatchPath, &n.RunStatus}
}

func testCounts(s *backend.TestSummary) [6]*int {
	return [6]*int{&s.Total, &s.Pass, &s.Warn, &s.Fail, &s.Error, &s.Skipped}
}

// encodeLineage writes g as: the distinct strings, sorted and front-coded
// (their count and total length, then per string the length it shares with
// the one before and the rest), the nodes (each string field, fqn and tags
// as positions in that table; a list as length+1, 0 for nil; the six test
// counts), and the edges as pairs of node positions. All numbers are
// uvarints. Most strings repeat (types, packages, schemas, fqn parts,
// attached nodes) and sorted unique_ids share long prefixes, so the blob is
// a fraction of the rows' size, and decoding it builds all strings in one
// buffer.
func encodeLineage(g *backend.GraphData) []byte {
	ref := map[string]uint64{}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		for _, s := range nodeStrings(n) {
			ref[*s] = 0
		}
		for _, s := range n.FQN {
			ref[s] = 0
		}
		for _, s := range n.Tags {
			ref[s] = 0
		}
	}
	table := make([]string, 0, len(ref))
	size := 0
	for s := range ref {
		table = append(table, s)
		size += len(s)
	}
	slices.Sort(table)
	out := binary.AppendUvarint(nil, uint64(len(table)))
	out = binary.AppendUvarint(out, uint64(size))
	prev := ""
	for k, s := range table {
		ref[s] = uint64(k)
		out = appendFrontCoded(out, prev, s) // reach_codec.go
		prev = s
	}

	list := func(l []string) {
		if l == nil {
			out = binary.AppendUvarint(out, 0)
			return
		}
		out = binary.AppendUvarint(out, uint64(len(l))+1)
		for _, s := range l {
			out = binary.AppendUvarint(out, ref[s])
		}
	}
	position := make(map[string]uint64, len(g.Nodes))
	out = binary.AppendUvarint(out, uint64(len(g.Nodes)))
	for i := range g.Nodes {
		n := &g.Nodes[i]
		position[n.UniqueID] = uint64(i)
		for _, s := range nodeStrings(n) {
			out = binary.AppendUvarint(out, ref[*s])
		}
		list(n.FQN)
		list(n.Tags)
		for _, c := range testCounts(&n.Tests) {
			out = binary.AppendUvarint(out, uint64(*c))
		}
	}
	out = binary.AppendUvarint(out, uint64(len(g.Edges)))
	for _, e := range g.Edges {
		out = binary.AppendUvarint(out, position[e.Parent])
		out = binary.AppendUvarint(out, position[e.Child])
	}
	return out
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

// appendString appends s as its length and bytes, which text reads.
func appendString(out []byte, s string) []byte {
	out = binary.AppendUvarint(out, uint64(len(s)))
	return append(out, s...)
}

// text reads a length and that many bytes.
func (r *blobReader) text() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = errCorruptLineage
		r.b = nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func decodeLineage(blob []byte) (*backend.GraphData, error) {
	r := &blobReader{b: blob}
	table := make([]string, r.count(2))
	size := r.uvarint()
	// Front coding shrinks the table by well under 2x in practice; a larger
	// claimed size is corruption, and must not become a huge allocation.
	if r.err != nil || size > 16*uint64(len(blob)) {
		return nil, errCorruptLineage
	}
	buf := make([]byte, 0, size)
	ends := make([]uint64, len(table))
	var prevStart uint64
	for i := range table {
		shared, rest := r.uvarint(), r.uvarint()
		start := uint64(len(buf))
		if r.err != nil || shared > start-prevStart || rest > uint64(len(r.b)) || shared+rest > size-start {
			return nil, errCorruptLineage
		}
		buf = append(buf, buf[prevStart:prevStart+shared]...)
		buf = append(buf, r.b[:rest]...)
		r.b = r.b[rest:]
		prevStart = start
		ends[i] = uint64(len(buf))
	}
	if uint64(len(buf)) != size {
		return nil, errCorruptLineage
	}
	// buf is complete and never written again, so the strings can share it.
	all := unsafe.String(unsafe.SliceData(buf), len(buf))
	var at uint64
	for i, end := range ends {
		table[i] = all[at:end]
		at = end
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

package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// Reach loads the part of a snapshot's lineage q asks for (see
// backend.ReachQuery): the nodes its terms name, their ancestors and
// descendants within the terms' depths, and every edge among them, with
// the nodes' test summaries. It walks the snapshot's topology (a few MB at
// 50k models) and reads only the nodes it reached, so a one-off selection
// on a big project does not decode the whole graph. Tests without
// dependants are left out, unless tests are shown or a term has @: a
// ReachQuery never selects tests, and such a test lies on no path between
// other nodes, except @'s, which climbs from a test to its other parents.
//
// It returns backend.ErrReachUnknown when the answer could differ from
// selecting on the whole graph: a bare name that is also a package, folder
// or version qualifier, a dotted value that is not a node's unique_id, or
// a snapshot stored before topologies were (until its graph is loaded).
func (s *Store) Reach(ctx context.Context, snapshotID int64, q backend.ReachQuery) (*backend.GraphData, error) {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("load lineage around %v in snapshot %d: %w", q.Terms, snapshotID, err)
	}
	defer tx.Rollback()
	g, err := reach(ctx, tx, snapshotID, q)
	if err != nil {
		return nil, fmt.Errorf("load lineage around %v in snapshot %d: %w", q.Terms, snapshotID, err)
	}
	return g, nil
}

func reach(ctx context.Context, tx *sql.Tx, snapshotID int64, q backend.ReachQuery) (*backend.GraphData, error) {
	t, qualifiers, err := loadTopology(ctx, tx, snapshotID)
	if err != nil {
		return nil, err
	}
	in := make([]bool, len(t.flags))
	// A test a term names is kept though nothing depends on it: selecting
	// it selects its parents too.
	seed := make([]bool, len(t.flags))
	for _, term := range q.Terms {
		seeds, err := t.seeds(ctx, tx, snapshotID, term, qualifiers)
		if err != nil {
			return nil, err
		}
		for _, s := range seeds {
			in[s], seed[s] = true, true
		}
		if term.At {
			t.walkAt(seeds, in)
			continue
		}
		t.walk(t.parents, seeds, term.Parents, in)
		t.walk(t.children, seeds, term.Children, in)
	}
	if q.Tests {
		t.addIndirectTests(in)
		t.addTestParents(in)
	}
	// @ reaches ancestors through tests (a relationships test's other
	// parent), so the part keeps them for the selection to walk through.
	keepTests := q.Tests || slices.ContainsFunc(q.Terms, func(term backend.ReachTerm) bool { return term.At })
	var positions []int32
	for p, ok := range in {
		if ok && (keepTests || t.flags[p]&leafTest == 0 || seed[p]) {
			positions = append(positions, int32(p))
		}
	}
	// A node row read alone costs several times its share of the whole
	// graph's blob: on 50k models a part of 49,600 nodes took as long as the
	// whole graph and one of 55,100 longer (2.3 s against 1.8 s).
	if len(positions) > maxCandidates && len(positions) > len(t.flags)/4 {
		return nil, backend.ErrReachUnknown
	}
	if q.Reached != nil {
		q.Reached(len(positions))
	}
	g := &backend.GraphData{SnapshotID: snapshotID, Nodes: make([]backend.GraphNode, 0, len(positions)), Edges: []backend.Edge{}}
	if err := readLineageNodes(ctx, tx, snapshotID, positions, &g.Nodes); err != nil {
		return nil, err
	}
	// Positions ascend, so nodes and each child list come sorted by
	// unique_id, and the edges by parent then child, as Graph gives them.
	kept := make(map[int32]int, len(positions))
	for i, p := range positions {
		kept[p] = i
	}
	for i, p := range positions {
		for _, c := range t.children.of(p) {
			if j, ok := kept[c]; ok {
				g.Edges = append(g.Edges, backend.Edge{Parent: g.Nodes[i].UniqueID, Child: g.Nodes[j].UniqueID})
			}
		}
	}
	return g, nil
}

func loadTopology(ctx context.Context, tx *sql.Tx, snapshotID int64) (*topology, []string, error) {
	var (
		format         sql.NullInt64
		qualifiersJSON sql.NullString
		blob           sql.RawBytes
	)
	rows, err := tx.QueryContext(ctx, `SELECT t.format, t.qualifiers, t.topology FROM snapshots s
		LEFT JOIN snapshot_topology t ON t.snapshot_id = s.id WHERE s.id = ?`, snapshotID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
		rows.Close()
		return nil, nil, noSnapshot(ctx, tx, snapshotID)
	}
	if err := rows.Scan(&format, &qualifiersJSON, &blob); err != nil {
		return nil, nil, err
	}
	if !format.Valid || format.Int64 != reachFormat {
		return nil, nil, backend.ErrReachUnknown
	}
	var qualifiers []string
	if err := json.Unmarshal([]byte(qualifiersJSON.String), &qualifiers); err != nil {
		return nil, nil, fmt.Errorf("qualifiers: %w", err)
	}
	t, err := decodeTopology(blob)
	if err != nil {
		return nil, nil, err
	}
	return t, qualifiers, rows.Close()
}

// seeds returns the positions of the nodes term names, as the lineage
// engine's match finds them on the whole graph, or ErrReachUnknown.
func (t *topology) seeds(ctx context.Context, tx *sql.Tx, snapshotID int64, term backend.ReachTerm, qualifiers []string) ([]int32, error) {
	if term.ResourceType != "" {
		return t.typedSeeds(ctx, tx, snapshotID, term)
	}
	if term.Attribute == lineage.AttributeConfig {
		return t.configSeeds(ctx, tx, snapshotID, term)
	}
	if term.Attribute != "" {
		return t.attributeSeeds(ctx, tx, snapshotID, term)
	}
	var ids []string
	if term.Bare {
		if _, found := slices.BinarySearch(qualifiers, term.Value); found {
			return nil, backend.ErrReachUnknown
		}
		var err error
		if ids, err = namesakes(ctx, tx, snapshotID, term.Value); err != nil {
			return nil, err
		}
	} else {
		ids = []string{term.Value}
	}
	var seeds []int32
	for _, id := range ids {
		p, ok, err := position(ctx, tx, snapshotID, id)
		if err != nil {
			return nil, err
		}
		if ok && int(p) < len(t.flags) {
			seeds = append(seeds, p)
		}
	}
	if len(seeds) == 0 {
		// A name or unique_id nothing carries (PlanReach leaves paths,
		// files and fqn patterns to the whole graph): only the whole graph
		// suggests near names.
		return nil, backend.ErrReachNoMatch
	}
	slices.Sort(seeds)
	return seeds, nil
}

// maxCandidates is the most node rows typedSeeds reads to match a method
// among, and beyond which a part that is also a quarter of the graph is
// left to the whole graph: a row costs ~15 us, so past this the whole graph
// (0.4-0.6 s at 50k models) is as quick; test_type:singular on 50k models
// read 125k tests in 1.35 s, against 0.75 s from the whole graph.
const maxCandidates = 20000

// typedSeeds matches a single-type method among the nodes of its type.
// Nodes are stored in unique_id order and dbt's unique_ids start with the
// resource type and a dot, so those nodes are the positions from the
// first id at or after "type." to the first at or after "type/" ('/'
// follows '.').
func (t *topology) typedSeeds(ctx context.Context, tx *sql.Tx, snapshotID int64, term backend.ReachTerm) ([]int32, error) {
	first, _, err := position(ctx, tx, snapshotID, term.ResourceType+".")
	if err != nil {
		return nil, err
	}
	end, _, err := position(ctx, tx, snapshotID, term.ResourceType+"/")
	if err != nil {
		return nil, err
	}
	end = min(end, int32(len(t.flags)))
	if first >= end || end-first > maxCandidates {
		return nil, backend.ErrReachUnknown
	}
	positions := make([]int32, 0, end-first)
	for p := first; p < end; p++ {
		positions = append(positions, p)
	}
	var nodes []backend.GraphNode
	if err := readLineageNodes(ctx, tx, snapshotID, positions, &nodes); err != nil {
		return nil, err
	}
	ids, err := lineage.MatchTyped(nodes, term.Method, term.Value)
	switch {
	case err != nil: // a bad value: the whole graph gives the message
		return nil, backend.ErrReachUnknown
	case len(ids) == 0: // no match: the whole graph gives near names
		return nil, backend.ErrReachNoMatch
	}
	slices.Sort(ids)
	seeds := make([]int32, 0, len(ids))
	for i := range nodes {
		if _, found := slices.BinarySearch(ids, nodes[i].UniqueID); found {
			seeds = append(seeds, positions[i])
		}
	}
	return seeds, nil
}

// attributeSeeds evaluates a method that reads one node field once per
// distinct value of that field (lineage_attributes) and returns the
// positions of the nodes holding a matching value.
func (t *topology) attributeSeeds(ctx context.Context, tx *sql.Tx, snapshotID int64, term backend.ReachTerm) ([]int32, error) {
	var blob []byte
	err := tx.QueryRowContext(ctx, `SELECT attribute FROM lineage_attributes WHERE snapshot_id = ? AND field = ?`,
		snapshotID, term.Attribute).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.ErrReachUnknown
	}
	if err != nil {
		return nil, err
	}
	a, err := readAttribute(blob)
	if err != nil {
		return nil, err
	}
	if a.nodes != len(t.flags) {
		return nil, fmt.Errorf("%w: %s holds %d nodes of %d", errCorruptLineage, term.Attribute, a.nodes, len(t.flags))
	}
	matched, err := lineage.MatchAttribute(term.Method, term.Value, term.Attribute, a.values)
	if err != nil {
		return nil, backend.ErrReachUnknown // the whole graph gives the message
	}
	seeds, err := a.positions(matched)
	if err != nil {
		return nil, err
	}
	if len(seeds) == 0 {
		return nil, backend.ErrReachNoMatch // the whole graph gives near names
	}
	return seeds, nil
}

// configSeeds evaluates config.<key>: once per distinct value the
// snapshot's configs hold at the key (snapshot_configs) and returns the
// positions of the nodes whose config holds a matching one. Without an
// index this build reads, the whole graph answers (and ConfigValues
// builds the index).
func (t *topology) configSeeds(ctx context.Context, tx *sql.Tx, snapshotID int64, term backend.ReachTerm) ([]int32, error) {
	var blob []byte
	err := tx.QueryRowContext(ctx, `SELECT configs FROM snapshot_configs WHERE snapshot_id = ? AND format = ?`,
		snapshotID, configIndexFormat).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.ErrReachUnknown
	}
	if err != nil {
		return nil, err
	}
	ci, err := readConfigIndex(blob)
	if err != nil || ci.nodes != len(t.flags) {
		return nil, backend.ErrReachUnknown
	}
	path := strings.Split(strings.TrimPrefix(term.Method, "config."), ".")
	seeds, err := ci.positions(lineage.MatchConfigValues(term.Method, term.Value, ci.valuesAt(path)))
	switch {
	case err != nil:
		return nil, backend.ErrReachUnknown
	case len(seeds) == 0:
		return nil, backend.ErrReachNoMatch // the whole graph gives near names
	}
	return seeds, nil
}

// position returns the position of the node with unique_id id and true or,
// when there is none, the position of the first node whose unique_id sorts
// after id (the node count when none does) and false.
func position(ctx context.Context, tx *sql.Tx, snapshotID int64, id string) (int32, bool, error) {
	var (
		first int32
		chunk []byte
	)
	err := tx.QueryRowContext(ctx, `SELECT first_position, ids FROM lineage_id_chunks
		WHERE snapshot_id = ? AND first_id <= ? ORDER BY first_id DESC LIMIT 1`, snapshotID, id).Scan(&first, &chunk)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	i, ok, err := seekIDChunk(chunk, id)
	return first + int32(i), ok, err
}

// namesakes returns the unique_ids of the resources named exactly name.
func namesakes(ctx context.Context, tx *sql.Tx, snapshotID int64, name string) ([]string, error) {
	// resources_by_name is case-insensitive; dbt's names are not.
	// Sources are selected by source: only, as dbt's fqn method skips them.
	rows, err := tx.QueryContext(ctx, `SELECT unique_id, name FROM resources
		WHERE snapshot_id = ? AND name = ? COLLATE NOCASE AND resource_type != 'source'`, snapshotID, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id, n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		if n == name {
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}

// walk marks what adj reaches from seeds within depth hops (all when
// negative), as the lineage engine's walk does.
func (t *topology) walk(adj adjacency, seeds []int32, depth int, in []bool) {
	if depth == 0 {
		return
	}
	seen := make(map[int32]bool, len(seeds))
	frontier := slices.Clone(seeds)
	for _, s := range seeds {
		seen[s] = true
	}
	for hop := 0; len(frontier) > 0 && (depth < 0 || hop < depth); hop++ {
		var next []int32
		for _, n := range frontier {
			for _, m := range adj.of(n) {
				in[m] = true
				if !seen[m] {
					seen[m] = true
					next = append(next, m)
				}
			}
		}
		frontier = next
	}
}

// addIndirectTests marks the tests whose parents in marks all, so that a
// selection showing tests finds on the part every test it would add on the
// whole graph (lineage's indirect selection), with all its parents.
func (t *topology) addIndirectTests(in []bool) {
	for p, ok := range in {
		if !ok {
			continue
		}
		for _, c := range t.children.of(int32(p)) {
			if in[c] || t.flags[c]&anyTest == 0 {
				continue
			}
			all := true
			for _, parent := range t.parents.of(c) {
				all = all && in[parent]
			}
			in[c] = all
		}
	}
}

// addTestParents marks every parent of the tests in marks: an exclude or an
// intersected criterion decides on a test by all its parents (lineage's
// indirect selection, as dbt's), so the part must hold them, though no
// term selects them.
func (t *topology) addTestParents(in []bool) {
	var add []int32
	for p, ok := range in {
		if ok && t.flags[p]&anyTest != 0 {
			for _, parent := range t.parents.of(int32(p)) {
				if !in[parent] {
					add = append(add, parent)
				}
			}
		}
	}
	for _, p := range add {
		in[p] = true
	}
}

// walkAt marks what @ selects from seeds, as the lineage engine does: all
// their descendants, then all the ancestors of those and of the seeds.
func (t *topology) walkAt(seeds []int32, in []bool) {
	around := make([]bool, len(t.flags))
	for _, s := range seeds {
		around[s] = true
	}
	t.walk(t.children, seeds, -1, around)
	var all []int32
	for p, ok := range around {
		if ok {
			all = append(all, int32(p))
			in[p] = true
		}
	}
	t.walk(t.parents, all, -1, in)
}

// readLineageNodes appends the lineage_nodes rows at positions (ascending).
func readLineageNodes(ctx context.Context, tx *sql.Tx, snapshotID int64, positions []int32, nodes *[]backend.GraphNode) error {
	list, err := json.Marshal(positions)
	if err != nil {
		return err
	}
	// CROSS JOIN keeps json_each outside: one key lookup per position.
	rows, err := tx.QueryContext(ctx, `SELECT n.node FROM json_each(?2) j
		CROSS JOIN lineage_nodes n ON n.snapshot_id = ?1 AND n.position = j.value
		ORDER BY j.key`, snapshotID, string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	var row sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&row); err != nil {
			return err
		}
		n, err := decodeLineageNode(row)
		if err != nil {
			return err
		}
		*nodes = append(*nodes, n)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(*nodes) != len(positions) {
		return fmt.Errorf("%w: %d of %d nodes", errCorruptLineage, len(*nodes), len(positions))
	}
	return nil
}

// storeReachIndex writes what Reach reads for g, a snapshot's whole graph
// with its nodes sorted by unique_id: the topology, the ids in chunks, and
// one row per node.
func storeReachIndex(ctx context.Context, db preparer, g *backend.GraphData) error {
	ri, err := newReachIndex(g)
	if err != nil {
		return err
	}
	return ri.store(ctx, db)
}

// reachIndex is what storeReachIndex writes, with the parts that take a
// whole-graph pass already encoded, so an import can encode them off the
// writer's goroutine.
type reachIndex struct {
	g          *backend.GraphData
	qualifiers string
	topology   []byte
	attributes [][]byte // per lineage.AttributeFields()
}

func newReachIndex(g *backend.GraphData) (*reachIndex, error) {
	if !slices.IsSortedFunc(g.Nodes, byUniqueID) {
		return nil, errors.New("store the reach index: nodes are not sorted by unique_id")
	}
	qualifiers, err := json.Marshal(lineage.Qualifiers(g.Nodes))
	if err != nil {
		return nil, err
	}
	ri := &reachIndex{g: g, qualifiers: string(qualifiers), topology: encodeTopology(g)}
	for _, field := range lineage.AttributeFields() {
		ri.attributes = append(ri.attributes, encodeAttribute(g, field))
	}
	return ri, nil
}

func (ri *reachIndex) store(ctx context.Context, db preparer) error {
	g := ri.g
	if _, err := db.ExecContext(ctx, `INSERT OR REPLACE INTO snapshot_topology (snapshot_id, format, qualifiers, topology)
		VALUES (?, ?, ?, ?)`, g.SnapshotID, reachFormat, ri.qualifiers, ri.topology); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM lineage_nodes WHERE snapshot_id = ?`, g.SnapshotID); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM lineage_id_chunks WHERE snapshot_id = ?`, g.SnapshotID); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM lineage_attributes WHERE snapshot_id = ?`, g.SnapshotID); err != nil {
		return err
	}
	for i, field := range lineage.AttributeFields() {
		if _, err := db.ExecContext(ctx, `INSERT INTO lineage_attributes (snapshot_id, field, attribute) VALUES (?, ?, ?)`,
			g.SnapshotID, field, ri.attributes[i]); err != nil {
			return err
		}
	}
	for first := 0; first < len(g.Nodes); first += idChunkSize {
		chunk := g.Nodes[first:min(first+idChunkSize, len(g.Nodes))]
		if _, err := db.ExecContext(ctx, `INSERT INTO lineage_id_chunks (snapshot_id, first_id, first_position, ids)
			VALUES (?, ?, ?, ?)`, g.SnapshotID, chunk[0].UniqueID, first, encodeIDChunk(chunk)); err != nil {
			return err
		}
	}
	return insertLineageNodes(ctx, db, g)
}

// nodesPerInsert is how many lineage_nodes rows one INSERT writes: one
// statement step per row cost half of storeReachIndex's time.
const nodesPerInsert = 64

func insertLineageNodes(ctx context.Context, db preparer, g *backend.GraphData) error {
	insert := func(rows int) string {
		return `INSERT INTO lineage_nodes (snapshot_id, position, node) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", rows), ", ")
	}
	full, err := db.PrepareContext(ctx, insert(nodesPerInsert))
	if err != nil {
		return err
	}
	defer full.Close()
	args := make([]any, 0, 3*nodesPerInsert)
	bufs := make([][]byte, nodesPerInsert)
	for start := 0; start < len(g.Nodes); start += nodesPerInsert {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := g.Nodes[start:min(start+nodesPerInsert, len(g.Nodes))]
		args = args[:0]
		for i := range batch {
			bufs[i] = encodeLineageNode(bufs[i][:0], &batch[i])
			args = append(args, g.SnapshotID, start+i, bufs[i])
		}
		if len(batch) == nodesPerInsert {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = db.ExecContext(ctx, insert(len(batch)), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// preparer is a transaction or a connection.
type preparer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

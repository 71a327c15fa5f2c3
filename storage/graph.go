package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Graph loads the snapshot's whole lineage: every enabled resource except
// macros, docs and groups, the node edges among them, and test outcomes.
// It decodes the copy SaveSnapshot stored in snapshot_lineage (one read);
// snapshots stored before that existed are loaded from the rows once, and
// their copy stored then.
func (s *Store) Graph(ctx context.Context, snapshotID int64) (*backend.GraphData, error) {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("load graph of snapshot %d: %w", snapshotID, err)
	}
	defer tx.Rollback()
	g, err := storedLineage(ctx, tx, snapshotID)
	if err == nil && g != nil {
		var recorded bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM snapshot_topology WHERE snapshot_id = ? AND format = ?)`,
			snapshotID, reachFormat).Scan(&recorded); err != nil {
			return nil, fmt.Errorf("load graph of snapshot %d: %w", snapshotID, err)
		}
		if !recorded { // stored before Reach existed
			tx.Rollback()
			s.backfillLineage(ctx, g, false)
		}
		return g, nil
	}
	if err != nil && !errors.Is(err, errCorruptLineage) {
		return nil, fmt.Errorf("load graph of snapshot %d: %w", snapshotID, err)
	}
	// A corrupt copy is not fatal: the rows are the source of truth.
	if g, err = graphFromRows(ctx, tx, snapshotID); err != nil {
		return nil, err
	}
	tx.Rollback()
	s.backfillLineage(ctx, g, true)
	return g, nil
}

// graphFromRows reads each table once (resources, edges, run_results),
// inside tx, whatever the size of the project.
func graphFromRows(ctx context.Context, tx *sql.Tx, snapshotID int64) (*backend.GraphData, error) {
	var outcomes bool
	err := tx.QueryRowContext(ctx, `SELECT has_test_outcomes FROM snapshots WHERE id = ?`, snapshotID).Scan(&outcomes)
	if err == sql.ErrNoRows {
		return nil, noSnapshot(ctx, tx, snapshotID)
	}
	if err != nil {
		return nil, fmt.Errorf("load graph of snapshot %d: %w", snapshotID, err)
	}
	g := &backend.GraphData{SnapshotID: snapshotID}
	if g.Nodes, err = graphNodes(ctx, tx, snapshotID); err != nil {
		return nil, fmt.Errorf("load graph of snapshot %d: nodes: %w", snapshotID, err)
	}
	index := make(map[string]int, len(g.Nodes))
	for i := range g.Nodes {
		index[g.Nodes[i].UniqueID] = i
	}
	if g.Edges, err = graphEdges(ctx, tx, snapshotID, g.Nodes, index); err != nil {
		return nil, fmt.Errorf("load graph of snapshot %d: edges: %w", snapshotID, err)
	}
	if err := addRunResults(ctx, tx, snapshotID, g, index, outcomes); err != nil {
		return nil, fmt.Errorf("load graph of snapshot %d: run results: %w", snapshotID, err)
	}
	return g, nil
}

func graphNodes(ctx context.Context, tx *sql.Tx, snapshotID int64) ([]backend.GraphNode, error) {
	// A snapshot's resources are written by one transaction of the single
	// writer, so their ids are one contiguous range. Reading that range of
	// the table in rowid order is a sequential scan; going through the
	// (snapshot_id, unique_id) index would seek the table once per row.
	var first, last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT min(id), max(id) FROM resources WHERE snapshot_id = ?`,
		snapshotID).Scan(&first, &last); err != nil {
		return nil, err
	}
	if !first.Valid {
		return []backend.GraphNode{}, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+graphNodeColumns+` FROM resources
		WHERE id BETWEEN ? AND ? AND +snapshot_id = ? AND `+isGraphNode,
		first.Int64, last.Int64, snapshotID)
	if err != nil {
		return nil, err
	}
	return scanGraphNodes(rows, int(last.Int64-first.Int64+1))
}

// graphNodeColumns are the resources columns scanGraphNodes reads, and
// isGraphNode the resources that are lineage nodes.
const (
	graphNodeColumns = `unique_id, resource_type, name, package, path, patch_path, database, schema,
		identifier, relation_name, materialized, access, grp, version, latest_version, coalesce(source_name, ''),
		test_name, coalesce(test_type, ''), coalesce(attached_node, ''), fqn, tags, substr(description, 1, 200)`
	isGraphNode = `enabled AND resource_type NOT IN ('macro', 'doc', 'group')`
)

// scanGraphNodes reads rows of graphNodeColumns, closes them, and returns
// the nodes sorted by unique_id.
func scanGraphNodes(rows *sql.Rows, capacity int) ([]backend.GraphNode, error) {
	defer rows.Close()
	nodes := make([]backend.GraphNode, 0, capacity)
	var fqn, tags sql.RawBytes
	for rows.Next() {
		var n backend.GraphNode
		if err := rows.Scan(&n.UniqueID, &n.ResourceType, &n.Name, &n.Package, &n.Path, &n.PatchPath, &n.Database, &n.Schema,
			&n.Identifier, &n.RelationName, &n.Materialized, &n.Access, &n.Group, &n.Version, &n.LatestVersion,
			&n.SourceName, &n.TestName, &n.TestType, &n.AttachedNode, &fqn, &tags, &n.Description); err != nil {
			return nil, err
		}
		var err error
		if n.FQN, err = decodeStringList(fqn); err != nil {
			return nil, fmt.Errorf("resource %s: fqn: %w", n.UniqueID, err)
		}
		if n.Tags, err = decodeStringList(tags); err != nil {
			return nil, fmt.Errorf("resource %s: tags: %w", n.UniqueID, err)
		}
		nodes = append(nodes, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Bundles arrive sorted by unique_id, but nothing in the table says so.
	if !slices.IsSortedFunc(nodes, byUniqueID) {
		slices.SortFunc(nodes, byUniqueID)
	}
	return nodes, nil
}

func byUniqueID(a, b backend.GraphNode) int { return strings.Compare(a.UniqueID, b.UniqueID) }

// graphEdges reads the node edges whose ends are both in the graph. The
// ends reuse the nodes' unique_id strings instead of allocating new ones.
func graphEdges(ctx context.Context, tx *sql.Tx, snapshotID int64, nodes []backend.GraphNode, index map[string]int) ([]backend.Edge, error) {
	rows, err := tx.QueryContext(ctx, `SELECT parent, child FROM edges WHERE snapshot_id = ? AND kind = 'node'`, snapshotID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	edges := []backend.Edge{}
	var parent, child sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&parent, &child); err != nil {
			return nil, err
		}
		p, okP := index[string(parent)]
		c, okC := index[string(child)]
		if okP && okC {
			edges = append(edges, backend.Edge{Parent: nodes[p].UniqueID, Child: nodes[c].UniqueID})
		}
	}
	return edges, rows.Err()
}

// addRunResults sets each node's own latest run status and, when the
// snapshot has test outcomes, each test's own latest real outcome and the
// counts of each node's tests by that outcome (countTestOutcomes).
func addRunResults(ctx context.Context, tx *sql.Tx, snapshotID int64, g *backend.GraphData, index map[string]int, outcomes bool) error {
	nodes := g.Nodes
	rows, err := tx.QueryContext(ctx, `SELECT unique_id, status, is_test_outcome FROM run_results
		WHERE snapshot_id = ? ORDER BY position`, snapshotID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var id sql.RawBytes
	for rows.Next() {
		var status string
		var outcome bool
		if err := rows.Scan(&id, &status, &outcome); err != nil {
			return err
		}
		if i, ok := index[string(id)]; ok {
			nodes[i].RunStatus = status // later entries are newer
			if outcomes && outcome && isTest(nodes[i].ResourceType) {
				nodes[i].TestStatus = status
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if outcomes {
		countTestOutcomes(nodes, index, g.Edges) // lineage_build.go
	}
	return nil
}

func isTest(resourceType string) bool {
	return resourceType == backend.TypeTest || resourceType == backend.TypeUnitTest
}

// Tree returns the project structure: one entry per package (Folder "") and
// per folder, each counting the enabled resources by type in it and below
// it, sorted by package then folder.
func (s *Store) Tree(ctx context.Context, snapshotID int64) ([]backend.TreeEntry, error) {
	if err := s.requireSnapshot(ctx, snapshotID); err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT package, folder, resource_type, resources FROM snapshot_tree
		WHERE snapshot_id = ?`, snapshotID)
	if err != nil {
		return nil, fmt.Errorf("read the tree of snapshot %d: %w", snapshotID, err)
	}
	defer rows.Close()
	type key struct{ pkg, folder string }
	entries := map[key]map[string]int{}
	for rows.Next() {
		var (
			pkg, folder, typ string
			n                int
		)
		if err := rows.Scan(&pkg, &folder, &typ, &n); err != nil {
			return nil, fmt.Errorf("read the tree of snapshot %d: %w", snapshotID, err)
		}
		// Count the folder, each of its ancestors, and the package itself.
		for f := folder; ; {
			k := key{pkg, f}
			if entries[k] == nil {
				entries[k] = map[string]int{}
			}
			entries[k][typ] += n
			if f == "" {
				break
			}
			if i := strings.LastIndexByte(f, '/'); i >= 0 {
				f = f[:i]
			} else {
				f = ""
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the tree of snapshot %d: %w", snapshotID, err)
	}
	list := make([]backend.TreeEntry, 0, len(entries))
	for k, counts := range entries {
		list = append(list, backend.TreeEntry{Package: k.pkg, Folder: k.folder, Counts: counts})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].Package != list[j].Package {
			return list[i].Package < list[j].Package
		}
		return list[i].Folder < list[j].Folder
	})
	return list, nil
}

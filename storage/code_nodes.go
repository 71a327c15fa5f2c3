package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
)

// CodeNodes returns what column lineage reads of the resources ids of a
// snapshot (those it holds, in the order of ids): relation, compiled SQL,
// columns, the nodes it reads and those reading it. All of it is read in one transaction, so
// a snapshot deleted meanwhile gives ENOTFOUND rather than half an answer.
func (s *Store) CodeNodes(ctx context.Context, snapshotID int64, ids []string) ([]backend.CodeNode, error) {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("read the SQL of %d nodes of snapshot %d: %w", len(ids), snapshotID, err)
	}
	defer tx.Rollback()
	if err := requireSnapshotIn(ctx, tx, snapshotID); err != nil {
		return nil, err
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	nodes, byID, err := readCodeNodes(ctx, tx, snapshotID, string(list))
	if err != nil {
		return nil, fmt.Errorf("read the SQL of %d nodes of snapshot %d: %w", len(ids), snapshotID, err)
	}
	if err := readCodeColumns(ctx, tx, snapshotID, string(list), nodes, byID); err != nil {
		return nil, fmt.Errorf("read the columns of %d nodes of snapshot %d: %w", len(ids), snapshotID, err)
	}
	if err := readCodeParents(ctx, tx, snapshotID, string(list), nodes, byID); err != nil {
		return nil, fmt.Errorf("read the dependencies of %d nodes of snapshot %d: %w", len(ids), snapshotID, err)
	}
	if err := readCodeChildren(ctx, tx, snapshotID, string(list), nodes, byID); err != nil {
		return nil, fmt.Errorf("read the readers of %d nodes of snapshot %d: %w", len(ids), snapshotID, err)
	}
	return nodes, nil
}

func readCodeNodes(ctx context.Context, tx *sql.Tx, snapshotID int64, list string) ([]backend.CodeNode, map[string]int, error) {
	// CROSS JOIN keeps json_each outside: one index lookup per id, in its order.
	// Only the semantic layer's raw JSON is read (semantic models, metrics,
	// saved queries): a model's would double what a trace reads.
	rows, err := tx.QueryContext(ctx, `SELECT r.unique_id, r.resource_type, r.name, r.package, r.path, r.version, r.database, r.schema,
			r.identifier, r.relation_name, r.materialized, r.language, r.compiled_code,
			CASE WHEN r.resource_type IN ('semantic_model', 'metric', 'saved_query') THEN r.raw END
		FROM json_each(?2) j CROSS JOIN resources r ON r.snapshot_id = ?1 AND r.unique_id = j.value
		ORDER BY j.key`, snapshotID, list)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var nodes []backend.CodeNode
	byID := map[string]int{}
	stored := map[int][]byte{}
	for rows.Next() {
		var n backend.CodeNode
		var raw []byte
		if err := rows.Scan(&n.UniqueID, &n.ResourceType, &n.Name, &n.Package, &n.Path, &n.Version, &n.Database, &n.Schema, &n.Identifier,
			&n.RelationName, &n.Materialized, &n.Language, &n.CompiledCode, &raw); err != nil {
			return nil, nil, err
		}
		if _, dup := byID[n.UniqueID]; dup {
			continue // an id asked for twice
		}
		if len(raw) > 0 {
			stored[len(nodes)] = raw
		}
		byID[n.UniqueID] = len(nodes)
		nodes = append(nodes, n)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows.Close() // the raw blocks are read on the same connection
	blocks := blockCache{ctx: ctx, tx: tx, snapshotID: snapshotID}
	for i, raw := range stored {
		def, err := decodeRaw(raw, blocks.inflated)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", nodes[i].UniqueID, err)
		}
		nodes[i].Definition = def
	}
	return nodes, byID, nil
}

func readCodeColumns(ctx context.Context, tx *sql.Tx, snapshotID int64, list string, nodes []backend.CodeNode, byID map[string]int) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.unique_id, c.name, c.catalog_type, c.declared_type, c.in_catalog
		FROM json_each(?2) j CROSS JOIN columns c ON c.snapshot_id = ?1 AND c.unique_id = j.value
		ORDER BY c.unique_id, c.catalog_index = 0, c.catalog_index, c.name`, snapshotID, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, name, catalogType, declaredType string
		var inCatalog bool
		if err := rows.Scan(&id, &name, &catalogType, &declaredType, &inCatalog); err != nil {
			return err
		}
		i, ok := byID[id]
		if !ok {
			continue
		}
		typ := catalogType
		if typ == "" {
			typ = declaredType
		}
		if n := &nodes[i]; len(n.Columns) == 0 || n.Columns[len(n.Columns)-1].Name != name {
			n.Columns = append(n.Columns, backend.CodeColumn{Name: name, Type: typ, InCatalog: inCatalog})
		}
	}
	return rows.Err()
}

func readCodeParents(ctx context.Context, tx *sql.Tx, snapshotID int64, list string, nodes []backend.CodeNode, byID map[string]int) error {
	rows, err := tx.QueryContext(ctx, `SELECT e.child, e.parent
		FROM json_each(?2) j CROSS JOIN edges e ON e.snapshot_id = ?1 AND e.kind = 'node' AND e.child = j.value
		ORDER BY e.child, e.parent`, snapshotID, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			return err
		}
		if i, ok := byID[child]; ok {
			nodes[i].DependsOn = append(nodes[i].DependsOn, parent)
		}
	}
	return rows.Err()
}

func readCodeChildren(ctx context.Context, tx *sql.Tx, snapshotID int64, list string, nodes []backend.CodeNode, byID map[string]int) error {
	rows, err := tx.QueryContext(ctx, `SELECT e.parent, e.child
		FROM json_each(?2) j CROSS JOIN edges e ON e.snapshot_id = ?1 AND e.kind = 'node' AND e.parent = j.value
		ORDER BY e.parent, e.child`, snapshotID, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var parent, child string
		if err := rows.Scan(&parent, &child); err != nil {
			return err
		}
		if i, ok := byID[parent]; ok {
			nodes[i].ReadBy = append(nodes[i].ReadBy, child)
		}
	}
	return rows.Err()
}

// WarehouseColumns returns the columns the catalog found for each node and
// source of a snapshot (in_catalog), with their types, in the order the
// snapshot stored them: what a column change between two snapshots
// compares. (Catalog order would sort 600k rows of a 50k-model snapshot.)
func (s *Store) WarehouseColumns(ctx context.Context, snapshotID int64) (map[string][]backend.CodeColumn, error) {
	if err := s.requireSnapshot(ctx, snapshotID); err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT unique_id, name, catalog_type FROM columns
		WHERE snapshot_id = ? AND in_catalog ORDER BY unique_id, position`, snapshotID)
	if err != nil {
		return nil, fmt.Errorf("read the warehouse columns of snapshot %d: %w", snapshotID, err)
	}
	defer rows.Close()
	out := map[string][]backend.CodeColumn{}
	for rows.Next() {
		var id string
		c := backend.CodeColumn{InCatalog: true}
		if err := rows.Scan(&id, &c.Name, &c.Type); err != nil {
			return nil, fmt.Errorf("read the warehouse columns of snapshot %d: %w", snapshotID, err)
		}
		out[id] = append(out[id], c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the warehouse columns of snapshot %d: %w", snapshotID, err)
	}
	return out, nil
}

// NodeWarehouseColumns returns the columns the catalog found for one node
// in each of the snapshots given, as WarehouseColumns gives them; a
// snapshot whose catalog does not hold the node has no entry.
func (s *Store) NodeWarehouseColumns(ctx context.Context, uniqueID string, snapshotIDs []int64) (map[int64][]backend.CodeColumn, error) {
	out := map[int64][]backend.CodeColumn{}
	for _, id := range snapshotIDs {
		rows, err := s.reader.QueryContext(ctx, `SELECT name, catalog_type FROM columns
			WHERE snapshot_id = ? AND unique_id = ? AND in_catalog ORDER BY position`, id, uniqueID)
		if err != nil {
			return nil, fmt.Errorf("read the warehouse columns of %s in snapshot %d: %w", uniqueID, id, err)
		}
		for rows.Next() {
			c := backend.CodeColumn{InCatalog: true}
			if err := rows.Scan(&c.Name, &c.Type); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read the warehouse columns of %s in snapshot %d: %w", uniqueID, id, err)
			}
			out[id] = append(out[id], c)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("read the warehouse columns of %s in snapshot %d: %w", uniqueID, id, err)
		}
	}
	return out, nil
}

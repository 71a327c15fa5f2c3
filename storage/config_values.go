package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ConfigValues returns, for each of ids (lineage nodes of a snapshot,
// ascending), the value its config holds at the key path (["schema"],
// ["meta", "owner"]) as encoding/json decodes it, nil for none: what
// config.<key>: selects on (dbt's config method reads the configs of
// nodes and sources only). It reads the snapshot's config index, built
// from the stored resources the first time for a snapshot stored before
// there was one.
func (s *Store) ConfigValues(ctx context.Context, snapshotID int64, path []string, ids []string) ([]any, error) {
	if len(path) == 0 || slices.Contains(path, "") {
		return make([]any, len(ids)), nil // no config key is spelled so
	}
	ci, err := s.configIndex(ctx, snapshotID)
	if err != nil {
		return nil, fmt.Errorf("read config.%s of snapshot %d: %w", strings.Join(path, "."), snapshotID, err)
	}
	values, err := ci.forIDs(ci.valuesAt(path), ids)
	if err != nil {
		return nil, fmt.Errorf("read config.%s of snapshot %d: %w", strings.Join(path, "."), snapshotID, err)
	}
	return values, nil
}

// configIndex reads the snapshot's snapshot_configs row or, when it has
// none this build reads, builds it from the resources and stores it when
// the writer is free (cacheFill).
func (s *Store) configIndex(ctx context.Context, snapshotID int64) (*configIndex, error) {
	var (
		format int
		blob   []byte
	)
	err := s.reader.QueryRowContext(ctx, `SELECT format, configs FROM snapshot_configs WHERE snapshot_id = ?`,
		snapshotID).Scan(&format, &blob)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err == nil && format == configIndexFormat {
		if ci, err := readConfigIndex(blob); err == nil {
			return ci, nil
		}
	}
	// The index is stored only if the snapshot is still the one it was built
	// from: another process may delete it meanwhile, and SQLite gives its id
	// to the next snapshot.
	var takenAt int64
	if err := s.reader.QueryRowContext(ctx, `SELECT taken_at_us FROM snapshots WHERE id = ?`, snapshotID).Scan(&takenAt); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if blob, err = s.buildConfigIndex(ctx, snapshotID); err != nil {
		return nil, err
	}
	s.cacheFill(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO snapshot_configs (snapshot_id, format, configs)
			SELECT id, ?, ? FROM snapshots WHERE id = ? AND taken_at_us = ?`, configIndexFormat, blob, snapshotID, takenAt)
		return err
	})
	return readConfigIndex(blob)
}

// buildConfigIndex encodes the config index from the snapshot's rows, as
// the import encodes it from what it writes. Like graphNodes, it scans the
// snapshot's range of rowids.
func (s *Store) buildConfigIndex(ctx context.Context, snapshotID int64) ([]byte, error) {
	var first, last sql.NullInt64
	if err := s.reader.QueryRowContext(ctx, `SELECT min(id), max(id) FROM resources WHERE snapshot_id = ?`,
		snapshotID).Scan(&first, &last); err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT unique_id, resource_type, config FROM resources
		WHERE id BETWEEN ? AND ? AND +snapshot_id = ? AND `+isGraphNode, first.Int64, last.Int64, snapshotID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		c   configCollector
		ids []string
	)
	for rows.Next() {
		var (
			id, resourceType string
			config           sql.RawBytes // add copies what it keeps
		)
		if err := rows.Scan(&id, &resourceType, &config); err != nil {
			return nil, err
		}
		ids = append(ids, id)
		c.add(id, resourceType, config)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Sort(ids)
	return c.encode(ids), nil
}

package storage

import (
	"context"
	"encoding/json"
	"fmt"
)

// NodeColors returns dbt's docs.node_color of those of ids (unique_ids
// of a snapshot) whose config sets one, as the manifest spells it.
func (s *Store) NodeColors(ctx context.Context, snapshotID int64, ids []string) (map[string]string, error) {
	colors := map[string]string{}
	if len(ids) == 0 {
		return colors, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	// The WHERE repeats the index's condition, so the planner may use it.
	rows, err := s.reader.QueryContext(ctx, `SELECT unique_id, json_extract(config, '$.docs.node_color')
		FROM resources INDEXED BY resources_node_color
		WHERE snapshot_id = ? AND json_extract(config, '$.docs.node_color') IS NOT NULL
			AND unique_id IN (SELECT value FROM json_each(?))`, snapshotID, string(list))
	if err != nil {
		return nil, fmt.Errorf("read the node colours of snapshot %d: %w", snapshotID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var color any // a number or an object in a hand-edited manifest
		if err := rows.Scan(&id, &color); err != nil {
			return nil, fmt.Errorf("read the node colours of snapshot %d: %w", snapshotID, err)
		}
		if c, ok := color.(string); ok {
			colors[id] = c
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the node colours of snapshot %d: %w", snapshotID, err)
	}
	return colors, nil
}

package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/lineagedesk/lineagedesk/backend"
)

// StateChanges compares the lineage nodes of snapshot snapshotID with those
// of baseID, as dbt's state: method compares with a previous manifest:
// a node is new when baseID has no enabled node with its unique_id; its
// body changed when its code or its file's checksum did (a seed has no
// code; snapshots stored before checksums were compare by code); its configs when its config object
// differs (key order aside); its relation when database, schema or
// identifier did. SQLite compares the code; only configs whose text
// differs are decoded.
func (s *Store) StateChanges(ctx context.Context, snapshotID, baseID int64) (map[string]backend.StateChange, error) {
	rows, err := s.reader.QueryContext(ctx, `
		SELECT c.unique_id, b.unique_id IS NULL,
		       coalesce(b.raw_code IS NOT c.raw_code OR b.checksum != '' AND c.checksum != '' AND b.checksum != c.checksum, 0),
		       coalesce(b.database IS NOT c.database OR b.schema IS NOT c.schema OR b.identifier IS NOT c.identifier, 0),
		       CASE WHEN b.config IS NOT c.config THEN c.config END,
		       CASE WHEN b.config IS NOT c.config THEN b.config END
		FROM resources c
		LEFT JOIN resources b ON b.snapshot_id = ?2 AND b.unique_id = c.unique_id AND b.enabled
		WHERE c.snapshot_id = ?1 AND c.enabled AND c.resource_type NOT IN ('macro', 'doc', 'group')`, snapshotID, baseID)
	if err != nil {
		return nil, fmt.Errorf("compare snapshot %d with snapshot %d: %w", snapshotID, baseID, err)
	}
	defer rows.Close()
	out := map[string]backend.StateChange{}
	for rows.Next() {
		var id string
		var c backend.StateChange
		var config, baseConfig []byte
		if err := rows.Scan(&id, &c.New, &c.Body, &c.Relation, &config, &baseConfig); err != nil {
			return nil, fmt.Errorf("compare snapshot %d with snapshot %d: %w", snapshotID, baseID, err)
		}
		if c.New {
			c.Body, c.Relation = false, false
		} else if config != nil || baseConfig != nil {
			c.Configs = !sameJSON(config, baseConfig)
		}
		if c.Modified() {
			out[id] = c
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("compare snapshot %d with snapshot %d: %w", snapshotID, baseID, err)
	}
	return out, nil
}

// sameJSON tells whether two JSON texts hold the same value; a missing
// config counts as an empty one.
func sameJSON(a, b []byte) bool {
	var va, vb any
	if len(a) > 0 && json.Unmarshal(a, &va) != nil {
		return false
	}
	if len(b) > 0 && json.Unmarshal(b, &vb) != nil {
		return false
	}
	empty := func(v any) bool { m, ok := v.(map[string]any); return v == nil || ok && len(m) == 0 }
	if empty(va) && empty(vb) {
		return true
	}
	return reflect.DeepEqual(va, vb)
}

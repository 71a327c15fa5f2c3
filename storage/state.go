package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	"github.com/lineagedesk/lineagedesk/backend"
)

// StateChanges compares the lineage nodes of snapshot snapshotID with those
// of baseID, as dbt's state: method compares with a previous manifest: a
// node is new when baseID has no enabled node with its unique_id; its body
// changed when its code or its file's checksum did (a seed has no code;
// snapshots stored before checksums compare by code); its configs when its
// config object differs, key order aside; its relation when database,
// schema or identifier did; its macros when a macro it calls, or one those
// call, is new or changed. Snapshots with digests (digests.go) are
// compared by them; others row by row, where SQLite compares the code and
// only configs whose text differs are decoded.
func (s *Store) StateChanges(ctx context.Context, snapshotID, baseID int64) (map[string]backend.StateChange, error) {
	changes, err := s.stateChangesFromDigests(ctx, snapshotID, baseID)
	if err != nil || changes != nil {
		return changes, err
	}
	return s.stateChangesFromRows(ctx, snapshotID, baseID)
}

// maxConfigChecks bounds the configs read one by one to tell a changed
// config from one whose keys were written in another order; past it (a
// dbt upgrade rewrites them all), comparing the rows is quicker.
const maxConfigChecks = 2000

// stateChangesFromDigests compares the snapshots' digests; nil, nil when
// either was stored before digests were kept, or too many configs need a
// closer look.
func (s *Store) stateChangesFromDigests(ctx context.Context, snapshotID, baseID int64) (map[string]backend.StateChange, error) {
	cur, ok, err := storedDigests(ctx, s.reader, snapshotID)
	if err != nil || !ok {
		return nil, nil // a corrupt blob: the rows still answer
	}
	base, ok, err := storedDigests(ctx, s.reader, baseID)
	if err != nil || !ok {
		return nil, nil
	}
	changes, configText := compareDigests(cur, base)
	if len(configText) > maxConfigChecks {
		return nil, nil
	}
	differ, err := s.configsDiffer(ctx, snapshotID, baseID, configText)
	if err != nil {
		return nil, fmt.Errorf("compare snapshot %d with snapshot %d: %w", snapshotID, baseID, err)
	}
	for id := range differ {
		c := changes[id]
		c.Configs = true
		changes[id] = c
	}
	return changes, nil
}

// stateChangesFromRows compares the snapshots' rows.
func (s *Store) stateChangesFromRows(ctx context.Context, snapshotID, baseID int64) (map[string]backend.StateChange, error) {
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
	if err := s.addMacroChanges(ctx, snapshotID, baseID, out); err != nil {
		return nil, fmt.Errorf("compare the macros of snapshot %d with snapshot %d: %w", snapshotID, baseID, err)
	}
	return out, nil
}

// addMacroChanges marks, from the rows, the nodes that call a macro that
// is new or changed, or calls one that is (macrosTouched). A node's calls
// are read only when some macro changed.
func (s *Store) addMacroChanges(ctx context.Context, snapshotID, baseID int64, changes map[string]backend.StateChange) error {
	macros := func(id int64) ([]macroDigest, error) {
		rows, err := s.reader.QueryContext(ctx, `SELECT unique_id, raw_code, depends_on_macros FROM resources
			WHERE snapshot_id = ? AND resource_type = 'macro' AND enabled`, id)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []macroDigest
		for rows.Next() {
			var m macroDigest
			var code string
			var calls []byte
			if err := rows.Scan(&m.id, &code, &calls); err != nil {
				return nil, err
			}
			m.code = fnv64(code)
			if m.macros, err = decodeStringList(calls); err != nil {
				return nil, err
			}
			out = append(out, m)
		}
		return out, rows.Err()
	}
	cur, err := macros(snapshotID)
	if err != nil {
		return err
	}
	base, err := macros(baseID)
	if err != nil {
		return err
	}
	touched := macrosTouched(cur, base)
	if len(touched) == 0 {
		return nil
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT c.unique_id, c.depends_on_macros FROM resources c
		JOIN resources b ON b.snapshot_id = ?2 AND b.unique_id = c.unique_id AND b.enabled
		WHERE c.snapshot_id = ?1 AND c.enabled AND c.resource_type NOT IN ('macro', 'doc', 'group')
		  AND c.depends_on_macros IS NOT NULL`, snapshotID, baseID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var calls []byte
		if err := rows.Scan(&id, &calls); err != nil {
			return err
		}
		list, err := decodeStringList(calls)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(list, func(m string) bool { return touched[m] }) {
			c := changes[id]
			c.Macros = true
			changes[id] = c
		}
	}
	return rows.Err()
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

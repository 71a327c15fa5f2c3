package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// ColumnTests sums up the enabled tests on each column of the nodes ids
// (a generic test's column_name: not_null, unique, accepted_values...)
// with each one's latest real outcome, by node and lower-cased column.
func (s *Store) ColumnTests(ctx context.Context, snapshotID int64, ids []string) (map[string]map[string]backend.TestSummary, error) {
	out := map[string]map[string]backend.TestSummary{}
	if len(ids) == 0 {
		return out, s.requireSnapshot(ctx, snapshotID)
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("read the column tests of %d nodes of snapshot %d: %w", len(ids), snapshotID, err)
	}
	defer tx.Rollback()
	if err := requireSnapshotIn(ctx, tx, snapshotID); err != nil {
		return nil, err
	}
	// CROSS JOIN keeps json_each outside: the attached_node index is read
	// once per node.
	rows, err := tx.QueryContext(ctx, `SELECT t.attached_node, t.test_column_name, coalesce(rr.status, '')
		FROM json_each(?2) j CROSS JOIN resources t ON t.snapshot_id = ?1 AND t.attached_node = j.value `+latestOutcomeJoin+`
		WHERE t.enabled AND t.resource_type = 'test' AND t.test_column_name != ''`, snapshotID, string(list))
	if err != nil {
		return nil, fmt.Errorf("read the column tests of %d nodes of snapshot %d: %w", len(ids), snapshotID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var node, column, status string
		if err := rows.Scan(&node, &column, &status); err != nil {
			return nil, fmt.Errorf("read the column tests of snapshot %d: %w", snapshotID, err)
		}
		if out[node] == nil {
			out[node] = map[string]backend.TestSummary{}
		}
		key := strings.ToLower(column)
		sum := out[node][key]
		sum.Count(status)
		out[node][key] = sum
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the column tests of snapshot %d: %w", snapshotID, err)
	}
	return out, nil
}

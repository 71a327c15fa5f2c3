package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
)

// LatestResults returns the latest run result of each of ids in the
// snapshot (the later entry when an id has several, as after a retry),
// without its timing and adapter response; ids the run did not include are
// absent.
func (s *Store) LatestResults(ctx context.Context, snapshotID int64, ids []string) (map[string]backend.RunResult, error) {
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	// CROSS JOIN keeps json_each outside: one primary-key range per id.
	// SQLite takes the bare columns from the row max() picks.
	rows, err := s.reader.QueryContext(ctx, `SELECT j.value, rr.status, rr.failures, rr.message, rr.execution_time,
		rr.is_test_outcome, max(rr.position) FROM json_each(?2) j
		CROSS JOIN run_results rr ON rr.snapshot_id = ?1 AND rr.unique_id = j.value
		GROUP BY j.value`, snapshotID, string(list))
	if err != nil {
		return nil, fmt.Errorf("run results of snapshot %d: %w", snapshotID, err)
	}
	defer rows.Close()
	out := make(map[string]backend.RunResult, len(ids))
	for rows.Next() {
		var (
			r        backend.RunResult
			failures sql.NullInt64
			position int64
		)
		if err := rows.Scan(&r.UniqueID, &r.Status, &failures, &r.Message, &r.ExecutionTime, &r.IsTestOutcome, &position); err != nil {
			return nil, fmt.Errorf("run results of snapshot %d: %w", snapshotID, err)
		}
		if failures.Valid {
			r.Failures = &failures.Int64
		}
		out[r.UniqueID] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("run results of snapshot %d: %w", snapshotID, err)
	}
	return out, nil
}

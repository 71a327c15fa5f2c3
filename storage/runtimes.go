package storage

import (
	"context"
	"encoding/json"
	"fmt"
)

// RunTimes returns the execution_time of each of ids in the snapshot's run
// results (the latest entry when an id has several); ids the run did not
// include are absent.
func (s *Store) RunTimes(ctx context.Context, snapshotID int64, ids []string) (map[string]float64, error) {
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	// CROSS JOIN keeps json_each outside: one primary-key range per id.
	// SQLite takes the bare execution_time from the row max() picks.
	rows, err := s.reader.QueryContext(ctx, `SELECT j.value, rr.execution_time, max(rr.position) FROM json_each(?2) j
		CROSS JOIN run_results rr ON rr.snapshot_id = ?1 AND rr.unique_id = j.value
		GROUP BY j.value`, snapshotID, string(list))
	if err != nil {
		return nil, fmt.Errorf("run times of snapshot %d: %w", snapshotID, err)
	}
	defer rows.Close()
	times := make(map[string]float64, len(ids))
	for rows.Next() {
		var (
			id       string
			seconds  float64
			position int64
		)
		if err := rows.Scan(&id, &seconds, &position); err != nil {
			return nil, fmt.Errorf("run times of snapshot %d: %w", snapshotID, err)
		}
		times[id] = seconds
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("run times of snapshot %d: %w", snapshotID, err)
	}
	return times, nil
}

package storage

import (
	"context"
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
)

// BuildTimes returns the latest result (the later entry after a retry) of
// each model, seed and snapshot in the snapshot's run: its status and how
// long it took. It reads those three ranges of the run's primary key only,
// not its tests' rows (most of a run on a big project).
func (s *Store) BuildTimes(ctx context.Context, snapshotID int64) (map[string]backend.BuildTime, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT unique_id, status, execution_time, max(position) FROM run_results
		WHERE snapshot_id = ?1 AND (unique_id >= 'model.' AND unique_id < 'model/'
			OR unique_id >= 'seed.' AND unique_id < 'seed/' OR unique_id >= 'snapshot.' AND unique_id < 'snapshot/')
		GROUP BY unique_id`, snapshotID)
	if err != nil {
		return nil, fmt.Errorf("build times of snapshot %d: %w", snapshotID, canceled(ctx, err))
	}
	defer rows.Close()
	out := map[string]backend.BuildTime{}
	for rows.Next() {
		var (
			id       string
			t        backend.BuildTime
			position int64
		)
		if err := rows.Scan(&id, &t.Status, &t.Seconds, &position); err != nil {
			return nil, fmt.Errorf("build times of snapshot %d: %w", snapshotID, err)
		}
		out[id] = t
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("build times of snapshot %d: %w", snapshotID, canceled(ctx, err))
	}
	return out, nil
}

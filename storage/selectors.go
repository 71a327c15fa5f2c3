package storage

import (
	"context"
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Selectors returns a snapshot's YAML selectors, sorted by name.
func (s *Store) Selectors(ctx context.Context, snapshotID int64) ([]backend.NamedSelector, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT name, description, is_default, definition FROM selectors
		WHERE snapshot_id = ? ORDER BY name`, snapshotID)
	if err != nil {
		return nil, fmt.Errorf("read the selectors of snapshot %d: %w", snapshotID, err)
	}
	defer rows.Close()
	out := []backend.NamedSelector{}
	for rows.Next() {
		var sel backend.NamedSelector
		var def string
		if err := rows.Scan(&sel.Name, &sel.Description, &sel.Default, &def); err != nil {
			return nil, fmt.Errorf("read the selectors of snapshot %d: %w", snapshotID, err)
		}
		sel.Definition = []byte(def)
		out = append(out, sel)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the selectors of snapshot %d: %w", snapshotID, err)
	}
	return out, nil
}

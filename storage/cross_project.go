package storage

import (
	"context"
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
)

// CrossProjectRefs returns the other projects' public models a snapshot's
// manifest holds because the project refs them across projects
// (backend.GraphNode.CrossProject), sorted by unique_id. They have no file,
// so the folder index finds them among the few resources at the root.
func (s *Store) CrossProjectRefs(ctx context.Context, snapshotID int64) ([]backend.CrossProjectRef, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT unique_id, package FROM resources INDEXED BY resources_by_folder
		WHERE snapshot_id = ? AND folder = '' AND path = '' AND resource_type = ? AND enabled
		ORDER BY unique_id`, snapshotID, backend.TypeModel)
	if err != nil {
		return nil, fmt.Errorf("read the cross-project refs of snapshot %d: %w", snapshotID, err)
	}
	defer rows.Close()
	refs := []backend.CrossProjectRef{}
	for rows.Next() {
		var r backend.CrossProjectRef
		if err := rows.Scan(&r.UniqueID, &r.Project); err != nil {
			return nil, fmt.Errorf("read the cross-project refs of snapshot %d: %w", snapshotID, err)
		}
		refs = append(refs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the cross-project refs of snapshot %d: %w", snapshotID, err)
	}
	return refs, nil
}

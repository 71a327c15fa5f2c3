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

// CrossProjectReaders returns, for each of ids (models another project
// refs), the enabled nodes of the snapshot that read it, sorted: the edges' key
// leads with the parent, so this reads a range per id rather than the
// whole lineage.
func (s *Store) CrossProjectReaders(ctx context.Context, snapshotID int64, ids []string) (map[string][]string, error) {
	readers := make(map[string][]string, len(ids))
	for _, id := range ids {
		rows, err := s.reader.QueryContext(ctx, `SELECT e.child FROM edges e
			JOIN resources r ON r.snapshot_id = e.snapshot_id AND r.unique_id = e.child AND r.enabled
			WHERE e.snapshot_id = ? AND e.kind = 'node' AND e.parent = ? ORDER BY e.child`, snapshotID, id)
		if err != nil {
			return nil, fmt.Errorf("read what reads %s in snapshot %d: %w", id, snapshotID, err)
		}
		list := []string{}
		for rows.Next() {
			var child string
			if err := rows.Scan(&child); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read what reads %s in snapshot %d: %w", id, snapshotID, err)
			}
			list = append(list, child)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("read what reads %s in snapshot %d: %w", id, snapshotID, err)
		}
		readers[id] = list
	}
	return readers, nil
}

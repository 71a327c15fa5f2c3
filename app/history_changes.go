package app

import (
	"context"
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
)

// HistoryChange is how a resource differs from itself in the snapshot
// before, in a history: as state: compares it, and its columns.
type HistoryChange struct {
	// Parts are backend.StateChange.Parts: ["new"] where the snapshot
	// before lacks it, ["removed"] where this one does, else what changed
	// ("body", "configs", ...), then "descriptions" where its description
	// or its columns' changed and dbt does not persist them (state: does
	// not count those); empty when only its columns did.
	Parts []string `json:"parts,omitempty"`
	// Columns are its warehouse columns added, removed and retyped (where
	// both catalogs hold it) and the columns it makes another way
	// (redefined: its code or macros changed), sorted by column.
	Columns []backend.ColumnChange `json:"columns,omitempty"`
}

// historyChanges compares a resource along the snapshots of a history:
// one entry per snapshot, nil for the first and where nothing changed.
func (a *App) historyChanges(ctx context.Context, uniqueID string, window []backend.Snapshot) ([]*HistoryChange, error) {
	changes := make([]*HistoryChange, len(window))
	if len(window) < 2 {
		return changes, nil
	}
	ids := make([]int64, len(window))
	for i, s := range window {
		ids[i] = s.ID
	}
	steps, err := a.store.NodeStateSteps(ctx, uniqueID, ids)
	if err != nil {
		return nil, fmt.Errorf("changes of %s: %w", uniqueID, err)
	}
	warehouse, err := a.store.NodeWarehouseColumns(ctx, uniqueID, ids)
	if err != nil {
		return nil, fmt.Errorf("changes of %s: %w", uniqueID, err)
	}
	for i, step := range steps {
		before, now := window[i], window[i+1]
		var columns []backend.ColumnChange
		// A column of a node new to a catalog is no change (as in Changes).
		if old, ok := warehouse[before.ID]; ok {
			if cur, ok := warehouse[now.ID]; ok {
				columns = compareColumns(uniqueID, old, cur)
			}
		}
		if mayRedefine(uniqueID, step.StateChange) {
			redefined, err := a.redefinedColumns(ctx, now, before, []string{uniqueID})
			if err != nil {
				return nil, fmt.Errorf("changes of %s: %w", uniqueID, err)
			}
			columns = append(columns, redefined...)
		}
		parts := step.Parts()
		if step.Descriptions && !step.PersistedDescriptions {
			parts = append(parts, "descriptions")
		}
		if len(parts) > 0 || len(columns) > 0 {
			sortColumnChanges(columns)
			changes[i+1] = &HistoryChange{Parts: parts, Columns: columns}
		}
	}
	return changes, nil
}

// freshnessCell is a source's last freshness check in a snapshot
// (sources.json), as a history's outcome; nil when the snapshot checked
// none.
func (a *App) freshnessCell(ctx context.Context, snapshotID int64, uniqueID string) (*HistoryCell, error) {
	checks, err := a.store.LatestFreshness(ctx, snapshotID, []string{uniqueID})
	if err != nil || len(checks) == 0 {
		return nil, err
	}
	f := checks[0]
	cell := &HistoryCell{Status: f.Status, ExecutionTime: f.ExecutionTime, Message: f.Error}
	if cell.Message == "" && f.MaxLoadedAt != "" {
		cell.Message = "loaded last at " + f.MaxLoadedAt
	}
	return cell, nil
}

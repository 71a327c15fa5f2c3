package app

import (
	"fmt"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/textdiff"
)

// SQLDiffResult is a node's SQL in one snapshot against another, line by
// line.
type SQLDiffResult struct {
	UniqueID   string `json:"unique_id"`
	SnapshotID int64  `json:"snapshot_id"`
	AgainstID  int64  `json:"against_id"`
	// Kind is the SQL compared: "compiled" where both snapshots hold the
	// node's compiled SQL, else "raw".
	Kind    string          `json:"kind"`
	Lines   []textdiff.Line `json:"lines"`
	Added   int             `json:"added"`
	Removed int             `json:"removed"`
	// Changed names what changed of the node between the two, as
	// state:modified compares it (body, configs, macros...); empty when
	// nothing did.
	Changed []string `json:"changed"`
}

// SQLDiff diffs the SQL of a node (by unique_id or name) in snapshot
// snapshotID (0: the latest) against snapshot againstID (0: the project's
// run before it).
func (a *App) SQLDiff(snapshotID int64, ref string, againstID int64) (SQLDiffResult, error) {
	snap, err := a.snapshot(a.ctx, snapshotID)
	if err != nil {
		return SQLDiffResult{}, err
	}
	now, err := a.resource(snap.ID, ref)
	if err != nil {
		return SQLDiffResult{}, fmt.Errorf("SQL diff of %s: %w", ref, err)
	}
	if againstID == 0 {
		all, err := a.store.Snapshots(a.ctx)
		if err != nil {
			return SQLDiffResult{}, fmt.Errorf("SQL diff of %s: %w", now.UniqueID, err)
		}
		before, ok := runBefore(all, snap, func(backend.Snapshot) bool { return true })
		if !ok {
			return SQLDiffResult{}, backend.Errorf(backend.ENOTFOUND, "snapshot #%d is the first run of %s: there is no run before it to diff %s against; give another snapshot", snap.ID, snap.Project, now.UniqueID)
		}
		againstID = before.ID
	}
	before, err := a.store.Resource(a.ctx, againstID, now.UniqueID)
	if err != nil {
		return SQLDiffResult{}, fmt.Errorf("SQL diff of %s against snapshot %d: %w", now.UniqueID, againstID, err)
	}
	res := SQLDiffResult{UniqueID: now.UniqueID, SnapshotID: snap.ID, AgainstID: againstID, Kind: "raw", Changed: []string{}}
	old, cur := before.RawCode, now.RawCode
	if old == "" && cur == "" && before.CompiledCode == "" && now.CompiledCode == "" {
		return SQLDiffResult{}, backend.Errorf(backend.EINVALID, "%s is a %s: dbt holds no SQL of it in #%d nor in #%d to diff (its page's history says how it changed)",
			now.UniqueID, now.ResourceType, againstID, snap.ID)
	}
	steps, err := a.store.NodeStateSteps(a.ctx, now.UniqueID, []int64{againstID, snap.ID})
	if err != nil {
		return SQLDiffResult{}, fmt.Errorf("SQL diff of %s: %w", now.UniqueID, err)
	}
	if len(steps) == 1 {
		res.Changed = append(res.Changed, steps[0].Parts()...)
	}
	if before.CompiledCode != "" && now.CompiledCode != "" {
		res.Kind, old, cur = "compiled", before.CompiledCode, now.CompiledCode
	}
	// Compared line by line, not by the newline a file ends with.
	res.Lines = textdiff.Lines(strings.TrimRight(old, " \t\r\n"), strings.TrimRight(cur, " \t\r\n"))
	res.Added, res.Removed = textdiff.Counts(res.Lines)
	return res, nil
}

package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// ChangesResult is what differs between a snapshot and the one it is
// compared with, as state: sees it: the nodes new or modified (and how)
// and those gone since.
type ChangesResult struct {
	SnapshotID      int64         `json:"snapshot_id"`
	StateSnapshotID int64         `json:"state_snapshot_id"`
	Changed         []ChangedNode `json:"changed"` // sorted by unique_id
	Removed         []ChangedNode `json:"removed"` // nodes of the other snapshot this one lacks, sorted
	// Results are the nodes whose latest run result changed status (a
	// test that passed and now fails), sorted by unique_id.
	Results []backend.StatusChange `json:"results"`
	// Warnings say when the snapshot compared with is of another project.
	Warnings []string `json:"warnings,omitempty"`
	// ResultsSnapshotID is the snapshot the run results' statuses are
	// compared with: StateSnapshotID's, or by default, when that one ran
	// nothing (a compile, a docs generate), the last run before that did.
	ResultsSnapshotID int64 `json:"results_snapshot_id"`
	// Columns are the warehouse columns added, removed and retyped in the
	// nodes both snapshots' catalogs hold, and the columns the changed
	// nodes make another way (redefined), sorted by node and column; a
	// removed or retyped one with what read it in the snapshot compared
	// with, a redefined one with what reads it now.
	Columns []backend.ColumnChange `json:"columns"`
	// Counts are the nodes new, modified and removed ("new", "modified",
	// "removed") and the modified ones per part ("body", "configs" ...; a
	// node counts once in each part that changed).
	Counts map[string]int `json:"counts"`
}

// ChangedNode is one node of a ChangesResult.
type ChangedNode struct {
	UniqueID     string   `json:"unique_id"`
	ResourceType string   `json:"resource_type"`
	Parts        []string `json:"parts,omitempty"` // backend.StateChange.Parts; empty for a removed node
}

// Changes compares snapshot snapshotID (0 = the latest) with
// stateSnapshotID (0 = the project's snapshot before it), as
// state:modified does, and lists the nodes removed since and the run
// results whose status changed too.
func (a *App) Changes(snapshotID, stateSnapshotID int64) (ChangesResult, error) {
	snap, err := a.snapshot(a.ctx, snapshotID)
	if err != nil {
		return ChangesResult{}, err
	}
	baseSnap, err := a.stateBase(a.ctx, snap, stateSnapshotID)
	if err != nil {
		return ChangesResult{}, err
	}
	id, base := snap.ID, baseSnap.ID
	res := ChangesResult{SnapshotID: id, StateSnapshotID: base, ResultsSnapshotID: base, Changed: []ChangedNode{}, Removed: []ChangedNode{}, Counts: map[string]int{}}
	// By default, statuses compare with the last run before that ran
	// something: a compile or docs generate in between has none to compare.
	resultsBase := baseSnap
	if stateSnapshotID == 0 && baseSnap.RunCommand != "" && !backend.RunsNodes(baseSnap.RunCommand) && backend.RunsNodes(snap.RunCommand) {
		if ran, ok, err := a.lastRunThatRan(snap); err != nil {
			return ChangesResult{}, err
		} else if ok {
			resultsBase = ran
			res.ResultsSnapshotID = ran.ID
			res.Warnings = append(res.Warnings, fmt.Sprintf("run results: compared with snapshot #%d, the last run before #%d that ran models or tests (#%d, compared with for the rest, is from %s)",
				ran.ID, snap.ID, baseSnap.ID, backend.CommandLine(baseSnap.RunCommand)))
		}
	}
	// The run results are read meanwhile, on the other core (0.5 s of the
	// 1.6 s on 50k models).
	statusErr := make(chan error, 1)
	go func() {
		var err error
		res.Results, err = a.store.StatusChanges(a.ctx, id, resultsBase.ID)
		statusErr <- err
	}()
	// So are the warehouse's columns (0.6-1 s a snapshot on 50k models).
	columnsErr := make(chan error, 1)
	var warehouse []backend.ColumnChange
	go func() {
		var err error
		warehouse, err = a.warehouseColumnChanges(a.ctx, snap, baseSnap)
		columnsErr <- err
	}()
	changes, err := a.store.StateChanges(a.ctx, id, base)
	if err := errors.Join(err, <-statusErr, <-columnsErr); err != nil {
		return ChangesResult{}, err
	}
	changed := redefinable(changes)
	if len(changed) > maxRedefinedNodes {
		res.Warnings = append(res.Warnings, fmt.Sprintf("columns: the definitions of the first %d of %d changed models (by unique_id) were compared; the others' redefined columns are not listed", maxRedefinedNodes, len(changed)))
	}
	if res.Columns, err = a.columnChanges(a.ctx, snap, baseSnap, warehouse, changed); err != nil {
		return ChangesResult{}, err
	}
	if res.Results == nil {
		res.Results = []backend.StatusChange{}
	}
	if w := compareWarning(snap, baseSnap); w != "" {
		res.Warnings = append(res.Warnings, w)
	}
	for _, s := range []backend.Snapshot{resultsBase, snap} {
		switch {
		case s.SchemaVersions[backend.ArtifactRunResults] == 0:
			// Said, so that "no status changed" is not read as "no test
			// started failing" (QA).
			res.Warnings = append(res.Warnings, fmt.Sprintf("run results: snapshot #%d holds no run_results.json (its artifacts were imported without one): no test or run statuses are compared", s.ID))
		case s.RunCommand != "" && !backend.RunsNodes(s.RunCommand):
			res.Warnings = append(res.Warnings, fmt.Sprintf("run results: snapshot #%d's are from %s, which runs no models or tests: its statuses are not compared", s.ID, backend.CommandLine(s.RunCommand)))
		}
	}
	for uid, c := range changes {
		node := ChangedNode{UniqueID: uid, ResourceType: typeOf(uid), Parts: c.Parts()}
		switch {
		case c.Removed:
			node.Parts = nil
			res.Removed = append(res.Removed, node)
			res.Counts["removed"]++
			continue
		case !c.New:
			res.Counts["modified"]++
		}
		res.Changed = append(res.Changed, node)
		for _, p := range node.Parts {
			res.Counts[p]++
		}
	}
	byID := func(a, b ChangedNode) int { return strings.Compare(a.UniqueID, b.UniqueID) }
	slices.SortFunc(res.Changed, byID)
	slices.SortFunc(res.Removed, byID)
	return res, nil
}

// redefinable returns, sorted, the changed nodes whose columns may now be
// made another way: models and snapshots whose code or macros changed,
// and semantic models, metrics and saved queries whose definition did.
func redefinable(changes map[string]backend.StateChange) []string {
	var ids []string
	for uid, c := range changes {
		if mayRedefine(uid, c) {
			ids = append(ids, uid)
		}
	}
	slices.Sort(ids)
	return ids
}

// mayRedefine tells whether a node that changed so may make its columns
// another way (see redefinable).
func mayRedefine(uniqueID string, c backend.StateChange) bool {
	if c.New || c.Removed {
		return false
	}
	switch typeOf(uniqueID) {
	case backend.TypeModel, backend.TypeSnapshot:
		return c.Body || c.Macros
	case backend.TypeSemanticModel, backend.TypeMetric, backend.TypeSavedQuery:
		return c.Properties
	}
	return false
}

// typeOf is a unique_id's resource type, its first part.
func typeOf(uniqueID string) string {
	t, _, _ := strings.Cut(uniqueID, ".")
	return t
}

// Summary says it in a line: "2 new, 5 modified (3 body, 2 configs), 1
// removed, 4 run results changed status".
func (r ChangesResult) Summary() string {
	var out, parts []string
	for _, p := range backend.StateChangeParts {
		if n := r.Counts[p]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ReplaceAll(p, "_", " ")))
		}
	}
	for _, kind := range []string{"new", "modified", "removed"} {
		if n := r.Counts[kind]; n > 0 {
			text := fmt.Sprintf("%d %s", n, kind)
			if kind == "modified" && len(parts) > 0 {
				text += " (" + strings.Join(parts, ", ") + ")"
			}
			out = append(out, text)
		}
	}
	byChange := map[string]int{}
	for _, c := range r.Columns {
		byChange[c.Change]++
	}
	var columns []string
	for _, change := range []string{backend.ColumnAdded, backend.ColumnRemoved, backend.ColumnRetyped, backend.ColumnRedefined} {
		if n := byChange[change]; n > 0 {
			columns = append(columns, fmt.Sprintf("%d %s", n, change))
		}
	}
	if len(columns) > 0 {
		out = append(out, "columns "+strings.Join(columns, ", "))
	}
	if len(out) == 0 {
		out = append(out, "no changes")
	}
	if n := len(r.Results); n > 0 {
		out = append(out, fmt.Sprintf("%d run %s changed status", n, map[bool]string{true: "result", false: "results"}[n == 1]))
	}
	return strings.Join(out, ", ")
}

// lastRunThatRan returns the project's most recent run generated before
// snap whose command ran models or tests.
func (a *App) lastRunThatRan(snap backend.Snapshot) (backend.Snapshot, bool, error) {
	all, err := a.store.Snapshots(a.ctx)
	if err != nil {
		return backend.Snapshot{}, false, fmt.Errorf("find the last run that ran models: %w", err)
	}
	ran, ok := runBefore(all, snap, func(s backend.Snapshot) bool { return backend.RunsNodes(s.RunCommand) })
	return ran, ok, nil
}

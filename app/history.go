package app

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// historyDepth is how many snapshots of a project History looks back over.
const historyDepth = 20

// HistoryResult is how a resource and its tests fared in the snapshots of
// its project, up to the one shown: the run-to-run trend.
type HistoryResult struct {
	SnapshotID int64             `json:"snapshot_id"`
	UniqueID   string            `json:"unique_id"`
	Project    string            `json:"project"`
	Snapshots  []HistorySnapshot `json:"snapshots"` // by generation time; the shown one last
	Rows       []HistoryRow      `json:"rows"`      // the resource's own runs, then its tests by name
	// Changes line up with the snapshots: how the resource and its
	// columns differ from the run before (for the first, the run before
	// the window, if any); nil where nothing changed.
	Changes []*HistoryChange `json:"changes"`
	// Later counts the project's snapshots generated after the one shown,
	// which this history, as of that one, leaves out.
	Later int `json:"later"`
}

// HistorySnapshot is one column of a history.
type HistorySnapshot struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	GeneratedAt time.Time `json:"generated_at"`
	RunCommand  string    `json:"run_command,omitempty"`
	DbtCloudRun int64     `json:"dbt_cloud_run,omitempty"`
	// Builds says whether the run built models, seeds or snapshots (its
	// times are build times): a dbt build, run, seed, snapshot or retry.
	Builds bool `json:"builds,omitempty"`
}

func historySnapshotOf(s backend.Snapshot) HistorySnapshot {
	return HistorySnapshot{ID: s.ID, Name: s.Name, GeneratedAt: s.GeneratedAt, RunCommand: s.RunCommand,
		DbtCloudRun: s.Origin.RunID, Builds: buildsNodes(s.RunCommand)}
}

// HistoryRow is the resource's own run or one of its tests, across the
// snapshots.
type HistoryRow struct {
	UniqueID   string `json:"unique_id"`
	Name       string `json:"name"`
	Test       bool   `json:"test"`
	ColumnName string `json:"column_name,omitempty"`
	// Results line up with the snapshots: nil where that snapshot's run did
	// not run it (a docs generate, or a run that left it out).
	Results []*HistoryCell `json:"results"`
	// Trend reads the outcomes, skipped ones aside: "flaky" (it failed,
	// recovered and failed again), "newly failing" (failing now, not in the
	// run before), "fixed" (passing now, failing in the run before), ""
	// otherwise. A warn passes.
	Trend string `json:"trend,omitempty"`
}

// HistoryCell is one outcome.
type HistoryCell struct {
	Status        string  `json:"status"`
	Failures      *int64  `json:"failures,omitempty"`
	ExecutionTime float64 `json:"execution_time"`
	Message       string  `json:"message,omitempty"`
}

// History returns the outcomes of a resource (by unique_id or name) and of
// each of its tests now (as its page lists them), in up to the last 20 snapshots of its
// project, by generation time, that end with the one given (0: the latest,
// the most recent run of the project imported last), and how the resource
// and its columns changed from one to the next.
func (a *App) History(snapshotID int64, ref string) (HistoryResult, error) {
	ctx := a.ctx
	snap, err := a.snapshot(ctx, snapshotID)
	if err != nil {
		return HistoryResult{}, err
	}
	all, err := a.store.Snapshots(ctx)
	if err != nil {
		return HistoryResult{}, fmt.Errorf("history of %s: %w", ref, err)
	}
	r, err := a.resource(snap.ID, ref)
	if err != nil {
		return HistoryResult{}, fmt.Errorf("history of %s: %w", ref, err)
	}
	window, later := historyWindow(all, snap)
	res := HistoryResult{SnapshotID: snap.ID, UniqueID: r.UniqueID, Project: snap.Project, Later: later}
	// A test's own row reads its outcomes, as its tests' rows do.
	isTest := r.ResourceType == backend.TypeTest || r.ResourceType == backend.TypeUnitTest
	rows := []HistoryRow{{UniqueID: r.UniqueID, Name: r.Name, Test: isTest}}
	for _, t := range r.Tests {
		name := t.TestName
		if name == "" {
			name = t.Name
		}
		rows = append(rows, HistoryRow{UniqueID: t.UniqueID, Name: name, Test: true, ColumnName: t.ColumnName})
	}
	slices.SortStableFunc(rows[1:], func(x, y HistoryRow) int {
		return strings.Compare(x.Name+"\x00"+x.ColumnName+"\x00"+x.UniqueID, y.Name+"\x00"+y.ColumnName+"\x00"+y.UniqueID)
	})
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].UniqueID
	}
	for _, s := range window {
		res.Snapshots = append(res.Snapshots, historySnapshotOf(s))
		results, err := a.store.LatestResults(ctx, s.ID, ids)
		if err != nil {
			return HistoryResult{}, fmt.Errorf("history of %s: %w", r.UniqueID, err)
		}
		for i := range rows {
			var cell *HistoryCell
			// A test's outcome only from a command that tested; the
			// resource's own result only from one that ran it (docs
			// generate reports every node a "success").
			if rr, ok := results[rows[i].UniqueID]; ok && (rows[i].Test && rr.IsTestOutcome || !rows[i].Test && backend.RunsNodes(s.RunCommand)) {
				cell = &HistoryCell{Status: rr.Status, Failures: rr.Failures, ExecutionTime: rr.ExecutionTime, Message: rr.Message}
			}
			rows[i].Results = append(rows[i].Results, cell)
		}
		// A source runs in no run: its outcome is its freshness check.
		if r.ResourceType == backend.TypeSource {
			if rows[0].Results[len(rows[0].Results)-1], err = a.freshnessCell(ctx, s.ID, r.UniqueID); err != nil {
				return HistoryResult{}, fmt.Errorf("history of %s: %w", r.UniqueID, err)
			}
		}
	}
	for i := range rows {
		rows[i].Trend = trend(rows[i].Results)
	}
	res.Rows = rows
	// The oldest snapshot shown compares with the run before it, when the
	// window left that one out.
	compared := window
	if len(window) > 0 {
		if prior, ok := runBefore(all, window[0], func(backend.Snapshot) bool { return true }); ok {
			compared = append([]backend.Snapshot{prior}, window...)
		}
	}
	if res.Changes, err = a.historyChanges(ctx, r.UniqueID, compared); err != nil {
		return HistoryResult{}, err
	}
	res.Changes = res.Changes[len(compared)-len(window):]
	return res, nil
}

// historyWindow returns the project's last historyDepth snapshots up to
// snap, one per dbt run, in the order the runs happened (which is not the
// order of import when older artifacts are imported later), and how many
// runs of the project came after snap.
func historyWindow(all []backend.Snapshot, snap backend.Snapshot) (window []backend.Snapshot, later int) {
	var after []backend.Snapshot
	for _, s := range all {
		switch {
		case s.Project != snap.Project:
		case runsAfter(s, snap):
			after = append(after, s)
		default:
			window = append(window, s)
		}
	}
	slices.SortFunc(window, func(x, y backend.Snapshot) int {
		return cmp.Or(x.GeneratedAt.Compare(y.GeneratedAt), cmp.Compare(x.ID, y.ID))
	})
	window = oncePerRun(window, snap.ID)
	return window[max(0, len(window)-historyDepth):], len(oncePerRun(after, 0))
}

// runsAfter reports whether snapshot s comes after snap in a history:
// generated later, or at the same time and stored later.
// sameRun reports whether two snapshots hold the same dbt run: the same
// invocation, generation time and command (artifacts imported twice).
func sameRun(a, b backend.Snapshot) bool {
	return a.InvocationID != "" && a.InvocationID == b.InvocationID && a.GeneratedAt.Equal(b.GeneratedAt) && a.RunCommand == b.RunCommand
}

// oncePerRun keeps one snapshot of each dbt run (artifacts imported or
// synced twice, see sameRun), the one shown or else the last imported, so
// the run counts once.
func oncePerRun(window []backend.Snapshot, shown int64) []backend.Snapshot {
	all := slices.Clone(window)
	preferred := func(o, s backend.Snapshot) bool { return o.ID == shown || s.ID != shown && o.ID > s.ID }
	return slices.DeleteFunc(window, func(s backend.Snapshot) bool {
		return slices.ContainsFunc(all, func(o backend.Snapshot) bool { return o.ID != s.ID && sameRun(o, s) && preferred(o, s) })
	})
}

// runBefore returns the project's run generated last before snap among
// those ok accepts (a copy of snap's own run is none), and whether there
// is one.
func runBefore(all []backend.Snapshot, snap backend.Snapshot, ok func(backend.Snapshot) bool) (backend.Snapshot, bool) {
	var before backend.Snapshot
	for _, s := range all {
		if s.Project == snap.Project && s.ID != snap.ID && !sameRun(s, snap) && ok(s) && runsAfter(snap, s) &&
			(before.ID == 0 || runsAfter(s, before)) {
			before = s
		}
	}
	return before, before.ID != 0
}

func runsAfter(s, snap backend.Snapshot) bool {
	return s.GeneratedAt.After(snap.GeneratedAt) || s.GeneratedAt.Equal(snap.GeneratedAt) && s.ID > snap.ID
}

// trend reads a row's outcomes, oldest first (see HistoryRow.Trend).
func trend(cells []*HistoryCell) string {
	var failing []bool // skipped and missing outcomes aside
	for _, c := range cells {
		if c == nil {
			continue
		}
		switch strings.ToLower(c.Status) {
		case "pass", "success", "warn":
			failing = append(failing, false)
		case "fail", "error", "runtime error":
			failing = append(failing, true)
		}
	}
	episodes := 0 // runs of consecutive failing outcomes
	for i, f := range failing {
		if f && (i == 0 || !failing[i-1]) {
			episodes++
		}
	}
	n := len(failing)
	switch {
	case episodes >= 2:
		return "flaky"
	case n >= 2 && failing[n-1] && !failing[n-2]:
		return "newly failing"
	case n >= 2 && !failing[n-1] && failing[n-2]:
		return "fixed"
	}
	return ""
}

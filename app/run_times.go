package app

import (
	"cmp"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// runTimesDepth is how many of the project's runs that built something a
// run-times report reads, the latest last.
const runTimesDepth = 10

// A node got slower when its latest run took at least slowerRatio times
// the median of its earlier runs, and at least slowerSeconds more: a model
// of 0.2 s taking 0.5 s is noise, one of 20 s taking 35 s is not.
const (
	slowerRatio   = 1.5
	slowerSeconds = 1.0
)

// runTimesShown is how many nodes each list of a report holds.
const runTimesShown = 20

// RunTimesReport is how long the project's models, seeds and snapshots
// took over its last runs that built them: the slowest of the latest run,
// and those that got slower than they used to be.
type RunTimesReport struct {
	SnapshotID int64  `json:"snapshot_id"`
	Project    string `json:"project"`
	// Runs are the runs read (a dbt build, run, seed, snapshot or retry),
	// oldest first; the last is the latest, the one the lists rank. Empty
	// when no run held up to the snapshot built anything.
	Runs []HistorySnapshot `json:"runs"`
	// Totals are, per run, the seconds its models, seeds and snapshots
	// took together (threads ran some at the same time).
	Totals []float64 `json:"totals"`
	// Timed counts the nodes the latest run timed.
	Timed   int          `json:"timed"`
	Slowest []RunTimeRow `json:"slowest"`
	// Slower are the nodes that took at least 1.5 times the median of
	// their earlier runs, and a second more, the most time added first.
	Slower []RunTimeRow `json:"slower"`
}

// RunTimeRow is one node's times across the runs of a report.
type RunTimeRow struct {
	UniqueID     string `json:"unique_id"`
	Name         string `json:"name"`
	ResourceType string `json:"resource_type"`
	// Seconds line up with the report's runs: nil where a run did not
	// build the node.
	Seconds []*float64 `json:"seconds"`
	Status  string     `json:"status"` // in the latest run
	Latest  float64    `json:"latest"`
	// Before is the median of its earlier runs' times, 0 with none.
	Before  float64 `json:"before"`
	Earlier int     `json:"earlier"` // how many earlier runs timed it
}

// RunTimes returns the run-times report of a snapshot's project (0 = the
// latest snapshot), over its last 10 runs that built something, up to the
// snapshot.
func (a *App) RunTimes(snapshotID int64) (RunTimesReport, error) {
	ctx := a.ctx
	snap, err := a.snapshot(ctx, snapshotID)
	if err != nil {
		return RunTimesReport{}, err
	}
	all, err := a.store.Snapshots(ctx)
	if err != nil {
		return RunTimesReport{}, err
	}
	window, _ := historyWindow(all, snap)
	window = slices.DeleteFunc(window, func(s backend.Snapshot) bool { return !buildsNodes(s.RunCommand) })
	window = window[max(0, len(window)-runTimesDepth):]
	rep := RunTimesReport{SnapshotID: snap.ID, Project: snap.Project, Runs: make([]HistorySnapshot, len(window)),
		Totals: make([]float64, len(window)), Slowest: []RunTimeRow{}, Slower: []RunTimeRow{}}
	runs := make([]map[string]backend.BuildTime, len(window))
	for i, s := range window {
		rep.Runs[i] = historySnapshotOf(s)
		if runs[i], err = a.store.BuildTimes(ctx, s.ID); err != nil {
			return RunTimesReport{}, err
		}
		for _, t := range runs[i] {
			rep.Totals[i] += t.Seconds
		}
	}
	if len(window) == 0 {
		return rep, nil
	}
	latest := runs[len(runs)-1]
	rows := make([]RunTimeRow, 0, len(latest))
	for id, t := range latest {
		row := RunTimeRow{UniqueID: id, Name: nodeName(id), ResourceType: strings.SplitN(id, ".", 2)[0], Status: t.Status, Latest: t.Seconds,
			Seconds: make([]*float64, len(runs))}
		var earlier []float64
		for i, run := range runs {
			if rt, ok := run[id]; ok {
				row.Seconds[i] = &rt.Seconds
				if i < len(runs)-1 {
					earlier = append(earlier, rt.Seconds)
				}
			}
		}
		row.Earlier, row.Before = len(earlier), median(earlier)
		rows = append(rows, row)
	}
	rep.Timed = len(rows)
	slices.SortFunc(rows, func(x, y RunTimeRow) int {
		return cmp.Or(cmp.Compare(y.Latest, x.Latest), strings.Compare(x.UniqueID, y.UniqueID))
	})
	rep.Slowest = append(rep.Slowest, rows[:min(runTimesShown, len(rows))]...)
	for _, r := range rows {
		if r.Earlier > 0 && r.Latest >= slowerRatio*r.Before && r.Latest-r.Before >= slowerSeconds {
			rep.Slower = append(rep.Slower, r)
		}
	}
	slices.SortStableFunc(rep.Slower, func(x, y RunTimeRow) int { return cmp.Compare(y.Latest-y.Before, x.Latest-x.Before) })
	rep.Slower = rep.Slower[:min(runTimesShown, len(rep.Slower))]
	return rep, nil
}

// buildsNodes reports whether a run of that command builds models, seeds
// or snapshots (a dbt test runs tests only).
func buildsNodes(command string) bool {
	return backend.RunsNodes(command) && command != "test"
}

// median is the middle of values (the mean of the two middle ones), 0
// for none.
func median(values []float64) float64 {
	if len(values) == 0 {
		return 0
	}
	sorted := slices.Sorted(slices.Values(values))
	mid := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[mid]
	}
	return (sorted[mid-1] + sorted[mid]) / 2
}

// nodeName is a model's, seed's or snapshot's name from its unique_id,
// type.package.name, and a model version's with its version (name v2):
// dbt's names hold no dots.
func nodeName(uniqueID string) string {
	parts := strings.Split(uniqueID, ".")
	switch {
	case len(parts) == 3:
		return parts[2]
	case len(parts) == 4:
		return parts[2] + " " + parts[3]
	}
	return uniqueID
}

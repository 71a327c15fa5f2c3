package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend/health"
)

func runHealth(ctx context.Context, env Env, args []string) error {
	f := newFlags("health")
	snapshot := f.Int64("snapshot", 0, "snapshot id (default: latest)")
	all := f.Bool("all", false, "list the unknown and healthy resources too")
	asJSON := f.Bool("json", false, "print JSON (every resource judged)")
	if err := f.parseFlagsOnly(args); err != nil {
		return err
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		rep, err := a.ProjectHealth(*snapshot)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, rep)
		}
		printHealthReport(env, rep, *all)
		return nil
	})
}

// printHealthReport sums the report up, then lists the degraded and
// caution resources (all of them with all) with why.
func printHealthReport(env Env, rep app.HealthReport, all bool) {
	fmt.Fprintf(env.Stdout, "Snapshot #%d %s: %s\n", rep.SnapshotID, rep.Project, healthCounts(rep.Counts))
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	listed := 0
	for _, r := range rep.Resources {
		if !all && r.Health.State != health.Degraded && r.Health.State != health.Caution {
			continue
		}
		if listed == 0 {
			fmt.Fprintln(env.Stdout)
			fmt.Fprintln(tw, "STATE\tRESOURCE\tWHY")
		}
		listed++
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Health.State, r.UniqueID, oneLine(strings.Join(r.Health.Reasons, "; "), 200))
	}
	tw.Flush()
	if hidden := rep.Counts[health.Unknown] + rep.Counts[health.Healthy]; !all && hidden > 0 {
		fmt.Fprintf(env.Stdout, "\n%d unknown or healthy not listed (--all lists them); draw it: lineagedesk lineage --snapshot %d --select '* source:*' --lens health\n", hidden, rep.SnapshotID)
	}
}

// healthCounts says how many resources are in each state, worst first:
// "2 degraded, 5 caution, 0 unknown, 40 healthy".
func healthCounts(counts map[string]int) string {
	states := health.States()
	parts := make([]string, len(states))
	for i, s := range states {
		parts[i] = fmt.Sprintf("%d %s", counts[s], s)
	}
	return strings.Join(parts, ", ")
}

// printLineageHealth sums up the health of a picture drawn with the
// health lens, on standard error as a diff's summary is.
func printLineageHealth(env Env, res app.LineageResult) {
	counts := map[string]int{}
	for _, n := range res.Nodes {
		if n.Health != nil {
			counts[n.Health.State]++
		}
	}
	if len(counts) > 0 {
		fmt.Fprintf(env.Stderr, "health: %s\n", healthCounts(counts))
	}
}

package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

func runRunTimes(ctx context.Context, env Env, args []string) error {
	f := newFlags("runtimes")
	snapshot := f.Int64("snapshot", 0, "snapshot id (default: latest): the runs up to it")
	asJSON := f.Bool("json", false, "print JSON")
	if err := f.parseFlagsOnly(args); err != nil {
		return err
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		rep, err := a.RunTimes(*snapshot)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, rep)
		}
		printRunTimes(env.Stdout, rep)
		return nil
	})
}

// printRunTimes lists the runs read and their totals, the slowest nodes of
// the latest run and those that got slower, each with its earlier times.
func printRunTimes(w io.Writer, rep app.RunTimesReport) {
	if len(rep.Runs) == 0 {
		fmt.Fprintf(w, "Snapshot #%d %s: no run up to it built models, seeds or snapshots (a dbt build, run, seed or snapshot); import or sync one to see their run times\n", rep.SnapshotID, rep.Project)
		return
	}
	latest := rep.Runs[len(rep.Runs)-1]
	fmt.Fprintf(w, "Snapshot #%d %s: %d %s read, the latest #%d (%s, %s), which timed %d models, seeds and snapshots\n",
		rep.SnapshotID, rep.Project, len(rep.Runs), map[bool]string{true: "run", false: "runs"}[len(rep.Runs) == 1],
		latest.ID, backend.CommandLine(latest.RunCommand), latest.GeneratedAt.UTC().Format("2006-01-02 15:04"), rep.Timed)
	totals := make([]string, len(rep.Totals))
	for i, t := range rep.Totals {
		totals[i] = fmt.Sprintf("#%d %s", rep.Runs[i].ID, backend.FormatSeconds(t))
	}
	fmt.Fprintf(w, "their times added up in each run (threads run some at once), oldest first: %s\n", strings.Join(totals, ", "))
	printRunTimeRows(w, "Slowest in the latest run", rep.Slowest, false)
	if len(rep.Runs) > 1 {
		if len(rep.Slower) == 0 {
			fmt.Fprintln(w, "\nNothing got slower (1.5 times the median of its earlier runs and a second more).")
		} else {
			printRunTimeRows(w, "Slower than before (1.5 times the median of its earlier runs and a second more)", rep.Slower, true)
		}
	}
}

func printRunTimeRows(w io.Writer, title string, rows []app.RunTimeRow, added bool) {
	fmt.Fprintf(w, "\n%s:\n", title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	header := "LATEST\tBEFORE\t"
	if added {
		header += "ADDED\t"
	}
	fmt.Fprintln(tw, header+"STATUS\t RESOURCE")
	for _, r := range rows {
		before := "-"
		if r.Earlier > 0 {
			before = backend.FormatSeconds(r.Before)
		}
		line := backend.FormatSeconds(r.Latest) + "\t" + before + "\t"
		if added {
			line += "+" + backend.FormatSeconds(r.Latest-r.Before) + "\t"
		}
		fmt.Fprintln(tw, line+r.Status+"\t "+r.UniqueID)
	}
	tw.Flush()
}

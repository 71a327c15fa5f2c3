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

func runHistory(ctx context.Context, env Env, args []string) error {
	f := newFlags("history")
	snapshot := f.Int64("snapshot", 0, "the last snapshot to look at (default: latest)")
	asJSON := f.Bool("json", false, "print JSON")
	ids, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(ids) != 1 {
		return usagef("give exactly one unique_id or name, e.g. model.jaffle_shop.customers or customers")
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		h, err := a.History(*snapshot, ids[0])
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, h)
		}
		printHistory(env, h)
		return nil
	})
}

// printHistory writes the snapshots, then one line per row: its outcome in
// each snapshot and its trend.
func printHistory(env Env, h app.HistoryResult) {
	w := env.Stdout
	fmt.Fprintf(w, "%s in the last %d snapshots of %s, in the order they were generated", h.UniqueID, len(h.Snapshots), h.Project)
	if h.Later > 0 {
		fmt.Fprintf(w, ", as of #%d (%d later %s not shown)", h.SnapshotID, h.Later, map[bool]string{true: "one", false: "ones"}[h.Later == 1])
	}
	fmt.Fprintln(w, ":")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range h.Snapshots {
		command := "no run results"
		if s.RunCommand != "" {
			command = backend.CommandLine(s.RunCommand)
		}
		fmt.Fprintf(tw, "  #%d\t%s\t%s\t%s\n", s.ID, s.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"), s.Name, command)
	}
	tw.Flush()
	fmt.Fprintln(w)

	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := []string{"", "COLUMN"}
	for _, s := range h.Snapshots {
		header = append(header, fmt.Sprintf("#%d", s.ID))
	}
	fmt.Fprintln(tw, strings.Join(append(header, "TREND"), "\t"))
	for _, row := range h.Rows {
		name := "run"
		switch {
		case row.Test:
			name = row.Name
		case strings.HasPrefix(row.UniqueID, backend.TypeSource+"."):
			name = "freshness" // a source's outcome is its freshness check
		}
		cells := []string{name, row.ColumnName}
		for _, c := range row.Results {
			switch {
			case c == nil:
				cells = append(cells, "-")
			case c.Failures != nil && *c.Failures > 0:
				cells = append(cells, fmt.Sprintf("%s(%d)", c.Status, *c.Failures))
			default:
				cells = append(cells, c.Status)
			}
		}
		fmt.Fprintln(tw, strings.TrimRight(strings.Join(append(cells, row.Trend), "\t"), "\t"))
	}
	tw.Flush()
	fmt.Fprintln(w, "\n- : no outcome in that snapshot (its run did not include it, or did not run it: docs generate, compile); (N): failing rows")
	printHistoryChanges(w, h)
}

// printHistoryChanges lists, snapshot by snapshot, how the resource
// changed since the one before: the parts state: compares, then each
// column added, removed, retyped or redefined.
func printHistoryChanges(w io.Writer, h app.HistoryResult) {
	header := false
	for i, c := range h.Changes {
		if c == nil || i >= len(h.Snapshots) {
			continue
		}
		if !header {
			fmt.Fprintln(w, "\nChanged since the snapshot before:")
			header = true
		}
		what := strings.Join(c.Parts, ", ")
		if what == "" {
			what = "its columns only"
		}
		fmt.Fprintf(w, "  #%d  %s\n", h.Snapshots[i].ID, what)
		for _, col := range c.Columns {
			fmt.Fprintf(w, "        %s %s\n", col.Column, columnChangeText(col))
		}
	}
}

// columnChangeText says how a column changed: "added (text)", "retyped:
// integer -> bigint", "redefined: a -> b".
func columnChangeText(c backend.ColumnChange) string {
	switch c.Change {
	case backend.ColumnAdded:
		return "added" + parenthesised(c.Type)
	case backend.ColumnRemoved:
		return "removed" + parenthesised(c.OldType)
	case backend.ColumnRetyped:
		return "retyped: " + c.OldType + " -> " + c.Type
	case backend.ColumnRedefined:
		return "redefined: " + oneLine(c.OldDefinition, 80) + " -> " + oneLine(c.Definition, 80)
	}
	return c.Change
}

func parenthesised(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

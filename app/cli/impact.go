package cli

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

// impactListFlags are impact's flags for the list of every node one way.
type impactListFlags struct {
	on, upstream, csv bool
	out               string
}

func (l *impactListFlags) register(f *flags) {
	f.BoolVar(&l.on, "list", false, "list every node downstream (or upstream), nearest first, with its owner and tests")
	f.BoolVar(&l.upstream, "upstream", false, "with --list: the nodes upstream, what the node is built from")
	f.BoolVar(&l.csv, "csv", false, "with --list: write CSV, for a spreadsheet")
	f.StringVar(&l.out, "o", "", "with --list: write to this file instead of standard output")
}

func (l *impactListFlags) check(asJSON bool) error {
	switch {
	case !l.on && (l.upstream || l.csv || l.out != ""):
		return usagef("--upstream, --csv and -o go with --list")
	case l.csv && asJSON:
		return usagef("give --csv or --json, not both")
	}
	return nil
}

func (l *impactListFlags) run(env Env, a *app.App, snapshot int64, ref string, asJSON bool) error {
	direction := "downstream"
	if l.upstream {
		direction = "upstream"
	}
	list, err := a.ImpactList(snapshot, ref, direction)
	if err != nil {
		return err
	}
	toFile := l.out != "" && l.out != "-"
	if !l.csv && !asJSON && !toFile {
		return printImpactList(env.Stdout, list) // a table for people: a terminal's controls replaced
	}
	var buf bytes.Buffer
	switch {
	case l.csv:
		data, err := list.CSV()
		if err != nil {
			return err
		}
		buf.Write(data)
	case asJSON:
		if err := printJSON(&buf, list); err != nil {
			return err
		}
	default:
		if err := printImpactList(&buf, list); err != nil {
			return err
		}
	}
	if err := writeExport(env, l.out, a.StorePath(), buf.Bytes()); err != nil || !toFile {
		return err
	}
	fmt.Fprintf(env.Stderr, "wrote %s: %d nodes %s of %s\n", l.out, len(list.Rows), direction, list.UniqueID)
	return nil
}

// printImpactList prints the list as a table, nearest first.
func printImpactList(w io.Writer, list app.ImpactList) error {
	fmt.Fprintf(w, "%s (snapshot #%d): %d %s %s\n", list.UniqueID, list.SnapshotID, len(list.Rows),
		map[bool]string{true: "node", false: "nodes"}[len(list.Rows) == 1], list.Direction)
	if len(list.Rows) == 0 {
		return nil
	}
	if len(list.Owners) > 0 {
		fmt.Fprintln(w, "owners:")
		for _, o := range list.Owners {
			fmt.Fprintf(w, "  %s: %s\n", o.Owner, formatCounts(o.ByType))
		}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nHOPS\tTYPE\tRESOURCE\tOWNER\tTESTS\tRELATION")
	for _, r := range list.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", strconv.Itoa(r.Distance), r.ResourceType, r.UniqueID,
			dash(r.Owner), testsCell(r.Tests, r.TestsDefined, r.TestStatus), dash(r.RelationName))
	}
	return tw.Flush()
}

// testsCell is a node's tests in a few characters ("5 pass, 1 fail"), or
// a test's own outcome; defined counts its tests in a snapshot without
// outcomes (a docs generate), whose summary is all zero.
func testsCell(t backend.TestSummary, defined int, status string) string {
	if t.Total == 0 && defined > 0 {
		return strconv.Itoa(defined) + " not run"
	}
	if t.Total == 0 {
		return dash(status)
	}
	cell := ""
	for _, part := range []struct {
		n    int
		word string
	}{{t.Error, "error"}, {t.Fail, "fail"}, {t.Warn, "warn"}, {t.Skipped, "skipped"}, {t.Pass, "pass"}} {
		if part.n > 0 {
			if cell != "" {
				cell += ", "
			}
			cell += strconv.Itoa(part.n) + " " + part.word
		}
	}
	if cell == "" {
		return strconv.Itoa(t.Total) + " not run"
	}
	return cell
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

package cli

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/hugepage"
)

// graphCommandHeapBytes is how much heap the lineage and paths commands
// ready for huge pages (see hugepage.AdviseHeap): their selection and a
// picture of render.DefaultMaxNodes. Measured on 50k models: a JSON
// lineage of 5,500 nodes end to end 0.45-0.56 s before, 0.34-0.44 s after;
// fresh memory is most of what a one-off command touches.
const graphCommandHeapBytes = 384 << 20

func runLineage(ctx context.Context, env Env, args []string) error {
	f := newFlags("lineage")
	var req app.LineageRequest
	f.StringVar(&req.Select, "select", "", "dbt selector, e.g. +customers+ or tag:finance; as in dbt, every word up to the next flag (--select stg_orders fct_orders) (default: the project's YAML selector marked default: true)")
	f.StringVar(&req.Select, "s", "", "short for --select")
	selector := f.String("selector", "", "a YAML selector of the project (selectors.yml), as dbt's --selector; the same as --select selector:NAME")
	f.StringVar(&req.Exclude, "exclude", "", "dbt selector of nodes to leave out")
	f.Int64Var(&req.SnapshotID, "snapshot", 0, "snapshot id (default: latest)")
	f.Int64Var(&req.StateSnapshotID, "state", 0, "snapshot id state: compares with (default: the project's snapshot before)")
	f.StringVar(&req.Format, "format", "svg", "svg, png, pdf, dot, mermaid, json, csv (the picture's edges) or csv-nodes (its resources, one row each, a box's members too); without --format, what -o's extension names")
	f.StringVar(&req.GroupBy, "group-by", "none", "collapse nodes: none, package, folder, schema, layer (sources, staging, intermediate, marts, exposures...), group (dbt's groups: the teams that own the models), project (the dbt projects, with --across-projects), or select:EXPR (what EXPR selects becomes one box)")
	var open []string
	f.Func("open", "with --group-by, a box to leave open, by its label (--group-by schema --open analytics.staging); repeat for more", func(label string) error {
		open = append(open, label)
		return nil
	})
	f.StringVar(&req.Lens, "lens", "tests", "what the borders show: tests (the worst test result), runs (each node's status in the snapshot's run, a source's freshness, a group box's members' worst), docs (whether each node has a description; a box, all, some or none of its members), trend (how each node's tests fared over the project's last 20 runs: newly failing, flaky, fixed; a box, its members' worst), health (each node's data health: degraded, caution, healthy or unknown, and why) or none")
	f.BoolVar(&req.IncludeTests, "include-tests", false, "show tests too (hidden by default, as in dbt docs)")
	f.StringVar(&req.IndirectSelection, "indirect-selection", "", "which tests of the selected nodes to show (implies --include-tests): cautious (default: all their parents selected), eager (any parent, dbt's default), buildable or empty")
	f.BoolVar(&req.Runtime, "runtime", false, "show each node's execution time in the snapshot's run and the critical path (the slowest chain of dependencies), also printed on stderr")
	f.BoolVar(&req.Diff, "diff", false, "draw a diff against the snapshot --state names (default: the project's one before): new and modified nodes say so, nodes removed since are drawn dashed, dependencies added in green and removed dashed in red")
	f.BoolVar(&req.AcrossProjects, "across-projects", false, "draw the lineage across the dbt projects the store holds (dbt Mesh): another project's public model this one refs is drawn from that project's latest run, with its own lineage, and this project's public models lead on to the projects that ref them")
	f.Float64Var(&req.Scale, "scale", 1, "png scale")
	out := f.String("o", "", "write to this file instead of standard output")
	viewName := f.String("view", "", "draw a saved view of the project (lineagedesk views lists them); the picture's flags given too change what it draws")
	saveView := f.String("save-view", "", "save this picture as a view of the project under this name, replacing the project's view of that name")
	rest, err := f.parse(dbtSelectionArgs(args))
	if err != nil {
		return err
	}
	given := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	given["select"] = given["select"] || given["s"] || given["selector"] || len(rest) > 0
	if *selector != "" {
		if req.Select != "" || len(rest) > 0 {
			return usagef("give either --select or --selector, not both (--select 'selector:NAME,tag:x' combines them)")
		}
		if req.Exclude != "" {
			// dbt takes a YAML selector's own excludes only.
			return usagef("--selector takes no --exclude, as in dbt: write --select selector:NAME --exclude EXPR")
		}
		req.Select = "selector:" + *selector
	}
	if req.Select == "" && len(rest) > 0 {
		req.Select = strings.Join(rest, " ")
	} else if len(rest) > 0 {
		return usagef("unexpected arguments %q: put the whole selector in --select", rest)
	}
	if len(open) > 0 && (req.GroupBy == "" || req.GroupBy == "none") && *viewName == "" {
		return usagef("--open leaves a box of a grouping open: give --group-by too (package, folder, schema, layer, group, project or select:EXPR)")
	}
	req.Open = open
	if !(req.Scale >= 0.1 && req.Scale <= 40) { // NaN too
		return usagef("--scale sizes a PNG (1 is 96 dpi): give a number from 0.1 up to 40")
	}
	if *out == "-" {
		*out = "" // the usual name for standard output
	}
	if err := formatForFile(&req.Format, *out, given["format"]); err != nil {
		return err
	}
	if given["scale"] && req.Format != "png" {
		fmt.Fprintf(env.Stderr, "warning: --scale sizes a PNG; this %s is drawn at its own size\n", req.Format)
	}
	if (req.Format == "png" || req.Format == "pdf") && isStdout(*out) && env.StdoutIsTerminal {
		return usagef("%s is binary: give -o FILE, or send standard output to a file or a pipe", req.Format)
	}
	hugepage.AdviseHeap(graphCommandHeapBytes)
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		if *out != "" && isStoreFile(*out, a.StorePath()) {
			return backend.Errorf(backend.EINVALID, "-o %s is the store itself (or its journal): writing there would destroy every snapshot; give another file", *out)
		}
		if *out == "" && writesToStore(env.rawStdout, a.StorePath()) {
			return backend.Errorf(backend.EINVALID, "standard output is the store itself (%s): writing there would destroy every snapshot; send it to another file", a.StorePath())
		}
		if env.KillOnInterrupt != nil && (req.Format == "svg" || req.Format == "png" || req.Format == "pdf") {
			// The layout runs in WebAssembly here, which the Go runtime
			// cannot preempt: a garbage collection waits for it, and with
			// it the goroutine that would hear Ctrl-C. Killed at once
			// instead, the process has nothing half-written to undo.
			env.KillOnInterrupt()
		}
		if *viewName != "" {
			v, err := a.View(req.SnapshotID, *viewName)
			if err != nil {
				return err
			}
			req = viewWithFlags(app.ViewRequest(v, req.SnapshotID), req, given)
		}
		res, err := a.Lineage(req)
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			// Ctrl-C while a DOT, JSON or CSV was written out, which reads
			// no context: nothing is written (QA: the file was, exit 0).
			return err
		}
		if *saveView != "" {
			req.SnapshotID = res.SnapshotID
			v, err := a.SaveView(*saveView, req)
			if err != nil {
				return fmt.Errorf("the picture is drawn, but not saved as a view: %w", err)
			}
			fmt.Fprintf(env.Stderr, "saved view %q of project %s\n", v.Name, v.Project)
		}
		content := []byte(res.Content)
		if res.Base64 {
			if content, err = base64.StdEncoding.DecodeString(res.Content); err != nil {
				return fmt.Errorf("decode %s: %w", res.Format, err)
			}
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(env.Stderr, "warning: %s\n", w)
		}
		if res.StateSnapshotID != 0 {
			fmt.Fprintf(env.Stderr, "state: compared snapshot #%d with snapshot #%d\n", res.SnapshotID, res.StateSnapshotID)
		}
		for _, run := range res.AcrossProjects {
			fmt.Fprintf(env.Stderr, "across projects: %s from %s, snapshot #%d\n", counted(run.Nodes, "node"), run.Project, run.SnapshotID)
		}
		if d := res.Diff; d != nil {
			fmt.Fprintf(env.Stderr, "diff: %s removed; dependencies: %d added, %d removed\n", counted(d.RemovedNodes, "node"), d.AddedEdges, d.RemovedEdges)
		}
		printLineageHealth(env, res)
		if p := res.CriticalPath; p != nil {
			printCriticalPath(env, p)
		}
		if err := writeExport(env, *out, a.StorePath(), content); err != nil || *out == "" {
			return err
		}
		fmt.Fprintf(env.Stderr, "wrote %s: %s\n", *out, drawnText(res))
		return nil
	})
}

// drawnText says what an export holds: its nodes and edges, or, grouped,
// how the selection's nodes are drawn (boxes and the nodes left alone).
func drawnText(res app.LineageResult) string {
	if len(res.Groups) == 0 {
		return fmt.Sprintf("%s, %s", counted(len(res.Nodes), "node"), counted(len(res.Edges), "edge"))
	}
	boxed := 0
	for _, g := range res.Groups {
		boxed += g.Members
	}
	if boxed == len(res.Nodes) {
		return fmt.Sprintf("%s in %s", counted(len(res.Nodes), "node"), counted(len(res.Groups), "box"))
	}
	return fmt.Sprintf("%s: %d in %s, %d alone", counted(len(res.Nodes), "node"), boxed, counted(len(res.Groups), "box"), len(res.Nodes)-boxed)
}

// printCriticalPath writes the critical path on stderr, one node per line
// with its time and the path's total up to it.
func printCriticalPath(env Env, p *app.CriticalPath) {
	if len(p.Nodes) == 0 {
		fmt.Fprintf(env.Stderr, "critical path: none of the selected nodes is in the results of the dbt %s\n", p.Command)
		return
	}
	fmt.Fprintf(env.Stderr, "critical path: %.2f s over %d nodes (dbt %s)\n", p.Seconds, len(p.Nodes), p.Command)
	tw := tabwriter.NewWriter(env.Stderr, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SECONDS\tTOTAL\t  UNIQUE_ID")
	total := 0.0
	for i, id := range p.Nodes {
		total += p.Times[i]
		fmt.Fprintf(tw, "%.2f\t%.2f\t  %s\n", p.Times[i], total, id)
	}
	tw.Flush()
}

func runPaths(ctx context.Context, env Env, args []string) error {
	f := newFlags("paths")
	snapshot := f.Int64("snapshot", 0, "snapshot id (default: latest)")
	asJSON := f.Bool("json", false, "print JSON")
	limit := f.Int("limit", 200, "list at most this many paths, shortest first (the total is counted whatever the limit)")
	ids, err := f.parse(args)
	if err != nil {
		return err
	}
	if *limit < 1 {
		return usagef("--limit is how many paths to list: give 1 or more")
	}
	if len(ids) != 2 {
		return usagef("give two nodes, by unique_id or by name, e.g. paths source.shop.raw.orders customers")
	}
	hugepage.AdviseHeap(graphCommandHeapBytes)
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		res, err := a.Paths(*snapshot, ids[0], ids[1], *limit)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, res)
		}
		if len(res.Paths) == 0 {
			fmt.Fprintf(env.Stdout, "No path of dependencies runs between %s and %s, in either direction (neither is upstream of the other).\n", res.From, res.To)
			return nil
		}
		if res.Reversed {
			fmt.Fprintf(env.Stdout, "No path runs from %s to %s; these run the other way, from %s (upstream) to %s:\n", ids[0], ids[1], ids[1], ids[0])
		}
		for _, p := range res.Paths {
			fmt.Fprintln(env.Stdout, strings.Join(p, " -> "))
		}
		if res.Truncated {
			total := fmt.Sprintf("%d", res.Total)
			if res.TotalSaturated {
				total = "more than " + total
			}
			more := "--limit N lists more"
			if len(res.Paths) < *limit {
				more = "listing more would take too long" // the search's budget stopped it, not the limit
			}
			fmt.Fprintf(env.Stdout, "(the %d shortest of %s paths are listed; %s)\n", len(res.Paths), total, more)
		}
		return nil
	})
}

func runChanges(ctx context.Context, env Env, args []string) error {
	f := newFlags("changes")
	snapshot := f.Int64("snapshot", 0, "snapshot id (default: latest)")
	state := f.Int64("state", 0, "snapshot id to compare with (default: the project's snapshot before)")
	asJSON := f.Bool("json", false, "print JSON")
	if err := f.parseFlagsOnly(args); err != nil {
		return err
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		res, err := a.Changes(*snapshot, *state)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, res)
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(env.Stderr, "warning: %s\n", w)
		}
		fmt.Fprintf(env.Stdout, "Snapshot #%d against #%d: %s\n", res.SnapshotID, res.StateSnapshotID, res.Summary())
		if err := printColumnChanges(env.Stdout, res.Columns); err != nil {
			return err
		}
		if len(res.Changed)+len(res.Removed)+len(res.Results) == 0 {
			return nil
		}
		fmt.Fprintln(env.Stdout)
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		if len(res.Changed)+len(res.Removed) == 0 {
			return printStatusChanges(env, res.Results)
		}
		// The unique_id goes last: a test's runs to 150 characters, and
		// padding it would push WHAT off the terminal.
		fmt.Fprintln(tw, "CHANGE\tWHAT\tUNIQUE_ID")
		for _, n := range res.Changed {
			if !slices.Equal(n.Parts, []string{"new"}) {
				fmt.Fprintf(tw, "modified\t%s\t%s\n", strings.Join(n.Parts, ", "), n.UniqueID)
			}
		}
		for _, n := range res.Changed {
			if slices.Equal(n.Parts, []string{"new"}) {
				fmt.Fprintf(tw, "new\t\t%s\n", n.UniqueID)
			}
		}
		for _, n := range res.Removed {
			fmt.Fprintf(tw, "removed\t\t%s\n", n.UniqueID)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "\nDraw them and what depends on them, with what was removed: lineagedesk lineage --select state:modified+ --diff --snapshot %d --state %d\n", res.SnapshotID, res.StateSnapshotID)
		if len(res.Results) > 0 {
			fmt.Fprintln(env.Stdout)
			return printStatusChanges(env, res.Results)
		}
		return nil
	})
}

// printStatusChanges lists run results whose status changed.
func printStatusChanges(env Env, results []backend.StatusChange) error {
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN RESULT\tUNIQUE_ID")
	for _, c := range results {
		fmt.Fprintf(tw, "%s -> %s\t%s\n", c.Before, c.After, c.UniqueID)
	}
	return tw.Flush()
}

// isStdout reports whether -o names standard output: none, "-", or its
// names in /dev and /proc, which are written at its place (opened again by
// name it would be cut to nothing first, what the shell wrote before lost).
func isStdout(out string) bool {
	switch out {
	case "", "-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return true
	}
	return false
}

// writeExport writes an export where -o says: to that file, never onto
// the store at storePath or its journal, or ("" or -) to standard output.
// Written to a file or a pipe, an export is the same bytes -o writes (ids
// and names as dbt wrote them); only a terminal gets the characters it
// would act on replaced.
func writeExport(env Env, out, storePath string, data []byte) error {
	if isStdout(out) {
		if writesToStore(env.rawStdout, storePath) {
			return backend.Errorf(backend.EINVALID, "standard output is the store itself (%s): writing there would destroy every snapshot; send it to another file", storePath)
		}
		stdout := env.Stdout
		if !env.StdoutIsTerminal && env.rawStdout != nil {
			stdout = env.rawStdout
		}
		_, err := stdout.Write(data)
		return err
	}
	if isStoreFile(out, storePath) {
		return backend.Errorf(backend.EINVALID, "-o %s is the store itself (or its journal): writing there would destroy every snapshot; give another file", out)
	}
	if err := app.WriteFileAtomically(out, data); err != nil {
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err // its path is the temporary file's
		}
		if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) || errors.Is(err, syscall.EDQUOT) {
			return backend.Errorf(backend.EUNAVAILABLE, "could not write %s: %v; free some space or write elsewhere (a file there already is as it was)", out, err)
		}
		return backend.Errorf(backend.EINVALID, "could not write %s: %v; check that its folder exists and is writable (a file there already is as it was)", out, err)
	}
	return nil
}

// formatOfExtension is the export format a file name's extension names.
var formatOfExtension = map[string]string{".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot",
	".mmd": "mermaid", ".mermaid": "mermaid", ".json": "json", ".csv": "csv"}

// formatForFile takes the format from -o's extension when --format is not
// given (-o lineage.png writes a PNG), and refuses a --format the
// extension contradicts (QA: -o x.png wrote an SVG into it, exit 0).
func formatForFile(format *string, out string, given bool) error {
	named, known := formatOfExtension[strings.ToLower(filepath.Ext(out))]
	switch {
	case !known || named == *format || named == "csv" && *format == "csv-nodes":
		return nil
	case !given:
		*format = named
		return nil
	}
	return usagef("-o %s names a %s file, but --format is %s: give -o a .%s name, or leave --format out", out, named, *format, extensionOf(*format))
}

func extensionOf(format string) string {
	switch format {
	case "mermaid":
		return "mmd"
	case "csv-nodes":
		return "csv"
	}
	return format
}

// isStoreFile tells whether out names the store at storePath or one of
// SQLite's files beside it.
func isStoreFile(out, storePath string) bool {
	target, err := os.Stat(out)
	return err == nil && isStore(target, storePath)
}

// writesToStore tells whether w is a file that is the store or one of its
// files (lineage ... > store.db).
func writesToStore(w io.Writer, storePath string) bool {
	f, ok := w.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return false
	}
	target, err := f.Stat()
	return err == nil && target.Mode().IsRegular() && isStore(target, storePath)
}

func isStore(target os.FileInfo, storePath string) bool {
	if storePath == "" {
		return false
	}
	for _, p := range []string{storePath, storePath + "-wal", storePath + "-shm", storePath + "-journal"} {
		if st, err := os.Stat(p); err == nil && os.SameFile(st, target) {
			return true
		}
	}
	return false
}

// counted is "1 node", "2 nodes".
func counted(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "x") || strings.HasSuffix(noun, "s"):
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// dbtSelectionArgs reads --select (-s) and --exclude as dbt does: each
// takes every word up to the next flag (--select stg_orders fct_orders),
// and given twice, both (a union), where the flag package takes one word
// per flag. It returns args with each such flag once, as one word; a
// flag given no word is left for the flag package to refuse.
func dbtSelectionArgs(args []string) []string {
	words := map[string][]string{}
	var names []string // in the order first given
	var rest []string
	reading := "" // the flag whose words follow
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := selectionFlag(a)
		switch {
		case name != "":
			if _, seen := words[name]; !seen {
				names = append(names, name)
				words[name] = nil
			}
			if hasValue {
				words[name] = append(words[name], value)
			}
			reading = name
		case strings.HasPrefix(a, "-"):
			reading = ""
			rest = append(rest, a)
		case reading != "":
			words[reading] = append(words[reading], a)
		default:
			rest = append(rest, a)
		}
	}
	out := make([]string, 0, len(names)+len(rest))
	var bare []string // given no word: last, where the flag package says so
	for _, name := range names {
		if len(words[name]) == 0 {
			bare = append(bare, "--"+name)
			continue
		}
		out = append(out, "--"+name+"="+strings.Join(words[name], " "))
	}
	if i := slices.Index(rest, "--"); i >= 0 {
		return slices.Concat(out, rest[:i], bare, rest[i:])
	}
	return slices.Concat(out, rest, bare)
}

// selectionFlag says whether a is --select, -s or --exclude (with one or
// two dashes, with or without =value), and which.
func selectionFlag(a string) (name, value string, hasValue bool) {
	if !strings.HasPrefix(a, "-") {
		return "", "", false
	}
	flagName, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
	switch flagName {
	case "select", "s":
		return "select", value, hasValue
	case "exclude":
		return "exclude", value, hasValue
	}
	return "", "", false
}

// viewWithFlags is a saved view's request with what the command line
// gives besides: the flags given change the view's picture (a grouping
// given without --open leaves no box of the view's grouping open), and
// the output's flags are the command line's.
func viewWithFlags(view, cmd app.LineageRequest, given map[string]bool) app.LineageRequest {
	if given["select"] {
		view.Select = cmd.Select
	}
	if given["exclude"] {
		view.Exclude = cmd.Exclude
	}
	if given["group-by"] {
		view.GroupBy, view.Open = cmd.GroupBy, nil
	}
	if given["open"] {
		view.Open = cmd.Open
	}
	if given["lens"] {
		view.Lens = cmd.Lens
	}
	if given["include-tests"] {
		view.IncludeTests = cmd.IncludeTests
	}
	if given["indirect-selection"] {
		view.IndirectSelection = cmd.IndirectSelection
	}
	if given["runtime"] {
		view.Runtime = cmd.Runtime
	}
	if given["diff"] {
		view.Diff = cmd.Diff
	}
	if given["across-projects"] {
		view.AcrossProjects = cmd.AcrossProjects
	}
	view.Format, view.Scale, view.StateSnapshotID = cmd.Format, cmd.Scale, cmd.StateSnapshotID
	return view
}

func runImpact(ctx context.Context, env Env, args []string) error {
	f := newFlags("impact")
	snapshot := f.Int64("snapshot", 0, "snapshot id (default: latest)")
	asJSON := f.Bool("json", false, "print JSON")
	var list impactListFlags
	list.register(f)
	refs, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(refs) != 1 {
		return usagef("give one node, by unique_id or by name, e.g. impact stg_orders")
	}
	if err := list.check(*asJSON); err != nil {
		return err
	}
	hugepage.AdviseHeap(graphCommandHeapBytes)
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		if list.on {
			return list.run(env, a, *snapshot, refs[0], *asJSON)
		}
		res, err := a.Impact(*snapshot, refs[0])
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, res)
		}
		fmt.Fprintf(env.Stdout, "%s (snapshot #%d)\n", res.UniqueID, res.SnapshotID)
		for _, side := range []struct {
			name, named string
			s           app.ImpactSide
			across      []app.ProjectImpact
		}{{"downstream", "exposures", res.Downstream, res.DownstreamAcross}, {"upstream", "sources", res.Upstream, res.UpstreamAcross}} {
			printImpactSide(env.Stdout, side.name, side.named, side.s, "")
			for _, p := range side.across {
				printImpactSide(env.Stdout, fmt.Sprintf("  in project %s (snapshot #%d)", p.Project, p.SnapshotID), side.named, p.ImpactSide, "  ")
			}
		}
		return nil
	})
}

// printImpactSide prints one way of an impact: its nodes by type, its
// tests, and the exposures or sources by name.
func printImpactSide(w io.Writer, name, named string, s app.ImpactSide, indent string) {
	if s.Nodes == 0 && s.Tests == 0 {
		fmt.Fprintf(w, "%s: nothing\n", name)
		return
	}
	line := fmt.Sprintf("%s: %d %s", name, s.Nodes, map[bool]string{true: "node", false: "nodes"}[s.Nodes == 1])
	if s.Nodes > 0 {
		line += " (" + formatCounts(s.ByType) + ")"
	}
	if s.Tests > 0 {
		line += fmt.Sprintf(", %d tests", s.Tests)
	}
	fmt.Fprintln(w, line)
	if len(s.Named) > 0 {
		fmt.Fprintf(w, "%s  %s:\n", indent, named)
		for _, n := range s.Named {
			fmt.Fprintf(w, "%s    %s\n", indent, n.UniqueID)
		}
	}
}

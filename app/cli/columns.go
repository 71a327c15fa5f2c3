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

func runColumns(ctx context.Context, env Env, args []string) error {
	f := newFlags("columns")
	snapshot := f.Int64("snapshot", 0, "snapshot id (default: latest)")
	asJSON := f.Bool("json", false, "print JSON")
	upstream := f.Bool("upstream", false, "with a column: only what it is made from")
	downstream := f.Bool("downstream", false, "with a column: only what is made from it")
	depth := f.Int("depth", 0, "with a column: follow it this many levels each way at most (default: all the way)")
	format := f.String("format", "", "with a column: svg (a picture, drawn with graphviz), png (192 dpi), pdf, dot, mermaid, json or csv (one row per link) instead of a table")
	out := f.String("o", "", "with --format: write to this file instead of standard output")
	refs, err := f.parse(args)
	if err != nil {
		return err
	}
	if *out != "" && *out != "-" {
		// As lineage: -o x.png draws a PNG, and a --format it contradicts is refused.
		if err := formatForFile(format, *out, *format != ""); err != nil {
			return err
		}
	}
	switch {
	case len(refs) == 0 || len(refs) > 2:
		return usagef("give a node, by unique_id or by name, and perhaps one of its columns, e.g. columns customers customer_id")
	case len(refs) == 1 && (*upstream || *downstream):
		return usagef("--upstream and --downstream trace one column: give its name after the node's")
	case *upstream && *downstream:
		return usagef("give --upstream or --downstream, or neither for both")
	case len(refs) == 1 && *depth != 0:
		return usagef("--depth traces one column: give its name after the node's")
	case *depth < 0:
		return usagef("--depth is how many levels to follow each way, 1 or more (without it, all the way)")
	case len(refs) == 1 && *format != "":
		return usagef("--format draws a column's trace: give the column's name after the node's")
	case *out != "" && *format == "":
		return usagef("-o goes with --format svg, png, pdf, dot, mermaid, json or csv")
	case (*format == "png" || *format == "pdf") && isStdout(*out) && env.StdoutIsTerminal:
		return usagef("%s is binary: give -o FILE, or send standard output to a file or a pipe", *format)
	case *format != "" && *asJSON:
		return usagef("give --format or --json, not both")
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		if len(refs) == 1 {
			nc, err := a.ColumnLineage(*snapshot, refs[0])
			if err != nil {
				return err
			}
			if *asJSON {
				return printJSON(env.Stdout, nc)
			}
			return printNodeColumns(env.Stdout, nc)
		}
		direction := ""
		if *upstream {
			direction = "upstream"
		} else if *downstream {
			direction = "downstream"
		}
		if *format != "" {
			p, err := a.ColumnTracePicture(*snapshot, refs[0], refs[1], direction, *depth, *format)
			if err != nil {
				return err
			}
			content, err := p.Bytes()
			if err != nil {
				return err
			}
			for _, w := range p.Warnings {
				fmt.Fprintf(env.Stderr, "warning: %s\n", w)
			}
			if err := writeExport(env, *out, a.StorePath(), content); err != nil || *out == "" || *out == "-" {
				return err
			}
			fmt.Fprintf(env.Stderr, "wrote %s: %d columns of %d nodes\n", *out, columnCount(p.Trace), len(p.Trace.Nodes))
			return nil
		}
		t, err := a.ColumnTrace(*snapshot, refs[0], refs[1], direction, *depth)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, t)
		}
		return printColumnTrace(env.Stdout, t)
	})
}

// printNodeColumns prints each column with what it is made from.
func printNodeColumns(w io.Writer, nc backend.NodeColumns) error {
	fmt.Fprintf(w, "%s: %d columns\n", nc.Node, len(nc.Columns))
	if nc.Problem != "" {
		fmt.Fprintf(w, "%s\n", nc.Problem)
	}
	if len(nc.Columns) > 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "\nCOLUMN\tHOW\tFROM")
		for _, c := range nc.Columns {
			how, from := "-", "-"
			if len(c.Sources) > 0 {
				how, from = sourcesCell(c.Sources)
			}
			if len(c.Unresolved) > 0 {
				from += " (and " + strings.Join(c.Unresolved, ", ") + ", not found)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Name, how, from)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(nc.Reads) > 0 {
		fmt.Fprintln(w, "\nreads to join, filter, group or order:")
		for _, r := range nc.Reads {
			fmt.Fprintf(w, "  %s\n", sourceText(r))
		}
	}
	return nil
}

// sourcesCell is a column's kind (the strongest of its sources') and its
// sources.
func sourcesCell(sources []backend.ColumnSource) (string, string) {
	how := backend.ColumnPassthrough
	var from []string
	for _, s := range sources {
		if s.Kind == backend.ColumnTransformed || s.Kind == backend.ColumnRename && how == backend.ColumnPassthrough {
			how = s.Kind
		}
		from = append(from, sourceText(s))
	}
	return how, strings.Join(from, ", ")
}

func sourceText(s backend.ColumnSource) string {
	if s.Node == "" {
		return s.Relation + "." + s.Column + " (outside the project)"
	}
	return s.Node + "." + s.Column
}

// printColumnTrace prints a trace as its links, in the trace's order (by
// the column each comes from).
func printColumnTrace(w io.Writer, t backend.ColumnTrace) error {
	// A node is named by its name, or by its unique_id where another node
	// of the trace has the name (a model and its semantic model).
	names := map[[2]string]string{}
	named := map[string]int{}
	for _, n := range t.Nodes {
		named[n.Name]++
	}
	for _, n := range t.Nodes {
		name := n.Name
		if named[name] > 1 && n.UniqueID != "" {
			name = n.UniqueID
		}
		names[[2]string{n.UniqueID, n.Relation}] = name
	}
	label := func(k backend.ColumnKey) string {
		name := names[[2]string{k.Node, k.Relation}]
		if k.Column == "" {
			return name
		}
		return name + "." + k.Column
	}
	fmt.Fprintf(w, "%s (snapshot #%d): %s, %s\n", label(t.Focus), t.SnapshotID, counted(columnCount(t), "column"), counted(len(t.Edges), "link"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nFROM\tTO\tHOW\tEXPRESSION")
	for _, e := range t.Edges {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", label(e.From), label(e.To), e.Kind, dash(e.Expression))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var goOn []string
	for _, n := range t.Nodes {
		if n.Problem != "" {
			fmt.Fprintf(w, "%s: %s\n", n.Name, n.Problem)
		}
		if len(n.Continues) > 0 {
			goOn = append(goOn, names[[2]string{n.UniqueID, n.Relation}]+" ("+strings.Join(n.Continues, ", ")+")")
		}
	}
	if len(goOn) > 0 {
		fmt.Fprintf(w, "at depth %d; the links go on past %s\n", t.Depth, strings.Join(goOn, ", "))
	}
	if t.Truncated {
		fmt.Fprintf(w, "stopped at %d links: trace --upstream or --downstream alone, or a column further along\n", len(t.Edges))
	}
	for _, r := range t.AcrossProjects {
		fmt.Fprintf(w, "across projects: %d %s from %s, snapshot #%d\n", r.Nodes, map[bool]string{true: "node", false: "nodes"}[r.Nodes == 1], r.Project, r.SnapshotID)
	}
	return nil
}

// columnCount is how many columns a trace holds, over all its nodes.
func columnCount(t backend.ColumnTrace) int {
	n := 0
	for _, node := range t.Nodes {
		n += len(node.Columns)
	}
	return n
}

// printColumnChanges prints the warehouse columns added, removed and
// retyped, each removed or retyped one with what read it.
func printColumnChanges(w io.Writer, changes []backend.ColumnChange) error {
	if len(changes) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nCOLUMN\tCHANGE\tTYPE OR DEFINITION\tREAD BY")
	for _, c := range changes {
		typ := c.Type
		switch c.Change {
		case backend.ColumnRetyped:
			typ = c.OldType + " -> " + c.Type
		case backend.ColumnRemoved:
			typ = c.OldType
		case backend.ColumnRedefined:
			typ = oneLine(c.OldDefinition, 60) + " -> " + oneLine(c.Definition, 60)
		}
		var readers []string
		for _, r := range c.ReadBy {
			switch {
			case r.Column == "" && strings.HasPrefix(r.Node, backend.TypeExposure+"."):
				readers = append(readers, r.Node+" (uses the node)")
			case r.Column == "":
				readers = append(readers, r.Node+" (joins or filters on it)")
			default:
				readers = append(readers, r.Node+"."+r.Column)
			}
		}
		readBy := dash(strings.Join(readers, ", "))
		if r := c.Reach; r != nil && r.Nodes > 0 {
			readBy += " " + reachText(*r)
		}
		fmt.Fprintf(tw, "%s.%s\t%s\t%s\t%s\n", c.Node, c.Column, c.Change, dash(typ), readBy)
	}
	return tw.Flush()
}

// reachText says how far a changed column reaches: "(reaches 5 nodes (1
// exposure) and 4 columns)": the nodes reading it or a column made from it,
// however far down, and those columns.
func reachText(r backend.ColumnReach) string {
	text := "reaches " + counted(r.Nodes, "node")
	if r.Exposures > 0 {
		text += " (" + counted(r.Exposures, "exposure") + ")"
	}
	text += " and " + counted(r.Columns, "column")
	if r.Truncated {
		text += ", and more"
	}
	return "(" + text + ")"
}

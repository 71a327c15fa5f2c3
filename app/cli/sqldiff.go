package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/lineagedesk/lineagedesk/app"
)

func runSQLDiff(ctx context.Context, env Env, args []string) error {
	f := newFlags("sqldiff")
	snapshot := f.Int64("snapshot", 0, "the snapshot whose SQL is shown (default: latest)")
	against := f.Int64("against", 0, "the snapshot it is compared with (default: the project's run before it)")
	asJSON := f.Bool("json", false, "print JSON")
	refs, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(refs) != 1 {
		return usagef("give exactly one unique_id or name, e.g. model.jaffle_shop.customers or customers")
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		d, err := a.SQLDiff(*snapshot, refs[0], *against)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, d)
		}
		printSQLDiff(env.Stdout, d)
		return nil
	})
}

// sqlDiffContext is how many unchanged lines are shown around a change.
const sqlDiffContext = 3

// printSQLDiff prints a header, then the diff's lines ("+" added, "-"
// removed), each run of unchanged lines farther than sqlDiffContext from a
// change folded into a count.
func printSQLDiff(w io.Writer, d app.SQLDiffResult) {
	fmt.Fprintf(w, "%s: %s SQL in #%d against #%d: %d added, %d removed\n", d.UniqueID, d.Kind, d.SnapshotID, d.AgainstID, d.Added, d.Removed)
	if d.Added+d.Removed == 0 {
		if len(d.Changed) == 0 {
			fmt.Fprintf(w, "unchanged since #%d\n", d.AgainstID)
		} else {
			fmt.Fprintf(w, "the same SQL; what changed: %s\n", strings.Join(d.Changed, ", "))
		}
		return
	}
	near := make([]bool, len(d.Lines))
	for i, l := range d.Lines {
		if l.Op == " " {
			continue
		}
		for k := max(0, i-sqlDiffContext); k <= min(len(d.Lines)-1, i+sqlDiffContext); k++ {
			near[k] = true
		}
	}
	for i := 0; i < len(d.Lines); i++ {
		if l := d.Lines[i]; l.Op != " " || near[i] {
			line := l.Op + " " + l.Text
			if l.Text == "" {
				line = strings.TrimSpace(l.Op) // no trailing spaces on an empty line
			}
			fmt.Fprintln(w, line)
			continue
		}
		j := i
		for j < len(d.Lines) && !near[j] {
			j++
		}
		fmt.Fprintf(w, "  … %d unchanged %s\n", j-i, map[bool]string{true: "line", false: "lines"}[j-i == 1])
		i = j - 1
	}
}

package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/lineagedesk/lineagedesk/app"
)

func runMesh(ctx context.Context, env Env, args []string) error {
	f := newFlags("mesh")
	snapshot := f.Int64("snapshot", 0, "snapshot id (default: latest)")
	asJSON := f.Bool("json", false, "print JSON")
	if err := f.parseFlagsOnly(args); err != nil {
		return err
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		res, err := a.Mesh(*snapshot)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, res)
		}
		printMesh(env.Stdout, res)
		return nil
	})
}

// printMesh lists the projects a project reads public models of, and
// those that read its own, each model with the nodes that read it.
func printMesh(w io.Writer, res app.MeshResult) {
	if len(res.Reads) == 0 && len(res.ReadBy) == 0 {
		fmt.Fprintf(w, "Snapshot #%d %s refs no other project's models, and no project the store holds refs its own (dbt Mesh cross-project refs)\n", res.SnapshotID, res.Project)
		return
	}
	fmt.Fprintf(w, "Snapshot #%d %s, across projects (dbt Mesh):\n", res.SnapshotID, res.Project)
	section := func(title string, projects []app.MeshProject, arrow string) {
		if len(projects) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		for _, p := range projects {
			run := "the store holds no run of it: import or sync it to draw its lineage"
			if p.SnapshotID != 0 {
				run = fmt.Sprintf("snapshot #%d", p.SnapshotID)
			}
			fmt.Fprintf(w, "  %s (%s)\n", p.Project, run)
			for _, m := range p.Models {
				readers := "nothing drawn reads it"
				if len(m.Readers) > 0 {
					readers = strings.Join(m.Readers, ", ")
				}
				fmt.Fprintf(w, "    %s %s %s\n", m.UniqueID, arrow, readers)
			}
		}
	}
	section("Reads public models of", res.Reads, "read by")
	section("Read by", res.ReadBy, "read by")
	fmt.Fprintf(w, "\nDraw it: lineagedesk lineage --snapshot %d --across-projects --select %s\n", res.SnapshotID, meshExample(res))
}

// meshExample is a selector that crosses projects: all around the first
// node of this project that reads a ref, else around its first model
// another project reads.
func meshExample(res app.MeshResult) string {
	for _, p := range res.Reads {
		for _, m := range p.Models {
			if len(m.Readers) > 0 {
				return "+" + m.Readers[0] + "+"
			}
		}
	}
	return "+" + res.ReadBy[0].Models[0].UniqueID + "+"
}

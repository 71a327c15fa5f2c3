package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

func runViews(ctx context.Context, env Env, args []string) error {
	f := newFlags("views")
	snapshot := f.Int64("snapshot", 0, "a snapshot of the project (default: latest)")
	asJSON := f.Bool("json", false, "print JSON")
	if err := f.parseFlagsOnly(args); err != nil {
		return err
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		views, err := a.Views(*snapshot)
		if err != nil {
			return err
		}
		err = printList(env.Stdout, *asJSON, views, "This project has no saved views: lineagedesk lineage --select EXPR --save-view NAME saves one.",
			"NAME\tSELECT\tDRAWN\tSAVED", func(v backend.View) string {
				return fmt.Sprintf("%s\t%s\t%s\t%s", v.Name, viewSelection(v), viewDrawing(v), v.SavedAt.Local().Format("2006-01-02 15:04"))
			})
		if err == nil && !*asJSON && len(views) > 0 {
			fmt.Fprintln(env.Stdout, "\nDraw one with: lineagedesk lineage --view NAME")
		}
		return err
	})
}

// viewSelection is what a view selects, as the lineage command's flags
// would say it.
func viewSelection(v backend.View) string {
	s := v.Select
	if v.Exclude != "" {
		s += " --exclude " + v.Exclude
	}
	return s
}

// viewDrawing sums up how a view draws its selection: "grouped by schema
// (1 open), runs lens, tests (eager), run times".
func viewDrawing(v backend.View) string {
	var parts []string
	if v.GroupBy != "" {
		g := "grouped by " + v.GroupBy
		if len(v.Open) > 0 {
			g += fmt.Sprintf(" (%d open)", len(v.Open))
		}
		parts = append(parts, g)
	}
	if v.Lens != "" {
		parts = append(parts, v.Lens+" lens")
	}
	if v.IncludeTests || v.IndirectSelection != "" {
		mode := v.IndirectSelection
		if mode == "" {
			mode = "cautious"
		}
		parts = append(parts, "tests ("+mode+")")
	}
	if v.Runtime {
		parts = append(parts, "run times")
	}
	if v.Diff {
		parts = append(parts, "diff")
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

func runDeleteView(ctx context.Context, env Env, args []string) error {
	f := newFlags("delete-view")
	snapshot := f.Int64("snapshot", 0, "a snapshot of the project (default: latest)")
	names, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(names) != 1 {
		return usagef("give the view's name (lineagedesk views lists them)")
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		if err := a.DeleteView(*snapshot, names[0]); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Deleted view %q.\n", names[0])
		return nil
	})
}

func runViewFile(ctx context.Context, env Env, args []string) error {
	f := newFlags("view-file")
	snapshot := f.Int64("snapshot", 0, "a snapshot of the project (default: latest)")
	out := f.String("o", "", "write to this file instead of standard output")
	names, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(names) != 1 {
		return usagef("give the view's name (lineagedesk views lists them)")
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		v, err := a.View(*snapshot, names[0])
		if err != nil {
			return err
		}
		file, err := a.ViewFile(*snapshot, names[0])
		if err != nil {
			return err
		}
		if err := writeExport(env, *out, a.StorePath(), []byte(file.Content)); err != nil || *out == "" || *out == "-" {
			return err
		}
		fmt.Fprintf(env.Stderr, "wrote %s: view %q of project %s; lineagedesk import-view FILE reads it back\n", *out, v.Name, v.Project)
		return nil
	})
}

func runImportView(ctx context.Context, env Env, args []string) error {
	f := newFlags("import-view")
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usagef("give the view file (lineagedesk view-file NAME -o FILE writes one)")
	}
	if info, err := os.Stat(files[0]); err == nil && info.Size() > 1<<20 {
		return backend.Errorf(backend.EINVALID, "%s is %d bytes: not a view file, which is a few hundred; give the file view-file wrote", files[0], info.Size())
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return backend.Errorf(backend.EINVALID, "could not read the view file %s: %v", files[0], err)
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		res, err := a.ImportView(string(data))
		if err != nil {
			return fmt.Errorf("%s: %w", files[0], err)
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(env.Stderr, "warning: %s\n", w)
		}
		fmt.Fprintf(env.Stdout, "Imported view %q of project %s: lineagedesk lineage --view %q draws it.\n", res.View.Name, res.View.Project, res.View.Name)
		return nil
	})
}

package cli

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

// deletion is what delete-snapshot --json prints.
type deletion struct {
	Deleted []backend.Snapshot `json:"deleted"`
	DryRun  bool               `json:"dry_run"`
	Compact *app.Compaction    `json:"compact,omitempty"`
}

// runDeleteSnapshot deletes snapshots by id, or all but the latest runs
// of each project (--keep): the CLI's way to keep a store that syncs every
// day from growing without end.
func runDeleteSnapshot(ctx context.Context, env Env, args []string) error {
	f := newFlags("delete-snapshot")
	keep := f.Int("keep", 0, "keep the N latest runs of each project and delete the rest")
	project := f.String("project", "", "with --keep: only this project's snapshots")
	dryRun := f.Bool("dry-run", false, "list what would be deleted and delete nothing")
	compact := f.Bool("compact", false, "then give the freed space back to the file system (rewrites the store)")
	asJSON := f.Bool("json", false, "print JSON")
	positional, err := f.parse(args)
	if err != nil {
		return err
	}
	keepSet := false
	f.Visit(func(fl *flag.Flag) { keepSet = keepSet || fl.Name == "keep" })
	switch {
	case keepSet && len(positional) > 0:
		return usagef("give snapshot ids or --keep N, not both")
	case !keepSet && *project != "":
		return usagef("--project goes with --keep N")
	case !keepSet && len(positional) == 0:
		return usagef("give the ids of the snapshots to delete (lineagedesk snapshots lists them), or --keep N to keep each project's N latest runs")
	}
	ids, err := snapshotIDs(positional)
	if err != nil {
		return err
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		doomed, err := snapshotsToDelete(a, ids, keepSet, *keep, *project)
		if err != nil {
			return err
		}
		out := deletion{Deleted: []backend.Snapshot{}, DryRun: *dryRun}
		for _, s := range doomed {
			verb := "Would delete"
			if !*dryRun {
				if err := a.DeleteSnapshot(s.ID); err != nil {
					if len(out.Deleted) > 0 {
						return fmt.Errorf("%w (the %s deleted before it stay deleted)", err, counted(len(out.Deleted), "snapshot"))
					}
					return err
				}
				verb = "Deleted"
			}
			out.Deleted = append(out.Deleted, s)
			if !*asJSON {
				fmt.Fprintf(env.Stdout, "%s %s.\n", verb, describeSnapshot(s))
			}
		}
		if !*asJSON {
			fmt.Fprintln(env.Stdout, deletionSummary(len(out.Deleted), *dryRun, keepSet, *keep, *compact))
		}
		if *compact && !*dryRun {
			c, err := a.CompactStore()
			if err != nil {
				return err
			}
			out.Compact = &c
			if !*asJSON {
				fmt.Fprintln(env.Stdout, compactionText(c))
			}
		}
		if *asJSON {
			return printJSON(env.Stdout, out)
		}
		return nil
	})
}

// snapshotIDs reads the ids given, each once.
func snapshotIDs(args []string) ([]int64, error) {
	var ids []int64
	for _, arg := range args {
		id, err := strconv.ParseInt(arg, 10, 64)
		if err != nil || id < 1 {
			return nil, usagef("%q is no snapshot id: give the numbers lineagedesk snapshots lists", arg)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// snapshotsToDelete finds every snapshot before any is deleted, so a
// wrong id deletes nothing.
func snapshotsToDelete(a *app.App, ids []int64, keepSet bool, keep int, project string) ([]backend.Snapshot, error) {
	if keepSet {
		return a.SnapshotsToPrune(keep, project)
	}
	snaps, err := a.Snapshots()
	if err != nil {
		return nil, err
	}
	var doomed []backend.Snapshot
	for _, id := range ids {
		i := slices.IndexFunc(snaps, func(s backend.Snapshot) bool { return s.ID == id })
		if i < 0 {
			return nil, backend.Errorf(backend.ENOTFOUND, "there is no snapshot %d (lineagedesk snapshots lists them): nothing was deleted", id)
		}
		doomed = append(doomed, snaps[i])
	}
	return doomed, nil
}

func describeSnapshot(s backend.Snapshot) string {
	generated := "generated at an unknown time"
	if !s.GeneratedAt.IsZero() {
		generated = "generated " + s.GeneratedAt.UTC().Format(time.DateTime)
	}
	return fmt.Sprintf("snapshot #%d %q (%s, %s)", s.ID, s.Name, s.Project, generated)
}

func deletionSummary(n int, dryRun, keepSet bool, keep int, compact bool) string {
	switch {
	case n == 0 && keepSet:
		return fmt.Sprintf("Nothing to delete: no project has more than %s.", counted(keep, "snapshot"))
	case dryRun:
		return fmt.Sprintf("%s would be deleted; nothing was.", counted(n, "snapshot"))
	case compact:
		return fmt.Sprintf("Deleted %s.", counted(n, "snapshot"))
	}
	return fmt.Sprintf("Deleted %s. The store file keeps its size, the space reused by later imports; lineagedesk compact gives it back.", counted(n, "snapshot"))
}

// runCompact gives the space deleted snapshots left back to the file system.
func runCompact(ctx context.Context, env Env, args []string) error {
	f := newFlags("compact")
	asJSON := f.Bool("json", false, "print JSON")
	if err := f.parseFlagsOnly(args); err != nil {
		return err
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		c, err := a.CompactStore()
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, c)
		}
		_, err = fmt.Fprintln(env.Stdout, compactionText(c))
		return err
	})
}

func compactionText(c app.Compaction) string {
	return fmt.Sprintf("Compacted the store from %s to %s in %.1f s.", humanBytes(c.Before.Bytes), humanBytes(c.After.Bytes), c.Seconds)
}

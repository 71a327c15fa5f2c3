package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
)

// A FolderWatch imports a dbt target/ folder (or artifact files) each
// time dbt has written it anew, for a dbt Core user who wants every
// `dbt build` in the store without importing it by hand. It is not an
// API call: the CLI runs it (import --watch) for as long as it is wanted.
type FolderWatch struct {
	app   *App
	paths []string
	name  string
	every time.Duration
	// claim, when set, claims a run for this watch before it is imported
	// (a watch kept in the store: another window may watch the folder too).
	claim func(ctx context.Context, run string) (bool, error)
}

// NewFolderWatch watches paths, polling every interval (2 s when 0); name
// names the snapshots ("" = after the project).
func NewFolderWatch(a *App, paths []string, name string, every time.Duration) *FolderWatch {
	if every <= 0 {
		every = defaultPoll
	}
	return &FolderWatch{app: a, paths: paths, name: name, every: every}
}

// artifactStamp is what a folder's artifacts looked like at one poll: each
// file's size and modification time. dbt writes manifest.json as a run
// starts and run_results.json as it ends.
type artifactStamp struct {
	files                []string // "path size mtime", sorted
	manifest, runResults time.Time
	newest               time.Time
}

func (s artifactStamp) equal(o artifactStamp) bool { return slices.Equal(s.files, o.files) }

// complete reports whether the artifacts make one run's set: a run's
// results are written after its manifest (a folder holding the manifest of
// a run still going and the results of the one before is not imported).
func (s artifactStamp) complete() bool {
	return len(s.files) > 0 && (s.runResults.IsZero() || !s.runResults.Before(s.manifest))
}

func (w *FolderWatch) stamp() (artifactStamp, error) {
	set, err := artifact.Discover(w.paths)
	if err != nil {
		return artifactStamp{}, err
	}
	var s artifactStamp
	for _, f := range []struct {
		path string
		at   *time.Time
	}{{set.Manifest, &s.manifest}, {set.Catalog, nil}, {set.RunResults, &s.runResults}, {set.Sources, nil}} {
		if f.path == "" {
			continue
		}
		info, err := os.Stat(f.path)
		if err != nil {
			return artifactStamp{}, err
		}
		s.files = append(s.files, fmt.Sprintf("%s %d %d", f.path, info.Size(), info.ModTime().UnixNano()))
		if f.at != nil {
			*f.at = info.ModTime()
		}
		if info.ModTime().After(s.newest) {
			s.newest = info.ModTime()
		}
	}
	slices.Sort(s.files)
	return s, nil
}

// Run watches until ctx ends (then returns nil). It imports at once unless
// the store holds an import of these paths made after the files were last
// written, then each time the files change and stay unchanged for one
// interval, complete (see artifactStamp.complete). report hears each
// import, or why one failed (the watch goes on: the next change may mend
// it), or that the files hold a run a snapshot holds (SameRunAs) or more
// of it (the import then replaces that snapshot: Completed), or what
// it waits for (Note); a path that is not there at the start is an error.
func (w *FolderWatch) Run(ctx context.Context, report func(ImportResult, error)) error {
	origin := strings.Join(absPaths(w.paths), ", ")
	current, err := w.stamp()
	if err != nil {
		// A folder that holds no artifacts yet (a fresh clone, dbt clean)
		// is waited for; any other path that cannot be read, refused.
		if !artifact.IsNoArtifacts(err) {
			return fmt.Errorf("watch %s: %w", origin, err)
		}
		report(ImportResult{Note: fmt.Sprintf("%s holds no dbt artifacts yet: waiting for dbt to write them", origin)}, nil)
		current = artifactStamp{}
	}
	var imported artifactStamp
	if fresh, err := w.importedAfter(ctx, origin, current.newest); err != nil {
		return err
	} else if fresh {
		imported = current
	}
	last := artifactStamp{}
	// A set seen unchanged but incomplete (a manifest newer than the run's
	// results) for waitNote is said once: a dbt parse or ls writes no
	// results, and a run that stopped leaves none.
	waitNote := 10 * w.every
	var incompleteSince time.Time
	noted := artifactStamp{}
	tick := time.NewTicker(w.every)
	defer tick.Stop()
	for {
		if current.equal(last) && !current.equal(imported) && !current.complete() && len(current.files) > 0 {
			if incompleteSince.IsZero() {
				incompleteSince = time.Now()
			}
			if time.Since(incompleteSince) >= waitNote && !current.equal(noted) {
				noted = current
				report(ImportResult{Note: fmt.Sprintf("manifest.json in %s was written at %s, after the run results it lies with: waiting for that run's run_results.json (a dbt parse, ls or compile writes none, and a run that stopped leaves none); import the folder by hand to take it as it is",
					origin, current.manifest.Format("15:04:05"))}, nil)
			}
		} else {
			incompleteSince = time.Time{}
		}
		// Import a set seen twice in a row (dbt is done writing it) that
		// differs from the one imported last.
		if current.equal(last) && !current.equal(imported) && current.complete() {
			// Imported meanwhile (by hand, or by another window watching
			// it too): nothing to do.
			if fresh, err := w.importedAfter(ctx, origin, current.newest); err == nil && fresh {
				imported = current
				continue
			}
			// Files touched or copied again: the manifest's header names a
			// run a snapshot holds, found without reading the rest (on a
			// big project the import would run whole before its end said
			// so, SkipSameRun). Unless the files now hold more of that run
			// than the snapshot: a dbt build into an empty target/ writes
			// its manifest first, imported alone, then its results, which
			// complete it.
			held, more := w.heldRun(ctx)
			if held != 0 && !more {
				imported = current
				report(ImportResult{SameRunAs: held, Warnings: []string{}}, nil)
				continue
			}
			if w.claim != nil {
				mine, err := w.claim(ctx, strings.Join(current.files, "\n"))
				if err != nil {
					report(ImportResult{}, err) // the store is busy: try again at the next look
					last = artifactStamp{}
					continue
				}
				if !mine {
					imported = current // another window's, or a stopped watch's
					continue
				}
			}
			// Files touched or copied again hold a run imported before:
			// it is left out, and the report says which snapshot holds it.
			res, err := w.app.importPaths(ctx, w.paths, w.name, backend.Origin{Kind: backend.OriginPath, Path: origin}, true, held)
			if ctx.Err() != nil {
				return nil
			}
			imported = current
			report(res, err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		last = current
		if current, err = w.stamp(); err != nil {
			current = artifactStamp{} // gone for now (dbt clean): wait for it
		}
	}
}

// heldRun is the snapshot that holds the run the watched manifest is of,
// by its header (project, invocation, generation time); 0 when none does
// or the header does not say (a manifest before dbt 1.5 names no project).
// more is whether the folder holds artifacts of kinds that snapshot lacks.
func (w *FolderWatch) heldRun(ctx context.Context) (id int64, more bool) {
	set, err := artifact.Discover(w.paths)
	if err != nil {
		return 0, false
	}
	h, ok, err := artifact.ReadManifestHeader(set.Manifest)
	if err != nil || !ok || h.ProjectName == "" || h.InvocationID == "" {
		return 0, false
	}
	snap, err := w.app.store.SnapshotOfInvocation(ctx, h.ProjectName, h.InvocationID, h.GeneratedAt)
	if err != nil {
		return 0, false
	}
	for kind, path := range map[string]string{"run_results": set.RunResults, "catalog": set.Catalog, "sources": set.Sources} {
		if _, held := snap.SchemaVersions[kind]; path != "" && !held {
			more = true
		}
	}
	return snap.ID, more
}

// importedAfter reports whether the store holds an import of origin taken
// after t, the files' last write: watching a folder already imported does
// not import it again.
func (w *FolderWatch) importedAfter(ctx context.Context, origin string, t time.Time) (bool, error) {
	snaps, err := w.app.store.Snapshots(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		return false, fmt.Errorf("watch %s: %w", origin, err)
	}
	return slices.ContainsFunc(snaps, func(s backend.Snapshot) bool {
		return s.Origin.Kind == backend.OriginPath && s.Origin.Path == origin && s.TakenAt.After(t)
	}), nil
}

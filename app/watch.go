package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	// known is the artifacts found last (stamp lists the folders again
	// only when their names change); nil when none were.
	known *artifact.FileSet
	// imports are the kinds of artifact of its own dbt invocation each
	// snapshot this watch stored was imported with, by snapshot.
	imports map[int64]map[string]bool
}

// NewFolderWatch watches paths, polling every interval (2 s when 0); name
// names the snapshots ("" = after the project).
func NewFolderWatch(a *App, paths []string, name string, every time.Duration) *FolderWatch {
	if every <= 0 {
		every = defaultPoll
	}
	return &FolderWatch{app: a, paths: paths, name: name, every: every, imports: map[int64]map[string]bool{}}
}

// retryAfter is how many polls a watch waits before it tries again an
// import that failed for a reason other than the files (the store busy,
// a file it may not read): unchanged files are not retried at every poll.
const retryAfter = 10

// Run watches until ctx ends (then returns nil). It imports at once unless
// the store holds the run the files hold, then each time the files change
// and stay unchanged for one interval, complete (see artifactStamp.complete).
// report hears each import, or why one failed (the watch goes on: the
// next change may mend it), or that the files hold a run a snapshot holds
// (SameRunAs) or more of it (the import then replaces that snapshot:
// Completed), or what it waits for (Note); a path that is not there at
// the start is an error.
func (w *FolderWatch) Run(ctx context.Context, report func(ImportResult, error)) error {
	origin := strings.Join(absPaths(w.paths), ", ")
	var lost string // why the files could not be looked at, said once
	current, err := w.stamp()
	if err != nil {
		lost = backend.NewErrorPayload(err).Message
		// A folder that holds no artifacts yet (a fresh clone, dbt clean)
		// is waited for; any other path that cannot be read, refused.
		if !artifact.IsNoArtifacts(err) {
			return fmt.Errorf("watch %s: %w", origin, err)
		}
		report(ImportResult{Note: fmt.Sprintf("%s holds no dbt artifacts yet: waiting for dbt to write them", origin)}, nil)
		current = artifactStamp{}
	}
	if err := w.storeOutside(); err != nil {
		return err
	}
	// Watching a folder whose run the store holds does not import it again.
	var imported artifactStamp
	if len(current.files) > 0 {
		run := readRun(current.set)
		if _, held, more, err := w.held(ctx, origin, current, run); err != nil {
			return err
		} else if held && !more {
			imported = current
		}
	}
	last := artifactStamp{}
	// A set seen unchanged but incomplete (a manifest newer than the run's
	// results) for waitNote is said once: a dbt parse or ls writes no
	// results, and a run that stopped leaves none.
	waitNote := 10 * w.every
	var incompleteSince time.Time
	noted := artifactStamp{}
	var failed artifactStamp
	var retry time.Time
	tick := time.NewTicker(w.every)
	defer tick.Stop()
	events := newFolderEvents(w.artifactNames())
	defer events.close()
	events.add(w.watchedDirs())
	for {
		candidate := len(current.files) > 0 && !current.equal(imported) && (!current.equal(failed) || time.Now().After(retry))
		var run runFiles
		if candidate {
			run = readRun(current.set)
		}
		settled := candidate && current.settled(last, run, min(w.every, quietFor), time.Now())
		if settled && !current.complete(run) {
			if incompleteSince.IsZero() {
				incompleteSince = time.Now()
			}
			if time.Since(incompleteSince) >= waitNote && !current.equal(noted) {
				noted = current
				report(ImportResult{Note: fmt.Sprintf("manifest.json in %s was written at %s, after the run results it lies with, which are another dbt run's: waiting for that run's run_results.json (a dbt parse, ls or compile writes none, and a run that stopped leaves none); import the folder by hand to take it as it is",
					origin, current.manifest.Format("15:04:05"))}, nil)
			}
		} else {
			incompleteSince = time.Time{}
		}
		// Import a settled set (dbt is done writing it) that differs from
		// the one imported last.
		if settled && current.complete(run) {
			res, err, done := w.importOnce(ctx, origin, current, run)
			if ctx.Err() != nil {
				if err == nil && res.SnapshotID != 0 {
					report(res, nil) // stored before the stop: said, not lost
				}
				return nil
			}
			if done && backend.ErrorCode(err) == backend.EINVALID {
				if again, serr := w.stamp(); serr == nil && !again.equal(current) {
					// Not broken: the next dbt command wrote over the run
					// while it was read. That run is gone; the next is read.
					report(ImportResult{Note: fmt.Sprintf("the dbt run in %s was overwritten by the next dbt command while it was read: it is not stored; the next one is read once written", origin)}, nil)
					done, err = false, nil
				}
			}
			switch {
			case done:
				imported = current
				if res.SameRunAs != 0 || res.SnapshotID != 0 || err != nil {
					report(res, err)
				}
			case err != nil:
				// Not the files' fault (the store busy, a file it may not
				// read): tried again in a while, said once.
				if !current.equal(failed) {
					report(res, err)
				}
				failed, retry = current, time.Now().Add(retryAfter*w.every)
			}
		}
		if !w.wait(ctx, tick.C, events) {
			return nil
		}
		last = current
		if current, err = w.stamp(); err != nil {
			current = artifactStamp{} // gone for now (dbt clean): wait for it
			if msg := backend.NewErrorPayload(err).Message; msg != lost {
				lost = msg
				note := fmt.Sprintf("%s holds no dbt artifacts now (dbt clean?): waiting for dbt to write them again", origin)
				if !artifact.IsNoArtifacts(err) && !errors.Is(err, fs.ErrNotExist) {
					note = msg + ": the watch looks again at each interval" // a permission, say: the user's to mend
				}
				report(ImportResult{Note: note}, nil)
			}
		} else {
			lost = ""
		}
	}
}

// wait returns at the next poll, or as soon as the watched folders have
// lain still for quietFor after a change (events), so that a run is read
// before the next dbt command overwrites it; false when ctx ends.
func (w *FolderWatch) wait(ctx context.Context, tick <-chan time.Time, events *folderEvents) bool {
	var still <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return false
		case <-tick:
			events.add(w.watchedDirs()) // a folder made again since (dbt clean)
			if still == nil {
				return true
			}
			// A change is settling: a look now would find it not yet
			// still and wait for the next poll.
		case <-events.wake():
			events.add(w.watchedDirs()) // target/ made again in a watched project
			still = time.After(min(w.every, quietFor) + 50*time.Millisecond)
		case <-still:
			return true
		}
	}
}

// watchedDirs are the folders whose changes wake the watch: those it was
// given and those its artifacts were found in.
func (w *FolderWatch) watchedDirs() []string {
	var dirs []string
	for _, p := range w.paths {
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			dirs = append(dirs, p)
			if info, err := os.Stat(filepath.Join(p, "target")); err == nil && info.IsDir() {
				dirs = append(dirs, filepath.Join(p, "target")) // a project folder's
			}
		}
	}
	if w.known != nil {
		for _, f := range []string{w.known.Manifest, w.known.Catalog, w.known.RunResults, w.known.Sources} {
			if f != "" {
				dirs = append(dirs, filepath.Dir(f))
			}
		}
	}
	slices.Sort(dirs)
	return slices.Compact(dirs)
}

// artifactNames are the file names whose changes wake the watch: dbt's
// artifacts, and the files it was given by name.
func (w *FolderWatch) artifactNames() map[string]bool {
	names := map[string]bool{}
	for _, kind := range []string{backend.ArtifactManifest, backend.ArtifactCatalog, backend.ArtifactRunResults, backend.ArtifactSources} {
		names[kind+".json"], names[kind+".json.gz"] = true, true
	}
	for _, p := range w.paths {
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			names[filepath.Base(p)] = true
		}
	}
	return names
}

// storeOutside refuses a watch of an artifacts folder that holds the
// store: `dbt clean` would delete the store with target/, and the imports
// after it would go to a deleted file. A store in the project folder
// itself, beside target/, is left alone.
func (w *FolderWatch) storeOutside() error {
	if w.app.StorePath() == "" {
		return nil
	}
	store, err := filepath.Abs(w.app.StorePath())
	if err != nil {
		return nil
	}
	for _, dir := range w.watchedDirs() {
		if _, err := os.Stat(filepath.Join(dir, "dbt_project.yml")); err == nil {
			continue // a project folder: dbt clean deletes its target/, watched too
		}
		if dir, err := filepath.Abs(dir); err == nil && strings.HasPrefix(store, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator)) {
			return backend.Errorf(backend.EINVALID, "the store %s lies in the watched folder %s, which dbt clean deletes with everything in it: keep the store elsewhere (--db)", store, dir)
		}
	}
	return nil
}

// importOnce imports the settled files unless the store holds their run
// whole. done is false when the import failed for another reason than the
// files, which a later try may mend.
func (w *FolderWatch) importOnce(ctx context.Context, origin string, current artifactStamp, run runFiles) (res ImportResult, err error, done bool) {
	id, held, more, err := w.held(ctx, origin, current, run)
	if err != nil {
		return ImportResult{}, err, false
	}
	if held && !more {
		return ImportResult{SameRunAs: id, Warnings: []string{}}, nil, true
	}
	if w.claim != nil {
		mine, err := w.claim(ctx, strings.Join(current.files, "\n"))
		if err != nil {
			return ImportResult{}, err, false // the store is busy: try again later
		}
		if !mine {
			return ImportResult{}, nil, true // another window's, or a stopped watch's
		}
	}
	supersedes := id // the snapshot of the run the files complete, if any
	set, err := current.runSet(run)
	if err != nil {
		return ImportResult{}, err, false
	}
	res, err = w.app.importSet(ctx, set, w.name, backend.Origin{Kind: backend.OriginPath, Path: origin}, true, supersedes)
	if err != nil {
		if backend.ErrorCode(err) == backend.EINVALID {
			// The files are at fault: read again once they change (dbt may
			// be writing one still).
			return res, fmt.Errorf("%w (the watch reads the files again when they change)", err), true
		}
		return res, err, false
	}
	if res.SnapshotID != 0 {
		w.imports[res.SnapshotID] = run.kinds
		delete(w.imports, supersedes)
	}
	return res, nil, true
}

// held reports whether the store holds the run the files hold (in
// snapshot id, when the manifest names the run), and whether the files
// hold more of it than the snapshot (artifacts of the run's own invocation
// it was stored without). By the manifest's header (project, invocation,
// generation time; before dbt 1.5 it names no project, and the invocation
// id tells alone) when it names them; else, for manifests before dbt 1.0,
// by an import of the same folder taken after the files were last written.
func (w *FolderWatch) held(ctx context.Context, origin string, current artifactStamp, run runFiles) (id int64, held, more bool, err error) {
	if run.invocation == "" { // before dbt 1.0: no id to tell runs by
		fresh, err := w.importedAfter(ctx, origin, current.newest)
		return 0, fresh, false, err
	}
	snap, err := w.app.store.SnapshotOfInvocation(ctx, run.project, run.invocation, run.generated)
	if err != nil {
		return 0, false, false, nil
	}
	had, ok := w.imports[snap.ID]
	if !ok {
		// Stored by another process or an earlier watch: by what it holds,
		// whichever runs its artifacts came from (the store keeps no
		// invocation per artifact).
		had = map[string]bool{}
		for kind := range snap.SchemaVersions {
			had[kind] = true
		}
	}
	for kind := range run.kinds {
		if !had[kind] {
			return snap.ID, true, true, nil
		}
	}
	return snap.ID, true, false, nil
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

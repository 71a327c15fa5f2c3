package app

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
)

// artifactStamp is what a folder's artifacts looked like at one poll: each
// file's size and modification time. dbt writes manifest.json as a run
// starts and run_results.json as it ends.
type artifactStamp struct {
	set                  artifact.FileSet
	files                []string // "path size mtime mode", sorted
	manifest, runResults time.Time
	newest               time.Time
}

func (s artifactStamp) equal(o artifactStamp) bool { return slices.Equal(s.files, o.files) }

// runFiles is what a stamp's files say of the dbt run they hold, read
// from their headers: the manifest's invocation, and the other artifacts
// of that invocation (by kind).
type runFiles struct {
	invocation string // "" when the manifest names none (before dbt 1.0) or cannot be read
	project    string
	generated  time.Time
	kinds      map[string]bool // backend.ArtifactRunResults... written by that invocation
	stale      map[string]bool // ...written by another invocation, which names itself
	others     bool            // artifacts besides the manifest are there
}

func readRun(set artifact.FileSet) runFiles {
	r := runFiles{kinds: map[string]bool{}, stale: map[string]bool{}}
	h, ok, err := artifact.ReadHeader(set.Manifest, backend.ArtifactManifest)
	if err != nil || !ok {
		return r
	}
	r.invocation, r.project, r.generated = h.InvocationID, h.ProjectName, h.GeneratedAt
	for kind, path := range map[string]string{backend.ArtifactRunResults: set.RunResults, backend.ArtifactCatalog: set.Catalog, backend.ArtifactSources: set.Sources} {
		if path == "" {
			continue
		}
		r.others = true
		if o, ok, err := artifact.ReadHeader(path, kind); err == nil && ok && r.invocation != "" && o.InvocationID != "" {
			if o.InvocationID == r.invocation {
				r.kinds[kind] = true
			} else {
				r.stale[kind] = true
			}
		}
	}
	return r
}

// complete reports whether the artifacts make one run's set. By their
// invocation ids: the manifest alone (a dbt parse, or a run begun: what
// it writes later completes its snapshot), or with an artifact of its own
// invocation (a build's results; a docs generate's, whose manifest is
// written again after them; a source freshness's sources.json, with no
// results). Else, or without ids, by the files' times: a run's results are
// written after its manifest (a folder holding the manifest of a run
// still going and the results of the one before is not imported).
func (s artifactStamp) complete(r runFiles) bool {
	switch {
	case len(s.files) == 0:
		return false
	case !r.others || len(r.kinds) > 0:
		return true
	}
	return !s.runResults.IsZero() && !s.runResults.Before(s.manifest)
}

// quietFor is how long a run's files must lie untouched to be read at the
// first look, when its manifest's own results are among them.
const quietFor = 500 * time.Millisecond

// settled reports whether dbt is done writing the files: seen unchanged at
// two looks in a row; or, at the first look, holding results (or a source
// freshness's sources.json) of the manifest's own invocation, none written
// in the last quiet (a `dbt build
// && dbt docs generate` leaves the build's files a second or two, less
// than two looks: QA lost such builds).
func (s artifactStamp) settled(last artifactStamp, r runFiles, quiet time.Duration, now time.Time) bool {
	if s.equal(last) {
		return true
	}
	return (r.kinds[backend.ArtifactRunResults] || r.kinds[backend.ArtifactSources]) && now.Sub(s.newest) >= quiet
}

// runSet is the files a watch imports for the run: all but the results and
// freshness checks an earlier dbt invocation left, older than the manifest
// (a source freshness writes no run_results.json: its snapshot would hold
// the build's before it, counted twice in history and run times). A
// catalog is kept whatever run wrote it: the columns' types rarely change.
func (s artifactStamp) runSet(r runFiles) (artifact.FileSet, error) {
	set := s.set
	for _, kind := range []string{backend.ArtifactRunResults, backend.ArtifactSources} {
		path := set.Path(kind)
		if path == "" || !r.stale[kind] {
			continue
		}
		if info, err := os.Stat(path); err == nil && info.ModTime().Before(s.manifest) {
			*set.Slot(kind) = ""
		}
	}
	for _, kind := range []string{backend.ArtifactManifest, backend.ArtifactCatalog, backend.ArtifactRunResults, backend.ArtifactSources} {
		if p := set.Slot(kind); *p != "" {
			abs, err := filepath.Abs(*p)
			if err != nil {
				return set, fmt.Errorf("watch %s: %w", *p, err)
			}
			*p = abs
		}
	}
	return set, nil
}

// stamp looks at the watched artifacts. It lists the folders only when the
// artifact files it knows of change names (one appears or goes): a target/
// beside 200,000 other files cost a tenth of a core listed at every poll.
func (w *FolderWatch) stamp() (artifactStamp, error) {
	if w.known == nil || !w.sameNames() {
		set, err := artifact.Discover(w.paths)
		if err != nil {
			w.known = nil
			return artifactStamp{}, err
		}
		w.known = &set
	}
	var s artifactStamp
	s.set = *w.known
	for _, f := range []struct {
		path string
		at   *time.Time
	}{{s.set.Manifest, &s.manifest}, {s.set.Catalog, nil}, {s.set.RunResults, &s.runResults}, {s.set.Sources, nil}} {
		if f.path == "" {
			continue
		}
		info, err := os.Stat(f.path)
		if err != nil {
			w.known = nil
			return artifactStamp{}, fmt.Errorf("watch %s: %w", f.path, err)
		}
		// Its mode too: a file made readable (chmod) is read again.
		s.files = append(s.files, fmt.Sprintf("%s %d %d %v", f.path, info.Size(), info.ModTime().UnixNano(), info.Mode()))
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

// sameNames reports whether the folders of the artifacts last found hold
// artifacts by the same names (each role's .json or .json.gz), without
// listing them.
func (w *FolderWatch) sameNames() bool {
	// The folders the artifacts were found in; a file named on its own is
	// what is watched, whatever its folder holds.
	given := map[string]bool{}
	for _, p := range w.paths {
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			given[filepath.Clean(p)] = true
		}
	}
	dirs := map[string]bool{}
	for _, p := range []string{w.known.Manifest, w.known.Catalog, w.known.RunResults, w.known.Sources} {
		if p != "" && !given[filepath.Clean(p)] {
			dirs[filepath.Dir(p)] = true
		}
	}
	for dir := range dirs {
		for _, role := range []string{backend.ArtifactManifest, backend.ArtifactCatalog, backend.ArtifactRunResults, backend.ArtifactSources} {
			slot := w.known.Path(role)
			for _, name := range []string{role + ".json", role + ".json.gz"} {
				path := filepath.Join(dir, name)
				_, err := os.Stat(path)
				if exists := err == nil; exists != (slot == path) {
					return false
				}
			}
		}
	}
	return true
}

package artifact

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// FileSet names the artifact files of one import; "" means absent.
type FileSet struct {
	Manifest, Catalog, RunResults, Sources string
}

// roleOf returns the artifact a file name stands for: manifest.json,
// catalog.json, run_results.json or sources.json, each optionally gzipped.
func roleOf(name string) string {
	name = strings.ToLower(name)
	name = strings.TrimSuffix(name, ".gz")
	switch name {
	case "manifest.json":
		return backend.ArtifactManifest
	case "catalog.json":
		return backend.ArtifactCatalog
	case "run_results.json":
		return backend.ArtifactRunResults
	case "sources.json":
		return backend.ArtifactSources
	}
	return ""
}

// Slot is where the file for a role is kept (backend.ArtifactManifest...).
func (f *FileSet) Slot(role string) *string {
	switch role {
	case backend.ArtifactManifest:
		return &f.Manifest
	case backend.ArtifactCatalog:
		return &f.Catalog
	case backend.ArtifactRunResults:
		return &f.RunResults
	}
	return &f.Sources
}

// Path is the file given for a role (backend.ArtifactManifest...), "" when none.
func (f FileSet) Path(role string) string { return *f.Slot(role) }

func (f *FileSet) add(role, path string) error {
	slot := f.Slot(role)
	if *slot != "" && *slot != path {
		return invalid(nil, "two %s files were given, %s and %s: pass the artifacts of one dbt run only", role, *slot, path)
	}
	*slot = path
	return nil
}

func (f FileSet) present() []string {
	var out []string
	for _, p := range []string{f.Manifest, f.Catalog, f.RunResults, f.Sources} {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// noArtifacts is Discover's error for a folder that holds no artifacts
// yet (a fresh clone, after dbt clean): a watch waits for them, where any
// other error is the path's own (IsNoArtifacts).
type noArtifacts struct{ err *backend.Error }

func (n noArtifacts) Error() string { return n.err.Error() }
func (n noArtifacts) Unwrap() error { return n.err }

// IsNoArtifacts reports whether err is Discover's for a folder without
// artifacts yet.
func IsNoArtifacts(err error) bool {
	var n noArtifacts
	return errors.As(err, &n)
}

// Discover finds the artifacts in paths. Each path is a dbt target/ folder,
// a dbt project folder containing target/, or an artifact file named
// manifest.json, catalog.json, run_results.json or sources.json (optionally
// .json.gz). A manifest is required.
func Discover(paths []string) (FileSet, error) {
	var set FileSet
	if len(paths) == 0 {
		return set, invalid(nil, "no path given: pass a dbt target/ folder, a dbt project folder, or manifest.json")
	}
	for _, p := range paths {
		if strings.TrimSpace(p) == "" {
			return set, invalid(nil, "an empty path was given: pass a dbt target/ folder, a dbt project folder, or manifest.json")
		}
		info, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return set, invalid(err, "%s does not exist: pass a dbt target/ folder, a dbt project folder, or manifest.json", p)
		}
		if err != nil {
			return set, invalid(err, "cannot read %s: check the path and its permissions", p)
		}
		if !info.IsDir() && !info.Mode().IsRegular() {
			// A pipe would block the import for ever, waiting for a writer.
			return set, invalid(nil, "%s is not a regular file (a pipe, socket or device): pass the artifact file dbt wrote, or its folder", p)
		}
		if !info.IsDir() {
			role := roleOf(filepath.Base(p))
			if role == "" {
				return set, invalid(nil, "%s is not a dbt artifact name: Lineage Desk reads manifest.json, catalog.json, run_results.json and sources.json (optionally .json.gz); rename the file or pass its folder", p)
			}
			if err := set.add(role, p); err != nil {
				return set, err
			}
			continue
		}
		found, err := artifactsIn(p)
		if err != nil {
			return set, err
		}
		if len(found) == 0 {
			target := filepath.Join(p, "target")
			if st, err := os.Stat(target); err == nil && st.IsDir() {
				if found, err = artifactsIn(target); err != nil {
					return set, err
				}
			}
		}
		if len(found) == 0 {
			return set, noArtifacts{invalid(nil, "%s contains no dbt artifacts (manifest.json, catalog.json, run_results.json, sources.json), nor does a target/ folder inside it: run dbt docs generate (or dbt compile) in the project first, or pass the folder where the artifacts are", p)}
		}
		for _, f := range found {
			if err := set.add(roleOf(filepath.Base(f)), f); err != nil {
				return set, err
			}
		}
	}
	if set.Manifest == "" {
		return set, missingManifest(set)
	}
	return set, nil
}

func artifactsIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, invalid(err, "cannot list %s: check the folder's permissions", dir)
	}
	var found []string
	for _, e := range entries {
		if e.IsDir() || roleOf(e.Name()) == "" {
			continue
		}
		path := filepath.Join(dir, e.Name())
		// A symlink counts as what it points to; a pipe would block the
		// import for ever, waiting for a writer.
		if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
			return nil, invalid(nil, "%s is not a regular file (a pipe, socket or device): replace it with the artifact file dbt wrote", path)
		}
		found = append(found, path)
	}
	return found, nil
}

func missingManifest(set FileSet) error {
	given := strings.Join(set.present(), ", ")
	if given == "" {
		given = "nothing"
	}
	return invalid(nil, "no manifest.json among the artifacts given (%s): the manifest describes the project and cannot be left out; add the manifest.json dbt wrote into the same target/ folder (dbt docs generate, dbt compile or dbt parse writes it)", given)
}

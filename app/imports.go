package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
)

// DemoSource provides the embedded demo project.
type DemoSource interface {
	// Files holds the demo's artifact files at its root.
	Files() fs.FS
	// Name is the snapshot name to use.
	Name() string
}

// Dialogs opens native dialogs; only the desktop window has them.
type Dialogs interface {
	PickFolder(title string) (string, error)
	// SaveFile asks where to save a file, offering filename in dir; ""
	// when cancelled.
	SaveFile(title, dir, filename string) (string, error)
}

// PickFolder asks for a dbt target (or project) folder with the system's
// folder dialog. "" means the user cancelled.
func (a *App) PickFolder() (string, error) {
	if a.cfg.Dialogs == nil {
		return "", backend.Errorf(backend.EINVALID, "no folder dialog here: type the folder's path instead")
	}
	return a.cfg.Dialogs.PickFolder("Choose a dbt target/ folder or a dbt project folder")
}

// ImportPaths imports dbt artifacts from local paths: a target/ folder, a
// project folder holding target/, or artifact files (.json or .json.gz). The
// import is one transaction: it completes or the store stays as it was.
func (a *App) ImportPaths(paths []string, name string) (ImportResult, error) {
	return a.importPaths(a.ctx, paths, name, backend.Origin{Kind: backend.OriginPath, Path: strings.Join(absPaths(paths), ", ")}, false, 0)
}

// importPaths imports the artifacts of paths; skipSameRun leaves out a
// dbt run the project's snapshots hold (backend.NewSnapshot.SkipSameRun),
// saying which one holds it in SameRunAs.
func (a *App) importPaths(ctx context.Context, paths []string, name string, origin backend.Origin, skipSameRun bool, supersedes int64) (ImportResult, error) {
	// Absolute, as the origin is: the snapshot's warnings name the files,
	// and are read later from anywhere.
	set, err := artifact.Discover(absPaths(paths))
	if err != nil {
		return ImportResult{}, fmt.Errorf("find the artifacts: %w", err)
	}
	return a.importSet(ctx, set, name, origin, skipSameRun, supersedes)
}

// importSet stores the artifacts of set (absolute paths) as importPaths does.
func (a *App) importSet(ctx context.Context, set artifact.FileSet, name string, origin backend.Origin, skipSameRun bool, supersedes int64) (ImportResult, error) {
	// The store reads the artifacts as it writes them (a snapshot without
	// a name is named after its project).
	src := artifact.NewSource(set)
	snap, err := a.store.SaveSnapshot(ctx, backend.NewSnapshot{Name: name, Origin: origin, Stream: src.Stream, SkipSameRun: skipSameRun, Supersedes: supersedes})
	if same, ok := errors.AsType[*backend.SameRunError](err); ok {
		return ImportResult{SameRunAs: same.SnapshotID, Warnings: []string{}}, nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(src.Err(), context.Canceled) {
		return ImportResult{}, &backend.Error{Code: backend.ECANCELED, Message: "the import was cancelled: the store is as it was", Err: err}
	}
	if err := src.Err(); err != nil {
		return ImportResult{}, fmt.Errorf("read the artifacts: %w", err)
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("store the snapshot: %w", err)
	}
	if supersedes != 0 { // deleted with the save: its caches go as a deletion's do
		a.graphs.forget(supersedes)
		a.columns.forget(supersedes)
	}
	a.emit(EventSnapshotsChanged, snap.ID)
	res := importResult(snap)
	res.Completed = supersedes
	return res, nil
}

func importResult(s backend.Snapshot) ImportResult {
	warnings := s.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	return ImportResult{
		SnapshotID:     s.ID,
		Project:        s.Project,
		DbtVersion:     s.DbtVersion,
		SchemaVersions: s.SchemaVersions,
		Counts:         s.Counts,
		Warnings:       warnings,
	}
}

// OpenDemo imports the embedded demo project (once: an existing demo
// snapshot is reused) and returns it.
func (a *App) OpenDemo() (ImportResult, error) {
	if a.cfg.Demo == nil {
		return ImportResult{}, backend.Errorf(backend.ENOTFOUND, "this build has no demo project")
	}
	snaps, err := a.store.Snapshots(a.ctx)
	if err != nil {
		return ImportResult{}, fmt.Errorf("open demo: %w", err)
	}
	for _, s := range snaps {
		if s.Origin.Kind == backend.OriginDemo {
			return importResult(s), nil
		}
	}
	dir, err := os.MkdirTemp("", "lineagedesk-demo-")
	if err != nil {
		return ImportResult{}, fmt.Errorf("open demo: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := copyFS(dir, a.cfg.Demo.Files()); err != nil {
		return ImportResult{}, fmt.Errorf("open demo: %w", err)
	}
	return a.importPaths(a.ctx, []string{dir}, a.cfg.Demo.Name(), backend.Origin{Kind: backend.OriginDemo}, false, 0)
}

// EnsureDemo opens the demo project when the store is empty, so the first
// look is never blank. It reports whether it imported anything.
func (a *App) EnsureDemo() (bool, error) {
	if a.cfg.Demo == nil {
		return false, nil
	}
	if _, err := a.store.LatestSnapshot(a.ctx); err == nil {
		return false, nil
	} else if backend.ErrorCode(err) != backend.ENOTFOUND {
		return false, fmt.Errorf("check for snapshots: %w", err)
	}
	if _, err := a.OpenDemo(); err != nil {
		return false, err
	}
	return true, nil
}

// copyFS writes the regular files at the root of src into dir, keeping
// only artifact files (the license and notes stay embedded).
func copyFS(dir string, src fs.FS) error {
	entries, err := fs.ReadDir(src, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || !strings.Contains(e.Name(), ".json") {
			continue
		}
		if err := copyFile(src, e.Name(), filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src fs.FS, name, dst string) error {
	in, err := src.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func absPaths(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		if abs, err := filepath.Abs(p); err == nil && p != "" { // "" is refused as no path, not read as "."
			p = abs
		}
		out[i] = p
	}
	return out
}

package syncer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud"
)

// download is one artifact file of a run to fetch.
type download struct {
	name     string // manifest.json, ...
	step     int    // run step to read it from; 0 = the API's default (last step)
	optional bool   // a 404 is a warning, not a failure
	missing  string // the warning when it is absent
}

// harvest downloads a run's artifacts into a fresh temporary folder,
// imports them and stores the snapshot with the raw files kept gzip'd.
func (s *Syncer) harvest(ctx context.Context, conn backend.Connection, t target, tempDir string, index, total int) (backend.Snapshot, []string, error) {
	dir, err := os.MkdirTemp(tempDir, fmt.Sprintf("lineagedesk-run-%d-", t.run.ID))
	if err != nil {
		return backend.Snapshot{}, nil, fmt.Errorf("make download folder: %w", err)
	}
	defer os.RemoveAll(dir)

	var warnings []string
	var done int64
	set := artifact.FileSet{}
	for _, d := range t.downloads {
		if err := ctx.Err(); err != nil {
			return backend.Snapshot{}, warnings, canceled(err)
		}
		path := filepath.Join(dir, d.name)
		n, err := s.fetch(ctx, conn.AccountID, t.run.ID, d, path, done, index, total)
		if err != nil {
			if d.optional && errors.Is(err, dbtcloud.ErrNotFound) {
				warnings = append(warnings, d.missing)
				continue
			}
			return backend.Snapshot{}, warnings, err
		}
		done += n
		switch d.name {
		case "manifest.json":
			set.Manifest = path
		case "catalog.json":
			set.Catalog = path
		case "run_results.json":
			set.RunResults = path
		case "sources.json":
			set.Sources = path
		}
	}

	s.progress(Progress{Phase: PhaseImport, Message: fmt.Sprintf("importing run %d", t.run.ID), Bytes: done, TotalBytes: done, Items: index, TotalItems: total})
	// The store reads the artifacts as it writes them, then compresses the
	// raw files itself, so the parsed project and the compressed copies are
	// never in memory together.
	src := artifact.NewSource(set)
	stream := func(ctx context.Context, emit func(*backend.Resource) error) (*backend.Bundle, error) {
		b, err := src.Stream(ctx, emit)
		if b != nil {
			b.Warnings = append(append([]string{}, warnings...), b.Warnings...)
			for i, w := range b.Warnings {
				b.Warnings[i] = withoutDir(w, dir)
			}
		}
		return b, err
	}
	snap, err := s.store.SaveSnapshot(ctx, backend.NewSnapshot{
		Name: fmt.Sprintf("%s: %s run %d", conn.Name, t.jobName, t.run.ID),
		Origin: backend.Origin{
			Kind: backend.OriginDbtCloud, Connection: conn.Name, AccountID: conn.AccountID,
			ProjectID: t.run.ProjectID, EnvironmentID: t.run.EnvironmentID, JobID: t.run.JobDefinitionID, RunID: t.run.ID,
		},
		Stream:    stream,
		Artifacts: keptArtifacts(set),
	})
	if err != nil && ctx.Err() != nil {
		return backend.Snapshot{}, warnings, canceled(ctx.Err())
	}
	if err := src.Err(); err != nil {
		return backend.Snapshot{}, warnings, &backend.Error{Code: backend.ErrorCode(err),
			Message: fmt.Sprintf("the artifacts of dbt Cloud run %d: %s (if the run's files are damaged, run the job again)", t.run.ID, withoutDir(backend.NewErrorPayload(err).Message, dir))}
	}
	if err != nil {
		return backend.Snapshot{}, warnings, fmt.Errorf("store snapshot: %w", err)
	}
	return snap, snap.Warnings, nil
}

// withoutDir drops the download folder from a message about the files in
// it: it is gone when the user reads it, and "catalog.json" says it all.
func withoutDir(msg, dir string) string {
	return strings.ReplaceAll(msg, dir+string(filepath.Separator), "")
}

// fetch streams one artifact to path, reporting bytes as they arrive.
func (s *Syncer) fetch(ctx context.Context, accountID, runID int64, d download, path string, before int64, index, total int) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", path, err)
	}
	report := func(written int64) {
		s.progress(Progress{Phase: PhaseDownload, Message: d.name, Bytes: before + written, Items: index, TotalItems: total})
	}
	// *os.File is a dbtcloud.Rewinder, so a body that breaks off mid-way is
	// fetched again from the start instead of being imported truncated.
	n, err := s.client.DownloadArtifact(ctx, accountID, runID, d.name, d.step, f, dbtcloud.WithProgress(report))
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			return n, canceled(ctx.Err())
		}
		return n, fmt.Errorf("download %s: %w", d.name, err)
	}
	return n, nil
}

// keptArtifacts names the downloaded files to keep with the snapshot, so
// it can be re-imported by a newer version of the app.
func keptArtifacts(set artifact.FileSet) []backend.StoredArtifact {
	var kept []backend.StoredArtifact
	for _, p := range []string{set.Manifest, set.Catalog, set.RunResults, set.Sources} {
		if p != "" {
			kept = append(kept, backend.StoredArtifact{Name: filepath.Base(p), Path: p})
		}
	}
	return kept
}

func canceled(err error) error {
	return &backend.Error{Code: backend.ECANCELED, Message: "sync canceled; no snapshot was stored", Err: err}
}

package storage

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/lineagedesk/lineagedesk/backend"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// checkEvery is how many rows SaveSnapshot writes between looks at ctx, so a
// cancelled import stops promptly without a check per row.
const checkEvery = 2000

// SaveSnapshot stores a bundle, or what ns.Stream reads, as a new snapshot
// in one transaction, with one prepared statement per table. A failure or a
// cancelled ctx rolls the transaction back and leaves the database as it
// was.
func (s *Store) SaveSnapshot(ctx context.Context, ns backend.NewSnapshot) (backend.Snapshot, error) {
	read := ns.Stream
	if ns.Bundle != nil {
		read = bundleStream(ns.Bundle)
	}
	if read == nil {
		return backend.Snapshot{}, backend.Errorf(backend.EINVALID, "save %s: no artifacts to store", snapshotLabel(backend.Snapshot{Name: ns.Name}))
	}
	ns.Bundle, ns.Stream = nil, nil
	skipSameRun := ns.SkipSameRun
	snap := backend.Snapshot{Name: ns.Name, Origin: ns.Origin, TakenAt: now()}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// The snapshot's row comes first, for the rows that reference it;
		// what the artifacts say about it is known once they are read.
		id, err := insertSnapshot(ctx, tx, &snap)
		if err != nil {
			return err
		}
		snap.ID = id
		w := bundleWriter{ctx: ctx, tx: tx, snapshotID: id}
		b, rows, err := w.stream(read)
		if err != nil {
			return err
		}
		read = nil // a bundle given whole can go once its resources are written
		// The lineage is built and encoded from what the rows hold, then
		// the kept artifact files (a sync's) are compressed, on another
		// goroutine while this one writes the rest: the second core is idle
		// from here on. One after the other, so the sync's extra work does
		// not add to the encoding's memory; the compressed copies go into
		// the store a chunk at a time, so a sync's peak stays an import's.
		describe(&snap, b, rows.counts)
		if err := supersede(ctx, tx, &snap, ns.Supersedes); err != nil {
			return err
		}
		if other, w, err := sameRun(ctx, tx, &snap); err != nil {
			return err
		} else if other != 0 && skipSameRun {
			return &backend.SameRunError{SnapshotID: other, InvocationID: snap.InvocationID}
		} else if w != "" {
			snap.Warnings = append(snap.Warnings, w)
		}
		testOutcomes := hasTestOutcomes(b)
		results := b.RunResults // write lets go of b's, not of this
		lineage, encoded := inBackground(func() (*encodedLineage, error) {
			g := rows.graph.build(id, rows.edges, results, testOutcomes)
			e, err := encodeSnapshotLineage(g)
			if err == nil {
				e.digests = rows.graph.digests.encode()
				rows.graph.digests = snapshotDigests{}
				e.configs = rows.graph.configs.encode(nodeIDs(g.Nodes))
				rows.graph.configs = configCollector{}
			}
			return e, err
		})
		compressed := compressArtifacts(encoded, ns.Artifacts)
		if err := w.write(b); err != nil {
			return err
		}
		l, err := lineage()
		if err != nil {
			return fmt.Errorf("encode the lineage: %w", err)
		}
		snap.Warnings = append(snap.Warnings, rows.graph.danglingWarnings()...)
		if err := updateSnapshot(ctx, tx, &snap, testOutcomes); err != nil {
			return err
		}
		if err := l.store(ctx, tx); err != nil { // lineage_blob.go
			return err
		}
		artifacts, err := compressed()
		defer removeTemp(artifacts)
		if err != nil {
			return err
		}
		return w.artifacts(artifacts)
	})
	if err != nil {
		return backend.Snapshot{}, fmt.Errorf("save %s: %w", snapshotLabel(snap), canceled(ctx, err))
	}
	return snap, nil
}

// snapshotLabel names a snapshot in an error: by the name it was given, or
// its project's once the artifacts said it (a failure before says neither).
func snapshotLabel(s backend.Snapshot) string {
	switch {
	case s.Name != "":
		return fmt.Sprintf("snapshot %q", s.Name)
	case s.Project != "":
		return fmt.Sprintf("the snapshot of %s", s.Project)
	}
	return "the snapshot"
}

// inBackground runs f on its own goroutine. The func it returns waits for
// f's result; the channel is closed once it is there.
func inBackground[T any](f func() (T, error)) (func() (T, error), <-chan struct{}) {
	var (
		out  T
		err  error
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		out, err = f()
	}()
	return func() (T, error) {
		<-done
		return out, err
	}, done
}

// bundleStream streams a bundle given whole.
func bundleStream(b *backend.Bundle) func(context.Context, func(*backend.Resource) error) (*backend.Bundle, error) {
	return func(ctx context.Context, emit func(*backend.Resource) error) (*backend.Bundle, error) {
		for i := range b.Resources {
			if err := emit(&b.Resources[i]); err != nil {
				return nil, err
			}
		}
		rest := *b
		rest.Resources = nil
		return &rest, nil
	}
}

// describe fills in what the artifacts say about a snapshot.
func describe(snap *backend.Snapshot, b *backend.Bundle, counts map[string]int) {
	snap.Project = b.Meta.Project
	snap.DbtVersion = b.Meta.DbtVersion
	snap.AdapterType = b.Meta.AdapterType
	snap.SchemaVersions = b.Meta.SchemaVersions
	snap.GeneratedAt = b.Meta.GeneratedAt.UTC().Truncate(time.Microsecond)
	snap.InvocationID = b.Meta.InvocationID
	snap.RunCommand = b.Meta.RunCommand
	snap.Counts = counts
	snap.Warnings = b.Warnings
	if snap.SchemaVersions == nil {
		snap.SchemaVersions = map[string]int{}
	}
	if snap.Warnings == nil {
		snap.Warnings = []string{}
	}
	if snap.Name == "" {
		snap.Name = snap.Project
	}
}

// sameRun warns when another snapshot of the project holds the same dbt
// run (invocation, generation time and command): the same artifacts
// imported or synced twice, which history and changes would count as two
// runs.
func sameRun(ctx context.Context, tx *sql.Tx, snap *backend.Snapshot) (other int64, warning string, err error) {
	if snap.InvocationID == "" {
		return 0, "", nil
	}
	err = tx.QueryRowContext(ctx, `SELECT id FROM snapshots WHERE id != ? AND project = ? AND invocation_id = ?
		AND generated_at_us = ? AND run_command = ? ORDER BY id LIMIT 1`,
		snap.ID, snap.Project, snap.InvocationID, snap.GeneratedAt.UnixMicro(), snap.RunCommand).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, "", nil
	case err != nil:
		return 0, "", fmt.Errorf("look for the same run: %w", err)
	}
	return other, fmt.Sprintf("snapshot #%d holds the same dbt run (invocation %s, generated %s): if these are the same artifacts, delete one of the two; history counts that run once, from the later import",
		other, snap.InvocationID, snap.GeneratedAt.UTC().Format("2006-01-02 15:04:05 MST")), nil
}

// supersede deletes the snapshot this one completes (NewSnapshot.Supersedes):
// of the same project and dbt invocation, else nothing is saved.
func supersede(ctx context.Context, tx *sql.Tx, snap *backend.Snapshot, old int64) error {
	if old == 0 {
		return nil
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM snapshots WHERE id = ? AND project = ? AND invocation_id = ? AND invocation_id <> ''`,
		old, snap.Project, snap.InvocationID)
	if err != nil {
		return fmt.Errorf("replace snapshot %d: %w", old, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return backend.Errorf(backend.ECONFLICT, "snapshot #%d, which this import was to complete, is gone or holds another dbt run (deleted or replaced meanwhile): import the folder again", old)
	}
	if err := dropSearchIndex(ctx, tx, old); err != nil {
		return fmt.Errorf("replace snapshot %d: %w", old, err)
	}
	return nil
}

func hasTestOutcomes(b *backend.Bundle) bool {
	for i := range b.RunResults {
		if b.RunResults[i].IsTestOutcome {
			return true
		}
	}
	return false
}

// insertSnapshot adds the snapshot's row with its origin; updateSnapshot
// completes it once the artifacts are read.
func insertSnapshot(ctx context.Context, tx *sql.Tx, snap *backend.Snapshot) (int64, error) {
	o := snap.Origin
	// Two syncs of one run (the window and a cron job) both find no snapshot
	// of it before they download; the write lock, held from here to the
	// commit, lets only the first store it.
	if o.Kind == backend.OriginDbtCloud && o.RunID != 0 {
		var existing int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM snapshots WHERE account_id = ? AND run_id = ? LIMIT 1`, o.AccountID, o.RunID).Scan(&existing)
		if err == nil {
			return 0, backend.Errorf(backend.ECONFLICT, "run %d of dbt Cloud account %d is already in snapshot #%d (stored by another sync meanwhile)", o.RunID, o.AccountID, existing)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("look for a snapshot of run %d: %w", o.RunID, err)
		}
	}
	// The id follows the highest ever given (migration 22), so that one
	// deleted is never given again.
	var id int64
	if err := tx.QueryRowContext(ctx, `UPDATE snapshot_ids
		SET highest = max(highest, (SELECT COALESCE(max(id), 0) FROM snapshots)) + 1
		RETURNING highest`).Scan(&id); err != nil {
		return 0, fmt.Errorf("give the snapshot an id: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO snapshots (id, name, origin_kind, origin_path, origin_connection,
		account_id, project_id, environment_id, job_id, run_id, schema_versions, taken_at_us, counts, warnings)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, '{}', '[]')`,
		id, snap.Name, o.Kind, o.Path, o.Connection, o.AccountID, o.ProjectID, o.EnvironmentID, o.JobID, o.RunID,
		snap.TakenAt.UnixMicro()); err != nil {
		return 0, fmt.Errorf("insert snapshot: %w", err)
	}
	return id, nil
}

func updateSnapshot(ctx context.Context, tx *sql.Tx, snap *backend.Snapshot, testOutcomes bool) error {
	versions, err := json.Marshal(snap.SchemaVersions)
	if err != nil {
		return err
	}
	counts, err := json.Marshal(snap.Counts)
	if err != nil {
		return err
	}
	warnings, err := json.Marshal(snap.Warnings)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE snapshots SET name = ?, project = ?, dbt_version = ?, adapter_type = ?,
		schema_versions = ?, generated_at_us = ?, invocation_id = ?, run_command = ?, counts = ?, warnings = ?,
		has_test_outcomes = ? WHERE id = ?`,
		snap.Name, snap.Project, snap.DbtVersion, snap.AdapterType, string(versions), microsOrNil(snap.GeneratedAt),
		snap.InvocationID, snap.RunCommand, string(counts), string(warnings), boolInt(testOutcomes), snap.ID)
	if err != nil {
		return fmt.Errorf("complete snapshot: %w", err)
	}
	return nil
}

// bundleWriter writes the rows of one bundle inside the snapshot's transaction.
type bundleWriter struct {
	ctx        context.Context
	tx         *sql.Tx
	snapshotID int64
	rows       int
}

// tick counts a row and reports a cancelled ctx every checkEvery rows.
func (w *bundleWriter) tick() error {
	w.rows++
	if w.rows%checkEvery == 0 {
		return w.ctx.Err()
	}
	return nil
}

func (w *bundleWriter) prepare(query string) (*sql.Stmt, error) {
	st, err := w.tx.PrepareContext(w.ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare %.40s: %w", query, err)
	}
	return st, nil
}

// write writes the rows of the bundle that follow its resources, letting
// each part go once it is written (for the compressed artifacts).
func (w *bundleWriter) write(b *backend.Bundle) error {
	if err := createSearchIndex(w.ctx, w.tx, w.snapshotID); err != nil {
		return err
	}
	if err := w.catalog(b.Catalog); err != nil {
		return err
	}
	b.Catalog = nil
	if err := w.runResults(b.RunResults); err != nil {
		return err
	}
	b.RunResults = nil
	err := w.freshness(b.Freshness)
	b.Freshness = nil
	if err != nil {
		return err
	}
	return w.selectors(b.Selectors)
}

func (w *bundleWriter) selectors(selectors []backend.NamedSelector) error {
	ins, err := w.prepare(`INSERT INTO selectors (snapshot_id, name, description, is_default, definition) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, s := range selectors {
		if _, err := ins.ExecContext(w.ctx, w.snapshotID, s.Name, s.Description, boolInt(s.Default), string(s.Definition)); err != nil {
			return fmt.Errorf("selector %s: %w", s.Name, err)
		}
	}
	return nil
}

// resourceError names the resource a failed insert was about, and turns a
// duplicate unique_id into the user's problem rather than a bug.
func resourceError(r *backend.Resource, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE {
		return &backend.Error{Code: backend.EINVALID, Err: err,
			Message: fmt.Sprintf("the artifacts list resource %s twice; regenerate them with dbt", r.UniqueID)}
	}
	return fmt.Errorf("resource %s: %w", r.UniqueID, err)
}

func (w *bundleWriter) catalog(tables []backend.CatalogTable) error {
	ins, err := w.prepare(`INSERT INTO catalog_tables (snapshot_id, unique_id, position, type, database, schema,
		name, owner, comment, stats) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for i, t := range tables {
		if _, err := ins.ExecContext(w.ctx, w.snapshotID, t.UniqueID, i, t.Type, t.Database, t.Schema, t.Name,
			t.Owner, t.Comment, jsonOrNil(t.Stats)); err != nil {
			return fmt.Errorf("catalog entry %s: %w", t.UniqueID, err)
		}
		if err := w.tick(); err != nil {
			return err
		}
	}
	return nil
}

func (w *bundleWriter) runResults(results []backend.RunResult) error {
	ins, err := w.prepare(`INSERT INTO run_results (snapshot_id, position, unique_id, status, failures, message,
		execution_time, thread_id, timing, adapter_response, is_test_outcome)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	// In key order (unique_id, position), so inserts append to the B-tree;
	// position keeps the file order.
	order := make([]int, len(results))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(results[a].UniqueID, results[b].UniqueID) })
	for _, i := range order {
		r := &results[i]
		var failures any
		if r.Failures != nil {
			failures = *r.Failures
		}
		if _, err := ins.ExecContext(w.ctx, w.snapshotID, i, r.UniqueID, r.Status, failures, r.Message,
			r.ExecutionTime, r.ThreadID, jsonOrNil(r.Timing), jsonOrNil(r.AdapterResponse),
			boolInt(r.IsTestOutcome)); err != nil {
			return fmt.Errorf("run result %s: %w", r.UniqueID, err)
		}
		if err := w.tick(); err != nil {
			return err
		}
	}
	return nil
}

func (w *bundleWriter) freshness(results []backend.FreshnessResult) error {
	ins, err := w.prepare(`INSERT INTO freshness (snapshot_id, position, unique_id, status, max_loaded_at,
		snapshotted_at, age_seconds, criteria, error, execution_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for i, f := range results {
		if _, err := ins.ExecContext(w.ctx, w.snapshotID, i, f.UniqueID, f.Status, f.MaxLoadedAt, f.SnapshottedAt,
			f.AgeSeconds, jsonOrNil(f.Criteria), f.Error, f.ExecutionTime); err != nil {
			return fmt.Errorf("freshness result %s: %w", f.UniqueID, err)
		}
		if err := w.tick(); err != nil {
			return err
		}
	}
	return nil
}

// compressArtifacts gzips, on its own goroutine once after is closed, the
// artifacts given by path, each into a temporary file next to it; the func
// it returns waits for them. The compressed copies never sit in memory
// whole: artifacts copies them into the store a chunk at a time.
func compressArtifacts(after <-chan struct{}, artifacts []backend.StoredArtifact) func() ([]keptArtifact, error) {
	wait, _ := inBackground(func() ([]keptArtifact, error) {
		<-after
		out := make([]keptArtifact, len(artifacts))
		for i, a := range artifacts {
			out[i].name, out[i].gzip = a.Name, a.Gzip
			if a.Gzip != nil {
				continue
			}
			path, err := gzipToTempFile(a.Path)
			if err != nil {
				return out, fmt.Errorf("artifact %s: %w", a.Name, err)
			}
			out[i].gzipPath = path
		}
		return out, nil
	})
	return wait
}

// keptArtifact is a compressed artifact on its way into the store: in
// memory (gzip) or in a temporary file (gzipPath), removed once written.
type keptArtifact struct {
	name     string
	gzip     []byte
	gzipPath string
}

// removeTemp deletes the temporary compressed files.
func removeTemp(kept []keptArtifact) {
	for _, k := range kept {
		if k.gzipPath != "" {
			os.Remove(k.gzipPath)
		}
	}
}

// artifactChunk is the size of one snapshot_artifact_chunks row.
const artifactChunk = 1 << 20

func (w *bundleWriter) artifacts(kept []keptArtifact) error {
	ins, err := w.prepare(`INSERT INTO snapshot_artifact_chunks (snapshot_id, name, chunk, data) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	buf := make([]byte, artifactChunk)
	for _, k := range kept {
		var src io.Reader = bytes.NewReader(k.gzip)
		if k.gzipPath != "" {
			f, err := os.Open(k.gzipPath)
			if err != nil {
				return fmt.Errorf("artifact %s: %w", k.name, err)
			}
			defer f.Close()
			src = f
		}
		for chunk := 0; ; chunk++ {
			n, err := io.ReadFull(src, buf)
			if n > 0 {
				if _, err := ins.ExecContext(w.ctx, w.snapshotID, k.name, chunk, buf[:n]); err != nil {
					return fmt.Errorf("artifact %s: %w", k.name, err)
				}
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			if err != nil {
				return fmt.Errorf("artifact %s: %w", k.name, err)
			}
		}
	}
	return nil
}

// gzipToTempFile compresses a file into a temporary file next to it (or in
// the system's temporary directory when that is not writable), fast rather
// than small: the copies are kept for re-imports, not read on any hot path.
func gzipToTempFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	out, err := os.CreateTemp(filepath.Dir(path), ".lineagedesk-*.gz")
	if err != nil {
		if out, err = os.CreateTemp("", "lineagedesk-*.gz"); err != nil {
			return "", err
		}
	}
	zw, err := gzip.NewWriterLevel(out, gzip.BestSpeed)
	if err == nil {
		_, err = io.Copy(zw, f)
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

// textOrNil binds raw JSON (config, meta, ...: slices of the artifact
// file) as TEXT, NULL when empty, without copying it into a Go string
// first: the driver copies the bytes into SQLite anyway. The bytes are not
// modified while the statement runs.
func textOrNil(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	return unsafe.String(&raw[0], len(raw))
}

package storage

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
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

// SaveSnapshot stores a bundle as a new snapshot in one transaction, with
// one prepared statement per table. A failure or a cancelled ctx rolls the
// transaction back and leaves the database as it was.
func (s *Store) SaveSnapshot(ctx context.Context, ns backend.NewSnapshot) (backend.Snapshot, error) {
	b := ns.Bundle
	if b == nil {
		return backend.Snapshot{}, backend.Errorf(backend.EINVALID, "save snapshot %q: no artifacts to store", ns.Name)
	}
	snap := backend.Snapshot{
		Name:           ns.Name,
		Origin:         ns.Origin,
		Project:        b.Meta.Project,
		DbtVersion:     b.Meta.DbtVersion,
		AdapterType:    b.Meta.AdapterType,
		SchemaVersions: b.Meta.SchemaVersions,
		GeneratedAt:    b.Meta.GeneratedAt.UTC().Truncate(time.Microsecond),
		InvocationID:   b.Meta.InvocationID,
		RunCommand:     b.Meta.RunCommand,
		TakenAt:        now(),
		Counts:         b.Counts(),
		Warnings:       b.Warnings,
	}
	if snap.SchemaVersions == nil {
		snap.SchemaVersions = map[string]int{}
	}
	if snap.Warnings == nil {
		snap.Warnings = []string{}
	}
	if snap.Name == "" {
		snap.Name = snap.Project
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := insertSnapshot(ctx, tx, &snap, hasTestOutcomes(b))
		if err != nil {
			return err
		}
		snap.ID = id
		w := bundleWriter{ctx: ctx, tx: tx, snapshotID: id}
		if err := w.write(b); err != nil {
			return err
		}
		// The bundle is in its rows now: let it go before compressing the
		// raw artifacts, so the parsed project and the compressed copies
		// are never in memory together (a sync's peak memory stays an
		// import's). inTx runs this function once.
		b, ns.Bundle = nil, nil
		if err := w.artifacts(ns.Artifacts); err != nil {
			return err
		}
		return storeLineage(ctx, tx, id) // lineage_blob.go
	})
	if err != nil {
		return backend.Snapshot{}, fmt.Errorf("save snapshot %q: %w", snap.Name, canceled(ctx, err))
	}
	return snap, nil
}

func hasTestOutcomes(b *backend.Bundle) bool {
	for i := range b.RunResults {
		if b.RunResults[i].IsTestOutcome {
			return true
		}
	}
	return false
}

func insertSnapshot(ctx context.Context, tx *sql.Tx, snap *backend.Snapshot, testOutcomes bool) (int64, error) {
	versions, err := json.Marshal(snap.SchemaVersions)
	if err != nil {
		return 0, err
	}
	counts, err := json.Marshal(snap.Counts)
	if err != nil {
		return 0, err
	}
	warnings, err := json.Marshal(snap.Warnings)
	if err != nil {
		return 0, err
	}
	o := snap.Origin
	res, err := tx.ExecContext(ctx, `INSERT INTO snapshots (name, origin_kind, origin_path, origin_connection,
		account_id, project_id, environment_id, job_id, run_id, project, dbt_version, adapter_type,
		schema_versions, generated_at_us, invocation_id, run_command, taken_at_us, counts, warnings, has_test_outcomes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		snap.Name, o.Kind, o.Path, o.Connection, o.AccountID, o.ProjectID, o.EnvironmentID, o.JobID, o.RunID,
		snap.Project, snap.DbtVersion, snap.AdapterType, string(versions), microsOrNil(snap.GeneratedAt),
		snap.InvocationID, snap.RunCommand, snap.TakenAt.UnixMicro(), string(counts), string(warnings), boolInt(testOutcomes))
	if err != nil {
		return 0, fmt.Errorf("insert snapshot: %w", err)
	}
	return res.LastInsertId()
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

func (w *bundleWriter) write(b *backend.Bundle) error {
	if err := w.resources(b.Resources); err != nil {
		return err
	}
	if err := w.index(); err != nil {
		return err
	}
	if err := w.catalog(b.Catalog); err != nil {
		return err
	}
	if err := w.runResults(b.RunResults); err != nil {
		return err
	}
	return w.freshness(b.Freshness)
}

func (w *bundleWriter) resources(resources []backend.Resource) error {
	insResource, err := w.prepare(`INSERT INTO resources (snapshot_id, unique_id, resource_type, name, package,
		fqn, path, folder, patch_path, database, schema, identifier, relation_name, materialized, description,
		tags, meta, config, enabled, language, raw_code, compiled_code, access, grp, version, latest_version,
		contract_enforced, column_text, test_type, test_name, test_namespace, test_kwargs, test_column_name,
		test_severity, attached_node, source_name, source_description, loader, loaded_at_field, freshness_config,
		exposure_type, owner_name, owner_email, maturity, url, label, raw)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insResource.Close()
	insColumn, err := w.prepare(`INSERT INTO columns (snapshot_id, unique_id, position, name, description,
		declared_type, catalog_type, catalog_index, comment, tags, meta, constraints, in_manifest, in_catalog)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insColumn.Close()
	// A resource listing the same parent twice is harmless; keep one edge.
	insEdge, err := w.prepare(`INSERT OR IGNORE INTO edges (snapshot_id, parent, child, kind) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insEdge.Close()

	// Deflating raw JSON runs on another core, ahead of the inserts.
	raws, stopCompressing := compressRaws(resources)
	defer stopCompressing()
	var columnText strings.Builder
	for i := range resources {
		r := &resources[i]
		raw := <-raws
		if raw.err != nil {
			return fmt.Errorf("resource %s: compress raw JSON: %w", r.UniqueID, raw.err)
		}
		columnText.Reset()
		for _, c := range r.Columns {
			columnText.WriteString(c.Name)
			if c.Description != "" {
				columnText.WriteString(": ")
				columnText.WriteString(c.Description)
			}
			columnText.WriteByte('\n')
		}
		args := []any{w.snapshotID, r.UniqueID, r.ResourceType, r.Name, r.Package,
			stringsOrNil(r.FQN), r.Path, r.Folder(), r.PatchPath, r.Database, r.Schema, r.Identifier,
			r.RelationName, r.Materialized, r.Description, stringsOrNil(r.Tags), textOrNil(r.Meta),
			textOrNil(r.Config), boolInt(r.Enabled), r.Language, r.RawCode, r.CompiledCode, r.Access,
			r.Group, r.Version, r.LatestVersion, boolInt(r.ContractEnforced), columnText.String()}
		if t := r.Test; t != nil {
			args = append(args, t.TestType, t.TestName, t.Namespace, textOrNil(t.Kwargs), t.ColumnName,
				t.Severity, nullIfEmpty(t.AttachedNode))
		} else {
			args = append(args, nil, "", "", nil, "", "", nil)
		}
		if src := r.Source; src != nil {
			args = append(args, src.SourceName, src.SourceDescription, src.Loader, src.LoadedAtField,
				textOrNil(src.Freshness))
		} else {
			args = append(args, nil, "", "", "", nil)
		}
		if e := r.Exposure; e != nil {
			args = append(args, e.Type, e.OwnerName, e.OwnerEmail, e.Maturity, e.URL, e.Label)
		} else {
			args = append(args, nil, "", "", "", "", "")
		}
		args = append(args, raw.value)
		if _, err := insResource.ExecContext(w.ctx, args...); err != nil {
			return resourceError(r, err)
		}
		if err := w.tick(); err != nil {
			return err
		}
		for pos, c := range r.Columns {
			if _, err := insColumn.ExecContext(w.ctx, w.snapshotID, r.UniqueID, pos, c.Name, c.Description,
				c.DeclaredType, c.CatalogType, c.Index, c.Comment, stringsOrNil(c.Tags), jsonOrNil(c.Meta),
				jsonOrNil(c.Constraints), boolInt(c.InManifest), boolInt(c.InCatalog)); err != nil {
				return fmt.Errorf("resource %s: column %q: %w", r.UniqueID, c.Name, err)
			}
			if err := w.tick(); err != nil {
				return err
			}
		}
	}
	// Edges go in in the order of their key (kind, parent, child), so each
	// insert appends to the B-tree instead of splitting pages all over it.
	for _, e := range sortedEdges(resources) {
		if _, err := insEdge.ExecContext(w.ctx, w.snapshotID, e.parent, e.child, e.kind); err != nil {
			return fmt.Errorf("resource %s: dependency %s: %w", e.child, e.parent, err)
		}
		if err := w.tick(); err != nil {
			return err
		}
	}
	return nil
}

type edge struct{ kind, parent, child string }

func sortedEdges(resources []backend.Resource) []edge {
	n := 0
	for i := range resources {
		n += len(resources[i].DependsOn) + len(resources[i].DependsOnMacros)
	}
	edges := make([]edge, 0, n)
	for i := range resources {
		r := &resources[i]
		for _, p := range r.DependsOn {
			edges = append(edges, edge{"node", p, r.UniqueID})
		}
		for _, p := range r.DependsOnMacros {
			edges = append(edges, edge{"macro", p, r.UniqueID})
		}
	}
	slices.SortFunc(edges, func(a, b edge) int {
		return cmp.Or(strings.Compare(a.kind, b.kind), strings.Compare(a.parent, b.parent), strings.Compare(a.child, b.child))
	})
	return edges
}

// index adds the snapshot's resources to the full-text index in one
// statement, so FTS5 can batch its writes.
func (w *bundleWriter) index() error {
	_, err := w.tx.ExecContext(w.ctx, `INSERT INTO resource_fts (rowid, name, description, column_text, tags,
		raw_code, compiled_code)
		SELECT id, name, description, column_text, tags, raw_code, compiled_code FROM resources
		WHERE snapshot_id = ?`, w.snapshotID)
	if err != nil {
		return fmt.Errorf("index for search: %w", err)
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

func (w *bundleWriter) artifacts(artifacts []backend.StoredArtifact) error {
	for _, a := range artifacts {
		data := a.Gzip
		if data == nil {
			var err error
			if data, err = gzipFile(a.Path); err != nil {
				return fmt.Errorf("artifact %s: %w", a.Name, err)
			}
		}
		if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO snapshot_artifacts (snapshot_id, name, gzip) VALUES (?, ?, ?)`,
			w.snapshotID, a.Name, data); err != nil {
			return fmt.Errorf("artifact %s: %w", a.Name, err)
		}
	}
	return nil
}

// gzipFile compresses a file into memory, fast rather than small: the
// copies are kept for re-imports, not read on any hot path.
func gzipFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(zw, f); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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

type compressedRaw struct {
	value any
	err   error
}

// compressRaws deflates each resource's raw JSON in order on its own
// goroutine, a bounded distance ahead of the reader. stop ends it early
// when the reader gives up.
func compressRaws(resources []backend.Resource) (<-chan compressedRaw, func()) {
	out := make(chan compressedRaw, 256)
	done := make(chan struct{})
	go func() {
		defer close(out)
		c := newRawCompressor()
		for i := range resources {
			v, err := c.compress(resources[i].Raw)
			select {
			case out <- compressedRaw{v, err}:
			case <-done:
				return
			}
		}
	}()
	return out, func() { close(done) }
}

package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

const snapshotColumns = `id, name, origin_kind, origin_path, origin_connection, account_id, project_id,
	environment_id, job_id, run_id, project, dbt_version, adapter_type, schema_versions, generated_at_us,
	invocation_id, run_command, taken_at_us, counts, warnings`

type rowScanner interface {
	Scan(dest ...any) error
}

func scanSnapshot(row rowScanner) (backend.Snapshot, error) {
	var (
		s                          backend.Snapshot
		versions, counts, warnings string
		generated, taken           sql.NullInt64
	)
	o := &s.Origin
	if err := row.Scan(&s.ID, &s.Name, &o.Kind, &o.Path, &o.Connection, &o.AccountID, &o.ProjectID,
		&o.EnvironmentID, &o.JobID, &o.RunID, &s.Project, &s.DbtVersion, &s.AdapterType, &versions, &generated,
		&s.InvocationID, &s.RunCommand, &taken, &counts, &warnings); err != nil {
		return s, err
	}
	s.GeneratedAt = fromMicros(generated)
	s.TakenAt = fromMicros(taken)
	for _, f := range []struct {
		text string
		into any
	}{{versions, &s.SchemaVersions}, {counts, &s.Counts}, {warnings, &s.Warnings}} {
		if err := json.Unmarshal([]byte(f.text), f.into); err != nil {
			return s, fmt.Errorf("snapshot %d: decode %.40q: %w", s.ID, f.text, err)
		}
	}
	return s, nil
}

// Snapshots lists snapshots, newest first.
func (s *Store) Snapshots(ctx context.Context) ([]backend.Snapshot, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+snapshotColumns+` FROM snapshots ORDER BY taken_at_us DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	defer rows.Close()
	list := []backend.Snapshot{}
	for rows.Next() {
		snap, err := scanSnapshot(rows)
		if err != nil {
			return nil, fmt.Errorf("list snapshots: %w", err)
		}
		list = append(list, snap)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	return list, nil
}

// Snapshot returns one snapshot; ENOTFOUND when there is none with that id.
func (s *Store) Snapshot(ctx context.Context, id int64) (backend.Snapshot, error) {
	snap, err := scanSnapshot(s.reader.QueryRowContext(ctx, `SELECT `+snapshotColumns+` FROM snapshots WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return snap, noSnapshot(ctx, s.reader, id)
	}
	if err != nil {
		return snap, fmt.Errorf("read snapshot %d: %w", id, err)
	}
	return snap, nil
}

// LatestSnapshot returns the most recent run of the project imported or
// synced last (see backend.Store); ENOTFOUND on an empty store.
func (s *Store) LatestSnapshot(ctx context.Context) (backend.Snapshot, error) {
	// The project last imported or synced, at its most recent run: older
	// artifacts imported after newer ones do not become the latest.
	snap, err := scanSnapshot(s.reader.QueryRowContext(ctx, `SELECT `+snapshotColumns+` FROM snapshots
		WHERE project = (SELECT project FROM snapshots ORDER BY taken_at_us DESC, id DESC LIMIT 1)
		ORDER BY generated_at_us IS NULL, generated_at_us DESC, id DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return snap, backend.Errorf(backend.ENOTFOUND, "there are no snapshots yet; import dbt artifacts or sync from dbt Cloud first")
	}
	if err != nil {
		return snap, fmt.Errorf("read the latest snapshot: %w", err)
	}
	return snap, nil
}

// SnapshotForRun returns the newest snapshot made from that dbt Cloud run of
// that account, or ENOTFOUND.
func (s *Store) SnapshotForRun(ctx context.Context, accountID, runID int64) (backend.Snapshot, error) {
	snap, err := scanSnapshot(s.reader.QueryRowContext(ctx, `SELECT `+snapshotColumns+` FROM snapshots
		WHERE account_id = ? AND run_id = ? AND run_id <> 0 ORDER BY id DESC LIMIT 1`, accountID, runID))
	if errors.Is(err, sql.ErrNoRows) {
		return snap, backend.Errorf(backend.ENOTFOUND, "no snapshot was made from run %d of dbt Cloud account %d", runID, accountID)
	}
	if err != nil {
		return snap, fmt.Errorf("find the snapshot of run %d: %w", runID, err)
	}
	return snap, nil
}

// SnapshotOfInvocation implements backend.SnapshotStore.
func (s *Store) SnapshotOfInvocation(ctx context.Context, project, invocationID string, generatedAt time.Time) (backend.Snapshot, error) {
	snap, err := scanSnapshot(s.reader.QueryRowContext(ctx, `SELECT `+snapshotColumns+` FROM snapshots
		WHERE (?1 = '' OR project = ?1) AND invocation_id = ?2 AND invocation_id <> '' AND generated_at_us = ?3 ORDER BY id DESC LIMIT 1`,
		project, invocationID, generatedAt.UnixMicro()))
	if errors.Is(err, sql.ErrNoRows) {
		return snap, backend.Errorf(backend.ENOTFOUND, "no snapshot of project %s was made from dbt invocation %s", project, invocationID)
	}
	if err != nil {
		return snap, fmt.Errorf("find the snapshot of dbt invocation %s: %w", invocationID, err)
	}
	return snap, nil
}

// DeleteSnapshot removes a snapshot and, through ON DELETE CASCADE,
// everything in it; ENOTFOUND when there is none with that id.
func (s *Store) DeleteSnapshot(ctx context.Context, id int64) error {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM snapshots WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return dropSearchIndex(ctx, tx, id)
	})
	if err != nil {
		return fmt.Errorf("delete snapshot %d: %w", id, canceled(ctx, err))
	}
	if n == 0 {
		return backend.Errorf(backend.ENOTFOUND, "there is no snapshot %d to delete", id)
	}
	return nil
}

// SnapshotArtifacts returns the raw artifact files (gzip-compressed) kept
// with a snapshot, sorted by name; empty when none were kept.
func (s *Store) SnapshotArtifacts(ctx context.Context, id int64) ([]backend.StoredArtifact, error) {
	if err := s.requireSnapshot(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT name, data FROM snapshot_artifact_chunks
		WHERE snapshot_id = ? ORDER BY name, chunk`, id)
	if err != nil {
		return nil, fmt.Errorf("read artifacts of snapshot %d: %w", id, err)
	}
	defer rows.Close()
	list := []backend.StoredArtifact{}
	for rows.Next() {
		var (
			name string
			data sql.RawBytes
		)
		if err := rows.Scan(&name, &data); err != nil {
			return nil, fmt.Errorf("read artifacts of snapshot %d: %w", id, err)
		}
		if len(list) == 0 || list[len(list)-1].Name != name {
			list = append(list, backend.StoredArtifact{Name: name, Gzip: []byte{}})
		}
		last := &list[len(list)-1]
		last.Gzip = append(last.Gzip, data...)
	}
	return list, rows.Err()
}

// noSnapshot is the ENOTFOUND error for a snapshot id the store does not
// hold: one it gave once (migration 22 keeps the highest) was deleted, or
// replaced by a fuller import of its run, and a link or a script naming it
// is told so.
func noSnapshot(ctx context.Context, q queryer, id int64) error {
	var highest int64
	if err := q.QueryRowContext(ctx, `SELECT highest FROM snapshot_ids`).Scan(&highest); err == nil && id > 0 && id <= highest {
		return backend.Errorf(backend.ENOTFOUND, "snapshot %d is no longer in the store (deleted, or replaced by a fuller import of its run); list those it holds with the snapshots view or command", id)
	}
	return backend.Errorf(backend.ENOTFOUND, "there is no snapshot %d; list them with the snapshots view or command", id)
}

// requireSnapshot returns ENOTFOUND when there is no snapshot with that id,
// so that reads of an empty result can tell "nothing matched" from "wrong id".
func (s *Store) requireSnapshot(ctx context.Context, id int64) error {
	return requireSnapshotIn(ctx, s.reader, id)
}

// requireSnapshotIn is requireSnapshot inside a transaction, whose reads
// then see the snapshot (its search index too) until it ends.
func requireSnapshotIn(ctx context.Context, q queryer, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM snapshots WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return noSnapshot(ctx, q, id)
	}
	if err != nil {
		return fmt.Errorf("read snapshot %d: %w", id, err)
	}
	return nil
}

package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// SaveConnection inserts or replaces the connection named c.Name. The
// creation time of an existing connection is kept; UpdatedAt is now unless
// given.
func (s *Store) SaveConnection(ctx context.Context, c backend.Connection, sealedToken []byte) error {
	if c.Name == "" {
		return backend.Errorf(backend.EINVALID, "a dbt Cloud connection needs a name")
	}
	if len(sealedToken) == 0 {
		return backend.Errorf(backend.EINVALID, "connection %q: the sealed token is empty; enter the API token again", c.Name)
	}
	t := now()
	created, updated := c.CreatedAt, c.UpdatedAt
	if created.IsZero() {
		created = t
	}
	if updated.IsZero() {
		updated = t
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO connections (name, access_url, account_id, project_id,
			environment_id, job_id, run_id, token_storage, sealed_token, created_at_us, updated_at_us)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET access_url = excluded.access_url, account_id = excluded.account_id,
				project_id = excluded.project_id, environment_id = excluded.environment_id,
				job_id = excluded.job_id, run_id = excluded.run_id, token_storage = excluded.token_storage,
				sealed_token = excluded.sealed_token, updated_at_us = excluded.updated_at_us`,
			c.Name, c.AccessURL, c.AccountID, c.ProjectID, c.EnvironmentID, c.JobID, c.RunID, c.TokenStorage,
			sealedToken, created.UnixMicro(), updated.UnixMicro())
		return err
	})
	if err != nil {
		return fmt.Errorf("save connection %q: %w", c.Name, canceled(ctx, err))
	}
	return nil
}

const connectionColumns = `name, access_url, account_id, project_id, environment_id, job_id, run_id,
	token_storage, created_at_us, updated_at_us`

func scanConnection(row rowScanner, extra ...any) (backend.Connection, error) {
	var (
		c                backend.Connection
		created, updated sql.NullInt64
	)
	dest := append([]any{&c.Name, &c.AccessURL, &c.AccountID, &c.ProjectID, &c.EnvironmentID, &c.JobID,
		&c.RunID, &c.TokenStorage, &created, &updated}, extra...)
	if err := row.Scan(dest...); err != nil {
		return c, err
	}
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return c, nil
}

// Connections lists the saved connections by name.
func (s *Store) Connections(ctx context.Context) ([]backend.Connection, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+connectionColumns+` FROM connections ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list connections: %w", err)
	}
	defer rows.Close()
	list := []backend.Connection{}
	for rows.Next() {
		c, err := scanConnection(rows)
		if err != nil {
			return nil, fmt.Errorf("list connections: %w", err)
		}
		list = append(list, c)
	}
	return list, rows.Err()
}

// noConnection is the ENOTFOUND of a name no connection has: it names the
// saved ones, or says none is saved.
func (s *Store) noConnection(ctx context.Context, name string) error {
	saved, err := s.Connections(ctx)
	if err != nil {
		return fmt.Errorf("there is no dbt Cloud connection named %q; list the saved ones: %w", name, err)
	}
	if len(saved) == 0 {
		return backend.Errorf(backend.ENOTFOUND, "there is no dbt Cloud connection named %q: none is saved; add one with 'lineagedesk connect' or on the Connections screen", name)
	}
	names := make([]string, len(saved))
	for i, c := range saved {
		names[i] = strconv.Quote(c.Name)
	}
	return backend.Errorf(backend.ENOTFOUND, "there is no dbt Cloud connection named %q; the saved ones: %s", name, strings.Join(names, ", "))
}

// Connection returns one connection and its sealed token; ENOTFOUND names it.
func (s *Store) Connection(ctx context.Context, name string) (backend.Connection, []byte, error) {
	var sealed []byte
	c, err := scanConnection(s.reader.QueryRowContext(ctx,
		`SELECT `+connectionColumns+`, sealed_token FROM connections WHERE name = ?`, name), &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil, s.noConnection(ctx, name)
	}
	if err != nil {
		return c, nil, fmt.Errorf("read connection %q: %w", name, err)
	}
	return c, sealed, nil
}

// DeleteConnection removes a connection and its sealed token; its sync
// history is kept as a log. ENOTFOUND when there is no such connection.
func (s *Store) DeleteConnection(ctx context.Context, name string) error {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM connections WHERE name = ?`, name)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("delete connection %q: %w", name, canceled(ctx, err))
	}
	if n == 0 {
		return backend.Errorf(backend.ENOTFOUND, "there is no dbt Cloud connection named %q to delete", name)
	}
	return nil
}

// AddSyncRecord stores a new record (r.ID is ignored) and returns its id.
func (s *Store) AddSyncRecord(ctx context.Context, r backend.SyncRecord) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO sync_history (connection, started_at_us, finished_at_us, status,
			project_id, job_id, run_id, snapshot_id, reason, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			syncArgs(r)...)
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("record sync of %q: %w", r.Connection, canceled(ctx, err))
	}
	return id, nil
}

// UpdateSyncRecord overwrites the record with r.ID; ENOTFOUND when there is none.
func (s *Store) UpdateSyncRecord(ctx context.Context, r backend.SyncRecord) error {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sync_history SET connection = ?, started_at_us = ?,
			finished_at_us = ?, status = ?, project_id = ?, job_id = ?, run_id = ?, snapshot_id = ?, reason = ?,
			warnings = ? WHERE id = ?`, append(syncArgs(r), r.ID)...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("update sync record %d: %w", r.ID, canceled(ctx, err))
	}
	if n == 0 {
		return backend.Errorf(backend.ENOTFOUND, "there is no sync record %d", r.ID)
	}
	return nil
}

func syncArgs(r backend.SyncRecord) []any {
	var snapshotID any
	if r.SnapshotID != 0 {
		snapshotID = r.SnapshotID
	}
	return []any{r.Connection, r.StartedAt.UnixMicro(), microsOrNil(r.FinishedAt), r.Status, r.ProjectID,
		r.JobID, r.RunID, snapshotID, r.Reason, stringsOrNil(r.Warnings)}
}

// SyncHistory lists a connection's records, newest first ("" for every
// connection); limit <= 0 means no limit.
func (s *Store) SyncHistory(ctx context.Context, connection string, limit int) ([]backend.SyncRecord, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT id, connection, started_at_us, finished_at_us, status,
		project_id, job_id, run_id, coalesce(snapshot_id, 0), reason, warnings
		FROM sync_history WHERE ? = '' OR connection = ?
		ORDER BY started_at_us DESC, id DESC LIMIT ?`, connection, connection, limit)
	if err != nil {
		return nil, fmt.Errorf("read sync history: %w", err)
	}
	defer rows.Close()
	list := []backend.SyncRecord{}
	for rows.Next() {
		var (
			r                 backend.SyncRecord
			started, finished sql.NullInt64
			warnings          sql.NullString
		)
		if err := rows.Scan(&r.ID, &r.Connection, &started, &finished, &r.Status, &r.ProjectID, &r.JobID,
			&r.RunID, &r.SnapshotID, &r.Reason, &warnings); err != nil {
			return nil, fmt.Errorf("read sync history: %w", err)
		}
		r.StartedAt, r.FinishedAt = fromMicros(started), fromMicros(finished)
		if r.Warnings, err = decodeStrings(warnings); err != nil {
			return nil, fmt.Errorf("read sync record %d: %w", r.ID, err)
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// SaveWatchedFolder keeps a watched folder, replacing one of that folder.
func (s *Store) SaveWatchedFolder(ctx context.Context, w backend.WatchedFolder) error {
	paths, err := json.Marshal(w.Paths)
	if err != nil {
		return fmt.Errorf("save watched folder %s: %w", w.Folder, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO watched_folders (folder, paths, name, since_us) VALUES (?, ?, ?, ?)
			ON CONFLICT (folder) DO UPDATE SET paths = excluded.paths, name = excluded.name, since_us = excluded.since_us`,
			w.Folder, string(paths), w.Name, w.Since.UnixMicro())
		return err
	})
	if err != nil {
		return fmt.Errorf("save watched folder %s: %w", w.Folder, canceled(ctx, err))
	}
	return nil
}

// DeleteWatchedFolder forgets a watched folder; forgetting one not kept
// is no error.
func (s *Store) DeleteWatchedFolder(ctx context.Context, folder string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM watched_folders WHERE folder = ?`, folder)
		return err
	})
	if err != nil {
		return fmt.Errorf("forget watched folder %s: %w", folder, canceled(ctx, err))
	}
	return nil
}

// WatchedFolders returns the watched folders kept, by folder.
func (s *Store) WatchedFolders(ctx context.Context) ([]backend.WatchedFolder, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT folder, paths, name, since_us FROM watched_folders ORDER BY folder`)
	if err != nil {
		return nil, fmt.Errorf("read watched folders: %w", canceled(ctx, err))
	}
	defer rows.Close()
	list := []backend.WatchedFolder{}
	for rows.Next() {
		var (
			w     backend.WatchedFolder
			paths string
			since int64
		)
		if err := rows.Scan(&w.Folder, &paths, &w.Name, &since); err != nil {
			return nil, fmt.Errorf("read watched folders: %w", err)
		}
		if err := json.Unmarshal([]byte(paths), &w.Paths); err != nil {
			return nil, fmt.Errorf("watched folder %s: paths %q: %w", w.Folder, paths, err)
		}
		w.Since = time.UnixMicro(since)
		list = append(list, w)
	}
	return list, rows.Err()
}

// ClaimWatchedRun claims the run identified by run (its files' sizes and
// times) of a watched folder for import: true for the one caller that
// claims it first, false for any other, and for a folder no longer
// watched.
func (s *Store) ClaimWatchedRun(ctx context.Context, folder, run string) (bool, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE watched_folders SET run = ?2 WHERE folder = ?1 AND run <> ?2`, folder, run)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("claim a run of watched folder %s: %w", folder, canceled(ctx, err))
	}
	return n == 1, nil
}

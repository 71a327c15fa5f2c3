package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Compact gives back to the file system the space that deleted snapshots
// left in the store file. SQLite keeps freed pages for later writes, so
// without it a store never shrinks. VACUUM rewrites the whole file (it
// needs as much free disk again while it runs) and the checkpoint moves
// the rewrite out of the write-ahead log.
func (s *Store) Compact(ctx context.Context) error {
	if _, err := s.writer.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("compact %s: %w", s.path, canceled(ctx, err))
	}
	if _, err := s.writer.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("compact %s: checkpoint: %w", s.path, canceled(ctx, err))
	}
	return nil
}

// DiskUsage returns the store's size on disk and how much of it is free
// pages, which Compact would give back.
func (s *Store) DiskUsage(ctx context.Context) (backend.DiskUsage, error) {
	var u backend.DiskUsage
	for _, name := range []string{s.path, s.path + "-wal"} {
		info, err := os.Stat(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return u, fmt.Errorf("size of the store: %w", err)
		}
		u.Bytes += info.Size()
	}
	var pages, pageSize int64
	if err := s.reader.QueryRowContext(ctx, `SELECT freelist_count, page_size FROM pragma_freelist_count, pragma_page_size`).Scan(&pages, &pageSize); err != nil {
		return u, fmt.Errorf("free space in the store: %w", err)
	}
	u.FreeBytes = pages * pageSize
	return u, nil
}

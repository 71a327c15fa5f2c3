package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
)

// StateChanges compares the lineage nodes of snapshot snapshotID with those
// of baseID, as dbt's state: method compares with a previous manifest
// (backend.StateChange says part by part). Both are compared by their
// digests (digests.go); a snapshot stored before this build's digests
// gets them built from its stored resources first, and kept.
func (s *Store) StateChanges(ctx context.Context, snapshotID, baseID int64) (map[string]backend.StateChange, error) {
	cur, err := s.digests(ctx, snapshotID)
	if err != nil {
		return nil, fmt.Errorf("compare snapshot %d with snapshot %d: %w", snapshotID, baseID, err)
	}
	base, err := s.digests(ctx, baseID)
	if err != nil {
		return nil, fmt.Errorf("compare snapshot %d with snapshot %d: %w", snapshotID, baseID, err)
	}
	return compareDigests(cur, base), nil
}

// digests returns a snapshot's digests, building them from its stored
// resources when it has none in this format (and storing them, when the
// writer is free, so that this happens once).
func (s *Store) digests(ctx context.Context, snapshotID int64) (snapshotDigests, error) {
	d, ok, err := storedDigests(ctx, s.reader, snapshotID)
	if err == nil && ok {
		return d, nil
	}
	// A corrupt blob is built again too.
	blob, err := s.buildDigests(ctx, snapshotID)
	if err != nil {
		return snapshotDigests{}, err
	}
	s.backfillDigests(ctx, snapshotID, blob)
	return decodeDigests(blob)
}

// buildDigests reads the snapshot's enabled resources in rowid order (so
// that consecutive ones share a raw_blocks block) and digests each as the
// import does, from its manifest entry; a resource stored without its
// entry is digested from its row.
func (s *Store) buildDigests(ctx context.Context, snapshotID int64) ([]byte, error) {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("digest snapshot %d: %w", snapshotID, err)
	}
	defer tx.Rollback()
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM snapshots WHERE id = ?)`, snapshotID).Scan(&exists); err != nil {
		return nil, fmt.Errorf("digest snapshot %d: %w", snapshotID, err)
	}
	if !exists {
		return nil, backend.Errorf(backend.ENOTFOUND, "there is no snapshot %d", snapshotID)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+resourceColumns+` FROM resources
		WHERE snapshot_id = ? AND enabled AND resource_type NOT IN ('doc', 'group') ORDER BY rowid`, snapshotID)
	if err != nil {
		return nil, fmt.Errorf("digest snapshot %d: %w", snapshotID, err)
	}
	defer rows.Close()
	blocks := blockCache{ctx: ctx, tx: tx, snapshotID: snapshotID}
	var d snapshotDigests
	for rows.Next() {
		r, stored, err := scanResource(rows)
		if err != nil {
			return nil, fmt.Errorf("digest snapshot %d: %w", snapshotID, err)
		}
		raw, err := decodeRaw(stored, blocks.inflated)
		if err != nil {
			return nil, fmt.Errorf("digest snapshot %d: %s: %w", snapshotID, r.UniqueID, err)
		}
		if raw != nil {
			if entry, err := artifact.DecodeEntry(raw, r.UniqueID, r.ResourceType); err == nil {
				r = entry
			}
		}
		if r.ResourceType == backend.TypeMacro {
			d.addMacro(&r)
		} else {
			d.addNode(&r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest snapshot %d: %w", snapshotID, err)
	}
	return d.encode(), nil
}

// blockCache inflates raw_blocks rows, keeping the last one: resources
// read in rowid order come block by block.
type blockCache struct {
	ctx        context.Context
	tx         *sql.Tx
	snapshotID int64
	number     int64
	data       []byte
}

func (c *blockCache) inflated(number int64) ([]byte, error) {
	if c.data != nil && c.number == number {
		return c.data, nil
	}
	var deflated []byte
	err := c.tx.QueryRowContext(c.ctx, `SELECT data FROM raw_blocks WHERE snapshot_id = ? AND block = ?`,
		c.snapshotID, number).Scan(&deflated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: block %d is missing", errCorruptRaw, number)
	}
	if err != nil {
		return nil, err
	}
	if c.data, err = inflate(deflated); err != nil {
		return nil, err
	}
	c.number = number
	return c.data, nil
}

// backfillDigests stores digests built for a snapshot when the writer is
// free; like backfillLineage it is a cache fill, so errors are dropped.
func (s *Store) backfillDigests(ctx context.Context, snapshotID int64, blob []byte) {
	wait, cancel := context.WithTimeout(ctx, backfillWait)
	conn, err := s.writer.Conn(wait)
	cancel()
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, backfillWait.Milliseconds())); err != nil {
		return
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA busy_timeout = 5000`) // as dsn sets it
	// The snapshot may have been deleted since; then the foreign key fails.
	_, _ = conn.ExecContext(ctx, `INSERT OR REPLACE INTO snapshot_digests (snapshot_id, format, digests) VALUES (?, ?, ?)`,
		snapshotID, digestFormat, blob)
}

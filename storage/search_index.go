package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// Each snapshot has a full-text index of its own, an FTS5 table over its
// rows of resources (external content: the text lives once, in resources).
// One index for every snapshot made each search expand its terms over
// every snapshot's entries, so a store a daily sync fills got slower to
// search with each run kept, and deleting a snapshot re-tokenised all its
// text to take its entries out again (half of a deletion's time). Now a
// search reads its snapshot's index alone and a deletion drops it.
//
// The columns are in searchColumns order.
const searchIndexColumns = `name, description, column_text, tags, raw_code, compiled_code`

// searchIndex is the name of the snapshot's full-text table. FTS5's
// auxiliary functions (bm25, snippet) take the table's own name, not an
// alias, so queries are written with it.
func searchIndex(snapshotID int64) string {
	return "snapshot_fts_" + strconv.FormatInt(snapshotID, 10)
}

// createSearchIndex creates the snapshot's full-text table and indexes its
// resources in one statement, in rowid order: FTS5 writes its pending terms
// out as a new segment (and merges segments) whenever a rowid is smaller
// than the last one, and resources are numbered in file order (measured:
// 3.0 s -> 1.0 s of indexing at 10k models).
func createSearchIndex(ctx context.Context, tx *sql.Tx, snapshotID int64) error {
	table := searchIndex(snapshotID)
	if _, err := tx.ExecContext(ctx, `CREATE VIRTUAL TABLE `+table+` USING fts5 (`+searchIndexColumns+`,
		content = 'resources', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2')`); err != nil {
		return fmt.Errorf("create the search index of snapshot %d: %w", snapshotID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (rowid, `+searchIndexColumns+`)
		SELECT id, `+searchIndexColumns+` FROM resources WHERE snapshot_id = ? ORDER BY id`, snapshotID); err != nil {
		return fmt.Errorf("index snapshot %d for search: %w", snapshotID, err)
	}
	return nil
}

// dropSearchIndex drops the snapshot's full-text table, with the snapshot.
func dropSearchIndex(ctx context.Context, tx *sql.Tx, snapshotID int64) error {
	if _, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS `+searchIndex(snapshotID)); err != nil {
		return fmt.Errorf("drop the search index of snapshot %d: %w", snapshotID, err)
	}
	return nil
}

// splitSearchIndex is migration 19's step: every snapshot gets its own
// full-text index, built from its resources, once the SQL has dropped the
// shared one.
func splitSearchIndex(ctx context.Context, tx *sql.Tx, notice func(string)) error {
	ids, err := queryIDs(ctx, tx, `SELECT id FROM snapshots ORDER BY id`)
	if err != nil {
		return fmt.Errorf("list snapshots: %w", err)
	}
	if len(ids) > 0 {
		// Measured: 1.2 s for a 10k-model snapshot, 5.4 s for a 50k one.
		notice(fmt.Sprintf("upgrading the store: a search index of its own for each of its %d snapshots, once (about a second per 10,000 models)", len(ids)))
	}
	for _, id := range ids {
		if err := createSearchIndex(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

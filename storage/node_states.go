package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/lineagedesk/lineagedesk/backend"
)

// NodeStateSteps compares one node along a series of snapshots (a node
// page's history), as StateChanges compares whole snapshots: step i says
// how the node in snapshotIDs[i+1] differs from the node in snapshotIDs[i]
// (New where the one before lacks it, Removed where this one does; the
// zero step where neither holds it or nothing changed), and whether its
// descriptions changed, persisted or not. It digests
// the node's entry in each snapshot and the macros it calls, instead of
// reading every snapshot's digests (14 MB each on 50k models).
func (s *Store) NodeStateSteps(ctx context.Context, uniqueID string, snapshotIDs []int64) ([]backend.NodeStep, error) {
	if len(snapshotIDs) < 2 {
		return nil, nil
	}
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("compare %s across snapshots: %w", uniqueID, err)
	}
	defer tx.Rollback()
	states := make([]nodeState, len(snapshotIDs))
	called := map[string]bool{} // every macro the node calls in any of them, however deep
	for i, id := range snapshotIDs {
		if states[i], err = readNodeState(ctx, tx, id, uniqueID); err != nil {
			return nil, fmt.Errorf("compare %s across snapshots: snapshot %d: %w", uniqueID, id, err)
		}
		for _, m := range states[i].macros {
			called[m] = true
		}
	}
	// Each snapshot's code of every macro called in any of them: a macro
	// the node calls now, new or changed since the snapshot before, is
	// state:modified.macros, as in dbt.
	names := make([]string, 0, len(called))
	for m := range called {
		names = append(names, m)
	}
	slices.Sort(names)
	for i, id := range snapshotIDs {
		if states[i].codes, err = macroCodes(ctx, tx, id, names); err != nil {
			return nil, fmt.Errorf("compare %s across snapshots: snapshot %d: %w", uniqueID, id, err)
		}
	}
	steps := make([]backend.NodeStep, len(snapshotIDs)-1)
	for i := range steps {
		before, now := &states[i], &states[i+1]
		switch {
		case now.digest == nil && before.digest != nil:
			steps[i].Removed = true
			continue
		case now.digest == nil:
			continue
		case before.digest == nil:
			steps[i].New = true
		default:
			steps[i].StateChange = changeOf(now.digest, before.digest)
			steps[i].Descriptions = now.digest.description != before.digest.description || now.digest.columnDocs != before.digest.columnDocs
		}
		// A new node calling a changed macro is state:modified.macros too, as in dbt.
		steps[i].Macros = slices.ContainsFunc(now.macros, func(m string) bool {
			code, ok := before.codes[m]
			return !ok || code != now.codes[m]
		})
	}
	return steps, nil
}

// nodeState is a node as one snapshot holds it: its digest (nil when the
// snapshot has no enabled node with its unique_id), the macros it calls
// however deep, and the codes of the macros NodeStateSteps compares.
type nodeState struct {
	digest *nodeDigest
	macros []string
	codes  map[string]uint64
}

func readNodeState(ctx context.Context, tx *sql.Tx, snapshotID int64, uniqueID string) (nodeState, error) {
	var rowid int64
	var resourceType string
	var stored []byte
	err := tx.QueryRowContext(ctx, `SELECT id, resource_type, raw FROM resources
		WHERE snapshot_id = ? AND unique_id = ? AND enabled`, snapshotID, uniqueID).Scan(&rowid, &resourceType, &stored)
	if errors.Is(err, sql.ErrNoRows) {
		return nodeState{}, nil
	}
	if err != nil {
		return nodeState{}, err
	}
	blocks := blockCache{ctx: ctx, tx: tx, snapshotID: snapshotID}
	r, err := storedEntry(ctx, tx, rowid, uniqueID, resourceType, stored, blocks.inflated)
	if err != nil {
		return nodeState{}, err
	}
	d := digestOf(&r)
	if resourceType == backend.TypeMacro {
		// A macro is its code (and the macros it calls): the digests hash no more of it.
		d = nodeDigest{id: uniqueID, code: fnv64(r.RawCode)}
	}
	macros, err := macroClosure(ctx, tx, snapshotID, r.DependsOnMacros)
	return nodeState{digest: &d, macros: macros}, err
}

// macroClosure returns, sorted, the macros of a snapshot named in calls
// and those they call, however deep; a macro the snapshot does not hold
// is left out, as the digests leave it out.
func macroClosure(ctx context.Context, tx *sql.Tx, snapshotID int64, calls []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for len(calls) > 0 {
		list, err := json.Marshal(calls)
		if err != nil {
			return nil, err
		}
		rows, err := tx.QueryContext(ctx, `SELECT unique_id, depends_on_macros FROM resources
			WHERE snapshot_id = ? AND resource_type = 'macro' AND unique_id IN (SELECT value FROM json_each(?))`, snapshotID, string(list))
		if err != nil {
			return nil, err
		}
		calls = nil
		for rows.Next() {
			var id string
			var deeper sql.NullString
			if err := rows.Scan(&id, &deeper); err != nil {
				rows.Close()
				return nil, err
			}
			if seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, id)
			more, err := decodeStrings(deeper)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("macro %s: depends_on_macros: %w", id, err)
			}
			for _, m := range more {
				if !seen[m] {
					calls = append(calls, m)
				}
			}
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return out, nil
}

// macroCodes hashes the code of the macros of a snapshot named, as the
// digests do; a macro it does not hold has no entry.
func macroCodes(ctx context.Context, tx *sql.Tx, snapshotID int64, names []string) (map[string]uint64, error) {
	codes := map[string]uint64{}
	if len(names) == 0 {
		return codes, nil
	}
	list, err := json.Marshal(names)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT unique_id, raw_code FROM resources
		WHERE snapshot_id = ? AND resource_type = 'macro' AND unique_id IN (SELECT value FROM json_each(?))`, snapshotID, string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		codes[id] = fnv64(code)
	}
	return codes, rows.Err()
}

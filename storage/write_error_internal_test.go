package storage

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// A write the disk refuses says so, names the store and what to do, and
// leaves the store as it was (QA: "database or disk is full (13)", and
// "attempt to write a readonly database (8)"): the disk filled, here, by
// SQLite's page limit, and a read-only store by query_only.
func TestWriteRefusedByTheDiskSaysWhatToDo(t *testing.T) {
	s, snap, b := savedSynth(t, synth.Spec{Models: 60, Seed: 9})
	ctx := t.Context()
	var pages int
	if err := s.writer.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pragma, undo, code, says string
	}{
		{fmt.Sprintf(`PRAGMA max_page_count = %d`, pages), `PRAGMA max_page_count = 4294967294`, backend.EUNAVAILABLE, "is full: free some space"},
		{`PRAGMA query_only = 1`, `PRAGMA query_only = 0`, backend.EINVALID, "cannot be written: the file, its folder or its disk is read-only"},
	} {
		if _, err := s.writer.ExecContext(ctx, c.pragma); err != nil {
			t.Fatal(err)
		}
		_, err := s.SaveSnapshot(ctx, backend.NewSnapshot{Name: "again", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
		if _, uerr := s.writer.ExecContext(ctx, c.undo); uerr != nil {
			t.Fatal(uerr)
		}
		if backend.ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), s.path) || !strings.Contains(err.Error(), "the store is as it was") {
			t.Errorf("%s: %v, want %s saying %q and naming the store", c.pragma, err, c.code, c.says)
		}
		snaps, err := s.Snapshots(ctx)
		if err != nil || len(snaps) != 1 || snaps[0].ID != snap.ID {
			t.Errorf("%s: snapshots %+v, %v; want the one saved before", c.pragma, snaps, err)
		}
	}
}

package storage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/storage"
)

// holdWriteLock takes the store's write lock from another connection, as
// another process's import does, until release is called.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	db := rawDB(t, path)
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(t.Context(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := conn.ExecContext(context.Background(), "COMMIT"); err != nil {
			t.Error(err)
		}
		conn.Close()
	}
}

// A store opens and reads while another process writes to it (QA: every
// command failed with SQLITE_BUSY during an import, the open migrating
// under the write lock), and a write waits for the other one, past
// SQLite's busy timeout, telling that it waits.
func TestStoreOpensAndWaitsWhileAnotherProcessWrites(t *testing.T) {
	t.Parallel()
	s, path := openStore(t)
	snap := saveShop(t, s)
	s.Close()

	release := holdWriteLock(t, path)
	var notices []string
	s2, err := storage.Open(t.Context(), path, storage.WithNotice(func(m string) { notices = append(notices, m) }))
	if err != nil {
		t.Fatalf("open while another process writes: %v", err)
	}
	defer s2.Close()
	if _, err := s2.Snapshot(t.Context(), snap.ID); err != nil {
		t.Fatalf("read while another process writes: %v", err)
	}

	held := 6 * time.Second // past the 5 s busy timeout
	go func() {
		time.Sleep(held)
		release()
	}()
	start := time.Now()
	if err := s2.SaveView(t.Context(), backend.View{Project: snap.Project, Name: "waited", ViewSpec: backend.ViewSpec{Select: "orders"}}); err != nil {
		t.Fatalf("a write after the other one: %v", err)
	}
	if waited := time.Since(start); waited < held-time.Second {
		t.Errorf("the write took %v while the lock was held %v", waited, held)
	}
	if len(notices) != 1 || !strings.Contains(notices[0], "another Lineage Desk process is writing to the store") {
		t.Errorf("notices: %q, want one saying it waits", notices)
	}
}

// A write that waits longer than it may fails with ECONFLICT saying why,
// and the store is unchanged.
func TestStoreWriteGivesUpOnAnotherProcessesWrite(t *testing.T) {
	t.Parallel()
	s, path := openStore(t)
	snap := saveShop(t, s)
	s.Close()
	s2, err := storage.Open(t.Context(), path, storage.WithWriteWait(0))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	release := holdWriteLock(t, path)
	err = s2.DeleteSnapshot(t.Context(), snap.ID)
	release()
	if backend.ErrorCode(err) != backend.ECONFLICT || !strings.Contains(err.Error(), "another Lineage Desk process has been writing to it") || !strings.Contains(err.Error(), path) {
		t.Fatalf("a write while another process writes: %v, want ECONFLICT naming the store and why", err)
	}
	if _, err := s2.Snapshot(t.Context(), snap.ID); err != nil {
		t.Errorf("the snapshot is gone: %v", err)
	}
	var n int
	if err := rawDB(t, path).QueryRow("SELECT count(*) FROM snapshots").Scan(&n); err != nil || n != 1 {
		t.Errorf("snapshots: %d, %v", n, err)
	}
}

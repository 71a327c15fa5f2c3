package storage_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestStoredLineageMatchesRows imports real artifacts through the parser
// and checks that the graph decoded from snapshot_lineage is exactly the
// graph loaded from the rows (the blob row deleted), including nil versus
// empty lists, test outcomes and edge order. Then truncations and byte
// flips of the blob must fall back to the rows, never panic.
func TestStoredLineageMatchesRows(t *testing.T) {
	for _, dataset := range []string{"bouncer-build-v12-dbt1.11-duckdb", "tuva-v7-dbt1.3", "hubspot-v12-dbt1.9-bigquery", "jaffle-dap-v12-1.12"} {
		t.Run(dataset, func(t *testing.T) {
			s, path, snap, _ := saveFixture(t, dataset)
			fromBlob, err := s.Graph(t.Context(), snap.ID)
			if err != nil {
				t.Fatal(err)
			}
			db := rawDB(t, path)
			var blob []byte
			var format int
			if err := db.QueryRow(`SELECT graph, format FROM snapshot_lineage WHERE snapshot_id = ?`, snap.ID).Scan(&blob, &format); err != nil {
				t.Fatalf("no stored lineage: %v", err)
			}
			if _, err := db.Exec(`DELETE FROM snapshot_lineage`); err != nil {
				t.Fatal(err)
			}
			fromRows, err := s.Graph(t.Context(), snap.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(fromRows.Nodes) == 0 || len(fromRows.Edges) == 0 {
				t.Fatalf("rows gave %d nodes, %d edges", len(fromRows.Nodes), len(fromRows.Edges))
			}
			if !reflect.DeepEqual(fromBlob, fromRows) {
				for i := range min(len(fromBlob.Nodes), len(fromRows.Nodes)) {
					if !reflect.DeepEqual(fromBlob.Nodes[i], fromRows.Nodes[i]) {
						t.Fatalf("node %d differs:\nblob %#v\nrows %#v", i, fromBlob.Nodes[i], fromRows.Nodes[i])
					}
				}
				t.Fatalf("blob graph (%d nodes, %d edges) != rows graph (%d nodes, %d edges)",
					len(fromBlob.Nodes), len(fromBlob.Edges), len(fromRows.Nodes), len(fromRows.Edges))
			}
			t.Logf("%d nodes, %d edges: blob %d bytes", len(fromRows.Nodes), len(fromRows.Edges), len(blob))
			// Loading from the rows stored the copy again, byte for byte.
			var again []byte
			if err := db.QueryRow(`SELECT graph FROM snapshot_lineage WHERE snapshot_id = ?`, snap.ID).Scan(&again); err != nil || !bytes.Equal(again, blob) {
				t.Errorf("backfilled copy: %d bytes, %v; want the %d bytes SaveSnapshot stored", len(again), err, len(blob))
			}

			var broken [][]byte
			for n := 0; n < len(blob); n += max(1, len(blob)/40) {
				broken = append(broken, blob[:n])
			}
			for _, at := range []int{0, 1, len(blob) / 3, len(blob) / 2, len(blob) - 1} {
				flipped := append([]byte(nil), blob...)
				flipped[at] ^= 0xff
				broken = append(broken, flipped)
			}
			for _, bad := range broken {
				if _, err := db.Exec(`INSERT OR REPLACE INTO snapshot_lineage (snapshot_id, format, graph) VALUES (?, ?, ?)`, snap.ID, format, bad); err != nil {
					t.Fatal(err)
				}
				g, err := s.Graph(t.Context(), snap.ID)
				if err != nil {
					t.Fatalf("blob of %d bytes: %v", len(bad), err)
				}
				// A flipped byte may still decode (e.g. a changed count); it
				// must then not crash. Truncations must all fall back.
				if len(bad) < len(blob) && !reflect.DeepEqual(g, fromRows) {
					t.Fatalf("truncated blob of %d bytes: graph differs from the rows", len(bad))
				}
			}

			// The good blob is what Graph reads: with the edge rows gone, the
			// edges still come back.
			if _, err := db.Exec(`INSERT OR REPLACE INTO snapshot_lineage (snapshot_id, format, graph) VALUES (?, ?, ?)`, snap.ID, format, blob); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`DELETE FROM edges WHERE snapshot_id = ?`, snap.ID); err != nil {
				t.Fatal(err)
			}
			if g, err := s.Graph(t.Context(), snap.ID); err != nil || !reflect.DeepEqual(g, fromRows) {
				t.Fatalf("Graph with the blob and no edge rows: %v; want the stored graph", err)
			}

			// Deleting the snapshot deletes its stored lineage.
			if err := s.DeleteSnapshot(t.Context(), snap.ID); err != nil {
				t.Fatal(err)
			}
			var left int
			if err := db.QueryRow(`SELECT count(*) FROM snapshot_lineage`).Scan(&left); err != nil || left != 0 {
				t.Errorf("snapshot_lineage rows after delete = %d, %v", left, err)
			}
		})
	}
}

// TestGraphOfUnknownSnapshot: no blob and no rows is still ENOTFOUND.
func TestGraphOfUnknownSnapshot(t *testing.T) {
	s, _ := openStore(t)
	saveShop(t, s)
	if _, err := s.Graph(t.Context(), 999); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("Graph(999) = %v, want ENOTFOUND", err)
	}
}

// TestGraphDoesNotWaitForAnotherWriter: a snapshot without a stored copy
// is loaded from the rows even while another connection (an import in
// another process) holds the write lock, without waiting out the 5 s busy
// timeout to store the copy; the next load after the lock is gone stores it.
func TestGraphDoesNotWaitForAnotherWriter(t *testing.T) {
	s, path := openStore(t)
	snap := saveShop(t, s)
	db := rawDB(t, path)
	if _, err := db.Exec(`DELETE FROM snapshot_lineage`); err != nil {
		t.Fatal(err)
	}
	other, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.ExecContext(t.Context(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	g, err := s.Graph(t.Context(), snap.ID)
	if err != nil || len(g.Nodes) == 0 {
		t.Fatalf("Graph while another writer holds the lock: %v", err)
	}
	if waited := time.Since(start); waited >= 5*time.Second {
		t.Errorf("Graph waited %v for the other writer", waited)
	}
	if _, err := other.ExecContext(t.Context(), `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	other.Close()
	count := func() (n int) {
		if err := db.QueryRow(`SELECT count(*) FROM snapshot_lineage`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 0 {
		t.Errorf("a copy was stored through the other writer's lock (%d rows)", n)
	}
	if _, err := s.Graph(t.Context(), snap.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Errorf("after the lock was released, %d stored copies; want 1", n)
	}
}

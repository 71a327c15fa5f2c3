package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// BenchmarkLineageLoad compares the two ways Graph can load a generated
// 10k-model project (about 36k nodes and 49k edges once imported through
// the artifact parser): from the rows, as before snapshot_lineage existed,
// and from the stored blob; and the costs of encoding the blob and of
// writing the reach tables at import.
func BenchmarkLineageLoad(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	if _, err := synth.Write(filepath.Join(dir, "project"), synth.Spec{Models: 10_000, Seed: 42}); err != nil {
		b.Fatal(err)
	}
	files, err := artifact.Discover([]string{filepath.Join(dir, "project")})
	if err != nil {
		b.Fatal(err)
	}
	bundle, err := artifact.Load(ctx, files)
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(ctx, filepath.Join(dir, "store.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	snap, err := s.SaveSnapshot(ctx, backend.NewSnapshot{Name: "synth", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: bundle})
	if err != nil {
		b.Fatal(err)
	}
	inReadTx := func(b *testing.B, load func(tx *sql.Tx) (*backend.GraphData, error)) {
		var g *backend.GraphData
		for b.Loop() {
			tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			g, err = load(tx)
			tx.Rollback()
			if err != nil || g == nil {
				b.Fatalf("load: %v", err)
			}
		}
		b.ReportMetric(float64(len(g.Nodes)), "nodes")
		b.ReportMetric(float64(len(g.Edges)), "edges")
	}
	b.Run("rows", func(b *testing.B) {
		inReadTx(b, func(tx *sql.Tx) (*backend.GraphData, error) { return graphFromRows(ctx, tx, snap.ID) })
	})
	b.Run("blob", func(b *testing.B) {
		inReadTx(b, func(tx *sql.Tx) (*backend.GraphData, error) { return storedLineage(ctx, tx, snap.ID) })
	})
	b.Run("encode", func(b *testing.B) {
		g, err := s.Graph(ctx, snap.ID)
		if err != nil {
			b.Fatal(err)
		}
		var blob []byte
		for b.Loop() {
			blob = encodeLineage(g)
		}
		b.ReportMetric(float64(len(blob))/1e6, "blob-MB")
	})
	// What storeLineage adds to an import for Reach: the topology, the id
	// chunks and one row per node, written in a transaction rolled back.
	b.Run("reach-index", func(b *testing.B) {
		g, err := s.Graph(ctx, snap.ID)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			tx, err := s.writer.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			err = storeReachIndex(ctx, tx, g)
			tx.Rollback()
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(g.Nodes)), "nodes")
	})
}

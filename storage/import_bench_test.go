package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// synthDir returns a generated 10k-model project: LINEAGEDESK_BENCH_DIR when
// set (make bench's cache), otherwise one generated into a temporary dir.
func synthDir(b *testing.B) string {
	b.Helper()
	if dir := os.Getenv("LINEAGEDESK_BENCH_DIR"); dir != "" {
		return dir
	}
	dir := filepath.Join(b.TempDir(), "m10k")
	if _, err := synth.Write(dir, synth.Spec{Models: 10_000, Seed: 1, WithSources: true}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkImportSynth10k is the CLI's import without the process: stream
// the generated artifacts into one snapshot of a fresh file.
func BenchmarkImportSynth10k(b *testing.B) {
	files, err := artifact.Discover([]string{synthDir(b)})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		s, _ := openStore(b)
		b.StartTimer()
		src := artifact.NewSource(files)
		if _, err := s.SaveSnapshot(context.Background(), backend.NewSnapshot{Name: "synth",
			Origin: backend.Origin{Kind: backend.OriginPath}, Stream: src.Stream}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

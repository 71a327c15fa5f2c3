package artifact_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/artifact"
)

// BenchmarkParseManifest parses the largest real manifest (tuva v11, 3.9 MB).
func BenchmarkParseManifest(b *testing.B) {
	data := fixture(b, "tuva-v11-dbt1.7", "manifest")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := artifact.ParseManifest(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad imports the whole tuva v11 dataset from its gzip files.
func BenchmarkLoad(b *testing.B) {
	fs, err := artifact.Discover([]string{filepath.Join(fixturesDir, "tuva-v11-dbt1.7")})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := artifact.Load(context.Background(), fs); err != nil {
			b.Fatal(err)
		}
	}
}

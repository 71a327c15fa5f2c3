package synth

import "testing"

func BenchmarkWrite10k(b *testing.B) {
	dir := b.TempDir()
	spec := Spec{Models: 10_000, Seed: 1, WithSources: true}
	var files Files
	for b.Loop() {
		var err error
		if files, err = Write(dir, spec); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(files.Manifest.Bytes + files.Catalog.Bytes + files.RunResults.Bytes + files.Sources.Bytes)
	b.ReportMetric(float64(files.Manifest.Bytes)/1e6, "manifest-MB")
}

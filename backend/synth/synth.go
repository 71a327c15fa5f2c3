// Package synth generates realistic, large dbt projects as artifacts
// (manifest v12, catalog v1, run_results v6, sources v3) for benchmarks and
// demos. Output is streamed to disk and is byte-for-byte deterministic for a
// given Spec.
package synth

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Spec describes the project to generate.
type Spec struct {
	// Models is the number of models (staging + intermediate + marts); at least 20.
	Models int
	// Seed makes the output reproducible: the same Spec writes the same bytes.
	Seed int64
	// ProjectName is the dbt project (and package) name; default "synth_analytics".
	ProjectName string
	// Adapter is "duckdb" (default) or "postgres"; it decides the catalog's
	// type names and the database/schema names.
	Adapter string
	// WithSources also writes sources.json (source freshness results).
	WithSources bool
}

// MinModels is the smallest project Write accepts: below it the layers
// (staging, intermediate hubs, marts hubs) cannot all exist.
const MinModels = 20

// File is one written artifact.
type File struct {
	Path  string
	Bytes int64
}

// Counts is what a generated project contains, by resource type.
type Counts struct {
	Sources, Seeds, Snapshots                       int
	Models, Staging, Intermediate, Marts, Ephemeral int
	GenericTests, SingularTests                     int
	Exposures, SemanticModels, Metrics, Groups      int
	Macros, Docs                                    int
	RunResults                                      int
	RunStatus                                       map[string]int // run_results status -> count
}

// Files lists what Write produced. Sources.Path is empty unless Spec.WithSources.
type Files struct {
	Manifest, Catalog, RunResults, Sources File
	Counts                                 Counts
}

func (s Spec) withDefaults() (Spec, error) {
	if s.Models < MinModels {
		return s, fmt.Errorf("synth spec: Models is %d, want at least %d", s.Models, MinModels)
	}
	if s.ProjectName == "" {
		s.ProjectName = "synth_analytics"
	}
	if s.Adapter == "" {
		s.Adapter = "duckdb"
	}
	if s.Adapter != "duckdb" && s.Adapter != "postgres" {
		return s, fmt.Errorf("synth spec: Adapter %q is not supported, use \"duckdb\" or \"postgres\"", s.Adapter)
	}
	return s, nil
}

// Write generates the project described by spec into dir (created if
// missing) and returns the written files with their sizes and counts.
func Write(dir string, spec Spec) (Files, error) {
	spec, err := spec.withDefaults()
	if err != nil {
		return Files{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Files{}, fmt.Errorf("synth: create %s: %w", dir, err)
	}
	p := newPlan(spec)
	env := newEnvironment(p)
	var files Files
	steps := []struct {
		name string
		out  *File
		fn   func(*jsonWriter)
	}{
		{"manifest.json", &files.Manifest, env.writeManifest},
		{"catalog.json", &files.Catalog, env.writeCatalog},
		{"run_results.json", &files.RunResults, env.writeRunResults},
	}
	if spec.WithSources {
		steps = append(steps, struct {
			name string
			out  *File
			fn   func(*jsonWriter)
		}{"sources.json", &files.Sources, env.writeSources})
	}
	for _, s := range steps {
		f, err := writeFile(filepath.Join(dir, s.name), s.fn)
		if err != nil {
			return Files{}, err
		}
		*s.out = f
	}
	files.Counts = env.counts()
	return files, nil
}

func writeFile(path string, fn func(*jsonWriter)) (File, error) {
	f, err := os.Create(path)
	if err != nil {
		return File{}, fmt.Errorf("synth: create %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	fn(newJSONWriter(bw))
	err = bw.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return File{}, fmt.Errorf("synth: write %s: %w", path, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return File{}, fmt.Errorf("synth: stat %s: %w", path, err)
	}
	return File{Path: path, Bytes: info.Size()}, nil
}

// Summary renders what Write produced for a bench harness or a demo log:
// counts by resource type, run outcomes and file sizes, in a stable order.
func Summary(files Files, elapsed time.Duration) string {
	c := files.Counts
	var b strings.Builder
	fmt.Fprintf(&b, "models %d (staging %d, intermediate %d, marts %d, ephemeral %d)\n",
		c.Models, c.Staging, c.Intermediate, c.Marts, c.Ephemeral)
	fmt.Fprintf(&b, "sources %d, seeds %d, snapshots %d, tests %d generic + %d singular\n",
		c.Sources, c.Seeds, c.Snapshots, c.GenericTests, c.SingularTests)
	fmt.Fprintf(&b, "exposures %d, semantic models %d, metrics %d, groups %d, macros %d, docs %d\n",
		c.Exposures, c.SemanticModels, c.Metrics, c.Groups, c.Macros, c.Docs)
	statuses := make([]string, 0, len(c.RunStatus))
	for s := range c.RunStatus {
		statuses = append(statuses, s)
	}
	sort.Strings(statuses)
	fmt.Fprintf(&b, "run_results %d:", c.RunResults)
	for _, s := range statuses {
		fmt.Fprintf(&b, " %s=%d", s, c.RunStatus[s])
	}
	b.WriteString("\n")
	var total int64
	for _, f := range []File{files.Manifest, files.Catalog, files.RunResults, files.Sources} {
		if f.Path == "" {
			continue
		}
		total += f.Bytes
		fmt.Fprintf(&b, "%-17s %9.2f MB\n", filepath.Base(f.Path), float64(f.Bytes)/1e6)
	}
	if elapsed > 0 {
		fmt.Fprintf(&b, "total %.2f MB in %s (%.1f MB/s)\n", float64(total)/1e6,
			elapsed.Round(time.Millisecond), float64(total)/1e6/elapsed.Seconds())
	}
	return b.String()
}

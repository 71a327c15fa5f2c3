package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// genSet is a generated project kept in the cache.
type genSet struct {
	Models int
	Dir    string
	Files  synth.Files
}

// Bytes is the artifacts' total size.
func (s genSet) Bytes() int64 {
	f := s.Files
	return f.Manifest.Bytes + f.Catalog.Bytes + f.RunResults.Bytes + f.Sources.Bytes
}

// Paths lists the artifact files.
func (s genSet) Paths() []string {
	var out []string
	for _, f := range []synth.File{s.Files.Manifest, s.Files.Catalog, s.Files.RunResults, s.Files.Sources} {
		if f.Path != "" {
			out = append(out, f.Path)
		}
	}
	return out
}

// spec is the Spec of every benchmark set: deterministic, with sources.json.
func spec(models int) synth.Spec { return synth.Spec{Models: models, Seed: 1, WithSources: true} }

// generate writes the project once; later runs reuse it, as long as the
// description written next to it matches the spec and the files' sizes.
func generate(cache string, models int) (genSet, error) {
	dir, err := filepath.Abs(filepath.Join(cache, fmt.Sprintf("synth-%d", models)))
	if err != nil {
		return genSet{}, err
	}
	stamp := filepath.Join(dir, "files.json")
	set := genSet{Models: models, Dir: dir}
	if data, err := os.ReadFile(stamp); err == nil && json.Unmarshal(data, &set.Files) == nil && set.intact() {
		return set, nil
	}
	logf("generating %d models into %s", models, dir)
	if set.Files, err = synth.Write(dir, spec(models)); err != nil {
		return genSet{}, fmt.Errorf("generate %d models: %w", models, err)
	}
	data, err := json.Marshal(set.Files)
	if err != nil {
		return genSet{}, err
	}
	return set, os.WriteFile(stamp, data, 0o644)
}

func (s genSet) intact() bool {
	for _, f := range []synth.File{s.Files.Manifest, s.Files.Catalog, s.Files.RunResults, s.Files.Sources} {
		if f.Path == "" {
			continue
		}
		st, err := os.Stat(f.Path)
		if err != nil || st.Size() != f.Bytes {
			return false
		}
	}
	return s.Files.Manifest.Path != ""
}

package artifact

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Manifest is a parsed manifest.json: every resource it describes, enabled
// ones first-class and disabled ones (Enabled=false) only when no enabled
// resource has the same unique_id.
type Manifest struct {
	Header Header
	// Project is metadata.project_name, or inferred for manifests before v10.
	Project   string
	Resources []backend.Resource // sorted by UniqueID
	Warnings  []string
}

// manifestSections lists the top-level maps holding resources with the
// resource_type of entries that do not say theirs.
func manifestSections() []struct{ key, defaultType string } {
	return []struct{ key, defaultType string }{
		{"nodes", ""},
		{"sources", backend.TypeSource},
		{"exposures", backend.TypeExposure},
		{"metrics", backend.TypeMetric},
		{"semantic_models", backend.TypeSemanticModel},
		{"saved_queries", backend.TypeSavedQuery},
		{"unit_tests", backend.TypeUnitTest},
		{"macros", backend.TypeMacro},
		{"docs", backend.TypeDoc},
		{"groups", backend.TypeGroup},
		{"functions", backend.TypeFunction},
	}
}

// ParseManifest parses manifest.json of any schema version from v1 to v12
// (including dbt Fusion's). It never panics; bad input is an *backend.Error.
func ParseManifest(data []byte) (*Manifest, error) {
	return parseManifest(data, "the manifest")
}

type job struct {
	key, defaultType string
	raw              []byte
	disabled         bool
}

func parseManifest(data []byte, name string) (*Manifest, error) {
	sections, err := topLevel(data, name)
	if err != nil {
		return nil, err
	}
	h, warnings, err := readHeader(sections, backend.ArtifactManifest, name)
	if err != nil {
		return nil, err
	}
	if _, ok := sections["nodes"]; !ok {
		return nil, invalid(nil, "%s has no \"nodes\": it is not a complete dbt manifest; regenerate it with dbt parse, dbt compile or dbt docs generate", name)
	}
	var jobs []job
	for _, s := range manifestSections() {
		err := eachMember(sections[s.key], func(key, value []byte) error {
			jobs = append(jobs, job{key: string(key), defaultType: s.defaultType, raw: value})
			return nil
		})
		if err != nil {
			return nil, invalid(err, "%s: its %q map is malformed: regenerate the manifest with dbt", name, s.key)
		}
	}
	if err := collectDisabled(sections["disabled"], &jobs); err != nil {
		return nil, invalid(err, "%s: its \"disabled\" entry is malformed: regenerate the manifest with dbt", name)
	}
	entries, err := decodeEntries(jobs)
	if err != nil {
		return nil, invalid(err, "%s has a malformed entry: regenerate the manifest with dbt", name)
	}
	m := &Manifest{Header: h, Warnings: warnings}
	m.Resources, m.Warnings = assemble(entries, m.Warnings)
	m.Project = h.ProjectName
	if m.Project == "" {
		m.Project = inferProject(m.Resources, h.ProjectID)
	}
	return m, nil
}

// collectDisabled adds the disabled resources: a list of nodes up to v3, a
// map from unique_id to a list of definitions from v4.
func collectDisabled(v []byte, jobs *[]job) error {
	add := func(key string) func([]byte) error {
		return func(value []byte) error {
			*jobs = append(*jobs, job{key: key, raw: value, disabled: true})
			return nil
		}
	}
	i := skipSpace(v, 0)
	if i < len(v) && v[i] == '[' {
		return eachElement(v, add(""))
	}
	return eachMember(v, func(key, value []byte) error {
		if j := skipSpace(value, 0); j < len(value) && value[j] == '{' {
			return add(string(key))(value)
		}
		return eachElement(value, add(string(key)))
	})
}

// decodeEntries decodes entries on all cores: on a large manifest this is
// most of the import time, and entries are independent.
func decodeEntries(jobs []job) ([]entry, error) {
	entries := make([]entry, len(jobs))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(jobs)/256))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(jobs); i += workers {
				e, err := decodeEntry(jobs[i].raw, jobs[i].key, jobs[i].defaultType)
				if err != nil {
					errs[w] = fmt.Errorf("%s: %w", jobs[i].key, err)
					return
				}
				e.Enabled = !jobs[i].disabled
				entries[i] = e
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return entries, nil
}

// assemble keeps the first definition of each unique_id (enabled ones win
// over disabled ones), resolves test targets and sorts by unique_id.
func assemble(entries []entry, warnings []string) ([]backend.Resource, []string) {
	index := make(map[string]int, len(entries))
	kept := make([]*entry, 0, len(entries))
	skipped, duplicates := 0, 0
	for _, disabled := range []bool{false, true} {
		for i := range entries {
			e := &entries[i]
			if e.Enabled == disabled {
				continue
			}
			if !e.ok || e.UniqueID == "" {
				skipped++
				continue
			}
			if _, dup := index[e.UniqueID]; dup {
				if !disabled {
					duplicates++
				}
				continue
			}
			index[e.UniqueID] = len(kept)
			kept = append(kept, e)
		}
	}
	if skipped > 0 {
		warnings = append(warnings, fmt.Sprintf("the manifest has %d entries that are not resources (not a JSON object or without unique_id); they were skipped", skipped))
	}
	if duplicates > 0 {
		warnings = append(warnings, fmt.Sprintf("the manifest defines %d unique_ids more than once; the first definition of each was kept", duplicates))
	}
	lookup := func(id string) *backend.Resource {
		if i, ok := index[id]; ok {
			return &kept[i].Resource
		}
		return nil
	}
	out := make([]backend.Resource, len(kept))
	for i, e := range kept {
		if e.Test != nil && e.Test.AttachedNode == "" {
			e.Test.AttachedNode = attachedNode(e, lookup)
		}
		out[i] = e.Resource
	}
	slices.SortFunc(out, func(a, b backend.Resource) int { return strings.Compare(a.UniqueID, b.UniqueID) })
	return out, warnings
}

// inferProject finds the root project of a manifest without
// metadata.project_name (before v10). dbt writes metadata.project_id as the
// md5 of the project name, so the package whose name hashes to it is the
// project. Without a project_id: the most common package among nodes,
// preferring packages whose name does not start with "dbt" (dbt's own and
// adapter packages), then the first fqn element.
func inferProject(resources []backend.Resource, projectID string) string {
	counts := map[string]int{}
	hashed := map[string]bool{}
	for i := range resources {
		r := &resources[i]
		if projectID != "" && !hashed[r.Package] {
			hashed[r.Package] = true
			if sum := md5.Sum([]byte(r.Package)); hex.EncodeToString(sum[:]) == projectID {
				return r.Package
			}
		}
		switch r.ResourceType {
		case backend.TypeMacro, backend.TypeDoc, backend.TypeSource:
			continue
		}
		if r.Enabled && r.Package != "" {
			counts[r.Package]++
		}
	}
	best := ""
	for _, preferNonDbt := range []bool{true, false} {
		for pkg, n := range counts {
			if preferNonDbt && strings.HasPrefix(pkg, "dbt") {
				continue
			}
			if best == "" || n > counts[best] || n == counts[best] && pkg < best {
				best = pkg
			}
		}
		if best != "" {
			return best
		}
	}
	for i := range resources {
		if len(resources[i].FQN) > 0 {
			return resources[i].FQN[0]
		}
	}
	return ""
}

package artifact

import (
	"regexp"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// ref('name'), ref('pkg', 'name'), ref('name', v=2) and source('src', 'table')
// as they appear in test kwargs (model, to).
var (
	refCall    = regexp.MustCompile(`ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?(?:,\s*(?:v|version)\s*=\s*['"]?([^'")\s]+)['"]?\s*)?\)`)
	sourceCall = regexp.MustCompile(`source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)`)
)

// attachedNode finds the node a test is about when the manifest does not say
// (attached_node is missing before v9 and null for source tests): the single
// dependency; else the dependency kwargs.model names; else, for a
// relationships test, the dependency that is not the `to` target. Unit tests
// use tested_node_unique_id (Fusion) or their model. "" when ambiguous.
func attachedNode(e *entry, lookup func(string) *backend.Resource) string {
	deps := e.DependsOn
	if e.ResourceType == backend.TypeUnitTest {
		if e.testedNode != "" {
			return e.testedNode
		}
		for _, d := range deps {
			if r := lookup(d); r != nil && r.ResourceType == backend.TypeModel && r.Name == e.testedModel &&
				(e.Version == "" || r.Version == e.Version) {
				return d
			}
		}
	}
	if len(deps) == 1 {
		return deps[0]
	}
	if len(deps) == 0 {
		return ""
	}
	if d := matchCall(e.kwargsModel, deps, lookup); d != "" {
		return d
	}
	if to := matchCall(e.kwargsTo, deps, lookup); to != "" {
		var rest []string
		for _, d := range deps {
			if d != to {
				rest = append(rest, d)
			}
		}
		if len(rest) == 1 {
			return rest[0]
		}
	}
	return ""
}

// matchCall returns the dependency a ref()/source() call in s names.
func matchCall(s string, deps []string, lookup func(string) *backend.Resource) string {
	if s == "" {
		return ""
	}
	if m := sourceCall.FindStringSubmatch(s); m != nil {
		for _, d := range deps {
			if r := lookup(d); r != nil && r.Source != nil && r.Source.SourceName == m[1] && r.Name == m[2] {
				return d
			}
		}
		return ""
	}
	m := refCall.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	pkg, name, version := "", m[1], m[3]
	if m[2] != "" {
		pkg, name = m[1], m[2]
	}
	var found []string
	for _, d := range deps {
		r := lookup(d)
		if r == nil || r.Name != name || pkg != "" && r.Package != pkg {
			continue
		}
		if version != "" && r.Version != versionString([]byte(version)) {
			continue
		}
		found = append(found, d)
	}
	if len(found) > 1 { // versionless ref to a versioned model: the latest version
		for _, d := range found {
			if r := lookup(d); r.LatestVersion == "" || r.Version == r.LatestVersion {
				return d
			}
		}
	}
	if len(found) > 0 {
		return found[0]
	}
	return ""
}

// isTestID tells tests from other resources when the manifest does not know an id.
func isTestID(id string) bool {
	return strings.HasPrefix(id, "test.") || strings.HasPrefix(id, "unit_test.")
}

package artifact

import (
	"regexp"
	"slices"
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
// relationships test, the dependency that is not the `to` target; else, for
// a singular test, the dependency that reads all the others. Unit tests use
// tested_node_unique_id (Fusion) or their model. "" when ambiguous.
func attachedNode(e *entry, lookup func(string) *known) string {
	deps := e.DependsOn
	if e.ResourceType == backend.TypeUnitTest {
		if e.testedNode != "" {
			return e.testedNode
		}
		for _, d := range deps {
			if r := lookup(d); r != nil && r.resourceType == backend.TypeModel && r.name == e.testedModel &&
				(e.Version == "" || r.version == e.Version) {
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
	if e.Test != nil && e.Test.TestType == "singular" {
		return readerOfTheOthers(deps, lookup)
	}
	return ""
}

// readerOfTheOthers is the one dependency that reads every other one
// directly, "" when none or several do. A singular test that refs a model
// and its input (claim counts before and after normalising) tests that
// model: dbt attaches it to nothing, and its failure showed on no node.
func readerOfTheOthers(deps []string, lookup func(string) *known) string {
	found := ""
	for _, d := range deps {
		r := lookup(d)
		if r == nil {
			continue
		}
		readsAll := true
		for _, other := range deps {
			if other != d && !slices.Contains(r.parents, other) {
				readsAll = false
				break
			}
		}
		if readsAll {
			if found != "" {
				return ""
			}
			found = d
		}
	}
	return found
}

// matchCall returns the dependency a ref()/source() call in s names.
func matchCall(s string, deps []string, lookup func(string) *known) string {
	if s == "" {
		return ""
	}
	if m := sourceCall.FindStringSubmatch(s); m != nil {
		for _, d := range deps {
			if r := lookup(d); r != nil && r.isSource && r.sourceName == m[1] && r.name == m[2] {
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
		if r == nil || r.name != name || pkg != "" && r.pkg != pkg {
			continue
		}
		if version != "" && r.version != versionString([]byte(version)) {
			continue
		}
		found = append(found, d)
	}
	if len(found) > 1 { // versionless ref to a versioned model: the latest version
		for _, d := range found {
			if r := lookup(d); r.latestVersion == "" || r.version == r.latestVersion {
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

// known is what attaching tests and reading the other artifacts need to
// know about a resource once its entry is gone.
type known struct {
	resourceType, name, pkg, version, latestVersion string
	isSource                                        bool
	sourceName                                      string
	parents                                         []string // a model's or snapshot's depends_on (readerOfTheOthers)
}

func knownOf(r *backend.Resource) known {
	k := known{resourceType: r.ResourceType, name: r.Name, pkg: r.Package, version: r.Version, latestVersion: r.LatestVersion}
	if r.ResourceType == backend.TypeModel || r.ResourceType == backend.TypeSnapshot {
		k.parents = r.DependsOn
	}
	if r.Source != nil {
		k.isSource, k.sourceName = true, r.Source.SourceName
	}
	return k
}

// needsEveryResource tells the tests attachedNode must look other
// resources up for (which may come later in the file) from those it
// attaches from their own entry.
func needsEveryResource(e *entry) bool {
	if e.ResourceType == backend.TypeUnitTest {
		return e.testedNode == ""
	}
	return len(e.DependsOn) > 1
}

package artifact

import (
	"crypto/md5"
	"encoding/hex"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// projectTally gathers, resource by resource, what inferring the root
// project of a manifest without metadata.project_name (before v10) needs.
type projectTally struct {
	packages map[string]bool // every package named
	counts   map[string]int  // enabled resources per package, without macros, docs and sources
	// firstFQN is the fqn root of the resource with the smallest unique_id
	// that has an fqn, and firstID that unique_id.
	firstID, firstFQN string
}

func newProjectTally() projectTally {
	return projectTally{packages: map[string]bool{}, counts: map[string]int{}}
}

func (t *projectTally) add(r *backend.Resource) {
	t.packages[r.Package] = true
	switch r.ResourceType {
	case backend.TypeMacro, backend.TypeDoc, backend.TypeSource:
	default:
		if r.Enabled && r.Package != "" {
			t.counts[r.Package]++
		}
	}
	if len(r.FQN) > 0 && (t.firstID == "" || r.UniqueID < t.firstID) {
		t.firstID, t.firstFQN = r.UniqueID, r.FQN[0]
	}
}

// infer finds the root project. dbt writes metadata.project_id as the md5
// of the project name, so the package whose name hashes to it is the
// project. Without a project_id: the most common package among nodes,
// preferring packages whose name does not start with "dbt" (dbt's own and
// adapter packages), then the fqn root of the first resource.
func (t *projectTally) infer(projectID string) string {
	if projectID != "" {
		for pkg := range t.packages {
			if sum := md5.Sum([]byte(pkg)); hex.EncodeToString(sum[:]) == projectID {
				return pkg
			}
		}
	}
	best := ""
	for _, preferNonDbt := range []bool{true, false} {
		for pkg, n := range t.counts {
			if preferNonDbt && strings.HasPrefix(pkg, "dbt") {
				continue
			}
			if best == "" || n > t.counts[best] || n == t.counts[best] && pkg < best {
				best = pkg
			}
		}
		if best != "" {
			return best
		}
	}
	return t.firstFQN
}

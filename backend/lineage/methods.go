package lineage

import (
	"iter"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// pattern matches a string the way Python's fnmatch does (dbt's matcher):
// * any run of characters (dots and slashes included), ? one character,
// [abc] / [!abc] a set. Without wildcards it is plain equality.
type pattern struct {
	literal string
	re      *regexp.Regexp
}

func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?[") }

func newPattern(s string) pattern {
	if !hasWildcard(s) {
		return pattern{literal: s}
	}
	var b strings.Builder
	b.WriteString(`^(?s:`)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*':
			// A run of stars is one: each would add a state to every step
			// of the match (250 of them took 10 s over 5,000 models).
			for i+1 < len(s) && s[i+1] == '*' {
				i++
			}
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		case '[':
			j := strings.IndexByte(s[i+1:], ']')
			if j < 0 {
				b.WriteString(`\[`)
				continue
			}
			set := s[i+1 : i+1+j]
			if set == "" || set == "!" { // "[]" / "[!]": fnmatch treats these literally
				b.WriteString(regexp.QuoteMeta(s[i : i+2+j]))
				i += 1 + j
				continue
			}
			b.WriteByte('[')
			if set[0] == '!' {
				b.WriteByte('^')
				set = set[1:]
			}
			b.WriteString(strings.ReplaceAll(set, `\`, `\\`))
			b.WriteByte(']')
			i += 1 + j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`)$`)
	re, err := regexp.Compile(b.String())
	if err != nil { // a malformed set such as [z-a]: match it literally, as fnmatch would find nothing
		return pattern{literal: s}
	}
	return pattern{re: re}
}

func (p pattern) match(s string) bool {
	if p.re == nil {
		return s == p.literal
	}
	return p.re.MatchString(s)
}

// matchFQN is dbt's qualified-name rule: the last fqn part equals the
// selector (for versioned models, the name selects every version and
// "name.v2" one), or the selector's dot-separated parts are a prefix of the
// flattened fqn, with a wildcard part matching the rest with fnmatch.
func matchFQN(fqn []string, sel string, selParts []string, rest pattern, wildAt int, versioned bool) bool {
	if len(fqn) == 0 {
		return false
	}
	if versioned && len(fqn) >= 2 {
		if fqn[len(fqn)-2] == sel {
			return true
		}
		// "name.v2" or "name_v2": the last two parts joined either way.
		last2 := fqn[len(fqn)-2] + "_" + fqn[len(fqn)-1]
		if last2 == sel || len(selParts) >= 2 && last2 == selParts[len(selParts)-2]+"_"+selParts[len(selParts)-1] {
			return true
		}
	} else if fqn[len(fqn)-1] == sel {
		return true
	}
	flat := flatten(fqn)
	if len(flat) < len(selParts) {
		return false
	}
	for i, part := range selParts {
		if i == wildAt {
			return rest.match(strings.Join(flat[i:], "."))
		}
		if flat[i] != part {
			return false
		}
	}
	return true
}

// flatten splits fqn parts on dots ("dots in model names act as namespace
// separators"); it returns fqn itself when no part has a dot.
func flatten(fqn []string) []string {
	for _, p := range fqn {
		if strings.Contains(p, ".") {
			var out []string
			for _, q := range fqn {
				out = append(out, strings.Split(q, ".")...)
			}
			return out
		}
	}
	return fqn
}

// fqnMatcher prepares sel for matchFQN; it never matches a source.
func fqnMatcher(sel string) func(n *backend.GraphNode) bool {
	parts := strings.Split(sel, ".")
	wildAt := -1
	var rest pattern
	for i, p := range parts {
		if hasWildcard(p) || strings.Contains(p, "]") {
			wildAt = i
			rest = newPattern(strings.Join(parts[i:], "."))
			break
		}
	}
	return func(n *backend.GraphNode) bool {
		// As dbt's qualified-name method, which searches every node but
		// sources: those are selected by source: only.
		if n.ResourceType == backend.TypeSource {
			return false
		}
		versioned := isVersioned(n)
		if matchFQN(n.FQN, sel, parts, rest, wildAt, versioned) {
			return true
		}
		// dbt also matches the fqn without its package, across packages.
		return len(n.FQN) > 1 && matchFQN(n.FQN[1:], sel, parts, rest, wildAt, versioned)
	}
}

// pathMatcher is dbt's path rule for one project: the file itself or any
// folder above it is the selector (a glob, where * stays within one folder
// and ** spans any number of them, as in Python's pathlib), or it names the
// YAML file documenting the node.
func pathMatcher(sel string) func(n *backend.GraphNode) bool {
	found := pathGlob(sel)
	return func(n *backend.GraphNode) bool {
		return n.PatchPath != "" && found(n.PatchPath) || anyFolderOf(n.Path, found)
	}
}

// pathGlob tells whether a path (a file or a folder, relative to its
// project) is one the path selector sel finds.
func pathGlob(sel string) func(p string) bool {
	sel = strings.TrimSuffix(strings.TrimPrefix(strings.ReplaceAll(sel, `\`, "/"), "./"), "/")
	glob := strings.Split(sel, "/")
	return func(p string) bool { return p == sel || matchPathGlob(glob, strings.Split(p, "/")) }
}

// anyFolderOf tells whether found takes file or a folder above it.
func anyFolderOf(file string, found func(p string) bool) bool {
	for p := range fileAndFolders(file) {
		if found(p) {
			return true
		}
	}
	return false
}

// fileAndFolders yields file, then each folder above it (a/b/c.sql, a/b, a).
func fileAndFolders(file string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for p := file; p != "" && p != "."; p = path.Dir(p) {
			if !yield(p) || !strings.Contains(p, "/") {
				return
			}
		}
	}
}

// rootPathMatcher is dbt's path method on a project with packages: dbt
// globs the selector in the root project's folder, then selects every node
// whose file, a folder above it or documenting YAML file is a path it
// found. A package's node has its path relative to its package, so it is
// selected where the root project has that same path: path:models takes
// the packages' models too when the root project has a models folder,
// and path:models/tmp nothing when only a package has one. The root
// project's paths are those its own nodes lie in.
func rootPathMatcher(sel string, nodes []backend.GraphNode, root string) func(n *backend.GraphNode) bool {
	own := pathMatcher(sel)
	found := pathGlob(sel)
	inRoot := map[string]bool{}
	for i := range nodes {
		n := &nodes[i]
		if n.Package != root {
			continue
		}
		if n.PatchPath != "" && found(n.PatchPath) {
			inRoot[n.PatchPath] = true
		}
		for p := range fileAndFolders(n.Path) {
			if found(p) {
				inRoot[p] = true
			}
		}
	}
	return func(n *backend.GraphNode) bool {
		if n.Package == root {
			return own(n)
		}
		return n.PatchPath != "" && inRoot[n.PatchPath] || anyFolderOf(n.Path, func(p string) bool { return inRoot[p] })
	}
}

// matchPathGlob matches path segments against glob segments: "**" takes
// any number of segments (none too), any other glob segment one segment.
// ok[j] says whether the glob segments so far match segs[:j]; one pass per
// glob segment keeps it linear in both, however many "**" a selector has.
func matchPathGlob(glob, segs []string) bool {
	ok := make([]bool, len(segs)+1)
	ok[0] = true
	for _, g := range glob {
		next := make([]bool, len(segs)+1)
		for j := range ok {
			switch {
			case g == "**":
				// Any earlier match extends over the segments after it.
				next[j] = ok[j] || j > 0 && next[j-1]
			case j > 0 && ok[j-1]:
				matched, _ := path.Match(g, segs[j-1])
				next[j] = matched
			}
		}
		ok = next
	}
	return ok[len(segs)]
}

// fileMatcher is dbt's file rule: the file name, with or without extension.
func fileMatcher(sel string) func(n *backend.GraphNode) bool {
	p := newPattern(sel)
	return func(n *backend.GraphNode) bool {
		if n.Path == "" {
			return false
		}
		base := path.Base(n.Path)
		return p.match(base) || p.match(strings.TrimSuffix(base, path.Ext(base)))
	}
}

// namedMatcher selects resources of one type by "name" or "package.name"
// (and a unit test by "package.model.name" too).
func namedMatcher(resourceType, sel string) func(n *backend.GraphNode) bool {
	parts := strings.Split(sel, ".")
	fqn := fqnMatcher(sel)
	pkg, name := pattern{}, newPattern(parts[len(parts)-1])
	qualified := len(parts) == 2 || len(parts) == 3 && resourceType == backend.TypeUnitTest
	if qualified {
		// dbt's unit_test:PACKAGE.MODEL.NAME reads the package and the name
		// only (UnitTestSelectorMethod).
		pkg = newPattern(parts[0])
	}
	return func(n *backend.GraphNode) bool {
		if n.ResourceType != resourceType {
			return false
		}
		switch {
		case n.Name == sel: // names may contain dots or spaces
			return true
		case len(parts) == 1:
			return name.match(n.Name)
		case qualified && pkg.match(n.Package) && name.match(n.Name):
			return true
		}
		return fqn(n)
	}
}

// sourceMatcher: "source_name", "source_name.table" or "package.source_name.table".
func sourceMatcher(sel string) func(n *backend.GraphNode) bool {
	parts := strings.Split(sel, ".")
	pats := make([]pattern, len(parts))
	for i, p := range parts {
		pats[i] = newPattern(p)
	}
	return func(n *backend.GraphNode) bool {
		if n.ResourceType != backend.TypeSource {
			return false
		}
		switch len(parts) {
		case 1:
			return pats[0].match(n.SourceName)
		case 2:
			return pats[0].match(n.SourceName) && pats[1].match(n.Name)
		case 3:
			return pats[0].match(n.Package) && pats[1].match(n.SourceName) && pats[2].match(n.Name)
		}
		return false
	}
}

// isVersioned is dbt's BaseNode.is_versioned: only models have versions
// (a unit test of a versioned model carries the model's version, but its
// name is matched as any other node's).
func isVersioned(n *backend.GraphNode) bool {
	return n.ResourceType == backend.TypeModel && n.Version != ""
}

func isTest(n *backend.GraphNode) bool {
	return n.ResourceType == backend.TypeTest || n.ResourceType == backend.TypeUnitTest
}

func testTypeMatcher(sel string) (func(n *backend.GraphNode) bool, error) {
	switch sel {
	case "schema": // dbt's older name for generic, still taken
		return testTypeMatcher("generic")
	case "generic", "singular":
		return func(n *backend.GraphNode) bool { return n.ResourceType == backend.TypeTest && n.TestType == sel }, nil
	case "data":
		return func(n *backend.GraphNode) bool { return n.ResourceType == backend.TypeTest }, nil
	case "unit":
		return func(n *backend.GraphNode) bool { return n.ResourceType == backend.TypeUnitTest }, nil
	}
	return nil, invalid("test_type:%s is not a test type: use generic (or schema), singular, data (generic and singular) or unit", sel)
}

// resourceTypes are the types a lineage node can have: every stored type
// but macros, docs and groups.
func resourceTypes() []string {
	return slices.DeleteFunc(backend.ResourceTypes(), func(t string) bool {
		return t == backend.TypeMacro || t == backend.TypeDoc || t == backend.TypeGroup
	})
}

// versionLess orders dbt model versions: numerically when both are numbers.
func versionLess(a, b string) bool {
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil {
		return fa < fb
	}
	return a < b
}

func sameVersion(a, b string) bool {
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil {
		return fa == fb
	}
	return a == b
}

package lineage

import (
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// The node fields that some selector methods read alone (see
// attributeOf). A store can keep each one's distinct values and answer
// those methods by evaluating them once per value (MatchAttribute).
const (
	AttributePath         = "path"
	AttributePackage      = "package"
	AttributeTags         = "tags"
	AttributeGroup        = "group"
	AttributeAccess       = "access"
	AttributeMaterialized = "materialized"
	// AttributeConfig is any other config.<key>: the store keeps each
	// node's config apart and asks MatchConfigValues which values match.
	AttributeConfig = "config"
)

// AttributeFields lists the fields a store indexes for MatchAttribute.
func AttributeFields() []string {
	return []string{AttributePath, AttributePackage, AttributeTags, AttributeGroup, AttributeAccess, AttributeMaterialized}
}

// AttributeValues returns what node n holds in field: one value, or the
// tags (none, one or several). For path, the file path and, marked (see
// patchPathMark), the YAML file documenting the node.
func AttributeValues(n *backend.GraphNode, field string) []string {
	switch field {
	case AttributePath:
		if n.PatchPath != "" {
			return []string{n.Path, patchPathMark + n.PatchPath}
		}
		return []string{n.Path}
	case AttributePackage:
		return []string{n.Package}
	case AttributeTags:
		return n.Tags
	case AttributeGroup:
		return []string{n.Group}
	case AttributeAccess:
		return []string{n.Access}
	case AttributeMaterialized:
		return []string{n.Materialized}
	}
	return nil
}

// patchPathMark tells a patch path from a file path among the values of
// the path attribute; no file path starts with a NUL.
const patchPathMark = "\x00patch:"

// attributeOf returns the one field method's predicate reads (see
// evaluator.predicate and configPredicate), or "" when it reads more.
// For tags, a node matches when any of its tags does.
func attributeOf(method string) string {
	switch method {
	case "tag": // config.tags: reads the config's own (a source's tags before dbt 1.10, a hook's, are not in it)
		return AttributeTags
	case "path", "file":
		return AttributePath
	case "package":
		return AttributePackage
	case "group", "config.group":
		return AttributeGroup
	case "access", "config.access":
		return AttributeAccess
	case "config.materialized":
		return AttributeMaterialized
	}
	if key, ok := strings.CutPrefix(method, "config."); ok && !slices.Contains(strings.Split(key, "."), "") {
		return AttributeConfig
	}
	return ""
}

// MatchAttribute tells, for each of values (the distinct values of the
// field a ReachTerm's Attribute names), whether method with value matches
// a node that holds it. It fails as Select would on a bad value.
func MatchAttribute(method, value, field string, values []string) ([]bool, error) {
	ev := &evaluator{g: New(&backend.GraphData{})}
	pred, err := ev.predicate(atom{text: method + ":" + value, method: method, value: value})
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(values))
	for i, v := range values {
		var n backend.GraphNode
		switch field {
		case AttributePath:
			if patch, ok := strings.CutPrefix(v, patchPathMark); ok {
				n.PatchPath = patch
			} else {
				n.Path = v
			}
		case AttributePackage:
			n.Package = v
		case AttributeTags:
			n.Tags = []string{v}
		case AttributeGroup:
			n.Group = v
		case AttributeAccess:
			n.Access = v
		case AttributeMaterialized:
			n.Materialized = v
		}
		out[i] = pred(&n)
	}
	return out, nil
}

// MatchConfigValues tells, for each of values (the distinct values a
// snapshot's configs hold at the key of the config.<key> method, as
// encoding/json decodes them), whether method with value matches a node
// whose config holds it, as configPredicate does.
func MatchConfigValues(method, value string, values []any) []bool {
	foldCase := method == "config.severity"
	out := make([]bool, len(values))
	for i, v := range values {
		out[i] = configValueMatches(v, value, foldCase)
	}
	return out
}

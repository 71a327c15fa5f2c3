package artifact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// readSelectors reads the manifest's "selectors" map: the project's YAML
// selectors, name -> {name, definition, default, description}. They are
// an extra, so a malformed map or entry is a warning, never an error.
func readSelectors(raw []byte, name string, warnings []string) ([]backend.NamedSelector, []string) {
	if len(raw) == 0 || isNull(raw) {
		return nil, warnings
	}
	var entries map[string]json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, append(warnings, fmt.Sprintf("%s: its \"selectors\" are not a JSON object; the project's YAML selectors were left out", name))
	}
	var out []backend.NamedSelector
	var bad []string
	for key, e := range entries {
		var sel struct {
			Name        string          `json:"name"`
			Description *string         `json:"description"`
			Default     any             `json:"default"`
			Definition  json.RawMessage `json:"definition"`
		}
		if err := json.Unmarshal(e, &sel); err != nil || len(sel.Definition) == 0 || isNull(sel.Definition) {
			bad = append(bad, key)
			continue
		}
		ns := backend.NamedSelector{Name: sel.Name, Definition: bytes.Clone(sel.Definition)}
		if ns.Name == "" {
			ns.Name = key
		}
		if sel.Description != nil {
			ns.Description = *sel.Description
		}
		ns.Default = sel.Default == true // dbt also allows a Jinja expression here; only true counts
		out = append(out, ns)
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		warnings = append(warnings, fmt.Sprintf("%s: %d YAML selectors have no readable definition and were left out: %s", name, len(bad), strings.Join(bad, ", ")))
	}
	slices.SortStableFunc(out, func(a, b backend.NamedSelector) int { return strings.Compare(a.Name, b.Name) })
	// A name given twice (under two keys) is kept once.
	out = slices.CompactFunc(out, func(a, b backend.NamedSelector) bool { return a.Name == b.Name })
	return out, warnings
}

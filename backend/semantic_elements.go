package backend

import "encoding/json"

// A SemanticElement is an entity, dimension or measure of a semantic model
// (dbt 1.6+): what an analyst asks the semantic layer for by name, and so
// what search finds the semantic model by, as it finds a model by its
// columns.
type SemanticElement struct {
	Kind        string // entity, dimension or measure
	Name        string
	Description string
}

// SemanticElementsOf reads a semantic model's elements from its manifest
// JSON: its entities, then its dimensions, then its measures, each list in
// its order. What it cannot read (another resource's JSON, a list that is
// not one, a description that is not a string) gives nothing rather than
// an error: the elements only add to what search finds.
func SemanticElementsOf(raw json.RawMessage) []SemanticElement {
	type element struct {
		Name        string          `json:"name"`
		Description json.RawMessage `json:"description"`
	}
	var lists map[string]json.RawMessage
	if json.Unmarshal(raw, &lists) != nil {
		return nil
	}
	var out []SemanticElement
	for _, kind := range []struct{ list, name string }{{"entities", "entity"}, {"dimensions", "dimension"}, {"measures", "measure"}} {
		var elements []element
		if json.Unmarshal(lists[kind.list], &elements) != nil {
			continue
		}
		for _, e := range elements {
			if e.Name == "" {
				continue
			}
			var description string
			_ = json.Unmarshal(e.Description, &description) // not a string: none
			out = append(out, SemanticElement{Kind: kind.name, Name: e.Name, Description: description})
		}
	}
	return out
}

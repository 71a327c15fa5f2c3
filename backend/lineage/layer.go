package lineage

import (
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// GroupByLayer collapses a selection into the layers of dbt's recommended
// project structure: sources, staging, intermediate, marts, exposures.
const GroupByLayer = "layer"

// Model layers, as dbt's guide to structuring a project names them and
// dbt Explorer's model layer lens infers them.
const (
	layerStaging      = "staging"
	layerIntermediate = "intermediate"
	layerMarts        = "marts"
	layerOtherModels  = "other models"
)

// modelPrefixes: a model's name prefix says its layer (stg_orders), the
// convention dbt's guide sets; base_ models are staging's own sub-layer.
var modelPrefixes = []struct{ prefix, layer string }{
	{"stg_", layerStaging}, {"base_", layerStaging},
	{"int_", layerIntermediate},
	{"fct_", layerMarts}, {"dim_", layerMarts},
}

// modelFolders: without a prefix, the folder it is in (models/marts/finance/orders.sql).
var modelFolders = map[string]string{
	"staging": layerStaging, "base": layerStaging,
	"intermediate": layerIntermediate,
	"marts":        layerMarts, "mart": layerMarts,
}

// typeLayers: every other resource type is a layer of its own.
var typeLayers = map[string]string{
	backend.TypeSource:        "sources",
	backend.TypeSeed:          "seeds",
	backend.TypeSnapshot:      "snapshots",
	backend.TypeExposure:      "exposures",
	backend.TypeMetric:        "semantic layer",
	backend.TypeSemanticModel: "semantic layer",
	backend.TypeSavedQuery:    "semantic layer",
	backend.TypeAnalysis:      "analyses",
	backend.TypeOperation:     "operations",
	backend.TypeFunction:      "functions",
}

// modelLayer is a model's layer: by its name's prefix, else by the folder
// nearest its file among staging, intermediate and marts, else "other models".
func modelLayer(n *backend.GraphNode) string {
	name := strings.ToLower(n.Name)
	for _, p := range modelPrefixes {
		if strings.HasPrefix(name, p.prefix) {
			return p.layer
		}
	}
	dirs := strings.Split(strings.ToLower(n.Path), "/")
	for i := len(dirs) - 2; i >= 0; i-- { // the last part is the file
		if layer, ok := modelFolders[dirs[i]]; ok {
			return layer
		}
	}
	return layerOtherModels
}

// layerOf is a node's layer. A test goes with the node it tests: the one
// it is attached to (a relationships test's model), else its only parent
// (manifests before dbt 1.0 attach none); a test of no single node is in
// "tests".
func (g *Graph) layerOf(n *backend.GraphNode) string {
	switch n.ResourceType {
	case backend.TypeModel:
		return modelLayer(n)
	case backend.TypeUnitTest:
		if model := g.testedModel(n); model != nil {
			return modelLayer(model)
		}
		return "tests"
	case backend.TypeTest:
		tested, ok := g.Node(n.AttachedNode)
		if !ok {
			tested = g.onlyParent(n)
		}
		if tested == nil || tested.ResourceType == backend.TypeTest {
			return "tests"
		}
		return g.layerOf(tested)
	}
	if layer, ok := typeLayers[n.ResourceType]; ok {
		return layer
	}
	return n.ResourceType
}

// onlyParent is n's parent when it has exactly one, else nil.
func (g *Graph) onlyParent(n *backend.GraphNode) *backend.GraphNode {
	parents := g.parents[g.index[n.UniqueID]]
	if len(parents) != 1 {
		return nil
	}
	return &g.nodes[parents[0]]
}

package columnlineage

import (
	"context"
	"slices"
	"sync"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/sqlparse"
)

// Snapshot is what a Project reads of one snapshot.
type Snapshot interface {
	// CodeNodes returns the nodes of ids the snapshot holds, in their order.
	CodeNodes(ctx context.Context, ids []string) ([]backend.CodeNode, error)
	// SemanticLayer returns the unique_ids of the snapshot's semantic
	// models, metrics and saved queries: a metric's filter or a saved
	// query names dimensions and entities of any semantic model, without
	// naming it among its dependencies.
	SemanticLayer(ctx context.Context) ([]string, error)
}

// Project is one snapshot's column lineage, read node by node as traces
// reach them, and kept: a snapshot never changes.
type Project struct {
	snapshot Snapshot
	dialect  sqlparse.Dialect

	mu       sync.Mutex
	nodes    map[string]*backend.CodeNode // nil value: the snapshot has no such node
	analyzed map[string]*backend.NodeColumns
	// semanticLayer holds the ids of the snapshot's semantic models,
	// metrics and saved queries once read (loaded as nodes), nil before.
	semanticLayer []string
	layer         *semanticLayer // built from them at the first need
}

// NewProject reads a snapshot's column lineage, its SQL in the dialect of
// the snapshot's adapter.
func NewProject(snapshot Snapshot, dialect sqlparse.Dialect) *Project {
	return &Project{snapshot: snapshot, dialect: dialect, nodes: map[string]*backend.CodeNode{}, analyzed: map[string]*backend.NodeColumns{}}
}

// madeFromParents says whether a resource type's columns are made from
// its parents' columns: by SQL of its own (models, snapshots, analyses),
// or by the semantic layer's expressions (semantic models, metrics).
func madeFromParents(resourceType string) bool {
	switch resourceType {
	case "model", "snapshot", "analysis", backend.TypeSemanticModel, backend.TypeMetric, backend.TypeSavedQuery:
		return true
	}
	return false
}

// ensure loads the nodes of ids not loaded yet.
func (p *Project) ensure(ctx context.Context, ids []string) error {
	p.mu.Lock()
	var missing []string
	for _, id := range ids {
		if _, ok := p.nodes[id]; !ok && !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	p.mu.Unlock()
	if len(missing) == 0 {
		return nil
	}
	loaded, err := p.snapshot.CodeNodes(ctx, missing)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range missing {
		p.nodes[id] = nil
	}
	for i := range loaded {
		p.nodes[loaded[i].UniqueID] = &loaded[i]
	}
	return nil
}

// Size is how many nodes the project holds in memory.
func (p *Project) Size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.nodes)
}

func (p *Project) node(id string) *backend.CodeNode {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.nodes[id]
}

// Node returns a node of the snapshot, or false when it holds none by that id.
func (p *Project) Node(ctx context.Context, id string) (backend.CodeNode, bool, error) {
	if err := p.ensure(ctx, []string{id}); err != nil {
		return backend.CodeNode{}, false, err
	}
	n := p.node(id)
	if n == nil {
		return backend.CodeNode{}, false, nil
	}
	return *n, true, nil
}

// Columns returns how the columns of the nodes ids are made from their
// parents' columns; a node without SQL of its own (a source, a seed) lists
// its columns with no sources. Ids the snapshot does not hold are left out.
func (p *Project) Columns(ctx context.Context, ids []string) ([]*backend.NodeColumns, error) {
	if err := p.ensure(ctx, ids); err != nil {
		return nil, err
	}
	var parents []string
	for _, id := range ids {
		if n := p.node(id); n != nil && madeFromParents(n.ResourceType) {
			parents = append(parents, n.DependsOn...)
		}
	}
	if err := p.ensure(ctx, parents); err != nil {
		return nil, err
	}
	// An ephemeral parent's SQL is injected as a CTE, with the relations
	// its own parents are read from: those are loaded too, however deep.
	for seen, next := map[string]bool{}, parents; len(next) > 0; {
		var deeper []string
		for _, id := range next {
			if n := p.node(id); n != nil && n.Materialized == "ephemeral" && !seen[id] {
				seen[id] = true
				deeper = append(deeper, n.DependsOn...)
			}
		}
		if err := p.ensure(ctx, deeper); err != nil {
			return nil, err
		}
		next = deeper
	}
	if err := p.ensureSemanticLayer(ctx, ids); err != nil {
		return nil, err
	}
	out := make([]*backend.NodeColumns, 0, len(ids))
	for _, id := range ids {
		if nc := p.analyze(id); nc != nil {
			out = append(out, nc)
		}
	}
	return out, nil
}

// analyze reads one loaded node's column lineage, once.
func (p *Project) analyze(id string) *backend.NodeColumns {
	p.mu.Lock()
	if nc, ok := p.analyzed[id]; ok {
		p.mu.Unlock()
		return nc
	}
	n := p.nodes[id]
	var parents []backend.CodeNode
	var layer *semanticLayer
	if n != nil {
		// Its parents, and an ephemeral parent's own, however deep: the
		// relations in the CTEs dbt injected for them are the project's
		// (QA: they were read as relations outside it).
		seen := map[string]bool{}
		next := n.DependsOn
		for len(next) > 0 {
			var deeper []string
			for _, pid := range next {
				if pn := p.nodes[pid]; pn != nil && !seen[pid] {
					seen[pid] = true
					parents = append(parents, *pn)
					if pn.Materialized == "ephemeral" {
						deeper = append(deeper, pn.DependsOn...)
					}
				}
			}
			next = deeper
		}
		if readsSemanticLayer(n.ResourceType) {
			if p.layer == nil {
				p.layer = newSemanticLayer(p.semanticLayer, p.nodes)
			}
			layer = p.layer
		}
	}
	p.mu.Unlock()
	if n == nil {
		return nil
	}
	var nc backend.NodeColumns
	switch {
	case n.ResourceType == backend.TypeSemanticModel:
		nc = analyzeSemanticModel(*n, parents, p.dialect)
	case n.ResourceType == backend.TypeMetric:
		nc = analyzeMetric(*n, parents, layer, p.dialect)
	case n.ResourceType == backend.TypeSavedQuery:
		nc = analyzeSavedQuery(*n, layer)
	case madeFromParents(n.ResourceType):
		nc = Analyze(*n, parents, p.dialect)
	default:
		nc = backend.NodeColumns{Node: id, Columns: make([]backend.OutputColumn, 0, len(n.Columns))}
		for _, c := range n.Columns {
			nc.Columns = append(nc.Columns, backend.OutputColumn{Name: c.Name, Sources: []backend.ColumnSource{}})
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if prior, ok := p.analyzed[id]; ok {
		return prior // analysed meanwhile by another trace
	}
	p.analyzed[id] = &nc
	return &nc
}

// readsSemanticLayer says whether a resource type's columns or reads name
// elements of any semantic model: a metric's filters, a saved query's
// group-by and filter.
func readsSemanticLayer(resourceType string) bool {
	return resourceType == backend.TypeMetric || resourceType == backend.TypeSavedQuery
}

// ensureSemanticLayer loads, when ids hold a metric or a saved query,
// what they may name: the snapshot's semantic layer.
func (p *Project) ensureSemanticLayer(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if n := p.node(id); n != nil && readsSemanticLayer(n.ResourceType) {
			_, err := p.semanticLayerIDs(ctx)
			return err
		}
	}
	return nil
}

// semanticLayerIDs returns the ids of the snapshot's semantic models,
// metrics and saved queries, loaded, read once.
func (p *Project) semanticLayerIDs(ctx context.Context) ([]string, error) {
	p.mu.Lock()
	ids := p.semanticLayer
	p.mu.Unlock()
	if ids != nil {
		return ids, nil
	}
	ids, err := p.snapshot.SemanticLayer(ctx)
	if err != nil {
		return nil, err
	}
	if err := p.ensure(ctx, ids); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.semanticLayer = append([]string{}, ids...)
	return p.semanticLayer, nil
}

// semanticReaders returns the ids of the snapshot's metrics and saved
// queries: a metric's filter or a saved query's group-by reads dimensions
// of semantic models its dependencies need not name.
func (p *Project) semanticReaders(ctx context.Context) ([]string, error) {
	ids, err := p.semanticLayerIDs(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, id := range ids {
		if n := p.node(id); n != nil && readsSemanticLayer(n.ResourceType) {
			out = append(out, id)
		}
	}
	return out, nil
}

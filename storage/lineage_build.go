package storage

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lineagedesk/lineagedesk/backend"
)

// graphBuilder collects a snapshot's lineage from the resources as the
// writer stores them, so that the lineage copy and the reach index can be
// built and encoded on the idle core while the writer goes on, instead of
// reading the rows back at the end (0.7-1 s of the writer's time at 10k
// models). What it builds must be exactly what graphFromRows reads from
// those rows: TestLineageBuiltWhileWritingMatchesRows compares the two.
type graphBuilder struct {
	// The nodes in chunks of graphChunk: one growing slice of 400-byte
	// nodes cost the writer 0.25 s of copying at 10k models.
	chunks [][]backend.GraphNode
	count  int
	// digests are what state: compares of each node and macro (digests.go).
	digests snapshotDigests
	// configs are what config.<key>: reads (config_index.go).
	configs configCollector
	// dangling counts the dependencies build found naming a node the
	// manifest does not hold (left out of the lineage), with the first as
	// an example.
	dangling        int
	danglingExample string
	outside         map[string]bool // resources held but not lineage nodes (disabled, macros, docs)
	disabled        map[string]bool
	// toDisabled counts enabled nodes' dependencies on disabled ones, which
	// the lineage leaves out as dbt does, with the first as an example.
	toDisabled        int
	toDisabledExample string
}

// danglingWarnings say which dependencies build left out.
func (b *graphBuilder) danglingWarnings() []string {
	var out []string
	if b.dangling > 0 {
		what := fmt.Sprintf("%d dependencies name nodes", b.dangling)
		if b.dangling == 1 {
			what = "1 dependency names a node"
		}
		out = append(out, fmt.Sprintf("the manifest: %s it does not hold (%s): left out of the lineage; regenerate the manifest with dbt", what, b.danglingExample))
	}
	if b.toDisabled > 0 {
		what := fmt.Sprintf("%d dependencies name disabled nodes", b.toDisabled)
		if b.toDisabled == 1 {
			what = "1 dependency names a disabled node"
		}
		out = append(out, fmt.Sprintf("the manifest: %s (%s): left out of the lineage, as dbt leaves disabled nodes out; enable the node or drop the dependency", what, b.toDisabledExample))
	}
	return out
}

const graphChunk = 1024

// add notes r when it is a lineage node (isGraphNode), with the fields
// graphNodeColumns read back.
func (b *graphBuilder) add(r *backend.Resource) {
	if r.Enabled && r.ResourceType == backend.TypeMacro {
		b.digests.addMacro(r)
	}
	switch {
	case !r.Enabled, r.ResourceType == backend.TypeMacro, r.ResourceType == backend.TypeDoc, r.ResourceType == backend.TypeGroup:
		if b.outside == nil {
			b.outside = map[string]bool{}
		}
		b.outside[r.UniqueID] = true // held, not drawn: no dependency on it is dangling
		if !r.Enabled {
			if b.disabled == nil {
				b.disabled = map[string]bool{}
			}
			b.disabled[r.UniqueID] = true
		}
		return
	}
	b.digests.addNode(r)
	b.configs.add(r.UniqueID, r.ResourceType, r.Config)
	n := backend.GraphNode{UniqueID: r.UniqueID, ResourceType: r.ResourceType, Name: r.Name, Package: r.Package,
		Path: r.Path, PatchPath: r.PatchPath, Database: r.Database, Schema: r.Schema, Identifier: r.Identifier, RelationName: r.RelationName,
		Materialized: r.Materialized, Access: r.Access, Group: r.Group, Version: r.Version,
		LatestVersion: r.LatestVersion, FQN: storedStrings(r.FQN), Tags: storedStrings(r.Tags),
		Description: sqliteSubstr(r.Description, 200)}
	if r.Source != nil {
		n.SourceName = r.Source.SourceName
	}
	if t := r.Test; t != nil {
		n.TestName, n.TestType, n.AttachedNode = t.TestName, t.TestType, t.AttachedNode
	}
	if len(b.chunks) == 0 || len(b.chunks[len(b.chunks)-1]) == graphChunk {
		b.chunks = append(b.chunks, make([]backend.GraphNode, 0, graphChunk))
	}
	last := &b.chunks[len(b.chunks)-1]
	*last = append(*last, n)
	b.count++
}

// build returns the graph: the nodes sorted by unique_id, the node edges
// among them (edges sorted by kind, parent, child, as edges() leaves them;
// a repeated edge once, as the table keeps it), and, when the snapshot has
// test outcomes, each test's latest outcome and the counts per tested
// node (countTestOutcomes), as addRunResults reads them; and each node's
// latest run status.
func (b *graphBuilder) build(snapshotID int64, edges []edge, results []backend.RunResult, outcomes bool) *backend.GraphData {
	nodes := make([]backend.GraphNode, 0, b.count)
	for _, c := range b.chunks {
		nodes = append(nodes, c...)
	}
	b.chunks = nil
	slices.SortFunc(nodes, byUniqueID)
	index := make(map[string]int, len(nodes))
	for i := range nodes {
		index[nodes[i].UniqueID] = i
	}
	g := &backend.GraphData{SnapshotID: snapshotID, Nodes: nodes, Edges: []backend.Edge{}}
	for i, e := range edges {
		if e.kind != "node" || (i > 0 && e == edges[i-1]) {
			continue
		}
		p, okP := index[e.parent]
		c, okC := index[e.child]
		switch {
		case okP && okC:
			g.Edges = append(g.Edges, backend.Edge{Parent: nodes[p].UniqueID, Child: nodes[c].UniqueID})
		case okC && b.disabled[e.parent]:
			if b.toDisabled++; b.toDisabled == 1 {
				b.toDisabledExample = e.child + " depends on " + e.parent
			}
		case okC && !b.outside[e.parent] && !nodes[c].CrossProject():
			// Another project's public model lists that project's
			// nodes, which its own manifest holds (dbt Mesh).
			if b.dangling++; b.dangling == 1 {
				b.danglingExample = e.child + " depends on " + e.parent
			}
		}
	}
	for i := range results {
		r := &results[i]
		if j, ok := index[r.UniqueID]; ok {
			nodes[j].RunStatus = r.Status // later entries are newer
			if outcomes && r.IsTestOutcome && isTest(nodes[j].ResourceType) {
				nodes[j].TestStatus = r.Status
			}
		}
	}
	if outcomes {
		countTestOutcomes(nodes, index, g.Edges)
	}
	return g
}

// storedStrings is a list as it reads back from its column: nil when empty
// (stored as NULL), and through JSON, which replaces invalid UTF-8.
func storedStrings(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	for _, s := range list {
		if !utf8.ValidString(s) {
			b, _ := json.Marshal(list) // cannot fail for []string
			decoded, _ := decodeStringList(b)
			return decoded
		}
	}
	return list
}

// sqliteSubstr is substr(s, 1, n) of a TEXT value in the SQLite this
// build links: at most n characters, where a byte of 0x80 or more starts a
// character that takes the continuation bytes (10xxxxxx) after it, and it
// ends at a NUL byte, as SQLite's C string walk does. A shorter result is
// copied, so a long description is not kept whole for its first characters.
func sqliteSubstr(s string, n int) string {
	end := 0
	for chars := 0; chars < n && end < len(s) && s[end] != 0; chars++ {
		c := s[end]
		end++
		if c >= 0x80 {
			for end < len(s) && s[end]&0xc0 == 0x80 {
				end++
			}
		}
	}
	if end == len(s) {
		return s
	}
	return strings.Clone(s[:end])
}

// countTestOutcomes counts each test's outcome on the nodes it tests: the
// node it is attached to or, for a test attached to no single node (a
// singular test over two models that do not read each other), every node
// it reads, so that its failure shows on each of them. testSummaries and a
// resource's page (attachedTestsQuery) count the same tests.
func countTestOutcomes(nodes []backend.GraphNode, index map[string]int, edges []backend.Edge) {
	for i := range nodes {
		t := &nodes[i]
		if !isTest(t.ResourceType) || t.AttachedNode == "" {
			continue
		}
		if j, ok := index[t.AttachedNode]; ok {
			nodes[j].Tests.Count(t.TestStatus)
		}
	}
	for _, e := range edges {
		c, okC := index[e.Child]
		if !okC || !isTest(nodes[c].ResourceType) || nodes[c].AttachedNode != "" {
			continue
		}
		if p, ok := index[e.Parent]; ok {
			nodes[p].Tests.Count(nodes[c].TestStatus)
		}
	}
}

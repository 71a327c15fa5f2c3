package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

type resourceType uint8

const (
	rtSource resourceType = iota
	rtSeed
	rtSnapshot
	rtModel
	rtTest
	rtExposure
	rtSemanticModel
	rtMetric
)

// layer orders models: a model only depends on models of its own or a lower
// layer, and staging only reads sources (and seeds/snapshots).
type layer uint8

const (
	layerRaw layer = iota // sources, seeds, snapshots
	layerStaging
	layerIntermediate
	layerMart
)

type column struct {
	name, family string
}

// node is one vertex of the planned DAG. The plan is small (names, edges,
// column names); every byte of JSON is rendered from it while streaming.
type node struct {
	id, name string
	rtype    resourceType
	layer    layer
	folder   string // source system for raw/staging, domain above
	system   string // source name for sources and source-derived nodes
	loader   string
	parents  []int32
	columns  []column
	pk       string
	material string // materialized config for models
	isHub    bool
	test     *testInfo
}

type testKind uint8

const (
	testUnique testKind = iota
	testNotNull
	testAcceptedValues
	testRelationships
	testSingular
)

func (k testKind) String() string {
	return [...]string{"unique", "not_null", "accepted_values", "relationships", "singular"}[k]
}

type testInfo struct {
	kind     testKind
	attached int32 // model under test, -1 for source tests
	target   int32 // the node whose column is tested (model or source)
	to       int32 // relationships target, else -1
	column   string
	severity string
}

// plan is the whole synthetic project. Index ranges into nodes are kept per
// resource type; models are in topological order (parents have lower index).
type plan struct {
	spec        Spec
	nodes       []node
	byType      [rtMetric + 1][2]int // [start,end) per resource type
	models      [layerMart + 1]int   // model count per layer
	martDomains []string
}

func (p *plan) rangeOf(t resourceType) (int, int) { return p.byType[t][0], p.byType[t][1] }

func (p *plan) count(t resourceType) int { r := p.byType[t]; return r[1] - r[0] }

// rng returns an independent stream per (node, purpose) so that the text of
// one node never depends on how much randomness another node consumed.
func (p *plan) rng(index int, purpose uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(p.spec.Seed), uint64(index)<<8|purpose))
}

func clamp(v, lo, hi int) int { return max(lo, min(hi, v)) }

type planner struct {
	p     *plan
	r     *rand.Rand
	names map[string]int
	pkg   string
}

func (b *planner) add(n node) int32 {
	b.p.nodes = append(b.p.nodes, n)
	return int32(len(b.p.nodes) - 1)
}

// unique makes a name unique within its resource type namespace.
func (b *planner) unique(prefix, name string) string {
	key := prefix + name
	b.names[key]++
	if c := b.names[key]; c > 1 {
		return fmt.Sprintf("%s_%d", name, c)
	}
	return name
}

func (b *planner) begin(t resourceType) { b.p.byType[t][0] = len(b.p.nodes) }
func (b *planner) end(t resourceType)   { b.p.byType[t][1] = len(b.p.nodes) }

func newPlan(spec Spec) *plan {
	p := &plan{spec: spec}
	b := &planner{p: p, r: rand.New(rand.NewPCG(uint64(spec.Seed), 0x5eed)), names: map[string]int{}, pkg: spec.ProjectName}
	sourceCount := max(2, spec.Models/10)
	b.planSources(sourceCount)
	b.planSeeds(clamp(spec.Models/250, 3, len(seedDefs())))
	b.planSnapshots(clamp(spec.Models/1000, 2, 20))
	b.planModels()
	b.planTests()
	b.planExposures(clamp(spec.Models/250, 2, 48))
	b.planSemantic(clamp(spec.Models/2000, 2, 8))
	for i := range p.nodes {
		slices.Sort(p.nodes[i].parents)
		p.nodes[i].parents = slices.Compact(p.nodes[i].parents)
	}
	return p
}

func (b *planner) planSources(n int) {
	b.begin(rtSource)
	systems := sourceSystems()
	regionNames := regions()
	for round := 0; len(b.p.nodes) < n; round++ {
		for k := 0; len(b.p.nodes) < n; k++ {
			added := false
			for _, s := range systems {
				if k >= len(s.tables) || len(b.p.nodes) >= n {
					continue
				}
				name := s.name
				if round > 0 {
					name = fmt.Sprintf("%s_%s", s.name, regionNames[(round-1)%len(regionNames)])
					if round > len(regionNames) {
						name = fmt.Sprintf("%s_%d", name, (round-1)/len(regionNames)+1)
					}
				}
				table := s.tables[k]
				pk := singular(table) + "_id"
				b.add(node{
					id: fmt.Sprintf("source.%s.%s.%s", b.pkg, name, table), name: table, rtype: rtSource,
					folder: s.name, system: name, loader: s.loader, pk: pk,
					columns: b.columnsFor(pk, nil, 6+b.r.IntN(5)),
				})
				added = true
			}
			if !added {
				break
			}
		}
	}
	b.end(rtSource)
}

func (b *planner) planSeeds(n int) {
	b.begin(rtSeed)
	for _, s := range seedDefs()[:n] {
		b.add(node{id: fmt.Sprintf("seed.%s.%s", b.pkg, s.name), name: s.name, rtype: rtSeed, pk: s.pk, material: "seed",
			columns: []column{{s.pk, "str"}, {"label", "str"}, {"sort_order", "int"}, {"valid_from", "date"}}})
	}
	b.end(rtSeed)
}

func (b *planner) planSnapshots(n int) {
	b.begin(rtSnapshot)
	srcStart, srcEnd := b.p.rangeOf(rtSource)
	for i := range n {
		src := srcStart + (i*7)%(srcEnd-srcStart)
		s := b.p.nodes[src]
		name := b.unique("snapshot.", fmt.Sprintf("snap_%s__%s", s.system, s.name))
		cols := append(slices.Clone(s.columns), column{"dbt_scd_id", "str"}, column{"dbt_updated_at", "ts"},
			column{"dbt_valid_from", "ts"}, column{"dbt_valid_to", "ts"})
		b.add(node{id: fmt.Sprintf("snapshot.%s.%s", b.pkg, name), name: name, rtype: rtSnapshot, folder: s.folder,
			system: s.system, pk: s.pk, parents: []int32{int32(src)}, columns: cols, material: "snapshot"})
	}
	b.end(rtSnapshot)
}

// columnsFor returns the key, the foreign keys and filler columns up to total.
func (b *planner) columnsFor(pk string, fks []string, total int) []column {
	cols := make([]column, 0, total)
	cols = append(cols, column{pk, "key"})
	seen := map[string]bool{pk: true}
	for _, fk := range fks {
		if !seen[fk] && len(cols) < total-2 {
			seen[fk] = true
			cols = append(cols, column{fk, "key"})
		}
	}
	fill := fillerColumns()
	for len(cols) < total {
		c := fill[b.r.IntN(len(fill))]
		if !seen[c.name] {
			seen[c.name] = true
			cols = append(cols, column(c))
		}
	}
	return cols
}

func singular(entity string) string { return strings.TrimSuffix(entity, "s") }

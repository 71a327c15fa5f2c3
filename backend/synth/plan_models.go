package synth

import (
	"fmt"
	"slices"
)

// modelPools are the candidate parents collected while models are planned;
// every candidate already exists, which keeps the DAG acyclic by construction.
type modelPools struct {
	staging, intHubs, martHubs []int32
	intByDomain, dimByDomain   map[string][]int32
	raw                        []int32 // seeds and snapshots
}

func (b *planner) planModels() {
	p := b.p
	b.begin(rtModel)
	pools := modelPools{intByDomain: map[string][]int32{}, dimByDomain: map[string][]int32{}}
	for _, t := range []resourceType{rtSeed, rtSnapshot} {
		s, e := p.rangeOf(t)
		for i := s; i < e; i++ {
			pools.raw = append(pools.raw, int32(i))
		}
	}
	b.planStaging(&pools)
	rest := p.spec.Models - p.models[layerStaging]
	intermediate := rest * 55 / 100
	doms := domains()[:clamp(p.spec.Models/800, 4, len(domains()))]
	p.martDomains = doms
	b.planIntermediate(&pools, intermediate, doms)
	b.planMarts(&pools, rest-intermediate, doms)
	b.end(rtModel)
}

func (b *planner) planStaging(pools *modelPools) {
	p := b.p
	srcStart, srcEnd := p.rangeOf(rtSource)
	for i := srcStart; i < srcEnd && p.models[layerStaging] < p.spec.Models/2; i++ {
		src := p.nodes[i]
		parents := []int32{int32(i)}
		if i > srcStart && p.nodes[i-1].system == src.system && b.r.IntN(100) < 15 {
			parents = append(parents, int32(i-1))
		}
		name := b.unique("model.", fmt.Sprintf("stg_%s__%s", src.system, src.name))
		cols := slices.Clone(src.columns)
		for _, c := range b.columnsFor(src.pk, nil, 8+b.r.IntN(8)) {
			if len(cols) < 15 && !slices.Contains(cols, c) {
				cols = append(cols, c)
			}
		}
		id := b.add(node{id: b.modelID(name), name: name, rtype: rtModel, layer: layerStaging, folder: src.system,
			system: src.system, pk: src.pk, parents: parents, columns: cols, material: "view"})
		pools.staging = append(pools.staging, id)
		p.models[layerStaging]++
	}
}

func (b *planner) modelID(name string) string { return fmt.Sprintf("model.%s.%s", b.pkg, name) }

// pickEntity draws an entity; hubs use the first, most central entities.
func (b *planner) pickEntity() string {
	es := entities()
	return es[b.r.IntN(len(es))]
}

func (b *planner) planIntermediate(pools *modelPools, n int, doms []string) {
	p := b.p
	hubs := clamp(p.spec.Models/2500, 3, 8)
	verbs := intermediateVerbs()
	for k := range n {
		domain := doms[b.r.IntN(len(doms))]
		entity, isHub := b.pickEntity(), k < hubs
		var name string
		var parents []int32
		if isHub {
			entity = entities()[k]
			name = b.unique("model.", fmt.Sprintf("int_%ss__unified", entity))
			for range 3 + b.r.IntN(2) {
				parents = append(parents, pools.staging[b.r.IntN(len(pools.staging))])
			}
		} else {
			name = b.unique("model.", fmt.Sprintf("int_%s__%s", entity, verbs[b.r.IntN(len(verbs))]))
			for range b.parentCount() {
				parents = append(parents, b.intermediateParent(pools, domain))
			}
		}
		material := [...]string{"view", "view", "ephemeral", "table"}[b.r.IntN(4)]
		if isHub {
			material = "table"
		}
		id := b.add(node{id: b.modelID(name), name: name, rtype: rtModel, layer: layerIntermediate, folder: domain,
			pk: entity + "_id", parents: parents, material: material, isHub: isHub,
			columns: b.columnsFor(entity+"_id", b.parentKeys(parents), 8+b.r.IntN(8))})
		if isHub {
			pools.intHubs = append(pools.intHubs, id)
		}
		pools.intByDomain[domain] = append(pools.intByDomain[domain], id)
		p.models[layerIntermediate]++
	}
}

// parentCount is 1-4 parents, weighted towards 1-2 as in real projects.
func (b *planner) parentCount() int {
	switch u := b.r.IntN(100); {
	case u < 35:
		return 1
	case u < 70:
		return 2
	case u < 90:
		return 3
	default:
		return 4
	}
}

func (b *planner) intermediateParent(pools *modelPools, domain string) int32 {
	same := pools.intByDomain[domain]
	switch u := b.r.IntN(100); {
	case u < 14:
		return pools.intHubs[b.r.IntN(len(pools.intHubs))]
	case u < 62 || len(same) == 0:
		return pools.staging[b.r.IntN(len(pools.staging))]
	case u < 96:
		return recentPick(b, same)
	default:
		return pools.raw[b.r.IntN(len(pools.raw))]
	}
}

// recentPick prefers recently planned models so chains grow deep, not just wide.
func recentPick(b *planner, pool []int32) int32 {
	window := min(len(pool), 40)
	if b.r.IntN(4) == 0 {
		window = len(pool)
	}
	return pool[len(pool)-1-b.r.IntN(window)]
}

func (b *planner) planMarts(pools *modelPools, n int, doms []string) {
	p := b.p
	hubs := clamp(p.spec.Models/2500, 3, 8)
	grains := martGrains()
	for k := range n {
		domain := doms[b.r.IntN(len(doms))]
		entity, isHub := b.pickEntity(), k < hubs
		isDim := isHub || b.r.IntN(100) < 35
		var name string
		if isHub {
			entity = entities()[k]
		}
		if isDim {
			name = b.unique("model.", "dim_"+entity+"s")
		} else {
			g := grains[b.r.IntN(len(grains))]
			if g != "" {
				g = "_" + g
			}
			name = b.unique("model.", "fct_"+entity+"s"+g)
		}
		var parents []int32
		for range b.parentCount() {
			parents = append(parents, b.martParent(pools, domain))
		}
		if !isDim && len(pools.martHubs) > 0 && b.r.IntN(100) < 60 {
			parents = append(parents, pools.martHubs[b.r.IntN(len(pools.martHubs))])
		}
		material := "table"
		if !isDim && b.r.IntN(100) < 55 {
			material = "incremental"
		}
		id := b.add(node{id: b.modelID(name), name: name, rtype: rtModel, layer: layerMart, folder: domain,
			pk: entity + "_id", parents: parents, material: material, isHub: isHub,
			columns: b.columnsFor(entity+"_id", b.parentKeys(parents), 8+b.r.IntN(8))})
		if isHub {
			pools.martHubs = append(pools.martHubs, id)
		}
		if isDim {
			pools.dimByDomain[domain] = append(pools.dimByDomain[domain], id)
		}
		p.models[layerMart]++
	}
}

func (b *planner) martParent(pools *modelPools, domain string) int32 {
	ints, dims := pools.intByDomain[domain], pools.dimByDomain[domain]
	switch u := b.r.IntN(100); {
	case u < 20:
		hubs := append(slices.Clone(pools.intHubs), pools.martHubs...)
		return hubs[b.r.IntN(len(hubs))]
	case u < 70 && len(ints) > 0:
		return recentPick(b, ints)
	case u < 85 || len(dims) == 0:
		return pools.staging[b.r.IntN(len(pools.staging))]
	default:
		return recentPick(b, dims)
	}
}

// parentKeys are the parents' keys, which a child carries as foreign keys.
func (b *planner) parentKeys(parents []int32) []string {
	keys := make([]string, 0, len(parents))
	for _, pi := range parents {
		keys = append(keys, b.p.nodes[pi].pk)
	}
	return keys
}

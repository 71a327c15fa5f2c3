package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

func (b *planner) planTests() {
	p := b.p
	b.begin(rtTest)
	srcStart, srcEnd := p.rangeOf(rtSource)
	for i := srcStart; i < srcEnd; i++ {
		if b.r.IntN(100) < 40 {
			b.addTest(testUnique, int32(i), p.nodes[i].pk, -1)
			b.addTest(testNotNull, int32(i), p.nodes[i].pk, -1)
		}
	}
	modStart, modEnd := p.rangeOf(rtModel)
	for i := modStart; i < modEnd; i++ {
		m := &p.nodes[i]
		if m.material == "ephemeral" {
			continue
		}
		b.addTest(testUnique, int32(i), m.pk, -1)
		b.addTest(testNotNull, int32(i), m.pk, -1)
		for _, c := range m.columns {
			if c.name == "status" && b.r.IntN(100) < 60 {
				b.addTest(testAcceptedValues, int32(i), c.name, -1)
			}
		}
		if m.layer == layerMart {
			for _, pi := range m.parents {
				if parent := p.nodes[pi]; parent.layer == layerMart && strings.HasPrefix(parent.name, "dim_") {
					b.addTest(testRelationships, int32(i), parent.pk, pi)
					break
				}
			}
		}
		if fks := m.columns[1:]; b.r.IntN(100) < 35 && fks[0].family == "key" {
			b.addTest(testNotNull, int32(i), fks[0].name, -1)
		}
	}
	marts := p.models[layerMart]
	for k := range clamp(p.spec.Models/100, 2, 200) {
		target := int32(modEnd - 1 - (k*37)%marts)
		m := p.nodes[target]
		name := b.unique("test.", fmt.Sprintf("assert_%s_%s", m.name, [...]string{"amounts_balance", "no_future_dates", "row_count_within_range", "totals_match_source"}[k%4]))
		b.add(node{id: fmt.Sprintf("test.%s.%s", b.pkg, name), name: name, rtype: rtTest, folder: m.folder,
			parents: []int32{target}, test: &testInfo{kind: testSingular, attached: target, target: target, to: -1, severity: "ERROR"}})
	}
	b.end(rtTest)
}

// addTest plans one generic test; its id mimics dbt's name plus 10-hex hash.
func (b *planner) addTest(kind testKind, target int32, col string, to int32) {
	t := b.p.nodes[target]
	attached := target
	var name string
	if t.rtype == rtSource {
		attached = -1
		name = fmt.Sprintf("source_%s_%s_%s_%s", kind, t.system, t.name, col)
	} else {
		name = fmt.Sprintf("%s_%s_%s", kind, t.name, col)
	}
	switch kind {
	case testAcceptedValues:
		name += "__" + strings.Join(statusValues()[:4], "__")
	case testRelationships:
		name += fmt.Sprintf("__%s__ref_%s_", col, b.p.nodes[to].name)
	}
	severity := "ERROR"
	if b.r.IntN(100) < 15 {
		severity = "WARN"
	}
	parents := []int32{target}
	if to >= 0 {
		parents = append(parents, to)
	}
	sum := sha256.Sum256([]byte(name + "|" + t.id))
	b.add(node{id: fmt.Sprintf("test.%s.%s.%s", b.pkg, name, hex.EncodeToString(sum[:5])), name: name, rtype: rtTest,
		folder: t.folder, system: t.system, layer: t.layer, parents: parents,
		test: &testInfo{kind: kind, attached: attached, target: target, to: to, column: col, severity: severity}})
}

func (b *planner) planExposures(n int) {
	p := b.p
	b.begin(rtExposure)
	_, modEnd := p.rangeOf(rtModel)
	martStart := modEnd - p.models[layerMart]
	kinds := []string{"dashboard", "dashboard", "notebook", "analysis", "ml", "application"}
	for k := range n {
		domain := p.martDomains[k%len(p.martDomains)]
		name := b.unique("exposure.", fmt.Sprintf("%s_%s_%s", domain, [...]string{"kpis", "weekly_review", "board_pack", "ops_monitor", "forecast_model", "self_serve"}[k%6], kinds[k%len(kinds)]))
		if k%10 == 9 {
			// Real projects have exposure names with spaces (ids too).
			name = b.unique("exposure.", fmt.Sprintf("%s Pulse queries %d", strings.ToUpper(domain[:1])+domain[1:], k))
		}
		var parents []int32
		for range 1 + b.r.IntN(6) {
			parents = append(parents, int32(martStart+b.r.IntN(modEnd-martStart)))
		}
		b.add(node{id: fmt.Sprintf("exposure.%s.%s", b.pkg, name), name: name, rtype: rtExposure, folder: domain,
			material: kinds[k%len(kinds)], parents: parents})
	}
	b.end(rtExposure)
}

// planSemantic adds semantic models on fact tables and two simple metrics each.
func (b *planner) planSemantic(n int) {
	p := b.p
	_, modEnd := p.rangeOf(rtModel)
	martStart := modEnd - p.models[layerMart]
	var facts []int32
	for i := martStart; i < modEnd && len(facts) < n; i++ {
		if strings.HasPrefix(p.nodes[i].name, "fct_") && i%3 == 0 {
			facts = append(facts, int32(i))
		}
	}
	b.begin(rtSemanticModel)
	for _, f := range facts {
		m := p.nodes[f]
		name := b.unique("semantic_model.", strings.TrimPrefix(m.name, "fct_"))
		b.add(node{id: fmt.Sprintf("semantic_model.%s.%s", b.pkg, name), name: name, rtype: rtSemanticModel,
			folder: m.folder, pk: m.pk, parents: []int32{f}, columns: m.columns})
	}
	b.end(rtSemanticModel)
	smStart, smEnd := p.rangeOf(rtSemanticModel)
	b.begin(rtMetric)
	for i := smStart; i < smEnd; i++ {
		sm := p.nodes[i]
		for _, measure := range []string{sm.name + "_count", "total_" + sm.name + "_amount"} {
			name := b.unique("metric.", measure)
			b.add(node{id: fmt.Sprintf("metric.%s.%s", b.pkg, name), name: name, rtype: rtMetric,
				folder: sm.folder, pk: measure, parents: []int32{int32(i)}})
		}
	}
	b.end(rtMetric)
}

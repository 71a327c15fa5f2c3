package lineage

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// selector:NAME selects with the project's YAML selector NAME
// (selectors.yml, recorded in the manifest), as dbt's --selector does:
// a definition is a criterion ({method, value} with parents, children,
// their depths and childrens_parents; or {method: value}), a union or an
// intersection of definitions, each with optional excludes, a selector
// string, or {method: selector, value: OTHER}. A criterion that matches
// nothing adds a warning, as dbt only warns. With tests shown, a
// criterion's indirect_selection picks its tests instead of the global
// mode, as in dbt.

// maxSelectorNesting bounds definitions that refer to one another.
const maxSelectorNesting = 32

// namedSelector returns what selector name selects, evaluated once.
func (ev *evaluator) namedSelector(name string) (picked, error) {
	if set, ok := ev.named[name]; ok {
		return set, nil
	}
	raw, ok := ev.opts.Selectors[name]
	if !ok {
		return picked{}, ev.unknownSelector(name)
	}
	if slices.Contains(ev.resolving, name) {
		return picked{}, invalid("YAML selector %q refers to itself (%s -> %s)", name, strings.Join(ev.resolving, " -> "), name)
	}
	if len(ev.resolving) >= maxSelectorNesting {
		return picked{}, invalid("YAML selector %q nests more than %d selectors deep", name, maxSelectorNesting)
	}
	var def any
	if err := json.Unmarshal(raw, &def); err != nil {
		return picked{}, invalid("YAML selector %q has a definition that is not JSON: re-import the project", name)
	}
	ev.resolving = append(ev.resolving, name)
	set, err := ev.definition(name, def)
	ev.resolving = ev.resolving[:len(ev.resolving)-1]
	if err != nil {
		return picked{}, err
	}
	if ev.named == nil {
		ev.named = map[string]picked{}
	}
	ev.named[name] = set
	return set, nil
}

func (ev *evaluator) unknownSelector(name string) error {
	names := make([]string, 0, len(ev.opts.Selectors))
	for n := range ev.opts.Selectors {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return &backend.Error{Code: backend.ENOTFOUND, Message: fmt.Sprintf(
			"no YAML selector %q: this snapshot has none (dbt records a project's selectors.yml in manifest.json; snapshots imported before Lineage Desk kept them need importing again)", name)}
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	msg := fmt.Sprintf("no YAML selector %q in this snapshot; its selectors are %s", name, strings.Join(quoted, ", "))
	if near := nearest(strings.ToLower(name), names); len(near) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", quoteList(near))
	}
	return &backend.Error{Code: backend.ENOTFOUND, Message: msg}
}

// definition evaluates one (part of a) YAML selector definition, as
// dbt's parse_from_definition reads it.
func (ev *evaluator) definition(name string, def any) (picked, error) {
	switch d := def.(type) {
	case string:
		return ev.selectorString(name, d)
	case map[string]any:
		if list, ok := d["union"]; ok {
			return ev.setOperation(name, list, opUnion)
		}
		if list, ok := d["intersection"]; ok {
			return ev.setOperation(name, list, opIntersection)
		}
		if d["method"] == "selector" {
			other, _ := d["value"].(string)
			return ev.namedSelector(other)
		}
		_, hasMethod := d["method"]
		_, hasValue := d["value"]
		switch {
		case hasMethod && hasValue:
			mode, _ := d["indirect_selection"].(string)
			if err := checkIndirectSelection(mode, fmt.Sprintf("YAML selector %q: ", name)); err != nil {
				return picked{}, err
			}
			set, err := ev.criterion(name, criterionAtom(d), mode)
			if err != nil {
				return picked{}, err
			}
			if excl, ok := d["exclude"]; ok {
				return ev.without(name, set, excl)
			}
			return set, nil
		case len(d) == 1:
			for method, value := range d {
				return ev.criterion(name, criterionAtom(map[string]any{"method": method, "value": value}), "")
			}
		}
	}
	text, _ := json.Marshal(def)
	return picked{}, invalid("YAML selector %q: a definition must be a criterion (method and value), a union, an intersection or a selector string, not %s", name, text)
}

// setOperation evaluates a union or intersection list; an item that is
// {exclude: [...]} takes what it selects away from the result.
func (ev *evaluator) setOperation(name string, list any, op setOp) (picked, error) {
	items, ok := list.([]any)
	if !ok {
		return picked{}, invalid("YAML selector %q: union and intersection take a list of definitions", name)
	}
	var parts []picked
	var excludes []any
	for _, item := range items {
		if m, ok := item.(map[string]any); ok && len(m) == 1 && m["exclude"] != nil {
			excludes = append(excludes, m["exclude"])
			continue
		}
		set, err := ev.definition(name, item)
		if err != nil {
			return picked{}, err
		}
		parts = append(parts, set)
	}
	out := ev.combineAs(op, parts, "eager")
	for _, excl := range excludes {
		var err error
		if out, err = ev.without(name, out, excl); err != nil {
			return picked{}, err
		}
	}
	return out, nil
}

// without takes away from set what the definitions in excl select, as
// dbt's difference with their union (or the one definition).
func (ev *evaluator) without(name string, set picked, excl any) (picked, error) {
	defs, ok := excl.([]any)
	if !ok {
		defs = []any{excl}
	}
	var drops []picked
	for _, def := range defs {
		drop, err := ev.definition(name, def)
		if err != nil {
			return picked{}, err
		}
		drops = append(drops, drop)
	}
	if len(drops) == 0 {
		return set, nil // exclude: [] takes nothing away
	}
	drop := drops[0]
	if len(drops) > 1 {
		drop = ev.combineAs(opUnion, drops, "eager")
	}
	return ev.combineAs(opDifference, []picked{set, drop}, "eager"), nil
}

// selectorString evaluates a definition written as a selector string, as
// the command line's: its terms joined, less its excludes.
func (ev *evaluator) selectorString(name, s string) (picked, error) {
	p, err := parseExpr(ev.g.quoteBareUniqueID(s))
	if err != nil {
		return picked{}, err
	}
	var terms, excludes []picked
	for _, t := range p.selects {
		set, err := ev.intersection(name, t)
		if err != nil {
			return picked{}, err
		}
		terms = append(terms, set)
	}
	for _, t := range p.excludes {
		drop, err := ev.intersection(name, t)
		if err != nil {
			return picked{}, err
		}
		excludes = append(excludes, drop)
	}
	return ev.combine(opDifference, []picked{ev.combine(opUnion, terms), ev.combine(opUnion, excludes)}), nil
}

// intersection selects what all of a term's criteria select.
func (ev *evaluator) intersection(name string, t term) (picked, error) {
	parts := make([]picked, 0, len(t))
	for _, a := range t {
		set, err := ev.criterion(name, a, "")
		if err != nil {
			return picked{}, err
		}
		parts = append(parts, set)
	}
	return ev.combine(opIntersection, parts), nil
}

// criterion selects one criterion with its graph operators and, when
// tests are shown, their tests as mode ("": the global one) says; the
// nodes it names are the selector's focus.
func (ev *evaluator) criterion(name string, a atom, mode string) (picked, error) {
	if a.method != "" {
		if err := checkMethod(a); err != nil {
			return picked{}, err
		}
	}
	base, err := ev.match(a)
	if err != nil {
		return picked{}, err
	}
	if count(base) == 0 {
		ev.warnings = append(ev.warnings, fmt.Sprintf("YAML selector %q: %s", name, ev.nothingMatched(a)))
		return picked{direct: base, held: ev.emptyHeld()}, nil
	}
	if ev.namedFocus == nil {
		ev.namedFocus = make([]bool, len(ev.g.nodes))
	}
	for i, ok := range base {
		ev.namedFocus[i] = ev.namedFocus[i] || ok
	}
	if mode == "" {
		mode = ev.opts.IndirectSelection
	}
	return ev.criterionPicked(ev.g.expand(base, a), mode), nil
}

// criterionAtom reads {method, value, parents, parents_depth, children,
// children_depth, childrens_parents} into an atom.
func criterionAtom(d map[string]any) atom {
	a := atom{}
	if v := d["value"]; v != nil {
		a.value = fmt.Sprint(v) // config.enabled: true, a number
	}
	a.method, _ = d["method"].(string)
	depth := func(flag, depthKey string) int {
		if d[flag] != true {
			return 0
		}
		if n, ok := d[depthKey].(float64); ok && n >= 1 {
			return int(n)
		}
		return -1
	}
	a.parents, a.children = depth("parents", "parents_depth"), depth("children", "children_depth")
	a.at = d["childrens_parents"] == true
	a.text = a.method + ":" + a.value
	if a.at {
		a.text = "@" + a.text
	}
	switch {
	case a.parents > 0:
		a.text = fmt.Sprint(a.parents) + "+" + a.text
	case a.parents < 0:
		a.text = "+" + a.text
	}
	switch {
	case a.children > 0:
		a.text += "+" + fmt.Sprint(a.children)
	case a.children < 0:
		a.text += "+"
	}
	return a
}

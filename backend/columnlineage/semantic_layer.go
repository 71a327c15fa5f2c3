package columnlineage

import (
	"cmp"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// semanticLayer is what a metric's filter or a saved query can name: the
// snapshot's semantic models and metrics. It does not change once built.
type semanticLayer struct {
	models  []*backend.CodeNode          // by unique_id
	metrics map[string]*backend.CodeNode // by lower-cased name
	defs    map[string]*semanticModel    // by unique_id; nil: unreadable
}

// newSemanticLayer gathers the semantic models and metrics among ids.
func newSemanticLayer(ids []string, nodes map[string]*backend.CodeNode) *semanticLayer {
	l := &semanticLayer{metrics: map[string]*backend.CodeNode{}, defs: map[string]*semanticModel{}}
	for _, id := range ids {
		n := nodes[id]
		switch {
		case n == nil:
		case n.ResourceType == backend.TypeSemanticModel:
			l.models = append(l.models, n)
			var sm semanticModel
			if json.Unmarshal(n.Definition, &sm) == nil {
				l.defs[id] = &sm
			}
		case n.ResourceType == backend.TypeMetric:
			if prior := l.metrics[strings.ToLower(n.Name)]; prior == nil || n.UniqueID < prior.UniqueID {
				l.metrics[strings.ToLower(n.Name)] = n
			}
		}
	}
	slices.SortFunc(l.models, func(a, b *backend.CodeNode) int { return cmp.Compare(a.UniqueID, b.UniqueID) })
	return l
}

func (l *semanticLayer) definition(n *backend.CodeNode) *semanticModel {
	return l.defs[n.UniqueID]
}

func (l *semanticLayer) modelNamed(name string) *backend.CodeNode {
	for _, n := range l.models {
		if strings.EqualFold(n.Name, name) {
			return n
		}
	}
	return nil
}

// semanticRef is a dimension, entity or metric named in MetricFlow's
// syntax: Dimension('order_id__is_food_order'), Entity('customer'),
// TimeDimension('metric_time', 'day'), Metric('revenue', group_by=[...]).
type semanticRef struct {
	call    string // Dimension, TimeDimension, Entity or Metric
	written string // the call as written, up to its closing parenthesis
	entity  string // the entity it is reached through: order_id of order_id__is_food_order
	element string // the dimension, entity or metric: is_food_order
	grain   string // a time dimension's: day of TimeDimension('metric_time', 'day')
}

// qualifiedName is the column a saved query names it by, as MetricFlow
// names it: customer__customer_type, metric_time__day.
func (r semanticRef) qualifiedName() string {
	name := r.element
	if r.entity != "" {
		name = r.entity + "__" + name
	}
	if r.grain != "" {
		name += "__" + r.grain
	}
	return name
}

var (
	semanticCall = regexp.MustCompile(`\b(TimeDimension|Dimension|Entity|Metric)\s*\(\s*['"]([^'"]*)['"](?:\s*,\s*['"]([^'"]*)['"])?[^)]*\)(?:\s*\.\s*grain\s*\(\s*['"]([^'"]*)['"]\s*\))?`)
	timeGrains   = []string{"nanosecond", "microsecond", "millisecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year"}
)

// semanticRefs reads the dimensions, entities and metrics a filter or a
// group-by names, in the order written.
func semanticRefs(text string) []semanticRef {
	var refs []semanticRef
	for _, m := range semanticCall.FindAllStringSubmatch(text, -1) {
		r := semanticRef{call: m[1], written: m[0], grain: strings.ToLower(cmp.Or(m[4], m[3]))}
		parts := strings.Split(m[2], "__")
		if len(parts) > 1 && r.grain == "" && slices.Contains(timeGrains, strings.ToLower(parts[len(parts)-1])) {
			r.grain, parts = strings.ToLower(parts[len(parts)-1]), parts[:len(parts)-1]
		}
		r.element = parts[len(parts)-1]
		if len(parts) > 1 {
			r.entity = parts[len(parts)-2]
		}
		if r.call == "Metric" {
			r.entity, r.element, r.grain = "", m[2], ""
		}
		if r.element != "" {
			refs = append(refs, r)
		}
	}
	return refs
}

// resolve finds the column a dimension, entity or metric reference stands
// for: a semantic model's element (in one of prefer first, where the
// reference is read), or a metric. metric_time is resolved by the caller.
func (l *semanticLayer) resolve(r semanticRef, prefer []string) (backend.ColumnSource, bool) {
	if r.call == "Metric" {
		if m := l.metrics[strings.ToLower(r.element)]; m != nil {
			return backend.ColumnSource{Node: m.UniqueID, Column: m.Name}, true
		}
		return backend.ColumnSource{}, false
	}
	var found *backend.CodeNode
	var foundName string
	foundScore := 0
	for _, n := range l.models {
		def := l.definition(n)
		if def == nil || r.entity != "" && elementNamed(def.Entities, r.entity) == "" {
			continue
		}
		elements := def.Dimensions
		if r.call == "Entity" {
			elements = def.Entities
		}
		name := elementNamed(elements, r.element)
		if name == "" {
			continue
		}
		// Where the reference is read first; then, for an entity, where it
		// is primary (where a join through it lands); then by unique_id.
		score := 0
		if !slices.Contains(prefer, n.UniqueID) {
			score += 2
		}
		if r.call == "Entity" && !primaryEntity(def, name) {
			score++
		}
		if found == nil || score < foundScore {
			found, foundName, foundScore = n, name, score
		}
	}
	if found == nil {
		return backend.ColumnSource{}, false
	}
	return backend.ColumnSource{Node: found.UniqueID, Column: foundName}, true
}

// elementNamed returns an element's name as the semantic model spells
// it, or "" when it has none by that name.
func elementNamed(elements []semanticElement, name string) string {
	for _, e := range elements {
		if strings.EqualFold(e.Name, name) {
			return e.Name
		}
	}
	return ""
}

// primaryEntity says whether the semantic model holds one row per entity
// of that name, where a join through it lands.
func primaryEntity(def *semanticModel, name string) bool {
	for _, e := range def.Entities {
		if strings.EqualFold(e.Name, name) {
			return e.Type == "primary" || e.Type == "unique" || e.Type == "natural"
		}
	}
	return false
}

// whereFilter is a filter of a metric, of one of its inputs or of a saved
// query: one SQL template (dbt 1.6), or several that all apply (1.7+).
type whereFilter struct {
	WhereSQLTemplate string `json:"where_sql_template"`
	WhereFilters     []struct {
		WhereSQLTemplate string `json:"where_sql_template"`
	} `json:"where_filters"`
}

// filterTemplates reads a filter's templates; a filter of another shape
// reads as none.
func filterTemplates(raw json.RawMessage) []string {
	var f whereFilter
	if len(raw) == 0 || json.Unmarshal(raw, &f) != nil {
		return nil
	}
	out := []string{}
	if f.WhereSQLTemplate != "" {
		out = append(out, f.WhereSQLTemplate)
	}
	for _, w := range f.WhereFilters {
		if w.WhereSQLTemplate != "" {
			out = append(out, w.WhereSQLTemplate)
		}
	}
	return out
}

// filterReads resolves what filters name into columns read, and lists
// what could not be resolved as written.
func (l *semanticLayer) filterReads(filters []json.RawMessage, prefer []string) (reads []backend.ColumnSource, unresolved []string) {
	for _, raw := range filters {
		for _, text := range filterTemplates(raw) {
			for _, r := range semanticRefs(text) {
				if r.element == "metric_time" {
					continue // the metric's own time, not a column it reads
				}
				if s, ok := l.resolve(r, prefer); ok {
					reads = mergeSources(reads, []backend.ColumnSource{s})
				} else {
					unresolved = append(unresolved, r.written)
				}
			}
		}
	}
	return reads, dedupe(unresolved)
}

// aggTimeDimensions returns the time dimensions a metric's metric_time
// stands for: its measure's or its aggregation's (else its semantic
// model's default), or those of the metrics it combines.
func (l *semanticLayer) aggTimeDimensions(metricNode *backend.CodeNode, depth int) []backend.ColumnSource {
	var m metric
	if depth > 10 || metricNode == nil || json.Unmarshal(metricNode.Definition, &m) != nil {
		return nil
	}
	var out []backend.ColumnSource
	at := func(sm *backend.CodeNode, dimension string) {
		if sm == nil {
			return
		}
		if def := l.definition(sm); def != nil && dimension == "" && def.Defaults != nil {
			dimension = def.Defaults.AggTimeDimension
		}
		if dimension != "" {
			out = mergeSources(out, []backend.ColumnSource{{Node: sm.UniqueID, Column: dimension}})
		}
	}
	tp := m.TypeParams
	if agg := tp.MetricAggregationParams; agg != nil {
		at(l.modelNamed(agg.SemanticModel), agg.AggTimeDimension)
	}
	if tp.Measure != nil {
		for _, id := range metricNode.DependsOn {
			sm := l.modelByID(id)
			if sm == nil {
				continue
			}
			if def := l.definition(sm); def != nil {
				for _, e := range def.Measures {
					if strings.EqualFold(e.Name, tp.Measure.Name) {
						at(sm, e.AggTimeDimension)
					}
				}
			}
		}
	}
	for _, ref := range m.combined() {
		out = mergeSources(out, l.aggTimeDimensions(l.metrics[strings.ToLower(ref.Name)], depth+1))
	}
	return out
}

func (l *semanticLayer) modelByID(id string) *backend.CodeNode {
	i, ok := slices.BinarySearchFunc(l.models, id, func(n *backend.CodeNode, id string) int { return cmp.Compare(n.UniqueID, id) })
	if !ok {
		return nil
	}
	return l.models[i]
}

// modelsRead returns the semantic models a metric reads, itself or through
// the metrics it combines: where the names in its filters are looked up
// first, as MetricFlow does before it joins through an entity.
func (l *semanticLayer) modelsRead(ids []string, depth int) []string {
	var out []string
	for _, id := range ids {
		if l.modelByID(id) != nil {
			out = append(out, id)
		} else if m := l.metricByID(id); m != nil && depth < 10 {
			out = append(out, l.modelsRead(m.DependsOn, depth+1)...)
		}
	}
	return out
}

func (l *semanticLayer) metricByID(id string) *backend.CodeNode {
	if !strings.HasPrefix(id, backend.TypeMetric+".") {
		return nil
	}
	m := l.metrics[strings.ToLower(id[strings.LastIndex(id, ".")+1:])]
	if m == nil || m.UniqueID != id {
		return nil
	}
	return m
}

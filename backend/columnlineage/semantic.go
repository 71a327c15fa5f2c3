package columnlineage

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/sqlparse"
)

// semanticModel is what column lineage reads of a semantic model: its
// entities, dimensions and measures, each an expression over its model's
// columns (its own name when it has none).
type semanticModel struct {
	Entities   []semanticElement `json:"entities"`
	Dimensions []semanticElement `json:"dimensions"`
	Measures   []semanticElement `json:"measures"`
	Defaults   *struct {
		AggTimeDimension string `json:"agg_time_dimension"`
	} `json:"defaults"`
}

type semanticElement struct {
	Name string          `json:"name"`
	Expr json.RawMessage `json:"expr"` // a string, or a number in hand-written YAML
	Type string          `json:"type"` // an entity's: primary, unique, natural or foreign
	// AggTimeDimension is a measure's time dimension, when not its
	// semantic model's default.
	AggTimeDimension string `json:"agg_time_dimension"`
}

// metricNamed is a metric's reference to a measure or another metric,
// with the filter applied to it.
type metricNamed struct {
	Name   string          `json:"name"`
	Filter json.RawMessage `json:"filter"`
}

// metric is what column lineage reads of a metric (dbt 1.6+): the measure
// of a simple or cumulative metric, the metrics a derived, ratio or
// cumulative one is made from, or (dbt 1.12) the expression it aggregates
// over its semantic model.
type metric struct {
	Filter     json.RawMessage `json:"filter"`
	TypeParams struct {
		Measure              *metricNamed  `json:"measure"`
		Metrics              []metricNamed `json:"metrics"`
		Numerator            *metricNamed  `json:"numerator"`
		Denominator          *metricNamed  `json:"denominator"`
		Expr                 *string       `json:"expr"`
		CumulativeTypeParams *struct {
			Metric *metricNamed `json:"metric"`
		} `json:"cumulative_type_params"`
		MetricAggregationParams *struct {
			SemanticModel    string `json:"semantic_model"`
			AggTimeDimension string `json:"agg_time_dimension"`
		} `json:"metric_aggregation_params"`
	} `json:"type_params"`
}

// combined returns the metrics a derived, ratio or cumulative metric is
// made from.
func (m metric) combined() []metricNamed {
	tp := m.TypeParams
	out := slices.Clone(tp.Metrics)
	for _, ref := range []*metricNamed{tp.Numerator, tp.Denominator} {
		if ref != nil {
			out = append(out, *ref)
		}
	}
	if tp.CumulativeTypeParams != nil && tp.CumulativeTypeParams.Metric != nil {
		out = append(out, *tp.CumulativeTypeParams.Metric)
	}
	return out
}

// filters returns the filters of a metric and of its inputs.
func (m metric) filters() []json.RawMessage {
	out := []json.RawMessage{m.Filter}
	if m.TypeParams.Measure != nil {
		out = append(out, m.TypeParams.Measure.Filter)
	}
	for _, ref := range m.combined() {
		out = append(out, ref.Filter)
	}
	return out
}

func (e semanticElement) expression() string {
	var s string
	if json.Unmarshal(e.Expr, &s) == nil && strings.TrimSpace(s) != "" {
		return s
	}
	if len(e.Expr) > 0 && string(e.Expr) != "null" {
		return string(e.Expr) // a number: a constant, as in expr: 1
	}
	return e.Name
}

// readExpression reads an expression of a semantic model or metric as
// a select item over relation's columns.
func readExpression(expr string, relation columnList, dialect sqlparse.Dialect) (column, error) {
	q, err := sqlparse.Parse("select "+expr+" from semantic_relation", dialect)
	if err != nil {
		// The parser's position would point into the query made up here.
		return column{}, fmt.Errorf("%q could not be read as SQL", expr)
	}
	if len(q.Selects) != 1 || len(q.Selects[0].Items) != 1 || q.Selects[0].Items[0].Star != nil {
		return column{}, fmt.Errorf("%q is not one expression", expr)
	}
	a := &analyzer{readSet: map[source]bool{}, nodeCols: map[string]columnList{}}
	sc := &scope{relations: []scopeRelation{{qualifiers: [][]string{{"semantic_relation"}}, columns: relation}}}
	item := q.Selects[0].Items[0]
	c := a.expression(item.Expr, nil, sc)
	if !item.Expr.Bare {
		c.expr = expr
	}
	return c, nil
}

// analyzeSemanticModel reads a semantic model's columns: each entity,
// dimension and measure, made from its model's columns (a measure, which
// aggregates, is computed from them); and the model's other columns passed
// through, which metrics' expressions read (dbt 1.12).
func analyzeSemanticModel(n backend.CodeNode, parents []backend.CodeNode, dialect sqlparse.Dialect) backend.NodeColumns {
	out := backend.NodeColumns{Node: n.UniqueID, Columns: []backend.OutputColumn{}}
	var sm semanticModel
	if err := json.Unmarshal(n.Definition, &sm); err != nil {
		out.Problem = fmt.Sprintf("its definition could not be read: %v", err)
		return out
	}
	var model *backend.CodeNode
	for i := range parents {
		if parents[i].ResourceType == "model" || parents[i].ResourceType == "snapshot" || parents[i].ResourceType == "seed" {
			model = &parents[i]
		}
	}
	if model == nil {
		out.Problem = "it reads no model this snapshot holds"
		return out
	}
	names, complete := columnNames(model)
	relation := nodeColumns(model.UniqueID, names, complete)
	var problems []string
	seen := map[string]bool{}
	for g, group := range [][]semanticElement{sm.Entities, sm.Dimensions, sm.Measures} {
		measures := g == 2
		for _, e := range group {
			if e.Name == "" || seen[strings.ToLower(e.Name)] {
				continue
			}
			seen[strings.ToLower(e.Name)] = true
			c, err := readExpression(e.expression(), relation, dialect)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", e.Name, err))
				continue
			}
			c.name = e.Name
			if measures {
				// A measure aggregates its expression (its agg: sum, count, ...).
				c.sources = markTransformed(c.sources, true)
				c.expr = e.expression()
			}
			out.Columns = append(out.Columns, backend.OutputColumn{Name: e.Name, Sources: sourcesOf(c, n.UniqueID), Expression: c.expr, Unresolved: dedupe(c.unresolved)})
		}
	}
	for _, name := range names {
		if !seen[strings.ToLower(name)] {
			out.Columns = append(out.Columns, backend.OutputColumn{Name: name,
				Sources: []backend.ColumnSource{{Node: model.UniqueID, Column: name, Kind: backend.ColumnPassthrough}}})
		}
	}
	if len(problems) > 0 {
		out.Problem = "some of its expressions could not be read: " + strings.Join(problems, "; ")
	}
	return out
}

// analyzeMetric reads a metric's one column, named after it: made from
// the measure or the expression it aggregates over its semantic model, or
// from the metrics it combines. The dimensions its filters name are its
// reads: they decide which rows it counts.
func analyzeMetric(n backend.CodeNode, parents []backend.CodeNode, layer *semanticLayer, dialect sqlparse.Dialect) backend.NodeColumns {
	out := backend.NodeColumns{Node: n.UniqueID, Columns: []backend.OutputColumn{}}
	var m metric
	if len(n.Definition) == 0 || json.Unmarshal(n.Definition, &m) != nil {
		out.Problem = "its definition could not be read"
		return out
	}
	col := backend.OutputColumn{Name: n.Name, Sources: []backend.ColumnSource{}}
	parentOf := func(resourceType, name string) *backend.CodeNode {
		for i := range parents {
			if p := &parents[i]; p.ResourceType == resourceType && (name == "" || strings.EqualFold(p.Name, name)) {
				return p
			}
		}
		return nil
	}
	add := func(node *backend.CodeNode, column string) {
		if node != nil && column != "" {
			col.Sources = mergeSources(col.Sources, []backend.ColumnSource{{Node: node.UniqueID, Column: column, Kind: backend.ColumnTransformed}})
		}
	}
	tp := m.TypeParams
	if tp.Expr != nil {
		col.Expression = strings.TrimSpace(*tp.Expr)
	}
	if tp.Measure != nil {
		add(parentOf(backend.TypeSemanticModel, ""), tp.Measure.Name)
	}
	for _, ref := range m.combined() {
		add(parentOf(backend.TypeMetric, ref.Name), ref.Name)
	}
	if agg := tp.MetricAggregationParams; agg != nil {
		sm := parentOf(backend.TypeSemanticModel, agg.SemanticModel)
		expr := n.Name
		if tp.Expr != nil && strings.TrimSpace(*tp.Expr) != "" {
			expr = *tp.Expr
		}
		if sm != nil {
			c, err := readExpression(expr, nodeColumns(sm.UniqueID, nil, false), dialect)
			if err != nil {
				out.Problem = fmt.Sprintf("its expression could not be read: %v", err)
			}
			for _, s := range c.sources {
				add(sm, s.column)
			}
		}
	}
	out.Reads, col.Unresolved = layer.filterReads(m.filters(), layer.modelsRead(n.DependsOn, 0))
	out.Columns = append(out.Columns, col)
	return out
}

package columnlineage

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// savedQuery is what column lineage reads of a saved query (dbt 1.7+): the
// metrics it asks for, what it groups them by and its filter.
type savedQuery struct {
	QueryParams struct {
		Metrics []string        `json:"metrics"`
		GroupBy []string        `json:"group_by"`
		Where   json.RawMessage `json:"where"`
	} `json:"query_params"`
}

// analyzeSavedQuery reads a saved query's columns as MetricFlow names
// them: one per group-by (customer, customer__customer_type,
// metric_time__day), made from the semantic models' dimensions and
// entities, then one per metric, made from the metric. metric_time stands
// for each metric's own time dimension. The dimensions its filter names
// are its reads.
func analyzeSavedQuery(n backend.CodeNode, layer *semanticLayer) backend.NodeColumns {
	out := backend.NodeColumns{Node: n.UniqueID, Columns: []backend.OutputColumn{}}
	var sq savedQuery
	if len(n.Definition) == 0 || json.Unmarshal(n.Definition, &sq) != nil {
		out.Problem = "its definition could not be read"
		return out
	}
	var metrics []*backend.CodeNode
	var prefer []string // the semantic models its metrics read, where its dimensions are looked up first
	for _, name := range sq.QueryParams.Metrics {
		if m := layer.metrics[strings.ToLower(name)]; m != nil {
			metrics = append(metrics, m)
			prefer = append(prefer, layer.modelsRead(m.DependsOn, 0)...)
		}
	}
	var unresolved []string
	for _, text := range sq.QueryParams.GroupBy {
		refs := semanticRefs(text)
		if len(refs) != 1 {
			unresolved = append(unresolved, text)
			continue
		}
		r := refs[0]
		col := backend.OutputColumn{Name: r.qualifiedName(), Sources: []backend.ColumnSource{}}
		if r.element == "metric_time" {
			for _, m := range metrics {
				col.Sources = mergeSources(col.Sources, layer.aggTimeDimensions(m, 0))
			}
		} else if s, ok := layer.resolve(r, prefer); ok {
			col.Sources = []backend.ColumnSource{s}
		} else {
			col.Unresolved = []string{r.written}
		}
		for i := range col.Sources {
			col.Sources[i].Kind = groupByKind(r, col.Name, col.Sources[i].Column)
		}
		if len(col.Sources) > 0 && col.Sources[0].Kind == backend.ColumnTransformed {
			col.Expression = r.written
		}
		out.Columns = append(out.Columns, col)
	}
	for _, name := range sq.QueryParams.Metrics {
		col := backend.OutputColumn{Name: name, Sources: []backend.ColumnSource{}}
		if m := layer.metrics[strings.ToLower(name)]; m != nil {
			col.Sources = []backend.ColumnSource{{Node: m.UniqueID, Column: m.Name, Kind: backend.ColumnPassthrough}}
		} else {
			col.Unresolved = []string{name}
			unresolved = append(unresolved, name)
		}
		out.Columns = append(out.Columns, col)
	}
	reads, missing := layer.filterReads([]json.RawMessage{sq.QueryParams.Where}, prefer)
	out.Reads, unresolved = reads, append(unresolved, missing...)
	if len(unresolved) > 0 {
		out.Problem = fmt.Sprintf("it names what no semantic model or metric of the snapshot holds: %s", strings.Join(unresolved, ", "))
	}
	return out
}

// groupByKind is how a saved query's group-by column is made from the
// element it names: truncated to a grain (computed), under its qualified
// name (renamed), or as it is.
func groupByKind(r semanticRef, name, from string) string {
	switch {
	case r.grain != "":
		return backend.ColumnTransformed
	case strings.EqualFold(name, from):
		return backend.ColumnPassthrough
	}
	return backend.ColumnRename
}

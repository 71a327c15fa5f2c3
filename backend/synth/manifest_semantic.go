package synth

import (
	"fmt"
	"strings"
)

func (e *environment) writeSemanticModel(j *jsonWriter, i int) {
	n := &e.p.nodes[i]
	model := &e.p.nodes[n.parents[0]]
	entity := strings.TrimSuffix(n.pk, "_id")
	j.kStr("name", n.name)
	j.kStr("resource_type", "semantic_model")
	j.kStr("package_name", e.pkg)
	j.kStr("path", "marts/"+n.folder+"/_semantic_models.yml")
	j.kStr("original_file_path", "models/marts/"+n.folder+"/_semantic_models.yml")
	j.kStr("unique_id", n.id)
	j.kStrs("fqn", []string{e.pkg, "marts", n.folder, n.name})
	j.kStr("model", fmt.Sprintf("ref('%s')", model.name))
	j.keyObj("node_relation")
	j.kStr("alias", model.name)
	j.kStr("schema_name", e.schemaOf(model))
	j.kStr("database", e.database)
	j.kStr("relation_name", e.relation(model))
	j.endObj()
	j.kStr("description", "Semantic model over "+model.name+".")
	j.kNull("label")
	j.kRaw("defaults", `{"agg_time_dimension": "created_at"}`)
	j.keyArr("entities")
	j.raw(fmt.Sprintf(`{"name": "%s", "type": "primary", "description": null, "label": null, "role": null, "expr": "%s", "config": {"meta": {}}}`, entity, n.pk))
	j.endArr()
	j.keyArr("measures")
	j.raw(fmt.Sprintf(`{"name": "%s_count", "agg": "count", "description": "Number of %s rows.", "label": null, "create_metric": false, "expr": "%s", "agg_params": null, "non_additive_dimension": null, "agg_time_dimension": null, "config": {"meta": {}}}`, n.name, model.name, n.pk))
	j.raw(fmt.Sprintf(`{"name": "total_%s_amount", "agg": "sum", "description": "Sum of amounts.", "label": null, "create_metric": false, "expr": "amount", "agg_params": null, "non_additive_dimension": null, "agg_time_dimension": null, "config": {"meta": {}}}`, n.name))
	j.endArr()
	j.keyArr("dimensions")
	j.raw(`{"name": "created_at", "type": "time", "description": null, "label": null, "is_partition": false, "type_params": {"time_granularity": "day", "validity_params": null}, "expr": null, "metadata": null, "config": {"meta": {}}}`)
	j.endArr()
	j.kNull("metadata")
	e.writeDependsOn(j, n, []string{})
	j.keyArr("refs")
	j.raw(fmt.Sprintf(`{"name": "%s", "package": null, "version": null}`, model.name))
	j.endArr()
	j.kFloat("created_at", e.epoch(i), 6)
	j.kRaw("config", fmt.Sprintf(`{"enabled": true, "group": "%s", "meta": {}}`, n.folder))
	j.kRaw("unrendered_config", "{}")
	j.kNull("primary_entity")
	j.kStr("group", n.folder)
}

func (e *environment) writeMetric(j *jsonWriter, i int) {
	n := &e.p.nodes[i]
	sm := &e.p.nodes[n.parents[0]]
	j.kStr("name", n.name)
	j.kStr("resource_type", "metric")
	j.kStr("package_name", e.pkg)
	j.kStr("path", "marts/"+sm.folder+"/_metrics.yml")
	j.kStr("original_file_path", "models/marts/"+sm.folder+"/_metrics.yml")
	j.kStr("unique_id", n.id)
	j.kStrs("fqn", []string{e.pkg, "marts", sm.folder, n.name})
	j.kStr("description", "Metric "+strings.ReplaceAll(n.name, "_", " ")+".")
	j.kStr("label", strings.ReplaceAll(n.name, "_", " "))
	j.kStr("type", "simple")
	j.keyObj("type_params")
	j.kRaw("measure", fmt.Sprintf(`{"name": "%s", "filter": null, "alias": null, "join_to_timespine": false, "fill_nulls_with": null}`, n.pk))
	j.kRaw("input_measures", fmt.Sprintf(`[{"name": "%s", "filter": null, "alias": null, "join_to_timespine": false, "fill_nulls_with": null}]`, n.pk))
	j.kNull("numerator")
	j.kNull("denominator")
	j.kNull("expr")
	j.kNull("window")
	j.kNull("grain_to_date")
	j.kRaw("metrics", "[]")
	j.kNull("conversion_type_params")
	j.kNull("cumulative_type_params")
	j.kNull("metric_aggregation_params")
	j.endObj()
	j.kNull("filter")
	j.kNull("metadata")
	j.kNull("time_granularity")
	j.kRaw("meta", "{}")
	j.kRaw("tags", "[]")
	j.kRaw("config", fmt.Sprintf(`{"enabled": true, "group": "%s", "meta": {}}`, sm.folder))
	j.kRaw("unrendered_config", "{}")
	j.kRaw("sources", "[]")
	e.writeDependsOn(j, n, []string{})
	j.kRaw("refs", "[]")
	j.kRaw("metrics", "[]")
	j.kFloat("created_at", e.epoch(i), 6)
	j.kStr("group", sm.folder)
}

func (e *environment) writeMacro(j *jsonWriter, k int) {
	m := e.macros[k]
	j.keyObj(m.id())
	j.kStr("name", m.name)
	j.kStr("resource_type", "macro")
	j.kStr("package_name", m.pkg)
	j.kStr("path", m.path)
	j.kStr("original_file_path", m.path)
	j.kStr("unique_id", m.id())
	j.kStr("macro_sql", e.macroSQL(k))
	j.keyObj("depends_on")
	j.kStrs("macros", m.deps)
	j.endObj()
	description := ""
	if m.pkg == e.pkg {
		description = "Project macro " + m.name + "; see the macro file for usage."
	}
	j.kStr("description", description)
	j.kRaw("meta", "{}")
	j.kRaw("docs", `{"show": true, "node_color": null}`)
	j.kNull("patch_path")
	j.keyArr("arguments")
	if m.pkg == e.pkg {
		for _, a := range m.args {
			j.raw(fmt.Sprintf(`{"name": "%s", "type": null, "description": "The %s to operate on."}`, a, strings.ReplaceAll(a, "_", " ")))
		}
	}
	j.endArr()
	j.kFloat("created_at", e.epoch(k), 6)
	j.kNull("supported_languages")
	j.endObj()
}

// macroSQL renders a Jinja macro body of realistic length (0.3-3 KB).
func (e *environment) macroSQL(k int) string {
	m := e.macros[k]
	args := strings.Join(m.args, ", ")
	if m.dispatch {
		return fmt.Sprintf("{%% macro %s(%s) -%%}\n  {{ return(adapter.dispatch('%s', '%s')(%s)) }}\n{%%- endmacro %%}", m.name, args, m.name, m.pkg, args)
	}
	r := e.p.rng(k, 4)
	lines := macroLines()
	var b strings.Builder
	fmt.Fprintf(&b, "{%% macro %s(%s) -%%}\n", m.name, args)
	for range 6 + r.IntN(30) {
		line := lines[r.IntN(len(lines))]
		line = strings.ReplaceAll(line, "ARG", m.args[r.IntN(len(m.args))])
		b.WriteString("    ")
		b.WriteString(line)
		b.WriteString("\n")
	}
	b.WriteString("{%- endmacro %}\n")
	return b.String()
}

func macroLines() []string {
	return []string{
		"{%- set ARG_csv = get_quoted_csv(ARG | map(attribute=\"name\")) -%}",
		"{%- if ARG is none -%}{{ exceptions.raise_compiler_error(\"ARG is required\") }}{%- endif -%}",
		"{% call statement('main', fetch_result=True) -%}",
		"select {{ ARG }} from {{ this }} where {{ ARG }} is not null",
		"{%- endcall %}",
		"{%- set results = load_result('main') -%}",
		"{% for col in ARG %}{{ adapter.quote(col.name) }}{{ \",\" if not loop.last }}{% endfor %}",
		"{{ return(adapter.dispatch('ARG', 'dbt')(relation)) }}",
		"{%- set tmp_relation = make_temp_relation(this) -%}",
		"{% do adapter.drop_relation(tmp_relation) %}",
		"merge into {{ ARG }} as DBT_INTERNAL_DEST using {{ source }} as DBT_INTERNAL_SOURCE",
		"on {{ predicates | join(' and ') }}",
		"{%- set dest_cols_csv = get_quoted_csv(dest_columns | map(attribute=\"name\")) -%}",
		"when matched then update set {% for column_name in update_columns -%} {{ column_name }} = DBT_INTERNAL_SOURCE.{{ column_name }} {%- if not loop.last %}, {%- endif %} {%- endfor %}",
		"{{ log(\"Running \" ~ ARG ~ \" for \" ~ this, info=False) }}",
		"cast({{ ARG }} as {{ api.Column.translate_type('string') }})",
		"{%- set ARG = ARG if ARG is not none else config.get('ARG') -%}",
		"{% if execute %}{% set ARG = run_query(sql).columns[0].values() %}{% endif %}",
		"coalesce({{ ARG }}, {{ dbt.string_literal('') }})",
		"{{ dbt.datediff(ARG, dbt.current_timestamp(), 'day') }}",
	}
}

func (e *environment) writeDoc(j *jsonWriter, k int) {
	d := e.docs[k]
	j.keyObj(d.id())
	j.kStr("name", d.name)
	j.kStr("resource_type", "doc")
	j.kStr("package_name", d.pkg)
	j.kStr("path", strings.TrimPrefix(d.path, "models/"))
	j.kStr("original_file_path", d.path)
	j.kStr("unique_id", d.id())
	ss := sentences()
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", strings.ReplaceAll(d.name, "_", " "))
	for s := range 3 + k%5 {
		b.WriteString(ss[(k+s)%len(ss)])
		b.WriteString(" ")
	}
	j.kStr("block_contents", strings.TrimSpace(b.String()))
	j.endObj()
}

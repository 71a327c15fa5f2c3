package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

type macroDef struct {
	pkg, name, path string
	deps            []string // macro unique ids
	args            []string
	dispatch        bool // a thin adapter.dispatch wrapper
}

func (m macroDef) id() string { return "macro." + m.pkg + "." + m.name }

type docDef struct{ pkg, name, path string }

func (d docDef) id() string { return "doc." + d.pkg + "." + d.name }

// Macro names from dbt-core and common packages. Dispatched ones get a
// default__ and, for about half, an adapter-specific implementation, which is
// why real manifests carry several hundred macros.
func dbtDispatched() []string {
	return strings.Fields(`create_table_as create_view_as get_create_table_as_sql get_merge_sql
		get_delete_insert_merge_sql get_insert_overwrite_merge_sql get_incremental_append_sql
		get_incremental_merge_sql get_incremental_delete_insert_sql snapshot_merge_sql
		snapshot_hash_arguments snapshot_get_time get_columns_in_relation list_relations_without_caching
		list_schemas check_schema_exists create_schema drop_schema drop_relation truncate_relation
		rename_relation get_catalog current_timestamp type_string type_timestamp type_int type_bigint
		type_float type_numeric type_boolean dateadd datediff date_trunc cast_bool_to_text concat hash
		safe_cast split_part listagg any_value bool_or last_day right position length replace
		escape_single_quotes string_literal array_construct array_append array_concat get_show_grant_sql
		get_grant_sql get_revoke_sql apply_grants persist_docs alter_column_comment alter_relation_comment
		load_csv_rows create_csv_table reset_csv_table get_batch_size get_binding_char
		get_empty_subquery_sql get_empty_schema_sql get_limit_subquery_sql validate_sql generate_series
		get_relation_last_modified get_replace_sql get_rename_sql get_drop_sql`)
}

func dbtPlain() []string {
	return strings.Fields(`test_unique test_not_null test_accepted_values test_relationships get_where_subquery
		should_store_failures statement is_incremental run_query generate_schema_name generate_alias_name
		generate_database_name materialization_table_default materialization_view_default
		materialization_incremental_default materialization_seed_default materialization_snapshot_default
		materialization_test_default materialization_unit_default run_hooks make_temp_relation
		incremental_validate_on_schema_change process_schema_changes get_quoted_csv`)
}

func utilsMacros() []string {
	return strings.Fields(`star generate_surrogate_key union_relations date_spine pivot unpivot get_column_values
		group_by deduplicate safe_add safe_divide test_equal_rowcount test_expression_is_true test_recency
		test_at_least_one test_not_constant test_accepted_range test_unique_combination_of_columns
		get_filtered_columns_in_relation get_relations_by_prefix nullcheck_table width_bucket
		haversine_distance get_url_parameter get_url_host get_single_value slugify pretty_time log_info`)
}

func dateMacros() []string {
	return strings.Fields(`get_date_dimension day_name month_name day_of_week day_of_month day_of_year
		week_start week_end iso_week_start iso_week_of_year last_month next_month yesterday tomorrow today
		now convert_timezone from_unixtimestamp to_unixtimestamp periods_since n_days_ago n_weeks_ago
		n_months_ago get_fiscal_periods get_base_dates date_part`)
}

func projectMacros() []string {
	return strings.Fields(`cents_to_dollars limit_data_in_dev grant_select_on_schemas clean_email parse_utm
		fiscal_quarter safe_parse_json mask_pii audit_columns current_run_date`)
}

func macroArgs() []string {
	return strings.Fields(`relation column_name target source unique_key dest_columns sql datepart interval
		from_date_or_timestamp model values quote partition_by order_by`)
}

func planMacros(p *plan, r *rand.Rand) []macroDef {
	adapter := p.spec.Adapter
	var out []macroDef
	addDispatched := func(pkg, name, file string, adapterImpl bool) {
		args := pickArgs(r)
		impl := []string{"macro." + pkg + ".default__" + name}
		out = append(out, macroDef{pkg: pkg, name: name, path: file, deps: impl, args: args, dispatch: true},
			macroDef{pkg: pkg, name: "default__" + name, path: file, args: args,
				deps: []string{"macro.dbt.statement", "macro.dbt.get_quoted_csv"}})
		if adapterImpl {
			implPkg := "dbt_" + adapter
			out = append(out, macroDef{pkg: implPkg, name: adapter + "__" + name, path: "macros/adapters.sql", args: args,
				deps: []string{"macro.dbt.statement"}})
		}
	}
	for i, name := range dbtDispatched() {
		addDispatched("dbt", name, "macros/"+macroFolder(name)+"/"+name+".sql", i%2 == 0)
	}
	for _, name := range dbtPlain() {
		out = append(out, macroDef{pkg: "dbt", name: name, path: "macros/" + macroFolder(name) + "/" + name + ".sql",
			args: pickArgs(r), deps: []string{"macro.dbt.statement"}})
	}
	for _, name := range utilsMacros() {
		addDispatched("dbt_utils", name, "macros/sql/"+name+".sql", false)
	}
	for _, name := range dateMacros() {
		addDispatched("dbt_date", name, "macros/calendar_date/"+name+".sql", false)
	}
	project := projectMacros()
	verbs, nouns := intermediateVerbs(), entities()
	for k := range p.spec.Models / 200 {
		project = append(project, fmt.Sprintf("%s_%s_%d", strings.Split(verbs[k%len(verbs)], "_")[0], nouns[(k*7)%len(nouns)], k))
	}
	for _, name := range project {
		out = append(out, macroDef{pkg: p.spec.ProjectName, name: name, path: "macros/" + name + ".sql",
			args: pickArgs(r), deps: []string{"macro.dbt.type_numeric", "macro.dbt_utils.safe_divide"}})
	}
	return out
}

func pickArgs(r *rand.Rand) []string {
	all := macroArgs()
	n := 1 + r.IntN(4)
	start := r.IntN(len(all) - n)
	return all[start : start+n]
}

func macroFolder(name string) string {
	switch {
	case strings.HasPrefix(name, "materialization_"), strings.Contains(name, "incremental"), strings.Contains(name, "merge"):
		return "materializations"
	case strings.HasPrefix(name, "type_"), strings.HasPrefix(name, "date"), strings.HasPrefix(name, "array_"):
		return "utils"
	case strings.HasPrefix(name, "test_"), strings.HasPrefix(name, "get_where"), name == "should_store_failures":
		return "generic_test_sql"
	default:
		return "adapters"
	}
}

func planDocs(p *plan) []docDef {
	pkg := p.spec.ProjectName
	docs := []docDef{{"dbt", "__overview__", "overview.md"}, {pkg, "__overview__", "models/overview.md"}}
	for _, d := range p.martDomains {
		docs = append(docs, docDef{pkg, d + "_overview", "models/marts/" + d + "/docs.md"})
	}
	es := entities()
	for k := range max(10, p.spec.Models/50) {
		docs = append(docs, docDef{pkg, fmt.Sprintf("%s_definition_%d", es[k%len(es)], k), "models/docs/definitions.md"})
	}
	return docs
}

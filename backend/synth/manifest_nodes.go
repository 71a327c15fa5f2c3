package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// writeHead writes the identity keys every node in `nodes` starts with.
func (e *environment) writeHead(j *jsonWriter, n *node, rtype, path, originalPath string, fqn []string) {
	j.kStr("database", e.database)
	j.kStr("schema", e.schemaOf(n))
	j.kStr("name", n.name)
	j.kStr("resource_type", rtype)
	j.kStr("package_name", e.pkg)
	j.kStr("path", path)
	j.kStr("original_file_path", originalPath)
	j.kStr("unique_id", n.id)
	j.kStrs("fqn", fqn)
	j.kStr("alias", n.name)
}

func (e *environment) writeChecksum(j *jsonWriter, body string) {
	j.keyObj("checksum")
	if body == "" {
		j.kStr("name", "none")
		j.kStr("checksum", "")
	} else {
		j.kStr("name", "sha256")
		j.kStr("checksum", sha256Hex(body))
	}
	j.endObj()
}

// writeBuildConfig writes the config keys shared by models, seeds and snapshots.
func (e *environment) writeBuildConfig(j *jsonWriter, n *node, tags []string, meta func(), uniqueKey string) {
	j.kBool("enabled", true)
	j.kNull("alias")
	j.kStrOrNull("schema", e.customSchema(n))
	j.kNull("database")
	j.kStrs("tags", tags)
	j.keyObj("meta")
	meta()
	j.endObj()
	if n.layer == layerMart {
		j.kStr("group", n.folder)
	} else {
		j.kNull("group")
	}
	j.kStr("materialized", n.material)
	if n.material == "incremental" {
		j.kStr("incremental_strategy", "delete+insert")
	} else {
		j.kNull("incremental_strategy")
	}
	j.kNull("batch_size")
	j.kInt("lookback", 1)
	j.kNull("begin")
	j.kRaw("persist_docs", "{}")
	j.kRaw("post-hook", "[]")
	j.kRaw("pre-hook", "[]")
	j.kRaw("quoting", "{}")
	j.kRaw("column_types", "{}")
	j.kNull("full_refresh")
	j.kStrOrNull("unique_key", uniqueKey)
	if n.material == "incremental" {
		j.kStr("on_schema_change", "append_new_columns")
	} else {
		j.kStr("on_schema_change", "ignore")
	}
	j.kStr("on_configuration_change", "apply")
	j.kRaw("grants", "{}")
	j.kRaw("packages", "[]")
	j.kRaw("docs", `{"show": true, "node_color": null}`)
	j.kRaw("contract", `{"enforced": false, "alias_types": true}`)
	j.kNull("event_time")
	j.kNull("concurrent_batches")
}

func (e *environment) modelTags(n *node, r *rand.Rand) []string {
	names := [...]string{"raw", "staging", "intermediate", "marts"}
	tags := []string{names[n.layer], n.folder}
	switch r.IntN(6) {
	case 0:
		tags = append(tags, "hourly")
	case 1:
		tags = append(tags, "nightly")
	case 2:
		tags = append(tags, "pii")
	}
	return tags
}

func (e *environment) access(n *node) string {
	if n.layer == layerMart {
		return "public"
	}
	return "protected"
}

func (e *environment) writeModel(j *jsonWriter, i int) {
	n := &e.p.nodes[i]
	r := e.p.rng(i, 1)
	code := e.modelSQL(i, r)
	tags := e.modelTags(n, r)
	owner := ownerNames()[r.IntN(len(ownerNames()))]
	tier := [...]string{"gold", "silver", "bronze"}[n.layer%3]
	meta := func() { j.kStr("owner", owner); j.kStr("tier", tier) }
	path := e.filePath(n)
	e.writeHead(j, n, "model", strings.TrimPrefix(path, "models/"), path, e.fqn(n))
	e.writeChecksum(j, code.raw)
	j.keyObj("config")
	uniqueKey := ""
	if n.material == "incremental" {
		uniqueKey = n.pk
	}
	e.writeBuildConfig(j, n, tags, meta, uniqueKey)
	j.kStr("access", e.access(n))
	j.kNull("freshness")
	j.endObj()
	j.kStrs("tags", tags)
	j.kStr("description", e.description(n, r))
	e.writeColumns(j, n, r)
	j.keyObj("meta")
	meta()
	j.endObj()
	if n.layer == layerMart {
		j.kStr("group", n.folder)
	} else {
		j.kNull("group")
	}
	j.kRaw("docs", `{"show": true, "node_color": null}`)
	j.kStr("patch_path", e.pkg+"://"+e.yamlPath(n))
	j.kStr("build_path", "target/run/"+e.pkg+"/"+path)
	j.keyObj("unrendered_config")
	j.kStr("materialized", n.material)
	j.kStrs("tags", tags)
	j.endObj()
	j.kFloat("created_at", e.epoch(i), 6)
	j.kStrOrNull("relation_name", e.relation(n))
	j.kStr("raw_code", code.raw)
	j.kRaw("doc_blocks", "[]")
	j.kStr("language", "sql")
	e.writeRefs(j, n)
	j.kRaw("metrics", "[]")
	j.kRaw("functions", "[]")
	e.writeDependsOn(j, n, code.macros)
	j.kStr("compiled_path", "target/compiled/"+e.pkg+"/"+path)
	j.kBool("compiled", true)
	j.kStr("compiled_code", code.compiled)
	j.kBool("extra_ctes_injected", true)
	j.keyArr("extra_ctes")
	for _, c := range code.extraCTEs {
		j.obj()
		j.kStr("id", c.id)
		j.kStr("sql", c.sql)
		j.endObj()
	}
	j.endArr()
	j.kRaw("contract", `{"enforced": false, "alias_types": true, "checksum": null}`)
	j.kStr("access", e.access(n))
	j.kRaw("constraints", "[]")
	j.kNull("version")
	j.kNull("latest_version")
	j.kNull("deprecation_date")
	j.keyArr("primary_key")
	j.str(n.pk)
	j.endArr()
	j.kNull("time_spine")
}

// writeRefs writes refs (model/seed/snapshot parents) and sources pairs.
func (e *environment) writeRefs(j *jsonWriter, n *node) {
	j.keyArr("refs")
	for _, pi := range n.parents {
		if p := &e.p.nodes[pi]; p.rtype != rtSource {
			j.obj()
			j.kStr("name", p.name)
			j.kNull("package")
			j.kNull("version")
			j.endObj()
		}
	}
	j.endArr()
	j.keyArr("sources")
	for _, pi := range n.parents {
		if p := &e.p.nodes[pi]; p.rtype == rtSource {
			j.arr()
			j.str(p.system)
			j.str(p.name)
			j.endArr()
		}
	}
	j.endArr()
}

func (e *environment) writeDependsOn(j *jsonWriter, n *node, macros []string) {
	j.keyObj("depends_on")
	j.kStrs("macros", macros)
	j.kStrs("nodes", e.sortedIDs(n.parents))
	j.endObj()
}

func (e *environment) writeColumns(j *jsonWriter, n *node, r *rand.Rand) {
	j.keyObj("columns")
	for _, c := range n.columns {
		j.keyObj(c.name)
		j.kStr("name", c.name)
		j.kStr("description", columnDescription(n, c, r))
		tag := ""
		if c.name == "email" {
			tag = "pii"
		}
		if tag != "" {
			j.kRaw("meta", `{"sensitivity": "pii"}`)
		} else {
			j.kRaw("meta", "{}")
		}
		j.kNull("data_type")
		j.kRaw("constraints", "[]")
		j.kNull("quote")
		if tag != "" {
			j.kRaw("config", `{"meta": {"sensitivity": "pii"}, "tags": ["pii"]}`)
			j.kRaw("tags", `["pii"]`)
		} else {
			j.kRaw("config", `{"meta": {}, "tags": []}`)
			j.kRaw("tags", "[]")
		}
		j.kNull("granularity")
		j.kRaw("doc_blocks", "[]")
		j.endObj()
	}
	j.endObj()
}

func (e *environment) description(n *node, r *rand.Rand) string {
	ss := sentences()
	var b strings.Builder
	switch n.layer {
	case layerStaging:
		fmt.Fprintf(&b, "Staged %s records from the %s source: renamed, cast and lightly cleaned.", n.name[strings.LastIndex(n.name, "__")+2:], n.system)
	case layerIntermediate:
		fmt.Fprintf(&b, "Intermediate %s logic for the %s domain.", strings.TrimPrefix(n.name, "int_"), n.folder)
	default:
		fmt.Fprintf(&b, "%s mart for %s reporting.", strings.TrimPrefix(strings.TrimPrefix(n.name, "dim_"), "fct_"), n.folder)
	}
	for range 1 + r.IntN(3) {
		b.WriteString(" ")
		b.WriteString(ss[r.IntN(len(ss))])
	}
	return b.String()
}

func columnDescription(n *node, c column, r *rand.Rand) string {
	switch {
	case c.name == n.pk:
		return "Primary key of " + n.name + ". Unique and never null."
	case c.family == "key":
		return "Foreign key to the " + strings.TrimSuffix(c.name, "_id") + " entity."
	case c.family == "ts":
		return "When the record was " + strings.TrimSuffix(c.name, "_at") + ", in UTC."
	case c.family == "money":
		return "The " + strings.ReplaceAll(c.name, "_", " ") + " in USD, rounded to cents."
	case r.IntN(3) == 0:
		return ""
	default:
		return "The " + strings.ReplaceAll(c.name, "_", " ") + " as reported by the source system."
	}
}

package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

const (
	dbtVersion       = "1.11.2"
	manifestSchema   = "https://schemas.getdbt.com/dbt/manifest/v12.json"
	catalogSchema    = "https://schemas.getdbt.com/dbt/catalog/v1.json"
	runResultsSchema = "https://schemas.getdbt.com/dbt/run-results/v6.json"
	sourcesSchema    = "https://schemas.getdbt.com/dbt/sources/v3.json"
)

// writeManifest streams manifest.json in dbt's top-level key order.
func (e *environment) writeManifest(j *jsonWriter) {
	j.obj()
	e.writeMetadata(j, manifestSchema, e.generatedAt, true)
	j.keyObj("nodes")
	for _, t := range []resourceType{rtModel, rtTest, rtSeed, rtSnapshot} {
		s, end := e.p.rangeOf(t)
		for i := s; i < end; i++ {
			n := &e.p.nodes[i]
			j.keyObj(n.id)
			switch t {
			case rtModel:
				e.writeModel(j, i)
			case rtTest:
				e.writeTest(j, i)
			case rtSeed:
				e.writeSeed(j, i)
			case rtSnapshot:
				e.writeSnapshot(j, i)
			}
			j.endObj()
		}
	}
	j.endObj()
	e.writeEach(j, "sources", rtSource, e.writeSource)
	j.keyObj("macros")
	for i := range e.macros {
		e.writeMacro(j, i)
	}
	j.endObj()
	j.keyObj("docs")
	for i := range e.docs {
		e.writeDoc(j, i)
	}
	j.endObj()
	e.writeEach(j, "exposures", rtExposure, e.writeExposure)
	e.writeEach(j, "metrics", rtMetric, e.writeMetric)
	e.writeGroups(j)
	j.kRaw("selectors", `{"marts_nightly": {"name": "marts_nightly", "definition": {"method": "path", "value": "models/marts"}, "default": false, "description": "Every mart, for the nightly job"}}`)
	j.kRaw("disabled", "{}")
	e.writeLineageMap(j, "parent_map", func(i int) []int32 { return e.p.nodes[i].parents })
	e.writeLineageMap(j, "child_map", func(i int) []int32 { return e.children[i] })
	e.writeGroupMap(j)
	j.kRaw("saved_queries", "{}")
	e.writeEach(j, "semantic_models", rtSemanticModel, e.writeSemanticModel)
	j.kRaw("unit_tests", "{}")
	j.kRaw("functions", "{}")
	j.endObj()
}

func (e *environment) writeEach(j *jsonWriter, key string, t resourceType, fn func(*jsonWriter, int)) {
	j.keyObj(key)
	s, end := e.p.rangeOf(t)
	for i := s; i < end; i++ {
		j.keyObj(e.p.nodes[i].id)
		fn(j, i)
		j.endObj()
	}
	j.endObj()
}

func (e *environment) writeMetadata(j *jsonWriter, schema string, generatedAt time.Time, manifest bool) {
	j.keyObj("metadata")
	j.kStr("dbt_schema_version", schema)
	j.kStr("dbt_version", dbtVersion)
	j.kStr("generated_at", ts(generatedAt))
	j.kStr("invocation_id", e.invocationID)
	j.kStr("invocation_started_at", ts(e.parsedAt))
	j.kRaw("env", "{}")
	if manifest {
		j.kStr("project_name", e.pkg)
		j.kStr("project_id", e.projectID)
		j.kStr("user_id", e.userID)
		j.kBool("send_anonymous_usage_stats", false)
		j.kStr("adapter_type", e.p.spec.Adapter)
		j.kRaw("quoting", `{"database": true, "schema": true, "identifier": true, "column": null}`)
		j.kStr("run_started_at", ts(e.parsedAt))
	}
	j.endObj()
}

// writeLineageMap writes parent_map or child_map over every graph member,
// each list sorted by unique_id as dbt does.
func (e *environment) writeLineageMap(j *jsonWriter, key string, edges func(int) []int32) {
	j.keyObj(key)
	for i := range e.p.nodes {
		j.keyArr(e.p.nodes[i].id)
		for _, k := range e.sortedIDs(edges(i)) {
			j.str(k)
		}
		j.endArr()
	}
	j.endObj()
}

// sortedIDs returns the ids of idx sorted; parents are index-sorted in the
// plan, which is not id order.
func (e *environment) sortedIDs(idx []int32) []string {
	ids := make([]string, len(idx))
	for k, i := range idx {
		ids[k] = e.p.nodes[i].id
	}
	slices.Sort(ids)
	return ids
}

func (e *environment) writeGroups(j *jsonWriter) {
	j.keyObj("groups")
	owners := ownerNames()
	for k, d := range e.p.martDomains {
		j.keyObj("group." + e.pkg + "." + d)
		j.kStr("name", d)
		j.kStr("resource_type", "group")
		j.kStr("package_name", e.pkg)
		j.kStr("path", "marts/"+d+"/_groups.yml")
		j.kStr("original_file_path", "models/marts/"+d+"/_groups.yml")
		j.kStr("unique_id", "group."+e.pkg+"."+d)
		j.keyObj("owner")
		j.kStr("email", strings.ReplaceAll(d, "_", "-")+"-data@example.com")
		j.kStr("name", owners[k%len(owners)])
		j.endObj()
		j.kStr("description", "Models owned by the "+d+" analytics team.")
		j.kRaw("config", `{"meta": {}}`)
		j.endObj()
	}
	j.endObj()
}

func (e *environment) writeGroupMap(j *jsonWriter) {
	j.keyObj("group_map")
	s, end := e.p.rangeOf(rtModel)
	for _, d := range e.p.martDomains {
		j.keyArr(d)
		for i := s; i < end; i++ {
			if n := &e.p.nodes[i]; n.layer == layerMart && n.folder == d {
				j.str(n.id)
			}
		}
		j.endArr()
	}
	j.endObj()
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

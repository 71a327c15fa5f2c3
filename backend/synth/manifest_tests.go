package synth

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strings"
)

// testFileName mirrors dbt: long generic test names get a hashed file name.
func testFileName(t *node, kind string, targetName string) string {
	if len(t.name) <= 63 {
		return t.name + ".sql"
	}
	sum := md5.Sum([]byte(t.name))
	return fmt.Sprintf("%s_%s_%s.sql", kind, targetName, hex.EncodeToString(sum[:]))
}

func (e *environment) writeTest(j *jsonWriter, i int) {
	n := &e.p.nodes[i]
	t := n.test
	target := &e.p.nodes[t.target]
	generic := t.kind != testSingular
	var path, originalPath, raw string
	var fqn []string
	if generic {
		path = testFileName(n, t.kind.String(), target.name)
		if target.rtype == rtSource {
			originalPath = e.filePath(target)
		} else {
			originalPath = e.yamlPath(target)
		}
		targetFQN := e.fqn(target)
		fqn = append(targetFQN[:len(targetFQN)-1], n.name)
		raw = fmt.Sprintf("{{ test_%s(**_dbt_generic_test_kwargs) }}", t.kind)
	} else {
		path = target.folder + "/" + n.name + ".sql"
		originalPath = "tests/" + path
		fqn = []string{e.pkg, target.folder, n.name}
		raw = fmt.Sprintf("-- Rows returned here are failures.\nselect *\nfrom {{ ref('%s') }}\nwhere amount < 0\n   or created_at > current_timestamp + interval '1 day'\n", target.name)
	}
	if target.rtype == rtSource {
		fqn = []string{e.pkg, "staging", target.folder, n.name}
	}
	e.writeHead(j, n, "test", path, originalPath, fqn)
	if generic {
		e.writeChecksum(j, "")
	} else {
		e.writeChecksum(j, raw)
	}
	tags := []string{}
	if target.isHub {
		tags = []string{"critical"}
	}
	j.keyObj("config")
	j.kBool("enabled", true)
	j.kNull("alias")
	j.kStr("schema", "dbt_test__audit")
	j.kNull("database")
	j.kStrs("tags", tags)
	j.kRaw("meta", "{}")
	j.kNull("group")
	j.kStr("materialized", "test")
	j.kStr("severity", t.severity)
	j.kNull("store_failures")
	j.kNull("store_failures_as")
	j.kNull("where")
	j.kNull("limit")
	j.kStr("fail_calc", "count(*)")
	j.kStr("warn_if", "!= 0")
	j.kStr("error_if", "!= 0")
	j.endObj()
	j.kStrs("tags", tags)
	j.kStr("description", "")
	j.kRaw("columns", "{}")
	j.kRaw("meta", "{}")
	j.kNull("group")
	j.kRaw("docs", `{"show": true, "node_color": null}`)
	j.kNull("patch_path")
	j.kStr("build_path", "target/run/"+e.pkg+"/"+originalPath+"/"+path)
	j.keyObj("unrendered_config")
	if t.severity != "ERROR" {
		j.kStr("severity", strings.ToLower(t.severity))
	}
	j.endObj()
	j.kFloat("created_at", e.epoch(i), 6)
	j.kNull("relation_name")
	j.kStr("raw_code", raw)
	j.kRaw("doc_blocks", "[]")
	j.kStr("language", "sql")
	e.writeRefs(j, n)
	j.kRaw("metrics", "[]")
	j.kRaw("functions", "[]")
	macros := []string{"macro.dbt.get_limit_subquery_sql", "macro.dbt.should_store_failures", "macro.dbt.statement"}
	if generic {
		macros = append([]string{"macro.dbt.test_" + t.kind.String(), "macro.dbt.get_where_subquery"}, macros...)
	}
	e.writeDependsOn(j, n, macros)
	j.kStr("compiled_path", "target/compiled/"+e.pkg+"/"+originalPath+"/"+path)
	j.kBool("compiled", true)
	j.kStr("compiled_code", e.testSQL(n))
	j.kBool("extra_ctes_injected", true)
	j.kRaw("extra_ctes", "[]")
	j.kRaw("contract", `{"enforced": false, "alias_types": true, "checksum": null}`)
	if !generic {
		return
	}
	j.kStr("column_name", t.column)
	if target.rtype == rtSource {
		j.kStr("file_key_name", "sources."+target.system)
		j.kNull("attached_node")
	} else {
		j.kStr("file_key_name", "models."+target.name)
		j.kStr("attached_node", target.id)
	}
	e.writeTestMetadata(j, n, target)
}

func (e *environment) writeTestMetadata(j *jsonWriter, n *node, target *node) {
	t := n.test
	j.keyObj("test_metadata")
	j.kStr("name", t.kind.String())
	j.keyObj("kwargs")
	switch t.kind {
	case testAcceptedValues:
		j.kStrs("values", statusValues()[:4])
	case testRelationships:
		j.kStr("to", fmt.Sprintf("ref('%s')", e.p.nodes[t.to].name))
		j.kStr("field", t.column)
	}
	j.kStr("column_name", t.column)
	if target.rtype == rtSource {
		j.kStr("model", fmt.Sprintf("{{ get_where_subquery(source('%s', '%s')) }}", target.system, target.name))
	} else {
		j.kStr("model", fmt.Sprintf("{{ get_where_subquery(ref('%s')) }}", target.name))
	}
	j.endObj()
	j.kNull("namespace")
	j.endObj()
}

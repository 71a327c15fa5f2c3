package synth

import "time"

// warehouseType maps a column family to the adapter's catalog type name.
func (e *environment) warehouseType(family string) string {
	pg := e.p.spec.Adapter == "postgres"
	switch family {
	case "key", "str":
		if pg {
			return "text"
		}
		return "VARCHAR"
	case "ts":
		if pg {
			return "timestamp without time zone"
		}
		return "TIMESTAMP"
	case "date":
		if pg {
			return "date"
		}
		return "DATE"
	case "money":
		if pg {
			return "numeric(18,2)"
		}
		return "DECIMAL(18,2)"
	case "int":
		if pg {
			return "bigint"
		}
		return "BIGINT"
	case "float":
		if pg {
			return "double precision"
		}
		return "DOUBLE"
	default:
		if pg {
			return "boolean"
		}
		return "BOOLEAN"
	}
}

// writeCatalog writes catalog.json as `dbt docs generate` would: every
// relation that exists (no ephemeral models, no tests) with its columns.
func (e *environment) writeCatalog(j *jsonWriter) {
	j.obj()
	// docs generate ran just before the build finished
	e.writeMetadata(j, catalogSchema, e.generatedAt.Add(-90*time.Second), false)
	j.keyObj("nodes")
	for _, t := range []resourceType{rtSeed, rtSnapshot, rtModel} {
		s, end := e.p.rangeOf(t)
		for i := s; i < end; i++ {
			if n := &e.p.nodes[i]; n.material != "ephemeral" {
				e.writeCatalogTable(j, n)
			}
		}
	}
	j.endObj()
	j.keyObj("sources")
	s, end := e.p.rangeOf(rtSource)
	for i := s; i < end; i++ {
		e.writeCatalogTable(j, &e.p.nodes[i])
	}
	j.endObj()
	j.kNull("errors")
	j.endObj()
}

func (e *environment) writeCatalogTable(j *jsonWriter, n *node) {
	j.keyObj(n.id)
	j.keyObj("metadata")
	if n.material == "view" {
		j.kStr("type", "VIEW")
	} else {
		j.kStr("type", "BASE TABLE")
	}
	j.kStr("schema", e.schemaOf(n))
	j.kStr("name", n.name)
	j.kStr("database", e.database)
	j.kNull("comment")
	j.kNull("owner")
	j.endObj()
	j.keyObj("columns")
	for k, c := range n.columns {
		j.keyObj(c.name)
		j.kStr("type", e.warehouseType(c.family))
		j.kInt("index", k+1)
		j.kStr("name", c.name)
		j.kNull("comment")
		j.endObj()
	}
	if n.rtype == rtSource {
		j.keyObj("_" + n.loader + "_synced")
		j.kStr("type", e.warehouseType("ts"))
		j.kInt("index", len(n.columns)+1)
		j.kStr("name", "_"+n.loader+"_synced")
		j.kNull("comment")
		j.endObj()
	}
	j.endObj()
	j.kRaw("stats", `{"has_stats": {"id": "has_stats", "label": "Has Stats?", "value": false, "include": false, "description": "Indicates whether there are statistics for this table"}}`)
	j.kStr("unique_id", n.id)
	j.endObj()
}

package artifact

import (
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Manifests before dbt 1.3 (and 0.21's seeds) have no relation_name: the
// model-to-table mapping is then written here as dbt renders a relation,
// from database, schema and identifier with the adapter's quoting.

// quotePolicy says which parts of a relation name are quoted or left out.
type quotePolicy struct {
	char                    string
	database, schema, ident bool // quoted
	includeDatabase         bool
}

// adapterQuoting is each adapter's default policy (its Relation class);
// an adapter not listed renders as dbt-core's default: every part in "".
var adapterQuoting = map[string]quotePolicy{
	"bigquery":   {char: "`", database: true, schema: true, ident: true, includeDatabase: true},
	"databricks": {char: "`", database: true, schema: true, ident: true, includeDatabase: true},
	"spark":      {char: "`"},
	"snowflake":  {char: `"`, includeDatabase: true},
}

func defaultQuoting(adapter string) quotePolicy {
	if p, ok := adapterQuoting[strings.ToLower(adapter)]; ok {
		return p
	}
	return quotePolicy{char: `"`, database: true, schema: true, ident: true, includeDatabase: true}
}

// hasRelation reports whether dbt gives r a relation in the warehouse.
func hasRelation(r *backend.Resource) bool {
	switch r.ResourceType {
	case backend.TypeSeed, backend.TypeSnapshot, backend.TypeSource:
		return true
	case backend.TypeModel:
		return r.Materialized != "ephemeral"
	}
	return false
}

// relationName renders r's relation as dbt would: "" when it has none or
// its identifier is unknown. overrides are the quoting objects that apply
// (the node's config.quoting, a source's quoting), later ones winning.
func relationName(r *backend.Resource, adapter string, overrides ...[]byte) string {
	if !hasRelation(r) || r.Identifier == "" {
		return ""
	}
	p := defaultQuoting(adapter)
	for _, o := range overrides {
		_ = EachMember(o, func(k, v []byte) error {
			if kindOf(v) != "a boolean" {
				return nil // null: the default stands
			}
			switch string(k) {
			case "database":
				p.database = boolean(v)
			case "schema":
				p.schema = boolean(v)
			case "identifier":
				p.ident = boolean(v)
			}
			return nil
		})
	}
	var parts []string
	add := func(name string, quoted bool) {
		if name == "" {
			return
		}
		if quoted {
			name = p.char + strings.ReplaceAll(name, p.char, p.char+p.char) + p.char
		}
		parts = append(parts, name)
	}
	if p.includeDatabase {
		add(r.Database, p.database)
	}
	add(r.Schema, p.schema)
	add(r.Identifier, p.ident)
	return strings.Join(parts, ".")
}

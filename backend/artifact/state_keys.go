package artifact

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// stateParts are the raw values of a manifest entry that only state:
// compares (backend.StateKeys).
type stateParts struct {
	unrendered                                                []byte
	hasUnrendered                                             bool
	deprecation, quoting, external, constraints, textChecksum []byte
	nodeRelation, defaults, entities, dimensions, measures    []byte
	primaryEntity, queryParams, owner                         []byte
	kind, maturity, url, label, model                         string
}

// member notes key's value when state: compares it; false when it is not
// one of those keys.
func (p *stateParts) member(key, v []byte) bool {
	switch string(key) {
	case "unrendered_config":
		p.unrendered, p.hasUnrendered = v, true
	case "deprecation_date":
		p.deprecation = v
	case "quoting":
		p.quoting = v
	case "external":
		p.external = v
	case "constraints":
		p.constraints = v
	case "node_relation":
		p.nodeRelation = v
	case "defaults":
		p.defaults = v
	case "entities":
		p.entities = v
	case "dimensions":
		p.dimensions = v
	case "measures":
		p.measures = v
	case "primary_entity":
		p.primaryEntity = v
	case "query_params":
		p.queryParams = v
	default:
		return false
	}
	return true
}

// keys builds r's StateKeys once r is normalised.
func (p *stateParts) keys(r *backend.Resource, cfg config) backend.StateKeys {
	k := backend.StateKeys{PersistRelationDocs: cfg.persistRelation, PersistColumnDocs: cfg.persistColumns}
	configured := p.unrendered
	if !p.hasUnrendered { // manifests older than dbt 0.19: the rendered config
		configured = r.Config
	}
	k.Config = sortedMembers(configured, "database", "schema", "alias")
	switch {
	case r.ResourceType == backend.TypeSource:
		k.Relation = joinKey(r.Database, r.Schema, r.Identifier)
	case p.hasUnrendered:
		var database, schema, alias []byte
		_ = EachMember(p.unrendered, func(key, v []byte) error {
			switch string(key) {
			case "database":
				database = v
			case "schema":
				schema = v
			case "alias":
				alias = v
			}
			return nil
		})
		k.Relation = joinKey(canonicalJSON(database), canonicalJSON(schema), canonicalJSON(alias))
	default: // manifests older than unrendered_config (dbt 0.19)
		k.Relation = joinKey(r.Database, r.Schema, r.Identifier)
	}
	k.Contract = p.contract(r)
	switch r.ResourceType {
	case backend.TypeModel:
		k.Properties = joinKey(r.LatestVersion, r.Access, canonicalJSON(p.deprecation))
	case backend.TypeSource:
		var freshness []byte
		loadedAt := ""
		if r.Source != nil {
			freshness, loadedAt = r.Source.Freshness, r.Source.LoadedAtField
		}
		k.Properties = joinKey(canonicalJSON(p.quoting), canonicalJSON(freshness), loadedAt, canonicalJSON(p.external))
	case backend.TypeExposure:
		k.Properties = joinKey(p.kind, canonicalJSON(p.owner), p.maturity, p.url, r.Description, p.label, strings.Join(r.DependsOn, ","))
	case backend.TypeMetric:
		k.Properties = joinKey(p.kind, r.Description, p.label)
	case backend.TypeSemanticModel:
		k.Properties = joinKey(p.model, canonicalJSON(p.nodeRelation), r.Description, canonicalJSON(p.defaults),
			canonicalJSON(p.entities), canonicalJSON(p.dimensions), canonicalJSON(p.measures), str(p.primaryEntity), r.Group)
	case backend.TypeSavedQuery:
		k.Properties = joinKey(canonicalJSON(p.queryParams), r.Description, p.label, r.Group)
	case backend.TypeUnitTest:
		k.Properties = str(p.textChecksum) // everything but the description, hashed by dbt
	}
	return k
}

// contract is what dbt's contract checksum covers, for a model whose
// contract is enforced: its columns by name with their data types and
// constraints, and for a materialization that enforces constraints, the
// materialization and the model's constraints.
func (p *stateParts) contract(r *backend.Resource) string {
	if r.ResourceType != backend.TypeModel || !r.ContractEnforced {
		return ""
	}
	columns := slices.Clone(r.Columns)
	slices.SortFunc(columns, func(a, b backend.Column) int { return strings.Compare(a.Name, b.Name) })
	var b strings.Builder
	b.WriteString("enforced")
	for _, c := range columns {
		if c.InManifest {
			b.WriteString(joinKey("", c.Name, c.DeclaredType, canonicalConstraints(c.Constraints)))
		}
	}
	if r.Materialized == "table" || r.Materialized == "incremental" {
		b.WriteString(joinKey("", r.Materialized, canonicalConstraints(p.constraints)))
	}
	return b.String()
}

// canonicalConstraints is canonicalJSON of a list of constraints with
// only what a constraint enforces (type, name, expression, columns, to,
// to_columns): dbt 1.9+ also writes its warn_unenforced and
// warn_unsupported flags, which would make every contract differ from
// one written by an older dbt.
func canonicalConstraints(v []byte) string {
	var list []map[string]any
	if isEmptyValue(v) || json.Unmarshal(v, &list) != nil {
		return canonicalJSON(v)
	}
	kept := make([]any, 0, len(list))
	for _, c := range list {
		for k := range c {
			switch k {
			case "type", "name", "expression", "columns", "to", "to_columns":
			default:
				delete(c, k)
			}
		}
		kept = append(kept, c)
	}
	out, err := json.Marshal(kept)
	if err != nil {
		return canonicalJSON(v)
	}
	return canonicalJSON(out)
}

// sortedMembers writes an object's members sorted by key, each key and
// value as written, leaving out the keys skipped and null values (dbt 1.8
// wrote "internal_package": null into every unrendered_config); objects
// and lists as canonicalJSON writes them (newer dbt versions add null
// members, such as a source freshness' "filter").
func sortedMembers(v []byte, skip ...string) string {
	var members []string
	_ = EachMember(v, func(key, value []byte) error {
		if isNull(value) || slices.Contains(skip, string(key)) {
			return nil
		}
		text := string(value)
		if value[0] == '{' || value[0] == '[' {
			text = canonicalJSON(value)
		}
		members = append(members, joinKey(string(key), text))
		return nil
	})
	slices.Sort(members)
	return joinKey(members...)
}

// joinKey joins parts with NUL, which no part holds as written by dbt.
func joinKey(parts ...string) string { return strings.Join(parts, "\x00") }

// canonicalJSON writes v with sorted keys, and without nulls and empty
// objects or lists, so that a value another dbt version writes with more
// defaults or in another key order compares equal; "" for an empty value.
func canonicalJSON(v []byte) string {
	if isEmptyValue(v) {
		return ""
	}
	var x any
	if json.Unmarshal(v, &x) != nil {
		return string(v)
	}
	if x = prune(x); x == nil {
		return ""
	}
	out, err := json.Marshal(x)
	if err != nil {
		return string(v)
	}
	return string(out)
}

func prune(x any) any {
	switch t := x.(type) {
	case map[string]any:
		for k, v := range t {
			if v = prune(v); v == nil {
				delete(t, k)
			} else {
				t[k] = v
			}
		}
		if len(t) == 0 {
			return nil
		}
	case []any:
		for i, v := range t {
			t[i] = prune(v)
		}
		if len(t) == 0 {
			return nil
		}
	}
	return x
}

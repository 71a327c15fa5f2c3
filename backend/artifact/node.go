package artifact

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// entry is a resource as decoded from one manifest entry, with the fields
// that are only needed to finish normalising it once every entry is known.
type entry struct {
	backend.Resource
	kwargsModel string // test_metadata.kwargs.model (a ref()/source() Jinja string)
	kwargsTo    string // test_metadata.kwargs.to, for relationships tests
	testedModel string // unit tests: model (a name)
	testedNode  string // unit tests (Fusion): tested_node_unique_id
	// quoting: config.quoting, then a source's own quoting, for a
	// relation_name the manifest does not give (relation.go).
	quoting [][]byte
	// odd are members of a kind dbt never writes, ignored (the reader warns).
	odd []oddValue
	ok  bool // false when the entry was not a JSON object
	// configDisabled: config.enabled is false. dbt 0.19 lists such tests
	// among the enabled nodes; dbt's selector leaves them out all the same
	// (NodeSelector._is_graph_member).
	configDisabled bool
}

type oddValue struct {
	field, want string
	value       []byte
}

// config holds the config keys we normalise; the whole object is kept raw.
type config struct {
	enabled      bool
	hasEnabled   bool
	materialized string
	tags         []string
	meta         []byte
	severity     string
	access       string
	group        string
	contract     bool
	loadedAt     string
	freshness    []byte
	// persist_docs: whether dbt writes descriptions to the warehouse.
	persistRelation, persistColumns bool
	quoting                         []byte
}

func decodeConfig(v []byte) config {
	var c config
	_ = EachMember(v, func(key, value []byte) error {
		switch string(key) {
		case "enabled":
			c.enabled, c.hasEnabled = boolean(value), true
		case "materialized":
			c.materialized = str(value)
		case "tags":
			c.tags = strs(value)
		case "meta":
			c.meta = value
		case "severity":
			c.severity = str(value)
		case "access":
			c.access = str(value)
		case "group":
			c.group = str(value)
		case "contract":
			c.contract = enforced(value)
		case "loaded_at_field":
			c.loadedAt = str(value)
		case "freshness":
			c.freshness = value
		case "quoting":
			c.quoting = value
		case "persist_docs":
			_ = EachMember(value, func(k, v []byte) error {
				switch string(k) {
				case "relation":
					c.persistRelation = boolean(v)
				case "columns":
					c.persistColumns = boolean(v)
				}
				return nil
			})
		}
		return nil
	})
	return c
}

func enforced(v []byte) bool {
	on := false
	_ = EachMember(v, func(key, value []byte) error {
		if string(key) == "enforced" {
			on = boolean(value)
		}
		return nil
	})
	return on
}

// DecodeEntry decodes one manifest entry on its own, as an import does
// before the steps that need the rest of the manifest (attaching tests,
// the catalog's columns): for a reader that needs again what the store
// keeps only in the entry's raw JSON. The resource is enabled.
func DecodeEntry(raw []byte, uniqueID, resourceType string) (backend.Resource, error) {
	e, err := decodeEntry(raw, uniqueID, resourceType)
	if err != nil {
		return backend.Resource{}, fmt.Errorf("manifest entry %s: %w", uniqueID, err)
	}
	if !e.ok {
		return backend.Resource{}, fmt.Errorf("manifest entry %s: not a JSON object", uniqueID)
	}
	return e.Resource, nil
}

// decodeEntry decodes one entry of a manifest section. defaultType is the
// resource_type of entries that do not say (docs before v8, macros).
func decodeEntry(raw []byte, key, defaultType string) (entry, error) {
	var (
		e                                         entry
		r                                         = &e.Resource
		rawSQL, compiledSQL, injectedSQL, alias   string
		hasRawCode, hasCompiledCode, hasIdent     bool
		identifier, originalPath, filePath, acc   string
		group                                     string
		meta, cfgRaw, columns, testMeta, owner    []byte
		sourceQuoting                             []byte
		hasTestMeta                               bool
		columnName, attached, severity, namespace string
		source                                    backend.SourceInfo
		exposure                                  backend.ExposureInfo
		contract                                  bool
		sourceFreshness                           []byte
		state                                     stateParts
	)
	named := false
	err := EachMember(raw, func(k, v []byte) error {
		switch string(k) {
		case "unique_id":
			r.UniqueID = str(v)
		case "resource_type":
			r.ResourceType = str(v)
		case "name":
			if kind := kindOf(v); kind != "a string" {
				return fmt.Errorf("name is %s, where dbt writes a string", kind)
			}
			r.Name = str(v)
			named = true
		case "package_name":
			r.Package = str(v)
		case "fqn":
			r.FQN = strs(v)
		case "original_file_path":
			originalPath = str(v)
		case "path":
			filePath = str(v)
		case "patch_path":
			r.PatchPath = str(v)
		case "checksum":
			r.Checksum, state.textChecksum = checksum(v), v
		case "database":
			r.Database = str(v)
		case "schema":
			r.Schema = str(v)
		case "alias":
			alias = str(v)
		case "identifier":
			identifier, hasIdent = str(v), true
		case "relation_name":
			r.RelationName = str(v)
		case "quoting":
			sourceQuoting = v
		case "description":
			r.Description = str(v)
		case "block_contents":
			if r.Description == "" {
				r.Description = str(v)
			}
		case "tags":
			r.Tags = strs(v)
		case "meta":
			meta = v
		case "config":
			cfgRaw = v
		case "language":
			r.Language = str(v)
		case "raw_code":
			r.RawCode, hasRawCode = str(v), true
		case "raw_sql":
			rawSQL = str(v)
		case "macro_sql":
			r.RawCode, hasRawCode = str(v), true
		case "compiled_code":
			r.CompiledCode, hasCompiledCode = str(v), true
		case "compiled_sql":
			compiledSQL = str(v)
		case "injected_sql":
			injectedSQL = str(v)
		case "access":
			acc = str(v)
		case "group":
			group = str(v)
		case "version":
			r.Version = versionString(v)
		case "latest_version":
			r.LatestVersion = versionString(v)
		case "contract":
			contract = enforced(v)
		case "depends_on":
			var err error
			if r.DependsOn, r.DependsOnMacros, err = decodeDependsOn(v); err != nil {
				return err
			}
		case "columns":
			columns = v
		case "test_metadata":
			testMeta, hasTestMeta = v, !isEmptyValue(v)
		case "column_name":
			columnName = str(v)
		case "attached_node":
			attached = str(v)
		case "model":
			e.testedModel = str(v)
		case "tested_node_unique_id":
			e.testedNode = str(v)
		case "source_name":
			source.SourceName = str(v)
		case "source_description":
			source.SourceDescription = str(v)
		case "loader":
			source.Loader = str(v)
		case "loaded_at_field":
			source.LoadedAtField = str(v)
		case "freshness":
			sourceFreshness = v
		case "type":
			exposure.Type = str(v)
		case "owner":
			owner = v
		case "maturity":
			exposure.Maturity = str(v)
		case "url":
			exposure.URL = str(v)
		case "label":
			exposure.Label = str(v)
		default:
			state.member(k, v)
		}
		return nil
	})
	if err == errNotObject || kindOf(raw) == "null" {
		return e, nil // not a resource: the caller counts and skips it
	}
	if err == nil && !named {
		// Nameless, it could not be found by name nor drawn with one.
		err = errors.New("it has no name, where dbt writes one")
	}
	if err != nil {
		return e, err
	}
	e.ok = true
	r.Raw = raw
	r.Enabled = true
	if r.UniqueID == "" {
		r.UniqueID = key
	}
	if r.ResourceType == "" {
		r.ResourceType = defaultType
	}
	if r.ResourceType == "" {
		r.ResourceType, _, _ = strings.Cut(r.UniqueID, ".")
	}

	for _, m := range []struct {
		field string
		v     []byte
	}{{"columns", columns}, {"config", cfgRaw}} {
		if kind := kindOf(m.v); m.v != nil && kind != "an object" && kind != "null" {
			e.odd = append(e.odd, oddValue{m.field, "an object", m.v})
		}
	}
	cfg := decodeConfig(cfgRaw)
	e.configDisabled = cfg.hasEnabled && !cfg.enabled
	r.Config = rawOrNil(cfgRaw)
	e.quoting = [][]byte{cfg.quoting, sourceQuoting}
	r.Meta = mergeMeta(meta, cfg.meta)
	r.Tags = union(r.Tags, cfg.tags)
	r.Materialized = cfg.materialized
	if !hasRawCode {
		r.RawCode = rawSQL
	}
	if r.Language == "" && !hasRawCode && rawSQL != "" {
		r.Language = "sql"
	}
	if !hasCompiledCode {
		r.CompiledCode = compiledSQL
		if r.CompiledCode == "" {
			r.CompiledCode = injectedSQL
		}
	}
	r.Path = normalisePath(originalPath)
	if r.Path == "" {
		r.Path = normalisePath(filePath)
	}
	r.PatchPath = normalisePatchPath(r.PatchPath)
	r.Identifier = alias
	if r.ResourceType == backend.TypeSource || alias == "" && hasIdent {
		r.Identifier = identifier
	}
	r.Group = firstNonEmpty(group, cfg.group)
	r.Access = firstNonEmpty(acc, cfg.access)
	if r.Access == "" && r.ResourceType == backend.TypeModel {
		r.Access = "protected"
	}
	r.ContractEnforced = contract || cfg.contract
	r.Columns = decodeColumns(columns)
	if r.ResourceType == backend.TypeSemanticModel {
		r.Elements = backend.SemanticElementsOf(raw)
	}

	switch r.ResourceType {
	case backend.TypeTest, backend.TypeUnitTest:
		severity = strings.ToUpper(strings.TrimSpace(cfg.severity))
		t := &backend.TestInfo{ColumnName: columnName, Severity: severity, AttachedNode: attached}
		switch {
		case r.ResourceType == backend.TypeUnitTest:
			t.TestType, t.TestName = "unit", r.Name
		case hasTestMeta:
			t.TestType = "generic"
			_ = EachMember(testMeta, func(k, v []byte) error {
				switch string(k) {
				case "name":
					t.TestName = str(v)
				case "namespace":
					namespace = str(v)
				case "kwargs":
					t.Kwargs = rawOrNil(v)
					_ = EachMember(v, func(k, v []byte) error {
						switch string(k) {
						case "model":
							e.kwargsModel = str(v)
						case "to":
							e.kwargsTo = str(v)
						case "column_name":
							if t.ColumnName == "" {
								t.ColumnName = str(v)
							}
						}
						return nil
					})
				}
				return nil
			})
			t.Namespace = namespace
		default:
			t.TestType = "singular"
			base := path.Base(r.Path)
			t.TestName = strings.TrimSuffix(base, path.Ext(base))
			if t.TestName == "" || t.TestName == "." {
				t.TestName = r.Name
			}
		}
		r.Test = t
	case backend.TypeSource:
		source.LoadedAtField = firstNonEmpty(source.LoadedAtField, cfg.loadedAt)
		source.Freshness = rawOrNil(sourceFreshness)
		if source.Freshness == nil {
			source.Freshness = rawOrNil(cfg.freshness)
		}
		r.Source = &source
	case backend.TypeExposure:
		_ = EachMember(owner, func(k, v []byte) error {
			switch string(k) {
			case "name":
				exposure.OwnerName = str(v)
			case "email":
				exposure.OwnerEmail = strings.Join(strs(v), ", ")
			}
			return nil
		})
		r.Exposure = &exposure
	}
	state.kind, state.maturity, state.url, state.label = exposure.Type, exposure.Maturity, exposure.URL, exposure.Label
	state.owner, state.model = owner, e.testedModel
	r.State = state.keys(r, cfg)
	return e, nil
}

// decodeDependsOn reads depends_on, refusing what would silently lose
// lineage: anything but an object, or nodes that are not a list of ids.
func decodeDependsOn(v []byte) (nodes, macros []string, err error) {
	if kindOf(v) == "null" { // read as an empty object, it would drop the node's lineage unsaid
		return nil, nil, errors.New("depends_on is null, where dbt writes an object with nodes and macros")
	}
	err = EachMember(v, func(k, v []byte) error {
		switch string(k) {
		case "nodes":
			if kind := kindOf(v); kind != "a list" && kind != "null" {
				return fmt.Errorf("depends_on.nodes is %s, where dbt writes a list of unique_ids", kind)
			}
			if err := eachElement(v, func(e []byte) error {
				if kind := kindOf(e); kind != "a string" {
					return fmt.Errorf("depends_on.nodes holds %s, where dbt writes unique_ids", kind)
				}
				return nil
			}); err != nil {
				return err
			}
			nodes = strs(v)
		case "macros":
			macros = strs(v)
		}
		return nil
	})
	if err == errNotObject {
		err = fmt.Errorf("depends_on is %s, where dbt writes an object with nodes and macros", kindOf(v))
	}
	return sortedUnique(nodes), sortedUnique(macros), err
}

// kindOf names the JSON kind of a value, for messages.
func kindOf(v []byte) string {
	i := skipSpace(v, 0)
	if i >= len(v) {
		return "empty"
	}
	switch v[i] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "a list"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

func decodeColumns(v []byte) []backend.Column {
	var cols []backend.Column
	_ = EachMember(v, func(key, value []byte) error {
		c := backend.Column{InManifest: true}
		var meta, cfgMeta []byte
		var cfgTags []string
		err := EachMember(value, func(k, v []byte) error {
			switch string(k) {
			case "name":
				c.Name = str(v)
			case "description":
				c.Description = str(v)
			case "data_type":
				c.DeclaredType = str(v)
			case "meta":
				meta = v
			case "tags":
				c.Tags = strs(v)
			case "constraints":
				c.Constraints = rawOrNil(v)
			case "config":
				_ = EachMember(v, func(k, v []byte) error {
					switch string(k) {
					case "meta":
						cfgMeta = v
					case "tags":
						cfgTags = strs(v)
					}
					return nil
				})
			}
			return nil
		})
		if err != nil {
			return nil // not a column object: skip it
		}
		if c.Name == "" {
			c.Name = string(key)
		}
		c.Meta = mergeMeta(meta, cfgMeta)
		c.Tags = union(c.Tags, cfgTags)
		cols = append(cols, c)
		return nil
	})
	return cols
}

// mergeMeta merges a resource's meta with its config.meta; config.meta wins
// on conflicting keys, as dbt 1.10+ treats it as the source of truth.
func mergeMeta(meta, cfgMeta []byte) json.RawMessage {
	a, b := rawOrNil(meta), rawOrNil(cfgMeta)
	if b == nil || string(a) == string(b) {
		return objectOrNil(a)
	}
	if a == nil {
		return objectOrNil(b)
	}
	merged := map[string]json.RawMessage{}
	for _, m := range [][]byte{a, b} {
		_ = EachMember(m, func(k, v []byte) error {
			merged[string(k)] = v
			return nil
		})
	}
	out, err := json.Marshal(merged)
	if err != nil {
		return objectOrNil(b)
	}
	return out
}

func objectOrNil(v json.RawMessage) json.RawMessage {
	if len(v) == 0 || v[0] != '{' {
		return nil
	}
	return v
}

func normalisePath(p string) string { return strings.ReplaceAll(p, `\`, "/") }

// normalisePatchPath strips the "<package>://" prefix dbt 0.20+ writes.
func normalisePatchPath(p string) string {
	if _, rest, ok := strings.Cut(p, "://"); ok {
		p = rest
	}
	return normalisePath(p)
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// union appends the elements of b missing from a, keeping a's order.
func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}

func sortedUnique(s []string) []string {
	if len(s) < 2 {
		return s
	}
	slices.Sort(s)
	return slices.Compact(s)
}

// checksum reads a manifest checksum object {"name": "sha256", "checksum": "…"}
// as "sha256:…"; anything else as "".
func checksum(v []byte) string {
	var name, sum string
	if err := EachMember(v, func(k, val []byte) error {
		switch string(k) {
		case "name":
			name = str(val)
		case "checksum":
			sum = str(val)
		}
		return nil
	}); err != nil || sum == "" {
		return ""
	}
	return name + ":" + sum
}

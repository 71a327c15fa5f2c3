package storage

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
)

// configIndexFormat is the layout of snapshot_configs.configs; a row of
// another format is built again from the stored resources.
const configIndexFormat = 1

// readsConfig is true for the resource types whose config dbt's config
// method reads: nodes and sources.
func readsConfig(resourceType string) bool {
	switch resourceType {
	case backend.TypeModel, backend.TypeSeed, backend.TypeSnapshot, backend.TypeTest, backend.TypeAnalysis,
		backend.TypeOperation, "sql_operation", backend.TypeSource:
		return true
	}
	return false
}

// configCollector notes the config of each lineage node that config.<key>:
// reads, as the writer stores the resources (or a backfill reads them).
// A 50k-model project's 180k configs hold ~13k distinct texts (tests share
// a handful), so each text is kept once.
type configCollector struct {
	index map[string]int32 // text -> position in texts
	texts []string
	refs  []configRef
}

type configRef struct {
	id   string
	text int32
}

func (c *configCollector) add(id, resourceType string, config []byte) {
	if len(config) == 0 || !readsConfig(resourceType) {
		return
	}
	i, ok := c.index[string(config)]
	if !ok {
		if c.index == nil {
			c.index = map[string]int32{}
		}
		i = int32(len(c.texts))
		text := string(config)
		c.index[text] = i
		c.texts = append(c.texts, text)
	}
	c.refs = append(c.refs, configRef{id: id, text: i})
}

// configMember is one top-level key of a config and its value's JSON text.
type configMember struct{ key, value string }

// encode writes the index of the snapshot's lineage nodes, ids (sorted,
// each once): the distinct members, sorted by key and value (their count,
// then each key and value as length and bytes); the distinct configs,
// sorted by text, each as its member count and the members' indexes in
// the config's order; the node count and, per node in ids' order, its id
// front-coded and its config's index plus one (0: no config). All numbers
// uvarints. The same nodes and configs give the same bytes, whichever
// order they came in.
func (c *configCollector) encode(ids []string) []byte {
	members := map[configMember]int{}
	split := make([][]configMember, len(c.texts))
	for i, text := range c.texts {
		split[i] = configMembers(text)
		for _, m := range split[i] {
			members[m] = 0
		}
	}
	sorted := make([]configMember, 0, len(members))
	for m := range members {
		sorted = append(sorted, m)
	}
	slices.SortFunc(sorted, func(a, b configMember) int {
		return cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.value, b.value))
	})
	out := binary.AppendUvarint(nil, uint64(len(sorted)))
	for i, m := range sorted {
		members[m] = i
		out = appendString(out, m.key)
		out = appendString(out, m.value)
	}
	order := make([]int32, len(c.texts))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(c.texts[a], c.texts[b]) })
	rank := make([]int, len(c.texts))
	out = binary.AppendUvarint(out, uint64(len(order)))
	for r, text := range order {
		rank[text] = r
		out = binary.AppendUvarint(out, uint64(len(split[text])))
		for _, m := range split[text] {
			out = binary.AppendUvarint(out, uint64(members[m]))
		}
	}
	refs := slices.SortedFunc(slices.Values(c.refs), func(a, b configRef) int { return strings.Compare(a.id, b.id) })
	out = binary.AppendUvarint(out, uint64(len(ids)))
	prev := ""
	for _, id := range ids {
		out = appendFrontCoded(out, prev, id)
		prev = id
		for len(refs) > 0 && refs[0].id < id {
			refs = refs[1:] // not a lineage node: cannot happen, and is not one of ids
		}
		if len(refs) > 0 && refs[0].id == id {
			out = binary.AppendUvarint(out, uint64(rank[refs[0].text]+1))
			refs = refs[1:]
		} else {
			out = binary.AppendUvarint(out, 0)
		}
	}
	return out
}

// nodeIDs returns the unique_ids of nodes, in order.
func nodeIDs(nodes []backend.GraphNode) []string {
	ids := make([]string, len(nodes))
	for i := range nodes {
		ids[i] = nodes[i].UniqueID
	}
	return ids
}

// configMembers splits a config's JSON text into its top-level members, in
// order; nothing when it is not an object.
func configMembers(text string) []configMember {
	var out []configMember
	err := artifact.EachMember([]byte(text), func(key, value []byte) error {
		out = append(out, configMember{key: string(key), value: string(value)})
		return nil
	})
	if err != nil {
		return nil
	}
	return out
}

// configIndex reads encode's output; it fails, never panics, on a corrupt
// blob.
type configIndex struct {
	members []configMember
	configs [][]int32 // member indexes
	nodes   int
	r       blobReader // positioned at the first node
}

func readConfigIndex(blob []byte) (*configIndex, error) {
	ci := &configIndex{r: blobReader{b: blob}}
	ci.members = make([]configMember, ci.r.count(2))
	for i := range ci.members {
		ci.members[i] = configMember{key: ci.r.text(), value: ci.r.text()}
	}
	ci.configs = make([][]int32, ci.r.count(1))
	for i := range ci.configs {
		list := make([]int32, ci.r.count(1))
		for j := range list {
			m := ci.r.uvarint()
			if m >= uint64(len(ci.members)) {
				return nil, errCorruptLineage
			}
			list[j] = int32(m)
		}
		ci.configs[i] = list
	}
	ci.nodes = ci.r.count(2)
	if ci.r.err != nil {
		return nil, errCorruptLineage
	}
	return ci, nil
}

// valuesAt returns each config's value at path (["meta", "owner"]) as
// encoding/json decodes it, nil where it has none or holds null or an
// object there (dbt's config method matches neither). A repeated key
// counts once, with its last value, as when decoding the whole config.
func (ci *configIndex) valuesAt(path []string) []any {
	memberValues := make([]any, len(ci.members))
	for i, m := range ci.members {
		if m.key == path[0] {
			memberValues[i] = valueAt(m.value, path[1:])
		}
	}
	out := make([]any, len(ci.configs))
	for i, list := range ci.configs {
		for _, m := range list {
			if ci.members[m].key == path[0] {
				out[i] = memberValues[m] // the last one wins
			}
		}
	}
	return out
}

func valueAt(text string, path []string) any {
	var v any
	if json.Unmarshal([]byte(text), &v) != nil {
		return nil
	}
	for _, key := range path {
		object, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = object[key]
	}
	if _, isObject := v.(map[string]any); isObject {
		return nil
	}
	return v
}

// forIDs returns, for each of ids (ascending), the value of its config in
// values (valuesAt's result), nil for a node without one or not indexed.
func (ci *configIndex) forIDs(values []any, ids []string) ([]any, error) {
	out := make([]any, len(ids))
	next := 0
	err := ci.walk(len(values), func(_ int32, id []byte, config int) {
		for next < len(ids) && ids[next] < string(id) {
			next++
		}
		if next < len(ids) && ids[next] == string(id) {
			if config >= 0 {
				out[next] = values[config]
			}
			next++
		}
	})
	return out, err
}

// positions returns, ascending, the positions of the nodes whose config is
// marked in matched (one flag per config).
func (ci *configIndex) positions(matched []bool) ([]int32, error) {
	var out []int32
	err := ci.walk(len(matched), func(p int32, _ []byte, config int) {
		if config >= 0 && matched[config] {
			out = append(out, p)
		}
	})
	return out, err
}

// walk calls visit with each node's position, unique_id (valid until the
// next call) and config's index, -1 for none. It fails on a config index
// of configs or more.
func (ci *configIndex) walk(configs int, visit func(position int32, id []byte, config int)) error {
	r := ci.r
	var id []byte
	for p := range ci.nodes {
		shared, rest := r.uvarint(), r.uvarint()
		if r.err != nil || shared > uint64(len(id)) || rest > uint64(len(r.b)) {
			return errCorruptLineage
		}
		id = append(id[:shared], r.b[:rest]...)
		r.b = r.b[rest:]
		config := r.uvarint()
		if r.err != nil || config > uint64(configs) {
			return errCorruptLineage
		}
		visit(int32(p), id, int(config)-1)
	}
	if len(r.b) != 0 {
		return errCorruptLineage
	}
	return nil
}

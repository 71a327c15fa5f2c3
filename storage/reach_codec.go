package storage

import (
	"encoding/binary"

	"github.com/lineagedesk/lineagedesk/backend"
)

// reachFormat versions the encodings of snapshot_topology.topology,
// lineage_nodes.node and lineage_attributes.attribute (2: the attributes
// added; 3: the anyTest flag; 4: patch paths, in the nodes and among the
// path attribute's values; 5: run statuses). Change it whenever they or
// backend.GraphNode change: a topology of another format makes Reach defer
// to the whole graph, and the next whole-graph load writes a new one.
const reachFormat = 5

// Node flags: leafTest marks a test or unit test that nothing depends on,
// anyTest every test or unit test.
const (
	leafTest = 1 << iota
	anyTest
)

// topology is a snapshot's lineage without the nodes' details or ids: a
// flag byte per node and the edges both ways as compressed adjacency lists.
type topology struct {
	flags             []byte
	children, parents adjacency
}

// adjacency lists, for node p, targets[start[p]:start[p+1]], ascending.
type adjacency struct {
	start   []int32
	targets []int32
}

func (a adjacency) of(p int32) []int32 { return a.targets[a.start[p]:a.start[p+1]] }

// encodeTopology writes g's shape: the node count, one flag byte per node,
// and the edges as (parent, child) position pairs sorted by parent then
// child; all numbers uvarints. Positions index g.Nodes.
func encodeTopology(g *backend.GraphData) []byte {
	position := make(map[string]uint64, len(g.Nodes))
	for i := range g.Nodes {
		position[g.Nodes[i].UniqueID] = uint64(i)
	}
	hasChildren := make([]bool, len(g.Nodes))
	pairs := make([][2]uint64, 0, len(g.Edges))
	for _, e := range g.Edges {
		p, okP := position[e.Parent]
		c, okC := position[e.Child]
		if okP && okC {
			pairs = append(pairs, [2]uint64{p, c})
			hasChildren[p] = true
		}
	}
	out := binary.AppendUvarint(nil, uint64(len(g.Nodes)))
	for i := range g.Nodes {
		var flags byte
		if isTest(g.Nodes[i].ResourceType) {
			flags |= anyTest
			if !hasChildren[i] {
				flags |= leafTest
			}
		}
		out = append(out, flags)
	}
	out = binary.AppendUvarint(out, uint64(len(pairs)))
	for _, pc := range pairs {
		out = binary.AppendUvarint(out, pc[0])
		out = binary.AppendUvarint(out, pc[1])
	}
	return out
}

// decodeTopology reads encodeTopology's output; it copies what it keeps,
// and fails, never panics, on a corrupt blob.
func decodeTopology(blob []byte) (*topology, error) {
	r := &blobReader{b: blob}
	n := r.count(1)
	if r.err != nil {
		return nil, errCorruptLineage
	}
	t := &topology{flags: append([]byte(nil), r.b[:n]...)}
	r.b = r.b[n:]
	m := r.count(2)
	from, to := make([]int32, m), make([]int32, m)
	for i := range m {
		p, c := r.uvarint(), r.uvarint()
		if p >= uint64(n) || c >= uint64(n) {
			return nil, errCorruptLineage
		}
		from[i], to[i] = int32(p), int32(c)
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errCorruptLineage
	}
	t.children = newAdjacency(n, from, to)
	t.parents = newAdjacency(n, to, from)
	return t, nil
}

// idChunkSize is how many unique_ids a lineage_id_chunks row holds: a
// lookup reads one row of a few kB.
const idChunkSize = 256

// encodeIDChunk front-codes ids: per id, the length it shares with the one
// before and the rest, as uvarints, then the rest's bytes.
func encodeIDChunk(ids []backend.GraphNode) []byte {
	var out []byte
	prev := ""
	for i := range ids {
		out = appendFrontCoded(out, prev, ids[i].UniqueID)
		prev = ids[i].UniqueID
	}
	return out
}

// appendFrontCoded appends s after prev in a sorted list: the length it
// shares with prev and the rest's length, as uvarints, then the rest.
func appendFrontCoded(out []byte, prev, s string) []byte {
	shared := 0
	for shared < len(s) && shared < len(prev) && s[shared] == prev[shared] {
		shared++
	}
	out = binary.AppendUvarint(out, uint64(shared))
	out = binary.AppendUvarint(out, uint64(len(s)-shared))
	return append(out, s[shared:]...)
}

// seekIDChunk returns the index in a chunk encodeIDChunk wrote of the
// first id that is id or sorts after it (the chunk's length when all sort
// before), and whether that one is id. A chunk's ids ascend.
func seekIDChunk(chunk []byte, id string) (int, bool, error) {
	r := &blobReader{b: chunk}
	var cur []byte
	i := 0
	for ; len(r.b) > 0; i++ {
		shared, rest := r.uvarint(), r.uvarint()
		if r.err != nil || shared > uint64(len(cur)) || rest > uint64(len(r.b)) {
			return 0, false, errCorruptLineage
		}
		cur = append(cur[:shared], r.b[:rest]...)
		r.b = r.b[rest:]
		if string(cur) >= id {
			return i, string(cur) == id, nil
		}
	}
	return i, false, nil
}

// newAdjacency groups targets by source; pairs in ascending target order
// per source keep each list ascending.
func newAdjacency(n int, sources, targets []int32) adjacency {
	a := adjacency{start: make([]int32, n+1), targets: make([]int32, len(targets))}
	for _, s := range sources {
		a.start[s+1]++
	}
	for i := range n {
		a.start[i+1] += a.start[i]
	}
	next := append([]int32(nil), a.start[:n]...)
	for i, s := range sources {
		a.targets[next[s]] = targets[i]
		next[s]++
	}
	return a
}

// encodeLineageNode appends n self-contained: each string field as its
// length and bytes, fqn and tags as length+1 (0 for nil) and their strings,
// and the six test counts; all numbers uvarints.
func encodeLineageNode(out []byte, n *backend.GraphNode) []byte {
	for _, s := range nodeStrings(n) {
		out = appendString(out, *s)
	}
	for _, l := range [][]string{n.FQN, n.Tags} {
		if l == nil {
			out = binary.AppendUvarint(out, 0)
			continue
		}
		out = binary.AppendUvarint(out, uint64(len(l))+1)
		for _, s := range l {
			out = appendString(out, s)
		}
	}
	for _, c := range testCounts(&n.Tests) {
		out = binary.AppendUvarint(out, uint64(*c))
	}
	return out
}

// decodeLineageNode reads encodeLineageNode's output; the strings share one
// copy of row.
func decodeLineageNode(row []byte) (backend.GraphNode, error) {
	all := string(row)
	r := &blobReader{b: row}
	str := func() string {
		l := r.uvarint()
		if l > uint64(len(r.b)) {
			r.err = errCorruptLineage
			r.b = nil
			return ""
		}
		at := len(row) - len(r.b)
		r.b = r.b[l:]
		return all[at : at+int(l)]
	}
	var n backend.GraphNode
	for _, s := range nodeStrings(&n) {
		*s = str()
	}
	for _, l := range []*[]string{&n.FQN, &n.Tags} {
		k := r.count(1)
		if k == 0 {
			continue
		}
		*l = make([]string, k-1)
		for i := range *l {
			(*l)[i] = str()
		}
	}
	for _, c := range testCounts(&n.Tests) {
		*c = int(r.uvarint())
	}
	if r.err != nil || len(r.b) != 0 {
		return backend.GraphNode{}, errCorruptLineage
	}
	return n, nil
}

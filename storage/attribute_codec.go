package storage

import (
	"encoding/binary"
	"slices"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// encodeAttribute writes one field of g's nodes (lineage.AttributeValues)
// for lineage_attributes: the distinct values, sorted (their count, then
// each as its length and bytes), the node count, and per node, in position
// order, how many values it holds and their indexes. All numbers uvarints.
func encodeAttribute(g *backend.GraphData, field string) []byte {
	index := map[string]int{}
	for i := range g.Nodes {
		for _, v := range lineage.AttributeValues(&g.Nodes[i], field) {
			index[v] = 0
		}
	}
	values := make([]string, 0, len(index))
	for v := range index {
		values = append(values, v)
	}
	slices.Sort(values)
	out := binary.AppendUvarint(nil, uint64(len(values)))
	for i, v := range values {
		index[v] = i
		out = appendString(out, v)
	}
	out = binary.AppendUvarint(out, uint64(len(g.Nodes)))
	for i := range g.Nodes {
		held := lineage.AttributeValues(&g.Nodes[i], field)
		out = binary.AppendUvarint(out, uint64(len(held)))
		for _, v := range held {
			out = binary.AppendUvarint(out, uint64(index[v]))
		}
	}
	return out
}

// attributeReader reads encodeAttribute's output; it fails, never panics,
// on a corrupt blob.
type attributeReader struct {
	values []string
	nodes  int
	r      blobReader // positioned at the first node
}

func readAttribute(blob []byte) (*attributeReader, error) {
	a := &attributeReader{r: blobReader{b: blob}}
	n := a.r.count(1)
	for range n {
		a.values = append(a.values, a.r.text())
	}
	a.nodes = a.r.count(1)
	if a.r.err != nil {
		return nil, errCorruptLineage
	}
	return a, nil
}

// positions returns, ascending, the positions of the nodes that hold a
// value marked in matched (one flag per value).
func (a *attributeReader) positions(matched []bool) ([]int32, error) {
	var out []int32
	for p := range a.nodes {
		held := a.r.uvarint()
		hit := false
		for range held {
			v := a.r.uvarint()
			if a.r.err != nil || v >= uint64(len(a.values)) {
				return nil, errCorruptLineage
			}
			hit = hit || matched[v]
		}
		if a.r.err != nil {
			return nil, errCorruptLineage
		}
		if hit {
			out = append(out, int32(p))
		}
	}
	if len(a.r.b) != 0 {
		return nil, errCorruptLineage
	}
	return out, nil
}

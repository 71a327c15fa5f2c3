package storage

import (
	"reflect"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

func reachCodecGraph() *backend.GraphData {
	return &backend.GraphData{
		Nodes: []backend.GraphNode{
			{UniqueID: "model.shop.orders", ResourceType: "model", Name: "orders", Package: "shop",
				FQN: []string{"shop", "marts", "orders"}, Tags: []string{}, Description: "<b>orders</b> & more",
				Tests: backend.TestSummary{Total: 3, Pass: 2, Fail: 1}},
			{UniqueID: "model.shop.stg_orders", ResourceType: "model", Name: "stg_orders", Package: "shop",
				FQN: []string{"shop", "staging", "stg_orders"}, Tags: []string{"nightly", "crm"}},
			{UniqueID: "test.shop.not_null_orders_id", ResourceType: "test", Name: "not_null_orders_id",
				AttachedNode: "model.shop.orders", TestStatus: "pass"},
		},
		Edges: []backend.Edge{
			{Parent: "model.shop.orders", Child: "test.shop.not_null_orders_id"},
			{Parent: "model.shop.stg_orders", Child: "model.shop.orders"},
			{Parent: "model.shop.stg_orders", Child: "model.shop.gone"}, // an end outside the graph is dropped
		},
	}
}

func TestReachCodecsRoundTrip(t *testing.T) {
	g := reachCodecGraph()
	for i := range g.Nodes {
		got, err := decodeLineageNode(encodeLineageNode(nil, &g.Nodes[i]))
		if err != nil || !reflect.DeepEqual(got, g.Nodes[i]) {
			t.Errorf("node %d: %+v, %v; want %+v", i, got, err, g.Nodes[i])
		}
	}
	topo, err := decodeTopology(encodeTopology(g))
	if err != nil {
		t.Fatal(err)
	}
	if want := []byte{0, 0, leafTest | anyTest}; !reflect.DeepEqual(topo.flags, want) {
		t.Errorf("flags = %v, want %v", topo.flags, want)
	}
	if got := topo.children.of(1); !reflect.DeepEqual(got, []int32{0}) {
		t.Errorf("children of stg_orders = %v", got)
	}
	if got := topo.parents.of(2); !reflect.DeepEqual(got, []int32{0}) {
		t.Errorf("parents of the test = %v", got)
	}
	chunk := encodeIDChunk(g.Nodes)
	for i, n := range g.Nodes {
		if at, ok, err := seekIDChunk(chunk, n.UniqueID); at != i || !ok || err != nil {
			t.Errorf("find %s = %d, %v, %v", n.UniqueID, at, ok, err)
		}
	}
	if _, ok, err := seekIDChunk(chunk, "model.shop.order"); ok || err != nil {
		t.Errorf("a prefix of an id was found: %v, %v", ok, err)
	}
}

func readAllOfAttribute(b []byte) error {
	a, err := readAttribute(b)
	if err != nil {
		return err
	}
	_, err = a.positions(make([]bool, len(a.values)))
	return err
}

// TestAttributeCodec: the distinct values of a field come back sorted,
// and each value finds exactly the nodes that hold it.
func TestAttributeCodec(t *testing.T) {
	g := reachCodecGraph()
	a, err := readAttribute(encodeAttribute(g, lineage.AttributeTags))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"crm", "nightly"}; !reflect.DeepEqual(a.values, want) || a.nodes != 3 {
		t.Fatalf("values %q, %d nodes; want %q, 3", a.values, a.nodes, want)
	}
	got, err := a.positions([]bool{false, true}) // nightly
	if err != nil || !reflect.DeepEqual(got, []int32{1}) {
		t.Errorf("nodes tagged nightly: %v, %v; want [1]", got, err)
	}
	p, err := readAttribute(encodeAttribute(g, lineage.AttributePackage))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"", "shop"}; !reflect.DeepEqual(p.values, want) {
		t.Fatalf("packages %q, want %q", p.values, want)
	}
	if got, err := p.positions([]bool{false, true}); err != nil || !reflect.DeepEqual(got, []int32{0, 1}) {
		t.Errorf("nodes of package shop: %v, %v; want [0 1]", got, err)
	}
}

// TestReachCodecsRefuseDamage feeds every truncation and single-byte
// change of valid encodings to the decoders: they may fail, never panic,
// and never accept a truncated topology or node.
func TestReachCodecsRefuseDamage(t *testing.T) {
	g := reachCodecGraph()
	blobs := map[string][]byte{
		"topology": encodeTopology(g),
		"node":     encodeLineageNode(nil, &g.Nodes[0]),
		"chunk":    encodeIDChunk(g.Nodes),
		"tags":     encodeAttribute(g, lineage.AttributeTags),
		"package":  encodeAttribute(g, lineage.AttributePackage),
	}
	decode := map[string]func([]byte) error{
		"topology": func(b []byte) error { _, err := decodeTopology(b); return err },
		"node":     func(b []byte) error { _, err := decodeLineageNode(b); return err },
		"chunk":    func(b []byte) error { _, _, err := seekIDChunk(b, "zzz"); return err },
		"tags":     readAllOfAttribute,
		"package":  readAllOfAttribute,
	}
	for name, blob := range blobs {
		for n := range len(blob) {
			err := decode[name](blob[:n])
			if name != "chunk" && err == nil {
				t.Errorf("%s truncated to %d of %d bytes decoded without error", name, n, len(blob))
			}
		}
		for i := range blob {
			for _, v := range []byte{0x00, 0x7f, 0x80, 0xff} {
				damaged := append([]byte(nil), blob...)
				damaged[i] = v
				_ = decode[name](damaged) // must not panic
			}
		}
	}
}

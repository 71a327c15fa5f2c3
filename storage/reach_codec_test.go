package storage

import (
	"reflect"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
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
	if want := []byte{0, 0, leafTest}; !reflect.DeepEqual(topo.flags, want) {
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

// TestReachCodecsRefuseDamage feeds every truncation and single-byte
// change of valid encodings to the decoders: they may fail, never panic,
// and never accept a truncated topology or node.
func TestReachCodecsRefuseDamage(t *testing.T) {
	g := reachCodecGraph()
	blobs := map[string][]byte{
		"topology": encodeTopology(g),
		"node":     encodeLineageNode(nil, &g.Nodes[0]),
		"chunk":    encodeIDChunk(g.Nodes),
	}
	decode := map[string]func([]byte) error{
		"topology": func(b []byte) error { _, err := decodeTopology(b); return err },
		"node":     func(b []byte) error { _, err := decodeLineageNode(b); return err },
		"chunk":    func(b []byte) error { _, _, err := seekIDChunk(b, "zzz"); return err },
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

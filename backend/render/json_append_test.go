package render

import (
	"encoding/json"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestJSONAppendersWriteWhatEncodingJSONWrites compares the hand-written
// encoders with encoding/json on hostile and ordinary values.
func TestJSONAppendersWriteWhatEncodingJSONWrites(t *testing.T) {
	hostile := []string{"", "plain", `"quoted" \ back\slash`, "<script>&amp;</script>", "tab\tnew\nline\r\x00\x01\x1f\x7f",
		"é ü 漢字 🙂", "\u2028\u2029", "bad \xff\xfe utf8", "\b\f"}
	var nodes []jsonNode
	for i, s := range hostile {
		nodes = append(nodes, jsonNode{UniqueID: s, ResourceType: "model", Name: s, Package: s, Path: s, Database: s,
			Schema: s, RelationName: s, Materialized: s, Version: s, RunStatus: s, TestStatus: s, Focus: i%2 == 0, NodeColor: s,
			Tags: []string{s, "t"}, StateChange: []string{"body", s}, TestSummary: backend.TestSummary{Total: i, Pass: 1, Warn: 2, Fail: 3, Error: 4, Skipped: 5},
			TestsBefore: &backend.TestSummary{Total: i, Fail: 1}, TestTrend: s, Health: &backend.Health{State: s, Reasons: []string{s, "no tests"}}})
	}
	nodes = append(nodes, jsonNode{UniqueID: "model.p.healthy", Health: &backend.Health{State: "healthy"}},
		jsonNode{UniqueID: "model.p.empty_reasons", Health: &backend.Health{State: "unknown", Reasons: []string{}}})
	nodes = append(nodes, jsonNode{}, jsonNode{Tags: []string{}, StateChange: []string{}})
	for _, seconds := range []float64{0, 0.000001, 0.0000009, 1, 1.5, 12.345678901234567, 100, 1e20, 1e21, 3600.25} {
		nodes = append(nodes, jsonNode{UniqueID: "model.p.timed", ExecutionTime: &seconds})
	}
	for _, n := range nodes {
		want, err := json.Marshal(&n)
		if err != nil {
			t.Fatal(err)
		}
		if got := n.appendJSON(nil); string(got) != string(want) {
			t.Errorf("node\n got %s\nwant %s", got, want)
		}
	}
	for i, s := range hostile {
		e := jsonEdge{From: s, To: s + "x", Count: i}
		want, _ := json.Marshal(&e)
		if got := e.appendJSON(nil); string(got) != string(want) {
			t.Errorf("edge\n got %s\nwant %s", got, want)
		}
	}
}

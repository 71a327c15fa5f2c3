package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// LineageSizes says of each request what drawing it would: it fits where
// the picture is drawn (the guard of a Mermaid export, which lays
// nothing out, is the picture's) and is refused, with the refusal, where
// it is not; its counts are the export's.
func TestLineageSizesAnswerAsThePictureWould(t *testing.T) {
	a, _ := synthApp(t, synth.Spec{Models: 1000, Seed: 1})
	reqs := []app.LineageRequest{
		{Select: "*", IncludeTests: true},
		{Select: "*", IncludeTests: true, GroupBy: "package"},
		{Select: "*", GroupBy: "folder"},
		{Select: "*", GroupBy: "layer"},
		{Select: "*", GroupBy: "layer", Open: []string{"staging"}},
		{Select: "no_such_model"},
	}
	sizes, err := a.LineageSizes(reqs)
	if err != nil {
		t.Fatal(err)
	}
	fits := 0
	for i, req := range reqs {
		size := sizes[i]
		req.Format = "mermaid"
		_, drawErr := a.Lineage(req)
		if size.Fits != (drawErr == nil) {
			t.Errorf("%+v: fits %v (%s), the picture: %v", reqs[i], size.Fits, size.Reason, drawErr)
		}
		if drawErr != nil && !strings.Contains(drawErr.Error(), size.Reason) {
			t.Errorf("%+v: reason %q, the picture's error %q", reqs[i], size.Reason, drawErr)
		}
		if !size.Fits {
			continue
		}
		fits++
		req.Format = "json"
		res, err := a.Lineage(req)
		if err != nil {
			t.Fatal(err)
		}
		var export struct {
			Nodes  []json.RawMessage `json:"nodes"`
			Groups []json.RawMessage `json:"groups"`
			Edges  []json.RawMessage `json:"edges"`
		}
		if err := json.Unmarshal([]byte(res.Content), &export); err != nil {
			t.Fatal(err)
		}
		if size.Nodes != len(export.Nodes)+len(export.Groups) || size.Edges != len(export.Edges) || size.Boxes != len(export.Groups) {
			t.Errorf("%+v: %d nodes, %d edges, %d boxes; the export has %d nodes, %d edges and %d groups", reqs[i],
				size.Nodes, size.Edges, size.Boxes, len(export.Nodes), len(export.Edges), len(export.Groups))
		}
	}
	if sizes[0].Fits || fits < 2 || sizes[len(sizes)-1].Fits || !strings.Contains(sizes[len(sizes)-1].Reason, "no_such_model") {
		t.Errorf("sizes: %+v; want the whole project with tests refused, some groupings drawn, the unknown name refused by name", sizes)
	}
	if _, err := a.LineageSizes(make([]app.LineageRequest, 11)); err == nil {
		t.Error("eleven requests answered")
	}
}

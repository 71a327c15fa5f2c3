package app_test

import (
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
)

// In a grouped picture each node names the closed box it is drawn in, so a
// find in the picture can outline the box (QA: a model in a box was not
// found); the members of an open box, drawn as themselves, name none.
func TestGroupedNodesNameTheirBox(t *testing.T) {
	a := appWith(t, "jaffle-dap-v12-1.12")
	res, err := a.Lineage(app.LineageRequest{Select: "*", GroupBy: "layer", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	members := map[string]int{}
	for _, g := range res.Groups {
		members[g.Key] = g.Members
	}
	inBox := map[string]int{}
	for _, n := range res.Nodes {
		if n.Box == "" {
			continue
		}
		if _, ok := members[n.Box]; !ok {
			t.Errorf("%s is in box %q, which the picture has not", n.UniqueID, n.Box)
		}
		inBox[n.Box]++
	}
	for key, want := range members {
		if inBox[key] != want {
			t.Errorf("box %s: %d nodes name it, it has %d members", key, inBox[key], want)
		}
	}
	if len(members) < 2 {
		t.Fatalf("groups: %+v", res.Groups)
	}
	open := res.Groups[0]
	res, err = a.Lineage(app.LineageRequest{Select: "*", GroupBy: "layer", Open: []string{open.Label}, Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range res.Nodes {
		if n.Box == open.Key {
			t.Errorf("%s names the open box %s", n.UniqueID, open.Key)
		}
	}
}

package storage_test

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
	"github.com/lineagedesk/lineagedesk/storage"
)

// TestNodeColors: the colours dbt Docs fills nodes with (config
// docs.node_color) come back for the nodes asked about, as the manifest
// spells them, and for no other; read here from the manifest's JSON
// directly. A store from before the migration that indexes them answers
// too once opened.
func TestNodeColors(t *testing.T) {
	const dataset = "tuva-v7-dbt1.3"
	s, path, snap, _ := saveFixture(t, dataset)
	var manifest struct {
		Nodes map[string]struct {
			Config struct {
				Docs struct {
					NodeColor *string `json:"node_color"`
				} `json:"docs"`
			} `json:"config"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal(artifacttest.Gunzip(t, filepath.Join(artifacttest.Dir(), dataset, "manifest.json.gz")), &manifest); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	var ids []string
	for id, n := range manifest.Nodes {
		if len(ids)%2 == 0 || n.Config.Docs.NodeColor != nil { // half the others: not all asked about
			ids = append(ids, id)
			if c := n.Config.Docs.NodeColor; c != nil && *c != "" {
				want[id] = *c
			}
		}
	}
	ids = append(ids, "model.the_tuva_project.no_such_model")
	if len(want) < 100 {
		t.Fatalf("%s: %d coloured nodes; the fixture has over a hundred", dataset, len(want))
	}
	got, err := s.NodeColors(t.Context(), snap.ID, ids)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Errorf("%d colours, want %d", len(got), len(want))
	}
	if none, err := s.NodeColors(t.Context(), snap.ID, nil); err != nil || len(none) != 0 {
		t.Errorf("no ids: %v, %v", none, err)
	}

	s.Close()
	rewind(t, path, 16)
	s2, err := storage.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, err := s2.NodeColors(t.Context(), snap.ID, ids); err != nil || !maps.Equal(got, want) {
		t.Errorf("after migrating a store from before: %d colours, %v", len(got), err)
	}
}

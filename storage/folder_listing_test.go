package storage

import (
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestFolderListingsEitherWay: a folder's page of resources is the same
// whether folderIsSparse sends it through the folder index or through the
// walk in unique_id order: each checked against the whole snapshot's
// list filtered here, for every folder of a generated project, pages big
// and small, with and without resource types; both ways must occur.
func TestFolderListingsEitherWay(t *testing.T) {
	s, snap, _ := savedSynth(t, synth.Spec{Models: 120, Seed: 7, WithSources: true})
	ctx := t.Context()
	tree, err := s.Tree(ctx, snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Resources(ctx, snap.ID, backend.ResourceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	folderOf := func(r backend.ResourceSummary) string {
		if i := strings.LastIndex(r.Path, "/"); i >= 0 {
			return r.Path[:i]
		}
		return ""
	}
	ways := map[bool]int{}
	for _, entry := range tree {
		p := entry.Folder
		if p == "" {
			continue
		}
		for _, types := range [][]string{nil, {"test"}, {"model", "source"}} {
			for _, page := range []struct{ limit, offset int }{{0, 0}, {3, 0}, {20, 5}, {200, 0}} {
				f := backend.ResourceFilter{FolderPrefix: p, ResourceTypes: types, Limit: page.limit, Offset: page.offset}
				sparse, err := s.folderIsSparse(ctx, snap.ID, p, f)
				if err != nil {
					t.Fatal(err)
				}
				ways[sparse]++
				var want []string
				for _, r := range all {
					folder := folderOf(r)
					if (folder == p || strings.HasPrefix(folder, p+"/")) && (types == nil || slices.Contains(types, r.ResourceType)) {
						want = append(want, r.UniqueID)
					}
				}
				want = want[min(page.offset, len(want)):]
				if page.limit > 0 {
					want = want[:min(page.limit, len(want))]
				}
				got, err := s.Resources(ctx, snap.ID, f)
				if err != nil {
					t.Fatal(err)
				}
				ids := make([]string, len(got))
				for i, r := range got {
					ids[i] = r.UniqueID
				}
				if !slices.Equal(ids, want) && !(len(ids) == 0 && len(want) == 0) {
					t.Errorf("%+v (sparse %v): %v, want %v", f, sparse, ids, want)
				}
			}
		}
	}
	if ways[true] == 0 || ways[false] == 0 {
		t.Errorf("listings by index and by walk: %v, want both", ways)
	}
}

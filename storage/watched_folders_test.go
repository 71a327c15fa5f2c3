package storage_test

import (
	"slices"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestWatchedFolders: kept, listed by folder, replaced, claimed run by
// run (once each), and forgotten.
func TestWatchedFolders(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	since := time.UnixMicro(time.Now().UnixMicro())
	for _, w := range []backend.WatchedFolder{
		{Folder: "/b/target", Paths: []string{"/b/target"}, Since: since},
		{Folder: "/a/target", Paths: []string{"/a/target"}, Name: "old", Since: since},
		{Folder: "/a/target", Paths: []string{"/a/target"}, Name: "dev", Since: since},
	} {
		if err := s.SaveWatchedFolder(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.WatchedFolders(ctx)
	if err != nil || len(got) != 2 || got[0].Folder != "/a/target" || got[0].Name != "dev" || !got[0].Since.Equal(since) || !slices.Equal(got[1].Paths, []string{"/b/target"}) {
		t.Fatalf("WatchedFolders = %+v, %v", got, err)
	}
	for _, c := range []struct {
		folder, run string
		want        bool
	}{{"/a/target", "run 1", true}, {"/a/target", "run 1", false}, {"/b/target", "run 1", true}, {"/a/target", "run 2", true}, {"/c/target", "run 1", false}} {
		if mine, err := s.ClaimWatchedRun(ctx, c.folder, c.run); err != nil || mine != c.want {
			t.Errorf("ClaimWatchedRun(%s, %s) = %v, %v; want %v", c.folder, c.run, mine, err, c.want)
		}
	}
	if err := s.DeleteWatchedFolder(ctx, "/a/target"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteWatchedFolder(ctx, "/a/target"); err != nil {
		t.Errorf("forgetting twice: %v", err)
	}
	if got, _ := s.WatchedFolders(ctx); len(got) != 1 || got[0].Folder != "/b/target" {
		t.Errorf("after forgetting /a/target: %+v", got)
	}
}

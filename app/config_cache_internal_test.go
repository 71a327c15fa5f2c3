package app

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestConfigCache: an answer is asked once while it is among the last
// configCacheSize used, per snapshot and key path, and until its snapshot
// is forgotten; errors are not kept.
func TestConfigCache(t *testing.T) {
	var c configCache
	asked := map[string]int{}
	fail := false
	read := func(_ context.Context, id int64, path []string) (map[string]any, error) {
		key := fmt.Sprint(id, path)
		asked[key]++
		if fail {
			return nil, errors.New("store closed")
		}
		return map[string]any{"model.p.a": key}, nil
	}
	taken := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	get := func(id int64, path ...string) map[string]any {
		t.Helper()
		v, err := c.values(t.Context(), backend.Snapshot{ID: id, TakenAt: taken}, path, read)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := get(1, "schema"); got["model.p.a"] != "1 [schema]" {
		t.Fatalf("values %v", got)
	}
	get(1, "schema")
	get(2, "schema")
	get(1, "meta", "owner")
	if asked["1 [schema]"] != 1 || asked["2 [schema]"] != 1 || asked["1 [meta owner]"] != 1 {
		t.Errorf("asked %v", asked)
	}
	for i := range configCacheSize {
		get(3, fmt.Sprint("k", i)) // pushes the older answers out
	}
	get(1, "schema")
	if asked["1 [schema]"] != 2 {
		t.Errorf("an answer past the cache's size was kept: asked %v", asked)
	}
	// A deleted snapshot's answers go: its id may be given to the next.
	get(3, "k3")
	c.forget(3)
	get(3, "k3")
	if asked["3 [k3]"] != 2 {
		t.Errorf("a deleted snapshot's answer was kept: asked %v", asked)
	}
	// So does one whose id another process gave to a new snapshot.
	taken = taken.Add(time.Hour)
	get(3, "k3")
	if asked["3 [k3]"] != 3 {
		t.Errorf("an answer about another snapshot with the same id was used: asked %v", asked)
	}
	fail = true
	if _, err := c.values(t.Context(), backend.Snapshot{ID: 9}, []string{"x"}, read); err == nil {
		t.Fatal("an error was not returned")
	}
	fail = false
	get(9, "x")
	if asked["9 [x]"] != 2 {
		t.Errorf("an error was kept: asked %v", asked)
	}
}

package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/lineagedesk/lineagedesk/backend"
)

// configCacheSize is how many config.<key>: answers a long-lived session
// keeps: reading one key of every node's config reads every resource row
// (~1.5 s on 50k models), and someone trying config.schema:a, then
// config.schema:b, asks for the same key again.
const configCacheSize = 4

// configCache keeps the last configCacheSize answers of Store.ConfigValues
// (snapshots never change, so an answer only goes stale when its snapshot
// is deleted, and its id may then be given to the next one: forget).
type configCache struct {
	mu      sync.Mutex
	entries []configEntry // most recently used last
}

type configEntry struct {
	key    string
	values map[string]any
}

// values returns the snapshot's values of the key path, asking read on a
// miss. Callers must not modify the map. The key holds the time the
// snapshot was taken as well as its id, as another process may delete a
// snapshot and give its id to a new one.
func (c *configCache) values(ctx context.Context, snap backend.Snapshot, path []string,
	read func(context.Context, int64, []string) (map[string]any, error)) (map[string]any, error) {
	key := fmt.Sprintf("%d\x00%d\x00%s", snap.ID, snap.TakenAt.UnixMicro(), strings.Join(path, "\x00"))
	c.mu.Lock()
	for i, e := range c.entries {
		if e.key == key {
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), e)
			c.mu.Unlock()
			return e.values, nil
		}
	}
	c.mu.Unlock()
	values, err := read(ctx, snap.ID, path)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.entries = append(c.entries, configEntry{key: key, values: values})
	if len(c.entries) > configCacheSize {
		c.entries = c.entries[1:]
	}
	c.mu.Unlock()
	return values, nil
}

// forget drops the answers about a deleted snapshot.
func (c *configCache) forget(snapshotID int64) {
	prefix := fmt.Sprintf("%d\x00", snapshotID)
	c.mu.Lock()
	c.entries = slices.DeleteFunc(c.entries, func(e configEntry) bool { return strings.HasPrefix(e.key, prefix) })
	c.mu.Unlock()
}

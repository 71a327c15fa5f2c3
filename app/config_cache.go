package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// configCacheSize is how many config.<key>: answers a long-lived session
// keeps: reading one key of every node's config reads every resource row
// (~1.5 s on 50k models), and someone trying config.schema:a, then
// config.schema:b, asks for the same key again.
const configCacheSize = 4

// configCache keeps the last configCacheSize answers of Store.ConfigValues
// (snapshots never change, so an answer never goes stale).
type configCache struct {
	mu      sync.Mutex
	entries []configEntry // most recently used last
}

type configEntry struct {
	key    string
	values map[string]any
}

// values returns the snapshot's values of the key path, asking read on a
// miss. Callers must not modify the map.
func (c *configCache) values(ctx context.Context, snapshotID int64, path []string,
	read func(context.Context, int64, []string) (map[string]any, error)) (map[string]any, error) {
	key := fmt.Sprintf("%d\x00%s", snapshotID, strings.Join(path, "\x00"))
	c.mu.Lock()
	for i, e := range c.entries {
		if e.key == key {
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), e)
			c.mu.Unlock()
			return e.values, nil
		}
	}
	c.mu.Unlock()
	values, err := read(ctx, snapshotID, path)
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

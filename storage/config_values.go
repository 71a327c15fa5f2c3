package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// ConfigValues returns, for each node and source of a snapshot whose
// config holds the key path (["schema"], ["meta", "owner"]), the value
// there as encoding/json decodes it: what config.<key>: selects on (dbt's
// config method reads the configs of nodes and sources only). SQLite
// reads the path out of each stored config, so nothing else is decoded.
func (s *Store) ConfigValues(ctx context.Context, snapshotID int64, path []string) (map[string]any, error) {
	jsonPath := "$"
	for _, key := range path {
		if key == "" || strings.ContainsAny(key, `"\`) {
			return map[string]any{}, nil // no config key is spelled so
		}
		jsonPath += `."` + key + `"`
	}
	rows, err := s.reader.QueryContext(ctx, `
		SELECT unique_id, json_type(config, ?1), json_extract(config, ?1) FROM resources
		WHERE snapshot_id = ?2 AND config IS NOT NULL
		  AND resource_type IN ('model', 'seed', 'snapshot', 'test', 'analysis', 'operation', 'sql_operation', 'source')
		  AND json_type(config, ?1) NOT IN ('null', 'object')`, jsonPath, snapshotID)
	if err != nil {
		return nil, fmt.Errorf("read config.%s of snapshot %d: %w", strings.Join(path, "."), snapshotID, err)
	}
	defer rows.Close()
	out := map[string]any{}
	for rows.Next() {
		var id, typ string
		var raw any
		if err := rows.Scan(&id, &typ, &raw); err != nil {
			return nil, fmt.Errorf("read config.%s of snapshot %d: %w", strings.Join(path, "."), snapshotID, err)
		}
		switch typ {
		case "true", "false":
			out[id] = typ == "true"
		case "text":
			out[id], _ = raw.(string)
		case "array":
			var list []any
			text, _ := raw.(string)
			if err := json.Unmarshal([]byte(text), &list); err != nil {
				return nil, fmt.Errorf("read config.%s of %s in snapshot %d: %w", strings.Join(path, "."), id, snapshotID, err)
			}
			out[id] = list
		case "integer", "real": // as encoding/json decodes numbers
			switch n := raw.(type) {
			case int64:
				out[id] = float64(n)
			case float64:
				out[id] = n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read config.%s of snapshot %d: %w", strings.Join(path, "."), snapshotID, err)
	}
	return out, nil
}

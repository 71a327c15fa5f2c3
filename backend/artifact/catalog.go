package artifact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Catalog is a parsed catalog.json.
type Catalog struct {
	Header   Header
	Tables   []CatalogEntry // nodes then sources, in file order
	Errors   []string       // the catalog's own "errors" (warehouse problems)
	Warnings []string
}

// CatalogEntry is one relation of the catalog with its columns.
type CatalogEntry struct {
	Table   backend.CatalogTable
	Columns []CatalogColumn // ordered by Index
}

// CatalogColumn is a column as the warehouse reports it.
type CatalogColumn struct {
	Name    string
	Type    string
	Index   int
	Comment string
}

// ParseCatalog parses catalog.json (schema v1, every dbt since 0.19). It
// never panics; bad input is an *backend.Error.
func ParseCatalog(data []byte) (*Catalog, error) { return parseCatalog(data, "the catalog") }

func (c *Catalog) warn(w string) { c.Warnings = append(c.Warnings, w) }

func parseCatalog(data []byte, name string) (*Catalog, error) {
	sections, err := topLevel(data, name)
	if err != nil {
		return nil, err
	}
	h, warnings, err := readHeader(sections, backend.ArtifactCatalog, name)
	if err != nil {
		return nil, err
	}
	c := &Catalog{Header: h, Warnings: warnings}
	// dbt writes each relation once; a hand-edited or merged catalog may
	// not. The first entry of a unique_id is kept, as in the manifest.
	seen := map[string]bool{}
	var duplicates, misKeyed, malformed tally
	for _, key := range []string{"nodes", "sources"} {
		err := EachMember(sections[key], func(id, value []byte) error {
			entry, ok := decodeCatalogEntry(value)
			if !ok {
				malformed.add(strconv.Quote(string(id)))
				return nil
			}
			if entry.Table.UniqueID == "" {
				entry.Table.UniqueID = string(id)
			}
			if entry.Table.UniqueID != string(id) {
				// As in the manifest: read, it would stand in for another
				// relation's columns.
				misKeyed.add(keyedExample(string(id), entry.Table.UniqueID))
				return nil
			}
			if seen[entry.Table.UniqueID] {
				duplicates.add(entry.Table.UniqueID)
				return nil
			}
			seen[entry.Table.UniqueID] = true
			c.Tables = append(c.Tables, entry)
			return nil
		})
		if err != nil {
			return nil, invalid(err, "%s: its %q map is malformed: regenerate the catalog with dbt docs generate", name, key)
		}
	}
	if duplicates.n > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%s describes %s more than once (e.g. %s); the first entry of each was kept: regenerate it with dbt docs generate", name, count(duplicates.n, "relation"), duplicates.example))
	}
	if misKeyed.n > 0 {
		c.Warnings = append(c.Warnings, misKeyedWarning(name, misKeyed, "dbt docs generate"))
	}
	if malformed.n > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%s: %s malformed (its columns or metadata not objects as dbt writes them; e.g. %s) and left out, their warehouse types with them: regenerate it with dbt docs generate", name, count(malformed.n, "relation"), malformed.example))
	}
	c.Errors = strs(sections["errors"])
	return c, nil
}

func decodeCatalogEntry(v []byte) (CatalogEntry, bool) {
	var e CatalogEntry
	t := &e.Table
	err := EachMember(v, func(k, v []byte) error {
		switch string(k) {
		case "unique_id":
			t.UniqueID = str(v)
		case "metadata":
			return EachMember(v, func(k, v []byte) error {
				switch string(k) {
				case "type":
					t.Type = str(v)
				case "database":
					t.Database = str(v)
				case "schema":
					t.Schema = str(v)
				case "name":
					t.Name = str(v)
				case "owner":
					t.Owner = str(v)
				case "comment":
					t.Comment = str(v)
				}
				return nil
			})
		case "columns":
			return EachMember(v, func(key, v []byte) error {
				col := CatalogColumn{}
				_ = EachMember(v, func(k, v []byte) error {
					switch string(k) {
					case "name":
						col.Name = str(v)
					case "type":
						col.Type = str(v)
					case "index":
						col.Index = int(number(v))
					case "comment":
						col.Comment = str(v)
					}
					return nil
				})
				if col.Name == "" {
					col.Name = string(key)
				}
				e.Columns = append(e.Columns, col)
				return nil
			})
		case "stats":
			t.Stats = includedStats(v)
		}
		return nil
	})
	if err != nil {
		return e, false
	}
	slices.SortStableFunc(e.Columns, func(a, b CatalogColumn) int { return a.Index - b.Index })
	return e, true
}

// includedStats keeps the stats dbt marks include=true (has_stats and
// adapter internals are include=false), as a JSON object keyed by stat id.
func includedStats(v []byte) []byte {
	var buf bytes.Buffer
	_ = EachMember(v, func(id, stat []byte) error {
		include := false
		_ = EachMember(stat, func(k, v []byte) error {
			if string(k) == "include" {
				include = boolean(v)
			}
			return nil
		})
		if !include {
			return nil
		}
		if buf.Len() == 0 {
			buf.WriteByte('{')
		} else {
			buf.WriteByte(',')
		}
		key, _ := json.Marshal(string(id))
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(stat)
		return nil
	})
	if buf.Len() == 0 {
		return nil
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// joinColumns merges the warehouse's columns into the documented ones,
// matching names case-insensitively (Snowflake reports UPPERCASE names for
// lowercase YAML). Catalog columns come first in catalog order, then the
// documented columns the warehouse does not have, in manifest order.
func joinColumns(documented []backend.Column, found []CatalogColumn) []backend.Column {
	if len(found) == 0 {
		return documented
	}
	byName := make(map[string]int, len(documented))
	for i, c := range documented {
		if _, dup := byName[strings.ToLower(c.Name)]; !dup {
			byName[strings.ToLower(c.Name)] = i
		}
	}
	used := make([]bool, len(documented))
	out := make([]backend.Column, 0, len(documented)+len(found))
	for _, f := range found {
		c := backend.Column{Name: f.Name}
		if i, ok := byName[strings.ToLower(f.Name)]; ok && !used[i] {
			c, used[i] = documented[i], true
		}
		c.CatalogType, c.Index, c.Comment, c.InCatalog = f.Type, f.Index, f.Comment, true
		out = append(out, c)
	}
	for i, c := range documented {
		if !used[i] {
			out = append(out, c)
		}
	}
	return out
}

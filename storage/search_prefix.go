package storage

import (
	"cmp"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// namePrefixByKind answers first keystrokes ("f", "cu") without reading a
// table row per match: the matching names and rowids come from
// resources_by_name alone, in one row, the kind index says which are
// enabled and of which type, and only the page of hits is read from the
// table. On a 50k-model project "f" names 13k resources; reading each row
// for its type and unique_id cost 50-65 ms. Hits are ordered as the SQL
// path orders them: exact name first, then shorter names, then by name
// and unique_id.
// handled is false when a package or tag filter applies or the kind index
// is not available; byNamePrefix then answers in SQL.
func (sr *search) namePrefixByKind(res *backend.SearchResult, wanted func(string) bool) (handled bool, err error) {
	page, total, counts, handled, err := sr.namePrefixIDs(wanted)
	if !handled || err != nil {
		return handled, err
	}
	for typ, n := range counts {
		res.ByType[typ] = n
	}
	res.Total = total
	hits, err := hitsByID(sr.ctx, sr.tx, page)
	if err != nil {
		return false, err
	}
	sr.orderNamed(hits, nil)
	for i := range hits {
		hits[i].MatchedIn, hits[i].Snippet = "name", highlightFirstWord(hits[i].Name)
		hits[i].Tier = sr.nameTier(hits[i].Name)
	}
	res.Hits = hits
	return true, nil
}

// namePrefixIDs finds the enabled resources of wanted types whose names
// start with the typed text, from resources_by_name and the kind index
// alone: page is the first sr.limit of them, exact name first, then
// shorter names, then by name and rowid; total counts them, and counts the
// enabled matches of every type. handled is false when a package or tag
// filter applies or the kind index is not available.
func (sr *search) namePrefixIDs(wanted func(string) bool) (page []int64, total int, counts map[string]int, handled bool, err error) {
	if sr.kinds == nil || len(sr.filterArgs) > 0 {
		return nil, 0, nil, false, nil
	}
	key, found, err := sr.snapshotKey()
	if err != nil || !found {
		return nil, 0, map[string]int{}, err == nil, err // no resources: nothing matches
	}
	kinds, err := sr.kinds.get(sr.ctx, sr.tx, key)
	if err != nil || kinds == nil {
		return nil, 0, nil, false, err
	}
	// The ids and names come as two lists in the same order; a record
	// separator cannot be typed into a dbt name, and a name holding one
	// anyway makes the lists' lengths differ and the parse give up.
	var idList, names sql.NullString
	if err := sr.tx.QueryRowContext(sr.ctx, `SELECT group_concat(r.id), group_concat(r.name, char(30))
		FROM resources r INDEXED BY resources_by_name
		WHERE r.snapshot_id = ? AND r.name LIKE ? ESCAPE '\'`, sr.snapshotID, likePrefix(sr.typed)).Scan(&idList, &names); err != nil {
		return nil, 0, nil, false, err
	}
	var candidates []nameCandidate
	byCode := make([]int, len(kinds.types)+1)
	rest := names.String
	for ids := idList.String; ids != ""; {
		var idText string
		idText, ids, _ = strings.Cut(ids, ",")
		name, more, ok := strings.Cut(rest, "\x1e")
		if !ok && ids != "" {
			return nil, 0, nil, false, nil // fewer names than ids
		}
		rest = more
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || id < key.lo || id > key.hi {
			return nil, 0, nil, false, nil
		}
		code := kinds.codes[id-key.lo]
		if code == 0 {
			continue // disabled
		}
		byCode[code]++
		if wanted(kinds.types[code-1]) {
			candidates = append(candidates, nameCandidate{id, name, asciiEqualFold(name, sr.typed)})
		}
	}
	if rest != "" {
		return nil, 0, nil, false, nil // more names than ids
	}
	counts = map[string]int{}
	for i, typ := range kinds.types {
		if byCode[i+1] > 0 {
			counts[typ] = byCode[i+1]
		}
	}
	return firstNamed(candidates, sr.limit), len(candidates), counts, true, nil
}

type nameCandidate struct {
	id    int64
	name  string
	exact bool
}

// firstNamed returns the ids of the first n candidates, exact name first,
// then shorter names, then by name and id. Names all start with the typed
// text, so an exact one is also one of the shortest; only the candidates
// no longer than the n-th shortest are sorted ("f" has 13k candidates on
// a 50k-model project, and a page is 50).
func firstNamed(candidates []nameCandidate, n int) []int64 {
	if len(candidates) > n {
		byLen := map[int]int{}
		for _, c := range candidates {
			byLen[len(c.name)]++
		}
		lens := make([]int, 0, len(byLen))
		for l := range byLen {
			lens = append(lens, l)
		}
		slices.Sort(lens)
		longest, seen := 0, 0
		for _, l := range lens {
			if longest, seen = l, seen+byLen[l]; seen >= n {
				break
			}
		}
		candidates = slices.DeleteFunc(candidates, func(c nameCandidate) bool { return len(c.name) > longest })
	}
	slices.SortFunc(candidates, func(a, b nameCandidate) int {
		if a.exact != b.exact {
			if a.exact {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(len(a.name), len(b.name)), strings.Compare(a.name, b.name), cmp.Compare(a.id, b.id))
	})
	ids := make([]int64, min(n, len(candidates)))
	for i := range ids {
		ids[i] = candidates[i].id
	}
	return ids
}

// snapshotKey reads the snapshot's rowid range and identity once per
// search; found is false when the snapshot has no resources.
func (sr *search) snapshotKey() (kindKey, bool, error) {
	if !sr.keyRead {
		var err error
		if sr.key, sr.keyFound, err = snapshotKindKey(sr.ctx, sr.tx, sr.snapshotID); err != nil {
			return kindKey{}, false, err
		}
		sr.keyRead = true
	}
	return sr.key, sr.keyFound, nil
}

// orderNamed sorts a page of name hits (and their ids, when given) as the
// SQL path orders them: exact name first, then shorter names, then by name
// and unique_id, so that resources of the same name (a model and a source)
// keep a stable order.
func (sr *search) orderNamed(hits []backend.SearchHit, ids []int64) {
	order := make([]int, len(hits))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := &hits[i], &hits[j]
		ea, eb := asciiEqualFold(a.Name, sr.typed), asciiEqualFold(b.Name, sr.typed)
		if ea != eb {
			if ea {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(len(a.Name), len(b.Name)), strings.Compare(a.Name, b.Name), strings.Compare(a.UniqueID, b.UniqueID))
	})
	sorted := make([]backend.SearchHit, len(hits))
	var sortedIDs []int64
	for k, i := range order {
		sorted[k] = hits[i]
		if ids != nil {
			sortedIDs = append(sortedIDs, ids[i])
		}
	}
	copy(hits, sorted)
	copy(ids, sortedIDs)
}

// nameTier is the tier of a hit whose name starts with the text.
func (sr *search) nameTier(name string) backend.SearchTier {
	if asciiEqualFold(name, sr.typed) {
		return backend.TierExactName
	}
	return backend.TierNamePrefix
}

// asciiEqualFold compares as SQLite's NOCASE does: ASCII letters fold.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

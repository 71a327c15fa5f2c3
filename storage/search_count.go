package storage

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// countingKinds returns the snapshot's kind index when the search can
// count its matches with it (no package or tag filter), or nil.
func (sr *search) countingKinds(key kindKey) (*kindIndex, error) {
	if sr.kinds == nil || len(sr.filterArgs) > 0 {
		return nil, nil
	}
	return sr.kinds.get(sr.ctx, sr.tx, key)
}

// countWithSnippets counts the full-text matches by type into res and
// takes the snippets of the hits (pickSnippet, by rowid) in the same pass
// over the matches. Apart, counting and snippets each expanded the query
// over the index: on a 50k-model project, "revenue da" took 19 ms for the
// two and takes 12 in one, "customer" 9 -> 7 ms.
//
// The matches' rowids come from the full-text index alone, in one row,
// and are counted against the kind index; the snippets come back hex
// encoded, so that no text can be mistaken for a separator.
func (sr *search) countWithSnippets(kinds *kindIndex, hits []int64, res *backend.SearchResult, wanted func(string) bool) (map[int64]string, error) {
	fts := searchIndex(sr.snapshotID)
	// snippet() cannot be an aggregate's argument: the subquery computes
	// it, and its LIMIT keeps SQLite from flattening it into the aggregate.
	// Most matches lie outside the hits' rowid range, where two integer
	// comparisons spare the lookup in the list.
	var first, last int64 = 1, 0
	if len(hits) > 0 {
		first, last = slices.Min(hits), slices.Max(hits)
	}
	var rowids, snippets []byte
	if err := sr.tx.QueryRowContext(sr.ctx, `SELECT group_concat(id), group_concat(id || ':' || hex(snippet), ',') FILTER (WHERE snippet IS NOT NULL)
		FROM (SELECT rowid AS id, CASE WHEN rowid BETWEEN ? AND ? AND rowid IN (SELECT value FROM json_each(?)) THEN `+pickSnippet(fts)+` END AS snippet
			FROM `+fts+` WHERE `+fts+` MATCH ? LIMIT -1)`,
		first, last, idList(hits), sr.match).Scan(&rowids, &snippets); err != nil {
		return nil, fmt.Errorf("count matches: %w", err)
	}
	if err := kinds.count(string(rowids), res.ByType); err != nil {
		return nil, err
	}
	for typ, n := range res.ByType {
		if wanted(typ) {
			res.Total += n
		}
	}
	picked := make(map[int64]string, len(hits))
	for rec := range strings.SplitSeq(string(snippets), ",") {
		idText, hexText, ok := strings.Cut(rec, ":")
		if !ok {
			continue // no hit has a highlight
		}
		id, err := strconv.ParseInt(idText, 10, 64)
		text, herr := hex.DecodeString(hexText)
		if err != nil || herr != nil {
			return nil, fmt.Errorf("snippet of rowid %q: %q", idText, hexText)
		}
		picked[id] = string(text)
	}
	return picked, nil
}

// rankByKind returns, best first by bm25 and then by rowid, the matches of
// match that are enabled, of a wanted type and not taken, up to need of
// them, and the tests among them apart (up to need too): tests rank after
// the rest (Search), and one pass over the matches gives both. It reads the
// full-text index alone and leaves out the others with the kind index:
// joining every match to resources for its type cost more than bm25 itself
// (the 3.9k name matches of rev on a 50k-model project: 13 -> 8.5 ms).
// SQLite ranks all matches before the first row comes back, so the rows
// read past the page are few.
func (sr *search) rankByKind(kinds *kindIndex, match string, taken map[int64]bool, wanted func(string) bool, need int) (others, tests []int64, err error) {
	key, fts := kinds.key, searchIndex(sr.snapshotID)
	rows, err := sr.tx.QueryContext(sr.ctx, `SELECT rowid FROM `+fts+`
		WHERE `+fts+` MATCH ? ORDER BY `+bm25(fts)+`, rowid`, match)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for len(others) < need && rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, nil, err
		}
		if id < key.lo || id > key.hi {
			return nil, nil, fmt.Errorf("match rowid %d outside the snapshot", id)
		}
		code := kinds.codes[id-key.lo]
		if code == 0 || taken[id] || !wanted(kinds.types[code-1]) {
			continue
		}
		switch {
		case !isTestType(kinds.types[code-1]):
			others = append(others, id)
		case len(tests) < need:
			tests = append(tests, id)
		}
	}
	return others, tests, rows.Err()
}

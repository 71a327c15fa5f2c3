package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lineagedesk/lineagedesk/backend"
)

const (
	// A query longer than this is someone pasting, not typing; the first
	// terms are plenty to find a resource.
	maxSearchTerms = 12
	maxSearchRunes = 256
)

// The full-text columns in searchIndexColumns order, with the bm25 weights that
// rank a hit and the MatchedIn name each reports. A name hit outweighs a
// tag, a tag a description, and so on down to the SQL.
var searchColumns = [...]struct {
	matchedIn string
	weight    string
}{
	{"name", "10.0"},
	{"description", "3.0"},
	{"column", "2.0"},
	{"tag", "5.0"},
	{"sql", "1.0"}, // raw_code
	{"sql", "0.5"}, // compiled_code repeats most of raw_code
}

// matchedInOrder is the precedence MatchedIn follows when several fields
// match: the index into searchColumns, heaviest first.
var matchedInOrder = [...]int{0, 3, 1, 2, 4, 5}

// bm25 ranks a match in the full-text table with the column weights, best
// first.
func bm25(table string) string {
	weights := make([]string, len(searchColumns))
	for i, c := range searchColumns {
		weights[i] = c.weight
	}
	return "bm25(" + table + ", " + strings.Join(weights, ", ") + ")"
}

// Search runs a full-text query over the names, descriptions, columns, tags
// and SQL of the snapshot's enabled resources.
//
// The text is what a user types: every word is matched literally (FTS
// syntax such as AND, NEAR( or * means nothing), all words must match, and
// the last one matches as a prefix unless the text ends with a space. The
// first one or two letters or digits, or a word ending in a one-character
// token ("fct_orders_1"), match names starting with the text (as full-text
// prefixes they would match much of the project and cost a lot per
// keystroke). Hits are ranked by exact name, then names starting with
// the text (shortest first), then any name match, then everything else, the
// last two by bm25 with column weights, tests after the rest, their name
// matches first (rankRestByKind). Macros and docs are left out unless
// q.ResourceTypes asks for them. ByType counts every type that matched
// (including the ones the type filter leaves out, so the UI can offer them);
// Total counts the matches the filter keeps.
//
// Each step reads at most a page of hits or one index entry per match: the
// match reads the snapshot's own full-text index (search_index.go), is
// counted with the
// snapshot's kind index (or over resources_search_keys when a package or
// tag filter applies), and bm25 is computed only for the name matches, or
// for all matches when the name matches do not fill the page. Every pass
// over the matches expands the full-text query again, so the count and the
// hits' snippets share one.
func (s *Store) Search(ctx context.Context, snapshotID int64, q backend.SearchQuery) (backend.SearchResult, error) {
	res := backend.SearchResult{Hits: []backend.SearchHit{}, ByType: map[string]int{}}
	match, ok := ftsQuery(q.Text)
	if !ok {
		return res, s.requireSnapshot(ctx, snapshotID)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = backend.DefaultSearchLimit
	}
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return res, fmt.Errorf("search snapshot %d: %w", snapshotID, err)
	}
	defer tx.Rollback()
	if err := requireSnapshotIn(ctx, tx, snapshotID); err != nil {
		return res, err
	}
	sr := &search{ctx: ctx, tx: tx, snapshotID: snapshotID, match: match, kinds: &s.kinds,
		typed: strings.TrimSpace(q.Text), limit: min(limit, backend.MaxSearchLimit)}
	sr.filter(q)
	if firstKeystrokes(q.Text) || endsInOneCharToken(q.Text) && !strings.ContainsFunc(strings.TrimSpace(q.Text), unicode.IsSpace) {
		err = sr.byNamePrefix(&res, typeFilter(q.ResourceTypes))
	} else {
		err = sr.fullText(&res, typeFilter(q.ResourceTypes))
	}
	if err != nil {
		return res, fmt.Errorf("search snapshot %d for %q: %w", snapshotID, q.Text, err)
	}
	summaries := make([]backend.ResourceSummary, len(res.Hits))
	for i := range res.Hits {
		summaries[i] = res.Hits[i].ResourceSummary
	}
	if err := addTestSummaries(ctx, tx, snapshotID, summaries); err != nil {
		return res, fmt.Errorf("search snapshot %d: %w", snapshotID, err)
	}
	for i := range res.Hits {
		res.Hits[i].Tests = summaries[i].Tests
	}
	if err := setMatchedColumns(ctx, tx, snapshotID, q.Text, res.Hits); err != nil {
		return res, fmt.Errorf("search snapshot %d: %w", snapshotID, err)
	}
	return res, nil
}

// firstKeystrokes reports whether text is the first one or two letters or
// digits being typed. As a full-text prefix, "c" or "cu" expands to every
// token starting with it in every column (34k matches among 180k resources
// on a 50k-model project, 70 ms and more per keystroke); names starting
// with it come from an index at once, and the third character switches to
// full text.
func firstKeystrokes(text string) bool {
	n := 0
	for _, r := range text {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
			return false
		}
		n++
	}
	return n >= 1 && n <= 2
}

// endsInOneCharToken reports whether text is being typed and its last word
// ends in a one-character token after a separator ("fct_orders_1",
// "stg.a"): as a full-text prefix, that character would expand to every
// token starting with it (every number, on a big project), for seconds of
// work that the next keystroke replaces.
func endsInOneCharToken(text string) bool {
	last, size := utf8.DecodeLastRuneInString(text)
	if !isWordRune(last) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(text[:len(text)-size])
	rest := strings.TrimRightFunc(text[:len(text)-size], func(r rune) bool { return !isWordRune(r) && !unicode.IsSpace(r) })
	return before != utf8.RuneError && !isWordRune(before) && !unicode.IsSpace(before) &&
		rest != "" && isWordRune(lastRune(rest))
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// search is one Search call's query state.
type search struct {
	ctx        context.Context
	tx         *sql.Tx
	snapshotID int64
	match      string // the FTS5 query
	typed      string // the text, trimmed, for name comparisons
	limit      int
	// kinds counts facets without a join (search_kinds.go); nil: in SQL.
	kinds *kindCache
	// key is the snapshot's rowid range and identity, read once (snapshotKey).
	key               kindKey
	keyRead, keyFound bool
	// filters are the conditions on r every match meets besides the text,
	// with their arguments; types the one the hits meet.
	filters    string
	filterArgs []any
	types      string
	typeArgs   []any
	// tiers are the ranked hits' tiers, by id (appendRanked).
	tiers map[int64]backend.SearchTier
}

func (sr *search) filter(q backend.SearchQuery) {
	sr.filters = " AND r.enabled"
	if q.Package != "" {
		sr.filters += " AND r.package = ?"
		sr.filterArgs = append(sr.filterArgs, q.Package)
	}
	if q.Tag != "" {
		sr.filters += " AND EXISTS (SELECT 1 FROM json_each(r.tags) WHERE value = ?)"
		sr.filterArgs = append(sr.filterArgs, q.Tag)
	}
	if len(q.WithoutRefsOf) > 0 { // backend.Resource.CrossProject, in SQL
		sr.filters += " AND NOT (r.resource_type = 'model' AND r.path = '' AND r.package IN (SELECT value FROM json_each(?)))"
		sr.filterArgs = append(sr.filterArgs, stringsOrNil(q.WithoutRefsOf))
	}
	sr.types = " AND r.resource_type NOT IN ('macro', 'doc')" // backend.SearchedByDefault, in SQL
	if len(q.ResourceTypes) > 0 {
		sr.types = " AND r.resource_type IN (SELECT value FROM json_each(?))"
		sr.typeArgs = []any{stringsOrNil(q.ResourceTypes)}
	}
}

// args joins query arguments.
func args(lists ...[]any) []any {
	var all []any
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

// byNamePrefix answers first keystrokes from resources_by_name: the
// resources whose name starts with the text, exact name first.
func (sr *search) byNamePrefix(res *backend.SearchResult, wanted func(string) bool) error {
	if handled, err := sr.namePrefixByKind(res, wanted); handled || err != nil {
		return err
	}
	from := ` FROM resources r INDEXED BY resources_by_name
		WHERE r.snapshot_id = ? AND r.name LIKE ? ESCAPE '\'` + sr.filters
	fromArgs := args([]any{sr.snapshotID, likePrefix(sr.typed)}, sr.filterArgs)
	if err := facets(sr.ctx, sr.tx, `SELECT r.resource_type, count(*)`+from+` GROUP BY r.resource_type`, fromArgs, res, wanted); err != nil || res.Total == 0 {
		return err
	}
	rows, err := sr.tx.QueryContext(sr.ctx, `SELECT `+summaryColumns+from+sr.types+`
		ORDER BY r.name = ? COLLATE NOCASE DESC, length(r.name), r.name, r.unique_id LIMIT ?`,
		args(fromArgs, sr.typeArgs, []any{sr.typed, sr.limit})...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		summary, err := scanSummary(rows)
		if err != nil {
			return err
		}
		res.Hits = append(res.Hits, backend.SearchHit{ResourceSummary: summary, MatchedIn: "name",
			Snippet: highlightFirstWord(summary.Name), Tier: sr.nameTier(summary.Name)})
	}
	return rows.Err()
}

// highlightFirstWord marks the name's first word, as snippet() marks a
// matched token.
func highlightFirstWord(name string) string {
	end := strings.IndexFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if end < 0 {
		end = len(name)
	}
	return "\x02" + name[:end] + "\x03" + name[end:]
}

// matchesOf is the FROM clause of the resources that match the full-text
// query match and the filters, with its arguments.
func (sr *search) matchesOf(match string) (string, []any) {
	fts := searchIndex(sr.snapshotID)
	return ` FROM ` + fts + ` CROSS JOIN resources r INDEXED BY resources_search_keys
		ON r.snapshot_id = ? AND r.id = ` + fts + `.rowid
		WHERE ` + fts + ` MATCH ?` + sr.filters,
		args([]any{sr.snapshotID, match}, sr.filterArgs)
}

// fullText answers from the snapshot's full-text index.
func (sr *search) fullText(res *backend.SearchResult, wanted func(string) bool) error {
	key, found, err := sr.snapshotKey()
	if err != nil || !found {
		return err
	}
	fts := searchIndex(sr.snapshotID)
	// With the kind index, the matches are counted after the ranking, in
	// the pass that also takes the hits' snippets: every pass over the
	// matches expands the full-text query again, which is most of the cost
	// of a short prefix (search_count.go). With a package or tag filter,
	// SQL counts them first.
	kinds, err := sr.countingKinds(key)
	if err != nil {
		return err
	}
	if kinds == nil {
		from, fromArgs := sr.matchesOf(sr.match)
		if err := facets(sr.ctx, sr.tx, `SELECT r.resource_type, count(*)`+from+` GROUP BY r.resource_type`, fromArgs, res, wanted); err != nil || res.Total == 0 {
			return err
		}
	}

	// Exact and prefix name matches, from the name index. A single word
	// that starts a name matches it in full text too, so the kind index
	// can answer without the full-text check (and without reading a row
	// per name); several words need the check.
	var ids []int64
	byIndex := false
	if !strings.ContainsFunc(sr.typed, unicode.IsSpace) {
		page, _, _, handled, err := sr.namePrefixIDs(wanted)
		if err != nil {
			return err
		}
		ids, byIndex = page, handled
	}
	if !byIndex {
		var err error
		if ids, err = queryIDs(sr.ctx, sr.tx, `SELECT r.id FROM resources r INDEXED BY resources_by_name
			WHERE r.snapshot_id = ? AND r.name LIKE ? ESCAPE '\'`+sr.filters+sr.types+`
			  AND r.id IN (SELECT rowid FROM `+fts+` WHERE `+fts+` MATCH ?)
			ORDER BY r.name = ? COLLATE NOCASE DESC, length(r.name), r.name, r.unique_id LIMIT ?`,
			args([]any{sr.snapshotID, likePrefix(sr.typed)}, sr.filterArgs, sr.typeArgs,
				[]any{sr.match, sr.typed, sr.limit})...); err != nil {
			return err
		}
	}
	named := len(ids)
	// Then other name matches, then the rest, each by bm25 (ties by id,
	// which needs no read of the wide rows), tests after them.
	if kinds != nil {
		err = sr.rankRestByKind(kinds, &ids, wanted)
	} else {
		err = sr.rankRest(&ids)
	}
	if err != nil {
		return err
	}
	var picked map[int64]string
	if kinds != nil {
		if picked, err = sr.countWithSnippets(kinds, ids, res, wanted); err != nil || res.Total == 0 {
			return err // and no hits, as when the count comes first
		}
	}
	if res.Hits, err = hitsByID(sr.ctx, sr.tx, ids); err != nil {
		return err
	}
	if kinds != nil {
		for i, id := range ids {
			if err := setSnippet(&res.Hits[i], picked[id]); err != nil {
				return err
			}
		}
	} else if err := snippets(sr.ctx, sr.tx, fts, sr.match, ids, res.Hits); err != nil {
		return fmt.Errorf("snippets: %w", err)
	}
	if byIndex { // same names by unique_id, as the SQL order has them
		sr.orderNamed(res.Hits[:named], ids[:named])
	}
	for i := range res.Hits {
		if i < named {
			res.Hits[i].Tier = sr.nameTier(res.Hits[i].Name)
		} else {
			res.Hits[i].Tier = sr.tiers[ids[i]]
		}
	}
	return nil
}

// rankRestByKind appends to ids, up to the page, the other name matches
// and then the rest, each by bm25, tests after them: a generic test's name
// is made of its model's and column's ("not_null_orders_customer_id"), so
// a search for a column would find its tests before the models that hold
// it. When the name matches fill a page (the default one, or a longer one
// asked for), they are the page, tests and all, by bm25 after the others:
// the rest would need another pass over the index, which a prefix being
// typed makes costly ("revenue da": 22 -> 66 ms on 50k models). A shorter
// page is the start of the default one. One pass over each kind of match
// (rankByKind) gives tests and others.
func (sr *search) rankRestByKind(kinds *kindIndex, ids *[]int64, wanted func(string) bool) error {
	taken := make(map[int64]bool, sr.limit)
	for _, id := range *ids {
		taken[id] = true
	}
	full := max(sr.limit, backend.DefaultSearchLimit)
	if len(*ids) >= sr.limit {
		return nil
	}
	named, namedTests, err := sr.rankByKind(kinds, "name : ("+sr.match+")", taken, wanted, full-len(*ids))
	if err != nil {
		return err
	}
	var rest, restTests []int64
	if need := sr.limit - len(*ids) - len(named); need > 0 && len(*ids)+len(named)+len(namedTests) < full {
		for _, id := range named {
			taken[id] = true
		}
		if rest, restTests, err = sr.rankByKind(kinds, sr.match, taken, wanted, need); err != nil {
			return err
		}
	}
	sr.appendRanked(ids, named, rest, namedTests, restTests)
	return nil
}

// appendRanked appends the ranked lists to ids in tier order, up to the
// page, each id once, noting each one's tier.
func (sr *search) appendRanked(ids *[]int64, named, rest, namedTests, restTests []int64) {
	seen := make(map[int64]bool, sr.limit)
	for _, id := range *ids {
		seen[id] = true
	}
	if sr.tiers == nil {
		sr.tiers = make(map[int64]backend.SearchTier, sr.limit)
	}
	tiers := []backend.SearchTier{backend.TierName, backend.TierOther, backend.TierTestName, backend.TierTestOther}
	for i, list := range [][]int64{named, rest, namedTests, restTests} {
		for _, id := range list {
			if len(*ids) >= sr.limit {
				return
			}
			if !seen[id] {
				seen[id] = true
				*ids = append(*ids, id)
				sr.tiers[id] = tiers[i]
			}
		}
	}
}

// rankRest does what rankRestByKind does, in SQL (a package or tag
// filter applies).
func (sr *search) rankRest(ids *[]int64) error {
	const others, tests = " AND r.resource_type NOT IN ('test', 'unit_test')", " AND r.resource_type IN ('test', 'unit_test')"
	rank := func(match, kind string, leftOut []int64, limit int) ([]int64, error) {
		from, fromArgs := sr.matchesOf(match)
		return queryIDs(sr.ctx, sr.tx, `SELECT r.id`+from+sr.types+kind+`
			  AND r.id NOT IN (SELECT value FROM json_each(?))
			ORDER BY `+bm25(searchIndex(sr.snapshotID))+`, r.id LIMIT ?`,
			args(fromArgs, sr.typeArgs, []any{idList(leftOut), limit})...)
	}
	full := max(sr.limit, backend.DefaultSearchLimit)
	if len(*ids) >= sr.limit {
		return nil
	}
	named := "name : (" + sr.match + ")"
	byName, err := rank(named, others, *ids, full-len(*ids))
	if err != nil {
		return err
	}
	testsByName, err := rank(named, tests, *ids, full-len(*ids))
	if err != nil {
		return err
	}
	if len(*ids)+len(byName) >= sr.limit || len(*ids)+len(byName)+len(testsByName) >= full {
		sr.appendRanked(ids, byName, nil, testsByName, nil)
		return nil
	}
	leftOut := append(slices.Clone(*ids), byName...)
	rest, err := rank(sr.match, others, leftOut, sr.limit-len(leftOut))
	if err != nil {
		return err
	}
	leftOut = append(append(leftOut, rest...), testsByName...)
	var restTests []int64
	if len(leftOut) < sr.limit {
		if restTests, err = rank(sr.match, tests, leftOut, sr.limit-len(leftOut)); err != nil {
			return err
		}
	}
	sr.appendRanked(ids, byName, rest, testsByName, restTests)
	return nil
}

func isTestType(typ string) bool { return typ == backend.TypeTest || typ == backend.TypeUnitTest }

func queryIDs(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// idList is ids as a JSON array, for json_each.
func idList(ids []int64) string {
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = strconv.FormatInt(id, 10)
	}
	return "[" + strings.Join(strs, ",") + "]"
}

// hitsByID reads the summaries of the resources with these ids, in order.
func hitsByID(ctx context.Context, tx *sql.Tx, ids []int64) ([]backend.SearchHit, error) {
	hits := make([]backend.SearchHit, len(ids))
	position := make(map[int64]int, len(ids))
	for i, id := range ids {
		position[id] = i
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+summaryColumns+`, r.id FROM resources r
		WHERE r.id IN (SELECT value FROM json_each(?))`, idList(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		summary, err := scanSummary(rows, &id)
		if err != nil {
			return nil, err
		}
		hits[position[id]].ResourceSummary = summary
	}
	return hits, rows.Err()
}

// likePrefix is a LIKE pattern for names starting with text.
func likePrefix(text string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(text) + "%"
}

// facets counts the matches by resource type, and the ones wanted in Total.
func facets(ctx context.Context, tx *sql.Tx, query string, args []any, res *backend.SearchResult, wanted func(string) bool) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			typ string
			n   int
		)
		if err := rows.Scan(&typ, &n); err != nil {
			return err
		}
		res.ByType[typ] = n
		if wanted(typ) {
			res.Total += n
		}
	}
	return rows.Err()
}

func typeFilter(types []string) func(string) bool {
	if len(types) == 0 {
		return backend.SearchedByDefault
	}
	return func(t string) bool {
		for _, want := range types {
			if t == want {
				return true
			}
		}
		return false
	}
}

// snippets sets MatchedIn and Snippet of each hit (setSnippet) in one query
// for all hits: the full-text query is set up once (a prefix term is costly
// to expand), the rowid range of the hits bounds what FTS5 reads, and the
// rowid filter, which the unary + keeps away from FTS5, limits snippet() to
// the hits. countWithSnippets does the same in the pass that counts.
func snippets(ctx context.Context, tx *sql.Tx, fts, match string, rowids []int64, hits []backend.SearchHit) error {
	if len(rowids) == 0 {
		return nil
	}
	position := make(map[int64]int, len(rowids))
	for i, id := range rowids {
		position[id] = i
	}
	rows, err := tx.QueryContext(ctx, `SELECT rowid, `+pickSnippet(fts)+` FROM `+fts+`
		WHERE `+fts+` MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?))`,
		match, slices.Min(rowids), slices.Max(rowids), idList(rowids))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			rowid  int64
			picked sql.NullString // NULL when no field has a highlight
		)
		if err := rows.Scan(&rowid, &picked); err != nil {
			return err
		}
		if err := setSnippet(&hits[position[rowid]], picked.String); err != nil {
			return err
		}
	}
	return rows.Err()
}

// pickSnippet is, for the row at hand of the full-text table, the heaviest field whose
// snippet has a highlighted term, as "index:snippet", with \x02 and \x03
// around the matched terms; NULL when none has. The CASE tries the fields in
// MatchedIn order and stops at the first with a highlight, so a name hit
// does not tokenize its SQL; the field chosen is computed twice, once to
// test and once to return (SQLite does not share the two calls), which
// costs less than the snippets of all six fields.
func pickSnippet(table string) string {
	pick := "CASE"
	for _, c := range matchedInOrder {
		snippet := fmt.Sprintf("snippet(%s, %d, char(2), char(3), '…', 16)", table, c)
		pick += fmt.Sprintf(" WHEN instr(%s, char(2)) THEN '%d:' || %s", snippet, c, snippet)
	}
	return pick + " END"
}

// setSnippet sets a hit's MatchedIn and Snippet from pickSnippet's value
// ("" when no field has a highlight).
func setSnippet(hit *backend.SearchHit, picked string) error {
	column, text, ok := strings.Cut(picked, ":")
	if !ok {
		return nil
	}
	c, err := strconv.Atoi(column)
	if err != nil || c < 0 || c >= len(searchColumns) {
		return fmt.Errorf("snippet of %s from field %q", hit.UniqueID, column)
	}
	hit.MatchedIn, hit.Snippet = searchColumns[c].matchedIn, text
	if hit.MatchedIn == "tag" {
		hit.Snippet = tagSnippet(text)
	}
	return nil
}

// tagSnippet turns the snippet of the stored JSON tag list into "a, b".
func tagSnippet(s string) string {
	return strings.NewReplacer(`","`, ", ", `"`, "", "[", "", "]", "").Replace(s)
}

// ftsQuery turns what a user typed into an FTS5 query that cannot be a
// syntax error: each word becomes a quoted string (quotes doubled), so
// operators and punctuation are plain text; words without a letter or digit
// are dropped, since the tokenizer would find nothing in them, and so is a
// one-character last word while typing after other words. ok is false
// when nothing searchable is left.
func ftsQuery(text string) (match string, ok bool) {
	if utf8.RuneCountInString(text) > maxSearchRunes {
		text = string([]rune(text)[:maxSearchRunes])
	}
	last, _ := utf8.DecodeLastRuneInString(text)
	typing := text != "" && !unicode.IsSpace(last)
	var terms []string
	lastRunes := 0
	for _, word := range strings.Fields(text) {
		if !strings.ContainsFunc(word, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
			continue
		}
		terms = append(terms, `"`+strings.ReplaceAll(word, `"`, `""`)+`"`)
		lastRunes = utf8.RuneCountInString(word)
	}
	if len(terms) == 0 {
		return "", false
	}
	// A one-character word being typed after others ("orders c") would
	// expand to every token starting with that character across the whole
	// index; until a second character arrives, search the words before it.
	if typing && len(terms) > 1 && lastRunes == 1 {
		terms, typing = terms[:len(terms)-1], false
	}
	// Likewise a last word ending in a one-character token ("fct_orders_1")
	// searches without that character until the next one arrives (a
	// single such word goes to the name index instead: Search).
	if typing && endsInOneCharToken(text) {
		words := strings.Fields(text)
		word := words[len(words)-1]
		_, size := utf8.DecodeLastRuneInString(word)
		terms[len(terms)-1] = `"` + strings.ReplaceAll(word[:len(word)-size], `"`, `""`) + `"`
	}
	if len(terms) > maxSearchTerms {
		terms, typing = terms[:maxSearchTerms], false
	}
	if typing {
		terms[len(terms)-1] += "*"
	}
	return strings.Join(terms, " AND "), true
}

package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lineagedesk/lineagedesk/backend"
)

const (
	defaultSearchLimit = 50
	maxSearchLimit     = 500
	// A query longer than this is someone pasting, not typing; the first
	// terms are plenty to find a resource.
	maxSearchTerms = 12
	maxSearchRunes = 256
)

// The full-text columns in resource_fts order, with the bm25 weights that
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

// Search runs a full-text query over the names, descriptions, columns, tags
// and SQL of the snapshot's enabled resources.
//
// The text is what a user types: every word is matched literally (FTS
// syntax such as AND, NEAR( or * means nothing), all words must match, and
// the last one matches as a prefix unless the text ends with a space. Hits
// are ranked by exact name, then names starting with the text, then any
// name match, then bm25 with column weights. Macros and docs are left out unless q.ResourceTypes asks for
// them. ByType counts every type that matched (including the ones the type
// filter leaves out, so the UI can offer them); Total counts the matches
// the filter keeps.
func (s *Store) Search(ctx context.Context, snapshotID int64, q backend.SearchQuery) (backend.SearchResult, error) {
	res := backend.SearchResult{Hits: []backend.SearchHit{}, ByType: map[string]int{}}
	if err := s.requireSnapshot(ctx, snapshotID); err != nil {
		return res, err
	}
	match, ok := ftsQuery(q.Text)
	if !ok {
		return res, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultSearchLimit
	}
	limit = min(limit, maxSearchLimit)

	where := []string{"resource_fts MATCH ?", "r.snapshot_id = ?", "r.enabled"}
	args := []any{match, snapshotID}
	if q.Package != "" {
		where = append(where, "r.package = ?")
		args = append(args, q.Package)
	}
	if q.Tag != "" {
		where = append(where, "EXISTS (SELECT 1 FROM json_each(r.tags) WHERE value = ?)")
		args = append(args, q.Tag)
	}
	from := ` FROM resource_fts JOIN resources r ON r.id = resource_fts.rowid WHERE ` + strings.Join(where, " AND ")

	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return res, fmt.Errorf("search snapshot %d: %w", snapshotID, err)
	}
	defer tx.Rollback()

	if err := facets(ctx, tx, from, args, &res); err != nil {
		return res, fmt.Errorf("search snapshot %d for %q: %w", snapshotID, q.Text, err)
	}
	wanted := typeFilter(q.ResourceTypes)
	for typ, n := range res.ByType {
		if wanted(typ) {
			res.Total += n
		}
	}
	if res.Total == 0 {
		return res, nil
	}

	typeCond := "r.resource_type NOT IN ('macro', 'doc')"
	typed := strings.TrimSpace(q.Text)
	hitArgs := append([]any{typed, likePrefix(typed), "name : (" + match + ")"}, args...)
	if len(q.ResourceTypes) > 0 {
		typeCond = "r.resource_type IN (SELECT value FROM json_each(?))"
		hitArgs = append(hitArgs, stringsOrNil(q.ResourceTypes))
	}
	weights := make([]string, len(searchColumns))
	for i, c := range searchColumns {
		weights[i] = c.weight
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+summaryColumns+`, r.id,
			CASE WHEN r.name = ? COLLATE NOCASE THEN 0
			     WHEN r.name LIKE ? ESCAPE '\' THEN 1
			     WHEN r.id IN (SELECT rowid FROM resource_fts WHERE resource_fts MATCH ?) THEN 2
			     ELSE 3 END AS tier`+from+` AND `+typeCond+`
		ORDER BY tier, bm25(resource_fts, `+strings.Join(weights, ", ")+`), r.unique_id
		LIMIT ?`, append(hitArgs, limit)...)
	if err != nil {
		return res, fmt.Errorf("search snapshot %d for %q: %w", snapshotID, q.Text, err)
	}
	var rowids []int64
	for rows.Next() {
		var (
			hit   backend.SearchHit
			rowid int64
			tier  int
		)
		if hit.ResourceSummary, err = scanSummary(rows, &rowid, &tier); err != nil {
			rows.Close()
			return res, fmt.Errorf("search snapshot %d: %w", snapshotID, err)
		}
		res.Hits = append(res.Hits, hit)
		rowids = append(rowids, rowid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("search snapshot %d for %q: %w", snapshotID, q.Text, err)
	}
	if err := snippets(ctx, tx, match, rowids, res.Hits); err != nil {
		return res, fmt.Errorf("search snapshot %d for %q: snippets: %w", snapshotID, q.Text, err)
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
	return res, nil
}

// likePrefix is a LIKE pattern for names starting with text.
func likePrefix(text string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(text) + "%"
}

// facets counts the matches by resource type.
func facets(ctx context.Context, tx *sql.Tx, from string, args []any, res *backend.SearchResult) error {
	rows, err := tx.QueryContext(ctx, `SELECT r.resource_type, count(*)`+from+` GROUP BY r.resource_type`, args...)
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
	}
	return rows.Err()
}

func typeFilter(types []string) func(string) bool {
	if len(types) == 0 {
		return func(t string) bool { return t != backend.TypeMacro && t != backend.TypeDoc }
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

// snippets sets MatchedIn and Snippet of each hit: the heaviest field whose
// snippet has a highlighted term, shown around the match with \x02 and \x03
// around the matched terms. One query for all hits: the full-text query is
// set up once (a prefix term is costly to expand) and the rowid filter,
// which the unary + keeps away from FTS5, limits snippet() to the hits.
func snippets(ctx context.Context, tx *sql.Tx, match string, rowids []int64, hits []backend.SearchHit) error {
	cols := make([]string, len(searchColumns))
	for i := range searchColumns {
		cols[i] = fmt.Sprintf("snippet(resource_fts, %d, char(2), char(3), '…', 16)", i)
	}
	position := make(map[int64]int, len(rowids))
	ids := make([]string, len(rowids))
	for i, id := range rowids {
		position[id] = i
		ids[i] = strconv.FormatInt(id, 10)
	}
	rows, err := tx.QueryContext(ctx, `SELECT rowid, `+strings.Join(cols, ", ")+` FROM resource_fts
		WHERE resource_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))`,
		match, "["+strings.Join(ids, ",")+"]")
	if err != nil {
		return err
	}
	defer rows.Close()
	var rowid int64
	texts := make([]sql.NullString, len(searchColumns)) // NULL for an empty column
	dest := []any{&rowid}
	for i := range texts {
		dest = append(dest, &texts[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		hit := &hits[position[rowid]]
		for _, c := range matchedInOrder {
			if text := texts[c].String; strings.IndexByte(text, '\x02') >= 0 {
				hit.MatchedIn = searchColumns[c].matchedIn
				hit.Snippet = text
				if hit.MatchedIn == "tag" {
					hit.Snippet = tagSnippet(text)
				}
				break
			}
		}
	}
	return rows.Err()
}

// tagSnippet turns the snippet of the stored JSON tag list into "a, b".
func tagSnippet(s string) string {
	return strings.NewReplacer(`","`, ", ", `"`, "", "[", "", "]", "").Replace(s)
}

// ftsQuery turns what a user typed into an FTS5 query that cannot be a
// syntax error: each word becomes a quoted string (quotes doubled), so
// operators and punctuation are plain text; words without a letter or digit
// are dropped, since the tokenizer would find nothing in them. ok is false
// when nothing searchable is left.
func ftsQuery(text string) (match string, ok bool) {
	if utf8.RuneCountInString(text) > maxSearchRunes {
		text = string([]rune(text)[:maxSearchRunes])
	}
	last, _ := utf8.DecodeLastRuneInString(text)
	typing := text != "" && !unicode.IsSpace(last)
	var terms []string
	for _, word := range strings.Fields(text) {
		if !strings.ContainsFunc(word, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
			continue
		}
		terms = append(terms, `"`+strings.ReplaceAll(word, `"`, `""`)+`"`)
	}
	if len(terms) == 0 {
		return "", false
	}
	if len(terms) > maxSearchTerms {
		terms, typing = terms[:maxSearchTerms], false
	}
	if typing {
		terms[len(terms)-1] += "*"
	}
	return strings.Join(terms, " AND "), true
}

package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"unicode"

	"github.com/lineagedesk/lineagedesk/backend"
)

// setMatchedColumns names, for each hit that matched in its columns, the
// column that holds the match: one named as typed (lifetime_spend, not
// lifetime_spend_pretax before it), else the one whose name and
// description hold the most terms the snippet highlights. Terms compare as
// the full-text index's tokens (order_total holds "total", subtotal does
// not). The UI opens that column's lineage; a hit whose snippet highlights
// nothing it can place keeps no column.
func setMatchedColumns(ctx context.Context, tx *sql.Tx, snapshotID int64, typed string, hits []backend.SearchHit) error {
	terms := map[string][][]string{}
	var ids []string
	for _, h := range hits {
		if h.MatchedIn != "column" {
			continue
		}
		if t := highlighted(h.Snippet); len(t) > 0 {
			terms[h.UniqueID] = t
			ids = append(ids, h.UniqueID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT c.unique_id, c.name, c.description
		FROM json_each(?2) j CROSS JOIN columns c ON c.snapshot_id = ?1 AND c.unique_id = j.value
		ORDER BY c.unique_id, c.position`, snapshotID, string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	asTyped := tokens(typed)
	best := map[string]string{}
	bestScore := map[string]int{}
	for rows.Next() {
		var id, name, description string
		if err := rows.Scan(&id, &name, &description); err != nil {
			return err
		}
		nameTokens, descriptionTokens := tokens(name), tokens(description)
		// Named as typed wins; then the most terms held, in the name or the
		// description, the name's breaking a tie; then the node's order.
		score := 0
		if slices.Equal(nameTokens, asTyped) {
			score = 1 << 20
		}
		for _, t := range terms[id] {
			if holds(nameTokens, t) || holds(descriptionTokens, t) {
				score += 2
			}
		}
		if slices.ContainsFunc(terms[id], func(t []string) bool { return holds(nameTokens, t) }) {
			score++
		}
		if score > bestScore[id] {
			best[id], bestScore[id] = name, score
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range hits {
		hits[i].Column = best[hits[i].UniqueID]
	}
	return nil
}

// highlighted returns the terms a snippet marks (\x02term\x03), each as
// its tokens.
func highlighted(snippet string) [][]string {
	var out [][]string
	for {
		_, rest, ok := strings.Cut(snippet, "\x02")
		if !ok {
			return out
		}
		term, after, _ := strings.Cut(rest, "\x03")
		if t := tokens(term); len(t) > 0 {
			out = append(out, t)
		}
		snippet = after
	}
}

// tokens splits text as the full-text index's tokenizer (unicode61) does:
// at every character that is neither a letter nor a digit, lower-cased.
func tokens(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// holds says whether the tokens hold the term's token run.
func holds(text, term []string) bool {
	for i := 0; i+len(term) <= len(text); i++ {
		if slices.Equal(text[i:i+len(term)], term) {
			return true
		}
	}
	return false
}

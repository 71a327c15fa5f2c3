package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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
// nothing it can place keeps no column. A semantic model's "columns" are
// its entities, dimensions and measures, read from its JSON; its hit says
// which kind the match is in (MatchedIn dimension, say).
func setMatchedColumns(ctx context.Context, tx *sql.Tx, snapshotID int64, typed string, hits []backend.SearchHit) error {
	pick := columnPick{asTyped: tokens(typed), terms: map[string][][]string{}, best: map[string]string{}, bestScore: map[string]int{}, kind: map[string]string{}}
	var ids, semantic []string
	for _, h := range hits {
		if h.MatchedIn != "column" {
			continue
		}
		if t := highlighted(h.Snippet); len(t) > 0 {
			pick.terms[h.UniqueID] = t
			if h.ResourceType == backend.TypeSemanticModel {
				semantic = append(semantic, h.UniqueID)
			} else {
				ids = append(ids, h.UniqueID)
			}
		}
	}
	if len(ids) > 0 {
		if err := pick.columns(ctx, tx, snapshotID, ids); err != nil {
			return err
		}
	}
	if len(semantic) > 0 {
		if err := pick.elements(ctx, tx, snapshotID, semantic); err != nil {
			return err
		}
	}
	for i := range hits {
		h := &hits[i]
		h.Column = pick.best[h.UniqueID]
		if k := pick.kind[h.UniqueID]; k != "" {
			h.MatchedIn = k
		}
	}
	return nil
}

// columnPick scores the columns of the hits for setMatchedColumns.
type columnPick struct {
	asTyped   []string
	terms     map[string][][]string // by hit: the terms its snippet highlights
	best      map[string]string     // by hit: the column that holds them best
	bestScore map[string]int
	kind      map[string]string // by semantic model hit: the best one's kind
}

// consider scores one column (or element) of hit id: named as typed
// wins; then the most terms held, in the name or the description, the
// name's breaking a tie; then the node's order.
func (p *columnPick) consider(id, name, description, kind string) {
	nameTokens, descriptionTokens := tokens(name), tokens(description)
	score := 0
	if slices.Equal(nameTokens, p.asTyped) {
		score = 1 << 20
	}
	for _, t := range p.terms[id] {
		if holds(nameTokens, t) || holds(descriptionTokens, t) {
			score += 2
		}
	}
	if slices.ContainsFunc(p.terms[id], func(t []string) bool { return holds(nameTokens, t) }) {
		score++
	}
	if score > p.bestScore[id] {
		p.best[id], p.bestScore[id], p.kind[id] = name, score, kind
	}
}

func (p *columnPick) columns(ctx context.Context, tx *sql.Tx, snapshotID int64, ids []string) error {
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
	for rows.Next() {
		var id, name, description string
		if err := rows.Scan(&id, &name, &description); err != nil {
			return err
		}
		p.consider(id, name, description, "")
	}
	return rows.Err()
}

// elements scores the entities, dimensions and measures of semantic models.
func (p *columnPick) elements(ctx context.Context, tx *sql.Tx, snapshotID int64, ids []string) error {
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT r.unique_id, r.raw
		FROM json_each(?2) j CROSS JOIN resources r ON r.snapshot_id = ?1 AND r.unique_id = j.value`, snapshotID, string(list))
	if err != nil {
		return err
	}
	stored := map[string][]byte{}
	for rows.Next() {
		var id string
		var raw []byte
		if err := rows.Scan(&id, &raw); err != nil {
			rows.Close()
			return err
		}
		stored[id] = raw
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close() // the raw blocks are read on the same connection
	// One cache for them all: semantic models share a block.
	blocks := blockCache{ctx: ctx, tx: tx, snapshotID: snapshotID}
	for _, id := range ids {
		raw, err := decodeRaw(stored[id], blocks.inflated)
		if err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		for _, e := range backend.SemanticElementsOf(raw) {
			p.consider(id, e.Name, e.Description, e.Kind)
		}
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

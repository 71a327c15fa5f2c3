package storage_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/storage"
)

func hitIDs(res backend.SearchResult) []string {
	ids := []string{}
	for _, h := range res.Hits {
		ids = append(ids, h.UniqueID)
	}
	return ids
}

func TestSearchRanksNameMatchesFirst(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	res, err := s.Search(t.Context(), snap.ID, backend.SearchQuery{Text: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	// Named exactly "orders" (source and model), then names containing the
	// word; nothing else mentions "orders" outside SQL and descriptions of
	// those same resources.
	ids := hitIDs(res)
	if len(ids) < 6 {
		t.Fatalf("hits = %v", ids)
	}
	exact := map[string]bool{ids[0]: true, ids[1]: true}
	if !exact["model.shop.orders"] || !exact["source.shop.raw.orders"] {
		t.Errorf("first two hits = %v, want the two resources named orders", ids[:2])
	}
	for i, h := range res.Hits {
		if h.MatchedIn != "name" {
			t.Errorf("hit %d %s matched in %q, want name (every hit's name contains orders)", i, h.UniqueID, h.MatchedIn)
		}
	}
	// Counted by hand from shopBundle: names containing the word "orders".
	wantByType := map[string]int{"model": 2, "source": 1, "test": 3}
	if !reflect.DeepEqual(res.ByType, wantByType) || res.Total != 6 {
		t.Errorf("Total %d, ByType %v; want 6, %v", res.Total, res.ByType, wantByType)
	}

	// A description match ranks below every name match but a test's.
	res, err = s.Search(t.Context(), snap.ID, backend.SearchQuery{Text: "revenue"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"exposure.shop.revenue_dashboard", "model.shop.orders", "unit_test.shop.orders.test_revenue"}
	if got := hitIDs(res); !reflect.DeepEqual(got, want) {
		t.Errorf("revenue hits = %v, want %v", got, want)
	}
	if hit := res.Hits[1]; hit.MatchedIn != "description" || hit.Snippet != "\x02Revenue\x03 per order, in dollars." {
		t.Errorf("description hit: matched in %q, snippet %q", hit.MatchedIn, hit.Snippet)
	}
}

func TestSearchFacetsAndFilters(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	ctx := t.Context()
	// "revenue" is in a model description, an exposure and a unit test name,
	// a macro description and a doc block.
	res, err := s.Search(ctx, snap.ID, backend.SearchQuery{Text: "revenue"})
	if err != nil {
		t.Fatal(err)
	}
	wantByType := map[string]int{"model": 1, "exposure": 1, "unit_test": 1, "macro": 1, "doc": 1}
	if !reflect.DeepEqual(res.ByType, wantByType) {
		t.Errorf("ByType = %v, want %v", res.ByType, wantByType)
	}
	if res.Total != 3 {
		t.Errorf("Total = %d, want 3 (macros and docs are left out by default)", res.Total)
	}
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "revenue", ResourceTypes: []string{"macro", "doc"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); res.Total != 2 || !reflect.DeepEqual(got, []string{"doc.shop.revenue", "macro.shop.cents_to_dollars"}) {
		t.Errorf("asking for macros and docs: total %d, hits %v", res.Total, got)
	}
	// Tags: a tag hit reports "tag" with a readable snippet.
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "daily"})
	if err != nil {
		t.Fatal(err)
	}
	snippets := map[string]string{}
	for _, h := range res.Hits {
		if h.MatchedIn != "tag" {
			t.Errorf("%s matched in %q, want tag", h.UniqueID, h.MatchedIn)
		}
		snippets[h.UniqueID] = h.Snippet
	}
	if snippets["model.shop.stg_orders"] != "staging, \x02daily\x03" || snippets["model.utils.calendar"] != "\x02daily\x03" {
		t.Errorf("tag snippets = %q", snippets)
	}
	// Package and tag filters narrow the hits and the facets.
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "daily", Package: "utils"})
	if err != nil || res.Total != 1 || res.Hits[0].UniqueID != "model.utils.calendar" {
		t.Errorf("package filter: %+v, %v", res, err)
	}
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "orders", Tag: "finance"})
	if err != nil || res.Total != 1 || res.Hits[0].UniqueID != "model.shop.orders" {
		t.Errorf("tag filter: %+v, %v", res, err)
	}
	// Column names and descriptions, SQL.
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "customer_id"})
	if err != nil || res.Total != 1 || res.Hits[0].MatchedIn != "column" || !strings.Contains(res.Hits[0].Snippet, "\x02customer_id\x03: Who ordered") ||
		res.Hits[0].Column != "customer_id" {
		t.Errorf("column search: %+v, %v", res, err)
	}
	// A column's description: the hit names the column it describes.
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "who ordered"})
	if err != nil || res.Total != 1 || res.Hits[0].MatchedIn != "column" || res.Hits[0].Column != "customer_id" {
		t.Errorf("column description search: %+v, %v", res, err)
	}
	// The source's identifier is not indexed; stg_orders' compiled SQL is.
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "orders_v1"})
	if err != nil || res.Total != 1 || res.Hits[0].MatchedIn != "sql" ||
		res.Hits[0].Snippet != `select id as order_id, customer_id from "warehouse"."raw"."`+"\x02orders_v1\x03"+`"` {
		t.Errorf("SQL search: %+v, %v", res, err)
	}
	// Limit pages the hits but not the counts; disabled resources are not found.
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "orders", Limit: 2})
	if err != nil || len(res.Hits) != 2 || res.Total != 6 {
		t.Errorf("limit 2: %d hits, total %d, %v", len(res.Hits), res.Total, err)
	}
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "legacy"})
	if err != nil || res.Total != 0 || len(res.Hits) != 0 {
		t.Errorf("disabled model found: %+v, %v", res, err)
	}
	// Test summaries come with hits.
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "stg_orders", ResourceTypes: []string{"model"}})
	if err != nil || len(res.Hits) != 2 || res.Hits[0].Tests != (backend.TestSummary{Total: 2, Fail: 1, Warn: 1}) {
		t.Errorf("stg_orders hit: %+v, %v", res.Hits, err)
	}
	if _, err := s.Search(ctx, 999, backend.SearchQuery{Text: "x"}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("search of a missing snapshot: %v", err)
	}
}

func TestSearchPrefixMatchesTheLastWordWhileTyping(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	ctx := t.Context()
	res, err := s.Search(ctx, snap.ID, backend.SearchQuery{Text: "Fivet"})
	if err != nil || res.Total != 1 || res.Hits[0].UniqueID != "source.shop.raw.orders" {
		t.Errorf("prefix Fivet: %+v, %v", res, err)
	}
	// A finished word (followed by a space) is not a prefix.
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "Fivet "})
	if err != nil || res.Total != 0 {
		t.Errorf("finished word Fivet: %+v, %v", res, err)
	}
	// Earlier words are whole words, every word must match.
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "orders cust"})
	if err != nil || res.Total != 1 || res.Hits[0].UniqueID != "model.shop.stg_orders" {
		t.Errorf("orders cust: %v, %v", hitIDs(res), err)
	}
	// Diacritics are folded.
	res, err = s.Search(ctx, snap.ID, backend.SearchQuery{Text: "fivétran"})
	if err != nil || res.Total != 1 {
		t.Errorf("fivétran: %+v, %v", res, err)
	}
}

func TestSearchTreatsInputAsText(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	ctx := t.Context()
	for _, text := range []string{"", "   ", `"`, `""`, "*", "AND", "OR", "NOT", "NEAR(", "NEAR(orders", `orders"`,
		"orders AND", "orders OR revenue", "-orders", "name:orders", "{name}: orders", "^orders", "(orders", "orders)",
		"ü", "日本語", "🙂", "'; DROP TABLE resources; --", "\x00", "orders\x02", strings.Repeat("orders ", 500)} {
		res, err := s.Search(ctx, snap.ID, backend.SearchQuery{Text: text})
		if err != nil {
			t.Errorf("Search(%q): %v", text, err)
			continue
		}
		if res.Hits == nil || res.ByType == nil {
			t.Errorf("Search(%q): nil hits or facets", text)
		}
	}
	// Operators are words, not syntax: "orders OR revenue" needs all three.
	res, _ := s.Search(ctx, snap.ID, backend.SearchQuery{Text: "orders OR revenue"})
	if res.Total != 0 {
		t.Errorf("orders OR revenue matched %v; OR must not be an operator", hitIDs(res))
	}
	// Punctuation around a word is ignored, as the tokenizer does.
	for _, text := range []string{`"orders"`, "(orders)", "orders*", `orders"`} {
		res, err := s.Search(ctx, snap.ID, backend.SearchQuery{Text: text})
		if err != nil || res.Total == 0 {
			t.Errorf("Search(%q) = %d hits, %v; want the orders resources", text, res.Total, err)
		}
	}
	for _, text := range []string{"", "  ", "*", `"`, "NEAR("} {
		res, _ := s.Search(ctx, snap.ID, backend.SearchQuery{Text: text})
		if res.Total != 0 || len(res.Hits) != 0 {
			t.Errorf("Search(%q) found %v; want nothing", text, hitIDs(res))
		}
	}
}

func TestSearchFirstKeystrokeMatchesNamePrefixes(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	// A word ending in a one-character token ("stg_o") is the same case:
	// a full-text prefix on "o" would expand to every o-token.
	// Without a filter the kinds come from the kind index; with a package
	// filter from SQL: both must give the same answer.
	for _, c := range []struct{ letter, pkg string }{{"o", ""}, {"R", ""}, {"n", ""}, {"9", ""}, {"or", ""}, {"St", ""},
		{"stg_o", ""}, {"STG_O", ""}, {"o", "shop"}, {"r", "shop"}, {"s", "shop"}, {"c", "utils"}} {
		letter := c.letter
		// Expected from the bundle: enabled resources whose name starts with
		// the letter, any case; hits leave out macros and docs and put
		// shorter names first.
		wantByType := map[string]int{}
		var want []backend.Resource
		for _, r := range shopBundle().Resources {
			if !r.Enabled || !strings.HasPrefix(strings.ToLower(r.Name), strings.ToLower(letter)) || c.pkg != "" && r.Package != c.pkg {
				continue
			}
			wantByType[r.ResourceType]++
			if r.ResourceType != backend.TypeMacro && r.ResourceType != backend.TypeDoc {
				want = append(want, r)
			}
		}
		sort.Slice(want, func(i, j int) bool {
			if len(want[i].Name) != len(want[j].Name) {
				return len(want[i].Name) < len(want[j].Name)
			}
			if want[i].Name != want[j].Name {
				return want[i].Name < want[j].Name
			}
			return want[i].UniqueID < want[j].UniqueID
		})
		wantIDs := []string{}
		for _, r := range want {
			wantIDs = append(wantIDs, r.UniqueID)
		}
		res, err := s.Search(t.Context(), snap.ID, backend.SearchQuery{Text: letter, Package: c.pkg})
		if err != nil {
			t.Fatal(err)
		}
		if got := hitIDs(res); !reflect.DeepEqual(got, wantIDs) || res.Total != len(want) || !reflect.DeepEqual(res.ByType, wantByType) {
			t.Errorf("%q in package %q: hits %v, total %d, by type %v; want %v, %d, %v", letter, c.pkg, got, res.Total, res.ByType, wantIDs, len(want), wantByType)
		}
		// A page shorter than the matches is their beginning, with the same counts.
		paged, err := s.Search(t.Context(), snap.ID, backend.SearchQuery{Text: letter, Package: c.pkg, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got := hitIDs(paged); !reflect.DeepEqual(got, wantIDs[:min(2, len(wantIDs))]) || paged.Total != res.Total || !reflect.DeepEqual(paged.ByType, res.ByType) {
			t.Errorf("%q in package %q, 2 a page: hits %v, total %d, by type %v; want %v, %d, %v", letter, c.pkg, got, paged.Total, paged.ByType, wantIDs[:min(2, len(wantIDs))], res.Total, res.ByType)
		}
		for _, h := range res.Hits {
			word, _, _ := strings.Cut(h.Name, "_")
			if h.MatchedIn != "name" || h.Snippet != "\x02"+word+"\x03"+strings.TrimPrefix(h.Name, word) {
				t.Errorf("%q: %s matched in %q, snippet %q", letter, h.UniqueID, h.MatchedIn, h.Snippet)
			}
		}
	}
}

func TestSearchRanksExactThenPrefixThenNameThenRest(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	testsAfter := false
	for _, text := range []string{"orders", "order", "stg_orders", "revenue", "not", "customer_id", "order_id"} {
		res, err := s.Search(t.Context(), snap.ID, backend.SearchQuery{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("%q found nothing", text)
		}
		// Tier of each hit computed from its name: 0 exact, 1 starts with
		// the text (shortest first), 2 a name word matched, 3 elsewhere;
		// then tests: 4 a name word matched, 5 elsewhere.
		tier := func(h backend.SearchHit) int {
			name := strings.ToLower(h.Name)
			test := 0
			if h.ResourceType == backend.TypeTest || h.ResourceType == backend.TypeUnitTest {
				test = 2
			}
			switch {
			case name == text:
				return 0
			case strings.HasPrefix(name, text):
				return 1
			case h.MatchedIn == "name":
				return 2 + test
			}
			return 3 + test
		}
		for _, h := range res.Hits {
			if int(h.Tier) != tier(h) {
				t.Errorf("%q: %s has tier %d, want %d", text, h.UniqueID, h.Tier, tier(h))
			}
		}
		for i := 1; i < len(res.Hits); i++ {
			prev, cur := res.Hits[i-1], res.Hits[i]
			if tier(prev) > tier(cur) || tier(prev) == 1 && tier(cur) == 1 && len(prev.Name) > len(cur.Name) {
				t.Errorf("%q: %s (tier %d) ranks above %s (tier %d)", text, prev.UniqueID, tier(prev), cur.UniqueID, tier(cur))
			}
			// A test whose name holds the text after something else that does not.
			testsAfter = testsAfter || tier(prev) == 3 && tier(cur) == 4
		}
		// A shorter page is the start of the default one.
		for limit := 1; limit < len(res.Hits); limit++ {
			page, err := s.Search(t.Context(), snap.ID, backend.SearchQuery{Text: text, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := hitIDs(page), hitIDs(res)[:limit]; !reflect.DeepEqual(got, want) {
				t.Errorf("%q, %d hits: %v, want %v", text, limit, got, want)
			}
		}
	}
	if !testsAfter {
		t.Error("no search found a test by its name after a model found elsewhere: the case is not tested")
	}
}

func TestSearchKeepsSnapshotsApart(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	first, middle, last := saveShop(t, s), saveShop(t, s), saveShop(t, s)
	alone, _ := openStore(t)
	only := saveShop(t, alone)
	if err := s.DeleteSnapshot(ctx, middle.ID); err != nil {
		t.Fatal(err)
	}
	// Each snapshot finds what a store holding only that snapshot finds.
	for _, text := range []string{"orders", "o", "revenue", "orders cust", "daily", "fivet"} {
		want, err := alone.Search(ctx, only.ID, backend.SearchQuery{Text: text})
		if err != nil || want.Total == 0 {
			t.Fatalf("%q in a store of one snapshot: %+v, %v", text, want, err)
		}
		for _, snap := range []backend.Snapshot{first, last} {
			got, err := s.Search(ctx, snap.ID, backend.SearchQuery{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q in snapshot %d: %+v\nwant %+v", text, snap.ID, got, want)
			}
		}
	}
	if res, err := s.Search(ctx, middle.ID, backend.SearchQuery{Text: "orders"}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("search of a deleted snapshot: %+v, %v", res, err)
	}
}

// BenchmarkSearchLarge measures what the UI asks while someone types, on a
// store too large to build inside a benchmark: LINEAGEDESK_SEARCH_DB names a
// store whose latest snapshot is a big project, e.g. a 50k-model one made by
// backend/synth (synth.Write(dir, synth.Spec{Models: 50000, Seed: 42}), then
// "lineagedesk import DIR --db FILE"). The target is under 100 ms a keystroke.
func BenchmarkSearchLarge(b *testing.B) {
	s, latest := openLargeStore(b)
	// Among them, the slowest keystrokes of the browser bench
	// (frontend/e2e/bench/large.mjs types customer, revenue daily and
	// fct_orders_12).
	texts := []string{"c", "f", "r", "re", "rev", "cu", "cus", "cust", "custo", "custom", "custome", "customer", "customer ",
		"revenue d", "revenue da", "revenue daily", "customer orders", "orders c", "fc", "fct", "fct_", "fct_or",
		"fct_orders_1", "fct_orders_12", "zzz"}
	for _, text := range texts {
		b.Run(strings.ReplaceAll(text, " ", "_"), func(b *testing.B) {
			var total int
			for b.Loop() {
				res, err := s.Search(context.Background(), latest.ID, backend.SearchQuery{Text: text})
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "matches")
		})
	}
}

// openLargeStore opens the store LINEAGEDESK_SEARCH_DB names (see
// BenchmarkSearchLarge) and returns its newest snapshot, which every older
// one's index entries precede; the store closes when b ends.
func openLargeStore(b *testing.B) (*storage.Store, backend.Snapshot) {
	path := os.Getenv("LINEAGEDESK_SEARCH_DB")
	if path == "" {
		b.Fatal("LINEAGEDESK_SEARCH_DB is not set: point it at a store holding a large snapshot (see the comment on BenchmarkSearchLarge)")
	}
	if _, err := os.Stat(path); err != nil {
		b.Fatalf("LINEAGEDESK_SEARCH_DB: %v", err)
	}
	s, err := storage.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	snaps, err := s.Snapshots(context.Background())
	if err != nil || len(snaps) == 0 {
		b.Fatalf("LINEAGEDESK_SEARCH_DB %s holds no snapshot (%v)", path, err)
	}
	var latest backend.Snapshot
	for _, snap := range snaps {
		if snap.ID > latest.ID {
			latest = snap
		}
	}
	return s, latest
}

// TestSearchFacetsFollowTheSnapshot checks that the facet counts, which
// come from a per-snapshot cache of resource kinds, follow a snapshot that
// was deleted and replaced (even by one reusing its id and rowids), and
// agree with a count of the same matches joined to resources in SQL.
func TestSearchFacetsFollowTheSnapshot(t *testing.T) {
	s, path := openStore(t)
	ctx := t.Context()
	snap := saveShop(t, s)
	if _, err := s.Search(ctx, snap.ID, backend.SearchQuery{Text: "revenue"}); err != nil { // fills the cache
		t.Fatal(err)
	}
	if err := s.DeleteSnapshot(ctx, snap.ID); err != nil {
		t.Fatal(err)
	}
	// The same resources with the exposure disabled: the new snapshot takes
	// the freed id and rowids, and only the kinds differ.
	b := shopBundle()
	for i := range b.Resources {
		if b.Resources[i].ResourceType == backend.TypeExposure {
			b.Resources[i].Enabled = false
		}
	}
	again, err := s.SaveSnapshot(ctx, backend.NewSnapshot{Name: "shop again", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != snap.ID {
		t.Logf("the new snapshot has id %d, not the freed %d", again.ID, snap.ID)
	}
	db := rawDB(t, path)
	for _, c := range []struct{ text, match string }{{"revenue", `"revenue"`}, {"order", `"order"*`}, {"cust", `"cust"*`}, {"daily ", `"daily"`}} {
		res, err := s.Search(ctx, again.ID, backend.SearchQuery{Text: c.text})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{}
		fts := fmt.Sprintf("snapshot_fts_%d", again.ID)
		rows, err := db.Query(`SELECT r.resource_type, count(*) FROM `+fts+` JOIN resources r ON r.id = `+fts+`.rowid
			WHERE `+fts+` MATCH ? AND r.snapshot_id = ? AND r.enabled GROUP BY r.resource_type`, c.match, again.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var typ string
			var n int
			if err := rows.Scan(&typ, &n); err != nil {
				t.Fatal(err)
			}
			want[typ] = n
		}
		rows.Close()
		if len(want) == 0 || !reflect.DeepEqual(res.ByType, want) {
			t.Errorf("%q: ByType = %v, want %v", c.text, res.ByType, want)
		}
	}
}

// TestSearchCountsAndSnippetsAlikeEitherWay: without a package or tag
// filter, a full-text search counts its matches with the kind index in the
// pass that takes the snippets; with one, SQL counts them and a pass of its
// own takes the snippets. On a project of one package, the filter keeps
// everything, and the two must agree on every hit, snippet and count.
func TestSearchCountsAndSnippetsAlikeEitherWay(t *testing.T) {
	s, _ := openStore(t)
	b := shopBundle()
	for i := range b.Resources {
		b.Resources[i].Package = "shop"
	}
	snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "one package", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"orders", "ord", "revenue", "customer_id", "raw", "fivet", "orders_v1", "order id", "stg_orders_o", "nothing"} {
		for _, q := range []backend.SearchQuery{{Text: text}, {Text: text, Limit: 2}, {Text: text, ResourceTypes: []string{"test", "source"}}} {
			byKind, err := s.Search(t.Context(), snap.ID, q)
			if err != nil {
				t.Fatal(err)
			}
			q.Package = "shop"
			bySQL, err := s.Search(t.Context(), snap.ID, q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(byKind, bySQL) {
				t.Errorf("%+v:\nwith the kind index %+v\nin SQL              %+v", q, byKind, bySQL)
			}
		}
	}
}

// TestSearchNamePrefixWithSeparatorsInNames: the name index's answer comes
// as lists separated by a control character; a name holding one (dbt does
// not forbid it) makes that path give up, and SQL answers instead: the same
// as with a package filter, which always goes to SQL.
func TestSearchNamePrefixWithSeparatorsInNames(t *testing.T) {
	s, _ := openStore(t)
	b := shopBundle()
	for i := range b.Resources {
		b.Resources[i].Package = "shop"
	}
	for _, name := range []string{"ord\x1eodd", "ord,odd", "ord\x1fodd", "orders_and_more"} {
		b.Resources = append(b.Resources, backend.Resource{UniqueID: "model.shop." + name, ResourceType: backend.TypeModel,
			Name: name, Package: "shop", Path: "models/odd.sql", Enabled: true})
	}
	snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "odd names", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"or", "ord", "orders"} {
		for _, limit := range []int{0, 1, 2, 3} { // short pages pick among the names
			byIndex, err := s.Search(t.Context(), snap.ID, backend.SearchQuery{Text: text, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			bySQL, err := s.Search(t.Context(), snap.ID, backend.SearchQuery{Text: text, Package: "shop", Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(hitIDs(byIndex), hitIDs(bySQL)) || byIndex.Total != bySQL.Total || !reflect.DeepEqual(byIndex.ByType, bySQL.ByType) {
				t.Errorf("%q, %d a page: %q (%d, %v)\nin SQL %q (%d, %v)", text, limit, hitIDs(byIndex), byIndex.Total, byIndex.ByType, hitIDs(bySQL), bySQL.Total, bySQL.ByType)
			}
			if limit == 0 && text != "orders" && !slices.Contains(hitIDs(byIndex), "model.shop.ord\x1eodd") {
				t.Errorf("%q: the name holding a record separator is missing: %q", text, hitIDs(byIndex))
			}
		}
	}
}

// TestSearchWhileTheSnapshotIsDeleted: a search racing the deletion of its
// snapshot answers from the snapshot as it was or says it is gone, never
// fails on the search index the deletion dropped.
func TestSearchWhileTheSnapshotIsDeleted(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	for round := range 40 {
		snap := saveShop(t, s)
		done := make(chan error, 1)
		go func() {
			for {
				res, err := s.Search(ctx, snap.ID, backend.SearchQuery{Text: "revenue"})
				if backend.ErrorCode(err) == backend.ENOTFOUND {
					done <- nil
					return
				}
				if err != nil || res.Total == 0 {
					done <- fmt.Errorf("round %d: search of snapshot %d: %d matches, %v", round, snap.ID, res.Total, err)
					return
				}
			}
		}()
		if err := s.DeleteSnapshot(ctx, snap.ID); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// TestSearchNamesThatFillThePageComeFirst: when name matches fill the
// default page, tests among them stay before what matches elsewhere (the
// rest is not read); when they do not, what matches elsewhere comes first.
func TestSearchNamesThatFillThePageComeFirst(t *testing.T) {
	s, _ := openStore(t)
	for _, tests := range []int{60, 10} {
		b := shopBundle()
		for i := range tests {
			b.Resources = append(b.Resources, backend.Resource{
				UniqueID: fmt.Sprintf("test.shop.not_null_ledger_entry_code_%02d", i), ResourceType: backend.TypeTest,
				Name: fmt.Sprintf("not_null_ledger_entry_code_%02d", i), Package: "shop", Enabled: true,
				Test: &backend.TestInfo{TestType: "generic", TestName: "not_null"},
			})
		}
		b.Resources = append(b.Resources, backend.Resource{
			UniqueID: "model.shop.ledger", ResourceType: backend.TypeModel, Name: "ledger", Package: "shop", Enabled: true,
			Columns: []backend.Column{{Name: "entry_code", Description: "The entry's code", InManifest: true}},
		})
		snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: fmt.Sprint(tests), Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
		if err != nil {
			t.Fatal(err)
		}
		for _, filter := range []string{"", "shop"} { // the kind index, and SQL
			res, err := s.Search(t.Context(), snap.ID, backend.SearchQuery{Text: "entry_code", Package: filter})
			if err != nil {
				t.Fatal(err)
			}
			ids := hitIDs(res)
			at := slices.Index(ids, "model.shop.ledger")
			switch {
			case tests == 60 && (at >= 0 || len(ids) != 50 || res.Total != 61):
				t.Errorf("60 tests named entry_code, package %q: ledger at %d of %d hits (%d matches), want the page of tests", filter, at, len(ids), res.Total)
			case tests == 10 && (at != 0 || len(ids) != 11):
				t.Errorf("10 tests named entry_code, package %q: ledger at %d of %d hits, want first", filter, at, len(ids))
			}
		}
	}
}

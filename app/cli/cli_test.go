package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/app/demo"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/textdiff"
	"github.com/lineagedesk/lineagedesk/storage"
)

func TestFlagsAnywhereAmongArguments(t *testing.T) {
	f := newFlags("import")
	name := f.String("name", "", "")
	asJSON := f.Bool("json", false, "")
	pos, err := f.parse([]string{"target", "--json", "other/target", "--name", "prod", "--db", "x.db", "--", "--literal"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(pos, "|"); got != "target|other/target|--literal" {
		t.Errorf("positional = %q", got)
	}
	if *name != "prod" || !*asJSON || f.db != "x.db" {
		t.Errorf("flags: name=%q json=%v db=%q", *name, *asJSON, f.db)
	}
	if _, err := newFlags("x").parse([]string{"--nope"}); !errors.As(err, new(usageError)) {
		t.Errorf("unknown flag: %v, want a usage error", err)
	}
}

func TestGlobalFlagsBeforeTheCommand(t *testing.T) {
	cases := []struct {
		args []string
		want string // "" when there is no command: the desktop opens
	}{
		{[]string{"--db", "x.db", "lineage", "-s", "a"}, "lineage|-s|a|--db|x.db"},
		{[]string{"-db=x.db", "--db", "y.db", "version"}, "version|-db=x.db|--db|y.db"},
		{[]string{"--db=x.db", "search", "orders"}, "search|orders|--db=x.db"},
		{[]string{"lineage", "--db", "x.db"}, "lineage|--db|x.db"},
		{[]string{"--db", "x.db"}, ""},
		{[]string{"--db"}, ""},
		{nil, ""},
	}
	for _, c := range cases {
		got, ok := CommandArgs(c.args)
		if ok != (c.want != "") || strings.Join(got, "|") != c.want {
			t.Errorf("CommandArgs(%q) = %q, %v; want %q", c.args, got, ok, c.want)
		}
	}
}

func TestRunUsageAndUnknownCommands(t *testing.T) {
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, StdoutIsTerminal: true,
		Open: func(context.Context, string, app.Emitter) (*app.App, func() error, error) {
			t.Fatal("a usage error must not open the store")
			return nil, nil, nil
		}}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"import"}, 2, "usage: lineagedesk import PATH..."},
		{[]string{"import", "target", "--watch", "--every", "0s"}, 2, "--every is how often --watch looks"},
		{[]string{"show"}, 2, "give exactly one unique_id or name"},
		{[]string{"lineage", "-s", "x", "--format", "png"}, 2, "png is binary"},
		{[]string{"lineage", "-s", "x", "--format", "pdf", "-o", "/dev/stdout"}, 2, "pdf is binary"},
		{[]string{"columns", "orders", "id", "--format", "png", "-o", "/dev/fd/1"}, 2, "png is binary"},
		{[]string{"lineage", "-s", "x", "--scale", "0"}, 2, "--scale sizes a PNG"},
		{[]string{"lineage", "-s", "x", "--scale", "NaN"}, 2, "--scale sizes a PNG"},
		{[]string{"lineage", "-s", "x", "--scale", "0.001"}, 2, "from 0.1 up to 40"},
		{[]string{"search", "orders", "--limit", "-1"}, 2, "--limit is how many hits"},
		{[]string{"search", ""}, 2, "give a search query"},
		{[]string{"search", "orders", "--project", "finance"}, 2, "--project picks among the projects --all-projects searches: add --all-projects"},
		{[]string{"snapshots", "--db", "/no/such/dir/lineagedesk.db"}, 2, "there is no store at /no/such/dir/lineagedesk.db: check --db"},
		{[]string{"lineage", "--selector", "nightly", "-s", "x"}, 2, "either --select or --selector"},
		{[]string{"lineage", "--selector", "nightly", "--exclude", "x"}, 2, "--selector takes no --exclude"},
		{[]string{"lineage", "-s", "x", "--open", "analytics.staging"}, 2, "--open leaves a box of a grouping open: give --group-by too"},
		{[]string{"connect", "--name", "x"}, 2, "--token-stdin"},
		{[]string{"import", "target", "--every", "5s"}, 2, "--every is how often --watch looks at the folder: give --watch too"},
		{[]string{"paths", "a"}, 2, "give two nodes"},
		{[]string{"impact"}, 2, "give one node"},
		{[]string{"columns", "orders", "--depth", "2"}, 2, "--depth traces one column"},
		{[]string{"columns", "orders", "id", "--format", "pdf"}, 2, "pdf is binary"},
		{[]string{"columns", "orders", "id", "--format", "svg", "-o", "x.png"}, 2, "-o x.png names a png file, but --format is svg"},
		{[]string{"lineage", "-s", "x", "--format", "dot", "-o", "x.json"}, 2, "-o x.json names a json file, but --format is dot"},
		{[]string{"columns", "orders", "id", "--depth", "-1"}, 2, "--depth is how many levels"},
		{[]string{"impact", "orders", "--csv"}, 2, "--upstream, --csv and -o go with --list"},
		{[]string{"impact", "orders", "--list", "--csv", "--json"}, 2, "give --csv or --json, not both"},
		{[]string{"delete-view"}, 2, "give the view's name"},
		{[]string{"view-file", "a", "b"}, 2, "give the view's name"},
		{[]string{"import-view"}, 2, "give the view file"},
		{[]string{"snapshots", "--json", "extra"}, 2, `unexpected arguments ["extra"]: lineagedesk snapshots takes flags only`},
		{[]string{"changes", "5"}, 2, `unexpected arguments ["5"]`},
	}
	for _, c := range cases {
		out.Reset()
		errb.Reset()
		if code := Run(t.Context(), env, c.args); code != c.code || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errb.String(), c.code, c.want)
		}
	}
	out.Reset()
	if code := Run(t.Context(), env, []string{"help"}); code != 0 || !strings.Contains(out.String(), "lineagedesk sync") {
		t.Errorf("help: exit %d, %q", code, out.String())
	}
	// "--version" is the version command.
	out.Reset()
	if code := Run(t.Context(), env, []string{"--version"}); code != 0 || !strings.HasPrefix(out.String(), "lineagedesk ") {
		t.Errorf("--version: exit %d, %q", code, out.String())
	}
	// Every flag a command takes is in its usage line (help lists them).
	flagLine := regexp.MustCompile(`(?m)^  (--?[a-z][a-z0-9-]*)`)
	for _, c := range commands() {
		out.Reset()
		if code := Run(t.Context(), env, []string{c.name, "--help"}); code != 0 {
			t.Errorf("%s --help: exit %d", c.name, code)
			continue
		}
		for _, m := range flagLine.FindAllStringSubmatch(out.String(), -1) {
			if flag := m[1]; flag != "--db" && !strings.Contains(c.usage, flag) {
				t.Errorf("%s: its usage line %q lacks %s", c.name, c.usage, flag)
			}
		}
	}
	// A command's own help goes to standard output: its usage line, what
	// it does and every flag, in the spelling the usage line uses.
	for _, args := range [][]string{{"lineage", "--help"}, {"lineage", "-h"}, {"help", "lineage"}, {"lineage", "--format", "dot", "-h"}} {
		out.Reset()
		errb.Reset()
		code := Run(t.Context(), env, args)
		for _, want := range []string{"usage: lineagedesk lineage --select EXPR", "Render or export lineage.", "  --group-by string\n", "(default none)", "  --include-tests\n", "  -o string\n"} {
			if code != 0 || !strings.Contains(out.String(), want) {
				t.Errorf("%v: exit %d, stdout %q lacks %q", args, code, out.String(), want)
			}
		}
		if errb.Len() > 0 {
			t.Errorf("%v: stderr %q", args, errb.String())
		}
	}
}

func TestExitCodes(t *testing.T) {
	for code, want := range map[string]int{
		backend.EINVALID: 2, backend.ENOTFOUND: 3, backend.EUNAUTHORIZED: 4, backend.EFORBIDDEN: 4,
		backend.EUNAVAILABLE: 5, backend.ERATELIMIT: 5, backend.ECONFLICT: 6, backend.ECANCELED: 130, backend.EINTERNAL: 1,
	} {
		if got := exitCode(backend.Errorf(code, "x")); got != want {
			t.Errorf("exitCode(%s) = %d, want %d", code, got, want)
		}
	}
	if got := exitCode(context.Canceled); got != 130 {
		t.Errorf("exitCode(context.Canceled) = %d", got)
	}
}

func TestRenderProgress(t *testing.T) {
	got := renderProgress(app.SyncProgress{Phase: "download", Bytes: 3 << 20, TotalBytes: 12 << 20, Message: "manifest.json"}, 20)
	want := "download  [#####...............]  25% 3.0 MB manifest.json"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	got = renderProgress(app.SyncProgress{Phase: "import", Items: 1, TotalItems: 2}, 10)
	if want := "import    [#####.....]  50% 1/2"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// A download of unknown size: the bytes and the file, no bar at 0%.
	got = renderProgress(app.SyncProgress{Phase: "download", Bytes: 1600 << 10, Items: 0, TotalItems: 1, Message: "manifest.json"}, 10)
	if want := "download  1.6 MB 0/1 manifest.json"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	var buf bytes.Buffer
	quiet := newProgressBar(&buf, false)
	quiet.Emit(app.EventSyncProgress, app.SyncProgress{Phase: "download"})
	if buf.Len() != 0 {
		t.Errorf("a bar off a terminal wrote %q", buf.String())
	}
}

// TestMatchesLine: the counts shown add up to the total; the types the hits
// leave out (macros and docs by default, the others when one is asked for)
// are named apart.
func TestMatchesLine(t *testing.T) {
	byType := map[string]int{"test": 58, "macro": 20, "model": 1, "doc": 2}
	for asked, want := range map[string]string{
		"":      "2 of 59 matches (58 test, 1 model); also 20 macro, 2 doc (--type TYPE)",
		"macro": "2 of 20 matches (20 macro); also 58 test, 2 doc, 1 model (--type TYPE)",
	} {
		total := map[string]int{"": 59, "macro": 20}[asked]
		if got := matchesLine(2, total, byType, asked); got != want {
			t.Errorf("asked %q: %q, want %q", asked, got, want)
		}
	}
	if got := matchesLine(1, 1, map[string]int{"model": 1}, ""); got != "1 of 1 matches (1 model)" {
		t.Errorf("nothing apart: %q", got)
	}
}

// TestPrintResource: show lists the resource's last run, its source
// freshness and every test with its outcome, in aligned columns without
// trailing spaces.
func TestPrintResource(t *testing.T) {
	failures := int64(3)
	r := backend.ResourceDetail{
		Resource: backend.Resource{UniqueID: "source.shop.raw.orders", ResourceType: backend.TypeSource, Name: "orders",
			Columns: []backend.Column{{Name: "order_id", CatalogType: "INTEGER", Description: "The order"}, {Name: "status", DeclaredType: "text"}}},
		RunResult: &backend.RunResult{Status: "error", ExecutionTime: 1.25, Message: "relation\n does not exist"},
		Freshness: &backend.FreshnessResult{Status: "warn", MaxLoadedAt: "2026-03-01T08:00:00Z"},
		Tests: []backend.TestWithResult{
			{Name: "not_null_orders_order_id", TestName: "not_null", ColumnName: "order_id", Result: &backend.RunResult{Status: "pass"}},
			{Name: "relationships_orders_customer_id", TestName: "relationships", ColumnName: "customer_id", Result: &backend.RunResult{Status: "fail", Failures: &failures}},
			{Name: "assert_positive_amounts"},
		},
		TestSummary: backend.TestSummary{Total: 2, Pass: 1, Fail: 1},
	}
	var out bytes.Buffer
	printResource(Env{Stdout: &out}, r, &backend.Health{State: "degraded", Reasons: []string{"its freshness check warned", "1 of 2 tests failing"}})
	for _, want := range []string{
		"  health:       degraded; its freshness check warned; 1 of 2 tests failing\n",
		"  last run:     error in 1.2 s: relation does not exist\n",
		"  freshness:    warn, last loaded 2026-03-01T08:00:00Z\n",
		"  tests:        3 (pass 1, warn 0, fail 1, error 0, skipped 0)\n",
		"    not_null                 order_id     pass\n",
		"    relationships            customer_id  fail (3 failing rows)\n",
		"    assert_positive_amounts               no result\n",
		"    order_id  INTEGER  The order\n",
		"    status    text\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("show lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), " \n") {
		t.Errorf("trailing spaces:\n%q", out.String())
	}
	// A docs generate's result is its compile, no run (QA: it read "success").
	out.Reset()
	printResource(Env{Stdout: &out}, backend.ResourceDetail{Resource: backend.Resource{UniqueID: "model.shop.orders", ResourceType: backend.TypeModel},
		RunResult: &backend.RunResult{Status: "success", ExecutionTime: 0.1}, RunCommand: "generate"}, nil)
	if !strings.Contains(out.String(), "  last run:     not built or tested: the run was dbt docs generate (success in 0.1 s)\n") {
		t.Errorf("show after a docs generate:\n%s", out.String())
	}
}

// TestPrintCriticalPath: lineage --runtime lists the path on stderr, each
// node with its time and the path's total so far.
func TestPrintCriticalPath(t *testing.T) {
	var errb bytes.Buffer
	printCriticalPath(Env{Stderr: &errb}, &app.CriticalPath{Command: "build", Seconds: 15.75,
		Nodes: []string{"seed.p.raw", "model.p.stg", "model.p.fct"}, Times: []float64{0.5, 12.25, 3}})
	want := "critical path: 15.75 s over 3 nodes (dbt build)\n" +
		"  SECONDS  TOTAL  UNIQUE_ID\n" +
		"     0.50   0.50  seed.p.raw\n" +
		"    12.25  12.75  model.p.stg\n" +
		"     3.00  15.75  model.p.fct\n"
	if errb.String() != want {
		t.Errorf("got\n%s\nwant\n%s", errb.String(), want)
	}
	errb.Reset()
	printCriticalPath(Env{Stderr: &errb}, &app.CriticalPath{Command: "run", Nodes: []string{}})
	if errb.String() != "critical path: none of the selected nodes is in the results of the dbt run\n" {
		t.Errorf("no times: %q", errb.String())
	}
}

// TestPrintHistory: history lists the snapshots, then one line per row
// with each outcome (failing rows counted, gaps marked) and the trend,
// aligned without trailing spaces.
func TestPrintHistory(t *testing.T) {
	three := int64(3)
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	h := app.HistoryResult{UniqueID: "model.p.orders", Project: "p",
		Snapshots: []app.HistorySnapshot{{ID: 1, Name: "nightly", GeneratedAt: at, RunCommand: "build"}, {ID: 4, GeneratedAt: at.Add(time.Hour), RunCommand: "generate"}, {ID: 7, GeneratedAt: at.Add(2 * time.Hour), RunCommand: "build"}},
		Rows: []app.HistoryRow{
			{UniqueID: "model.p.orders", Name: "orders", Results: []*app.HistoryCell{{Status: "success"}, nil, {Status: "error"}}, Trend: "newly failing"},
			{UniqueID: "test.p.unique_orders_id", Name: "unique", Test: true, ColumnName: "id", Results: []*app.HistoryCell{{Status: "fail", Failures: &three}, nil, {Status: "pass"}}, Trend: "fixed"},
		}}
	var out bytes.Buffer
	printHistory(Env{Stdout: &out}, h)
	for _, want := range []string{
		"model.p.orders in the last 3 snapshots of p, in the order they were generated:\n",
		"  #1  2026-03-01 10:00 UTC  nightly  dbt build\n",
		"  #4  2026-03-01 11:00 UTC           dbt docs generate\n",
		"        COLUMN  #1       #4  #7     TREND\n",
		"run             success  -   error  newly failing\n",
		"unique  id      fail(3)  -   pass   fixed\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("history lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), " \n") {
		t.Errorf("trailing spaces:\n%q", out.String())
	}
	if strings.Contains(out.String(), "Changed since") {
		t.Errorf("no change, yet a list of them:\n%s", out.String())
	}
	// What changed since the snapshot before, column by column.
	h.Changes = []*app.HistoryChange{nil, nil, {Parts: []string{"body", "macros"}, Columns: []backend.ColumnChange{
		{Column: "amount", Change: backend.ColumnRetyped, Type: "bigint", OldType: "integer"},
		{Column: "id", Change: backend.ColumnRedefined, Definition: "md5(a || b)", OldDefinition: "md5(a)"},
		{Column: "note", Change: backend.ColumnRemoved, OldType: "text"},
		{Column: "region", Change: backend.ColumnAdded, Type: "text"},
	}}}
	out.Reset()
	printHistory(Env{Stdout: &out}, h)
	if want := "\nChanged since the snapshot before:\n  #7  body, macros\n        amount retyped: integer -> bigint\n" +
		"        id redefined: md5(a) -> md5(a || b)\n        note removed (text)\n        region added (text)\n"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("changes:\n%s\nwant it to end %q", out.String(), want)
	}
	// A source's own row is its freshness check.
	src := app.HistoryResult{UniqueID: "source.p.raw.orders", Project: "p", Snapshots: h.Snapshots[:2],
		Rows: []app.HistoryRow{{UniqueID: "source.p.raw.orders", Name: "orders", Results: []*app.HistoryCell{{Status: "pass"}, {Status: "runtime error"}}, Trend: "newly failing"}}}
	out.Reset()
	printHistory(Env{Stdout: &out}, src)
	if want := "freshness          pass  runtime error  newly failing\n"; !strings.Contains(out.String(), want) {
		t.Errorf("a source's history:\n%s\nwant the line %q", out.String(), want)
	}
	// As of an older snapshot, it says how many came after.
	h.Changes = nil
	h.SnapshotID, h.Later = 7, 2
	out.Reset()
	printHistory(Env{Stdout: &out}, h)
	if want := "model.p.orders in the last 3 snapshots of p, in the order they were generated, as of #7 (2 later ones not shown):\n"; !strings.HasPrefix(out.String(), want) {
		t.Errorf("as of an older snapshot:\n%s\nwant it to start %q", out.String(), want)
	}
}

func TestDrawnText(t *testing.T) {
	nodes := make([]app.LineageNode, 36)
	plain := app.LineageResult{Nodes: nodes, Edges: make([]backend.Edge, 40)}
	if got := drawnText(plain); got != "36 nodes, 40 edges" {
		t.Errorf("plain: %q", got)
	}
	grouped := plain
	grouped.Groups = []app.GroupBox{{Members: 20}, {Members: 14}}
	if got := drawnText(grouped); got != "36 nodes: 34 in 2 boxes, 2 alone" {
		t.Errorf("grouped: %q", got)
	}
	grouped.Groups = []app.GroupBox{{Members: 36}}
	if got := drawnText(grouped); got != "36 nodes in 1 box" {
		t.Errorf("all in one box: %q", got)
	}
	if got := reachText(backend.ColumnReach{Columns: 1, Nodes: 4, Exposures: 1}); got != "(reaches 4 nodes (1 exposure) and 1 column)" {
		t.Errorf("reach: %q", got)
	}
	if got := reachText(backend.ColumnReach{Columns: 3, Nodes: 1, Truncated: true}); got != "(reaches 1 node and 3 columns, and more)" {
		t.Errorf("reach, cut: %q", got)
	}
}

// health sums the report up and lists the degraded and caution resources
// with why; --all lists the rest too.
func TestPrintHealthReport(t *testing.T) {
	rep := app.HealthReport{SnapshotID: 4, Project: "shop", Counts: map[string]int{"degraded": 1, "caution": 1, "healthy": 1},
		Resources: []app.HealthEntry{
			{UniqueID: "model.shop.orders", Health: backend.Health{State: "degraded", Reasons: []string{"its last build failed", "no description"}}},
			{UniqueID: "seed.shop.raw", Health: backend.Health{State: "caution", Reasons: []string{"no tests"}}},
			{UniqueID: "model.shop.customers", Health: backend.Health{State: "healthy"}},
		}}
	var out bytes.Buffer
	printHealthReport(Env{Stdout: &out}, rep, false)
	for _, want := range []string{
		"Snapshot #4 shop: 1 degraded, 1 caution, 0 unknown, 1 healthy\n",
		"degraded  model.shop.orders  its last build failed; no description\n",
		"caution   seed.shop.raw      no tests\n",
		"1 unknown or healthy not listed (--all lists them)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "model.shop.customers") {
		t.Errorf("a healthy model listed without --all:\n%s", out.String())
	}
	out.Reset()
	printHealthReport(Env{Stdout: &out}, rep, true)
	if !strings.Contains(out.String(), "healthy   model.shop.customers") || strings.Contains(out.String(), "not listed") {
		t.Errorf("--all:\n%s", out.String())
	}
}

// lineage --lens health sums the picture's health up on standard error;
// other lenses say nothing of it.
func TestPrintLineageHealth(t *testing.T) {
	res := app.LineageResult{Nodes: []app.LineageNode{
		{GraphNode: backend.GraphNode{UniqueID: "model.p.a"}, Health: &backend.Health{State: "degraded"}},
		{GraphNode: backend.GraphNode{UniqueID: "model.p.b"}, Health: &backend.Health{State: "healthy"}},
		{GraphNode: backend.GraphNode{UniqueID: "model.p.c"}, Health: &backend.Health{State: "healthy"}},
		{GraphNode: backend.GraphNode{UniqueID: "metric.p.m"}},
	}}
	var errs bytes.Buffer
	printLineageHealth(Env{Stderr: &errs}, res)
	if got := errs.String(); got != "health: 1 degraded, 0 caution, 0 unknown, 2 healthy\n" {
		t.Errorf("stderr %q", got)
	}
	errs.Reset()
	printLineageHealth(Env{Stderr: &errs}, app.LineageResult{Nodes: res.Nodes[3:]})
	if errs.Len() != 0 {
		t.Errorf("no health drawn, yet %q", errs.String())
	}
}

// show says when a resource is disabled: otherwise it reads like any other.
func TestShowSaysDisabled(t *testing.T) {
	for _, enabled := range []bool{true, false} {
		var out bytes.Buffer
		r := backend.ResourceDetail{Resource: backend.Resource{UniqueID: "model.p.customers", ResourceType: "model", Enabled: enabled}}
		printResource(Env{Stdout: &out}, r, nil)
		if said := strings.Contains(out.String(), "disabled:"); said == enabled {
			t.Errorf("enabled %v: %q", enabled, out.String())
		}
	}
	var out bytes.Buffer
	printResource(Env{Stdout: &out}, backend.ResourceDetail{Resource: backend.Resource{UniqueID: "test.p.t", ResourceType: "test", Enabled: true},
		Parents: []backend.ResourceSummary{{UniqueID: "model.p.orders"}, {UniqueID: "model.p.customers", Disabled: true}}}, nil)
	if !strings.Contains(out.String(), "model.p.customers (disabled)") || strings.Contains(out.String(), "orders (disabled)") {
		t.Errorf("upstream list: %q", out.String())
	}
}

// A picture is laid out in WebAssembly, which the runtime cannot preempt:
// the command hands Ctrl-C back to the default action (the process ends)
// before it, and keeps it for the text formats.
func TestLineagePicturesEndOnInterrupt(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "store.db")
	for _, c := range []struct {
		format string
		kills  bool
	}{{"svg", true}, {"json", false}, {"dot", false}} {
		killed := false
		var out, errb bytes.Buffer
		env := Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
			KillOnInterrupt: func() { killed = true },
			Open: func(ctx context.Context, _ string, _ app.Emitter) (*app.App, func() error, error) {
				store, err := storage.Open(ctx, dbPath)
				if err != nil {
					return nil, nil, err
				}
				return app.New(ctx, store, app.Config{Version: "test", DBPath: dbPath, Demo: demo.Source{}}), store.Close, nil
			}}
		// The empty store opens on the demo project.
		code := Run(t.Context(), env, []string{"lineage", "-s", "customers", "--format", c.format})
		if killed != c.kills {
			t.Errorf("%s: KillOnInterrupt called %v, want %v (exit %d: %s)", c.format, killed, c.kills, code, errb.String())
		}
	}
}

// A Ctrl-C that came while a text export was made (DOT, JSON and CSV are
// written out without reading the context: the app here never hears it)
// writes nothing, says "interrupted" and exits 130 (QA: the file was
// written, exit 0).
func TestLineageInterruptedWritesNothing(t *testing.T) {
	dir := t.TempDir()
	dbPath, file := filepath.Join(dir, "store.db"), filepath.Join(dir, "lineage.dot")
	ctx, interrupt := context.WithCancel(t.Context())
	interrupting := false
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
		Open: func(ctx context.Context, _ string, _ app.Emitter) (*app.App, func() error, error) {
			store, err := storage.Open(ctx, dbPath)
			if err != nil {
				return nil, nil, err
			}
			a := app.New(context.WithoutCancel(ctx), store, app.Config{Version: "test", DBPath: dbPath, Demo: demo.Source{}})
			if interrupting {
				interrupt()
			} else if _, err := a.OpenDemo(); err != nil {
				return nil, nil, err
			}
			return a, store.Close, nil
		}}
	if code := Run(ctx, env, []string{"lineage", "-s", "customers", "--format", "json"}); code != 0 {
		t.Fatalf("the demo: exit %d: %s", code, errb.String())
	}
	interrupting = true
	errb.Reset()
	if code := Run(ctx, env, []string{"lineage", "-s", "customers+", "-o", file}); code != 130 || strings.TrimSpace(errb.String()) != "lineagedesk lineage: interrupted" {
		t.Errorf("exit %d, stderr %q; want 130 and interrupted", code, errb.String())
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s was written (%v)", file, err)
	}
}

// --select and --exclude take every word up to the next flag, and add up
// when given twice, as in dbt (dbt ls --select stg_orders fct_orders).
func TestSelectionFlagsTakeWordsAsDbt(t *testing.T) {
	cases := []struct {
		args                []string
		select_, exclude    string
		positional, problem string
	}{
		{args: []string{"--select", "stg_orders", "fct_orders", "--format", "json"}, select_: "stg_orders fct_orders"},
		{args: []string{"-s", "a+", "--exclude", "c", "tag:d", "-o", "x.svg"}, select_: "a+", exclude: "c tag:d"},
		{args: []string{"--select=a", "b", "--select", "c", "-exclude=d"}, select_: "a b c", exclude: "d"},
		{args: []string{"--include-tests", "a", "b"}, positional: "a|b"},
		{args: []string{"--select", "a", "--", "b"}, select_: "a", positional: "b"},
		{args: []string{"--select", "--format", "json"}, problem: "flag needs an argument"},
	}
	for _, c := range cases {
		f := newFlags("lineage")
		var sel, exc, format, out string
		f.StringVar(&sel, "select", "", "")
		f.StringVar(&sel, "s", "", "")
		f.StringVar(&exc, "exclude", "", "")
		f.StringVar(&format, "format", "svg", "")
		f.StringVar(&out, "o", "", "")
		f.Bool("include-tests", false, "")
		pos, err := f.parse(dbtSelectionArgs(c.args))
		if c.problem != "" {
			if err == nil || !strings.Contains(err.Error(), c.problem) {
				t.Errorf("%q: error %v, want %q", c.args, err, c.problem)
			}
			continue
		}
		if err != nil || sel != c.select_ || exc != c.exclude || strings.Join(pos, "|") != c.positional {
			t.Errorf("%q: select %q, exclude %q, positional %q, err %v; want %q, %q, %q", c.args, sel, exc, pos, err, c.select_, c.exclude, c.positional)
		}
	}
}

// runtimes names the runs read and their totals, then the slowest of the
// latest run and those that got slower, with the time added.
func TestPrintRunTimes(t *testing.T) {
	at := time.Date(2031, 3, 3, 9, 30, 0, 0, time.UTC)
	four, twelve, thirty := 4.0, 12.5, 30.0
	rep := app.RunTimesReport{SnapshotID: 7, Project: "shop", Timed: 2,
		Runs:   []app.HistorySnapshot{{ID: 5, RunCommand: "build", GeneratedAt: at.Add(-24 * time.Hour)}, {ID: 6, RunCommand: "run", GeneratedAt: at}},
		Totals: []float64{13.5, 7300},
		Slowest: []app.RunTimeRow{
			{UniqueID: "model.shop.orders", Seconds: []*float64{&twelve, &thirty}, Status: "success", Latest: 30, Before: 12.5, Earlier: 1},
			{UniqueID: "seed.shop.raw", Seconds: []*float64{nil, &four}, Status: "success", Latest: 4},
		},
		Slower: []app.RunTimeRow{{UniqueID: "model.shop.orders", Seconds: []*float64{&twelve, &thirty}, Status: "success", Latest: 30, Before: 12.5, Earlier: 1}},
	}
	var out bytes.Buffer
	printRunTimes(&out, rep)
	for _, want := range []string{
		"Snapshot #7 shop: 2 runs read, the latest #6 (dbt run, 2031-03-03 09:30), which timed 2 models, seeds and snapshots\n",
		"their times added up in each run (threads run some at once), oldest first: #5 13.5 s, #6 2 h 02 min\n",
		"Slowest in the latest run:\n",
		"30.0 s  12.5 s  success model.shop.orders\n",
		"4.00 s       -  success seed.shop.raw\n",
		"Slower than before (1.5 times the median of its earlier runs and a second more):\n",
		"30.0 s  12.5 s  +17.5 s  success model.shop.orders\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in\n%s", want, out.String())
		}
	}
	out.Reset()
	printRunTimes(&out, app.RunTimesReport{SnapshotID: 3, Project: "shop"})
	if !strings.Contains(out.String(), "Snapshot #3 shop: no run up to it built models") {
		t.Errorf("no runs:\n%s", out.String())
	}
}

// sqldiff prints the header, the lines around each change with their
// marks, and folds the unchanged ones farther away, with no trailing spaces.
func TestPrintSQLDiff(t *testing.T) {
	lines := []textdiff.Line{}
	for i := range 10 {
		lines = append(lines, textdiff.Line{Op: " ", Text: fmt.Sprint("l", i)})
	}
	lines = append(lines, textdiff.Line{Op: "-", Text: "from a"}, textdiff.Line{Op: "+", Text: "from b"}, textdiff.Line{Op: " ", Text: ""}, textdiff.Line{Op: " ", Text: "x"})
	var out bytes.Buffer
	printSQLDiff(&out, app.SQLDiffResult{UniqueID: "model.p.orders", Kind: "compiled", SnapshotID: 4, AgainstID: 2, Lines: lines, Added: 1, Removed: 1})
	want := "model.p.orders: compiled SQL in #4 against #2: 1 added, 1 removed\n" +
		"  … 7 unchanged lines\n  l7\n  l8\n  l9\n- from a\n+ from b\n\n  x\n"
	if out.String() != want {
		t.Errorf("got\n%q\nwant\n%q", out.String(), want)
	}
	out.Reset()
	printSQLDiff(&out, app.SQLDiffResult{UniqueID: "model.p.orders", Kind: "raw", SnapshotID: 4, AgainstID: 2, Lines: lines[:2]})
	if !strings.HasSuffix(out.String(), "\nunchanged since #2\n") {
		t.Errorf("no change: %q", out.String())
	}
	out.Reset()
	printSQLDiff(&out, app.SQLDiffResult{UniqueID: "model.p.orders", Kind: "raw", SnapshotID: 4, AgainstID: 2, Lines: lines[:2], Changed: []string{"macros", "configs"}})
	if !strings.HasSuffix(out.String(), "\nthe same SQL; what changed: macros, configs\n") {
		t.Errorf("the same SQL, the macros changed: %q", out.String())
	}
}

// show gives a metric's label, type, what it measures and its filter, read
// from its manifest entry (QA: only --json's raw had them).
func TestPrintMetricDefinition(t *testing.T) {
	got := map[string]string{}
	printMetricDefinition(func(name, value string) { got[name] = value }, []byte(`{"label": "Large Orders", "type": "simple",
		"type_params": {"expr": "1", "metric_aggregation_params": {"semantic_model": "orders", "agg": "sum"}},
		"filter": {"where_filters": [{"where_sql_template": "{{ Dimension('order_id__order_total_dim') }} >= 20\n"}]}}`))
	want := map[string]string{"label": "Large Orders", "type": "simple", "measures": "sum of 1 in orders", "filter": "{{ Dimension('order_id__order_total_dim') }} >= 20"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	got = map[string]string{}
	printMetricDefinition(func(name, value string) { got[name] = value }, []byte(`{"type": "ratio", "type_params": {"numerator": {"name": "food_revenue"}, "denominator": {"name": "revenue"}}}`))
	if got["measures"] != "food_revenue / revenue" {
		t.Errorf("a ratio measures %q", got["measures"])
	}
}

// TestFormatForCSVFiles: -o list.csv is the edge CSV unless --format
// csv-nodes asks for the resources, which a .csv name does not contradict.
func TestFormatForCSVFiles(t *testing.T) {
	format := "csv-nodes"
	if err := formatForFile(&format, "list.csv", true); err != nil || format != "csv-nodes" {
		t.Errorf("--format csv-nodes -o list.csv: %q, %v", format, err)
	}
	format = "svg"
	if err := formatForFile(&format, "list.csv", false); err != nil || format != "csv" {
		t.Errorf("-o list.csv: %q, %v", format, err)
	}
	format = "csv-nodes"
	if err := formatForFile(&format, "list.json", true); err == nil || !strings.Contains(err.Error(), "give -o a .csv name") {
		t.Errorf("--format csv-nodes -o list.json: %v", err)
	}
}

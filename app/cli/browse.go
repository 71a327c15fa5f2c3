package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/health"
)

func runImport(ctx context.Context, env Env, args []string) error {
	f := newFlags("import")
	name := f.String("name", "", "snapshot name (default: the dbt project name)")
	asJSON := f.Bool("json", false, "print one JSON object (with --watch, one per import, a line each)")
	watch := f.Bool("watch", false, "keep watching: import the folder again each time dbt has written it anew, until Ctrl-C")
	every := f.Duration("every", 2*time.Second, "with --watch: how often to look at the folder")
	paths, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("give a dbt target/ folder, a project folder or artifact files")
	}
	if *every <= 0 || *every > time.Hour {
		return usagef("--every is how often --watch looks at the folder, from 1ms to 1h (e.g. 2s)")
	}
	everyGiven := false
	f.Visit(func(fl *flag.Flag) { everyGiven = everyGiven || fl.Name == "every" })
	if everyGiven && !*watch {
		return usagef("--every is how often --watch looks at the folder: give --watch too, or leave --every out")
	}
	// Paths that hold no artifacts are refused before the store is opened:
	// a mistyped --db would otherwise be created, empty, for nothing.
	if _, err := artifact.Discover(paths); err != nil && !(*watch && artifact.IsNoArtifacts(err)) {
		return fmt.Errorf("find the artifacts: %w", err)
	}
	lowerPeakMemory()
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		printImport := func(res app.ImportResult) error {
			if *asJSON && *watch {
				return printJSONLine(env.Stdout, res) // one import a line, for a consumer reading lines
			}
			if *asJSON {
				return printJSON(env.Stdout, res)
			}
			fmt.Fprintf(env.Stdout, "Imported %s (dbt %s) as snapshot %d: %s\n", res.Project, res.DbtVersion, res.SnapshotID, formatCounts(res.Counts))
			for _, w := range res.Warnings {
				fmt.Fprintf(env.Stdout, "warning: %s\n", w)
			}
			return nil
		}
		if *watch {
			fmt.Fprintf(env.Stderr, "watching %s: each dbt run it holds is imported once written (Ctrl-C stops)\n", strings.Join(paths, ", "))
			return app.NewFolderWatch(a, paths, *name, *every).Run(ctx, func(res app.ImportResult, err error) {
				if err != nil {
					fmt.Fprintf(env.Stderr, "lineagedesk import: %s\n", backend.NewErrorPayload(err).Message)
					return
				}
				if res.Note != "" {
					fmt.Fprintf(env.Stderr, "lineagedesk import: %s\n", res.Note)
					return
				}
				if res.SameRunAs != 0 { // nothing imported: a note, not a line of JSON
					fmt.Fprintf(env.Stderr, "the files changed but hold the dbt run snapshot %d holds: not imported again\n", res.SameRunAs)
					return
				}
				_ = printImport(res)
				if res.Completed != 0 && !*asJSON {
					fmt.Fprintf(env.Stdout, "(the same dbt run as snapshot %d, imported from its manifest before the run's results were written: it replaces that snapshot)\n", res.Completed)
				}
			})
		}
		res, err := a.ImportPaths(paths, *name)
		if err != nil {
			return err
		}
		return printImport(res)
	})
}

func runSnapshots(ctx context.Context, env Env, args []string) error {
	f := newFlags("snapshots")
	asJSON := f.Bool("json", false, "print JSON")
	if err := f.parseFlagsOnly(args); err != nil {
		return err
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		snaps, err := a.Snapshots()
		if err != nil {
			return err
		}
		return printList(env.Stdout, *asJSON, snaps, "No snapshots yet: run 'lineagedesk import PATH' or 'lineagedesk sync'.",
			"ID\tNAME\tPROJECT\tDBT\tGENERATED\tORIGIN\tMODELS", func(s backend.Snapshot) string {
				return fmt.Sprintf("%d\t%s\t%s\t%s\t%s\t%s\t%d", s.ID, s.Name, s.Project, s.DbtVersion,
					s.GeneratedAt.UTC().Format(time.DateTime), describeOrigin(s.Origin), s.Counts[backend.TypeModel])
			})
	})
}

func describeOrigin(o backend.Origin) string {
	switch o.Kind {
	case backend.OriginDbtCloud:
		return fmt.Sprintf("dbt Cloud %s run %d (job %d)", o.Connection, o.RunID, o.JobID)
	case backend.OriginDemo:
		return "demo"
	}
	return o.Path
}

func runShow(ctx context.Context, env Env, args []string) error {
	f := newFlags("show")
	snapshot := f.Int64("snapshot", 0, "snapshot id (default: latest)")
	asJSON := f.Bool("json", false, "print JSON")
	ids, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(ids) != 1 {
		return usagef("give exactly one unique_id or name, e.g. model.jaffle_shop.customers or customers")
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		r, err := a.Resource(*snapshot, ids[0])
		if err != nil {
			return err
		}
		var judged *backend.Health
		if r.Enabled && health.Judged(r.ResourceType) {
			h, err := a.Health(*snapshot, r.UniqueID)
			if err != nil {
				return err
			}
			judged = &h.Health
		}
		if *asJSON {
			return printJSON(env.Stdout, struct {
				backend.ResourceDetail
				Health *backend.Health `json:"health,omitempty"`
			}{r, judged})
		}
		printResource(env, r, judged)
		return nil
	})
}

func printResource(env Env, r backend.ResourceDetail, judged *backend.Health) {
	w := env.Stdout
	fmt.Fprintf(w, "%s (%s)\n", r.UniqueID, r.ResourceType)
	if !r.Enabled {
		fmt.Fprintln(w, "  disabled:     dbt leaves it out: it is not built, tested or drawn in the lineage")
	}
	field := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "  %-13s %s\n", label+":", value)
		}
	}
	field("relation", r.RelationName)
	if r.CrossProject() {
		field("project", r.Package+": a public model this project refs (dbt Mesh); its code, columns and tests are in that project's runs (lineagedesk mesh)")
	} else {
		field("materialized", r.Materialized)
	}
	field("path", r.Path)
	field("access", r.Access)
	field("group", r.Group)
	switch {
	case r.Version != "" && r.ResourceType != backend.TypeModel:
		// A unit test carries the version of the model it tests, and
		// knows no latest (QA: "1 (the latest)" of a model at 3).
		field("version", r.Version+" of the model it tests")
	case r.Version != "":
		field("version", r.Version+map[bool]string{true: " (the latest)", false: ", latest " + r.LatestVersion}[r.LatestVersion == "" || r.LatestVersion == r.Version])
	}
	if r.ContractEnforced {
		field("contract", "enforced")
	}
	if r.ResourceType == backend.TypeMetric {
		printMetricDefinition(field, r.Raw)
	}
	if e := r.Exposure; e != nil {
		field("type", strings.TrimSpace(e.Type+" "+e.Maturity))
		owner := e.OwnerName
		if e.OwnerEmail != "" {
			owner = strings.TrimSpace(owner + " <" + e.OwnerEmail + ">")
		}
		field("owner", owner)
		field("label", e.Label)
		field("url", e.URL)
	}
	field("tags", strings.Join(r.Tags, ", "))
	field("description", oneLine(r.Description, 200))
	if judged != nil {
		field("health", strings.Join(append([]string{judged.State}, judged.Reasons...), "; "))
	}
	if rr := r.RunResult; rr != nil {
		run := fmt.Sprintf("%s in %.1f s", rr.Status, rr.ExecutionTime)
		if rr.Message != "" && rr.Status != "success" && rr.Status != "pass" {
			run += ": " + oneLine(rr.Message, 120)
		}
		if r.RunCommand != "" && !backend.RunsNodes(r.RunCommand) {
			// dbt docs generate, compile, clone or show mark each node
			// "success" for what they did: no build, no test (QA: it read
			// as a run).
			run = fmt.Sprintf("not built or tested: the run was %s (%s)", backend.CommandLine(r.RunCommand), run)
		}
		field("last run", run)
	}
	if f := r.Freshness; f != nil {
		fresh := f.Status
		if f.MaxLoadedAt != "" {
			fresh += ", last loaded " + f.MaxLoadedAt
		}
		if f.Error != "" {
			fresh += ": " + oneLine(f.Error, 120)
		}
		field("freshness", fresh)
	}
	if len(r.Tests) > 0 {
		printTests(w, r.Tests, r.TestSummary)
	}
	if len(r.Columns) > 0 {
		fmt.Fprintf(w, "  columns:\n")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, c := range r.Columns {
			typ := c.CatalogType
			if typ == "" {
				typ = c.DeclaredType
			}
			fmt.Fprintln(tw, strings.TrimRight("    "+c.Name+"\t"+typ+"\t"+oneLine(c.Description, 80), "\t"))
		}
		tw.Flush()
	}
	list := func(label string, rs []backend.ResourceSummary) {
		if len(rs) == 0 {
			return
		}
		fmt.Fprintf(w, "  %s:\n", label)
		for _, p := range rs {
			if p.Disabled {
				fmt.Fprintf(w, "    %s (disabled)\n", p.UniqueID)
				continue
			}
			fmt.Fprintf(w, "    %s\n", p.UniqueID)
		}
	}
	list("upstream", r.Parents)
	list("downstream", r.Children)
}

// printTests lists a resource's tests: the generic test's name (or the
// singular test's), its column, and its outcome when the snapshot's run
// tested it.
func printTests(w io.Writer, tests []backend.TestWithResult, ts backend.TestSummary) {
	summary := fmt.Sprint(len(tests))
	if ts.Total > 0 {
		summary += fmt.Sprintf(" (pass %d, warn %d, fail %d, error %d, skipped %d)", ts.Pass, ts.Warn, ts.Fail, ts.Error, ts.Skipped)
	} else {
		summary += " (no results: the snapshot's run did not test)"
	}
	fmt.Fprintf(w, "  %-13s %s\n", "tests:", summary)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, t := range tests {
		name := t.TestName
		if name == "" {
			name = t.Name
		}
		outcome := ""
		if t.Result != nil {
			outcome = t.Result.Status
			if t.Result.Failures != nil && *t.Result.Failures > 0 {
				outcome += fmt.Sprintf(" (%d failing rows)", *t.Result.Failures)
			}
		} else if ts.Total > 0 {
			outcome = "no result"
		}
		// Empty cells at the end are dropped: tabwriter pads every cell
		// but a line's last.
		fmt.Fprintln(tw, strings.TrimRight("    "+name+"\t"+t.ColumnName+"\t"+outcome, "\t"))
	}
	tw.Flush()
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len([]rune(s)) > max {
		return string([]rune(s)[:max-1]) + "…"
	}
	return s
}

func runSearch(ctx context.Context, env Env, args []string) error {
	f := newFlags("search")
	snapshot := f.Int64("snapshot", 0, "snapshot id (default: latest)")
	typ := f.String("type", "", "only this resource_type (model, source, ...)")
	limit := f.Int("limit", 20, "at most this many hits")
	asJSON := f.Bool("json", false, "print JSON")
	allProjects := f.Bool("all-projects", false, "search every project the store holds (each one's latest run, or its run as of --snapshot)")
	var projects []string
	f.Func("project", "with --all-projects, only this project's hits (repeat for more)", func(p string) error {
		projects = append(projects, p)
		return nil
	})
	terms, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(projects) > 0 && !*allProjects {
		return usagef("--project picks among the projects --all-projects searches: add --all-projects")
	}
	if strings.TrimSpace(strings.Join(terms, " ")) == "" {
		return usagef("give a search query")
	}
	if *limit < 1 {
		return usagef("--limit is how many hits to list: give 1 or more")
	}
	q := backend.SearchQuery{Text: strings.Join(terms, " "), Limit: *limit}
	if *typ != "" {
		q.ResourceTypes = []string{*typ}
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		search := a.Search
		if *allProjects {
			search = func(id int64, q backend.SearchQuery) (backend.SearchResult, error) {
				return a.SearchProjects(id, q, projects)
			}
		}
		res, err := search(*snapshot, q)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, res)
		}
		if len(res.Hits) == 0 {
			fmt.Fprintf(env.Stdout, "No match for %q.\n", q.Text)
			if !*allProjects { // another project may hold it
				if across, err := a.SearchProjects(*snapshot, q, nil); err == nil && across.Total > 0 {
					fmt.Fprintf(env.Stdout, "Across the projects the store holds: %s (--all-projects).\n", formatCounts(across.ByProject))
				}
			}
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		for _, h := range res.Hits {
			snippet := strings.NewReplacer("\x02", "", "\x03", "").Replace(h.Snippet)
			where := h.MatchedIn
			if h.Column != "" {
				where = h.MatchedIn + " " + h.Column // lineagedesk columns NODE COLUMN traces it
			}
			if *allProjects {
				fmt.Fprintf(tw, "%s\t", h.Project)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", h.UniqueID, where, oneLine(snippet, 80))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, matchesLine(len(res.Hits), res.Total, res.ByType, *typ))
		if *allProjects && len(res.ByProject) > 0 {
			fmt.Fprintln(env.Stdout, "by project: "+formatCounts(res.ByProject))
		}
		return nil
	})
}

// matchesLine sums a search up so that its counts add up to the total.
// The counts by type cover every type that matched, while the hits leave
// out macros and docs unless asked for, and other types when one is: those
// are named apart, with how to see them.
func matchesLine(shown, total int, byType map[string]int, asked string) string {
	in := func(t string) bool {
		if asked != "" {
			return t == asked
		}
		return backend.SearchedByDefault(t)
	}
	counts, apart := map[string]int{}, map[string]int{}
	for t, n := range byType {
		if in(t) {
			counts[t] = n
		} else {
			apart[t] = n
		}
	}
	line := fmt.Sprintf("%d of %d matches (%s)", shown, total, formatCounts(counts))
	if len(apart) > 0 {
		line += fmt.Sprintf("; also %s (--type TYPE)", formatCounts(apart))
	}
	return line
}

// lowerPeakMemory makes the garbage collector run twice as often for the
// rest of this one-shot process: an import holds the parsed project while
// writing it, and the default lets the heap grow to twice that. Measured on
// the generated 10k-model project: peak RSS 900 MB -> 750 MB, no measurable
// CPU cost (BENCHMARKS.md).
func lowerPeakMemory() { debug.SetGCPercent(50) }

func runSelectors(ctx context.Context, env Env, args []string) error {
	f := newFlags("selectors")
	snapshot := f.Int64("snapshot", 0, "snapshot id (default: latest)")
	asJSON := f.Bool("json", false, "print JSON")
	if err := f.parseFlagsOnly(args); err != nil {
		return err
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		named, err := a.Selectors(*snapshot)
		if err != nil {
			return err
		}
		err = printList(env.Stdout, *asJSON, named, "This snapshot has no YAML selectors (a project's selectors.yml, which dbt records in manifest.json).",
			"NAME\tDEFAULT\tDESCRIPTION", func(s backend.NamedSelector) string {
				return fmt.Sprintf("%s\t%s\t%s", s.Name, map[bool]string{true: "yes"}[s.Default], s.Description)
			})
		if err == nil && !*asJSON && len(named) > 0 {
			fmt.Fprintln(env.Stdout, "\nUse one with: lineagedesk lineage --selector NAME (or --select selector:NAME)")
		}
		return err
	})
}

// printMetricDefinition gives a metric's label, type, what it measures and
// its filter, from the manifest's entry (QA: show printed none of them;
// only --json's raw had them).
func printMetricDefinition(field func(name, value string), raw json.RawMessage) {
	var m struct {
		Label      string `json:"label"`
		Type       string `json:"type"`
		TypeParams struct {
			Expr    string `json:"expr"`
			Measure *struct {
				Name string `json:"name"`
			} `json:"measure"`
			Numerator *struct {
				Name string `json:"name"`
			} `json:"numerator"`
			Denominator *struct {
				Name string `json:"name"`
			} `json:"denominator"`
			Metrics []struct {
				Name string `json:"name"`
			} `json:"metrics"`
			Aggregation *struct {
				SemanticModel string `json:"semantic_model"`
				Agg           string `json:"agg"`
			} `json:"metric_aggregation_params"`
		} `json:"type_params"`
		Filter *struct {
			WhereFilters []struct {
				Sql string `json:"where_sql_template"`
			} `json:"where_filters"`
		} `json:"filter"`
	}
	if json.Unmarshal(raw, &m) != nil {
		return
	}
	field("label", m.Label)
	field("type", m.Type)
	p := m.TypeParams
	var what []string
	switch {
	case p.Aggregation != nil && p.Aggregation.Agg != "" && p.Expr != "":
		what = append(what, fmt.Sprintf("%s of %s in %s", p.Aggregation.Agg, p.Expr, p.Aggregation.SemanticModel))
	case p.Aggregation != nil && p.Aggregation.Agg != "":
		what = append(what, fmt.Sprintf("%s in %s", p.Aggregation.Agg, p.Aggregation.SemanticModel))
	case p.Expr != "":
		what = append(what, p.Expr)
	}
	if p.Measure != nil && p.Measure.Name != "" {
		what = append(what, "measure "+p.Measure.Name)
	}
	if p.Numerator != nil && p.Denominator != nil {
		what = append(what, p.Numerator.Name+" / "+p.Denominator.Name)
	}
	for _, in := range p.Metrics {
		what = append(what, "metric "+in.Name)
	}
	field("measures", strings.Join(what, "; "))
	if m.Filter != nil {
		var where []string
		for _, f := range m.Filter.WhereFilters {
			where = append(where, oneLine(f.Sql, 200))
		}
		field("filter", strings.Join(where, " and "))
	}
}

package health_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/health"
)

var asOf = time.Date(2031, 3, 1, 6, 0, 0, 0, time.UTC)

// healthyModel is a model every criterion passes: built in this run, two
// tests passing, nothing stale upstream, described.
func healthyModel() health.Evidence {
	return health.Evidence{
		ResourceType: backend.TypeModel, Materialized: "table", Described: true,
		Build: &health.Outcome{Status: "success", GeneratedAt: asOf},
		Tests: backend.TestSummary{Total: 2, Pass: 2}, AsOf: asOf,
	}
}

// TestJudgeEachCriterion starts from a healthy model and breaks one
// criterion at a time: each gives the state dbt Explorer's data health
// signals give it, with a reason naming it.
func TestJudgeEachCriterion(t *testing.T) {
	if h := health.Judge(healthyModel()); h.State != health.Healthy || len(h.Reasons) != 0 {
		t.Fatalf("healthy model judged %+v", h)
	}
	for _, c := range []struct {
		name   string
		change func(e *health.Evidence)
		state  string
		reason string
	}{
		{"build failed", func(e *health.Evidence) { e.Build.Status = "error" }, health.Degraded, "its last build failed"},
		{"failed 3 days ago", func(e *health.Evidence) {
			e.Build = &health.Outcome{Status: "error", GeneratedAt: asOf.AddDate(0, 0, -3)}
		},
			health.Degraded, "its last build failed, 3 days before this run"},
		{"a test fails", func(e *health.Evidence) { e.Tests = backend.TestSummary{Total: 2, Pass: 1, Fail: 1} }, health.Degraded, "1 of 2 tests failing"},
		{"a test errors", func(e *health.Evidence) { e.Tests = backend.TestSummary{Total: 3, Pass: 2, Error: 1} }, health.Degraded, "1 of 3 tests failing"},
		{"a source upstream errored", func(e *health.Evidence) {
			e.StaleUpstream = health.StaleSources{Errored: 1, ErroredNames: []string{"shop.orders"}}
		}, health.Degraded, "upstream source shop.orders failed its freshness check (stale past error_after, or the check could not run)"},
		{"skipped", func(e *health.Evidence) { e.Build.Status = "skipped" }, health.Caution, "skipped in its last build (something upstream failed)"},
		{"built 31 days ago", func(e *health.Evidence) { e.Build.GeneratedAt = asOf.AddDate(0, 0, -31) }, health.Caution, "last built 31 days before this run (over 30)"},
		{"never built", func(e *health.Evidence) { e.Build = nil }, health.Caution, "not built by any run held"},
		{"no tests", func(e *health.Evidence) { e.Tests = backend.TestSummary{} }, health.Caution, "no tests"},
		{"tests never ran", func(e *health.Evidence) { e.Tests = backend.TestSummary{Total: 2} }, health.Caution, "its tests never ran in the runs held"},
		{"a test warns", func(e *health.Evidence) { e.Tests = backend.TestSummary{Total: 2, Pass: 1, Warn: 1} }, health.Caution, "1 of 2 tests warn"},
		{"failing tests named", func(e *health.Evidence) {
			e.Tests = backend.TestSummary{Total: 6, Pass: 1, Fail: 4, Error: 1}
			e.Failing = []string{"a_test", "b_test", "c_test", "d_test", "e_test"}
		}, health.Degraded, "5 of 6 tests failing: a_test, b_test, c_test and 2 more"},
		{"warning tests named", func(e *health.Evidence) {
			e.Tests = backend.TestSummary{Total: 2, Pass: 1, Warn: 1}
			e.Warning = []string{"accepted_values_status"}
		}, health.Caution, "1 of 2 tests warn: accepted_values_status"},
		{"dbt's message quoted", func(e *health.Evidence) {
			e.Build = &health.Outcome{Status: "error", GeneratedAt: asOf, Message: "  Database Error in model orders\n  relation \"raw.orders\" does not exist"}
		}, health.Degraded, "its last build failed: Database Error in model orders"},
		{"a long message cut", func(e *health.Evidence) {
			e.Build = &health.Outcome{Status: "error", GeneratedAt: asOf, Message: strings.Repeat("é", 120)}
		}, health.Degraded, "its last build failed: " + strings.Repeat("é", 99) + "…"},
		{"sources upstream warned", func(e *health.Evidence) {
			e.StaleUpstream = health.StaleSources{Warned: 5, WarnedNames: []string{"a.x", "a.y", "b.z"}}
		}, health.Caution, "5 upstream sources are stale (freshness warn): a.x, a.y, b.z and 2 more"},
		{"no description", func(e *health.Evidence) { e.Described = false }, health.Caution, "no description"},
		// As dbt writes a ref to another project's public model: not built
		// or tested here, and not described, which is not this project's doing.
		{"another project's model", func(e *health.Evidence) {
			e.OtherProject, e.Build, e.Tests, e.Described = "platform", nil, backend.TestSummary{}, false
		}, health.Unknown, "a public model of project platform: its own project's runs judge it"},
	} {
		e := healthyModel()
		c.change(&e)
		h := health.Judge(e)
		if h.State != c.state || !slices.Contains(h.Reasons, c.reason) {
			t.Errorf("%s: %+v, want %s with %q", c.name, h, c.state, c.reason)
		}
	}
}

func TestJudgeWorstFirstAndUnknown(t *testing.T) {
	e := healthyModel()
	e.Described = false
	e.Tests = backend.TestSummary{Total: 2, Pass: 1, Fail: 1}
	if h := health.Judge(e); h.State != health.Degraded || len(h.Reasons) != 2 || h.Reasons[0] != "1 of 2 tests failing" {
		t.Errorf("degraded and caution: %+v, want the failing test first, then no description", h)
	}
	// Nothing ran it: unknown, whatever else is known.
	e = health.Evidence{ResourceType: backend.TypeModel, Materialized: "view", Tests: backend.TestSummary{Total: 1}, AsOf: asOf}
	if h := health.Judge(e); h.State != health.Unknown {
		t.Errorf("never run: %+v, want unknown", h)
	}
	// A source upstream erred: known, and degraded, though nothing ran it.
	e.StaleUpstream = health.StaleSources{Errored: 1, ErroredNames: []string{"s.t"}}
	if h := health.Judge(e); h.State != health.Degraded {
		t.Errorf("never run, stale source upstream: %+v, want degraded", h)
	}
	// An ephemeral model is never built: its tests judge it.
	e = health.Evidence{ResourceType: backend.TypeModel, Materialized: "ephemeral", Described: true, Tests: backend.TestSummary{Total: 1, Pass: 1}, AsOf: asOf}
	if h := health.Judge(e); h.State != health.Healthy {
		t.Errorf("ephemeral, tested: %+v, want healthy", h)
	}
	e.Tests = backend.TestSummary{}
	if h := health.Judge(e); h.State != health.Caution || !slices.Equal(h.Reasons, []string{"no tests"}) {
		t.Errorf("ephemeral, untested: %+v, want caution for no tests", h)
	}
}

func TestJudgeSource(t *testing.T) {
	src := func(status string) health.Evidence {
		e := health.Evidence{ResourceType: backend.TypeSource, Described: true, AsOf: asOf}
		if status != "" {
			e.Freshness = &health.Outcome{Status: status, GeneratedAt: asOf.AddDate(0, 0, -2)}
		}
		return e
	}
	for status, want := range map[string]string{"pass": health.Healthy, "warn": health.Caution, "error": health.Degraded,
		"runtime error": health.Degraded, "": health.Unknown} {
		if h := health.Judge(src(status)); h.State != want {
			t.Errorf("freshness %q: %+v, want %s", status, h, want)
		}
	}
	// A source needs no tests, and is not built.
	if h := health.Judge(src("pass")); len(h.Reasons) != 0 {
		t.Errorf("fresh source: %+v, want no reasons", h)
	}
	if h := health.Judge(src("warn")); !slices.Equal(h.Reasons, []string{"its freshness check warned, 2 days before this run"}) {
		t.Errorf("warned source: %+v", h)
	}
	e := src("")
	e.Tests = backend.TestSummary{Total: 1, Fail: 1}
	if h := health.Judge(e); h.State != health.Degraded {
		t.Errorf("source with a failing test: %+v, want degraded", h)
	}
}

func TestJudgeExposure(t *testing.T) {
	h := health.JudgeExposure(map[string]backend.Health{
		"orders": {State: health.Caution}, "customers": {State: health.Degraded}, "payments": {State: health.Healthy},
	})
	if h.State != health.Degraded || !slices.Equal(h.Reasons, []string{"customers is degraded", "orders is caution"}) {
		t.Errorf("exposure: %+v", h)
	}
	if h := health.JudgeExposure(map[string]backend.Health{"a": {State: health.Healthy}, "b": {State: health.Unknown}}); h.State != health.Unknown ||
		!slices.Equal(h.Reasons, []string{"the health of b is unknown"}) {
		t.Errorf("one parent unknown: %+v, want unknown (healthy only when all it reads is), saying which", h)
	}
	if h := health.JudgeExposure(map[string]backend.Health{"a": {State: health.Unknown}}); !slices.Equal(h.Reasons, []string{"nothing it reads has a known health"}) {
		t.Errorf("all unknown: %+v", h)
	}
	if h := health.JudgeExposure(nil); h.State != health.Unknown {
		t.Errorf("reads nothing judged: %+v, want unknown", h)
	}
}

// dag is a lineage of n nodes, the first sources, each other node reading
// up to three earlier ones.
type dag struct {
	parents map[string][]string
	nodes   map[string]*backend.GraphNode
}

func (d dag) Parents(id string) []string { return d.parents[id] }
func (d dag) Node(id string) (*backend.GraphNode, bool) {
	n, ok := d.nodes[id]
	return n, ok
}

func randomDAG(r *rand.Rand, n, sources int) (dag, []string) {
	d := dag{parents: map[string][]string{}, nodes: map[string]*backend.GraphNode{}}
	ids := make([]string, n)
	for i := range ids {
		if i < sources {
			ids[i] = fmt.Sprintf("source.p.raw.t%03d", i)
			d.nodes[ids[i]] = &backend.GraphNode{UniqueID: ids[i], ResourceType: backend.TypeSource, Name: fmt.Sprintf("t%03d", i), SourceName: "raw"}
			continue
		}
		ids[i] = fmt.Sprintf("model.p.m%03d", i)
		d.nodes[ids[i]] = &backend.GraphNode{UniqueID: ids[i], ResourceType: backend.TypeModel, Name: fmt.Sprintf("m%03d", i)}
		for range 1 + r.IntN(3) {
			if p := ids[r.IntN(i)]; !slices.Contains(d.parents[ids[i]], p) {
				d.parents[ids[i]] = append(d.parents[ids[i]], p)
			}
		}
	}
	return d, ids
}

// TestStaleUpstreamMatchesAWalk checks StaleUpstream's bitsets against a
// walk up from each node, on random lineages with more stale sources
// than a word holds.
func TestStaleUpstreamMatchesAWalk(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		d, ids := randomDAG(r, 400, 150)
		freshness := map[string]string{}
		for _, id := range ids[:150] {
			freshness[id] = []string{"pass", "warn", "error", "runtime error", "pass"}[r.IntN(5)]
		}
		freshness["source.p.raw.not_in_the_graph"] = "error"
		got := health.StaleUpstream(d, freshness, ids)
		for _, id := range ids {
			var errored, warned []string
			seen := map[string]bool{}
			queue := slices.Clone(d.parents[id])
			for len(queue) > 0 {
				p := queue[0]
				queue = queue[1:]
				if seen[p] {
					continue
				}
				seen[p] = true
				queue = append(queue, d.parents[p]...)
				switch freshness[p] {
				case "warn":
					warned = append(warned, "raw."+d.nodes[p].Name)
				case "error", "runtime error":
					errored = append(errored, "raw."+d.nodes[p].Name)
				}
			}
			slices.Sort(errored)
			slices.Sort(warned)
			s := got[id]
			if s.Errored != len(errored) || s.Warned != len(warned) ||
				!slices.Equal(s.ErroredNames, errored[:min(3, len(errored))]) || !slices.Equal(s.WarnedNames, warned[:min(3, len(warned))]) {
				t.Fatalf("round %d, %s: %+v, want errored %v, warned %v", round, id, s, errored, warned)
			}
		}
	}
}

func TestWorse(t *testing.T) {
	order := []string{"", health.Healthy, health.Unknown, health.Caution, health.Degraded}
	for i, a := range order {
		for j, b := range order {
			if got, want := health.Worse(a, b), order[max(i, j)]; got != want {
				t.Errorf("Worse(%q, %q) = %q, want %q", a, b, got, want)
			}
		}
	}
	if !strings.Contains(fmt.Sprint(health.Judged(backend.TypeTest), health.Judged(backend.TypeMetric)), "false false") {
		t.Error("tests and metrics are not judged")
	}
}

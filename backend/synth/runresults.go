package synth

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// buildClock simulates a threaded `dbt build`: nodes start in order on the
// next free thread, so timings are monotone per thread and plausible overall.
type buildClock struct {
	threads []time.Time
}

func (c *buildClock) next() (int, time.Time) {
	best := 0
	for k, t := range c.threads {
		if t.Before(c.threads[best]) {
			best = k
		}
	}
	return best, c.threads[best]
}

func (e *environment) writeRunResults(j *jsonWriter) {
	start := e.generatedAt.Add(2 * time.Second)
	clock := &buildClock{threads: make([]time.Time, 8)}
	for k := range clock.threads {
		clock.threads[k] = start
	}
	j.obj()
	j.keyObj("metadata")
	j.kStr("dbt_schema_version", runResultsSchema)
	j.kStr("dbt_version", dbtVersion)
	end := e.buildEnd()
	j.kStr("generated_at", ts(end))
	j.kStr("invocation_id", e.invocationID)
	j.kStr("invocation_started_at", ts(e.parsedAt))
	j.kRaw("env", "{}")
	j.endObj()
	j.keyArr("results")
	e.forEachRun(func(i int) { e.writeResult(j, i, clock) })
	j.endArr()
	j.kFloat("elapsed_time", end.Sub(e.parsedAt).Seconds(), 6)
	j.kRaw("args", `{"which": "build", "invocation_command": "dbt build --target prod", "select": [], "exclude": [], "resource_types": [], "exclude_resource_types": [], "indirect_selection": "eager", "defer": false, "favor_state": false, "full_refresh": false, "empty": false, "fail_fast": false, "threads": 8, "target": "prod", "vars": {}, "project_dir": "/usr/src/app", "profiles_dir": "/root/.dbt", "log_path": "/usr/src/app/logs", "log_format": "json", "log_level": "info", "partial_parse": true, "static_parser": true, "write_json": true, "send_anonymous_usage_stats": false, "quiet": false, "version_check": true, "populate_cache": true, "introspect": true, "print": true, "printer_width": 80, "use_colors": false, "cache_selected_only": false, "show_resource_report": false, "warn_error_options": {"error": [], "warn": [], "silence": []}, "strict_mode": false}`)
	j.endObj()
}

// forEachRun visits executed nodes in build order: source tests, seeds and
// snapshots, then each model followed by its tests, then exposures.
func (e *environment) forEachRun(visit func(int)) {
	p := e.p
	tests := func(target int) {
		for _, c := range e.children[target] {
			if t := &p.nodes[c]; t.rtype == rtTest && t.test.target == int32(target) {
				visit(int(c))
			}
		}
	}
	for _, t := range []resourceType{rtSource, rtSeed, rtSnapshot, rtModel, rtExposure} {
		s, end := p.rangeOf(t)
		for i := s; i < end; i++ {
			if e.outcome[i].status != "" {
				visit(i)
			}
			tests(i)
		}
	}
}

// buildEnd is when the simulated build finished; run_results are written then.
func (e *environment) buildEnd() time.Time {
	clock := &buildClock{threads: make([]time.Time, 8)}
	start := e.generatedAt.Add(2 * time.Second)
	for k := range clock.threads {
		clock.threads[k] = start
	}
	e.forEachRun(func(i int) { e.advance(clock, i, e.p.rng(i, 8)) })
	last := start
	for _, t := range clock.threads {
		if t.After(last) {
			last = t
		}
	}
	return last.Add(350 * time.Millisecond)
}

// advance books node i on the clock and returns its thread, compile start,
// execute start and end.
func (e *environment) advance(c *buildClock, i int, r *rand.Rand) (int, time.Time, time.Time, time.Time) {
	thread, at := c.next()
	compile := time.Duration(2+r.IntN(30)) * time.Millisecond
	var run time.Duration
	switch o := e.outcome[i]; {
	case o.status == "skipped" || o.status == "no-op":
		run = time.Duration(r.IntN(2)) * time.Millisecond
	case e.p.nodes[i].rtype == rtTest:
		run = time.Duration(40+r.IntN(900)) * time.Millisecond
	default:
		run = time.Duration(200+r.IntN(9000)) * time.Millisecond
	}
	end := at.Add(compile + run)
	c.threads[thread] = end
	return thread, at, at.Add(compile), end
}

func (e *environment) writeResult(j *jsonWriter, i int, clock *buildClock) {
	n := &e.p.nodes[i]
	o := e.outcome[i]
	r := e.p.rng(i, 8)
	thread, start, exec, end := e.advance(clock, i, r)
	rows := 100 + r.IntN(5_000_000)
	j.obj()
	j.kStr("status", o.status)
	j.keyArr("timing")
	if o.status != "skipped" {
		for _, t := range [][3]any{{"compile", start, exec}, {"execute", exec, end}} {
			j.obj()
			j.kStr("name", t[0].(string))
			j.kStr("started_at", ts(t[1].(time.Time)))
			j.kStr("completed_at", ts(t[2].(time.Time)))
			j.endObj()
		}
	}
	j.endArr()
	j.kStr("thread_id", fmt.Sprintf("Thread-%d (worker)", thread+1))
	if o.status == "skipped" {
		j.kFloat("execution_time", 0, 1)
	} else {
		j.kFloat("execution_time", end.Sub(start).Seconds(), 6)
	}
	e.writeAdapterResponse(j, n, o, rows)
	j.kStrOrNull("message", e.resultMessage(n, o, rows))
	if o.failures < 0 {
		j.kNull("failures")
	} else {
		j.kInt("failures", o.failures)
	}
	j.kStr("unique_id", n.id)
	switch {
	case o.status == "skipped" || n.rtype == rtExposure || n.rtype == rtSeed:
		j.kNull("compiled")
		j.kNull("compiled_code")
	case n.rtype == rtTest:
		j.kBool("compiled", true)
		j.kStr("compiled_code", e.testSQL(n))
	case n.rtype == rtSnapshot:
		j.kBool("compiled", true)
		j.kStr("compiled_code", "\n\n    \n\nselect * from "+e.relation(&e.p.nodes[n.parents[0]])+"\n")
	default:
		j.kBool("compiled", true)
		j.kStr("compiled_code", e.modelSQL(i, e.p.rng(i, 1)).compiled)
	}
	j.kStrOrNull("relation_name", e.relation(n))
	j.kNull("batch_results")
	j.endObj()
}

func (e *environment) writeAdapterResponse(j *jsonWriter, n *node, o outcome, rows int) {
	switch {
	case o.status == "skipped" || o.status == "error" || o.status == "no-op":
		j.kRaw("adapter_response", "{}")
	case n.rtype == rtSeed:
		j.kRaw("adapter_response", fmt.Sprintf(`{"_message": "INSERT %d", "code": "INSERT", "rows_affected": %d}`, rows%5000, rows%5000))
	case e.p.spec.Adapter == "postgres" && n.rtype == rtModel && n.material != "view":
		j.kRaw("adapter_response", fmt.Sprintf(`{"_message": "SELECT %d", "code": "SELECT", "rows_affected": %d}`, rows, rows))
	default:
		j.kRaw("adapter_response", `{"_message": "OK"}`)
	}
}

func (e *environment) resultMessage(n *node, o outcome, rows int) string {
	switch o.status {
	case "skipped", "pass":
		return ""
	case "no-op":
		return "NO-OP"
	case "warn":
		return fmt.Sprintf("Got %d results, configured to warn if != 0", o.failures)
	case "fail":
		return fmt.Sprintf("Got %d results, configured to fail if != 0", o.failures)
	case "error":
		kind := "model"
		if n.rtype == rtTest {
			kind = "test"
		}
		return fmt.Sprintf("Runtime Error in %s %s (%s)\n  Binder Error: Referenced column \"legacy_%s\" not found in FROM clause!", kind, n.name, e.filePath(n), n.pk)
	}
	switch {
	case n.rtype == rtSeed:
		return fmt.Sprintf("INSERT %d", rows%5000)
	case e.p.spec.Adapter == "postgres" && n.material == "view":
		return "CREATE VIEW"
	case e.p.spec.Adapter == "postgres":
		return fmt.Sprintf("SELECT %d", rows)
	default:
		return "OK"
	}
}

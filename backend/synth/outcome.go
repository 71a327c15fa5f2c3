package synth

// outcome is what `dbt build` reported for one node.
type outcome struct {
	status   string // "" when the node is not executed (sources, ephemeral models, ...)
	failures int    // failing rows for tests; -1 writes null
}

// planOutcomes replays dbt build semantics: a model errors rarely, tests
// mostly pass with some warn/fail/error, and a node is skipped when a parent
// errored or was skipped, or when an error-severity test on a parent failed.
// Only tests on (non-hub) marts fail or error, so one unlucky draw skips a
// few downstream marts rather than most of the project.
func planOutcomes(p *plan, children [][]int32) []outcome {
	out := make([]outcome, len(p.nodes))
	blocked := make([]bool, len(p.nodes)) // downstream nodes must skip
	upstreamBlocked := func(n *node) bool {
		for _, parent := range n.parents {
			if blocked[parent] {
				return true
			}
		}
		return false
	}
	// Tests run right after the node they test, as in dbt build; a failing
	// error-severity test blocks that node's children.
	runTests := func(target int) {
		failed := false
		for _, c := range children[target] {
			t := &p.nodes[c]
			if t.rtype != rtTest || t.test.target != int32(target) {
				continue
			}
			r := p.rng(int(c), 7)
			out[c] = testOutcome(p, t, upstreamBlocked(t), r.IntN(10000), 1+r.IntN(400))
			if s := out[c].status; s == "fail" || s == "error" {
				failed = true
			}
		}
		blocked[target] = blocked[target] || failed
	}
	for i := range p.nodes {
		n := &p.nodes[i]
		r := p.rng(i, 7)
		switch n.rtype {
		case rtSource:
			runTests(i)
		case rtSeed, rtSnapshot:
			out[i] = outcome{status: "success", failures: -1}
		case rtModel:
			switch {
			case n.material == "ephemeral":
				blocked[i] = upstreamBlocked(n)
			case upstreamBlocked(n):
				out[i], blocked[i] = outcome{status: "skipped", failures: -1}, true
			case !n.isHub && n.layer == layerMart && r.IntN(1000) < 4:
				out[i], blocked[i] = outcome{status: "error", failures: -1}, true
			default:
				out[i] = outcome{status: "success", failures: -1}
			}
			runTests(i)
		case rtExposure:
			out[i] = outcome{status: "no-op", failures: 0}
		}
	}
	return out
}

func testOutcome(p *plan, n *node, upstreamBlocked bool, draw, rows int) outcome {
	if upstreamBlocked {
		return outcome{status: "skipped", failures: -1}
	}
	// Only leaf-ward marts fail hard; upstream failures show up as warnings,
	// as in a production project people keep mostly green.
	if hard := n.test.attached >= 0 && p.nodes[n.test.attached].layer == layerMart && !p.nodes[n.test.attached].isHub; !hard && draw < 330 {
		return outcome{status: "warn", failures: rows}
	}
	switch {
	case draw < 15:
		return outcome{status: "error", failures: -1}
	case draw < 330 && n.test.severity == "WARN":
		return outcome{status: "warn", failures: rows}
	case draw < 90:
		return outcome{status: "fail", failures: rows}
	case draw < 330:
		// An error-severity test whose warn_if trips but error_if does not.
		return outcome{status: "warn", failures: rows}
	default:
		return outcome{status: "pass", failures: 0}
	}
}

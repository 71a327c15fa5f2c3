// Package health judges a resource's data health as of a snapshot, from
// what the project's runs recorded: its last build, its tests' latest
// outcomes, the freshness of the sources upstream of it and whether it is
// documented. The states and criteria are dbt Explorer's data health
// signals (healthy, caution, degraded, unknown), read offline from the
// snapshots held instead of from dbt Cloud's metadata service.
package health

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// The states, best first; a box or an exposure takes the worst of what it
// holds or reads (Worse).
const (
	Healthy  = "healthy"
	Unknown  = "unknown"
	Caution  = "caution"
	Degraded = "degraded"
)

// StaleAfter is how long ago a last build may be before it counts as
// stale, as dbt Explorer's "not built in the last 30 days".
const StaleAfter = 30 * 24 * time.Hour

// Outcome is one recorded result: a build's status (success, error,
// skipped) or a freshness check's (pass, warn, error, runtime error), with
// when the run that recorded it was generated.
type Outcome struct {
	Status      string
	GeneratedAt time.Time
	// Message is what dbt said of a failed build (its first line is kept
	// in the reason).
	Message string
}

// Evidence is what the runs held say about one resource, as of a snapshot
// generated at AsOf.
type Evidence struct {
	ResourceType string
	Materialized string
	Described    bool
	// Build is the resource's latest build among the project's runs up to
	// the snapshot (models, seeds, snapshots); nil when none built it.
	Build *Outcome
	// Tests counts the enabled tests that count on the resource by their
	// latest outcome in those runs (Total includes those never run).
	Tests backend.TestSummary
	// Failing and Warning name the tests whose latest outcome failed or
	// errored, and warned (the reasons name the first few).
	Failing, Warning []string
	// Freshness is a source's latest freshness check; nil when none.
	Freshness *Outcome
	// StaleUpstream counts the sources upstream of the resource whose
	// latest freshness check errored or warned.
	StaleUpstream StaleSources
	AsOf          time.Time
	// OtherProject is, for another project's public model that this
	// project refs (dbt Mesh), that project: this project's runs neither
	// build nor test it, and dbt writes it without a description.
	OtherProject string
}

// Judged reports whether health is judged for a resource type: dbt
// Explorer judges models, sources and exposures; seeds and snapshots are
// built and tested as models are, and judged as models.
func Judged(resourceType string) bool {
	switch resourceType {
	case backend.TypeModel, backend.TypeSeed, backend.TypeSnapshot, backend.TypeSource, backend.TypeExposure:
		return true
	}
	return false
}

// Judge returns the health of a model, seed, snapshot or source from its
// evidence (an exposure's is JudgeExposure's): degraded when its build
// failed, a test fails or errors, or a source upstream (or, a source, its
// own freshness check) errored; caution when it was skipped, not built in
// the last 30 days or by no run held, has no tests (a source need not),
// its tests never ran, a test or a freshness check warned, or it has no
// description; unknown when none of the runs held built, tested or checked it (an
// ephemeral model, never built, is judged by the rest, and another
// project's public model is its own project's to judge); else healthy.
// Reasons say why, the degraded ones first.
func Judge(e Evidence) backend.Health {
	if e.OtherProject != "" {
		return backend.Health{State: Unknown, Reasons: []string{"a public model of project " + e.OtherProject + ": its own project's runs judge it"}}
	}
	var degraded, caution []string
	source := e.ResourceType == backend.TypeSource
	// Whether some run recorded an outcome of it. An ephemeral model is
	// never built: its tests, the sources upstream and its description
	// judge it.
	ran := e.Materialized == "ephemeral"

	if !source && e.Materialized != "ephemeral" {
		switch b := e.Build; {
		case b == nil:
			caution = append(caution, "not built by any run held")
		case isError(b.Status):
			ran = true
			degraded = append(degraded, "its last build failed"+ago(b, e.AsOf)+said(b.Message))
		case b.Status == "skipped":
			ran = true
			caution = append(caution, "skipped in its last build"+ago(b, e.AsOf)+" (something upstream failed)")
		default:
			ran = true
			if e.AsOf.Sub(b.GeneratedAt) > StaleAfter {
				caution = append(caution, fmt.Sprintf("last built %d days before this run (over 30)", int(e.AsOf.Sub(b.GeneratedAt).Hours()/24)))
			}
		}
	}
	if f := e.Freshness; f != nil {
		ran = true
		switch {
		case isError(f.Status):
			degraded = append(degraded, "its freshness check errored"+ago(f, e.AsOf))
		case f.Status == "warn":
			caution = append(caution, "its freshness check warned"+ago(f, e.AsOf))
		}
	}

	t := e.Tests
	outcomes := t.Pass + t.Warn + t.Fail + t.Error + t.Skipped
	if outcomes > 0 {
		ran = true
	}
	switch {
	case t.Fail+t.Error > 0:
		degraded = append(degraded, fmt.Sprintf("%d of %d tests failing", t.Fail+t.Error, t.Total)+named(e.Failing))
	case t.Total == 0 && !source:
		caution = append(caution, "no tests")
	case t.Total > 0 && outcomes == 0:
		caution = append(caution, "its tests never ran in the runs held")
	}
	if t.Warn > 0 {
		caution = append(caution, fmt.Sprintf("%d of %d tests warn", t.Warn, t.Total)+named(e.Warning))
	}

	if up := e.StaleUpstream; up.Errored > 0 {
		degraded = append(degraded, staleText(up.Errored, up.ErroredNames, "error"))
	}
	if up := e.StaleUpstream; up.Warned > 0 {
		caution = append(caution, staleText(up.Warned, up.WarnedNames, "warn"))
	}
	if !e.Described {
		caution = append(caution, "no description")
	}

	switch {
	case len(degraded) > 0:
		return backend.Health{State: Degraded, Reasons: append(degraded, caution...)}
	case !ran && e.StaleUpstream.Errored+e.StaleUpstream.Warned == 0:
		return backend.Health{State: Unknown, Reasons: []string{"none of the runs held built, tested or checked it"}}
	case len(caution) > 0:
		return backend.Health{State: Caution, Reasons: caution}
	}
	return backend.Health{State: Healthy}
}

// JudgeExposure returns an exposure's health from the health of what it
// reads directly (by name): their worst, each unhealthy one named, the
// degraded first; unknown when none of them is judged.
func JudgeExposure(parents map[string]backend.Health) backend.Health {
	names := slices.SortedFunc(maps.Keys(parents), func(x, y string) int {
		return cmp.Or(CompareWorse(parents[x].State, parents[y].State), strings.Compare(x, y))
	})
	state := ""
	var reasons, unknown []string
	for _, name := range names {
		h := parents[name]
		state = Worse(state, h.State)
		switch h.State {
		case Degraded, Caution:
			reasons = append(reasons, name+" is "+h.State)
		case Unknown:
			unknown = append(unknown, name)
		}
	}
	switch {
	case state == "" || len(unknown) == len(names):
		return backend.Health{State: Unknown, Reasons: []string{"nothing it reads has a known health"}}
	case state == Unknown:
		// Healthy only when all it reads is: say which are not known.
		return backend.Health{State: Unknown, Reasons: []string{"the health of " + strings.Join(unknown, ", ") + " is unknown"}}
	}
	return backend.Health{State: state, Reasons: reasons}
}

// Worse returns the worse of two states: degraded, caution, unknown,
// healthy, then none (""). A box is healthy only when all it holds is.
func Worse(a, b string) string {
	if CompareWorse(b, a) < 0 {
		return b
	}
	return a
}

// States are the states, worst first, as reports list and count them.
func States() []string {
	return []string{Degraded, Caution, Unknown, Healthy}
}

// CompareWorse orders states worst first (none last), for sorting.
func CompareWorse(a, b string) int {
	return rank(b) - rank(a)
}

func rank(state string) int {
	switch state {
	case Degraded:
		return 4
	case Caution:
		return 3
	case Unknown:
		return 2
	case Healthy:
		return 1
	}
	return 0
}

func isError(status string) bool {
	return status == "error" || status == "runtime error" || status == "fail"
}

// said is a failed build's message as a reason ends with it: its first
// line, cut at 100 characters.
func said(message string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(message), "\n")
	if line = strings.TrimSpace(line); line == "" {
		return ""
	}
	if r := []rune(line); len(r) > 100 {
		line = string(r[:99]) + "…"
	}
	return ": " + line
}

// named lists the first few tests of a reason: ": a, b, c and 2 more".
func named(tests []string) string {
	if len(tests) == 0 {
		return ""
	}
	return ": " + firstFew(tests[:min(len(tests), namedFirst)], len(tests))
}

// namedFirst is how many tests or sources a reason names before "and N
// more".
const namedFirst = 3

// firstFew lists names, the first of count: "a, b, c and 2 more".
func firstFew(names []string, count int) string {
	list := strings.Join(names, ", ")
	if more := count - len(names); more > 0 {
		list += fmt.Sprintf(" and %d more", more)
	}
	return list
}

// ago says when an outcome was recorded, relative to the snapshot judged:
// nothing for the snapshot's own run.
func ago(o *Outcome, asOf time.Time) string {
	d := asOf.Sub(o.GeneratedAt)
	switch days := int(d.Hours() / 24); {
	case d <= 0:
		return ""
	case days == 0:
		return ", in a run earlier that day"
	case days == 1:
		return ", 1 day before this run"
	default:
		return fmt.Sprintf(", %d days before this run", days)
	}
}

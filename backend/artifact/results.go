package artifact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// RunResults is a parsed run_results.json.
type RunResults struct {
	Header Header
	// Command is args.which (or args.rpc_method in old files): build, test,
	// run, generate, compile, ...
	Command     string
	ElapsedTime float64
	// Results keep the file's order. IsTestOutcome is set from the unique_id
	// prefix here; Load sets it again from the manifest's resource types.
	Results  []backend.RunResult
	Warnings []string
}

// Sources is a parsed sources.json (dbt source freshness).
type Sources struct {
	Header   Header
	Results  []backend.FreshnessResult
	Warnings []string
}

// executesTests reports whether a dbt command runs tests, so that its test
// results are outcomes. docs generate and compile mark every node "success"
// and run/seed/snapshot never run tests; retry re-runs the failed part of
// the previous command, which may have been a test or build.
func executesTests(command string) bool {
	switch command {
	case "test", "build", "retry":
		return true
	}
	return false
}

// ParseRunResults parses run_results.json of schema v1 to v6. It never
// panics; bad input is an *backend.Error.
func ParseRunResults(data []byte) (*RunResults, error) {
	return parseRunResults(data, "the run results")
}

func (rr *RunResults) warn(w string) { rr.Warnings = append(rr.Warnings, w) }

func parseRunResults(data []byte, name string) (*RunResults, error) {
	sections, err := topLevel(data, name)
	if err != nil {
		return nil, err
	}
	h, warnings, err := readHeader(sections, backend.ArtifactRunResults, name)
	if err != nil {
		return nil, err
	}
	rr := &RunResults{Header: h, Warnings: warnings, ElapsedTime: number(sections["elapsed_time"])}
	_ = EachMember(sections["args"], func(k, v []byte) error {
		switch string(k) {
		case "which":
			rr.Command = str(v)
		case "rpc_method":
			if rr.Command == "" {
				rr.Command = str(v)
			}
		}
		return nil
	})
	outcomes := executesTests(rr.Command)
	odd := oddFields{}
	var skipped tally
	if err := resultsList(sections, name); err != nil {
		return nil, err
	}
	position := 0
	err = eachElement(sections["results"], func(v []byte) error {
		position++
		var r backend.RunResult
		var status, seconds, failures []byte
		err := EachMember(v, func(k, v []byte) error {
			switch string(k) {
			case "unique_id":
				r.UniqueID = str(v)
			case "status":
				r.Status, status = str(v), v
			case "failures":
				r.Failures, failures = integer(v), v
			case "message":
				r.Message = str(v)
			case "execution_time":
				r.ExecutionTime, seconds = number(v), v
			case "thread_id":
				r.ThreadID = str(v)
			case "timing":
				r.Timing = ownedRaw(v)
			case "adapter_response":
				r.AdapterResponse = ownedRaw(v)
			}
			return nil
		})
		if err != nil || r.UniqueID == "" {
			skipped.add(fmt.Sprintf("the %s", ordinal(position)))
			return nil
		}
		if status != nil && kindOf(status) != "a string" {
			odd.note("status", "a string", r.UniqueID, status, fmt.Sprintf("read as %q", r.Status))
		} else if status != nil && !knownStatus(r.Status) {
			odd.note("status", "one dbt writes (pass, fail, warn, error, skipped, success, no-op, ...)", r.UniqueID, status, "kept, and counted as no test outcome")
		}
		if failures != nil && kindOf(failures) != "null" && (r.Failures == nil || *r.Failures < 0) {
			odd.note("failures", "a count of rows", r.UniqueID, failures, "left out")
			r.Failures = nil
		}
		if seconds != nil && !isSeconds(seconds) {
			odd.note("execution_time", "seconds", r.UniqueID, seconds, "counted as 0 s")
			r.ExecutionTime = 0
		}
		r.IsTestOutcome = outcomes && isTestID(r.UniqueID)
		rr.Results = append(rr.Results, r)
		return nil
	})
	if err != nil {
		return nil, invalid(err, "%s: its \"results\" list is malformed: regenerate it by running dbt again", name)
	}
	rr.Warnings = append(rr.Warnings, odd.warnings(name, "result")...)
	if skipped.n > 0 {
		rr.Warnings = append(rr.Warnings, fmt.Sprintf("%s: %s skipped, being no result (not an object, or without unique_id; e.g. %s in the list)", name, count(skipped.n, "result"), skipped.example))
	}
	return rr, nil
}

// knownStatus reports whether dbt writes status in run results: of nodes
// run, of tests, and of a freshness check run as a step.
func knownStatus(status string) bool {
	switch status {
	case "success", "error", "skipped", "partial success", "no-op", "reused",
		"pass", "fail", "warn", "runtime error":
		return true
	}
	return false
}

// ordinal writes 1 as "1st", 2 as "2nd" and so on.
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// isSeconds reports whether an execution_time is what dbt writes: a
// number of seconds (or a numeric string) no node could take less or more
// than (below 0, or past a year), or null.
func isSeconds(v []byte) bool {
	var text string
	switch kindOf(v) {
	case "null":
		return true
	case "a number":
		text = string(bytes.TrimSpace(v))
	case "a string":
		text = str(v)
	default:
		return false
	}
	f, err := strconv.ParseFloat(text, 64)
	return err == nil && f >= 0 && f < 366*24*3600
}

// resultsList refuses a "results" that is there but is no list: read as
// no results, the run would look as if it ran nothing.
func resultsList(sections map[string][]byte, name string) error {
	v, ok := sections["results"]
	if !ok {
		return nil
	}
	if kind := kindOf(v); kind != "a list" && kind != "null" {
		return backend.Errorf(backend.EINVALID, "%s: \"results\" is %s, where dbt writes a list: regenerate it by running dbt again", name, kind)
	}
	return nil
}

// oddFields gathers the run results whose field held what dbt never writes
// and was read some other way, for one warning per field: imported, but
// not silently.
type oddFields struct {
	order  []string
	fields map[string]*oddField
}

type oddField struct {
	want, example, outcome string
	count                  int
}

func (o *oddFields) note(field, want, uniqueID string, v []byte, outcome string) {
	if o.fields == nil {
		o.fields = map[string]*oddField{}
	}
	f := o.fields[field]
	if f == nil {
		example := string(v)
		if len(example) > 40 {
			example = example[:40] + "…"
		}
		f = &oddField{want: want, example: fmt.Sprintf("%s has %s", uniqueID, example), outcome: outcome}
		o.fields[field] = f
		o.order = append(o.order, field)
	}
	f.count++
}

// warnings says, per field, how many of the file's noun ("result",
// "entry") have an odd value, with the first as an example.
func (o *oddFields) warnings(name, noun string) []string {
	var out []string
	for _, field := range o.order {
		f := o.fields[field]
		have := fmt.Sprintf("%d %s have", f.count, plural(noun))
		if f.count == 1 {
			have = "1 " + noun + " has"
		}
		article := "a"
		if strings.ContainsRune("aeiou", rune(field[0])) {
			article = "an"
		}
		out = append(out, fmt.Sprintf("%s: %s %s %s that is not %s, as dbt writes it (%s, %s); regenerate the file with dbt if the values matter",
			name, have, article, field, f.want, f.example, f.outcome))
	}
	return out
}

// integer reads failures: a number, a numeric string, or null (nil).
// tally counts something odd in a file, keeping the first as an example.
type tally struct {
	n       int
	example string
}

func (t *tally) add(example string) {
	if t.n++; t.n == 1 {
		t.example = example
	}
}

// keyedExample and misKeyedWarning: dbt keys every entry of the manifest
// and the catalog by its unique_id; one that names another is skipped, as
// read it would stand in for that node (manifest.go, catalog.go).
func keyedExample(key, uniqueID string) string {
	return fmt.Sprintf("key %s, unique_id %s", key, uniqueID)
}

func misKeyedWarning(name string, t tally, regenerate string) string {
	return fmt.Sprintf("%s: %s skipped, its unique_id not its key (e.g. %s): regenerate it with %s", name, count(t.n, "entry"), t.example, regenerate)
}

// count is "1 entry", "2 entries".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %s", n, plural(noun))
}

func plural(noun string) string {
	if strings.HasSuffix(noun, "y") {
		return strings.TrimSuffix(noun, "y") + "ies"
	}
	return noun + "s"
}

func integer(v []byte) *int64 {
	s := str(v)
	if s == "" || s == "true" || s == "false" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != f || f > 9e18 || f < -9e18 {
			return nil
		}
		n = int64(f)
	}
	return &n
}

// ParseSources parses sources.json (source freshness, schema v1 to v3). It
// never panics; bad input is an *backend.Error.
func ParseSources(data []byte) (*Sources, error) {
	return parseSources(data, "the source freshness results")
}

func (s *Sources) warn(w string) { s.Warnings = append(s.Warnings, w) }

func parseSources(data []byte, name string) (*Sources, error) {
	sections, err := topLevel(data, name)
	if err != nil {
		return nil, err
	}
	h, warnings, err := readHeader(sections, backend.ArtifactSources, name)
	if err != nil {
		return nil, err
	}
	s := &Sources{Header: h, Warnings: warnings}
	if err := resultsList(sections, name); err != nil {
		return nil, err
	}
	err = eachElement(sections["results"], func(v []byte) error {
		var f backend.FreshnessResult
		err := EachMember(v, func(k, v []byte) error {
			switch string(k) {
			case "unique_id":
				f.UniqueID = str(v)
			case "status":
				f.Status = str(v)
			case "max_loaded_at":
				f.MaxLoadedAt = str(v)
			case "snapshotted_at":
				f.SnapshottedAt = str(v)
			case "max_loaded_at_time_ago_in_s":
				f.AgeSeconds = number(v)
			case "criteria":
				f.Criteria = ownedRaw(v)
			case "error":
				f.Error = str(v)
			case "execution_time":
				f.ExecutionTime = number(v)
			}
			return nil
		})
		if err == nil && f.UniqueID != "" {
			s.Results = append(s.Results, f)
		}
		return nil
	})
	if err != nil {
		return nil, invalid(err, "%s: its \"results\" list is malformed: regenerate it with dbt source freshness", name)
	}
	return s, nil
}

// ownedRaw is rawOrNil copied out of the file: these are the only slices a
// run_results or sources file would otherwise keep alive, and copying a few
// hundred bytes per result lets the whole file buffer (36 MB for 10k
// models) be freed while the import goes on.
func ownedRaw(v []byte) json.RawMessage {
	if raw := rawOrNil(v); raw != nil {
		return bytes.Clone(raw)
	}
	return nil
}

// Command bench measures Lineage Desk against its performance contract and
// writes BENCHMARKS.md. For each generated project (backend/synth) it times
// `lineagedesk import` into a fresh store side by side with Python merely
// parsing the same files, records wall time and peak RSS of both; on the
// largest project it times the CLI's lineage end to end and, in chromium,
// the UI's launch to first lineage picture and search while typing
// (interactive.go); it runs the Go benchmarks that matter, and reports each
// figure against its target.
//
//	go run ./backend/synth/cmd/bench -out BENCHMARKS.md -bin build/bin/lineagedesk
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type options struct {
	out, bin, cache string
	sizes           []int
	reps            int
	goBench         bool
	interactive     bool
	benchtime       string
}

func main() {
	var o options
	var sizes string
	var with50k bool
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "where to write the report")
	flag.StringVar(&o.bin, "bin", "build/bin/lineagedesk", "the lineagedesk binary to measure")
	flag.StringVar(&o.cache, "cache", ".bench", "where generated projects and scratch stores are kept")
	flag.StringVar(&sizes, "sizes", "1000,10000", "model counts of the generated projects, comma-separated")
	flag.BoolVar(&with50k, "50k", false, "also measure a 50,000-model project (about 1.1 GB of artifacts; slow)")
	flag.IntVar(&o.reps, "reps", 3, "repetitions per measurement; the report gives medians")
	flag.BoolVar(&o.goBench, "gobench", true, "also run the Go benchmarks (go test -bench)")
	flag.BoolVar(&o.interactive, "interactive", true, "also time lineage and the UI (chromium) on the largest project")
	flag.StringVar(&o.benchtime, "benchtime", "3x", "go test -benchtime for the Go benchmarks")
	renotes := flag.Bool("renotes", false, "only replace the notes section of -out with the current notes (no measuring)")
	flag.Parse()
	if *renotes {
		if err := replaceNotes(o.out); err != nil {
			fail(err)
		}
		return
	}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fail(fmt.Errorf("-sizes: %q is not a number", s))
		}
		o.sizes = append(o.sizes, n)
	}
	if with50k {
		o.sizes = append(o.sizes, 50_000)
	}
	if err := run(o); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

func run(o options) error {
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("binary %s: %w (build it first: make build-cli, or pass -bin)", o.bin, err)
	}
	r := report{Machine: describeMachine(), Started: time.Now(), Reps: o.reps}
	for _, models := range o.sizes {
		set, err := generate(o.cache, models)
		if err != nil {
			return err
		}
		reps := o.reps
		if models >= 50_000 {
			reps = 1 // minutes per run: measured once
		}
		logf("measuring %d models (%s of artifacts), %d repetitions", models, mb(set.Bytes()), reps)
		m, err := measureImport(bin, o.cache, set, reps)
		if err != nil {
			return err
		}
		r.Imports = append(r.Imports, m)
	}
	if o.interactive && len(r.Imports) > 0 {
		largest := r.Imports[len(r.Imports)-1].Set
		logf("measuring lineage and the UI on %d models", largest.Models)
		m, err := measureInteractive(bin, o.cache, largest)
		if err != nil {
			return err
		}
		r.Interactive = &m
	}
	if o.goBench {
		env := []string{}
		for _, m := range r.Imports {
			if m.Set.Models == 10_000 {
				env = append(env, "LINEAGEDESK_BENCH_DIR="+m.Set.Dir)
			}
		}
		logf("running the Go benchmarks (-benchtime %s)", o.benchtime)
		if r.GoBench, err = runGoBenchmarks(o.benchtime, env); err != nil {
			return err
		}
	}
	r.Finished = time.Now()
	r.LoadAfter = loadAverage()
	if err := os.WriteFile(o.out, []byte(r.markdown()), 0o644); err != nil {
		return err
	}
	logf("wrote %s", o.out)
	return nil
}

// replaceNotes swaps the hand-written notes at the end of a report for the
// current ones, keeping the measured part as it is.
func replaceNotes(out string) error {
	data, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	at := strings.Index(string(data), "## Notes")
	if at < 0 {
		return fmt.Errorf("%s has no notes section", out)
	}
	return os.WriteFile(out, append(data[:at:at], notes+"\n"...), 0o644)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

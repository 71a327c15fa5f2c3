package main

import (
	"os/exec"
	"strings"
)

// Other commands a user runs on a big project, end to end, for the record
// (the issues set no target for them): a resource by name and by
// unique_id (the hub, whose page lists its 1,376 children at 50k models),
// and the paths from a source to a dashboard. The names are the 50k-model
// set's (synth.Spec{Seed: 1}); on a smaller set one may not exist, and its
// row says so.
var recordedCommands = [][]string{
	{"show", "fct_orders_12"},
	{"show", "model.synth_analytics." + centralModel},
	{"paths", "source.synth_analytics.app_db_apac.events", "exposure.synth_analytics.product_ops_monitor_analysis"},
	// Column lineage: the hub's columns from its SQL, and one of them traced
	// down through every model that reads it.
	{"columns", "model.synth_analytics." + centralModel},
	{"columns", "model.synth_analytics." + centralModel, "customer_id", "--downstream"},
}

// commandTiming is one recorded command's runs.
type commandTiming struct {
	Args    []string
	Samples []sample
	Err     string
}

// measureCommands runs each recorded command lineageRuns times after one
// untimed run.
func measureCommands(bin, db string) []commandTiming {
	var out []commandTiming
	for _, args := range recordedCommands {
		c := commandTiming{Args: args}
		for i := range lineageRuns + 1 {
			s, _, err := runMeasured(exec.Command(bin, append(args, "--db", db)...))
			if err != nil {
				c.Err = err.Error()
				break
			}
			if i > 0 {
				c.Samples = append(c.Samples, s)
			}
		}
		logf("  %s: %.2fs median %s", strings.Join(args, " "), median(c.Samples, wallSec), c.Err)
		out = append(out, c)
	}
	return out
}

func commandsMarkdown(p func(string, ...any), commands []commandTiming) {
	p("Other commands, end to end, median of %d runs after one untimed (no target; for the record):", lineageRuns)
	p("")
	p("| command | wall | peak RSS |")
	p("|---|---|---|")
	for _, c := range commands {
		cmd := "`lineagedesk " + strings.Join(c.Args, " ") + "`"
		if c.Err != "" {
			p("| %s | not measured: %s | |", cmd, c.Err)
			continue
		}
		p("| %s | %.2f s (%s) | %.0f MB |", cmd, median(c.Samples, wallSec), joinSamples(c.Samples),
			median(c.Samples, func(s sample) float64 { return float64(s.MaxRSS) / 1e6 }))
	}
	p("")
}

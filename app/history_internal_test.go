package app

import (
	"strings"
	"testing"
)

func TestTrend(t *testing.T) {
	for outcomes, want := range map[string]string{
		"":                                "",
		"pass":                            "",
		"fail":                            "",
		"pass fail":                       "newly failing",
		"fail pass":                       "fixed",
		"fail pass fail":                  "flaky",
		"pass fail pass fail":             "flaky",
		"pass fail fail pass":             "fixed",
		"pass fail skipped - pass":        "fixed", // skipped and missing outcomes do not count
		"pass skipped fail":               "newly failing",
		"pass warn error":                 "newly failing", // a warn passes
		"error fail runtime_error":        "",
		"success error - success success": "",
	} {
		var cells []*HistoryCell
		for _, s := range strings.Fields(outcomes) {
			if s == "-" {
				cells = append(cells, nil)
				continue
			}
			cells = append(cells, &HistoryCell{Status: strings.ReplaceAll(s, "_", " ")})
		}
		if got := trend(cells); got != want {
			t.Errorf("%q: %q, want %q", outcomes, got, want)
		}
	}
}

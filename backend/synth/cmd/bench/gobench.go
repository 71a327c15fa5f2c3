package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// goBenchmarks are the Go benchmarks that speak to the contract: the
// import's halves, the whole import in-process, and what a user does next
// (load the lineage graph, search, select, render).
var goBenchmarks = []struct{ pkg, pattern string }{
	{"./backend/artifact", "^(BenchmarkParseManifest|BenchmarkLoad)$"},
	{"./storage", "^(BenchmarkImportSynth10k|BenchmarkSaveSnapshot|BenchmarkGraph|BenchmarkLineageLoad|BenchmarkSearch)$"},
	{"./backend/lineage", "^(BenchmarkNew50k|BenchmarkSelectCentral50kModels|BenchmarkFindCycle220k)$"},
	{"./backend/render", "^(BenchmarkSVG1000|BenchmarkPNG1000|BenchmarkPDF1000)$"},
	{"./backend/sqlparse", "^BenchmarkParse$"},
	{"./backend/columnlineage", "^BenchmarkAnalyze$"},
	{"./app", "^BenchmarkSyncVsDownloadPlusImport$"},
}

// goBenchLine is one result line of go test -bench.
type goBenchLine struct {
	Pkg, Line string
}

func runGoBenchmarks(benchtime string, env []string) ([]goBenchLine, error) {
	var out []goBenchLine
	for _, b := range goBenchmarks {
		cmd := exec.Command("go", "test", "-run", "^$", "-bench", b.pattern, "-benchtime", benchtime, b.pkg)
		cmd.Env = append(os.Environ(), env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		logf("  go test -bench %s %s", b.pattern, b.pkg)
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("go test -bench %s: %w\n%s%s", b.pkg, err, stdout.Bytes(), stderr.Bytes())
		}
		sc := bufio.NewScanner(&stdout)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "Benchmark") {
				out = append(out, goBenchLine{Pkg: b.pkg, Line: strings.Join(strings.Fields(line), " ")})
			}
		}
	}
	return out, nil
}

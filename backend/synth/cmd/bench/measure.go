package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

// sample is one process run.
type sample struct {
	Wall, CPU time.Duration
	MaxRSS    int64 // bytes
}

// importMeasure is the side-by-side measurement of one set.
type importMeasure struct {
	Set            genSet
	Python, Import []sample
	StoreBytes     int64 // the store file after the import
	Resources      int
}

// pythonParse only parses the files: the contract's yardstick.
const pythonParse = `import json, sys; [json.load(open(f)) for f in sys.argv[1:]]`

// measureImport alternates Python and the import, reps times each, so both
// see the same load on a shared machine.
func measureImport(bin, cache string, set genSet, reps int) (importMeasure, error) {
	m := importMeasure{Set: set}
	db, err := filepath.Abs(filepath.Join(cache, "scratch", "import.db"))
	if err != nil {
		return m, err
	}
	if err := os.MkdirAll(filepath.Dir(db), 0o755); err != nil {
		return m, err
	}
	for i := range reps {
		py, _, err := runMeasured(exec.Command("python3", append([]string{"-c", pythonParse}, set.Paths()...)...))
		if err != nil {
			return m, fmt.Errorf("python3 parse of %s: %w", set.Dir, err)
		}
		removeStore(db)
		imp, out, err := runMeasured(exec.Command(bin, "import", set.Dir, "--db", db, "--json"))
		if err != nil {
			return m, fmt.Errorf("%s import %s: %w", bin, set.Dir, err)
		}
		var res struct {
			Counts map[string]int `json:"counts"`
		}
		if err := json.Unmarshal(out, &res); err != nil {
			return m, fmt.Errorf("import --json printed %q: %w", out, err)
		}
		m.Resources = 0
		for _, n := range res.Counts {
			m.Resources += n
		}
		if st, err := os.Stat(db); err == nil {
			m.StoreBytes = st.Size()
		}
		m.Python, m.Import = append(m.Python, py), append(m.Import, imp)
		logf("  %d/%d: python %.2fs %s, import %.2fs %s", i+1, reps, py.Wall.Seconds(), mb(py.MaxRSS),
			imp.Wall.Seconds(), mb(imp.MaxRSS))
	}
	removeStore(db)
	return m, nil
}

func removeStore(db string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(db + suffix)
	}
}

// runMeasured runs cmd and returns its wall time, CPU time and peak RSS
// (from wait4's rusage) and its standard output.
func runMeasured(cmd *exec.Cmd) (sample, []byte, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, nil, fmt.Errorf("%w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	s := sample{Wall: wall, CPU: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.MaxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return s, stdout.Bytes(), nil
}

// median of one field of the samples.
func median(samples []sample, field func(sample) float64) float64 {
	if len(samples) == 0 {
		return 0
	}
	v := make([]float64, len(samples))
	for i, s := range samples {
		v[i] = field(s)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func wallSec(s sample) float64 { return s.Wall.Seconds() }
func cpuSec(s sample) float64  { return s.CPU.Seconds() }
func rssMB(s sample) float64   { return float64(s.MaxRSS) / 1e6 }

package hugepage

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// AdviseHeap is once per process, so each test runs in a fresh process:
// the test binary again, with only that test, and this variable set.
const inChildEnv = "LINEAGEDESK_TEST_HUGEPAGE_CHILD"

func runInFreshProcess(t *testing.T) bool {
	t.Helper()
	if os.Getenv(inChildEnv) != "" {
		return false
	}
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil {
		t.Fatalf("this kernel has no transparent huge pages (%v); the machines the Makefile sets up all do", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), inChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("%s in a fresh process: %v\n%s", t.Name(), err, out)
	}
	return true
}

// TestAdviseHeap checks its premise: a big allocation made after it, as
// the WASM instance's memory is when it grows, lies in memory advised for
// huge pages.
func TestAdviseHeap(t *testing.T) {
	if runInFreshProcess(t) {
		return
	}
	before := make([]byte, 64<<20)
	if share := hugePageAdvisedShare(t, before); share > 0.5 {
		t.Fatalf("%.0f%% of a 64 MB allocation is advised for huge pages before AdviseHeap: the test cannot tell it did anything", 100*share)
	}
	// before is garbage from here on: a free hole, as a real process has.
	AdviseHeap(256 << 20)
	grown := make([]byte, 64<<20)
	if share := hugePageAdvisedShare(t, grown); share < 0.9 {
		t.Errorf("only %.0f%% of a 64 MB allocation made after AdviseHeap is advised for huge pages", 100*share)
	}
}

// TestAdviseHeapWritesNothing: memory the heap used and freed lies at its
// end, as after a command's first work. Had the block started there, the
// runtime would have zeroed all of it, 4 kB page by page (one run in ten
// of the CLI did, before AdviseHeap took the free pages first).
func TestAdviseHeapWritesNothing(t *testing.T) {
	if runInFreshProcess(t) {
		return
	}
	used := make([]byte, 8<<20)
	for i := 0; i < len(used); i += 4096 {
		used[i] = 1
	}
	runtime.KeepAlive(used)
	runtime.GC() // the 8 MB are a free hole at the heap's end now
	before := minorFaults(t)
	AdviseHeap(384 << 20)
	if faults := minorFaults(t) - before; faults > 5000 {
		t.Fatalf("AdviseHeap(384 MB) after an 8 MB hole took %d page faults: the block was written (zeroing it takes 98,000)", faults)
	}
}

func minorFaults(t *testing.T) int64 {
	t.Helper()
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		t.Fatal(err)
	}
	return usage.Minflt
}

// hugePageAdvisedShare returns the share of b's bytes that lie in mappings
// whose VmFlags have hg (MADV_HUGEPAGE), from /proc/self/smaps.
func hugePageAdvisedShare(t *testing.T, b []byte) float64 {
	t.Helper()
	lo := uint64(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	hi := lo + uint64(len(b))
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var advised, start, end uint64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if r, _, _ := strings.Cut(line, " "); !strings.HasSuffix(r, ":") {
			from, to, _ := strings.Cut(r, "-")
			start, _ = strconv.ParseUint(from, 16, 64)
			end, _ = strconv.ParseUint(to, 16, 64)
			continue
		}
		flags, ok := strings.CutPrefix(line, "VmFlags:")
		if ok && strings.Contains(flags+" ", " hg ") && start < hi && end > lo {
			advised += min(end, hi) - max(start, lo)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return float64(advised) / float64(len(b))
}

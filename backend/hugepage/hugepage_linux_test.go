package hugepage

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestAdviseHeap checks the premise of
// AdviseHeap: a big allocation made after it, as the WASM instance's
// memory is when it grows, lies in memory advised for huge pages.
func TestAdviseHeap(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil {
		t.Fatalf("this kernel has no transparent huge pages (%v); the machines the Makefile sets up all do", err)
	}
	before := make([]byte, 64<<20)
	if share := hugePageAdvisedShare(t, before); share > 0.5 {
		t.Fatalf("%.0f%% of a 64 MB allocation is advised for huge pages before AdviseHeap: the test cannot tell it did anything", 100*share)
	}
	// before is garbage from here on: a free hole below the block, as a
	// real process has.
	AdviseHeap(256 << 20)
	grown := make([]byte, 64<<20)
	if share := hugePageAdvisedShare(t, grown); share < 0.9 {
		t.Errorf("only %.0f%% of a 64 MB allocation made after AdviseHeap is advised for huge pages", 100*share)
	}
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

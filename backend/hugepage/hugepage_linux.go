// Package hugepage lets a short-lived process ask for transparent huge
// pages for its Go heap.
package hugepage

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall"
	"unsafe"
)

// AdviseHeap makes the next size bytes of heap this process allocates
// fault in 2 MB pages instead of 4 kB ones, where the kernel's transparent
// huge pages are on "madvise" (Debian's default). For processes that live
// for one job on fresh memory, a CLI command or the render worker, and for
// the first big picture of the window and serve: a cold
// 1,400-node Graphviz layout touches some 150 MB, at 4 kB a page 16,000
// page faults, on this kind of VM 20-40 µs each, and took twice as long
// as the same layout again; a one-off lineage of 5,500 nodes spent a
// quarter of its time faulting. Go's runtime does not ask for huge pages
// for its heap, so this grows the heap by size with a block it frees at
// once and advises the stretch of mappings the heap lies in, free holes
// below the block included: the allocator hands out the lowest free
// addresses first. Best effort: where the advice is refused, nothing
// changes. Call it once, early, while the heap is small: it first takes
// every free page the heap has (see below), and a second call would find
// the first one's block among them. A long-lived process advises less
// than it will ever use, only what its first big job would fault in.
func AdviseHeap(size int) {
	runtime.GC() // so that the free pages are known
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	// The block must land on fresh memory, which is not written until
	// used. Were it to start in a free hole the heap had used before, the
	// runtime would zero all of it, page by page before the advice: 1.2 s
	// and 98,000 faults for 384 MB, in one run of ten. So the free pages
	// are taken first, one page per object (the 8 kB size class has one
	// object per span, and spans come from the lowest free pages).
	fillers := make([][]byte, 0, stats.HeapIdle/pageBytes)
	for range stats.HeapIdle / pageBytes {
		fillers = append(fillers, make([]byte, pageBytes))
	}
	block := make([]byte, size)
	lo, hi, ok := anonymousRunAround(uintptr(unsafe.Pointer(unsafe.SliceData(block))))
	if ok {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, syscall.MADV_HUGEPAGE)
	}
	runtime.KeepAlive(fillers)
	runtime.KeepAlive(block)
	// Free the block and hand its pages back to the OS now, cheaply since
	// they were never touched, rather than have the background scavenger
	// walk them while the job runs.
	debug.FreeOSMemory()
}

// pageBytes is the Go runtime's page size and its 8 kB size class.
const pageBytes = 8 << 10

// anonymousRunAround returns the bounds of the contiguous private
// anonymous read-write mappings (Go's heap arenas, mapped as the heap
// grew) that hold addr, from /proc/self/maps.
func anonymousRunAround(addr uintptr) (lo, hi uintptr, ok bool) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		start, end, anonymous := anonymousMapping(sc.Bytes())
		if !anonymous || start != hi { // the run so far has ended
			if lo <= addr && addr < hi {
				return lo, hi, true
			}
			lo, hi = start, end
			if !anonymous {
				lo, hi = 0, 0
			}
			continue
		}
		hi = end
	}
	return lo, hi, lo <= addr && addr < hi && sc.Err() == nil
}

// anonymousMapping parses a /proc/self/maps line, "start-end perms offset
// dev inode [path]", and tells whether it is private, anonymous (inode 0,
// no path) and read-write.
func anonymousMapping(line []byte) (start, end uintptr, ok bool) {
	fields := bytes.Fields(line)
	if len(fields) != 5 || string(fields[1]) != "rw-p" || string(fields[4]) != "0" {
		return 0, 0, false
	}
	from, to, _ := bytes.Cut(fields[0], []byte("-"))
	s, err1 := strconv.ParseUint(string(from), 16, 64)
	e, err2 := strconv.ParseUint(string(to), 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(s), uintptr(e), true
}

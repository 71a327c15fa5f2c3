package render

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

// layoutHeapBytes is how far preferHugePagesForLayouts grows the heap:
// more than a DefaultMaxNodes layout uses (the WASM instance's memory,
// grown by copying, and wazero's garbage). Fresh memory is not written, so
// this is address space until a layout touches it.
const layoutHeapBytes = 256 << 20

// preferHugePagesForLayouts makes the heap the next layouts will use fault
// in 2 MB pages instead of 4 kB ones, where the kernel's transparent huge
// pages are on "madvise" (Debian's default). A cold layout of ~1,400
// nodes touches some 150 MB of fresh memory; at 4 kB a page that was
// 16,000 page faults, on this kind of VM 20-40 µs each, and the first
// layout in a process took twice as long as the next one. Go's runtime
// does not ask for huge pages for its heap, so this grows the heap with a
// block it frees at once and advises the stretch of mappings the heap
// lies in, free holes below the block included: the allocator hands out
// the lowest free addresses first. Best effort: where the advice is
// refused, layouts run as before.
func preferHugePagesForLayouts() {
	block := make([]byte, layoutHeapBytes)
	lo, hi, ok := anonymousRunAround(uintptr(unsafe.Pointer(unsafe.SliceData(block))))
	if ok {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, syscall.MADV_HUGEPAGE)
	}
	runtime.KeepAlive(block)
	runtime.GC() // return the block to the heap now, before the layout allocates
}

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

//go:build !linux

package hugepage

// AdviseHeap is Linux-only (see hugepage_linux.go).
func AdviseHeap(size int) {}

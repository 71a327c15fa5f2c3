//go:build !linux

package render

// preferHugePagesForLayouts is Linux-only (see hugepages_linux.go).
func preferHugePagesForLayouts() {}

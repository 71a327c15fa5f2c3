//go:build !(linux && amd64 && cgo) || eagergtk

package lazygtk

// Load has nothing to do: the libraries, if any, were loaded at start.
func Load() error { return nil }

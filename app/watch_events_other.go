//go:build !linux

package app

// folderEvents is inotify's on Linux; elsewhere the polls alone find a
// watched folder's changes.
type folderEvents struct{}

func newFolderEvents(map[string]bool) *folderEvents { return nil }
func (e *folderEvents) add([]string)                {}
func (e *folderEvents) wake() <-chan struct{}       { return nil }
func (e *folderEvents) close()                      {}

//go:build linux

package app

import (
	"os"

	"golang.org/x/sys/unix"
)

// folderEvents wakes a watch as soon as a file in a watched folder is
// written, moved in or removed (inotify), so a run is read half a second
// after dbt wrote it rather than at the next poll: `dbt build && dbt docs
// generate` overwrites the build's run_results.json within a poll or two.
// The polls go on beside it: a folder removed (dbt clean) and made again
// is watched again at the next one (add).
type folderEvents struct {
	fd   int // for adding watches (file.Fd would make reads blocking)
	file *os.File
	// C receives once after any number of events (never blocks the reader).
	C chan struct{}
}

// newFolderEvents returns nil where inotify cannot be had (too many
// watches in use, say): the polls alone then find the changes.
func newFolderEvents() *folderEvents {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil
	}
	// Non-blocking, the file reads through Go's poller, so Close ends a
	// read under way.
	e := &folderEvents{fd: fd, file: os.NewFile(uintptr(fd), "inotify"), C: make(chan struct{}, 1)}
	go e.read()
	return e
}

const folderEventMask = unix.IN_CLOSE_WRITE | unix.IN_MOVED_TO | unix.IN_MOVED_FROM | unix.IN_CREATE | unix.IN_DELETE | unix.IN_ATTRIB

// add watches dirs; one watched already, or gone, is left as it is.
func (e *folderEvents) add(dirs []string) {
	if e == nil {
		return
	}
	for _, d := range dirs {
		_, _ = unix.InotifyAddWatch(e.fd, d, folderEventMask)
	}
}

func (e *folderEvents) read() {
	buf := make([]byte, 64<<10)
	for {
		if _, err := e.file.Read(buf); err != nil {
			return // closed
		}
		select {
		case e.C <- struct{}{}:
		default: // a wake-up is pending already
		}
	}
}

// wake is the channel a watch waits on besides its ticker (nil: never).
func (e *folderEvents) wake() <-chan struct{} {
	if e == nil {
		return nil
	}
	return e.C
}

func (e *folderEvents) close() {
	if e != nil {
		e.file.Close()
	}
}

//go:build linux

package app

import (
	"bytes"
	"os"
	"unsafe"

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
	// names are the files whose changes wake the watch; a folder's always
	// do. dbt writes other files in target/ as a command starts
	// (partial_parse.msgpack, semantic_manifest.json), which would put
	// off the read of the run before it.
	names map[string]bool
}

// newFolderEvents returns nil where inotify cannot be had (too many
// watches in use, say): the polls alone then find the changes.
func newFolderEvents(names map[string]bool) *folderEvents {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil
	}
	// Non-blocking, the file reads through Go's poller, so Close ends a
	// read under way.
	e := &folderEvents{fd: fd, file: os.NewFile(uintptr(fd), "inotify"), C: make(chan struct{}, 1), names: names}
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
		n, err := e.file.Read(buf)
		if err != nil {
			return // closed
		}
		if !e.concerns(buf[:n]) {
			continue
		}
		select {
		case e.C <- struct{}{}:
		default: // a wake-up is pending already
		}
	}
}

// concerns reports whether any of the events read names a folder or one
// of the watched files (or the queue overflowed: something may have).
func (e *folderEvents) concerns(events []byte) bool {
	for len(events) >= unix.SizeofInotifyEvent {
		ev := (*unix.InotifyEvent)(unsafe.Pointer(&events[0]))
		end := unix.SizeofInotifyEvent + int(ev.Len)
		if end > len(events) {
			return true
		}
		name := string(bytes.TrimRight(events[unix.SizeofInotifyEvent:end], "\x00"))
		if ev.Mask&(unix.IN_ISDIR|unix.IN_Q_OVERFLOW|unix.IN_IGNORED) != 0 || e.names[name] {
			return true
		}
		events = events[end:]
	}
	return false
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

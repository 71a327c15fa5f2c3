package app

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
)

// FolderWatchStatus is a folder the app watches (WatchFolder): each dbt
// run written there is imported, until StopWatching.
type FolderWatchStatus struct {
	Folder  string    `json:"folder"` // the paths watched, absolute, joined with ", "
	Since   time.Time `json:"since"`
	Imports int       `json:"imports"` // runs imported since
	// LastSnapshotID is the snapshot the last import made; LastError why
	// the last one failed, if it did (the watch goes on).
	LastSnapshotID int64  `json:"last_snapshot_id,omitempty"`
	LastError      string `json:"last_error,omitempty"`
	// Note is what the watch waits for, when it waits (see ImportResult).
	Note string `json:"note,omitempty"`
}

// folderWatches are the session's watched folders, by Folder.
type folderWatches struct {
	mu      sync.Mutex
	running map[string]*folderWatchEntry
}

type folderWatchEntry struct {
	status FolderWatchStatus
	cancel context.CancelFunc
}

func newFolderWatches() *folderWatches {
	return &folderWatches{running: map[string]*folderWatchEntry{}}
}

// WatchFolder keeps importing paths (a dbt target/ folder, as ImportPaths
// takes it) each time dbt has written it anew: the window's and the
// page's "keep watching". The watch is kept in the store, so the next
// launch resumes it, until StopWatching. A folder imported after its
// files' last write is not imported again until the next run. Watching a
// folder watched already returns its status.
func (a *App) WatchFolder(paths []string, name string) (FolderWatchStatus, error) {
	if len(paths) == 0 {
		return FolderWatchStatus{}, backend.Errorf(backend.EINVALID, "give the dbt target/ folder to watch")
	}
	if _, err := artifact.Discover(paths); err != nil {
		return FolderWatchStatus{}, backend.Errorf(backend.EINVALID, "cannot watch %s: %v", strings.Join(paths, ", "), err)
	}
	w := backend.WatchedFolder{Folder: strings.Join(absPaths(paths), ", "), Paths: absPaths(paths), Name: name, Since: time.Now()}
	if st, ok := a.watchStatus(w.Folder); ok {
		return st, nil
	}
	if err := a.store.SaveWatchedFolder(a.ctx, w); err != nil {
		return FolderWatchStatus{}, err
	}
	return a.startWatch(w), nil
}

// resumeWatches starts the watches the store keeps (a long-lived session
// does, as it starts). A folder gone since says so in its status.
func (a *App) resumeWatches() {
	kept, err := a.store.WatchedFolders(a.ctx)
	if err != nil {
		a.log.Warn("resume folder watches", "err", err)
		return
	}
	for _, w := range kept {
		a.startWatch(w)
	}
}

func (a *App) watchStatus(folder string) (FolderWatchStatus, bool) {
	a.watches.mu.Lock()
	defer a.watches.mu.Unlock()
	if e, ok := a.watches.running[folder]; ok {
		return e.status, true
	}
	return FolderWatchStatus{}, false
}

// startWatch runs a FolderWatch of w for the session, unless one runs.
func (a *App) startWatch(w backend.WatchedFolder) FolderWatchStatus {
	ws := a.watches
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if e, ok := ws.running[w.Folder]; ok {
		return e.status
	}
	ctx, cancel := context.WithCancel(a.ctx)
	e := &folderWatchEntry{status: FolderWatchStatus{Folder: w.Folder, Since: w.Since}, cancel: cancel}
	ws.running[w.Folder] = e
	go func() {
		watch := NewFolderWatch(a, w.Paths, w.Name, a.cfg.SnapshotPoll)
		watch.claim = func(ctx context.Context, run string) (bool, error) {
			return a.store.ClaimWatchedRun(ctx, w.Folder, run)
		}
		err := watch.Run(ctx, func(res ImportResult, err error) {
			ws.mu.Lock()
			switch {
			case err != nil:
				e.status.LastError = backend.NewErrorPayload(err).Message
			case res.Note != "":
				e.status.Note = res.Note
			case res.SameRunAs != 0: // the same run again: nothing imported
			default:
				e.status.Imports++
				e.status.LastSnapshotID, e.status.LastError, e.status.Note = res.SnapshotID, "", ""
			}
			ws.mu.Unlock()
			a.emit(EventSnapshotsChanged, nil) // and the watch list with it
		})
		if err != nil {
			ws.mu.Lock()
			e.status.LastError = backend.NewErrorPayload(err).Message
			ws.mu.Unlock()
			a.log.Warn("folder watch ended", "folder", w.Folder, "err", err)
		}
	}()
	return e.status
}

// Watches lists the folders the session watches, by folder.
func (a *App) Watches() ([]FolderWatchStatus, error) {
	w := a.watches
	w.mu.Lock()
	defer w.mu.Unlock()
	list := make([]FolderWatchStatus, 0, len(w.running))
	for _, e := range w.running {
		list = append(list, e.status)
	}
	slices.SortFunc(list, func(x, y FolderWatchStatus) int { return strings.Compare(x.Folder, y.Folder) })
	return list, nil
}

// StopWatching stops watching a folder (as Watches names it), and
// forgets it: the next launch does not resume it.
func (a *App) StopWatching(folder string) error {
	w := a.watches
	w.mu.Lock()
	e, ok := w.running[folder]
	if ok {
		e.cancel()
		delete(w.running, folder)
	}
	w.mu.Unlock()
	if !ok {
		return backend.Errorf(backend.ENOTFOUND, "%s is not watched", folder)
	}
	return a.store.DeleteWatchedFolder(a.ctx, folder)
}

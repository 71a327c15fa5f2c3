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

// FolderWatchStatus is a folder the session watches (WatchFolder): each
// dbt run written there is imported, until StopWatching or the app closes.
type FolderWatchStatus struct {
	Folder  string    `json:"folder"` // the paths watched, absolute, joined with ", "
	Since   time.Time `json:"since"`
	Imports int       `json:"imports"` // runs imported since
	// LastSnapshotID is the snapshot the last import made; LastError why
	// the last one failed, if it did (the watch goes on).
	LastSnapshotID int64  `json:"last_snapshot_id,omitempty"`
	LastError      string `json:"last_error,omitempty"`
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
// takes it) each time dbt has written it anew, for as long as the app
// runs: the window's and the page's "keep watching". A folder imported
// after its files' last write is not imported again until the next run.
// Watching a folder watched already returns its status.
func (a *App) WatchFolder(paths []string, name string) (FolderWatchStatus, error) {
	if len(paths) == 0 {
		return FolderWatchStatus{}, backend.Errorf(backend.EINVALID, "give the dbt target/ folder to watch")
	}
	if _, err := artifact.Discover(paths); err != nil {
		return FolderWatchStatus{}, backend.Errorf(backend.EINVALID, "cannot watch %s: %v", strings.Join(paths, ", "), err)
	}
	folder := strings.Join(absPaths(paths), ", ")
	w := a.watches
	w.mu.Lock()
	defer w.mu.Unlock()
	if e, ok := w.running[folder]; ok {
		return e.status, nil
	}
	ctx, cancel := context.WithCancel(a.ctx)
	e := &folderWatchEntry{status: FolderWatchStatus{Folder: folder, Since: time.Now()}, cancel: cancel}
	w.running[folder] = e
	go func() {
		err := NewFolderWatch(a, paths, name, a.cfg.SnapshotPoll).Run(ctx, func(res ImportResult, err error) {
			w.mu.Lock()
			if err != nil {
				e.status.LastError = backend.NewErrorPayload(err).Message
			} else {
				e.status.Imports++
				e.status.LastSnapshotID, e.status.LastError = res.SnapshotID, ""
			}
			w.mu.Unlock()
			a.emit(EventSnapshotsChanged, nil) // and the watch list with it
		})
		if err != nil {
			w.mu.Lock()
			e.status.LastError = backend.NewErrorPayload(err).Message
			w.mu.Unlock()
			a.log.Warn("folder watch ended", "folder", folder, "err", err)
		}
	}()
	return e.status, nil
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

// StopWatching stops watching a folder (as Watches names it).
func (a *App) StopWatching(folder string) error {
	w := a.watches
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.running[folder]
	if !ok {
		return backend.Errorf(backend.ENOTFOUND, "%s is not watched", folder)
	}
	e.cancel()
	delete(w.running, folder)
	return nil
}

package app

import (
	"fmt"
	"strings"
	"time"
)

// defaultPoll is how often a long-lived session looks for snapshots
// another process added or deleted, and a watch at its folder.
const defaultPoll = 2 * time.Second

// watchSnapshots tells the UI (EventSnapshotsChanged) when the store's
// snapshots change under it: a scheduled `lineagedesk sync`, an `import
// --watch` of a dbt Core target/ folder, or another window on the same
// store. It reads the snapshot list, a few rows, every interval until the
// session ends; its own imports and deletions it has announced already,
// and announcing them again only refreshes the list.
func (a *App) watchSnapshots(every time.Duration) {
	if every <= 0 {
		every = defaultPoll
	}
	seen, _ := a.snapshotsStamp()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-a.ctx.Done():
			return
		case <-tick.C:
		}
		now, err := a.snapshotsStamp()
		if err != nil {
			continue // a busy or closing store: look again next time
		}
		if now != seen {
			seen = now
			a.emit(EventSnapshotsChanged, nil)
		}
	}
}

// snapshotsStamp identifies the store's snapshots by their ids, which are
// never given twice.
func (a *App) snapshotsStamp() (string, error) {
	snaps, err := a.store.Snapshots(a.ctx)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, s := range snaps {
		fmt.Fprintf(&b, "%d ", s.ID)
	}
	return b.String(), nil
}

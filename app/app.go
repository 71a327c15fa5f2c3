// Package app is Lineage Desk's application layer: the one set of use cases
// that the desktop window, the `serve` web UI and the CLI all call. Its
// exported methods on *App are the API; the desktop adapter binds *App to
// Wails and the web adapter dispatches /api/rpc/{Method} to the same methods
// by reflection, so no method is declared twice.
package app

import (
	"context"
	"log/slog"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Store is everything the application needs from persistence.
type Store interface {
	backend.SnapshotStore
	backend.ResourceStore
	backend.ConnectionStore
	backend.SyncHistoryStore
	backend.ViewStore
}

// Emitter delivers events (sync progress) to whoever shows them: Wails
// events in the window, server-sent events in serve mode, a progress bar in
// the CLI.
type Emitter interface {
	Emit(name string, payload any)
}

// EmitterFunc adapts a function to Emitter.
type EmitterFunc func(name string, payload any)

// Emit calls f.
func (f EmitterFunc) Emit(name string, payload any) { f(name, payload) }

// App holds the open store and the long-lived parts (graph cache, renderer,
// running syncs). Create it with New; it is safe for concurrent use.
type App struct {
	ctx     context.Context
	store   Store
	cfg     Config
	log     *slog.Logger
	emitter Emitter

	graphs   *graphCache
	columns  *columnProjects
	requests *requestRegistry
	syncs    *syncRegistry
	watches  *folderWatches
	// warmedUp makes WarmUp's work once per session: the window and the
	// served page may call it again (every method is an API call), and
	// each call started another poller of the store.
	warmedUp sync.Once
	// lastExportDir is the folder the last export was saved in (a string),
	// where the save dialog opens next.
	lastExportDir atomic.Value
}

// Config says where the app keeps things and which optional parts it has.
type Config struct {
	Version string
	DBPath  string
	// DataDir holds the secret key file and caches.
	DataDir string
	Logger  *slog.Logger
	// Sealer seals dbt Cloud tokens; nil disables saving connections.
	Sealer Sealer
	// Demo returns the embedded demo project's artifact files; nil when
	// the binary has none.
	Demo DemoSource
	// Emitter receives events; nil drops them.
	Emitter Emitter
	// Dialogs opens native dialogs (the desktop window); nil elsewhere.
	Dialogs Dialogs
	// RenderWorker returns the command that starts a Graphviz worker
	// process (this binary's render-worker command). A long-lived session
	// (WarmUp) lays its big pictures out there, so a layout never stalls
	// the UI's process; nil, or a one-off command, lays them out in-process.
	RenderWorker func() *exec.Cmd
	// SnapshotPoll is how often a long-lived session (WarmUp) looks for
	// snapshots another process added or deleted, and a watched folder
	// (WatchFolder) for a new dbt run; 0 means 2 s.
	SnapshotPoll time.Duration
}

// New wraps an open store. ctx bounds every call made through the App
// (the desktop's startup context, the server's or the CLI's).
func New(ctx context.Context, store Store, cfg Config) *App {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	emitter := cfg.Emitter
	if emitter == nil {
		emitter = EmitterFunc(func(string, any) {})
	}
	return &App{
		ctx:      ctx,
		store:    store,
		cfg:      cfg,
		log:      log,
		emitter:  emitter,
		graphs:   newGraphCache(),
		columns:  newColumnProjects(),
		requests: newRequestRegistry(),
		syncs:    newSyncRegistry(),
		watches:  newFolderWatches(),
	}
}

func (a *App) emit(name string, payload any) {
	a.emitter.Emit(name, payload)
}
